// Command terraform-provider-credproc is a stand-in, for the attacker
// review of the CI setups (redteam21d_test.go), for two providers that are
// in almost every trusted lock file:
//
//   - its provider configuration reads AWS-style shared config files, as
//     hashicorp/aws does with shared_config_files and profile: the named
//     profile's credential_process runs (sh -c) when the provider is
//     configured, and a profile that no file has is an error;
//   - its credproc_file resource writes a file, as hashicorp/local's
//     local_file does.
//
// Neither setting is named like a command (exec, command, program,
// credential_process, *_command), so the gate does not judge them.
package main

import (
	"bufio"
	"context"
	"errors"
	"log"
	"os"
	"os/exec"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return &credProvider{} },
		providerserver.ServeOpts{Address: "example.com/planguard/credproc"})
	if err != nil {
		log.Fatal(err)
	}
}

type credProvider struct{}

func (p *credProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "credproc"
}

func (p *credProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"shared_config_files": pschema.ListAttribute{ElementType: types.StringType, Optional: true},
		"profile":             pschema.StringAttribute{Optional: true},
	}}
}

type providerModel struct {
	SharedConfigFiles types.List   `tfsdk:"shared_config_files"`
	Profile           types.String `tfsdk:"profile"`
}

// Configure looks the profile up in the shared config files and runs its
// credential_process, as the AWS SDK does.
func (p *credProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Profile.IsNull() || m.Profile.IsUnknown() || m.SharedConfigFiles.IsUnknown() {
		return
	}
	var files []string
	resp.Diagnostics.Append(m.SharedConfigFiles.ElementsAs(ctx, &files, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := m.Profile.ValueString()
	for _, f := range files {
		cmd, err := credentialProcess(f, want)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			resp.Diagnostics.AddError("shared config", err.Error())
			return
		}
		if cmd != "" {
			out, err := exec.CommandContext(ctx, "sh", "-c", cmd).CombinedOutput()
			if err != nil {
				resp.Diagnostics.AddError("credential_process", err.Error()+": "+string(out))
			}
			return
		}
	}
	resp.Diagnostics.AddError("shared config", "failed to get shared config profile, "+want)
}

// credentialProcess returns the credential_process of [profile NAME] in
// file, "" when the profile has none, ErrNotExist when it has no such profile.
func credentialProcess(file, name string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	in, found := false, false
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			sec := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "["), "]"))
			in = sec == "profile "+name || sec == name
			found = found || in
			continue
		}
		if k, v, ok := strings.Cut(line, "="); in && ok && strings.TrimSpace(k) == "credential_process" {
			return strings.TrimSpace(v), nil
		}
	}
	if !found {
		return "", os.ErrNotExist
	}
	return "", s.Err()
}

func (p *credProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &file{} }}
}

func (p *credProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// file is credproc_file: local_file, reduced to filename and content.
type file struct{}

type fileModel struct {
	ID       types.String `tfsdk:"id"`
	Filename types.String `tfsdk:"filename"`
	Content  types.String `tfsdk:"content"`
}

func (r *file) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "credproc_file"
}

func (r *file) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":       schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"filename": schema.StringAttribute{Required: true, PlanModifiers: replace},
		"content":  schema.StringAttribute{Required: true, PlanModifiers: replace},
	}}
}

func (r *file) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := os.WriteFile(m.Filename.ValueString(), []byte(m.Content.ValueString()), 0o644); err != nil {
		resp.Diagnostics.AddError("create", err.Error())
		return
	}
	m.ID = m.Filename
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *file) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := os.Stat(m.ID.ValueString()); errors.Is(err, os.ErrNotExist) {
		resp.State.RemoveResource(ctx)
	}
}

func (r *file) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("update", "credproc_file is replaced, never updated")
}

func (r *file) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if err := os.Remove(m.ID.ValueString()); err != nil && !errors.Is(err, os.ErrNotExist) {
		resp.Diagnostics.AddError("delete", err.Error())
	}
}
