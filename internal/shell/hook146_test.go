package shell

import (
	"os"
	"path/filepath"
	"testing"
)

// Review hook146 (on 9c3516e): tenv's proxies tf and tg, and Nix's wrapped
// binaries, run Terraform under another name (M1, L1). Review hook149:
// chpst -b and strace --argv0 run a program under the name of another
// (busybox and git pick what they do by it: H1, M1); python -X
// pycache_prefix is PYTHONPYCACHEPREFIX (H2).
var h146Refused = []h32Case{
	{cmd: "b/tf destroy -auto-approve", victim: "state"},
	{cmd: "tf destroy -auto-approve"},
	{cmd: "tf apply -auto-approve"},
	{cmd: "tf state rm terraform_data.prod_db"},
	{cmd: "command tf destroy -auto-approve"},
	{cmd: "tf.exe destroy"},
	{cmd: "nice tf destroy -auto-approve"},
	{cmd: "some-wrapper tf destroy -auto-approve"},
	{cmd: "some-wrapper tf -chdir=.. apply -auto-approve"},
	{cmd: "tg destroy"},
	{cmd: ".terraform-wrapped destroy -auto-approve"},
	{cmd: ".tofu-wrapped apply -auto-approve"},
	{cmd: "chpst -b rm busybox cat terraform.tfstate", needs: "chpst busybox", victim: "statefile"},
	{cmd: "chpst -brm busybox cat terraform.tfstate"},
	{cmd: "chpst -u nobody -b rm busybox cat terraform.tfstate"},
	{cmd: "echo evil | chpst -b tee busybox cat ../planguard.hcl", needs: "chpst busybox", victim: "policy"},
	{cmd: "chpst -b git-clean git log -f -- ."},
	{cmd: "strace --argv0=rm busybox cat terraform.tfstate"},
	{cmd: "strace --argv0 rm busybox cat terraform.tfstate"},
	{cmd: "python3 -X pycache_prefix=/tmp/pc -m json.tool x.json"},
	{cmd: "python3 -Xpycache_prefix=/tmp/pc -m json.tool x.json"},
	{cmd: "python3 -I -X pycache_prefix=/tmp/pc x.py"},
	{cmd: "python3 -X $x -m json.tool x.json"},
}

var h146Allowed = []string{
	"tf plan",
	"tf -chdir=envs/prod plan",
	"tar tf x.tar",
	"jar tf x.jar",
	"TAR_OPTIONS=-v tar tf /tmp/x.tar",
	"tar -czf out.tgz --exclude=.terraform .",
	"groff -man -Tutf8 x.1",
	"chpst -u nobody ls",
	"strace -f -o trace.txt ls",
	"python3 -X importtime -m json.tool x.json",
}

func TestHook146Refused(t *testing.T) {
	hookRefused(t, h146Refused)
}

func TestHook146Allowed(t *testing.T) {
	hookAllowed(t, h146Allowed)
}

// TestHook146BashRuns runs them in bash over a real applied state: tf is a
// stand-in for tenv's proxy (exec terraform "$@", as tenv's cmd/tf does);
// chpst where runit is installed.
func TestHook146BashRuns(t *testing.T) {
	hookBashRuns(t, h146Refused, bashRuns{line: h37Line, prepare: func(t *testing.T, root, tf string) {
		d := filepath.Join(root, "tf", "b")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "tf"), []byte("#!/bin/sh\nexec "+tf+" \"$@\"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}})
}
