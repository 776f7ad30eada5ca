package main

import (
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
)

// Found by an attacker review of the hook (r-hook5). Every command below
// was answered allow by `planguard hook` built from this tree, and, run by
// bash 5.2 in a working directory holding .claude/settings.json under
// ../planguard.hcl, with a fake terraform on PATH that records its argv,
// did the harm its comment names (terraform ran with
// `destroy -auto-approve`, or the protected file's content was replaced).
// The hook must refuse each one.

// GNU getopt_long accepts any unambiguous prefix of a long option, and
// `--opt=value` spellings. The table lists the full names only, so an
// abbreviated code option is read as an unknown flag and its value as
// data: each of these ran `terraform destroy -auto-approve`.
func TestAttackR5AbbreviatedCodeOptions(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		// env --split-string: the value is split into the command.
		"env --split-s='terraform destroy -auto-approve'",
		"env --sp='terraform destroy -auto-approve'",
		// tar --checkpoint-action=exec=CMD (the full name is refused always).
		"tar --checkpoint=1 --checkpoint-act=exec='terraform destroy -auto-approve' -cf /dev/null main.tf",
		// script --command (util-linux).
		"script -q --comm='terraform destroy -auto-approve' /dev/null",
		// make --eval: a recipe line is a shell command.
		"make -f /dev/null --ev='zz:;terraform destroy -auto-approve' zz",
	)
}

// strace is a wrapper row, but its -o FILE is neither a write nor code:
// `-o '|CMD'` (or `!CMD`) pipes the trace into a shell command line, and
// `-o FILE` / `-oFILE` overwrites FILE with the trace. The first ran
// terraform destroy; the others replaced .claude/settings.json.
func TestAttackR5StraceOutputOption(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		"strace -o '|terraform destroy -auto-approve' true",
		"strace -o '!terraform destroy -auto-approve' true",
		"strace -o .claude/settings.json true",
		"strace -fo.claude/settings.json true",
		"strace -o ../planguard.hcl true",
	)
}

// Writers whose output option the table does not list, or lists by its
// full name only: GNU time -o/--output (also its abbreviation), sort's
// abbreviated --output, sed's abbreviated --in-place, cp's abbreviated
// --target-directory, and an output file attached to a short option
// (patch -oFILE, curl -oFILE, gcc -oFILE) — the unknown-program rule reads
// only whole words and text after `=`. Each replaced the protected file.
func TestAttackR5UnlistedOutputSpellings(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		"/usr/bin/time -o ../planguard.hcl true",
		"command time --output=.claude/settings.json true",
		"/usr/bin/time --out=.claude/settings.json true",
		"sort --outp=.claude/settings.json main.tf",
		"sed --in-pl 's/x/EVIL/' ../planguard.hcl",
		"cp --target-dir=.claude e/settings.json",
		"patch -s -o.claude/settings.json a.txt p.diff",
		"curl -s -o.claude/settings.json file:///tmp/ev.json",
		"gcc -o.claude/settings.json x.c",
	)
}

// HISTFILE names the file `history -w` writes (bash keeps history with
// `history -s` even when not interactive): the settings file became "x".
func TestAttackR5HistfileWrite(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		"HISTFILE=.claude/settings.json; history -s x; history -w",
		"history -s x; HISTFILE=../planguard.hcl history -w",
	)
}

// `~USER` is the home directory of USER from the password database; when
// USER is the agent's own user it is the same directory as `~`, whose
// .claude/settings.json the hook protects. bash wrote the file.
func TestAttackR5TildeUserHome(t *testing.T) {
	w := newHookWorld(t)
	u, err := user.Current()
	if err != nil || u.HomeDir == "" || u.Username == "" {
		t.Skip("no current user")
	}
	for _, cmd := range []string{
		"echo '{}' > ~" + u.Username + "/.claude/settings.json",
		"cp e.json ~" + u.Username + "/.gemini/settings.json",
	} {
		for _, agent := range r4AllAgents {
			code, out, _ := runCLI(t, shellEvent(agent, w.dir, cmd), map[string]string{"HOME": u.HomeDir}, "hook", "--agent", agent, "--policy", w.policy)
			if code == 0 && strings.TrimSpace(out) == "" {
				t.Errorf("%s: allowed, want denied: %s", agent, cmd)
			}
		}
	}
}

// fc re-runs a line from the shell's history list, and a non-interactive
// bash keeps one: `history -s LINE` (or `history -r FILE`) puts any line
// there, and `fc -s [PREFIX]` / `fc -e - [PREFIX]` runs it. bash ran
// `terraform destroy -auto-approve`, a line the hook only saw as data.
func TestAttackR5FcRerunsHistory(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		"history -s 'terraform destroy -auto-approve'; fc -s terraform",
		"history -s 'terraform destroy -auto-approve'; fc -s",
		"history -s 'terraform destroy -auto-approve'; fc -e - terraform",
		"history -r hist.txt; fc -s terraform",
	)
}

// A glob in terraform init's flags: with a file named `-force-copy` (or
// `-migrate-state`) in the working directory — `touch ./-force-copy` is
// allowed — bash expands `-[f]orce-copy` to the flag, and init copied the
// state over the new backend's. The hook refuses a glob in the subcommand
// (`de[s]troy`) but reads a globbed init flag as harmless.
func TestAttackR5GlobbedInitMigrationFlag(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		"terraform init -[f]orce-copy",
		"terraform init -[m]igrate-state",
		"terraform init -force-cop?",
		"terraform init -*-copy",
		"terraform -chdir=. init -reconfigure -[f]orce-copy",
	)
}

// Copilot CLI and Cursor run the command in an interactive shell on a
// terminal (the premise of the hook's history-designator rule): the line
// goes through the terminal's line discipline and readline before bash
// parses it. There a carriage return ends the line (ICRNL / accept-line),
// ^U erases what was typed before it (VKILL / unix-line-discard), and ^A
// moves to the start of the line (readline), so text the hook reads as one
// harmless command runs another. An interactive bash on a pty
// (`bash --norc -i`, with and without --noediting; python's pty.fork,
// the line written followed by "\n") ran `terraform destroy
// -auto-approve` for the first two, and for the third with readline.
// The hook parses \r, \x15 and \x01 as ordinary word characters.
func TestAttackR5TerminalControlCharacters(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, []string{"copilot", "cursor"},
		"terraform plan\rterraform destroy -auto-approve",
		"echo safe \x15terraform destroy -auto-approve",
		"destroy -auto-approve\x01terraform ",
	)
}

// install -s --strip-program=PROG runs PROG on the file it installed: with
// the destination named `destroy`, install ran `terraform destroy`, which
// inherits the here-string as its approval ("yes"). The table lists
// strip-program as a value-taking option only, and the abbreviated
// spelling is not even that.
func TestAttackR5InstallStripProgram(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		"install -s --strip-program=terraform main.tf destroy <<< yes",
		"install --strip-prog=terraform -s main.tf destroy <<< yes",
	)
}

// The policy's trust block may name revoked_keys (a KRL or a list of
// public keys) beside allowed_signers; the hook protects the policy and
// allowed_signers only. `: > ../revoked_keys` emptied the file, the
// policy still loaded (`planguard policy-hash` exit 0), and the revoked
// key's signatures count again.
func TestAttackR5RevokedKeysUnprotected(t *testing.T) {
	w := newHookWorld(t)
	pol, err := os.ReadFile(w.policy)
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(pol), `allowed_signers = "allowed_signers"`, "allowed_signers = \"allowed_signers\"\n  revoked_keys = \"revoked_keys\"", 1)
	if src == string(pol) {
		t.Fatal("policy has no allowed_signers line to extend")
	}
	as, _ := os.ReadFile(w.signers)
	var f []string
	for _, l := range strings.Split(string(as), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			f = strings.Fields(l)
			break
		}
	}
	if len(f) < 3 {
		t.Fatalf("no key line in %s", w.signers)
	}
	rk := filepath.Join(filepath.Dir(w.policy), "revoked_keys")
	if err := os.WriteFile(rk, []byte(f[len(f)-2]+" "+f[len(f)-1]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.policy, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	r4Denied(t, w, r4AllAgents,
		": > ../revoked_keys",
		"rm ../revoked_keys",
		"cp /dev/null "+rk,
	)
	code, out, _ := w.hook(t, "claude", `{"cwd":"`+w.dir+`","tool_name":"Write","tool_input":{"file_path":"`+rk+`","content":""}}`, nil)
	if code == 0 && strings.TrimSpace(out) == "" {
		t.Errorf("claude Write of %s: allowed, want denied", rk)
	}
}

// perl's -l takes an optional octal value attached to it (-l, -l0, -l012):
// in `-le`/`-wle`/`-lwe` the letters after l are further switches, so the
// word is -l, -w, -e CODE. The table has l among the options that take a
// value, so the hook reads the rest of the cluster as -l's value and the
// code as an operand (a script file name). perl ran `terraform destroy
// -auto-approve` from a name built at run time ("terr"."aform").
func TestAttackR5PerlClusteredDashL(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		`perl -le 'system("terraform destroy -auto-approve")'`,
		`perl -wle 'system("terraform destroy -auto-approve")'`,
		`perl -lwe 'system "terr"."aform destroy -auto-approve"'`,
	)
}

// gawk accepts abbreviated long options too: `--so=` is --source (inline
// program text, which the hook reads for system() only when spelled in
// full) and `--in=inplace` is --include=inplace (edit the named files in
// place). gawk 5.2 ran `terraform destroy -auto-approve` for the first
// two and rewrote ../planguard.hcl to "EVIL" for the third.
func TestAttackR5GawkAbbreviatedLongOptions(t *testing.T) {
	w := newHookWorld(t)
	r4Denied(t, w, r4AllAgents,
		`gawk --so='BEGIN{system("terraform destroy -auto-approve")}'`,
		`awk --sour='BEGIN{system("terraform destroy -auto-approve")}'`,
		`gawk --in=inplace '{print "EVIL"}' ../planguard.hcl`,
	)
}
