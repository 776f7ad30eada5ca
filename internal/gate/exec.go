package gate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// ProviderCommand is a setting of a provider configuration that runs a
// command (plan.ProviderCommand) and its verdict: the provider runs it
// whenever it is configured, at plan and at apply, with the apply's
// credentials in its environment.
type ProviderCommand struct {
	plan.ProviderCommand
	// Allowed is set when a provider_exec block of the policy allows
	// exactly this command line.
	Allowed bool `json:"allowed"`
	// Problem, for a command not allowed, says why and how to allow it.
	Problem string `json:"problem,omitempty"`
}

// ApplyRead is a data source read during the apply whose provider runs
// programs (policy.RunsPrograms), and its verdict.
type ApplyRead struct {
	plan.ApplyRead
	// Allowed is set when the policy's allow_apply_reads lists it.
	Allowed bool `json:"allowed"`
	// Problem, for a read not allowed, says why and how to allow it.
	Problem string `json:"problem,omitempty"`
}

// judgeProviderCode fills r.ProviderCommands and r.ApplyReads.
func judgeProviderCode(in Input, r *Report) {
	r.ProviderCommands = append(r.ProviderCommands, JudgeProviderCommands(in.Policy, in.Plan.ProviderCommands)...)
	for _, rd := range in.Plan.ApplyReads {
		if !in.Policy.RunsPrograms(rd.ProviderName) {
			continue
		}
		a := ApplyRead{ApplyRead: rd, Allowed: in.Policy.AllowsApplyRead(rd.Address)}
		if !a.Allowed {
			why := ""
			if rd.ActionReason != "" {
				why = " (" + rd.ActionReason + ")"
			}
			a.Problem = fmt.Sprintf("data source %s is read during the apply%s, and its provider %s runs the program its configuration names, with the apply's credentials; to allow it, list it in the policy: allow_apply_reads = [%s], or make its configuration known at plan time so that the plan reads it",
				rd.Address, why, rd.ProviderName, hclString(rd.Address))
		}
		r.ApplyReads = append(r.ApplyReads, a)
	}
}

// JudgeProviderCommands judges each provider command setting under the
// policy's provider_exec blocks: allowed only when it is constant and a
// block allows exactly its source and command line. The gate judges a
// plan's with it; planguard runner judges, before init, those it reads from
// the configuration it was sent, which init and plan would run.
func JudgeProviderCommands(pol *policy.Policy, cmds []plan.ProviderCommand) []ProviderCommand {
	var out []ProviderCommand
	for _, pc := range cmds {
		c := ProviderCommand{ProviderCommand: pc}
		what, runs := "runs a command", "runs"
		if last := lastSetting(pc.Setting); !plan.CommandArgument(last) && plan.FileArgument(last) {
			what = "names a file, directory or profile that can make the provider run a command"
			runs = "names a file, directory or profile that can make the provider run a command:"
		}
		switch {
		case !pc.Constant && pc.Source == "":
			c.Problem = fmt.Sprintf("provider configuration %s may run a command (%s) whenever the provider is configured, at apply with the apply's credentials, and planguard cannot read it (%s): no policy can allow it; write the provider block without dynamic blocks, its command, args and env as literal values, and allow them with a provider_exec block",
				pc.Name, pc.Setting, strings.Join(pc.Unreadable, "; "))
		case pc.Source == "":
			c.Problem = fmt.Sprintf("provider configuration %s %s (%s), and the plan does not name its provider source, so no policy can allow it", pc.Name, what, pc.Setting)
		case !pc.Constant:
			c.Problem = fmt.Sprintf("provider configuration %s (%s) %s (%s) whenever the provider is configured, at apply with the apply's credentials, and the configuration does not write it as constants (%s): no policy can allow it; write the command, its args and env as literal values and allow them with a provider_exec block, or remove the setting",
				pc.Name, pc.Source, what, pc.Setting, strings.Join(pc.Unreadable, "; "))
		case pol.AllowingExec(pc.Source, pc.Command, pc.Args, pc.Env) != nil:
			c.Allowed = true
		default:
			c.Problem = fmt.Sprintf("provider configuration %s (%s) %s `%s` (%s) whenever the provider is configured, at apply with the apply's credentials, and no provider_exec block of the policy allows it; to allow exactly this command, add a provider_exec block to the policy with %s, one per line",
				pc.Name, pc.Source, runs, pc.CommandLine(), pc.Setting, ExecSettings(pc))
		}
		out = append(out, c)
	}
	return out
}

// lastSetting is the argument name at the end of a setting path
// (kubernetes.exec[1] → exec).
func lastSetting(setting string) string {
	if i := strings.LastIndex(setting, "."); i >= 0 {
		setting = setting[i+1:]
	}
	if i := strings.Index(setting, "["); i >= 0 {
		setting = setting[:i]
	}
	return setting
}

// BlockedByProviderCode reports whether the report blocks because of a
// provider command, a data source read during the apply, a
// terraform_remote_state data source, or code of the configuration
// snapshot (ConfigCode).
func (r *Report) BlockedByProviderCode() bool {
	if r.BlockedByRemoteState() {
		return true
	}
	for _, c := range r.ProviderCommands {
		if !c.Allowed {
			return true
		}
	}
	for _, a := range r.ApplyReads {
		if !a.Allowed {
			return true
		}
	}
	for _, c := range r.ConfigCode {
		if !c.Allowed {
			return true
		}
	}
	return false
}

// ExecSettings are the settings of the provider_exec block that allows
// exactly the constant command of pc, comma-separated.
func ExecSettings(pc plan.ProviderCommand) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider = %s, command = %s", hclString(pc.Source), hclString(pc.Command))
	if len(pc.Args) > 0 {
		args := make([]string, len(pc.Args))
		for i, a := range pc.Args {
			args[i] = hclString(a)
		}
		fmt.Fprintf(&b, ", args = [%s]", strings.Join(args, ", "))
	}
	if len(pc.Env) > 0 {
		keys := make([]string, 0, len(pc.Env))
		for k := range pc.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		env := make([]string, len(keys))
		for i, k := range keys {
			env[i] = hclString(k) + " = " + hclString(pc.Env[k])
		}
		fmt.Fprintf(&b, ", env = { %s }", strings.Join(env, ", "))
	}
	return b.String()
}

// hclString quotes s as an HCL string literal: no template sequences.
func hclString(s string) string {
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(strconv.Quote(s))
}

// Blocked reports whether the command blocks the apply.
func (c ProviderCommand) Blocked() bool { return !c.Allowed }

// Blocked reports whether the read blocks the apply.
func (a ApplyRead) Blocked() bool { return !a.Allowed }
