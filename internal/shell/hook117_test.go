package shell

import "testing"

// Review hook117 (on 3fe74e9): CDK for Terraform through pnpx, bunx, bun x,
// deno's npm: and node with its bundle's path (H4, L1); sqlite3's
// two-valued -lookaside and -pagecache, and -nonce (H5); gawk's AWKPATH
// lookup and .awk suffix for -f and -i (H6); npm explore's joined command
// (M1); go run's valued flags before the module (M2); tofuenv, tgenv and
// tfmigrate (M3); cargo's CARGO_ configuration keys (M4). planguard apply
// behind strace -E, sudo and a quoted env is tested by the hook command
// (planguard/hook117_test.go).
var h117Refused = []h32Case{
	{cmd: "pnpx cdktf-cli@0.21.0 destroy --skip-synth --auto-approve"},
	{cmd: "bunx cdktf-cli destroy --auto-approve"},
	{cmd: "bun x cdktf-cli destroy --auto-approve"},
	{cmd: "deno run -A npm:cdktf-cli destroy --auto-approve"},
	{cmd: "node node_modules/cdktf-cli/bundle/bin/cdktf destroy --auto-approve"},
	{cmd: "echo '.shell @TF@ destroy -auto-approve' | sqlite3 -lookaside 0 0 x.db", needs: "sqlite3", victim: "state"},
	{cmd: "echo '.shell @TF@ destroy -auto-approve' | sqlite3 -pagecache 0 0 x.db", needs: "sqlite3", victim: "state"},
	{cmd: "echo '.shell @TF@ destroy -auto-approve' | sqlite3 -nonce x x.db", needs: "sqlite3", victim: "state"},
	{cmd: "sqlite3 -newoption 1 x.db 'select 1'"},
	{cmd: `printf 'BEGIN{system("@TF@ destroy -auto-approve")}' > a.awk; gawk -f a 'BEGIN{}'`, needs: "gawk", victim: "state"},
	{cmd: `printf 'BEGIN{system("@TF@ destroy -auto-approve")}' > a.awk; gawk -i a 'BEGIN{}'`, needs: "gawk", victim: "state"},
	{cmd: `mkdir -p lib; printf 'BEGIN{system("@TF@ destroy -auto-approve")}' > lib/a.awk; AWKPATH=lib gawk --include=a 'BEGIN{}'`, needs: "gawk", victim: "state"},
	{cmd: `printf 'x' > a.so; gawk -l a 'BEGIN{}'`},
	{cmd: `printf 'x:\n\t@TF@ destroy -auto-approve\n' > m.mk; make --file=m.mk x`, needs: "make", victim: "state"},
	{cmd: `printf 's/a/b/' > s.sed; sed --file=s.sed x`},
	{cmd: `npm explore foo -- "cd ../.. && @TF@ destroy -auto-approve"`},
	{cmd: `npx -c '@TF@ destroy -auto-approve'`},
	{cmd: `pnpm dlx -c cowsay '@TF@ destroy -auto-approve'`},
	{cmd: "go run -tags x github.com/hashicorp/terraform@v1.11.4 destroy -auto-approve"},
	{cmd: "go run -mod mod -p 4 github.com/hashicorp/terraform@v1.11.4 destroy -auto-approve"},
	{cmd: "tofuenv exec destroy -auto-approve"},
	{cmd: "tgenv exec destroy"},
	{cmd: "tfmigrate apply"},
	{cmd: "CARGO_BUILD_RUSTDOC=/tmp/w cargo doc"},
	{cmd: "CARGO_TARGET_DIR=.git cargo build"},
	{cmd: "export CARGO_REGISTRY_CREDENTIAL_PROVIDER=x; cargo publish"},
}

var h117Allowed = []string{
	"node node_modules/cdktf-cli/bundle/bin/cdktf synth",
	"tfmigrate plan",
	"sqlite3 -heap 1 app.db 'select 1'",
	"sqlite3 -readonly -json app.db 'select 1'",
	"gawk -f /usr/share/awk/ord.awk 'BEGIN{}'",
	"go run -race ./cmd/server",
	"npx -c 'ls'",
	"npm explore foo -- ls -la",
	"CARGO_TERM_COLOR=always cargo build",
}

func TestHook117Refused(t *testing.T) {
	hookRefused(t, h117Refused)
}

func TestHook117Allowed(t *testing.T) {
	hookAllowed(t, h117Allowed)
}

// TestHook117BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): make is always there; .ci/run installs sqlite3 and gawk.
func TestHook117BashRuns(t *testing.T) {
	hookBashRuns(t, h117Refused, bashRuns{line: h37Line})
}
