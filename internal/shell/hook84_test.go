package shell

import "testing"

// Review hook84 (on ecabb47): go's -C before mod vendor (H1); cargo's
// global options, +toolchain and CARGO_TARGET_DIR before clean (H2); ar's
// operation in a later dashed word (ar -v -x: H3); gzexe/bzexe over a glob
// (H4); the standard tarfile.py run as a script (M1); python's tarfile
// writes ../ and absolute member names where they point unless --filter
// data is given, as cpio and pax do (M2); @FILE argument files (M3).

// h84Ar makes ../ev/x.a, an ar archive holding an empty terraform.tfstate
// (made in ../ev, which holds no state).
const h84Ar = "mkdir -p ../ev && (cd ../ev && : > terraform.tfstate && ar rc x.a terraform.tfstate && rm terraform.tfstate)"

// h84Cargo makes a cargo project here (a Cargo.toml and src/main.rs).
const h84Cargo = "mkdir -p src && printf '[package]\\nname = \"x\"\\nversion = \"0.1.0\"\\nedition = \"2021\"\\n' > Cargo.toml && echo 'fn main() {}' > src/main.rs"

var h84Refused = []h32Case{
	{cmd: "go -C . mod init x && go -C . mod vendor -o .", needs: "go", victim: "statefile"},
	{cmd: "go -C=. mod vendor -o ."},
	{cmd: "go -C .. mod vendor -o tf"},
	{cmd: "go -C \"$D\" mod vendor -o ."},
	{cmd: "cargo -q clean --target-dir .", setup: h84Cargo, needs: "cargo", victim: "statefile"},
	{cmd: "CARGO_TARGET_DIR=. cargo clean", setup: h84Cargo, needs: "cargo", victim: "statefile"},
	{cmd: "cargo --offline clean --target-dir=."},
	{cmd: "cargo +stable clean --target-dir ."},
	{cmd: "cargo --color never clean --target-dir ."},
	{cmd: "CARGO_BUILD_TARGET_DIR=. cargo clean"},
	{cmd: "export CARGO_TARGET_DIR=.; cargo clean"},
	{cmd: "cargo --config build.target-dir=. clean"},
	{cmd: "ar -v -x ../ev/x.a", setup: h84Ar, needs: "ar", victim: "statefile"},
	{cmd: "ar -o -x ../ev/x.a"},
	{cmd: "ar -P -x ../ev/x.a"},
	{cmd: "ar --output=. -v -x ../ev/x.a"},
	{cmd: "echo x ../ev/x.a > ../ev/args && ar @../ev/args", setup: h84Ar, needs: "ar", victim: "statefile"},
	{cmd: "jar @../ev/jargs"},
	{cmd: "bzexe ./* && rm -f ./*~", needs: "bzexe", victim: "statefile"},
	{cmd: "gzexe ./*"},
	{cmd: "python3 /usr/lib/python3.11/tarfile.py -e ../ev/e.tar"},
	{cmd: "python3 lib/tarfile.py -e x.tar"},
	{cmd: "python3 -m tarfile -e ../ev/t.tar /tmp/scratch"},
	{cmd: "python3 -m tarfile --filter fully_trusted -e x.tar /tmp/scratch"},
	{cmd: "cpio -i < /tmp/x.cpio"},
	{cmd: "cpio -id -D /tmp/out < /tmp/x.cpio"},
	{cmd: "pax -r -f /tmp/x.pax"},
}

var h84Allowed = []string{
	"python3 -m tarfile -e x.tar /tmp/scratch --filter data",
	"python3 -m tarfile --filter=data -e x.tar /tmp/out",
	"python3 -m tarfile -l x.tar",
	"cpio -i --no-absolute-filenames -D /tmp/out < /tmp/x.cpio",
	"cpio -t < /tmp/x.cpio",
	"ar t x.a",
	"ar rcs libx.a a.o b.o",
	"ar -t x.a",
	"ar -t xa",
	"ar -tv xlib.a",
	"cargo -q build",
	"cargo +stable test",
	"cargo clean",
	"go -C /tmp/mod mod vendor",
	"go -C /tmp/mod build ./...",
	"gzexe -d /tmp/bin/tool",
}

func TestHook84Refused(t *testing.T) {
	hookRefused(t, h84Refused)
}

func TestHook84Allowed(t *testing.T) {
	hookAllowed(t, h84Allowed)
}

// TestHook84BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook84BashRuns(t *testing.T) {
	hookBashRuns(t, h84Refused, bashRuns{line: h37Line})
}
