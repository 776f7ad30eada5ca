package shell

import "testing"

// Siblings of the second review's findings, found while fixing them; each
// verified with bash 5.2 (a `terraform` on PATH recorded what it ran).
func TestR17hook4Siblings(t *testing.T) {
	for _, cmd := range []string{
		// keyword mode: NAME=VALUE anywhere among a command's arguments
		// goes to its environment, as a prefix assignment does.
		"set -k; terraform init TF_CLI_ARGS_init=-force-copy",
		"set -ek; terraform init TF_CLI_ARGS_init=-force-copy",
		"set -o keyword; terraform init TF_CLI_ARGS_init=-force-copy",
		"set -o \"$o\"",
		"set $opts",
		"bash -k -c 'terraform init TF_CLI_ARGS_init=-force-copy'",
		"bash -o keyword -c 'terraform init TF_CLI_ARGS_init=-force-copy'",
		"env SHELLOPTS=keyword bash -c 'terraform init TF_CLI_ARGS_init=-force-copy'",
		"SHELLOPTS=keyword bash -c 'terraform init TF_CLI_ARGS_init=-force-copy'",
		// a function imported from the environment shadows echo, mktemp…
		"env 'BASH_FUNC_echo%%=() { printf \"terraform destroy\"; }' bash -c 'echo ls | bash'",
		"env BASH_FUNC_x%%='() { :; }' bash -c true",
		// an unknown wrapper that sets the environment of terraform
		"systemd-run --setenv=TF_CLI_ARGS_init=-force-copy terraform init",
		"systemd-run -E TF_CLI_ARGS_init=-force-copy terraform init",
		// a computed IFS splits unquoted expansions where the hook did not
		"IFS=$(printf _); x=terraform_destroy_-auto-approve; $x",
		"read IFS < f; x=terraform_destroy_-auto-approve; $x",
		"printf -v IFS _; x=terraform_destroy_-auto-approve; $x",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"set -euo pipefail; terraform plan",
		"set -x; terraform validate",
		"set -- a b; echo \"$@\"",
		"set -- $x",
		"set +k",
		"bash -e -c 'terraform plan'",
		"bash -o pipefail -c 'terraform plan'",
		"while IFS= read -r line; do echo \"$line\"; done < f",
		"IFS=, read -ra parts <<< \"a,b\"",
		"IFS=$'\\n'; for f in $(ls); do echo \"$f\"; done",
		"systemd-run --user --setenv=TF_LOG=debug terraform plan",
	} {
		if r := Analyze(cmd, testOpts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}
