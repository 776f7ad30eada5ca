package shell

import "testing"

// Review hook74 (on 2529b51): terraform init with a "local" backend whose
// path names the state another way (./terraform.tfstate) "migrates" the
// state onto itself and empties it (H1); trees and commits built with git
// plumbing, then checked out, overwrite and remove a git-ignored state
// (H2); a recursive compressor renames every file of a directory (H3).

var h74Refused = []h32Case{
	// H1
	{cmd: "printf 'terraform {\\n  backend \"local\" {\\n    path = \"./terraform.tfstate\"\\n  }\\n}\\n' > backend.tf && @TF@ init -input=false", victim: "statefile"},
	{cmd: "cat > backend.tf.json <<'E'\n{\"terraform\": {\"backend\": {\"local\": {\"path\": \"./terraform.tfstate\"}}}}\nE\nterraform init -input=false"},
	{cmd: "echo 'terraform {}' > x.tf; terraform init"},
	// hook76 H4: writes other than redirections, then init.
	{cmd: "cp /tmp/x/backend.tf backend.tf && terraform init -input=false"},
	{cmd: "tee b.tf < /tmp/x; terraform init -input=false"},
	{cmd: "cp -r /tmp/cfg/. . && terraform init"},
	// H2
	{cmd: "printf '100644 blob 0123456789abcdef0123456789abcdef01234567\\tterraform.tfstate\\n' | git mktree"},
	{cmd: "git commit-tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904 -p HEAD -m x"},
	{cmd: "git read-tree -m -u HEAD wip"},
	{cmd: "git fast-import < /tmp/stream"},
	// H3
	{cmd: "gzip -r . && gzip -d main.tf.gz && rm -f ./*.gz", victim: "statefile"},
	{cmd: "zstd -r --rm ."},
	{cmd: "pigz -rk ."},
}

var h74Allowed = []string{
	"terraform init -input=false",
	"terraform init -backend=false",
	"printf 'terraform {}\\n' > x.tf; terraform init -backend=false",
	"terraform init -upgrade",
	"git read-tree HEAD",
	"gzip -k big.log",
	"gzip -r /tmp/logs",
}

func TestHook74Refused(t *testing.T) {
	hookRefused(t, h74Refused)
}

func TestHook74Allowed(t *testing.T) {
	hookAllowed(t, h74Allowed)
}

// TestHook74InitMigrates: the configuration of init's directory, as the
// hook reads it (Options.InitMigrates), decides; a cd in the line is
// followed (review hook76 H3).
func TestHook74InitMigrates(t *testing.T) {
	opts := h32Opts("/work")
	opts.InitMigrates = func(dir string) bool { return dir == "/work/tf" || dir == "/work/tf/sub" }
	for _, line := range []string{"terraform init -input=false", "tofu init", "terraform -chdir=. init -reconfigure", "terraform -chdir=\"$D\" init",
		"cd sub && terraform init -input=false", "cd /work/tf && terraform init", "pushd sub; terraform init", "env -C sub terraform init",
		"cd \"$D\" && terraform init", "cd /tmp && cd /work/tf/sub && terraform init"} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed with a local backend: %q", line)
		}
	}
	for _, line := range []string{"terraform init -backend=false", "terraform -chdir=/work/other init", "terraform plan"} {
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("refused: %q\n%q", line, r.Refused)
		}
	}
}

// TestHook74BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook74BashRuns(t *testing.T) {
	hookBashRuns(t, h74Refused, bashRuns{line: h37Line})
}
