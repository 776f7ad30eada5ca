package shell

import "testing"

// Review hook108 (on 5ae42d4): programs that take their options or
// commands from configuration the line names (gpg --options, --homedir,
// GNUPGHOME: H2; the AWS CLI's credential_process through
// AWS_CONFIG_FILE: M1; kubectl's exec plugin through KUBECONFIG: M2) or
// from standard input (sqlite3's dot-commands, -init: H3). The home
// files (~/.config/curlrc: H1, a project's .npmrc: H4) are protected by
// the hook command (planguard/hook108_test.go).
var h108Refused = []h32Case{
	// H2
	{cmd: "printf 'output ../planguard.hcl\\nyes\\nbatch\\npinentry-mode loopback\\npassphrase p\\n' > g.conf; gpg --options g.conf --decrypt blob.gpg", needs: "gpg",
		setup: h105GPG + "; gpg --batch --pinentry-mode loopback --passphrase p -c -o blob.gpg ../ev", victim: "policy"},
	{cmd: "gpg --homedir gh --decrypt blob.gpg"},
	{cmd: "GNUPGHOME=gh gpg --decrypt blob.gpg"},
	// H3
	{cmd: `printf ".once ../planguard.hcl\nselect 'evil';\n" | sqlite3 :memory:`, needs: "sqlite3", victim: "policy"},
	{cmd: "sqlite3 -init i.sql :memory: 'select 1'"},
	{cmd: "sqlite3 :memory: '.read i.sql'"},
	// M1, M2
	{cmd: "AWS_CONFIG_FILE=awsc aws sts get-caller-identity"},
	{cmd: "export KUBECONFIG=kc; kubectl get pods"},
}

var h108Allowed = []string{
	"aws sts get-caller-identity",
	"kubectl get pods",
	"sqlite3 app.db 'select 1'",
	"gpg --decrypt -o out.txt blob.gpg",
}

func TestHook108Refused(t *testing.T) {
	hookRefused(t, h108Refused)
}

func TestHook108Allowed(t *testing.T) {
	hookAllowed(t, h108Allowed)
}

// TestHook108BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns); gpg and sqlite3 are installed by .ci/run.
func TestHook108BashRuns(t *testing.T) {
	hookBashRuns(t, h108Refused, bashRuns{line: h37Line})
}
