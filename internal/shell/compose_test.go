package shell

import (
	"fmt"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// Commands the hook must refuse, and harmless ones it must allow, as the
// cores FuzzCompose wraps in shell constructs.
var (
	composeRefused = []string{
		"terraform destroy -auto-approve",
		"tofu apply -auto-approve",
		"terraform state rm aws_db_instance.main",
		"terraform init -force-copy",
		"terragrunt run --all destroy",
		"planguard approve --plan tfplan --target x",
		"ssh-keygen -Y sign -n planguard-approval -f key payload",
		"echo k >> ../allowed_signers",
		"rm -rf .claude",
		"git -c core.pager='terraform destroy' log",
		"python3 -c 'import os'",
		"sed '1e terraform destroy' f",
		"env -C ../evil terraform apply tfplan",
	}
	composeAllowed = []string{
		"terraform plan -out tfplan",
		"terraform show -json tfplan",
		"git status",
		"grep -rn 'terraform destroy' docs",
		"awk '{print $1}' f",
		"sed -n 1p f",
		"ls -la",
	}
)

// A layer wraps a command in a construct that runs it. simple: the
// construct needs a simple command inside (env CMD, not env ( CMD )).
type layer struct {
	simple bool
	wrap   func(cmd string, depth int) string
}

func quoted(s string) string {
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		return "'x'"
	}
	return q
}

// transparent layers run what they wrap once, in the same directory, with
// nothing else: a harmless command stays allowed behind them.
var transparent = []layer{
	{false, func(c string, _ int) string { return "( " + c + "\n)" }},
	{false, func(c string, _ int) string { return "{ " + c + "\n}" }},
	{false, func(c string, _ int) string { return "bash -c " + quoted(c) }},
	{false, func(c string, _ int) string { return "eval " + quoted(c) }},
	{false, func(c string, _ int) string { return "eval -- " + quoted(c) }},
	{false, func(c string, _ int) string { return "true && " + c }},
	{false, func(c string, _ int) string { return "if true; then\n" + c + "\nfi" }},
	{false, func(c string, _ int) string { return "for i in 1; do\n" + c + "\ndone" }},
	{false, func(c string, _ int) string { return "f() {\n" + c + "\n}\nf" }},
	{false, func(c string, _ int) string { return "x=1; " + c }},
	{false, func(c string, _ int) string { return "echo \"$( " + c + "\n)\"" }},
	{false, func(c string, _ int) string { return "trap -- " + quoted(c) + " EXIT" }},
	{true, func(c string, _ int) string { return "env " + c }},
	{true, func(c string, _ int) string { return "env -- " + c }},
	{true, func(c string, _ int) string { return "sudo -u root " + c }},
	{true, func(c string, _ int) string { return "nice -n 5 " + c }},
	{true, func(c string, _ int) string { return "timeout -s KILL 5m " + c }},
	{true, func(c string, _ int) string { return "command " + c }},
	{true, func(c string, _ int) string { return "nohup -- " + c }},
	{true, func(c string, _ int) string { return "stdbuf -oL " + c }},
}

// opaque layers hide what they run, or run it per input: anything behind
// them is refused.
var opaque = []layer{
	{false, func(c string, _ int) string { return "find . -maxdepth 0 -exec sh -c " + quoted(c) + " \\;" }},
	{false, func(c string, _ int) string { return "echo " + quoted(c) + " | xargs -I{} sh -c {}" }},
	{false, func(c string, _ int) string {
		return "echo -e " + quoted(fmt.Sprintf(`\x%02x`, c[0])+c[1:]) + " | bash"
	}},
	{false, func(c string, _ int) string { return "python3 -c " + quoted("import os; os.system("+quoted(c)+")") }},
	{false, func(c string, _ int) string { return "bash -c \"$CMD\" # " + quoted(c) }},
}

// perInput layers run what they wrap once per input, or read it by
// another grammar (sh is dash, which has no $'…' and reads &> otherwise:
// the POSIX reading), or from standard input (a script there with a
// here-document or a word over two lines is refused when a command in it
// may read that input): a refused command stays refused, a harmless one
// may be refused too.
var perInput = []layer{
	{false, func(c string, d int) string { return fmt.Sprintf("bash <<'EOF%d'\n%s\nEOF%d\n", d, c, d) }},
	{false, func(c string, _ int) string { return "bash <<< " + quoted(c) }},
	{false, func(c string, _ int) string { return "sh -c -- " + quoted(c) }},
	{true, func(c string, _ int) string { return "prlimit --nofile=64 sh -c " + quoted(c) }},
	{false, func(c string, _ int) string { return "parallel ::: " + quoted(c) }},
	{true, func(c string, _ int) string { return "find . -maxdepth 0 -exec " + c + " \\;" }},
	{true, func(c string, _ int) string { return "echo . | xargs " + c }},
}

// FuzzCompose wraps a command in constructs chosen by the input, one
// inside the other: a refused command stays refused behind any of them,
// a harmless one stays allowed behind the transparent ones.
func FuzzCompose(f *testing.F) {
	f.Add([]byte{0, 2, 5, 11})
	f.Add([]byte{1, 15, 3, 0})
	f.Add([]byte{200, 2, 12, 16})
	f.Add([]byte{7, 30, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		all := append(append(append([]layer{}, transparent...), opaque...), perInput...)
		refused := data[0] < 128
		cores := composeAllowed
		if refused {
			cores = composeRefused
		}
		cmd := cores[int(data[0])%len(cores)]
		simple, hidden, unknown := true, false, false
		for i, b := range data[1:] {
			if i == 4 {
				break // nesting deeper than the hook reads is refused, by design
			}
			l := all[int(b)%len(all)]
			if l.simple && !simple {
				continue
			}
			cmd = l.wrap(cmd, i)
			simple = false
			k := int(b) % len(all)
			hidden = hidden || k >= len(transparent) && k < len(transparent)+len(opaque)
			unknown = unknown || k >= len(transparent)+len(opaque)
		}
		r := Analyze(cmd, testOpts)
		switch {
		case (refused || hidden) && r.Allowed():
			t.Fatalf("allowed: %q", cmd)
		case !refused && !hidden && !unknown && !r.Allowed():
			t.Fatalf("refused a harmless command behind transparent constructs: %q\n%q", cmd, r.Refused)
		}
	})
}
