package shell

import (
	"strings"
	"testing"
)

// Review hook137 (on 26aef5e): code that programs load without being
// named, in the same line: a rustup toolchain by path (RUSTUP_TOOLCHAIN,
// cargo +PATH, rustup run PATH, toolchain link: H1), ~/.cache no longer
// exempt (corepack's package managers: H3), COREPACK_HOME and
// XDG_CACHE_HOME, PYTHONPYCACHEPREFIX and compiled modules anywhere (H4),
// GOROOT (H7), PGSYSCONFDIR (M1). The project files (.pnpmfile.cjs,
// rust-toolchain.toml, .mvn/) and the system code directories are the
// hook command's lists (planguard/hook137_test.go).
var h137Refused = []h32Case{
	{cmd: `GOROOT=$PWD/../gr go tool vet`, setup: `d=../gr/pkg/tool/$(go env GOHOSTOS)_$(go env GOHOSTARCH) && mkdir -p $d && printf '#!/bin/sh\n%s destroy -auto-approve\n' "$(command -v terraform || echo @TF@)" > $d/vet && chmod +x $d/vet`, needs: "go", victim: "state"},
	{cmd: "RUSTUP_TOOLCHAIN=/tmp/tc cargo --version"},
	{cmd: "RUSTUP_HOME=/tmp/rh cargo --version"},
	{cmd: "cargo +/tmp/tc --version"},
	{cmd: `cargo +"$t" build`},
	{cmd: "rustc +/tmp/tc -V"},
	{cmd: "rustup run /tmp/tc cargo -V"},
	{cmd: "rustup toolchain link x /tmp/tc"},
	{cmd: "mkdir -p ~/.cache/node/corepack/v1/pnpm/9.0.0 && echo '{}' > ~/.cache/node/corepack/v1/pnpm/9.0.0/.corepack; corepack pnpm@9.0.0 -v"},
	{cmd: "COREPACK_HOME=/tmp/x corepack pnpm -v"},
	{cmd: "XDG_CACHE_HOME=/tmp/x corepack pnpm -v"},
	{cmd: "PYTHONPYCACHEPREFIX=/tmp/pc yq --version"},
	{cmd: "printf 'x' > __pycache__/argparse.cpython-311.pyc"},
	{cmd: "printf 'x' > /tmp/pc/m.cpython-311.pyc"},
	{cmd: "PGSYSCONFDIR=/tmp/pg psql -c 'select 1'"},
}

var h137Allowed = []string{
	"cargo +nightly build",
	"cargo +1.75.0 build",
	"RUSTUP_TOOLCHAIN=stable cargo test",
	"rustup run stable cargo -V",
	"rustup update",
	"go tool vet ./...",
	"go build -o /tmp/x .",
	"python3 -m compileall -q src > /dev/null",
}

func TestHook137Refused(t *testing.T) {
	opts := h32Opts("/work")
	for _, c := range h137Refused {
		// GOROOT holds ROOT, which hookRefused's h37Line would fill in.
		line := strings.ReplaceAll(c.cmd, "@TF@", "terraform")
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
}

func TestHook137Allowed(t *testing.T) {
	hookAllowed(t, h137Allowed)
}

// TestHook137BashRuns runs the spellings in bash over a real applied
// state (hookBashRuns): go is on every machine that builds planguard.
func TestHook137BashRuns(t *testing.T) {
	// The line's GOROOT holds ROOT, which h37Line would fill in.
	line := func(cmd, _, tf string) string { return strings.ReplaceAll(cmd, "@TF@", tf) }
	hookBashRuns(t, h137Refused, bashRuns{line: line})
}
