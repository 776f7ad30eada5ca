// Package provider implements the planguard Terraform provider: its
// configuration and the planguard_approval resource.
//
// The provider talks to no API. It validates approvals at plan time for early
// feedback and records them in state; the planguard gate, with its own policy
// and trust file, is the authority that decides whether a plan may apply.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// Option configures a provider made by New.
type Option func(*planguardProvider)

// WithClock makes the provider read the current time from now instead of
// time.Now. The time decides whether approvals have expired and whether
// allowed_signers validity windows are open; tests use it to pin the time.
func WithClock(now func() time.Time) Option {
	return func(p *planguardProvider) { p.now = now }
}

// New returns a constructor of the planguard provider, for
// providerserver.Serve. version is the provider's release version.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &planguardProvider{version: version, now: time.Now}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

// planguardProvider is the provider.Provider implementation.
type planguardProvider struct {
	version string
	now     func() time.Time
}

// providerModel is the provider block.
type providerModel struct {
	Scope              types.String `tfsdk:"scope"`
	AllowedSigners     types.String `tfsdk:"allowed_signers"`
	AllowedSignersFile types.String `tfsdk:"allowed_signers_file"`
}

// providerData is what the provider hands to its resources.
type providerData struct {
	// scope is the provider's scope, or "" when not set or not yet known.
	scope string
	// trust is the parsed allowed_signers, or nil when not set or not yet known.
	trust *trust.AllowedSigners
	// now is the clock.
	now func() time.Time
}

var _ provider.Provider = (*planguardProvider)(nil)

func (p *planguardProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "planguard"
	resp.Version = p.version
}

func (p *planguardProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The planguard provider declares signed approvals for destructive changes " +
			"(`planguard_approval`). It calls no API: it checks approvals at plan time and records them in state. " +
			"The `planguard check` gate, which runs between `plan` and `apply` with its own policy and trust file, " +
			"decides whether a plan may apply; it never trusts this provider block.\n\n" +
			"All arguments are optional. With `scope` set, approvals naming another scope draw a warning. " +
			"With `allowed_signers` or `allowed_signers_file` set, every signature is checked against it at plan " +
			"time and one that would not count draws a warning. Problems with trust are warnings, never errors: " +
			"the gate is the authority.",
		Attributes: map[string]schema.Attribute{
			"scope": schema.StringAttribute{
				MarkdownDescription: "The scope approvals are expected to name, e.g. `prod`: the same value as " +
					"`scope` in the gate's policy. 1 to 128 characters of letters, digits, `.`, `_` and `-`.",
				Optional:   true,
				Validators: []validator.String{statementField("scope")},
			},
			"allowed_signers": schema.StringAttribute{
				MarkdownDescription: "The content of an OpenSSH `allowed_signers` file (the format `ssh-keygen -Y verify` " +
					"and git use), e.g. `file(\"allowed_signers\")`. Use the same file as the gate's policy. " +
					"Conflicts with `allowed_signers_file`.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("allowed_signers_file")),
				},
			},
			"allowed_signers_file": schema.StringAttribute{
				MarkdownDescription: "The path of an OpenSSH `allowed_signers` file, read when the provider is " +
					"configured; a relative path is relative to the directory Terraform runs in. " +
					"Conflicts with `allowed_signers`.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
				},
			},
		},
	}
}

func (p *planguardProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{now: p.now}
	if known(cfg.Scope) {
		data.scope = cfg.Scope.ValueString()
	}
	switch {
	case known(cfg.AllowedSigners):
		content := cfg.AllowedSigners.ValueString()
		signers, err := trust.ParseAllowedSigners([]byte(content), "allowed_signers", trust.ParseOptions{})
		if err != nil {
			detail := err.Error()
			if looksLikePath(content) {
				detail += fmt.Sprintf("\n\nThe value %q looks like a file path. allowed_signers takes the file's content: "+
					"write allowed_signers = file(%q), or allowed_signers_file = %q.", content, content, content)
			}
			resp.Diagnostics.AddAttributeError(path.Root("allowed_signers"), "Invalid allowed_signers", detail)
			return
		}
		data.trust = signers
	case known(cfg.AllowedSignersFile):
		name := cfg.AllowedSignersFile.ValueString()
		raw, err := os.ReadFile(name)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("allowed_signers_file"), "Cannot read allowed_signers_file",
				fmt.Sprintf("read allowed_signers file: %v", err))
			return
		}
		signers, err := trust.ParseAllowedSigners(raw, name, trust.ParseOptions{})
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("allowed_signers_file"), "Invalid allowed_signers_file", err.Error())
			return
		}
		data.trust = signers
	}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *planguardProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newApprovalResource}
}

func (p *planguardProvider) DataSources(context.Context) []func() datasource.DataSource {
	return nil
}

// known reports whether v is neither null nor unknown.
func known(v types.String) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// looksLikePath reports whether s, given as allowed_signers content, is more
// likely a file name: one line without white space.
func looksLikePath(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.ContainsAny(s, " \t\n")
}
