package shell

import "testing"

// Review hook78 (on c723823): with a local state in init's directory, a
// write anywhere in the line may run before init whatever the order of the
// text (H1: a loop's second pass); a cd into a link before -chdir=.. (H2);
// a wrapper given no program starts a shell that reads its standard input
// (H3: echo … | unshare); ssh's command settings run with the inherited
// SHELL (H4); compressors given a glob that takes every name, rsync's
// --remove-sent-files (H5).

var h78Refused = []h32Case{
	// H3
	{cmd: "echo '@TF@ destroy -auto-approve -input=false' | unshare", needs: "unshare", victim: "state"},
	{cmd: "unshare -r <<'E'\nterraform destroy -auto-approve\nE"},
	{cmd: "echo 'terraform destroy -auto-approve' | fakeroot"},
	// H5
	{cmd: "gzip -- * && gzip -d main.tf.gz && rm -f ./*.gz", victim: "statefile"},
	{cmd: "xz -- ./*"},
	{cmd: "bzip2 -- ?*"},
	{cmd: "rsync -a --remove-sent-files ./ /tmp/o/"},
}

var h78Allowed = []string{
	"echo ls | unshare -r",
	"unshare -r ls",
	"gzip -k /tmp/logs/*",
	"rsync -a ./ /tmp/o/",
}

func TestHook78Refused(t *testing.T) {
	hookRefused(t, h78Refused)
}

func TestHook78Allowed(t *testing.T) {
	hookAllowed(t, h78Allowed)
}

// TestHook78InitAlone: with a local state in init's directory, init must
// be the line's only command (cd aside); links are resolved (H1, H2).
func TestHook78InitAlone(t *testing.T) {
	opts := h32Opts("/work")
	opts.InitMigrates = func(dir string) bool { return false }
	opts.LocalState = func(dir string) bool { return dir == "/work/tf" }
	opts.Resolve = func(p string) string {
		if p == "/work/tf/l" {
			return "/work/tf/sub/inner"
		}
		return p
	}
	for _, line := range []string{
		"for i in 1 2; do terraform init -input=false; cp /tmp/b.t''f ./b.t''f; done",
		"f() { terraform init -input=false; }; cp /tmp/x ./y; f",
		"trap 'cp /tmp/x y' EXIT; terraform init",
		"patch -p1 < /tmp/p; terraform init",
		"git stash pop && terraform init",
	} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
	for _, line := range []string{"terraform init -input=false", "cd /work/tf && terraform init", "terraform init -backend=false && terraform plan", "cd /tmp/other && terraform validate"} {
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", line, r.Refused)
		}
	}
}

// TestHook78LinkedCd: cd into a link, then -chdir=.. , judged where the
// link points (H2).
func TestHook78LinkedCd(t *testing.T) {
	opts := h32Opts("/work")
	opts.InitMigrates = func(dir string) bool { return dir == "/work/tf" }
	opts.Resolve = func(p string) string {
		if p == "/work/l" {
			return "/work/tf/sub"
		}
		return p
	}
	opts.Cwd = "/work"
	if r := Analyze("cd l && terraform -chdir=.. init -input=false", opts); r.Allowed() {
		t.Error("allowed: cd l && terraform -chdir=.. init, l a link to tf/sub")
	}
	if r := Analyze("cd /work/other && terraform -chdir=.. init -input=false", opts); !r.Allowed() {
		t.Errorf("refused: %q", r.Refused)
	}
}

// TestHook78InheritedShellSSH: ssh's command settings under zsh (H4).
func TestHook78InheritedShellSSH(t *testing.T) {
	opts := h32Opts("/work")
	opts.Shell = "/usr/bin/zsh"
	for _, line := range []string{
		"ssh -o ProxyCommand='>/dev/null; x=terraform/x; $x:h destroy -auto-approve' x",
		"scp -o 'LocalCommand echo hi' -o PermitLocalCommand=yes a h:b",
	} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
	if r := Analyze("ssh -J bastion host uptime", opts); !r.Allowed() {
		t.Errorf("ssh -J refused under zsh: %q", r.Refused)
	}
}

// TestHook78BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook78BashRuns(t *testing.T) {
	hookBashRuns(t, h78Refused, bashRuns{line: h37Line})
}
