package shell

import "testing"

// Found by an independent attacker's review (r-redteam). Each command below
// was allowed by Analyze and, run by bash 5.2 in a Terraform working
// directory with a terraform_data resource in local state, destroyed it
// (or overwrote another backend's state, or wrote a protected file).
// They must be refused.

// A shell reading a script from a descriptor other than 0 (/dev/fd/3), fed
// by an earlier `exec 3<<<…` or by an enclosing statement's redirection:
// stdinPath took every /dev/fd/N for the shell's own standard input, which
// nothing fed, so the shell counted as interactive.
func TestRedteamShellReadsScriptFromOtherDescriptor(t *testing.T) {
	for _, cmd := range []string{
		"exec 3<<<'terraform destroy -auto-approve'; bash /dev/fd/3",
		"{ bash /dev/fd/3; } 3<<<'terraform destroy -auto-approve'",
		"exec 3<<<'terraform destroy -auto-approve'; bash /proc/self/fd/3",
		"exec 4< <(echo 'terraform destroy -auto-approve'); sh /dev/fd/4",
	} {
		wantRefused(t, cmd)
	}
}

// `exec` with a redirection of standard input feeds every later command of
// the line: a bare shell or interpreter then runs the here-string, and
// `terraform init` answers yes to the state migration prompt.
func TestRedteamExecRedirectsStdinForLaterCommands(t *testing.T) {
	for _, cmd := range []string{
		"exec <<<'terraform destroy -auto-approve'; bash",
		"exec 0<<<'terraform destroy -auto-approve'; bash",
		"exec <<<'terraform destroy -auto-approve'; bash -s",
		"exec <<<'import os; os.system(\"terraform destroy -auto-approve\")'; python3",
		"exec <<<yes; terraform init",
		"exec < answers.txt; terraform init",
	} {
		wantRefused(t, cmd)
	}
}

// A coprocess's standard input is a pipe the line writes to with >&${COPROC[1]}.
func TestRedteamCoprocShellReadsFromTheLine(t *testing.T) {
	for _, cmd := range []string{
		`coproc bash; echo 'terraform destroy -auto-approve' >&"${COPROC[1]}"; wait`,
		`coproc X { bash; }; echo 'terraform destroy -auto-approve' >&"${X[1]}"; wait`,
		"coproc terraform init",
	} {
		wantRefused(t, cmd)
	}
}

// Default-value expansions of variables the line does not set: bash runs
// the defaults, which the line spells out.
func TestRedteamDefaultValueExpansionNamesProgram(t *testing.T) {
	for _, cmd := range []string{
		"${x:-terraform} ${y:-destroy} -auto-approve",
		"${x-terraform} ${y-destroy} -auto-approve",
		`"${x:-terraform}" "${y:-destroy}" -auto-approve`,
		"${x:=terraform} ${y:=destroy} -auto-approve",
	} {
		wantRefused(t, cmd)
	}
}

// Arithmetic over text holding a command substitution in an array
// subscript runs it: the text reaches a variable through read or a
// default value, or stands in [[ … ]] (not a call the hook checks).
func TestRedteamArithmeticEvaluatesSubscriptSubstitution(t *testing.T) {
	for _, cmd := range []string{
		"read x <<<'a[$(terraform destroy -auto-approve)]'; (( x ))",
		"read x <<<'a[$(terraform destroy -auto-approve)]'; echo $((x))",
		"read x <<<'a[$(terraform destroy -auto-approve)]'; a[x]=1",
		"x=$(printf 'a[%s(terraform destroy -auto-approve)]' '$'); (( x ))",
		"x=${y:-'a[$(terraform destroy -auto-approve)]'}; (( x ))",
		"[[ 'a[$(terraform destroy -auto-approve)]' -eq 0 ]]",
		"[[ -v 'a[$(terraform destroy -auto-approve)]' ]]",
	} {
		wantRefused(t, cmd)
	}
}

// TF_CLI_ARGS_init set by a ${NAME:=VALUE} expansion or through a nameref
// (and exported) adds -force-copy to `terraform init`, which copies the
// working directory's state over the new backend's.
func TestRedteamTFCLIArgsSetByExpansionOrNameref(t *testing.T) {
	for _, cmd := range []string{
		": ${TF_CLI_ARGS_init:=-force-copy}; export TF_CLI_ARGS_init; terraform init",
		": ${TF_CLI_ARGS_init=-force-copy}; export TF_CLI_ARGS_init; terraform init",
		"declare -n r=TF_CLI_ARGS_init; export r=-force-copy; terraform init",
		"declare -n r=TF_CLI_ARGS_init; r=-force-copy; export TF_CLI_ARGS_init; terraform init",
	} {
		wantRefused(t, cmd)
	}
}

// Writers the table does not list: awk's print > FILE, sort -o FILE.
func TestRedteamProtectedFileWrittenByAwkOrSort(t *testing.T) {
	for _, cmd := range []string{
		`awk 'BEGIN{print "{}" > ".claude/settings.json"}'`,
		`awk 'BEGIN{print "x" > "/work/planguard.hcl"}'`,
		"sort -o ../allowed_signers evil",
		"sort -o/work/planguard.hcl evil",
	} {
		wantRefused(t, cmd)
	}
}

func wantRefused(t *testing.T, cmd string) {
	t.Helper()
	if r := Analyze(cmd, testOpts); r.Allowed() {
		t.Errorf("allowed, want refused: %s", cmd)
	}
}

func TestRedteamDefaultValueExpansionNamesSubcommand(t *testing.T) {
	wantRefused(t, "$TF ${y:-destroy} -auto-approve")
}

// Code handed inline through a file argument the hook took for a script
// file: a process substitution, a descriptor an earlier `exec 3<<<…` fed, or
// standard input (awk -f /dev/stdin, sed -f -, make -f -). Each destroyed the
// terraform_data resource when bash ran it.
func TestRedteamInlineCodeThroughFileArguments(t *testing.T) {
	for _, cmd := range []string{
		"bash --rcfile <(echo 'terraform destroy -auto-approve') -i",
		"bash --init-file <(echo 'terraform destroy -auto-approve') -i",
		"BASH_ENV=<(echo 'terraform destroy -auto-approve') bash -c true",
		"exec 3<<<'terraform destroy -auto-approve'; BASH_ENV=/dev/fd/3 bash -c true",
		`awk -f /dev/stdin <<<'BEGIN{system("terraform destroy -auto-approve")}'`,
		`awk -f - <<<'BEGIN{system("terraform destroy -auto-approve")}'`,
		`awk -f <(echo 'BEGIN{system("terraform destroy -auto-approve")}')`,
		"sed -f /dev/stdin main.tf <<<'1e terraform destroy -auto-approve'",
		`exec 3<<<'import os; os.system("terraform destroy -auto-approve")'; python3 /dev/fd/3`,
		`python3 <(echo 'import os; os.system("terraform destroy -auto-approve")')`,
		`exec 3<<<'require("child_process").execSync("terraform destroy -auto-approve")'; node /dev/fd/3`,
		"make -f - <<<$'x:\\n\\tterraform destroy -auto-approve'",
		"make -f <(printf 'x:\\n\\tterraform destroy -auto-approve\\n')",
	} {
		wantRefused(t, cmd)
	}
}

// The arithmetic refusal keeps loops over values the line spells out.
func TestRedteamArithmeticOverStaticLoopAllowed(t *testing.T) {
	for _, cmd := range []string{
		"for i in 1 2 3; do echo $((i+1)); done",
		"for i in 1 2 3; do (( i > 1 )) && echo $i; done",
		"[[ 3 -eq 3 ]] && echo ok",
	} {
		if r := Analyze(cmd, testOpts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s: %v", cmd, r.Refused)
		}
	}
}

// The same arithmetic, beside a gated saved-plan apply: the hook ran the
// gate on tfplan (no changes: allowed), then bash copied a destroy plan the
// gate blocks over tfplan and applied it.
func TestRedteamArithmeticSwapsTheCheckedPlan(t *testing.T) {
	wantRefused(t, "[[ 'a[$(cp evil.tfplan tfplan)]' -eq 0 ]] && terraform apply -auto-approve tfplan")
}

// terraform writes its -out file wherever it is told: a saved plan (a zip)
// over the agent's hook settings makes them unreadable, over the policy or
// allowed_signers replaces them. Verified: `terraform plan
// -out=.claude/settings.json` left a zip archive there.
func TestRedteamTerraformOutWritesProtectedFile(t *testing.T) {
	for _, cmd := range []string{
		"terraform plan -out=.claude/settings.json",
		"terraform plan -out .claude/settings.json",
		"terraform plan -out=/work/planguard.hcl",
		"terraform -chdir=/work plan -out=allowed_signers",
		"terraform -chdir=.. plan -out=allowed_signers",
		"terraform plan -generate-config-out=/work/infra/.claude/settings.json",
	} {
		wantRefused(t, cmd)
	}
}

// A shell in an output process substitution reads what the line writes to
// it; a shell whose stdin is redirected from another descriptor reads what
// an earlier `exec 3<<<…` put there. Both destroyed the resource.
func TestRedteamShellReadsOutputProcessSubstitutionOrDescriptor(t *testing.T) {
	for _, cmd := range []string{
		"echo 'terraform destroy -auto-approve' > >(bash); sleep 8",
		"printf '%s\\n' 'terraform destroy -auto-approve' > >(sh)",
		"echo yes > >(terraform init)",
		"exec 3<<<'terraform destroy -auto-approve'; bash < /dev/fd/3",
		"exec 3<<<'terraform destroy -auto-approve'; sh -s 0</proc/self/fd/3",
	} {
		wantRefused(t, cmd)
	}
}

// More arithmetic over a value the line reads: integer variables, let, and
// subscripts in names that test -v, [[ -v ]] and printf -v evaluate. Each
// destroyed the resource under bash 5.2.
func TestRedteamArithmeticThroughNamesAndIntegerVariables(t *testing.T) {
	for _, cmd := range []string{
		"declare -i n; read v <<<'a[$(terraform destroy -auto-approve)]'; n=v",
		"read x <<<'b[$(terraform destroy -auto-approve)]'; let x",
		"read x <<<'b[$(terraform destroy -auto-approve)]'; test -v 'a[x]'",
		"read x <<<'b[$(terraform destroy -auto-approve)]'; [[ -v a[x] ]]",
		"read x <<<'b[$(terraform destroy -auto-approve)]'; printf -v 'a[x]' %s 1",
	} {
		wantRefused(t, cmd)
	}
}

// A nameref: $r is the value of the variable r names, not r's own text.
func TestRedteamNamerefNamesProgram(t *testing.T) {
	for _, cmd := range []string{
		"c=terraform; declare -n r=c; $r destroy -auto-approve",
		"c=terraform; local -n r=c; $r destroy -auto-approve",
		"c=terraform; typeset -n r=c; \"$r\" destroy -auto-approve",
	} {
		wantRefused(t, cmd)
	}
}

// A glob that names a wrapper (env) in front of terraform: only the
// subcommands in refusedWords were looked for, so init -force-copy and
// test passed. Verified: `/usr/bin/en? terraform init -force-copy` copied
// the working directory's state over the new backend's. (FuzzAnalyze found
// the inconsistency: `env *0 terrAform 000` was refused, `*0 terrAform 000`
// allowed.)
func TestRedteamGlobWrapperRunsTerraform(t *testing.T) {
	for _, cmd := range []string{
		"/usr/bin/en? terraform init -force-copy",
		"/usr/bin/en? terraform init -migrate-state",
		"/usr/bin/en* terraform test",
		"/usr/*/env terraform frobnicate",
		"$WRAP tofu init -force-copy",
	} {
		wantRefused(t, cmd)
	}
}

// Found by a fresh attacker review of the hook (r17hook). Each command
// below is allowed by Analyze today and, run by bash 5.2 in a Terraform
// working directory holding a terraform_data resource in local state
// (terraform 1.8.5), destroyed it or overwrote a protected file, unless
// the comment says otherwise. They must be refused.

// git subcommands whose own options or operands are commands: the git judge
// reads -c, --config-env and `git config` only, and git is a reader, so the
// generic rule (a Terraform-family program among the arguments) is skipped
// too. Verified destroying: grep -O, rebase -x, bisect run, difftool -x,
// ls-remote --upload-pack, filter-branch --tree-filter.
func TestR17hookGitSubcommandRunsCommand(t *testing.T) {
	for _, cmd := range []string{
		"git grep -O'terraform destroy -auto-approve;:' prod_db",
		"git grep --open-files-in-pager='terraform destroy -auto-approve;:' prod_db",
		"git rebase -x 'terraform destroy -auto-approve' HEAD~1",
		"git rebase --exec='terraform destroy -auto-approve' HEAD~1",
		"git bisect start HEAD HEAD~1 && git bisect run terraform destroy -auto-approve",
		"git bisect run sh -c 'terraform destroy -auto-approve'",
		"git difftool -y --no-index -x 'terraform destroy -auto-approve;:' main.tf notes.md",
		"git difftool -y --extcmd='terraform destroy -auto-approve;:' HEAD",
		"git ls-remote --upload-pack='terraform destroy -auto-approve;:' .",
		"git fetch --upload-pack='terraform destroy -auto-approve;:' .",
		"git clone -u 'terraform destroy -auto-approve;:' . /tmp/c",
		"git push --receive-pack='terraform destroy -auto-approve;:' . HEAD",
		"git archive --remote=. --exec='terraform destroy -auto-approve;:' HEAD",
		"git filter-branch -f --tree-filter 'terraform destroy -auto-approve' HEAD",
		"git submodule foreach 'terraform destroy -auto-approve'",
		"git send-email --to-cmd='terraform destroy -auto-approve' x.patch",
	} {
		wantRefused(t, cmd)
	}
}

// Editors run ex commands given on the command line or on standard input;
// `!cmd` runs cmd through a shell. vim and ed are rows of the table (as
// writers) but what their -c/+ options and stdin script run is not read.
// Verified destroying: all but the last two (same class).
func TestR17hookEditorRunsShellEscape(t *testing.T) {
	for _, cmd := range []string{
		"vim -es -c '!terraform destroy -auto-approve' -c q main.tf",
		"vim -es '+!terraform destroy -auto-approve' '+q'",
		"ex -s -c '!terraform destroy -auto-approve' -c q main.tf",
		"ed -s main.tf <<<'!terraform destroy -auto-approve'",
		"printf '!terraform destroy -auto-approve\\nq\\n' | ed -s main.tf",
		"vi -es -c 'call system(\"terraform destroy -auto-approve\")' -c q",
		"nvim --headless -c '!terraform destroy -auto-approve' -c q",
	} {
		wantRefused(t, cmd)
	}
}

// Wrapper rows whose short options are wrong: a flag read as taking a value
// swallows the next word, `skip` then drops the program, and the walker
// judges `destroy` as the program. taskset -c/-p/-a and flock -o/-u take no
// value; xargs -l and -e take only an attached one. Verified destroying.
func TestR17hookWrapperOptionTableSwallowsProgram(t *testing.T) {
	for _, cmd := range []string{
		"taskset -c 0 terraform destroy -auto-approve",
		"taskset -ac 0 terraform destroy -auto-approve",
		"flock -o /tmp/l terraform destroy -auto-approve",
		"flock -u /tmp/l terraform destroy -auto-approve",
		`echo "'terraform destroy -auto-approve'" | xargs -l sh -c`,
		`echo "'terraform destroy -auto-approve'" | xargs -e sh -c`,
		"echo -auto-approve | xargs -l terraform destroy",
		"echo -auto-approve | xargs -e terraform destroy",
	} {
		wantRefused(t, cmd)
	}
}

// Prompt strings set as a command's prefix assignment (or exported, or by
// env) reach an interactive or tracing shell: evalText judges them only
// on bare assignments, and PROMPT_COMMAND, which is a command line itself,
// only when it holds `$` or a backquote. Verified destroying: the first three.
func TestR17hookPromptVariablesReachChildShell(t *testing.T) {
	for _, cmd := range []string{
		"PROMPT_COMMAND='terraform destroy -auto-approve' bash -i </dev/null",
		"PROMPT_COMMAND='terraform destroy -auto-approve' bash -i <<<'exit'",
		"PS0='$(terraform destroy -auto-approve)' bash -i <<<'true'",
		"PS4='$(terraform destroy -auto-approve)' bash -xc true",
		"env PROMPT_COMMAND='terraform destroy -auto-approve' bash -i </dev/null",
		"export PROMPT_COMMAND='terraform destroy -auto-approve'; bash -i </dev/null",
	} {
		wantRefused(t, cmd)
	}
}

// Protected files named by a computed path or a glob in a writer's
// arguments: the redirection check looks at the last path component of a
// computed word only, cp/install/ln/rsync check a static destination only,
// find -exec and xargs hand the writer paths the hook never sees. Verified:
// each overwrote .claude/settings.json, allowed_signers or the policy.
func TestR17hookProtectedFileThroughComputedPathOrGlob(t *testing.T) {
	for _, cmd := range []string{
		`echo '{}' > "$(echo .claude/settings.json)"`,
		`echo '{}' > $(printf '.claude/settings.%s' json)`,
		`read f <<<.claude/settings.json; echo '{}' > "$f"`,
		`read f <<<.claude/settings.json; cp e.json "$f"`,
		`cp e.json "$(echo .claude/settings.json)"`,
		"cp e.json .claude/s*",
		"cp e.json .cl*/settings.json",
		"cp e.json ../allowed_sign*",
		"cp e.json ../plang*.hcl",
		`cd .claude; cp /tmp/e.json s*`,
		`dd if=e.json of=$(echo .claude/settings.json)`,
		`cat e.json > .claude/$(echo settings.json)`,
		`find .claude -name settings.json -exec cp e.json {} \;`,
		"find . -path ./.claude/settings.json -exec truncate -s0 {} +",
		"echo .claude/settings.json | xargs truncate -s0",
		"echo .claude/settings.json | xargs -I{} cp e.json {}",
		"ls -d .claude/* | xargs rm",
	} {
		wantRefused(t, cmd)
	}
}

// planguard apply's --terraform-bin is refused, but $PLANGUARD_TERRAFORM
// chooses the same binary, and PATH the terraform it finds. Verified:
// `PLANGUARD_TERRAFORM=/abs/tf planguard apply --policy P evil.tfplan`, with
// tf a script that shows a harmless plan and applies `destroy`, destroyed
// the resource (the script is an earlier tool call's file; the spelling is
// the refused flag's).
func TestR17hookPlanguardApplyBinaryFromEnvironment(t *testing.T) {
	for _, cmd := range []string{
		"PLANGUARD_TERRAFORM=/work/infra/tf planguard apply --policy /work/planguard.hcl tfplan",
		"env PLANGUARD_TERRAFORM=./tf planguard apply --policy /work/planguard.hcl tfplan",
		"PATH=.:$PATH planguard apply --policy /work/planguard.hcl tfplan",
	} {
		wantRefused(t, cmd)
	}
}

// A symbolic link to a protected file (or to a directory holding one) made
// in the line, then written through. Verified: the policy and
// .claude/settings.json were overwritten.
func TestR17hookWriteThroughSymlinkMadeInLine(t *testing.T) {
	for _, cmd := range []string{
		"ln -s ../planguard.hcl p && echo x > p",
		"ln -s ../allowed_signers s; cp e.json s",
		"ln -s .claude c; echo '{}' > c/settings.json",
	} {
		wantRefused(t, cmd)
	}
}
