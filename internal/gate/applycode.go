package gate

import (
	"fmt"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// ConfigCode is code of the configuration snapshot that the apply runs
// and the plan JSON does not show (plan.ConfigCode), and its verdict.
type ConfigCode struct {
	plan.ConfigCode
	// ProgramProvider is set when its provider runs programs
	// (policy.RunsPrograms).
	ProgramProvider bool `json:"program_provider,omitempty"`
	// Judged is set when the apply may run it only if the policy allows
	// it; a provider function of a provider that runs no programs, and
	// reads no files, is listed, not judged.
	Judged bool `json:"judged"`
	// Allowed is set when it does not block: not judged, or allowed by
	// the policy.
	Allowed bool `json:"allowed"`
	// Problem, for what blocks, says why and how to allow it.
	Problem string `json:"problem,omitempty"`
}

// Blocked reports whether it blocks the apply.
func (c ConfigCode) Blocked() bool { return !c.Allowed }

// otherRegistry is the same provider on the other default registry:
// registry.terraform.io and registry.opentofu.org, for implied providers.
func otherRegistry(source string) string {
	switch {
	case strings.HasPrefix(source, "registry.terraform.io/"):
		return "registry.opentofu.org/" + strings.TrimPrefix(source, "registry.terraform.io/")
	case strings.HasPrefix(source, "registry.opentofu.org/"):
		return "registry.terraform.io/" + strings.TrimPrefix(source, "registry.opentofu.org/")
	}
	return source
}

// runsPrograms is policy.RunsPrograms of the provider of c, on either
// default registry when its source is implied.
func runsPrograms(in Input, c plan.ConfigCode) bool {
	return in.Policy.RunsPrograms(c.Provider) || c.Implied && in.Policy.RunsPrograms(otherRegistry(c.Provider))
}

// judgeConfigCode fills r.ConfigCode.
func judgeConfigCode(in Input, r *Report) {
	for _, pc := range in.Plan.ConfigCode {
		c := ConfigCode{ConfigCode: pc, Judged: true}
		where := fmt.Sprintf("%s:%d", pc.File, pc.Line)
		switch pc.Kind {
		case plan.CodeUnreadable:
			c.Problem = fmt.Sprintf("%s cannot be read for the code the apply runs (%s): planguard cannot tell which files it reads or which programs it runs during the apply; no policy can allow it; plan again with Terraform or OpenTofu from a configuration that parses",
				pc.File, pc.Unreadable)
		case plan.CodeFileRead:
			c.Allowed = in.Policy.AllowsApplyFileRead(pc.Address)
			if !c.Allowed {
				c.Problem = fileReadProblem(pc, where)
			}
		case plan.CodeEphemeral:
			if !runsPrograms(in, pc) {
				continue
			}
			c.ProgramProvider = true
			c.Allowed = in.Policy.AllowsApplyRead(pc.Address)
			if !c.Allowed {
				c.Problem = fmt.Sprintf("ephemeral resource %s (%s) is opened in every plan and apply that needs it, and its provider %s runs the program its configuration names, with the apply's credentials; to allow it, list it in the policy: allow_apply_reads = [%s], or remove it",
					pc.Address, where, pc.Provider, hclString(pc.Address))
			}
		case plan.CodeProviderFunction:
			switch {
			case runsPrograms(in, pc):
				c.ProgramProvider = true
				c.Allowed = in.Policy.AllowsProviderFunction(pc.Address)
				if !c.Allowed {
					c.Problem = fmt.Sprintf("%s calls %s at %s: Terraform evaluates it at plan and again during the apply, and its provider %s runs programs, with the apply's credentials; to allow it, list the block in the policy: allow_provider_functions = [%s], or remove the call",
						pc.Address, pc.Function, where, pc.Provider, hclString(pc.Address))
				}
			case readsHostFiles(in, pc):
				// Evaluated again during the apply, on its host, wherever
				// it is and whatever its arguments (as file()).
				c.Allowed = in.Policy.AllowsApplyFileRead(pc.Address)
				if !c.Allowed {
					c.Problem = fileReadProblem(pc, where)
				}
			default:
				c.Judged, c.Allowed = false, true
			}
		default:
			c.Problem = fmt.Sprintf("%s at %s is code of a kind planguard does not know (%q); no policy can allow it", pc.Address, where, pc.Kind)
		}
		r.ConfigCode = append(r.ConfigCode, c)
	}
}

// readsHostFiles reports whether the functions of c's provider may read
// the files of the host that evaluates them: a provider of the policy's
// host_writers (hashicorp/local's direxists reads the host).
func readsHostFiles(in Input, c plan.ConfigCode) bool {
	return in.Policy.WritesHost(c.Provider) || c.Implied && in.Policy.WritesHost(otherRegistry(c.Provider))
}

func fileReadProblem(pc plan.ConfigCode, where string) string {
	allow := fmt.Sprintf("list the block in the policy: allow_apply_file_reads = [%s]", hclString(pc.Address))
	if pc.InProvider {
		return fmt.Sprintf("provider configuration %s calls %s at %s: a provider block is evaluated again when the provider is configured during the apply, and its path is not a file of the configuration, so this reads a file of the apply's host (with the apply's credentials around: /proc/self/environ is terraform's own environment) and hands it to the provider; read a file of the configuration (a relative path, or path.module/...), give the provider that value another way, or, if reading it there is intended, %s",
			pc.Address, pc.Function, where, allow)
	}
	unknown := ""
	if len(pc.References) > 0 {
		unknown = fmt.Sprintf(" (its arguments may even be unknown until then: %s)", strings.Join(pc.References, ", "))
	}
	return fmt.Sprintf("%s calls %s at %s: Terraform and OpenTofu evaluate the configuration again during the apply%s, whatever the plan read, so this reads a file of the apply's host (/proc/self/environ is terraform's own environment, with the apply's credentials) and puts it where the change's author reads it: the state, an error message (a check block's, a condition's, the \"inconsistent final plan\" error) or a provider's settings, a block that refers to it included (a local value, an output); read a file of the configuration (a relative path, or path.module/..., not a template), or, if reading it during the apply is intended, %s",
		pc.Address, pc.Function, where, unknown, allow)
}

// SnapshotCodeRefused is the error for a saved plan whose configuration
// snapshot reads files of the host that evaluates it, or cannot be read
// for the code it runs, where the policy does not allow it: refused before
// any Terraform command runs on the plan, since `terraform show` and
// `apply` in planguard's room evaluate that configuration with the job's
// credentials and files around (RefuseSnapshotCode).
type SnapshotCodeRefused struct {
	// Problems says, for each, where it is, why it is refused and how to
	// allow or remove it.
	Problems []string
}

func (e *SnapshotCodeRefused) Error() string {
	return fmt.Sprintf("the saved plan's configuration reads files of the host that evaluates it, or cannot be read for the code it runs, and the policy does not allow it: refused before any terraform command ran on the plan (nothing was shown or applied): %s",
		strings.Join(e.Problems, "; "))
}

// RefuseSnapshotCode judges code, what a saved plan's configuration
// snapshot shows of code its apply runs (plan.SnapshotCode), as Decide
// judges its file reads and its unreadable files, and returns a
// *SnapshotCodeRefused naming each that blocks, or nil. Ephemeral blocks
// and provider functions are left to Decide: they run at plan and apply,
// not when Terraform loads or shows the configuration.
func RefuseSnapshotCode(pol *policy.Policy, code []plan.ConfigCode) error {
	var r Report
	judgeConfigCode(Input{Policy: pol, Plan: &plan.Plan{ConfigCode: code}}, &r)
	var problems []string
	for _, c := range r.ConfigCode {
		if c.Blocked() && (c.Kind == plan.CodeFileRead || c.Kind == plan.CodeUnreadable) {
			problems = append(problems, c.Problem)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &SnapshotCodeRefused{Problems: problems}
}
