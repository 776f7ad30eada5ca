// Command terraform-provider-testobj is a provider for planguard's tests
// whose objects live outside the state: each planguardtest_object (and
// planguardtest_file, whose id the plan knows) is a file, its id the
// file's path. Deleting one by id really loses something, which
// is what a gate that judged the wrong state would let happen.
//
// Like the kubernetes and helm providers, its configuration may hold an
// exec block whose command it runs when it is configured (at plan and at
// apply); like hashicorp/external, its planguardtest_program data source
// runs a program when it is read: the code a plan runs through providers
// that the gate judges.
//
// Built with -ldflags "-X main.marker=PATH", the binary writes PATH when it
// starts: the "swapped provider" of the tests, whose marker must stay
// absent when the gate refuses to run it.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// marker, when set at build time, is a file the binary writes on start.
var marker string

// address is where the tests install it (a filesystem mirror or dev_overrides).
const address = "example.com/planguard/testobj"

func main() {
	if marker != "" {
		_ = os.WriteFile(marker, []byte("the swapped provider ran\n"), 0o644)
	}
	debug := flag.Bool("debug", false, "run with support for debuggers")
	flag.Parse()
	err := providerserver.Serve(context.Background(), func() provider.Provider { return &testProvider{} }, providerserver.ServeOpts{Address: address, Debug: *debug})
	if err != nil {
		log.Fatal(err)
	}
}

type testProvider struct{}

func (p *testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "planguardtest"
}

func (p *testProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{
		Attributes: map[string]pschema.Attribute{
			"host": pschema.StringAttribute{Optional: true},
		},
		Blocks: map[string]pschema.Block{
			"exec": pschema.ListNestedBlock{NestedObject: pschema.NestedBlockObject{Attributes: map[string]pschema.Attribute{
				"api_version": pschema.StringAttribute{Optional: true},
				"command":     pschema.StringAttribute{Required: true},
				"args":        pschema.ListAttribute{ElementType: types.StringType, Optional: true},
				"env":         pschema.MapAttribute{ElementType: types.StringType, Optional: true},
			}}},
		},
	}
}

type providerModel struct {
	Host types.String `tfsdk:"host"`
	Exec []execModel  `tfsdk:"exec"`
}

type execModel struct {
	APIVersion types.String      `tfsdk:"api_version"`
	Command    types.String      `tfsdk:"command"`
	Args       []string          `tfsdk:"args"`
	Env        map[string]string `tfsdk:"env"`
}

// Configure runs each exec block's command, as the kubernetes provider
// runs its credential plugin.
func (p *testProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, e := range m.Exec {
		if e.Command.IsUnknown() || e.Command.IsNull() {
			continue
		}
		cmd := exec.CommandContext(ctx, e.Command.ValueString(), e.Args...)
		cmd.Env = os.Environ()
		for k, v := range e.Env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			resp.Diagnostics.AddError("exec", err.Error()+": "+string(out))
		}
	}
}

func (p *testProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &object{} }, func() resource.Resource { return &object{named: true} }}
}

func (p *testProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return &program{} }, func() datasource.DataSource { return &readFile{} }}
}

// program is planguardtest_program, hashicorp/external's data source: it
// runs program with query as JSON on its standard input, and result is
// what the program prints.
type program struct{}

type programModel struct {
	Program []string          `tfsdk:"program"`
	Query   map[string]string `tfsdk:"query"`
	Result  types.String      `tfsdk:"result"`
}

func (d *program) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "planguardtest_program"
}

func (d *program) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dschema.Schema{Attributes: map[string]dschema.Attribute{
		"program": dschema.ListAttribute{ElementType: types.StringType, Required: true},
		"query":   dschema.MapAttribute{ElementType: types.StringType, Optional: true},
		"result":  dschema.StringAttribute{Computed: true},
	}}
}

func (d *program) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m programModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(m.Program) == 0 {
		resp.Diagnostics.AddError("program", "program is empty")
		return
	}
	q, _ := json.Marshal(m.Query)
	cmd := exec.CommandContext(ctx, m.Program[0], m.Program[1:]...)
	cmd.Stdin = bytes.NewReader(q)
	out, err := cmd.Output()
	if err != nil {
		resp.Diagnostics.AddError("program", err.Error())
		return
	}
	m.Result = types.StringValue(string(out))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// object is planguardtest_object, and, named, planguardtest_file: the same
// object, whose id (its path) the plan knows when it creates one, as for
// the many resources whose id is the name the configuration gives.
type object struct{ named bool }

type objectModel struct {
	ID      types.String `tfsdk:"id"`
	Path    types.String `tfsdk:"path"`
	Content types.String `tfsdk:"content"`
	Note    types.String `tfsdk:"note"`
}

func (o *object) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "planguardtest_object"
	if o.named {
		resp.TypeName = "planguardtest_file"
	}
}

// ModifyPlan plans a planguardtest_file's id as its path when it creates one.
func (o *object) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !o.named || !req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var p types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("path"), &p)...)
	if !p.IsUnknown() && !p.IsNull() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), p)...)
	}
}

func (o *object) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":      schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"path":    schema.StringAttribute{Required: true, PlanModifiers: replace},
		"content": schema.StringAttribute{Optional: true, PlanModifiers: replace},
		// note is kept in the state only: Read does not refresh it (as
		// a provider's force_destroy or deletion_protection flag).
		"note": schema.StringAttribute{Optional: true, PlanModifiers: replace},
	}}
}

func (o *object) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m objectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p := m.Path.ValueString()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		resp.Diagnostics.AddError("create", err.Error())
		return
	}
	if err := os.WriteFile(p, []byte(m.Content.ValueString()), 0o644); err != nil {
		resp.Diagnostics.AddError("create", err.Error())
		return
	}
	m.ID = types.StringValue(p)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (o *object) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m objectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	b, err := os.ReadFile(m.ID.ValueString())
	if errors.Is(err, os.ErrNotExist) {
		resp.State.RemoveResource(ctx)
		return
	} else if err != nil {
		resp.Diagnostics.AddError("read", err.Error())
		return
	}
	m.Path = m.ID
	if !m.Content.IsNull() || len(b) > 0 {
		m.Content = types.StringValue(string(b))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (o *object) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("update", "planguardtest_object is replaced, never updated")
}

func (o *object) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m objectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := os.Remove(m.ID.ValueString()); err != nil && !errors.Is(err, os.ErrNotExist) {
		resp.Diagnostics.AddError("delete", err.Error())
	}
}

// ImportState takes the object's path as its id.
func (o *object) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("path"), req.ID)...)
}
