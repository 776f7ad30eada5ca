package shell

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Issue 17, hook round 36: review hook35's finding 2 (computed paths given
// to programs the hook does not know), its tar low (--rsh-command and
// --rmt-command judged in the wrong shape), and code that runs again or
// later (a loop, a function, a trap) judged with a variable's first value.

var h36Refused = []h32Case{
	// Deferred code: the second run, the function call after the
	// reassignment, the trap at exit see the other value.
	{cmd: "p=echo; for i in 1 2; do $p destroy -auto-approve -input=false; p=TF; done", victim: "state"},
	{cmd: "p=echo; while read -r i; do $p destroy -auto-approve -input=false; p=TF; done <<< $'1\\n2'", victim: "state"},
	{cmd: "p=echo; f() { $p destroy -auto-approve -input=false; }; f; p=TF; f", victim: "state"},
	{cmd: "p=echo; f() { $p destroy -auto-approve -input=false; }; g() { local p=TF; f; }; g", victim: "state"},
	{cmd: "p=echo; f() { $p TF destroy -auto-approve -input=false; }; g() { local p; f; }; g", victim: "state"},
	{cmd: "p=echo; f() { $p TF destroy -auto-approve -input=false; }; g() { p=; f; }; g", victim: "state"},
	{cmd: "p=echo; f() { $p TF destroy -auto-approve -input=false; }; g() { read -r p < /dev/null; f; }; g", victim: "state"},
	{cmd: "p=echo; trap '$p destroy -auto-approve -input=false' EXIT; p=TF", victim: "state"},
	{cmd: "p=echo; for i in 1 2; do $p destroy -auto-approve -input=false; eval 'p=TF'; done", victim: "state"},
	{cmd: "f=ok.txt; for i in 1 2; do cp ../e.json \"$f\"; f=../planguard.hcl; done", victim: "policy"},
	{cmd: "i=0; for j in 1 2; do cp ../e.json \"x$i\"; i=$((i+1)); i=/../planguard.hcl; done"},
	// F2: computed paths given to a program the hook does not know.
	{cmd: "iconv -f utf-8 -t utf-8 -o \"$(echo ../planguard.hcl)\" ../e.json", victim: "policy"},
	{cmd: "for f in ../planguard.hcl; do iconv -f utf-8 -t utf-8 -o \"$f\" ../e.json; done", victim: "policy"},
	{cmd: "set -- ../planguard.hcl; iconv -f utf-8 -t utf-8 -o \"$1\" ../e.json", victim: "policy"},
	{cmd: "f=../planguard.hcl.x; iconv -f utf-8 -t utf-8 -o \"${f%.x}\" ../e.json", victim: "policy"},
	{cmd: "echo ../planguard.hcl > n; iconv -f utf-8 -t utf-8 -o \"$(cat n)\" ../e.json", victim: "policy"},
	{cmd: "read -r f <<< ../planguard.hcl; iconv -f utf-8 -t utf-8 -o \"$f\" ../e.json", victim: "policy"},
	{cmd: "d=$(cd .. && pwd); iconv -f utf-8 -t utf-8 -o \"$d/planguard.hcl\" ../e.json", victim: "policy"},
	{cmd: "x=planguard; iconv -f utf-8 -t utf-8 -o ../\"${x}\".hcl ../e.json", victim: "policy"},
	{cmd: "echo ../planguard.hcl | xargs iconv -f utf-8 -t utf-8 ../e.json -o", victim: "policy"},
	// An id the line computes may be empty: git rev-parse outside a
	// repository prints nothing.
	{cmd: "iconv -f utf-8 -t utf-8 -o ../planguard.hcl\"$(git rev-parse --short HEAD)\" ../e.json", victim: "policy"},
	{cmd: "iconv -o \"x/$(git rev-parse HEAD)/../../planguard.hcl\" e.txt"},
	{cmd: "iconv -f utf-8 -t utf-8 -o \"$HOME/.bashrc\" e.txt"},
	{cmd: "python3 -m json.tool e.json \"$HOME/.claude/settings.json\""},
	{cmd: "iconv -o \"$F\" e.txt"},
	// Unknown text may lead into a protected directory (review hook36
	// H5): a computed word with any is refused, whatever its end.
	{cmd: "iconv -o \"$D/out.txt\" e.txt"},
	{cmd: "node build.js --out \"dist/$NAME.js\""},
	{cmd: "docker build -t \"app:$(git rev-parse --short HEAD)\" ."},
	// Review hook36: empty numbers (H1, H2), numbers in deferred code
	// (H3), state files (H4), protected directories (H5), parallel -a (M1).
	{cmd: "iconv -f utf-8 -t utf-8 -o \"../planguard.hcl$!\" ../e.json", victim: "policy"},
	{cmd: "n=$(wc -l < /nonexistent); iconv -f utf-8 -t utf-8 -o \"../planguard.hcl$n\" ../e.json", victim: "policy"},
	{cmd: "PATH=/nonexistent; x=$(nproc); /usr/bin/iconv -f utf-8 -t utf-8 -o \"../planguard.hcl$x\" ../e.json", victim: "policy"},
	{cmd: "x=$((1)); for i in 1 2; do iconv -f utf-8 -t utf-8 -o \"$x\" ../e.json; x=../planguard.hcl; done", victim: "policy"},
	{cmd: "x=$((1)); f() { iconv -f utf-8 -t utf-8 -o \"../planguard.hcl$x\" ../e.json; }; x=; f", victim: "policy"},
	{cmd: "iconv -f utf-8 -t utf-8 -o \"$(echo terraform.tfstate)\" ../e.json", victim: "statefile"},
	{cmd: "d=$(pwd); iconv -f utf-8 -t utf-8 -o \"$d/terraform.tfstate\" ../e.json", victim: "statefile"},
	{cmd: "tar -cf \"$(pwd)/terraform.tfstate\" main.tf", victim: "statefile"},
	{cmd: "iconv -o \"$(echo ~/.config/git/config)\" e.txt"},
	{cmd: "iconv -o \"$(echo ../.claude/commands/x.md)\" e.txt"},
	{cmd: "iconv -o \"$HOME/.bashrc.d/x.sh\" e.txt"},
	{cmd: "iconv -o \"$(echo ../.git/info/attributes)\" e.txt"},
	{cmd: "iconv -o \"$(echo terraform.tfstate$((1)))\" e.txt"},
	{cmd: "PATH=/tmp/evil:$PATH; iconv -o \"$(cat <<'EOF'\nok.txt\nEOF\n)\" e.txt"},
	{cmd: "PATH=/tmp/evil:$PATH; x=$(nproc); iconv -o \"x$x\" e.txt"},
	{cmd: "parallel -a list iconv -o {} ::: ../e.json"},
	// A downloader's computed operand may be options (-K, --config).
	{cmd: "curl -s \"$URL\" -o out.json"},
	{cmd: "printf 'url = \"file://%s/e.json\"\\noutput = \"../planguard.hcl\"\\n' \"$(cd .. && pwd)\" > k.cfg; read -r U <<< -Kk.cfg; curl -s \"$U\"", victim: "policy"},
	{cmd: "curl \"$OPT\" https://x"},
	{cmd: "curl $(echo -o ../planguard.hcl) https://x"},
	{cmd: "curl -s https://x/$P"},
	{cmd: "wget -O /tmp/x \"$URL\""},
	{cmd: "curl -o /tmp/x -w \"%output{$(echo ../planguard.hcl)}x\" https://x"},
	{cmd: "curl -o /tmp/x -w \"$W\" https://x"},
	{cmd: "http --session=\"$S\" https://x"},
	{cmd: "parallel --arg-file list iconv -o {} ::: ../e.json"},
	{cmd: "parallel --arg-file=list iconv -o {} ::: ../e.json"},
	{cmd: "iconv -o \"$D/\" e.txt"},
	{cmd: "iconv -o \"$X\".hcl e.txt"},
	{cmd: "iconv -o \"$X/planguard.hcl.gz\" e.txt"},
	{cmd: "iconv -o \"$X/../planguard.hcl\" e.txt"},
	{cmd: "iconv -o \"$X/tf/..\" e.txt"},
	{cmd: "iconv --output=\"$X\" e.txt"},
	{cmd: "iconv \"K=$X\" e.txt"},
	{cmd: "iconv -o \"x$((1+1))/../../planguard.hcl\" e.txt"},
	{cmd: "iconv -o $(cat <<'EOF'\n../planguard.hcl\nEOF\n) e.txt"},
	{cmd: "iconv -o \"$(cat <<<'../planguard.hcl')\" e.txt"},
	{cmd: "iconv -o \"$(echo ../allowed_signers)\" e.txt"},
	{cmd: "x=$(date); uv run pytest -k \"$x\""},
	{cmd: "tar -cf \"$F\" src"},
	{cmd: "zip \"$F\" a"},
	{cmd: "patch \"$F\" < p.diff"},
	{cmd: "parallel iconv -o {} e.txt ::: ../planguard.hcl"},
	// tar's remote shell: PROG HOST RMT.
	{cmd: "tar --rmt-command='TF destroy -auto-approve' -cf localhost:/x a"},
	{cmd: "tar --rsh-command=/usr/bin/env --rmt-command=destroy -cf terraform:/x a"},
	{cmd: "tar --rsh=/usr/bin/env --rmt-command=destroy -cf terraform:/x a"},
	{cmd: "tar --rsh-command=\"$P\" -cf h:/x a"},
	{cmd: "tar --rmt-command=\"$C\" -cf h:/x a"},
	{cmd: "tar --rsh-command=ssh --rmt-command='bash -c \"TF destroy\"' -cf localhost:/x a"},
	{cmd: "tar --rsh-command=/usr/bin/prlimit --rmt-command=destroy --file=terraform@localhost:/x a"},
}

// h36Allowed are near misses that must stay allowed.
var h36Allowed = []string{
	"gh pr create --title \"Fix x\" --body \"$(cat <<'EOF'\n## Summary\n- docs for terraform destroy\n\nGenerated with [Claude Code](https://claude.com/claude-code)\nEOF\n)\"",
	"curl -H \"Authorization: Bearer $TOKEN\" https://api.example.com/x",
	"curl -s \"https://$HOST/x\" -o out.json",
	"curl -H \"Authorization: Bearer $TOKEN\" \"https://api.example.com/repos/$REPO/pulls\"",
	"tar czf \"backup-$(date +%s).tgz\" src",
	"x=$(nproc); go test -p \"$x\" ./...",
	"x=$(nproc); uv run pytest -n \"$x\"",
	"x=$(date); setarch x86_64 grep -r \"$x\" .",
	"git diff --name-only | xargs gofmt -l",
	"ls | xargs -n1 basename",
	"parallel gzip ::: a b",
	"f=out.json; iconv -f utf-8 -t utf-8 -o \"$f\" in.txt",
	"iconv -f utf-8 -t utf-8 -o \"$HOME/out.txt\" in.txt",
	"gh issue list --limit \"$(echo 5)\"",
	"iconv -o \"/tmp/out-$((1+1)).txt\" in.txt",
	"t=$(mktemp); iconv -o \"$t\" in.txt",
	"for f in a b; do echo \"$f\"; done",
	"p=echo; for i in 1 2; do $p hi; done",
	"f() { echo \"$1\"; }; f a; f b",
	"i=0; while (( i < 3 )); do i=$((i+1)); done",
	"i=0; while [ $i -lt 3 ]; do echo \"step $i\" > \"out-$i.txt\"; i=$((i+1)); done",
	"n=1; for f in a b; do echo \"$n $f\"; n=$((n+1)); done",
	"mkdir -p \"$HOME/.cache/x\"",
	"tar --rsh-command=ssh -cf h:/x a",
	"tar -cf /tmp/x.tar src",
}

func TestHook36Refused(t *testing.T) {
	opts := h32Opts("/work")
	opts.Protected = append(opts.Protected, "/home/agent/.bashrc", "/home/agent/.claude/settings.json")
	opts.ProtectedDirs = []string{"/work/.git", "/work/.claude", "/work/tf/.claude", "/home/agent/.config/git", "/home/agent/.bashrc.d"}
	for _, c := range h36Refused {
		line := h32Line(c.cmd, h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook36Allowed(t *testing.T) {
	opts := h32Opts("/work")
	opts.Protected = append(opts.Protected, "/home/agent/.bashrc", "/work/tf/.claude/settings.json")
	opts.ProtectedDirs = []string{"/work/.git", "/work/.claude", "/work/tf/.claude", "/home/agent/.config/git", "/home/agent/.bashrc.d"}
	for _, cmd := range h36Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// TestHook36BashRuns runs each refused spelling with a victim in bash,
// over a real Terraform state: the state is destroyed or the policy
// overwritten, so each refusal stops a real attack.
func TestHook36BashRuns(t *testing.T) {
	if _, err := exec.LookPath("iconv"); err != nil {
		t.Fatal("iconv not found")
	}
	hookBashRuns(t, h36Refused, bashRuns{line: func(cmd, _, tf string) string { return h32Line(cmd, tf) }})
}

// TestHook36TarRemoteShape checks the model tarRemote judges: for an
// archive HOST:PATH GNU tar runs --rsh-command with HOST and
// --rmt-command as two separate arguments.
func TestHook36TarRemoteShape(t *testing.T) {
	tar, err := exec.LookPath("tar")
	if err != nil {
		t.Skip("no tar")
	}
	dir := t.TempDir()
	logger := filepath.Join(dir, "logger")
	h32Write(t, logger, "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done > \""+filepath.Join(dir, "ran")+"\"\n")
	if err := os.Chmod(logger, 0o755); err != nil {
		t.Fatal(err)
	}
	h32Write(t, filepath.Join(dir, "a"), "a\n")
	cmd := exec.Command(tar, "--rsh-command="+logger, "--rmt-command=terraform destroy -auto-approve", "-cf", "localhost:/x", "a")
	cmd.Dir = dir
	_ = cmd.Run() // the logger is no rmt server: tar fails after running it
	got, err := os.ReadFile(filepath.Join(dir, "ran"))
	if err != nil {
		t.Fatalf("tar did not run the remote shell: %v", err)
	}
	if want := "[localhost]\n[terraform destroy -auto-approve]\n"; string(got) != want {
		t.Fatalf("tar ran the remote shell with %q, want %q", got, want)
	}
	if r := Analyze("tar --rsh-command=ssh --rmt-command='terraform destroy -auto-approve' -cf localhost:/x a", h32Opts("/work")); r.Allowed() {
		t.Error("allowed: ssh localhost 'terraform destroy -auto-approve'")
	}
}
