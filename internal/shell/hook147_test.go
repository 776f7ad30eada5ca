package shell

import "testing"

// Review hook147 (on 9c3516e): bash's own arrays (DIRSTACK, PIPESTATUS,
// BASH_REMATCH… ) declared with a computed value, which bash parses as an
// array assignment and expands again (H1); ${x[1]=a} and ${x[1]:=a}, which
// make x an array as x[1]=a does (H2); cd, pushd and popd in another
// spelling than the bare word (builtin cd, command cd, \cd, 'cd', $'cd',
// c\d) or a computed command word, after which relative paths name files
// elsewhere (H3). Also found fixing them: a coproc's NAME is an array; a
// declaration a loop runs again after the line makes its name an array;
// cd with no directory goes to $HOME.
var h147Refused = []h32Case{
	// H1: bash's own arrays.
	{cmd: `declare DIRSTACK="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `true; declare PIPESTATUS="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `[[ a =~ a ]]; declare BASH_REMATCH="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `typeset DIRSTACK="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `\declare DIRSTACK="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `builtin declare DIRSTACK="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `coproc { sleep 1; }; declare COPROC="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `declare BASH_CMDS="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `f() { local DIRSTACK="$v"; }; f`},
	{cmd: `declare FUNCNAME="$(rev <<< '))etatsft.mrofarret f- mr($(')"`},
	{cmd: `declare BASH_SOURCE="$v"`},
	{cmd: `declare BASH_ARGV="$v"`},
	{cmd: `declare BASH_ARGC="$v"`},
	{cmd: `declare BASH_LINENO="$v"`},
	{cmd: `declare BASH_VERSINFO="$v"`},
	{cmd: `declare GROUPS="$v"`},
	{cmd: `declare MAPFILE="$v"`},
	{cmd: `declare COMP_WORDS="$v"`},
	{cmd: `declare COMPREPLY="$v"`},
	{cmd: `export PIPESTATUS="$v"`},
	{cmd: `declare DIRSTACK='(-c)'`},
	// A coproc NAME is an array of two descriptors.
	{cmd: `coproc x { sleep 1; }; declare x="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	// H2: a default assignment with a subscript.
	{cmd: `: ${x[1]=a}; declare x="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `: ${x[1]:=a}; declare x="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `echo ${x[1]:=a}; declare x="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `[[ -n ${x[1]=a} ]]; declare x="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `: "${x[0]=a}"; typeset x="$(rev <<< '))etatsft.mrofarret f- mr($(')"`, victim: "statefile"},
	{cmd: `: ${x[1]=a}; local x="$v"`},
	// A loop runs the declaration again after the name became an array.
	{cmd: `for i in 1 2; do declare x="$(rev <<< '))etatsft.mrofarret f- mr($(')"; x[1]=a; done`, victim: "statefile"},
	{cmd: `for i in 1 2; do declare x="$(rev <<< '))etatsft.mrofarret f- mr($(')"; : ${x[1]=a}; done`, victim: "statefile"},
	{cmd: `for i in 1 2; do declare x="$v"; read -ra x <<< "a b"; done`},
	// H3: cd, pushd, popd in other spellings, behind builtin or command.
	{cmd: `builtin cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `command cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `\cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `'cd' ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `"cd" ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `$'cd' ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `c\d ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `\pushd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `builtin pushd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `command pushd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `builtin pushd -n .. >/dev/null; builtin popd; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `builtin cd -- ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `builtin command cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `command builtin cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `command -p cd ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `builtin cd ..; cp e.json "$PWD/planguard.hcl"`, victim: "policy"},
	{cmd: `builtin cd ..; rm -f tf/terraform.tfstate`, victim: "statefile"},
	// A computed command word may be cd.
	{cmd: `c=cd; $c ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `c=c; "${c}d" ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `c=cd; builtin $c ..; cp e.json planguard.hcl`, victim: "policy"},
	{cmd: `read c; $c ..; cp e.json planguard.hcl`},
	{cmd: `c=$(echo cd); $c ..; cp e.json planguard.hcl`},
	{cmd: `for c in cd; do $c ..; cp e.json planguard.hcl; done`},
	{cmd: `set -- cd ..; "$@"; cp e.json planguard.hcl`},
	{cmd: `f() { "$@"; cp e.json planguard.hcl; }; f cd ..`},
	{cmd: `c=; ${c}cd ..; cp e.json planguard.hcl`},
	{cmd: `c=cd; $c; echo x >> .bashrc`},
	{cmd: `c=popd; $c; cp e.json planguard.hcl`},
	// cd alone goes to $HOME.
	{cmd: `cd; echo x >> .bashrc`},
	{cmd: `cd --; echo x >> .bashrc`},
	{cmd: `builtin cd; echo x >> .bashrc`},
	// The review's lines, judged only (~ is the agent's home).
	{cmd: `builtin cd ~; echo "echo PWNED > /tmp/h147/pwned" >> .bashrc`},
	{cmd: `command cd ~; echo "echo PWNED" >> .profile`},
	{cmd: `'cd' ~; echo x >> .bashrc`},
	{cmd: `"cd" ~; echo x >> .bashrc`},
	{cmd: `$'cd' ~; echo x >> .bashrc`},
	{cmd: `c\d ~; echo x >> .bashrc`},
	{cmd: `\pushd ~; echo x >> .bashrc`},
	{cmd: `builtin pushd ~; echo x >> .bashrc`},
	{cmd: `command pushd ~; echo x >> .bashrc`},
	{cmd: `builtin popd; rm -f planguard.hcl`},
	{cmd: `builtin pushd -n ~; builtin popd; echo x >> .bashrc`},
	{cmd: `builtin cd -- ~; echo x >> .bashrc`},
	{cmd: `builtin command cd ~; echo x >> .bashrc`},
	{cmd: `command builtin cd ~; echo x >> .bashrc`},
	{cmd: `builtin cd ~/.ssh; echo x >> authorized_keys`},
	{cmd: `builtin cd ..; rm -f planguard.hcl`},
	{cmd: `\cd ..; echo x > allowed_signers`},
	{cmd: `command cd ..; tee planguard.hcl <<< ""`},
	{cmd: `\cd ~; echo x > .gitconfig`},
	{cmd: `builtin cd ~/.terraform.d; echo x > credentials.tfrc.json`},
	{cmd: `builtin cd ~; cp /dev/null .bashrc`},
	{cmd: `builtin cd ~; tee -a .bashrc <<< x`},
}

var h147Allowed = []string{
	// A command word from a variable the line binds to a literal is
	// judged with that value; one the line does not bind comes from the
	// environment (the accepted class of a variable exported earlier that
	// names the program: $c ..; cp e.json planguard.hcl passes).
	"cmd=ls; $cmd > out.txt",
	"PY=python3; \"$PY\" x.py > out.txt",
	"$c ..; cp e.json planguard.hcl",
	"cd sub && ls",
	"builtin cd sub && make",
	"command cd sub && make test",
	"\\cd sub && ls",
	"pushd sub && make && popd",
	"command -v cd",
	"command -v terraform && terraform plan",
	"declare -a arr=(a b)",
	"declare -A m=([a]=1); echo ${m[a]}",
	"echo ${PIPESTATUS[0]}",
	"[[ $v =~ ^([a-z]+)$ ]] && echo \"${BASH_REMATCH[1]}\"",
	": ${x:=default}; echo \"$x\"",
	"echo \"${arr[1]:-none}\"",
	"declare out=\"$(date)\"; echo \"$out\"",
	"declare out=\"$(date)\"; y[1]=a",
	"for f in *.tf; do declare x=\"$(cat \"$f\")\"; done",
	"\"$TF\" plan -out=tfplan",
	"\"$PYTHON\" -m pytest",
	"python$V x.py > out.txt",
	"\"$HOME/bin/tool\" --x > out.txt",
}

func TestHook147Refused(t *testing.T) {
	hookRefused(t, h147Refused)
}

func TestHook147Allowed(t *testing.T) {
	hookAllowed(t, h147Allowed)
}

// TestHook147BashRuns runs the spellings in bash over a real applied
// state (hookBashRuns): each deletes the state file or overwrites the
// policy.
func TestHook147BashRuns(t *testing.T) {
	hookBashRuns(t, h147Refused, bashRuns{line: h37Line})
}
