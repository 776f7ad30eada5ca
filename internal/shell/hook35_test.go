package shell

import "testing"

// Review hook35 (issue 17 part 2), findings 1, 3, 4 and a false refusal.
// F1: sort --compress-program runs its value on the sorted data; F3: a
// decompressor strips the -S/--suffix it is given; F4: curl -T SRC into
// a file URL ending in /. appends SRC's base name. `[` is test.

var h35Refused = []string{
	// F1
	"sort -S 1 --compress-program=bash big -o out",
	"sort -S 1 --compress-program=sh big",
	"sort --compress-prog=bash -S1 big",
	"sort --compress-p=bash -S1 big",
	"sort big --compress-program bash -S 1",
	"sort big --compress-program=/bin/bash -S 1",
	"sort -S1 --compress-program=python3 big",
	"sort -S1 --compress-program=env big",
	"sort -S1 --compress-program=./x big",
	"sort -S1 --compress-program=\"$P\" big",
	"sort -S1 --compress-program=$(echo gzip) big",
	"sort -S1 --compress-program=TF big",
	// F3
	"gunzip -f --suffix=.x ~/.bashrc.x",
	"gzip -d -f -S .x ../planguard.hcl.x",
	"gzip -dfS.x ../planguard.hcl.x",
	"gzip -dfS .x ../planguard.hcl.x",
	"gunzip -f --suf=x ../planguard.hclx",
	"gunzip -f --suffix x ../planguard.hclx",
	"xz -d -f -S .x ../planguard.hcl.x",
	"unxz -f -S .x ../planguard.hcl.x",
	"lzma -d -f --suffix=.x ../planguard.hcl.x",
	"unlzma -f --suffix=.x ../planguard.hcl.x",
	"gzip ../planguard.hcl.x -d -S .x",
	"gzip --decompress --suffix=.x ../planguard.hcl.x",
	"gzip -d -S \"$S\" ../planguard.hcl.x",
	"gunzip -S $(echo .x) f.x",
	// F4
	"curl -sT /tmp/evil/planguard.hcl file:///work/.",
	"curl -sT /tmp/evil/planguard.hcl file:///work/tf/..",
	"curl -sT /tmp/evil/planguard.hcl file:///work/./",
	"curl -sT /tmp/evil/planguard.hcl file:///work/x/../.",
	"curl -sT /tmp/evil/allowed_signers file:///work/.",
	"curl -sT /tmp/evil/planguard.hcl file:///work/.?x",
	"curl -sT /tmp/evil/planguard.hcl file:///work/tf/..?x",
	"curl -sT /tmp/evil/planguard.hcl file://localhost/work/.",
	"curl -sT /tmp/evil/x file:///work/x/../planguard.hcl",
	"curl -sT /tmp/evil/x file:///work//planguard.hcl",
	// `[` judged as test: what test refuses stays refused.
	"[ -v 'a[$(TF destroy)]' ]",
	"[[ -v 'a[$(TF destroy)]' ]]",
}

// h35Allowed are near misses that must stay allowed.
var h35Allowed = []string{
	"sort -S1 --compress-program=gzip f",
	"sort -S1 --compress-program=/usr/bin/zstd f",
	"sort f --compress-program=xz",
	"sort -S 1 --compress-program=pigz big.txt -o /tmp/out",
	"sort -o out.txt f",
	"gunzip a.gz",
	"gzip -d -S .z a.z",
	"gzip -dc -S .x f.x > /tmp/out",
	"gunzip --suffix=.x notes.txt.x",
	"xz -d -S .x a.x",
	"gzip -S .x a.txt",
	"curl -T a.txt file:///tmp/x/",
	"curl -T a.txt file:///tmp/x/.",
	"curl -T a.txt file:///tmp/x/./y.txt",
	"curl -s https://example.com/.",
	"curl -T a.txt 'file:///tmp/x/.?y'",
	"curl -T a.txt file:///tmp/x/.?y",
	"[ -f a ] && echo y",
	"[ -f .claude/settings.json ] || echo missing",
	"[ -e ../planguard.hcl ] && echo y",
	"[[ -f x ]]",
	"[ -f ~/.bashrc ]",
	"if [ -d .terraform ]; then echo y; fi",
	"[ \"$a\" = b ] && echo y",
}

func TestHook35Refused(t *testing.T) {
	opts := h32Opts("/work")
	opts.Protected = append(opts.Protected, "/home/agent/.bashrc")
	for _, c := range h35Refused {
		line := h32Line(c, h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", line)
		}
	}
}

func TestHook35Allowed(t *testing.T) {
	opts := h32Opts("/work")
	for _, cmd := range h35Allowed {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}
