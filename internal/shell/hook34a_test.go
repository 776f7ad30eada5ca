package shell

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Review hook34 (issue 17 part 2), findings 1-6: spellings bash runs that
// the hook read otherwise. F1: a declaration value starting with ( is
// re-parsed as an array assignment; F2: GNU sed options after a file;
// F3: ssh options after the host; F4: make expands the environment;
// F5: OPTIND[0] is OPTIND; F6: a script read from /dev/tcp.

var h34aRefused = []h32Case{
	// F1
	{cmd: "declare -a x='($(TF destroy -auto-approve -input=false))'", victim: "state"},
	{cmd: "declare -a x=\\(\\$\\(TF\\ destroy\\ -auto-approve\\ -input=false\\)\\)", victim: "state"},
	{cmd: "declare -a x=\"(\\$(TF destroy -auto-approve -input=false))\"", victim: "state"},
	{cmd: "declare -a x=$'($(TF destroy -auto-approve -input=false))'", victim: "state"},
	{cmd: "declare -a x='(`TF destroy -auto-approve -input=false`)'", victim: "state"},
	{cmd: "declare -a x=\"$(<g.txt)\"", victim: "state"},
	{cmd: "declare -A x=\"$(<g.txt)\""},
	{cmd: "typeset -a x=\"$(<g.txt)\""},
	{cmd: "f(){ local -a x=\"$(<g.txt)\"; }; f"},
	{cmd: "export -a x=\"$(<g.txt)\""},
	{cmd: "declare -a y=$(cat g.txt)"},
	{cmd: "read -r v <g.txt; declare -a y=\"$v\""},
	{cmd: "x=(); declare x=\"$(<g.txt)\"", victim: "state"},
	{cmd: "declare -a x; declare x=\"$(<g.txt)\"", victim: "state"},
	{cmd: "declare -a PROMPT_COMMAND='([0]=\"TF destroy -auto-approve\")'"},
	{cmd: "builtin declare -a x='($(TF destroy -auto-approve -input=false))'", victim: "state"},
	{cmd: "x='($(TF destroy -auto-approve -input=false))'; declare -a y=\"$x\"", victim: "state"},
	{cmd: "declare -a x=\\(\\$\\(TF\\ destroy\\ -auto-approve\\ -input=false\\)\\)", victim: "state"},
	{cmd: "declare -a x=$'\\x28$(TF destroy -auto-approve -input=false))'", victim: "state"},
	{cmd: "declare -ga x='($(TF destroy -auto-approve -input=false))'", victim: "state"},
	{cmd: "declare -a -- x+='($(TF destroy -auto-approve -input=false))'", victim: "state"},
	{cmd: "declare -a 'x=($(TF destroy -auto-approve -input=false))'", victim: "state"},
	{cmd: "command declare -a x='($(TF destroy -auto-approve -input=false))'", victim: "state"},
	{cmd: "read -ra x < f.txt; declare x=\"$(<g.txt)\"", victim: "state"},
	{cmd: "mapfile x < f.txt; declare x=\"$(<g.txt)\"", victim: "state"},
	{cmd: "mapfile < f.txt; declare MAPFILE=\"$(<g.txt)\"", victim: "state"},
	{cmd: "x[0]=1; declare x=\"$(<g.txt)\"", victim: "state"},
	// F2
	{cmd: "sed -n f.txt -e 'e TF destroy -auto-approve -input=false'", victim: "state"},
	{cmd: "sed -n 'i\\' -e 'e TF destroy -auto-approve -input=false' f.txt", victim: "state"},
	{cmd: "sed 'c\\' -e 'e TF destroy' f.txt"},
	{cmd: "sed -n 'a\\' --expression='e TF destroy' f.txt"},
	{cmd: "sed 'i\\' -e 's|.*|TF destroy -auto-approve -input=false|e' f.txt", victim: "state"},
	{cmd: "sed 's/a/b/' f.txt -i ../planguard.hcl"},
	// F3
	{cmd: "ssh host -o ProxyCommand='TF destroy -auto-approve -input=false 3>&1 1>&2' uptime", needs: "ssh", victim: "state"},
	{cmd: "ssh host -oProxyCommand='TF destroy -auto-approve' uptime"},
	{cmd: "ssh host -p 22 -o ProxyCommand='TF destroy -auto-approve -input=false 3>&1 1>&2' uptime", needs: "ssh", victim: "state"},
	{cmd: "ssh host -E ../planguard.hcl uptime"},
	{cmd: "ssh host -o LocalCommand='TF destroy' -o PermitLocalCommand=yes uptime"},
	{cmd: "ssh host -F /tmp/cfg uptime"},
	{cmd: "ssh -4 host -o 'Match exec \"TF destroy\"' uptime"},
	{cmd: "ssh host -o KnownHostsCommand='TF destroy' uptime"},
	// F4
	{cmd: "echo 'int x;' > foo.c; CC='$(shell TF destroy -auto-approve -input=false >/dev/null 2>&1)cc' make foo.o", needs: "make", victim: "state"},
	{cmd: "CC='$(shell TF destroy)' make -n foo.o"},
	{cmd: "env CC='$(shell TF destroy)' make -n foo.o"},
	{cmd: "CC='`TF destroy`' make foo.o"},
	{cmd: "export CFLAGS='$(shell TF destroy)'; make foo.o"},
	{cmd: "LDFLAGS='${shell TF destroy}' make test"},
	{cmd: "MAKEFILES=/tmp/evil.mk make test"},
	{cmd: "make foo.o 'CC=$(shell TF destroy)'"},
	{cmd: "CC=\"$(<f.txt)\" make test"},
	{cmd: "export CC=\"$(<f.txt)\"; make test"},
	{cmd: "CFLAGS=$(<f.txt); make test"},
	{cmd: "x='$(shell TF destroy)'; CC=\"$x\" make foo.o"},
	{cmd: "declare -x CC='$(shell TF destroy)'; make foo.o"},
	{cmd: "echo 'int x;' > foo.c; f(){ make foo.o; }; CC='$(shell TF destroy -auto-approve -input=false >/dev/null 2>&1)cc' f", needs: "make", victim: "state"},
	{cmd: "f(){ make foo.o; }; export CC='$(shell TF destroy)'; f"},
	{cmd: "cc=$(<f.txt); export cc; make foo.o"},
	{cmd: "VERBOSE='$(shell TF destroy)' cmake --build ."},
	{cmd: "sudo CC='$(shell TF destroy)' make foo.o"},
	{cmd: "echo foo.o | CC='$(shell TF destroy)' xargs make"},
	// F5
	{cmd: "read -r 'OPTIND[0]' < f.txt", victim: "state"},
	{cmd: "IFS= read -r 'RANDOM[0]' < f.txt", victim: "state"},
	{cmd: "printf -v 'OPTIND[0]' %s \"$(<f.txt)\"", victim: "state"},
	{cmd: "printf -v 'SRANDOM[0]' %s \"$(<f.txt)\""},
	{cmd: "printf -v 'HISTCMD[0]' %s \"$(<f.txt)\""},
	{cmd: "read -r \"OPTIND[0]\" < f.txt"},
	{cmd: "read -r 'OPTIND[1-1]' < f.txt"},
	{cmd: "read -r 'OPTIND[ 0 ]' < f.txt"},
	{cmd: "read -r OPTIND\\[0\\] < f.txt", victim: "state"},
	{cmd: "printf -v OPTIND\\[0\\] %s \"$(<f.txt)\"", victim: "state"},
	{cmd: "getopts a 'OPTIND[0]' -a"},
	// F6
	{cmd: "bash < /dev/tcp/127.0.0.1/PORT", victim: "state"},
	{cmd: "bash 0< /dev/tcp/127.0.0.1/PORT", victim: "state"},
	{cmd: "sh < /dev/tcp/127.0.0.1/9999"},
	{cmd: "bash 0< /dev/tcp/127.0.0.1/9999"},
	{cmd: "bash < /dev/udp/127.0.0.1/9999"},
	{cmd: "exec 3<>/dev/tcp/127.0.0.1/9999; bash <&3"},
	{cmd: ". <(cat </dev/tcp/127.0.0.1/9999)"},
}

// h34aAllowed are near misses that must stay allowed.
var h34aAllowed = []string{
	"sed -n 1p a.txt",
	"sed -i 's/a/b/' f.txt",
	"sed 's/a/b/' f.txt -i",
	"sed -n a.txt -e p",
	"ssh host uptime",
	"ssh host -p 22 uptime",
	"ssh -o ConnectTimeout=5 host uptime",
	"make test",
	"CC=clang make",
	"make CC=clang test",
	"PATH=$HOME/bin:$PATH make test",
	"declare -a arr=(a b c)",
	"declare -a arr=('a b' \"c\")",
	"declare x=\"$(date)\"",
	"local_fn() { local x=\"$1\"; }",
	"declare -a arr=(); arr+=(x)",
	"read -r line < f",
	"read -r 'arr[0]' < f",
	"bash < script.sh",
	"x=$(nproc); make -j4 test",
	"VERSION=1.2 make release",
	"cmake --build build",
	"f(){ make test; }; CC=clang f",
	"ssh host uptime -o ProxyCommand='terraform destroy'",
	"bash < /dev//tcp/127.0.0.1/1",
	"ssh -- host -o ProxyCommand='terraform destroy -auto-approve' uptime",
	"declare -a x=\"a$(date)\"",
	"mapfile -t lines < f; declare n=\"$(wc -l <f)\"",
	"declare -a arr=(\"$(date)\" \"$HOME\")",
}

func TestHook34aRefused(t *testing.T) {
	root := "/work"
	opts := h32Opts(root)
	for _, c := range h34aRefused {
		line := h33Line(c.cmd, root, h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook34aAllowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h34aAllowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

func TestHook34aBashRuns(t *testing.T) {
	// A listener that hands every connection the destroy command (F6).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = conn.Write([]byte(h32Terraform() + " destroy -auto-approve -input=false\n"))
			_ = conn.Close()
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	hookBashRuns(t, h34aRefused, bashRuns{
		line: func(cmd, root, tf string) string { return strings.ReplaceAll(h33Line(cmd, root, tf), "PORT", port) },
		prepare: func(t *testing.T, root, tf string) {
			h32Write(t, filepath.Join(root, "tf", "f.txt"), "a[$("+tf+" destroy -auto-approve -input=false)]\n")
			h32Write(t, filepath.Join(root, "tf", "g.txt"), "($("+tf+" destroy -auto-approve -input=false))\n")
		},
	})
}
