package main

// More ways a provider runs a program the configuration names, besides the
// planguardtest_program data source: an ephemeral resource of the same name
// (Terraform 1.10+; as hashicorp/external's proposed `ephemeral "external"`
// and other providers' credential helpers) that runs its program when
// opened, which Terraform does at plan and again at every apply; and a
// provider-defined function, provider::planguardtest::run (Terraform 1.8+),
// that runs its program whenever an expression calling it is evaluated,
// at plan and again at apply.

import (
	"context"
	"os/exec"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// EphemeralResources makes the test provider a provider.ProviderWithEphemeralResources.
func (p *testProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{func() ephemeral.EphemeralResource { return &ephemeralProgram{} }}
}

// Functions makes the test provider a provider.ProviderWithFunctions.
func (p *testProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{func() function.Function { return &runFunction{} }}
}

type ephemeralProgram struct{}

type ephemeralProgramModel struct {
	Program []string     `tfsdk:"program"`
	Result  types.String `tfsdk:"result"`
}

func (e *ephemeralProgram) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = "planguardtest_program"
}

func (e *ephemeralProgram) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = eschema.Schema{Attributes: map[string]eschema.Attribute{
		"program": eschema.ListAttribute{ElementType: types.StringType, Required: true},
		"result":  eschema.StringAttribute{Computed: true},
	}}
}

func (e *ephemeralProgram) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m ephemeralProgramModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(m.Program) == 0 {
		resp.Diagnostics.AddError("program", "program is empty")
		return
	}
	out, err := exec.CommandContext(ctx, m.Program[0], m.Program[1:]...).Output()
	if err != nil {
		resp.Diagnostics.AddError("program", err.Error())
		return
	}
	m.Result = types.StringValue(string(out))
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

type runFunction struct{}

func (f *runFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "run"
}

func (f *runFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:    "runs a program and returns its standard output",
		Parameters: []function.Parameter{function.ListParameter{Name: "program", ElementType: types.StringType}},
		Return:     function.StringReturn{},
	}
}

func (f *runFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var program []string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &program))
	if resp.Error != nil {
		return
	}
	if len(program) == 0 {
		resp.Error = function.NewFuncError("program is empty")
		return
	}
	out, err := exec.CommandContext(ctx, program[0], program[1:]...).Output()
	if err != nil {
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, string(out)))
}
