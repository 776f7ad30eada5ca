package shell

import "testing"

// Review hook153 (on 3f9fad4): a cd the first reading misses, with every
// variable set by the line itself — a literal value that splits into words
// (v=' cd', v='command -p cd', IFS=x; v=cdx), a quoted declaration
// (declare 'v=cd'), a computed builtin or command before a literal cd
// (b=builtin; $b cd ..), brace expansion as the command word ({cd,} ..),
// and the strings eval, trap and bash -c run, whose variables come from
// around them.
var h153Refused = []h32Case{
	{cmd: `v=' cd'; $v ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `v='command -p cd'; $v ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `v=$'cd\n'; $v ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `IFS=x; v=cdx; $v ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `declare 'v=cd'; $v ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `export 'v=cd'; $v ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `f() { local 'v=cd'; $v ..; cp e.json planguard.hcl; }; f`, victim: "policy"},
	{cmd: `b=builtin; $b cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `b=command; $b cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `v=tin; buil$v cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `{cd,} ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `v=cd; eval '$v ..'; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `eval "v=cd"; $v ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `v=cd; trap '$v ..' DEBUG; cp e.json planguard.hcl`},
	{cmd: `export v=cd; bash -c '$v ..; cp e.json planguard.hcl'`, victim: "policy"},
	{cmd: `v=cd; bash -c '"$0" ..; cp e.json planguard.hcl' "$v"`},
}

var h153Allowed = []string{
	"cmd=ls; $cmd > out.txt",
	"PY=python3; \"$PY\" x.py > out.txt",
	"GO=go; $GO build ./... > build.log",
	"TF=terraform; $TF plan -out=tfplan",
	"for f in a b; do cat $f > $f.out; done",
}

func TestHook153Refused(t *testing.T) {
	hookRefused(t, h153Refused)
}

func TestHook153Allowed(t *testing.T) {
	hookAllowed(t, h153Allowed)
}

// TestHook153BashRuns runs them in bash over a real applied state: each
// overwrites the policy.
func TestHook153BashRuns(t *testing.T) {
	hookBashRuns(t, h153Refused, bashRuns{line: h37Line})
}
