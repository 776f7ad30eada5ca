package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// The arguments planguard apply passes to 'terraform apply' after "--".
//
// Terraform treats its last positional argument as the saved plan, and a
// flag that takes a value in the separate form ("-backup PATH") takes the
// next argument, whatever it is: "-backup" before the pinned plan's path
// turns the path into the backup path, and Terraform, given no plan, plans
// afresh from the working directory and applies that. Other flags change
// what is planned or which state is written. So only flags that cannot
// change what is applied are passed, each as one argument in exactly one
// spelling (-flag or -flag=value); everything else is refused before
// Terraform runs. The same list applies to TF_CLI_ARGS and
// TF_CLI_ARGS_apply, which Terraform adds to the command line.

// applyArg is one allowed argument form.
type applyArg struct {
	name  string         // without the leading "-"
	value *regexp.Regexp // nil: the flag takes no value
	about string         // the allowed form, for messages
}

// applyArgs is the allowlist. Values are bounded: a value flag cannot
// carry a path or another flag.
var applyArgs = []applyArg{
	{name: "no-color", about: "-no-color"},
	{name: "compact-warnings", about: "-compact-warnings"},
	{name: "json", about: "-json"},
	{name: "parallelism", value: regexp.MustCompile(`^[1-9][0-9]{0,3}$`), about: "-parallelism=N (1 to 9999)"},
	{name: "lock", value: regexp.MustCompile(`^true$`), about: "-lock=true"},
	{name: "lock-timeout", value: regexp.MustCompile(`^([0-9]{1,6}(ms|s|m|h)){1,4}$`), about: "-lock-timeout=DURATION (e.g. 30s, 5m, 1m30s)"},
	{name: "input", value: regexp.MustCompile(`^false$`), about: "-input=false"},
}

// refusedWhy explains why well-known flags are refused; any other flag is
// refused as not on the list.
var refusedWhy = map[string]string{
	"auto-approve": "it only matters when Terraform makes a new plan, and planguard applies only the pinned plan (a saved plan needs no approval prompt)",
	"backup":       "it names a state file path; in the separate form (-backup PATH) it takes the pinned plan's path as its value, and Terraform then plans afresh and applies an unchecked plan",
	"state":        "it chooses which state file is read and written, so the pinned plan could be applied against another state",
	"state-out":    "it chooses where the resulting state is written",
	"destroy":      "it is a planning option: it asks for a different plan than the one checked",
	"refresh-only": "it is a planning option: it asks for a different plan than the one checked",
	"refresh":      "it is a planning option: it asks for a different plan than the one checked",
	"replace":      "it is a planning option: it asks for a different plan than the one checked",
	"target":       "it is a planning option: it asks for a different plan than the one checked",
	"exclude":      "it is a planning option: it asks for a different plan than the one checked",
	"var":          "it sets input variables, which belong to the plan that was checked, not to the apply",
	"var-file":     "it sets input variables, which belong to the plan that was checked, not to the apply",
	"chdir":        "it is a global option that changes the working directory (and configuration) Terraform reads",
	"show-sensitive": "it prints sensitive values in the apply's log, where a pipeline's readers and the change's author " +
		"can see them; it does not change what is applied, but planguard does not pass it",
	"input": "only -input=false is passed: an apply in CI must not prompt",
	"lock": "only -lock=true is passed: without the state lock, two applies can run at once and the last to write the " +
		"state drops what the other recorded, so an object can leave the state (and protection) that no checked plan forgot",
	"deprecation": "planguard passes only the flags on its list",
}

// validateApplyArgs checks the arguments after "--" of planguard apply, and
// the words of TF_CLI_ARGS and TF_CLI_ARGS_apply: each must be one allowed
// flag in its allowed form. The error names the first refused argument and
// why.
func validateApplyArgs(args []string, source string) error {
	for _, arg := range args {
		if why := refuseApplyArg(arg); why != "" {
			return withHint(fmt.Errorf("%s %q is refused before terraform runs: %s", source, arg, why),
				"planguard apply passes to terraform only flags that cannot change what is applied, each as one argument: "+allowedApplyArgs())
		}
	}
	return nil
}

// refuseApplyArg returns why arg is refused, or "" when it is allowed.
func refuseApplyArg(arg string) string {
	if !strings.HasPrefix(arg, "-") || arg == "-" {
		return "it is not a flag: planguard applies only the pinned saved plan, so no file or other argument may follow"
	}
	if arg == "--" {
		return "a second \"--\" would end terraform's flags and make what follows a plan file or argument"
	}
	if strings.HasPrefix(arg, "--") {
		return "write the flag with one dash (-" + strings.TrimLeft(arg, "-") + "), exactly as the list spells it"
	}
	name, value, hasValue := strings.Cut(arg[1:], "=")
	for _, a := range applyArgs {
		if a.name != name {
			continue
		}
		switch {
		case a.value == nil && !hasValue:
			return ""
		case a.value == nil:
			return fmt.Sprintf("-%s takes no value: write %s", name, a.about)
		case !hasValue:
			return fmt.Sprintf("-%s needs its value in the same argument: write %s (a value in the next argument could take the plan file's place)", name, a.about)
		case a.value.MatchString(value):
			return ""
		}
		if why, ok := refusedWhy[name]; ok {
			return why
		}
		return fmt.Sprintf("the value %q is not allowed: write %s", value, a.about)
	}
	if why, ok := refusedWhy[name]; ok {
		return why
	}
	return "it is not on the list of flags that cannot change what is applied"
}

// allowedApplyArgs lists the allowed forms, for messages and --help.
func allowedApplyArgs() string {
	forms := make([]string, len(applyArgs))
	for i, a := range applyArgs {
		forms[i] = a.about
	}
	return strings.Join(forms, ", ")
}

// envApplyArgs returns the words of the environment variables Terraform
// adds to 'terraform apply' (TF_CLI_ARGS, TF_CLI_ARGS_apply), refusing a
// value with anything but flag characters and white space: Terraform splits
// them with shell quoting rules, which planguard does not reimplement.
func envApplyArgs(getenv func(string) string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, name := range []string{"TF_CLI_ARGS", "TF_CLI_ARGS_apply"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		if i := strings.IndexFunc(v, func(r rune) bool {
			return !(r == ' ' || r == '\t' || r == '\n' || r == '-' || r == '=' || r == '.' || r == '_' || r == ':' ||
				r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}); i >= 0 {
			return nil, withHint(fmt.Errorf("$%s holds %q, which planguard cannot split as terraform would; terraform adds it to the apply's arguments", name, v[i:i+1]),
				"unset it in the apply job, or pass the flags after -- instead: "+allowedApplyArgs())
		}
		out[name] = strings.Fields(v)
	}
	return out, nil
}

// checkApplyArgs validates the extra arguments and the environment's.
func checkApplyArgs(extra []string, getenv func(string) string) error {
	if err := validateApplyArgs(extra, "terraform apply argument"); err != nil {
		return err
	}
	env, err := envApplyArgs(getenv)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(env))
	for n := range env {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := validateApplyArgs(env[n], "$"+n+" word"); err != nil {
			return err
		}
	}
	return nil
}

// applyCommand is the command line planguard runs: the checked flags, then
// "--" and the pinned plan, so that even a flag that took a value could
// take only "--", never the plan's path.
func applyCommand(extra []string, pinned string) []string {
	args := append([]string{"apply", "-input=false"}, extra...)
	return append(args, "--", pinned)
}
