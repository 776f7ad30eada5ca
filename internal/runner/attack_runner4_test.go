package runner

// Attacker review r-runner4 of `planguard runner` (issue 17 part 1): the
// second line of defence, the redaction of the env file's values from the
// replies, against the way real Terraform prints a value.
//
// The redactor matches a secret as written and in the encodings a
// configuration would use (base64, hex, URL and JSON escaping). A value
// reaches a reply when an allowed provider or the pinned backend prints
// it: a data source that returns a connection string, an error that
// quotes the credential it was given, an object the provider reads back
// (the first line, "the configuration never receives the values", does
// not hold for whatever an allowed provider returns). These tests stand
// in for that provider with a literal in the configuration: what matters
// is how Terraform renders the value, and whether the reply still holds
// the secret, readable by anyone.

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// planWithSecrets plans files in a real runner whose env file held
// secrets, and returns the reply.
func planWithSecrets(t *testing.T, secrets []string, files map[string]string) (Result, string) {
	t.Helper()
	pinned := filepath.Join(t.TempDir(), "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	r.svc.Reload(&ExecTerraform{Bin: r.tf, Env: r.env, StopGrace: 10 * time.Second}, secrets)
	var fs []File
	for p, c := range files {
		fs = append(fs, File{Path: p, Data: []byte(localBackend(pinned) + c)})
	}
	var out bytes.Buffer
	res := r.svc.Plan(context.Background(), Peer{UID: 1000}, fs, &out)
	return res, out.String() + "\n" + res.Error
}

// TestAttackRunner4RedactionMissesTerraformQuoting: Terraform prints a
// string value in a plan (a resource attribute, an output, a value in a
// diagnostic) between double quotes, escaping '"' and '\' with a
// backslash and nothing else. The redactor's escaped form is Go's
// json.Marshal, which also turns '<', '>' and '&' into \u003c, \u003e,
// \u0026. So a credential holding a quote (or backslash) and any of <, >,
// & (common in generated database passwords) is in neither form once
// Terraform prints it: the reply holds `pa\"ss<w>rd&1-x`, the secret
// plain to read. Expected: the reply holds no form of the secret a reader
// can undo by eye (Terraform's quoting: backslash before '"' and '\').
func TestAttackRunner4RedactionMissesTerraformQuoting(t *testing.T) {
	secret := `pa"ss<w>rd&1-x`
	res, out := planWithSecrets(t, []string{secret}, map[string]string{
		"main.tf": "resource \"terraform_data\" \"conn\" {\n  input = \"pa\\\"ss<w>rd&1-x\"\n}\n",
	})
	if res.Exit == ExitError && !strings.Contains(out, "terraform_data.conn") {
		t.Fatalf("the plan failed before printing anything: %s\n%s", res.Error, out)
	}
	quoted := `pa\"ss<w>rd&1-x`
	if strings.Contains(out, quoted) || strings.Contains(out, secret) {
		t.Fatalf("the reply holds the env file's value as Terraform quotes it (%s):\n%s", quoted, out)
	}
}

// TestAttackRunner4RedactionMissesWrappedDiagnostic: Terraform wraps the
// text of a diagnostic (an error or warning detail: a provider's error
// message, a failed check's error_message) at 78 columns, breaking lines at
// spaces. A credential with a space in it (a passphrase, "Bearer TOKEN",
// a connection string with options) that a diagnostic quotes is split
// over two lines, and the redactor, which matches the value byte for
// byte, redacts neither half. Expected: the value is redacted also when
// Terraform's wrapping put a line break in place of one of its spaces.
func TestAttackRunner4RedactionMissesWrappedDiagnostic(t *testing.T) {
	secret := "correct horse battery staple"
	pad := strings.Repeat("x", 62)
	res, out := planWithSecrets(t, []string{secret}, map[string]string{
		"main.tf": "resource \"terraform_data\" \"a\" {\n  input = \"v1\"\n}\n" +
			"check \"c\" {\n  assert {\n    condition     = terraform_data.a.input == \"v2\"\n    error_message = \"" + pad + " " + secret + "\"\n  }\n}\n",
	})
	if !strings.Contains(out, "Check block assertion failed") {
		t.Fatalf("no check warning (exit %d %s):\n%s", res.Exit, res.Error, out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	if strings.Contains(flat, secret) {
		t.Fatalf("the reply holds the env file's value %q split over lines by Terraform's wrapping:\n%s", secret, out)
	}
}
