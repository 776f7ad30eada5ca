package shell

import "testing"

// Review hook82 (on 4b04e92): extractors read in one word order only
// (python -B -m tarfile -e, jar --file F --extract: H1); the compressors'
// other installed names (zstdmt, lz4c: H2); go mod vendor -o DIR, which
// removes DIR whole (H3); python -m venv --clear and cargo clean
// --target-dir over a directory that holds the state (L1). A relative
// directory after cd is looked up for a state from where cd went.

// h82Tar makes ../ev/e.tar holding an empty terraform.tfstate (written
// under another name, renamed in the archive).
const h82Tar = "mkdir -p ../ev && : > ../ev/terraform.e && tar -cf ../ev/e.tar -C ../ev --transform='s/[.]e$/.tfstate/' terraform.e"

// h82Zip makes ../ev/e.zip (and the jar ../ev/e.jar) holding a
// terraform.tfstate that is not a state.
const h82Zip = "mkdir -p ../ev && python3 -c 'import zipfile; z = zipfile.ZipFile(\"../ev/e.zip\", \"w\"); z.writestr(\"terraform.tfstate\", \"x\"); z.close()' && cp ../ev/e.zip ../ev/e.jar"

var h82Refused = []h32Case{
	{cmd: "python3 -B -m tarfile -e ../ev/e.tar", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -I -m tarfile -e ../ev/e.tar", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -mtarfile -e ../ev/e.tar", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -Bm tarfile -e ../ev/e.tar", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -m tarfile -v -e ../ev/e.tar", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -m tarfile --extract=../ev/e.tar", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -m tarfile --ext ../ev/e.tar", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -m tarfile -e ../ev/e.tar -v", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -m tarfile -ve ../ev/e.tar", setup: h82Tar, needs: "python3 tar", victim: "statefile"},
	{cmd: "python3 -B -m zipfile -e ../ev/e.zip .", setup: h82Zip, needs: "python3", victim: "statefile"},
	{cmd: "jar --file ../ev/e.jar --extract", setup: h82Zip, needs: "python3 jar", victim: "statefile"},
	{cmd: "jar -f ../ev/e.jar -x", setup: h82Zip, needs: "python3 jar", victim: "statefile"},
	{cmd: "jar --verbose --extract --file ../ev/e.jar", setup: h82Zip, needs: "python3 jar", victim: "statefile"},
	{cmd: "python3.11 -m tarfile -e x.tar"},
	{cmd: "pypy3 -m tarfile -e x.tar"},
	{cmd: "python3 -m tarfile -e x.tar \"$D\""},
	{cmd: "python3 -m \"$M\" -e x.tar"},
	{cmd: "ar --output . x x.a"},
	{cmd: "ar --plugin /dev/null x x.a"},
	{cmd: "ar --output=. xo x.a"},
	{cmd: "dpkg-deb -e x.deb ."},
	{cmd: "dpkg-deb --control x.deb ."},
	{cmd: "zstdmt --rm -- *", needs: "zstdmt", victim: "statefile"},
	{cmd: "lz4c -r --rm .", needs: "lz4c", victim: "statefile"},
	{cmd: "pzstd -r --rm ."},
	{cmd: "unxz -r ."},
	{cmd: "go mod init x && go mod vendor -o .", needs: "go", victim: "statefile"},
	{cmd: "go mod vendor -o=."},
	{cmd: "go work vendor -o ."},
	{cmd: "go mod vendor -o \"$D\""},
	{cmd: "python3 -m venv --clear --without-pip .", needs: "python3", victim: "statefile"},
	{cmd: "python3 -m venv --cl /work/tf"},
	{cmd: "virtualenv --clear ."},
	{cmd: "cargo clean --target-dir ."},
	{cmd: "cargo clean --target-dir=/work/tf"},
}

// h82Parent are refused because the directory they name holds a state,
// which the hook finds on disk: checked over the real applied project.
var h82Parent = []h32Case{
	{cmd: "cd .. && zstdmt -r --rm tf", needs: "zstdmt", victim: "statefile"},
	{cmd: "cd .. && go mod init x && go mod vendor -o tf", needs: "go", victim: "statefile"},
	{cmd: "cd .. && python3 -m venv --clear --without-pip tf", needs: "python3", victim: "statefile"},
	// Found while fixing hook82: a relative directory after cd was looked
	// up for a state from the working directory only.
	{cmd: "cd .. && rm -rf tf", victim: "statefile"},
	{cmd: "cd .. && mv tf tf.old", victim: "statefile"},
	{cmd: "cd /tmp && cd ROOT && rm -rf tf", victim: "statefile"},
	{cmd: "env -C .. rm -rf tf", victim: "statefile"},
	{cmd: "env -C /tmp env -C ROOT rm -rf tf", victim: "statefile"},
}

var h82Allowed = []string{
	"python3 -m tarfile -l x.tar",
	"python3 -m tarfile -e x.tar /tmp/out --filter data",
	"python3 -B -m zipfile -e x.zip /tmp/out",
	"python3 -m venv .venv",
	"python3 -m venv --clear .venv",
	"jar tf x.jar",
	"jar --list --file x.jar",
	"ar t x.a",
	"ar --output /tmp/o x x.a",
	"zstdmt -d x.zst",
	"go mod vendor",
	"go mod vendor -o /tmp/v",
	"cargo clean",
	"cargo build --target-dir /tmp/t",
	"python3 -m pytest -v",
	"python3 script.py -e x",
	"cd build && rm -rf out",
}

func TestHook82Refused(t *testing.T) {
	hookRefused(t, h82Refused)
}

func TestHook82Allowed(t *testing.T) {
	hookAllowed(t, h82Allowed)
}

// TestHook82BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook82BashRuns(t *testing.T) {
	hookBashRuns(t, append(append([]h32Case{}, h82Refused...), h82Parent...), bashRuns{line: h37Line})
}
