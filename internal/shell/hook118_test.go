package shell

import "testing"

// Review hook118 (on 3fe74e9): an associative-array declaration bash never
// makes (local outside a function, export -A, declare -p, a conversion
// from an indexed array, a local that hides it) trusted to keep a
// subscript from arithmetic (H1); a redirection's {a[x]} variable (H2); an
// assignment before a special builtin, which bash outside POSIX mode drops
// (p=echo :; $p terraform destroy: H3); a file the line writes run by its
// bare name from a PATH the line sets (M1). Also a script the line writes
// run by a shell or interpreter, or sourced, and a file a writer (tee, cp)
// makes run by its path: the guide says those are refused.
const h118Payload = `x=$(printf "b[%s(@TF@ destroy -auto-approve)]" "\$"); `

var h118Refused = []h32Case{
	{cmd: "local -A a; " + h118Payload + "a[$x]=1", victim: "state"},
	{cmd: "a=(1); declare -A a; " + h118Payload + "a[$x]=1", victim: "state"},
	{cmd: "export -A a; " + h118Payload + "a[$x]=1", victim: "state"},
	{cmd: "declare -pA a; " + h118Payload + "a[$x]=1", victim: "state"},
	{cmd: "declare -A a; f() { local a; a[$x]=1; }; " + h118Payload + "f", victim: "state"},
	{cmd: "declare -A a; unset a; " + h118Payload + "a[$x]=1", victim: "state"},
	{cmd: "declare -A PIPESTATUS; " + h118Payload + "PIPESTATUS[$x]=1"},
	{cmd: h118Payload + "exec {a[x]}>/dev/null", victim: "state"},
	{cmd: h118Payload + ": {a[x]}>/dev/null", victim: "state"},
	{cmd: "p=echo :; $p @TF@ destroy -auto-approve", victim: "state"},
	{cmd: "p=echo eval :; $p @TF@ destroy -auto-approve", victim: "state"},
	{cmd: "p=echo set --; $p @TF@ destroy -auto-approve", victim: "state"},
	{cmd: "p=echo :; $p rm -f terraform.tfstate", victim: "statefile"},
	{cmd: `mkdir -p d; printf '#!/bin/sh\n@TF@ destroy -auto-approve\n' > d/ls; chmod +x d/ls; PATH=d:$PATH ls`, victim: "state"},
	{cmd: `mkdir -p d; printf '#!/bin/sh\n@TF@ destroy -auto-approve\n' > d/ls; chmod +x d/ls; export PATH=$PWD/d:$PATH; ls`, victim: "state"},
	{cmd: `mkdir -p d; printf '#!/bin/sh\n@TF@ destroy -auto-approve\n' | tee d/x; chmod +x d/x; d/x`, victim: "state"},
	{cmd: `printf '@TF@ destroy -auto-approve\n' > y.sh; bash y.sh`, victim: "state"},
	{cmd: `printf '@TF@ destroy -auto-approve\n' > y.sh; . ./y.sh`, victim: "state"},
	{cmd: `printf '@TF@ destroy -auto-approve\n' > y.sh; source y.sh`, victim: "state"},
	{cmd: `printf 'import os\nos.system("@TF@ destroy -auto-approve")\n' > y.py; python3 y.py`, needs: "python3", victim: "state"},
}

var h118Allowed = []string{
	`declare -A m; k="some key"; m[$k]=1; echo "${m[$k]}"`,
	`declare -A m; x=$(date); echo "${m[$x]}"`,
	"exec {fd}>/dev/null",
	"X=1 export X; echo done",
	"bash run.sh > out.log",
	"python3 x.py > out.txt",
	"source venv/bin/activate",
	"echo x > out.txt; PATH=/usr/bin ls",
}

func TestHook118Refused(t *testing.T) {
	hookRefused(t, h118Refused)
}

func TestHook118Allowed(t *testing.T) {
	hookAllowed(t, h118Allowed)
}

// TestHook118BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): bash alone.
func TestHook118BashRuns(t *testing.T) {
	hookBashRuns(t, h118Refused, bashRuns{line: h37Line})
}
