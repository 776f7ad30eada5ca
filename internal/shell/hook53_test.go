package shell

import "testing"

// Review hook53 (issue 17, hook round 53): what bash does with words at
// run time — a glob in a variable's value (F1), brace expansion before
// the other expansions (F2) and the tilde forms it makes (F3), callbacks
// run with the data as arguments (F4), and dash, which has no brace
// expansion (F5).

var h53Refused = []h32Case{
	// F1
	{cmd: "p='../plang*'; cat ../e.json | tee $p", victim: "policy"},
	{cmd: "p='terraform.tfsta?e'; rm $p", victim: "statefile"},
	{cmd: "p='@TF@?'; ${p%?} destroy -auto-approve -input=false"},
	{cmd: "p=/usr/local/bin/terrafor?; $p destroy -auto-approve"},
	{cmd: "p='../plang*'; cat ../e.json > $p", victim: "policy"},
	{cmd: "shopt -s extglob; p='../@(planguard).hcl'; cat ../e.json | tee $p"},
	{cmd: "p='../+(planguard).hcl'; rm $p"},
	// F2
	{cmd: "T=echo; TF=@TF@; $T{F,X} destroy -auto-approve -input=false", victim: "state"},
	{cmd: "p='$(@TF@ destroy -auto-approve -input=false)'; echo {$,}{p@P}", victim: "state"},
	{cmd: "T=echo; TF=terraform; $T{,}F destroy -auto-approve"},
	// F3
	{cmd: "cat ../e.json | tee {~,/tmp/z}+/../planguard.hcl", victim: "policy"},
	{cmd: "cat x > {~,/tmp}-/planguard.hcl"},
	// F4
	{cmd: "mapfile -t -C eval -c 1 <<< ';@TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "readarray -C 'eval' -c 1 x <<< y"},
	{cmd: "compgen -C eval x"},
	{cmd: "complete -C 'eval' x"},
	// F5
	{cmd: "sh -c 'env -u {,} @TF@ destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "echo 'env -u {,} @TF@ destroy -auto-approve -input=false' | sh", victim: "state"},
	{cmd: "git -c alias.x='!env -u {,} terraform destroy -auto-approve' x"},
}

var h53Allowed = []string{
	"f=main.tf; cp $f{,.bak}",
	"mkdir -p \"$HOME\"/{a,b}",
	"p='*.txt'; echo \"$p\"",
	"echo {a,b}{c,d}",
	"mkdir -p build/{bin,lib}",
	"sh -c 'echo {a,b}'",
	"mapfile -t lines < notes.txt",
	"cd ~ && ls",
}

func TestHook53Refused(t *testing.T) {
	hookRefused(t, h53Refused)
}

func TestHook53Allowed(t *testing.T) {
	hookAllowed(t, h53Allowed)
}

// TestHook53BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook53BashRuns(t *testing.T) {
	hookBashRuns(t, h53Refused, bashRuns{line: h37Line})
}
