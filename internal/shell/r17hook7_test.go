package shell

import (
	"strings"
	"testing"
)

// Residual findings of the r-hook6 review (issue 17), and the harmless
// forms that stay allowed.

// Characters a reader does not see as written are refused for every agent
// (Analyze), at every depth: C1 controls, zero-width and bidirectional
// format characters, the byte order mark, line separators, other C0
// controls, bytes that are not UTF-8.
func TestR17Hook7HiddenCharacters(t *testing.T) {
	for _, cmd := range []string{
		"echo safe \u0085terraform destroy -auto-approve", // NEL, a C1 control
		"echo \u009b31m",       // CSI
		"terraform plan\u200b", // zero-width space
		"echo a\u200c", "echo a\u200d", "echo a\u200e", "echo a\u200f",
		"echo '\u202eyalp' # reads backwards", // right-to-left override
		"echo \u202a", "echo \u202b", "echo \u202c", "echo \u202d",
		"echo \u2066x\u2069", "echo \u2067", "echo \u2068",
		"\ufeffterraform plan",          // byte order mark
		"echo a\u2028terraform destroy", // line separator
		"echo a\u2029",                  // paragraph separator
		"echo \u00ad",                   // soft hyphen
		"echo \U000e0041",               // an invisible tag
		"echo \u2060",                   // word joiner
		"echo a\x1b[2Kb",                // ESC, a C0 control
		"echo a\rb", "echo \x01", "echo a\x7f",
		"echo \xff\xfe",            // not UTF-8
		"echo \xc2",                // a truncated sequence
		"bash -c $'echo \\u200bx'", // decoded by $'…', then judged
		"bash -c $'echo \\xc2\\x85'",
		"eval $'terraform plan \\u202e'",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"echo é", "echo 日本語", "echo '🙂'", "echo 'a\tb'", "echo a\nterraform plan",
		"printf '\\u200b'", "echo $'\\t'", "printf '%s\\n' ñ",
	} {
		if r := Analyze(cmd, testOpts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", cmd, r.Refused)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"a\u0085", "U+0085"}, {"\u202e", "U+202E"}, {"\ufeff", "U+FEFF"}, {"\xff", "0xFF"}, {"\x1b", "U+001B"},
	} {
		if got := HiddenChar(c.in); !strings.Contains(got, c.want) {
			t.Errorf("HiddenChar(%q) = %q, want %s", c.in, got, c.want)
		}
	}
	if got := HiddenChar("terraform plan -out=tfplan\n\techo é 日本"); got != "" {
		t.Errorf("HiddenChar of plain text = %q", got)
	}
}

// history -w and -a without a file write $HISTFILE: the one the shell
// inherits is judged, and bash's defaults when it is unset.
func TestR17Hook7InheritedHistfile(t *testing.T) {
	opts := testOpts
	opts.HistFile = "/work/planguard.hcl"
	for _, cmd := range []string{"history -w", "history -a", "history -aw", "history -w --", "echo x; history -a",
		"if false; then HISTFILE=/tmp/h; fi; history -w"} {
		if r := Analyze(cmd, opts); r.Allowed() {
			t.Errorf("HISTFILE=%s: allowed, want refused: %s", opts.HistFile, cmd)
		}
	}
	// Relative: the shell resolves it where history writes it.
	opts.HistFile = "../planguard.hcl"
	if r := Analyze("history -w", opts); r.Allowed() {
		t.Errorf("HISTFILE=%s: history -w allowed", opts.HistFile)
	}
	opts.HistFile = ".claude/settings.json"
	if r := Analyze("history -w", opts); r.Allowed() {
		t.Errorf("HISTFILE=%s: history -w allowed", opts.HistFile)
	}
	// Unset, bash writes $HOME/.history (non-interactive) or
	// $HOME/.bash_history: with a home that holds the agent's settings
	// there, or no home at all, refused.
	opts = testOpts
	opts.Home = "/work/infra/.claude"
	opts.Protected = append(append([]string{}, testOpts.Protected...), "/work/infra/.claude/.history")
	if r := Analyze("history -w", opts); r.Allowed() {
		t.Errorf("HOME=%s: history -w allowed", opts.Home)
	}
	opts = testOpts
	opts.Home = ""
	if r := Analyze("history -a", opts); r.Allowed() {
		t.Error("no HOME, no HISTFILE: history -a allowed")
	}
	// Allowed: a harmless inherited HISTFILE, a named file, listing.
	opts = testOpts
	opts.HistFile = "/home/agent/.bash_history"
	for _, cmd := range []string{"history -w", "history -a", "HISTFILE=/tmp/h; history -w", "history -w /tmp/h", "history 5", "history -c"} {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
	if r := Analyze("history -w /tmp/h", Options{Cwd: "/work/infra", Protected: testOpts.Protected}); !r.Allowed() {
		t.Errorf("history -w FILE without HOME: refused: %q", r.Refused)
	}
}

// A glob that cannot expand to another option than it spells stays
// allowed: -var-file=*.tfvars only ever matches -var-file=NAME, and
// `terraform fmt *.tf` only words ending in .tf, which no option of fmt
// accepts. One that could be an option stays refused.
func TestR17Hook7HarmlessGlobs(t *testing.T) {
	for _, cmd := range []string{
		"terraform fmt *.tf",
		"terraform fmt -check *.tf",
		"terraform fmt -recursive -diff *.tfvars",
		"terraform -chdir=infra fmt *.tf",
		"tofu fmt *.tftest.hcl",
		"terraform fmt \"*\".tf", // quoted: no glob
		"terraform plan -var-file=*.tfvars",
		"terraform plan -var-file=env/*.tfvars -out=tfplan",
		"terraform plan --var-file=prod*.tfvars",
		"terraform init -var-file=*.tfvars -input=false",
		"terraform fmt main*.tf",
		"terraform validate ./*.tf",
	} {
		if r := Analyze(cmd, testOpts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
	for _, cmd := range []string{
		"terraform fmt *",
		"terraform fmt -*",
		"terraform fmt *.tf*",
		"terraform fmt *\\.tf",
		"terraform *.tf fmt",
		"terraform plan *.tfvars",
		"terraform plan -var-fil[e]=x",
		"terraform plan -var-file=$x*",
		"terraform plan -out=*.tfplan",
		"terraform init -var-file=* -[f]orce-copy",
		"terraform init -backend-config=*.hcl",
		"terraform init *",
		"terragrunt fmt *.tf",
		"terraform -* fmt *.tf",
	} {
		wantRefused(t, cmd)
	}
}

// An option a wrapper's row does not list may take a value, and the
// command then starts at another word: refused for the closed rows
// (fail closed). sudo -e is sudoedit, a writer. git's global options:
// --attr-source (git 2.43) takes the next word, so the -c alias after it
// was read as the subcommand's.
func TestR17Hook7WrapperOptionTables(t *testing.T) {
	for _, cmd := range []string{
		"sudo --bogus terraform plan",
		"sudo -X val terraform plan",
		"env --bogus=x terraform plan",
		"nice --bogus terraform plan",
		"timeout --bogus 5 terraform plan",
		"timeout -q 5 terraform plan",
		"stdbuf --bogus=x terraform plan",
		"setsid --bogus terraform plan",
		"nohup --bogus terraform plan",
		"ionice --bogus terraform plan",
		"doas -X terraform plan",
		"chroot --bogus / terraform plan",
		"xargs --bogus terraform plan",
		"/usr/bin/time --bogus terraform plan",
		"command -x terraform plan",
		"exec -z terraform plan",
		"sudo --chdir-x=.. terraform plan",
		"sudo -e ../planguard.hcl",
		"sudo --edit .claude/settings.json",
		"SUDO_EDITOR='terraform destroy -auto-approve' sudo -e x",
		"git --attr-source HEAD -c alias.x='!terraform destroy -auto-approve' x",
		"git --bogus -c alias.x='!terraform destroy -auto-approve' x",
		"git --bogus status",
		"git -c",
		// find and fd: a computed word or a glob may be an action.
		"find . -maxdepth 0 $X terraform destroy -auto-approve \\;",
		"X=$(echo -exec); find . -maxdepth 0 $X terraform destroy -auto-approve \\;",
		"find . -maxdepth 0 -exe[c] terraform destroy -auto-approve \\;",
		"find . -maxdepth 0 \"$E\" sh -c 'terraform destroy -auto-approve' \\;",
		"find *",
		"find \"$D\" -name x",
		"find . $X",
		"fd --exec=terraform destroy",
		"fd -Hx terraform destroy",
		"fd -xterraform destroy",
		"fd \"$PAT\"",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"sudo -E -H -n terraform plan",
		"sudo -u bob -g grp terraform plan",
		"sudo --preserve-env=PATH terraform plan",
		"sudo -i terraform plan",
		"sudo --ver terraform plan", // --version
		"sudo -e main.tf",
		"timeout --fore 5 terraform plan",
		"timeout -k 2 --signal=KILL 5 terraform plan",
		"timeout -v 5 terraform plan",
		"env --unset=X terraform plan",
		"env -i PATH=/usr/bin terraform plan",
		"env - PATH=/usr/bin terraform plan",
		"env -0",
		"nice -n 5 terraform plan",
		"nice -5 terraform plan",
		"nice --10 terraform plan",
		"stdbuf -oL terraform plan",
		"setsid -f terraform plan",
		"nohup terraform plan",
		"ionice -c3 -t terraform plan",
		"doas -n -u bob terraform plan",
		"chroot --skip-chdir / true",
		"command -v terraform",
		"exec -c terraform plan", // exec -a is refused (review hook41 H2)
		"/usr/bin/time -v terraform plan",
		"time -p terraform plan",
		"xargs -0 -n1 echo",
		"xargs -r -P4 -I{} echo {}",
		"git --no-pager log",
		"git -C .. status",
		"git --git-dir=.git --work-tree . status",
		"git -c color.ui=false status",
		"git --no-optional-locks -P diff",
		"git --version",
		"find . -name \"$PAT\" -print",
		"find . -name '*.tf' -type f",
		"find ./\"$D\" -name x",
		"find /tmp/*.d -name x",
		"find . -newermt \"$T\" -print",
		"find . -type f -exec grep -l \"$PAT\" {} +",
		"find . -maxdepth 1 -name '*.tfplan' -delete",
		"fd -e tf",
		"fd -e \"$EXT\" foo",
	} {
		if r := Analyze(cmd, testOpts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}
