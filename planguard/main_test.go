package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	qsPolicy = "../examples/quickstart/planguard.hcl"
	qsPlan   = "../examples/quickstart/plan.json"
	// applyPins is what planguard apply requires of a policy: a state
	// block pinning the local backend's default state file,
	// terraform.tfstate of the directory planguard runs in (what a
	// configuration without a backend block plans against), and a
	// providers list (testProviders).
	applyPins = localStatePin + testProviders
	// localStatePin is the state block alone.
	localStatePin = "\nstate {\n  backend = \"local\"\n}\n"
	// testProviders is a policy's providers list: Terraform's built-in
	// provider, planguard's and the test providers. planguard apply
	// refuses a policy with neither providers nor lock_file.
	testProviders = "providers = [\"terraform.io/builtin/terraform\", \"registry.terraform.io/planguard/planguard\", \"registry.opentofu.org/planguard/planguard\", \"example.com/planguard/*\"]\n"
)

// runCLI runs planguard in-process and returns exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, envv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin:      strings.NewReader(stdin),
		stdout:     &out,
		stderr:     &errb,
		getenv:     func(k string) string { return envv[k] },
		isTerminal: func(io.Writer) bool { return false },
	}
	code := run(e, args)
	return code, out.String(), errb.String()
}

func TestCheckQuickstartBlocks(t *testing.T) {
	code, out, errs := runCLI(t, "", nil, "check", "--policy", qsPolicy, "--now", "2026-11-25T12:00:00Z", qsPlan)
	if code != exitBlock {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "BLOCKED: 2 of 2") {
		t.Errorf("verdict line %q", last)
	}
	for _, want := range []string{
		"planguard approve --policy ../examples/quickstart/planguard.hcl --plan ../examples/quickstart/plan.json --target terraform_data.prod_db --action delete",
		"--target terraform_data.prod_db_backup --action delete",
		"replace  terraform_data.cache",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Flags after the plan argument work too, and stdin works.
	plan, _ := os.ReadFile(qsPlan)
	if code, out, errs := runCLI(t, string(plan), nil, "check", "-", "--policy", qsPolicy, "--format", "json"); code != exitBlock {
		t.Fatalf("stdin: exit %d\n%s%s", code, out, errs)
	}
}

func TestCheckFormats(t *testing.T) {
	for _, f := range []string{"text", "json", "markdown", "sarif", "junit", "github"} {
		code, out, errs := runCLI(t, "", nil, "check", "--policy", qsPolicy, "--format", f, qsPlan)
		if code != exitBlock {
			t.Fatalf("%s: exit %d: %s", f, code, errs)
		}
		switch f {
		case "json":
			var r struct {
				Version  int    `json:"version"`
				Decision string `json:"decision"`
				Scope    string `json:"scope"`
				Plan     struct {
					SHA256 string `json:"sha256"`
				} `json:"plan"`
				Changes []struct {
					Address           string   `json:"address"`
					Action            string   `json:"action"`
					Protected         bool     `json:"protected"`
					RequiredApprovals int      `json:"required_approvals"`
					Problems          []string `json:"problems"`
				} `json:"changes"`
				Approvals []any `json:"approvals"`
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("json: %v\n%s", err, out)
			}
			if r.Version != 1 || r.Decision != "block" || r.Scope != "prod" || len(r.Plan.SHA256) != 64 || len(r.Changes) != 3 || r.Approvals == nil {
				t.Errorf("json report: %+v", r)
			}
			if r.Changes[2].Address != "terraform_data.prod_db_backup" || r.Changes[2].RequiredApprovals != 2 || !r.Changes[2].Protected {
				t.Errorf("json change: %+v", r.Changes[2])
			}
		case "sarif":
			var s struct {
				Version string `json:"version"`
				Runs    []struct {
					Results []struct {
						Level string `json:"level"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal([]byte(out), &s); err != nil || s.Version != "2.1.0" || len(s.Runs[0].Results) != 2 || s.Runs[0].Results[0].Level != "error" {
				t.Errorf("sarif: %v %+v", err, s)
			}
		case "junit":
			var j struct {
				Suites []struct {
					Tests    int `xml:"tests,attr"`
					Failures int `xml:"failures,attr"`
				} `xml:"testsuite"`
			}
			if err := xml.Unmarshal([]byte(out), &j); err != nil || j.Suites[0].Tests != 3 || j.Suites[0].Failures != 2 {
				t.Errorf("junit: %v %+v\n%s", err, j, out)
			}
		case "github":
			if strings.Count(out, "::error ") != 3 {
				t.Errorf("github: %s", out)
			}
		case "markdown":
			if !strings.Contains(out, "| delete | `terraform_data.prod_db` | databases | 0/1 | **BLOCKED**") {
				t.Errorf("markdown: %s", out)
			}
		}
	}
}

// TestCheckErrorsExit2: every malformed input blocks with exit 2 and a message.
func TestCheckErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plan, _ := os.ReadFile(qsPlan)
	as, _ := os.ReadFile("../examples/quickstart/allowed_signers")
	write("allowed_signers", string(as))
	goodPolicy, _ := os.ReadFile(qsPolicy)
	cases := map[string][]string{
		"no args":            {"check"},
		"two plans":          {"check", "--policy", qsPolicy, qsPlan, qsPlan},
		"missing plan":       {"check", "--policy", qsPolicy, filepath.Join(dir, "nope.json")},
		"truncated plan":     {"check", "--policy", qsPolicy, write("trunc.json", string(plan[:len(plan)/2]))},
		"not a plan":         {"check", "--policy", qsPolicy, write("x.txt", "hello")},
		"empty plan":         {"check", "--policy", qsPolicy, write("empty.json", "")},
		"future format":      {"check", "--policy", qsPolicy, write("v2.json", strings.Replace(string(plan), `"format_version":"1.2"`, `"format_version":"2.0"`, 1))},
		"errored plan":       {"check", "--policy", qsPolicy, write("err.json", strings.Replace(string(plan), `"errored":false`, `"errored":true`, 1))},
		"missing policy":     {"check", "--policy", filepath.Join(dir, "nope.hcl"), qsPlan},
		"bad policy":         {"check", "--policy", write("bad.hcl", string(goodPolicy)+"\nbogus = 1\n"), qsPlan},
		"empty policy":       {"check", "--policy", write("empty.hcl", ""), qsPlan},
		"no protect":         {"check", "--policy", write("np.hcl", "scope = \"prod\"\ntrust {\n allowed_signers = \"allowed_signers\"\n}\n"), qsPlan},
		"bad trust":          {"check", "--policy", write("bt.hcl", strings.Replace(string(goodPolicy), `"allowed_signers"`, `"bad_signers"`, 1)), qsPlan},
		"unknown format":     {"check", "--policy", qsPolicy, "--format", "xml", qsPlan},
		"bad now":            {"check", "--policy", qsPolicy, "--now", "yesterday", qsPlan},
		"unknown flag":       {"check", "--policy", qsPolicy, "--allow-all", qsPlan},
		"unknown command":    {"chekc", qsPlan},
		"binary plan no bin": {"check", "--policy", qsPolicy, "--terraform-bin", filepath.Join(dir, "no-terraform"), write("tfplan", "PK\x03\x04rest")},
	}
	write("bad_signers", "alice@example.com ssh-ed25519 AAAA-not-base64\n")
	if !strings.Contains(string(plan), `"format_version":"1.2"`) || !strings.Contains(string(plan), `"errored":false`) {
		t.Fatal("quickstart plan lacks the fields this test edits; regenerate it")
	}
	for name, args := range cases {
		code, out, errs := runCLI(t, "", nil, args...)
		if code != exitError {
			t.Errorf("%s: exit %d, want 2\n%s%s", name, code, out, errs)
			continue
		}
		if !strings.HasPrefix(errs, "planguard: error: ") {
			t.Errorf("%s: stderr %q lacks the error line", name, errs)
		}
		if strings.Contains(out, "ALLOWED") {
			t.Errorf("%s: printed ALLOWED on error", name)
		}
	}
}

func sshKeygen(t *testing.T, dir, name string) string {
	t.Helper()
	priv := filepath.Join(dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", priv).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	return priv
}

// TestApproveSignVerify runs the approver's side: approve from a real plan,
// co-sign with planguard and with plain ssh-keygen over `planguard payload`,
// and verify the file against the policy.
func TestApproveSignVerify(t *testing.T) {
	dir := t.TempDir()
	alice, bob, carol := sshKeygen(t, dir, "alice"), sshKeygen(t, dir, "bob"), sshKeygen(t, dir, "carol")
	var trust strings.Builder
	for p, k := range map[string]string{"alice@example.com": alice, "bob@example.com": bob, "carol@example.com": carol} {
		pub, _ := os.ReadFile(k + ".pub")
		trust.WriteString(p + ` namespaces="planguard-approval" ` + string(pub))
	}
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(trust.String()), 0o600)
	pol, _ := os.ReadFile(qsPolicy)
	policyPath := filepath.Join(dir, "planguard.hcl")
	os.WriteFile(policyPath, pol, 0o600)
	out := filepath.Join(dir, "approvals.tf")
	now := "2026-11-25T12:00:00Z"

	code, _, errs := runCLI(t, "", nil, "approve", "--policy", policyPath, "--plan", qsPlan, "--target", "terraform_data.prod_db_backup",
		"--reason", "CHG-1042: retire the legacy backup", "--expires", "24h", "--now", now, "--key", alice, "--principal", "alice@example.com", "--out", out)
	if code != 0 {
		t.Fatalf("approve: %d %s", code, errs)
	}
	src, _ := os.ReadFile(out)
	for _, want := range []string{`resource "planguard_approval" "delete_terraform_data_prod_db_backup"`, `scope      = "prod"`, `action     = "delete"`, `expires_at = "2026-11-26T12:00:00Z"`, `identity   = "`, `principal = "alice@example.com"`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("approvals.tf lacks %q:\n%s", want, src)
		}
	}
	// One signature of a quorum of two: verify says it is sound.
	code, vout, errs := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out)
	if code != 0 || !strings.Contains(vout, "valid (signed by alice@example.com)") {
		t.Fatalf("verify: %d %s %s", code, vout, errs)
	}
	// Approving again under the same name is refused.
	if code, _, _ := runCLI(t, "", nil, "approve", "--policy", policyPath, "--plan", qsPlan, "--target", "terraform_data.prod_db_backup",
		"--reason", "again", "--now", now, "--key", alice, "--principal", "alice@example.com", "--out", out); code != exitError {
		t.Fatal("second approve with the same name was accepted")
	}
	// bob co-signs with planguard.
	if code, _, errs := runCLI(t, "", nil, "sign", "--file", out, "--target", "terraform_data.prod_db_backup", "--principal", "bob@example.com", "--key", bob); code != 0 {
		t.Fatalf("sign: %s", errs)
	}
	// alice cannot sign twice.
	if code, _, _ := runCLI(t, "", nil, "sign", "--file", out, "--target", "terraform_data.prod_db_backup", "--principal", "alice@example.com", "--key", alice); code != exitError {
		t.Fatal("duplicate principal accepted")
	}
	// carol signs with plain ssh-keygen over `planguard payload`.
	code, payload, errs := runCLI(t, "", nil, "payload", "--file", out, "--name", "delete_terraform_data_prod_db_backup")
	if code != 0 || !strings.HasPrefix(payload, `{"action":"delete",`) || strings.HasSuffix(payload, "\n") {
		t.Fatalf("payload: %d %q %s", code, payload, errs)
	}
	pf := filepath.Join(dir, "payload")
	os.WriteFile(pf, []byte(payload), 0o600)
	if o, err := exec.Command("ssh-keygen", "-Y", "sign", "-n", "planguard-approval", "-f", carol, pf).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v %s", err, o)
	}
	// A signature over other bytes is refused by sign.
	other := filepath.Join(dir, "other")
	os.WriteFile(other, []byte(payload+" "), 0o600)
	exec.Command("ssh-keygen", "-Y", "sign", "-n", "planguard-approval", "-f", carol, other).Run()
	if code, _, _ := runCLI(t, "", nil, "sign", "--file", out, "--name", "delete_terraform_data_prod_db_backup", "--principal", "carol@example.com", "--signature", other+".sig"); code != exitError {
		t.Fatal("sign accepted a signature over other bytes")
	}
	if code, _, errs := runCLI(t, "", nil, "sign", "--file", out, "--name", "delete_terraform_data_prod_db_backup", "--principal", "carol@example.com", "--signature", pf+".sig"); code != 0 {
		t.Fatalf("sign --signature: %s", errs)
	}
	code, vout, _ = runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out)
	if code != 0 || !strings.Contains(vout, "signed by alice@example.com, bob@example.com, carol@example.com") {
		t.Fatalf("verify after co-signing: %d %s", code, vout)
	}
	// The author's signature does not count; an expired approval fails verify.
	code, vout, _ = runCLI(t, "", map[string]string{"PLANGUARD_AUTHOR": "bob@example.com"}, "verify", "--policy", policyPath, "--now", now, out)
	if code != 0 || strings.Contains(vout, "bob@example.com,") || !strings.Contains(vout, "bob@example.com is the change's author") {
		t.Fatalf("verify with author: %d %s", code, vout)
	}
	if code, vout, _ := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", "2026-11-27T00:00:00Z", out); code != exitBlock || !strings.Contains(vout, "expired") {
		t.Fatalf("verify expired: %d %s", code, vout)
	}
	// Tampering with the reason invalidates every signature.
	tampered := strings.Replace(readFile(t, out), "retire the legacy backup", "retire everything", 1)
	os.WriteFile(out, []byte(tampered), 0o600)
	if code, vout, _ := runCLI(t, "", nil, "verify", "--policy", policyPath, "--now", now, out); code != exitBlock || !strings.Contains(vout, "bad_signature") {
		t.Fatalf("verify tampered: %d %s", code, vout)
	}
}

func readFile(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	k := filepath.Join(dir, "k")
	code, out, errs := runCLI(t, "", nil, "keygen", "--out", k, "--principal", "alice@example.com")
	if code != 0 || !strings.HasPrefix(out, `alice@example.com namespaces="planguard-approval" ssh-ed25519 `) {
		t.Fatalf("keygen: %d %q %s", code, out, errs)
	}
	if st, err := os.Stat(k); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode: %v %v", st, err)
	}
	// ssh-keygen reads the key planguard wrote.
	if o, err := exec.Command("ssh-keygen", "-y", "-f", k).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -y: %v %s", err, o)
	}
	if code, _, _ := runCLI(t, "", nil, "keygen", "--out", k, "--principal", "alice@example.com"); code != exitError {
		t.Fatal("keygen overwrote a key")
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, c := range commands() {
		code, out, _ := runCLI(t, "", nil, c.name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: planguard "+c.name) {
			t.Errorf("%s --help: %d %q", c.name, code, out)
		}
	}
	if code, out, _ := runCLI(t, "", nil, "--version"); code != 0 || out != "planguard dev\n" {
		t.Errorf("version: %d %q", code, out)
	}
}

// TestCLIReferenceCoversEveryFlag keeps docs/guides/cli.md in step with the code.
func TestCLIReferenceCoversEveryFlag(t *testing.T) {
	doc := readFile(t, "../docs/guides/cli.md")
	for _, c := range commands() {
		if !strings.Contains(doc, "`planguard "+c.name) && !strings.Contains(doc, "| `"+c.name+"` |") {
			t.Errorf("docs/guides/cli.md does not document command %s", c.name)
		}
		_, out, _ := runCLI(t, "", nil, c.name, "--help")
		for _, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, "  -") {
				continue
			}
			flag := "--" + strings.Fields(line)[0][1:]
			if !strings.Contains(doc, "`"+flag) {
				t.Errorf("docs/guides/cli.md does not document %s %s", c.name, flag)
			}
		}
	}
}
