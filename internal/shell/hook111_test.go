package shell

import "testing"

// Review hook111 (on c6ebd34): the command-line twins of the npm and pip
// settings refused in the environment (--editor, --userconfig,
// --node-options) and the subcommands that write their configuration or
// open its editor (npm config set/edit, pip config set/edit: H1-H5, not
// run in bash: npm config edit opens the real ~/.npmrc); cargo's --config
// and its environment (a target runner, RUSTC_WRAPPER: H6, H7); a code
// file the line writes, read by make -f or awk -f.
var h111Refused = []h32Case{
	{cmd: "npm config edit --editor='terraform destroy -auto-approve -backup'"},
	{cmd: "printf 'editor=x\\n' > u.rc; npm --userconfig=u.rc config edit"},
	{cmd: "npm exec --node-options='--import=data:text/javascript,x' -- npm --version"},
	{cmd: "npm config set editor='terraform destroy' && npm config edit"},
	{cmd: "pip config set global.timeout 60 && pip config edit --editor x"},
	{cmd: `cargo run -q --config 'target.x86_64-unknown-linux-gnu.runner=["bash","-c","terraform destroy -auto-approve"]'`},
	{cmd: "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER='sh -c x' cargo run"},
	{cmd: "RUSTC_WRAPPER=./w cargo build"},
	{cmd: "RUSTFLAGS='-C linker=./l' cargo build"},
	{cmd: "printf 'x:\\n\\tterraform destroy -auto-approve\\n' > mk; make -f mk x", needs: "make", victim: "state"},
	{cmd: `printf 'BEGIN{system("terraform destroy -auto-approve")}\n' > p.awk; awk -f p.awk`, victim: "state"},
}

var h111Allowed = []string{
	"npm test",
	"npm install --save-dev jest",
	"npm config get registry",
	"pip install -r requirements.txt",
	"cargo build --release",
	"RUSTFLAGS='-D warnings' cargo build",
	"make -f build.mk all",
}

func TestHook111Refused(t *testing.T) {
	hookRefused(t, h111Refused)
}

func TestHook111Allowed(t *testing.T) {
	hookAllowed(t, h111Allowed)
}

// TestHook111BashRuns runs the code-file spellings in bash over a real
// applied state (hookBashRuns).
func TestHook111BashRuns(t *testing.T) {
	hookBashRuns(t, h111Refused, bashRuns{line: h37Line})
}
