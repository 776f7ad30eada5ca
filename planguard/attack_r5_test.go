package main

import (
	"os/user"
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
