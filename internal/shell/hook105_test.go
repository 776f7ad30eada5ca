package shell

import "testing"

// Review hook105 (on 4338583): GNU gzip's other suffixes (-gz, -z, _z:
// H1); gpg given a file and no command, which decrypts FILE.gpg into FILE
// (H2), and --use-embedded-filename (H3); a path inside an argument of a
// program the hook does not know, after a space, a comma or a SCHEME:
// (sqlite3 '.once FILE', gcc -Wl,-Map,FILE, convert TXT:FILE, socat
// CREATE:FILE: H4, H5, M1, M2).

// h105GPG: a gpg home of the test's own, for the setup and the line.
const h105GPG = "export GNUPGHOME=$PWD/../gh; mkdir -p -m 700 $GNUPGHOME; echo evil > ../ev"

var h105Refused = []h32Case{
	// H1
	{cmd: "gunzip -f ../planguard.hcl-gz", setup: "echo evil | gzip > ../planguard.hcl-gz", victim: "policy"},
	{cmd: "gzip -df terraform.tfstate_z", setup: "echo x | gzip > terraform.tfstate_z", victim: "statefile"},
	{cmd: "gunzip ../allowed_signers-z"},
	{cmd: "unpigz -f ../planguard.hcl_z"},
	// H2
	{cmd: "gpg --batch --pinentry-mode loopback --passphrase p --yes ../planguard.hcl.gpg", needs: "gpg",
		setup: h105GPG + "; gpg --batch --pinentry-mode loopback --passphrase p -c -o ../planguard.hcl.gpg ../ev", victim: "policy"},
	{cmd: "gpg --yes ../allowed_signers.asc"},
	// H3
	{cmd: "gpg --batch --pinentry-mode loopback --passphrase p --yes --use-embedded-filename blob.gpg", needs: "gpg",
		setup: h105GPG + "; gpg --batch --pinentry-mode loopback --passphrase p -c --set-filename terraform.tfstate -o blob.gpg ../ev", victim: "statefile"},
	// H4
	{cmd: `sqlite3 :memory: '.once ../planguard.hcl' "select 'evil'"`, needs: "sqlite3", victim: "policy"},
	{cmd: `sqlite3 -cmd '.output ../allowed_signers' :memory: "select 1"`},
	{cmd: `sqlite3 :memory: '.backup ../planguard.hcl'`},
	// H5
	{cmd: "gcc -Wl,-Map,terraform.tfstate,-s x.c", setup: "printf 'int main(){return 0;}' > x.c", needs: "gcc", victim: "statefile"},
	{cmd: "gcc -Wl,-Map,../planguard.hcl x.c"},
	{cmd: "cc -Wp,-MD,../planguard.hcl -c x.c"},
	// M1, M2
	{cmd: "convert -size 1x1 xc:red TXT:../planguard.hcl"},
	{cmd: "socat -u - CREATE:../planguard.hcl"},
}

var h105Allowed = []string{
	"gpg --verify x.sig",
	"gpg -d -o out.txt x.gpg",
	"gpg --import key.asc",
	"gpg --list-keys",
	"gcc -Wl,-O1 -o app x.c",
	"sqlite3 app.db 'select * from t'",
	"gunzip x.gz",
	"python3 x.py 'a, b'",
	"kubectl cp pod:/x ./y",
	"gh pr create --body 'see ../lib, done'",
}

func TestHook105Refused(t *testing.T) {
	hookRefused(t, h105Refused)
}

func TestHook105Allowed(t *testing.T) {
	hookAllowed(t, h105Allowed)
}

// TestHook105BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns); gpg, sqlite3 and gcc where installed.
func TestHook105BashRuns(t *testing.T) {
	hookBashRuns(t, h105Refused, bashRuns{line: h37Line})
}
