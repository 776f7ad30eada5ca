package shell

import (
	"testing"
)

// Review hook42 (issue 17, hook round 42): a computed word that is several
// words for a writer (H1) or terraform plan (H2), globs matching `..`
// (H3), git under another name (H4), aliases and functions named like a
// program the hook judges (M1).

var h42Refused = []h32Case{
	// H1
	{cmd: "cp ${x-../e.json ../planguard.hcl}", victim: "policy"},
	{cmd: "cp $(echo ../e.json ../planguard.hcl)", victim: "policy"},
	{cmd: "set -- ../e.json ../planguard.hcl; cp \"$@\"", victim: "policy"},
	{cmd: "a=(../e.json ../planguard.hcl); cp \"${a[@]}\"", victim: "policy"},
	{cmd: "set -- if=../e.json of=terraform.tfstate; dd \"$@\"", victim: "statefile"},
	{cmd: "set -- -o ../planguard.hcl ../e.json; sort \"$@\"", victim: "policy"},
	// H2
	{cmd: "@TF@ plan ${x--out=../planguard.hcl}"},
	{cmd: "@TF@ plan $(echo -out=../allowed_signers)"},
	{cmd: "set -- -out=terraform.tfstate; @TF@ plan \"$@\""},
	// H3
	{cmd: "shopt -u globskipdots"},
	{cmd: "sh -c 'cp ../e.json .?/planguard.hcl'", victim: "policy"},
	{cmd: "cp ../e.json .[.]/planguard.hcl"},
	// H4
	{cmd: "/lib64/ld-linux-x86-64.so.2 --argv0 git-clean /usr/bin/git status -f -d -x .", victim: "statefile"},
	{cmd: "ln -sf /usr/bin/git ROOT/git-clean; ROOT/git-clean -f -d -x ..", victim: "statefile"},
	{cmd: "git-archive --remote=. --exec='terraform destroy' HEAD"},
	// M1
	{cmd: "alias ls='cp ../e.json'"},
	{cmd: "grep() { cp ../e.json \"$@\"; }"},
}

var h42Allowed = []string{
	"cp a.txt b.txt",
	"f=out.txt; cp a.txt \"$f\"",
	"terraform plan -out=tfplan",
	"terraform plan -var \"region=$R\"",
	"ls .*",
	"npx eslint src/*",
	"git status",
	"alias ll='ls -l'",
	"build() { make all; }; build",
}

func TestHook42Refused(t *testing.T) {
	hookRefused(t, h42Refused)
}

func TestHook42Allowed(t *testing.T) {
	hookAllowed(t, h42Allowed)
}

// TestHook42BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook42BashRuns(t *testing.T) {
	hookBashRuns(t, h42Refused, bashRuns{gitRepo: true, line: h37Line})
}
