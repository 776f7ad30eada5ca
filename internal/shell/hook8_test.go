package shell

import "testing"

// Found by an attacker's review (hook8): arithmetic evaluates a value's
// text again, and an array subscript in it (a[$(…)]) runs its command
// substitution. The hook refused only variables the line computed; these
// spellings evaluate a value it never saw (positional parameters, bash's
// own variables, the environment) and each ran terraform destroy.
var hook8Arithmetic = []string{
	"set -- 'a[$(terraform destroy -auto-approve)]'; (( $1 ))",
	"bash -c '(( $1 ))' _ 'a[$(terraform destroy -auto-approve)]'",
	"f() { (( $1 )); }; f 'a[$(terraform destroy -auto-approve)]'",
	"[[ 'a[$(terraform destroy -auto-approve)]' =~ .* ]]; (( BASH_REMATCH ))",
	": 'a[$(terraform destroy -auto-approve)]'; (( _ ))",
	": 'a[$(terraform destroy -auto-approve)]'; (( $_ ))",
	"bash -c '(( $0 ))' 'a[$(terraform destroy -auto-approve)]'",
	"trap '(( $1 ))' EXIT; set -- 'a[$(terraform destroy -auto-approve)]'",
	"set -- 'a[$(rm -f ../planguard.hcl)]'; echo $(( $1 ))",
	"echo $(( $@ ))",
	"echo $(( $* ))",
	"echo $[$1]",
	"echo ${a[$1]}",
	"echo ${s:$1}",
	"echo ${s:0:$1}",
	"b[$1]=1",
	"[[ $1 -eq 0 ]]",
	"[[ 0 -lt $@ ]]",
	"let x=$1",
	"let 'x=$1'",
	"for ((i=0; i<$1; i++)); do :; done",
	"for ((; x; )); do :; done",
	"unset 'a[$1]'",
	"(( $- ))",
	"echo $(( ${!x} ))",
	// A variable the line does not assign: the environment's, which an
	// interactive shell the agent keeps open carries over.
	"(( x ))",
	"(( x++ ))",
	"echo $(( RANDOM % 3 ))",
	"[[ x -eq 1 ]]",
	"[[ 'x' -eq 1 ]]",
	// Assigned, but not before the use on every path, or not a number.
	"false && x=1; (( x ))",
	"f() { x=1; }; (( x ))",
	"(( x )); x=1",
	"x=1 | (( x ))",
	"x=1 & (( x ))",
	"x=1 echo $((x))",
	"if false; then x=1; fi; (( x ))",
	"x=y; (( x ))",
	"for i in a b; do echo $((i)); done",
	"read -r v; echo $((v))",
	"_=1; : 'a[$(terraform destroy -auto-approve)]'; (( _ ))",
	"x=1; eval '(( y ))'",
}

func TestHook8ArithmeticOverUnknownValuesRefused(t *testing.T) {
	for _, cmd := range hook8Arithmetic {
		wantRefused(t, cmd)
	}
}

// Arithmetic over numbers the line writes out or assigns before the use.
func TestHook8ArithmeticOverNumbersAllowed(t *testing.T) {
	for _, cmd := range []string{
		"echo $((1+2))",
		"echo $[1+2]",
		"echo $((0x1f + 16#ff + 2#101))",
		"for ((i=0;i<3;i++)); do echo $i; done",
		"n=3; for ((i=0;i<n;i++)); do echo $((i*2)); done",
		"i=0; while (( i < 3 )); do i=$((i+1)); done",
		"i=0; while (( i < 3 )); do (( i++ )); done",
		"count=0; for f in a b; do count=$((count+1)); done; echo $count",
		"for i in 1 2 3; do echo $((i*2)); done",
		"x=5; if (( x > 3 )); then echo big; fi",
		"if x=2; then echo $((x)); fi",
		"x=1 && echo $((x))",
		"{ x=1; }; echo $((x))",
		"(( x = 4 )); echo $((x))",
		"n=$(wc -l <f); echo $((n+1))",
		"[[ $? -eq 0 ]] && echo ok",
		"if [[ $# -gt 0 ]]; then echo args; fi",
		"echo $(( $$ % 2 ))",
		"s=hello; echo ${s:1:2} ${#s}",
		"arr=(a b c); echo ${arr[0]} ${#arr[@]} ${arr[@]:1}",
		"declare -A m=([k]=v); echo ${m[k]}",
		"let x=1+2",
	} {
		wantAllowed(t, cmd)
	}
}

// $"…" is replaced by a translation from a catalog the line can write.
func TestHook8TranslatedStringsRefused(t *testing.T) {
	for _, cmd := range []string{
		`eval $"true"`,
		`echo $"hello"`,
		`bash -c 'eval $"true"'`,
		`TEXTDOMAIN=t echo hi`,
		`export TEXTDOMAINDIR=l`,
		`declare TEXTDOMAIN=t`,
		`read TEXTDOMAIN`,
		`env TEXTDOMAINDIR=l bash -c true`,
		`INPUTRC=/tmp/x bash -i`,
	} {
		wantRefused(t, cmd)
	}
	wantAllowed(t, `echo "hello $HOME"`)
	wantAllowed(t, `echo $'a\tb'`)
}

// Builtins that change how an interactive shell reads the lines typed
// after them: a readline macro types a command, a changed erase character
// removes text the hook read, comments turned off run what follows `#`.
func TestHook8LineReadingBuiltinsRefused(t *testing.T) {
	for _, cmd := range []string{
		`bind '"@": "\C-a\C-kterraform destroy -auto-approve\C-m"'`,
		`bind -f x`,
		`bind -x '"\C-a": ls'`,
		`command bind -p`,
		`stty kill @`,
		`stty -F /dev/tty intr x`,
		`stty erase x`,
		`shopt -u interactive_comments`,
		`shopt -s expand_aliases`,
		`shopt -s extdebug`,
		`shopt -s xpg_echo`,
		`shopt -so vi`,
		`shopt -s "$o"`,
		`set -o vi`,
		`set -o emacs`,
		`set -H`,
		`set -o history`,
		`set -o histexpand`,
		`set +o braceexpand`,
		`set +B`,
		`set -o posix`,
		`set +o interactive-comments`,
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{"stty -a", "stty size", "stty -g", "stty", "shopt -s globstar", "shopt -s failglob dotglob", // nullglob is refused (review hook39 H2)
		"shopt extglob", "shopt -q nullglob", "shopt -p", "set -eo pipefail", "set -euxo pipefail", "set -- a b", "set -e", "set +x"} {
		wantAllowed(t, cmd)
	}
}

// Files that run later without being named: the git hooks directory and
// the agents' settings directories are protected as a whole.
func TestHook8ProtectedDirectories(t *testing.T) {
	opts := testOpts
	opts.ProtectedDirs = []string{"/work/infra/.git/hooks", "/work/infra/.claude", "/home/agent/.config/git"}
	opts.Protected = append(append([]string{}, testOpts.Protected...), "/work/infra/.git/hooks/pre-commit", "/work/infra/.git/config")
	for _, cmd := range []string{
		"echo 'terraform destroy' > .git/hooks/pre-commit",
		"echo x > .git/hooks/post-checkout",
		"cp x .git/hooks/",
		"tee .git/hooks/pre-push < x",
		"echo x > .claude/commands/x.md",
		"echo x > ~/.config/git/config",
		"cd .git/hooks && echo x > pre-commit",
		`cd "$(echo .git)" && echo x > hooks/pre-commit`,
		`d=$(echo .git/hooks); echo x > "$d/pre-commit"`,
		"echo x > .git/hooks/pre-comm*",
		"rm -rf .git/hooks",
		"rm -rf .git",
		"ln -s /tmp/x .git/hooks/pre-commit",
		"chmod +x .git/hooks/pre-commit && git commit --allow-empty -m wip",
		"sed -i s/a/b/ .git/config",
	} {
		if r := Analyze(cmd, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", cmd)
		}
	}
	for _, cmd := range []string{"git commit -m 'wip'", "ls .git/hooks", "cat .git/config", "echo x > notes.txt", "cd sub && echo x > config.yaml"} {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// A for (( … )) header's INIT assigns for its COND and POST, subscripts
// included; not for itself.
func TestHook8ForHeaderAssigns(t *testing.T) {
	wantAllowed(t, "s=123; for (( i = 0; i < 3 && ${s:i:1} >= 0; i++ )); do :; done")
	wantRefused(t, "for (( i = x; i < 2; i++ )); do :; done")
}
