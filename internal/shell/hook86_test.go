package shell

import "testing"

// Review hook86 (on b0a35de): an extractor, compressor or clearer behind a
// wrapper whose program the hook does not place (chrt -o 0 gzip -r .: H1);
// a wrapper's directory option in a cluster or abbreviated (unshare
// -fwDIR, --chd DIR: H2); ar by binutils' other names (H3); uncompress
// (H4); cargo --config in any TOML spelling (H5); python tarfile's last
// --filter (H6); gawk -i inplace over a glob (H7); ptar and gpgtar (L1,
// L2). False refusal fixed: npx --prefix, uv --project (not a directory
// change), valgrind -d (not one of its directory letters).

var h86Refused = []h32Case{
	{cmd: "chrt -o 0 gzip -r .", needs: "chrt", victim: "statefile"},
	{cmd: "valgrind -q gzip -r .", needs: "valgrind", victim: "statefile"},
	{cmd: "chrt -o 0 ar x ../ev/x.a", setup: h84Ar, needs: "chrt ar", victim: "statefile"},
	{cmd: "gzip -c /dev/null > terraform.tfstatez && chrt -o 0 gunzip -S z -f terraform.tfstatez", needs: "chrt", victim: "statefile"},
	{cmd: "rustup run stable cargo clean --target-dir ."},
	{cmd: "choom -n 0 -- unzip -o x.zip"},
	{cmd: "unshare -fw.. rm -rf tf", needs: "unshare", victim: "statefile"},
	{cmd: "unshare --w=.. rm -rf tf", needs: "unshare", victim: "statefile"},
	{cmd: "start-stop-daemon --start --chd .. --exec /bin/rm -- -rf tf", needs: "start-stop-daemon", victim: "statefile"},
	{cmd: "x86_64-linux-gnu-ar x ../ev/x.a", setup: h84Ar, needs: "x86_64-linux-gnu-ar", victim: "statefile"},
	{cmd: "gcc-ar x ../ev/x.a", setup: h84Ar, needs: "gcc-ar", victim: "statefile"},
	{cmd: "llvm-ar x ../ev/x.a"},
	{cmd: "gzip -c /dev/null > terraform.tfstatez && uncompress -S z -f terraform.tfstatez", needs: "uncompress", victim: "statefile"},
	{cmd: "uncompress -f -r ."},
	{cmd: "cargo --config '\"build\".target-dir = \".\"' clean"},
	{cmd: "cargo --config 'build.\"target\\u002ddir\"=\".\"' clean"},
	{cmd: "python3 -m tarfile --filter data --filter fully_trusted -e ../ev/t.tar /tmp/scr"},
	{cmd: "gawk -i inplace 'FILENAME ~ /state/ {sub(/prod_db/, \"gone\")} 1' ./*"},
	{cmd: "awk -i inplace 1 ./*"},
	{cmd: "ptar -x -f ../ev/e.tar", setup: h82Tar, needs: "ptar tar", victim: "statefile"},
	{cmd: "gpgtar --skip-crypto --decrypt --directory . ../ev/e.tar"},
}

var h86Allowed = []string{
	"npx --prefix web rimraf dist",
	"uv run --project . rm -rf build",
	"valgrind --trace-children=yes -d rm -rf build",
	"chrt -o 0 make test",
	"valgrind -q ./prog",
	"gawk -i inplace 1 notes.txt",
	"python3 -m tarfile --filter fully_trusted --filter data -e x.tar /tmp/scr",
	"gpgtar --decrypt x.gpg",
	"ptar -t -f x.tar",
}

func TestHook86Refused(t *testing.T) {
	hookRefused(t, h86Refused)
}

func TestHook86Allowed(t *testing.T) {
	hookAllowed(t, h86Allowed)
}

// TestHook86BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook86BashRuns(t *testing.T) {
	hookBashRuns(t, h86Refused, bashRuns{line: h37Line})
}
