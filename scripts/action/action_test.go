// Package action_test runs the GitHub Action for real: the scripts in
// scripts/action and the composite steps of action.yml (interpreted here the
// way the runner does: inputs, env, `if:`, step outputs, GITHUB_PATH), with
// the planguard binary built from this module, plans made by real Terraform,
// and real files for GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_PATH.
package action_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

var (
	root  string // the repository (the action's checkout)
	pgBin string // planguard, built from this module
)

func TestMain(m *testing.M) {
	testbin.Run(m, func(r, dir string) { root, pgBin = r, filepath.Join(dir, "planguard") }, testbin.Planguard)
}

// baseEnv is this process's environment without what would change what the
// scripts do: inputs, GitHub's variables, planguard's own.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "INPUT_") || strings.HasPrefix(name, "GITHUB_") || strings.HasPrefix(name, "RUNNER_") ||
			strings.HasPrefix(name, "PLANGUARD_") || name == "ACTION_PATH" || name == "ACTION_REF" || name == "NO_COLOR" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// runner is what a GitHub runner gives a step: its files and temp directory.
type runner struct {
	output, summary, path, temp string
}

func newRunner(t *testing.T) *runner {
	t.Helper()
	d := t.TempDir()
	r := &runner{output: filepath.Join(d, "output"), summary: filepath.Join(d, "summary"), path: filepath.Join(d, "path"), temp: filepath.Join(d, "temp")}
	for _, f := range []string{r.output, r.summary, r.path} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(r.temp, 0o700); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *runner) env() []string {
	return []string{"GITHUB_OUTPUT=" + r.output, "GITHUB_STEP_SUMMARY=" + r.summary, "GITHUB_PATH=" + r.path, "RUNNER_TEMP=" + r.temp}
}

// outputs parses GITHUB_OUTPUT (name=value lines; the last value wins, as on GitHub).
func (r *runner) outputs(t *testing.T) map[string]string {
	t.Helper()
	return parseOutputs(t, r.output)
}

func parseOutputs(t *testing.T, file string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if l == "" {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok || strings.Contains(k, "<<") {
			t.Fatalf("GITHUB_OUTPUT line %q is not name=value", l)
		}
		m[k] = v
	}
	return m
}

func (r *runner) summaryText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(r.summary)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return result{ee.ExitCode(), o.String(), e.String()}
	case err != nil:
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{0, o.String(), e.String()}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// workspace is a working directory with the quickstart's policy and trust
// file and the given plan JSON as plan.json.
func workspace(t *testing.T, plan string) string {
	t.Helper()
	ws := t.TempDir()
	copyFile(t, filepath.Join(root, "examples/quickstart/planguard.hcl"), filepath.Join(ws, "planguard.hcl"))
	copyFile(t, filepath.Join(root, "examples/quickstart/allowed_signers"), filepath.Join(ws, "allowed_signers"))
	if plan != "" {
		copyFile(t, filepath.Join(root, plan), filepath.Join(ws, "plan.json"))
	}
	return ws
}

const (
	blockPlan = "examples/quickstart/plan.json"                     // deletes prod_db and its backup: blocked
	allowPlan = "internal/plan/testdata/terraform/delete.json"      // deletes an unprotected resource: allowed
	errorPlan = "internal/plan/testdata/terraform/errored.json"     // a plan Terraform marked errored
	otherPlan = "internal/plan/testdata/terraform/create_only.json" // no destructive change
	checkSh   = "scripts/action/check.sh"
	installSh = "scripts/action/install.sh"
)

// check runs check.sh with the runner's files and these variables.
func check(t *testing.T, r *runner, vars ...string) result {
	t.Helper()
	env := append(baseEnv(), "PLANGUARD_BIN="+pgBin)
	if r != nil {
		env = append(env, r.env()...)
	}
	env = append(env, vars...)
	return run(t, t.TempDir(), env, "bash", filepath.Join(root, checkSh))
}

func wantOutputs(t *testing.T, got map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("output %s = %q, want %q (all outputs: %v)", k, got[k], v, got)
		}
	}
}

func readJSONReport(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("report-json: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("report-json %s: %v\n%s", path, err, b)
	}
	return m
}

func TestCheckAllows(t *testing.T) {
	r := newRunner(t)
	ws := workspace(t, allowPlan)
	res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws)
	if res.code != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	out := r.outputs(t)
	wantOutputs(t, out, map[string]string{"decision": "allow", "exit-code": "0"})
	if rep := readJSONReport(t, out["report-json"]); rep["decision"] != "allow" {
		t.Errorf("JSON report decision %v, want allow", rep["decision"])
	}
	if !strings.HasPrefix(out["report-dir"], r.temp+"/") {
		t.Errorf("report-dir %q is not a new directory in RUNNER_TEMP %s", out["report-dir"], r.temp)
	}
	sum := r.summaryText(t)
	for _, want := range []string{"planguard: ALLOWED", "| delete | `terraform_data.db` |"} {
		if !strings.Contains(sum, want) {
			t.Errorf("step summary lacks %q:\n%s", want, sum)
		}
	}
	md, _ := os.ReadFile(out["report-markdown"])
	if !strings.Contains(sum, string(md)) || len(md) == 0 {
		t.Errorf("step summary does not hold the markdown report %s", out["report-markdown"])
	}
	text, _ := os.ReadFile(out["report-text"])
	if !strings.Contains(string(text), "ALLOWED: 1 destructive change(s), none protected") || !strings.Contains(res.stdout, string(text)) {
		t.Errorf("text report %q missing from the log:\n%s", text, res.stdout)
	}
	if strings.Contains(res.stdout, "::error") {
		t.Errorf("an allowed plan printed an error annotation:\n%s", res.stdout)
	}
	// Only extra formats asked for are written.
	if _, ok := out["report-sarif"]; ok {
		t.Errorf("report-sarif set without formats: %v", out)
	}
}

func TestCheckBlocks(t *testing.T) {
	r := newRunner(t)
	ws := workspace(t, blockPlan)
	res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws)
	if res.code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	out := r.outputs(t)
	wantOutputs(t, out, map[string]string{"decision": "block", "exit-code": "1"})
	rep := readJSONReport(t, out["report-json"])
	if rep["decision"] != "block" {
		t.Errorf("JSON report decision %v, want block", rep["decision"])
	}
	sum := r.summaryText(t)
	for _, want := range []string{
		"planguard: BLOCKED",
		"| delete | `terraform_data.prod_db` | databases | 0/1 | **BLOCKED**",
		"planguard approve --plan plan.json --target terraform_data.prod_db --action delete",
		"planguard approve --plan plan.json --target terraform_data.prod_db_backup --action delete",
	} {
		if !strings.Contains(sum, want) {
			t.Errorf("step summary lacks %q:\n%s", want, sum)
		}
	}
	cmds := effectiveCommands(res.stdout)
	for _, want := range []string{
		"::error title=planguard%3A delete terraform_data.prod_db blocked::",
		"::error title=planguard%3A delete terraform_data.prod_db_backup blocked::",
	} {
		if !hasPrefix(cmds, want) {
			t.Errorf("no annotation %q in the log; workflow commands: %q", want, cmds)
		}
	}
	if !strings.Contains(res.stdout, "BLOCKED: 2 of 2 protected destructive change(s) lack valid approval") {
		t.Errorf("the log lacks the text report's verdict:\n%s", res.stdout)
	}
}

func hasPrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// effectiveCommands is what a runner would execute from a log: lines that
// start with "::", except inside ::stop-commands::TOKEN … ::TOKEN::.
func effectiveCommands(log string) []string {
	var cmds []string
	stop := ""
	for _, l := range strings.Split(log, "\n") {
		switch {
		case stop != "":
			if l == "::"+stop+"::" {
				stop = ""
			}
		case strings.HasPrefix(l, "::stop-commands::"):
			stop = strings.TrimPrefix(l, "::stop-commands::")
		case strings.HasPrefix(l, "::"):
			cmds = append(cmds, l)
		}
	}
	return cmds
}

// On GitHub, text from the plan is printed with workflow commands off, and
// planguard's annotations with them on.
func TestCheckLogOnGitHub(t *testing.T) {
	r := newRunner(t)
	ws := workspace(t, blockPlan)
	res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "GITHUB_ACTIONS=true")
	if res.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", res.code, res.stdout, res.stderr)
	}
	m := regexp.MustCompile(`(?m)^::stop-commands::(planguard-[0-9a-f]{32})$`).FindStringSubmatch(res.stdout)
	if m == nil {
		t.Fatalf("no ::stop-commands:: with a random token in the log:\n%s", res.stdout)
	}
	start := strings.Index(res.stdout, m[0])
	end := strings.Index(res.stdout, "\n::"+m[1]+"::\n")
	if end < start {
		t.Fatalf("workflow commands are never turned back on:\n%s", res.stdout)
	}
	if inside := res.stdout[start:end]; !strings.Contains(inside, "ACTION   ADDRESS") || !strings.Contains(inside, "BLOCKED: 2 of 2") {
		t.Errorf("the text report is not inside the stop-commands block:\n%s", inside)
	}
	if cmds := effectiveCommands(res.stdout); !hasPrefix(cmds, "::error title=planguard%3A delete terraform_data.prod_db blocked::") {
		t.Errorf("annotations are not effective: %q", cmds)
	}
}

func TestCheckDeferExit(t *testing.T) {
	t.Run("block with GITHUB_OUTPUT exits 0, the outputs say block", func(t *testing.T) {
		r := newRunner(t)
		res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+workspace(t, blockPlan), "PLANGUARD_ACTION_DEFER_EXIT=1")
		if res.code != 0 {
			t.Fatalf("exit %d, want 0\n%s", res.code, res.stderr)
		}
		wantOutputs(t, r.outputs(t), map[string]string{"decision": "block", "exit-code": "1"})
	})
	t.Run("error with GITHUB_OUTPUT exits 0, the outputs say error", func(t *testing.T) {
		r := newRunner(t)
		res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+workspace(t, errorPlan), "PLANGUARD_ACTION_DEFER_EXIT=1")
		if res.code != 0 {
			t.Fatalf("exit %d, want 0\n%s", res.code, res.stderr)
		}
		wantOutputs(t, r.outputs(t), map[string]string{"decision": "error", "exit-code": "2"})
	})
	t.Run("without GITHUB_OUTPUT nobody could fail the job: no deferring", func(t *testing.T) {
		ws := workspace(t, blockPlan)
		res := check(t, nil, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "PLANGUARD_ACTION_DEFER_EXIT=1")
		if res.code != 1 {
			t.Fatalf("exit %d, want 1\n%s", res.code, res.stderr)
		}
	})
	t.Run("unwritable GITHUB_OUTPUT is an error", func(t *testing.T) {
		for _, plan := range []string{allowPlan, blockPlan} {
			ws := workspace(t, plan)
			res := check(t, nil, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "PLANGUARD_ACTION_DEFER_EXIT=1", "GITHUB_OUTPUT="+t.TempDir())
			if res.code != 2 {
				t.Errorf("%s: exit %d, want 2\n%s", plan, res.code, res.stderr)
			}
		}
	})
	t.Run("an input error is never deferred", func(t *testing.T) {
		r := newRunner(t)
		res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+workspace(t, allowPlan), "PLANGUARD_ACTION_DEFER_EXIT=1", "INPUT_FORMATS=yaml")
		if res.code != 2 {
			t.Fatalf("exit %d, want 2\n%s", res.code, res.stderr)
		}
		wantOutputs(t, r.outputs(t), map[string]string{"decision": "error", "exit-code": "2"})
	})
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Anything planguard cannot read or verify: exit 2, decision error, and the
// summary says the apply is blocked.
func TestCheckErrors(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, ws string) []string
	}{
		{"malformed plan", func(t *testing.T, ws string) []string {
			os.WriteFile(filepath.Join(ws, "plan.json"), []byte(`{"format_version":"1.2","resource_changes":[{`), 0o600)
			return nil
		}},
		{"errored plan", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(root, errorPlan), filepath.Join(ws, "plan.json"))
			return nil
		}},
		{"missing plan file", func(t *testing.T, ws string) []string { return nil }},
		{"not a plan", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(ws, "planguard.hcl"), filepath.Join(ws, "plan.json"))
			return nil
		}},
		{"missing policy", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(root, allowPlan), filepath.Join(ws, "plan.json"))
			return []string{"INPUT_POLICY=nope.hcl"}
		}},
		{"missing trust file", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(root, allowPlan), filepath.Join(ws, "plan.json"))
			os.Remove(filepath.Join(ws, "allowed_signers"))
			return nil
		}},
		{"policy-sha256 of another policy", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(root, allowPlan), filepath.Join(ws, "plan.json"))
			return []string{"INPUT_POLICY_SHA256=" + strings.Repeat("0", 64)}
		}},
		{"policy-sha256 of the policy file alone", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(root, allowPlan), filepath.Join(ws, "plan.json"))
			return []string{"INPUT_POLICY_SHA256=" + fileSHA256(t, filepath.Join(ws, "planguard.hcl"))}
		}},
		{"allowed_signers changed beside the pinned policy", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(root, allowPlan), filepath.Join(ws, "plan.json"))
			pin := policyHashSh(t, ws)
			f, err := os.OpenFile(filepath.Join(ws, "allowed_signers"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("# one more byte\n")
			f.Close()
			return []string{"INPUT_POLICY_SHA256=" + pin}
		}},
		{"policy-sha256 not hex", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(root, allowPlan), filepath.Join(ws, "plan.json"))
			return []string{"INPUT_POLICY_SHA256=yes"}
		}},
		{"attest without attest-key", func(t *testing.T, ws string) []string {
			copyFile(t, filepath.Join(root, allowPlan), filepath.Join(ws, "plan.json"))
			return []string{"INPUT_ATTEST=check.att"}
		}},
		{"terraform-bin that is not terraform, for a binary plan", func(t *testing.T, ws string) []string {
			os.WriteFile(filepath.Join(ws, "plan.json"), []byte("PK\x03\x04 a saved plan is a zip file"), 0o600)
			return []string{"INPUT_TERRAFORM_BIN=/bin/false"}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRunner(t)
			ws := workspace(t, "")
			vars := append([]string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + ws}, c.setup(t, ws)...)
			res := check(t, r, vars...)
			if res.code != 2 {
				t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			out := r.outputs(t)
			wantOutputs(t, out, map[string]string{"decision": "error", "exit-code": "2"})
			if out["report-json"] == "" || out["report-markdown"] == "" {
				t.Errorf("report outputs missing: %v", out)
			}
			if sum := r.summaryText(t); !strings.Contains(sum, "planguard: ERROR (the apply is blocked)") || !strings.Contains(sum, "planguard: error: ") {
				t.Errorf("summary does not report the error:\n%s", sum)
			}
			if !hasPrefix(effectiveCommands(res.stdout), "::error title=planguard::planguard: error: ") {
				t.Errorf("no error annotation with planguard's message:\n%s", res.stdout)
			}
			if strings.Contains(res.stdout, "ALLOWED") {
				t.Errorf("printed ALLOWED on an error:\n%s", res.stdout)
			}
		})
	}

	// The pin is really passed: the right one (the policy hash, here made
	// with sha256sum as the security guide shows) checks as usual.
	t.Run("policy-sha256 of this policy", func(t *testing.T) {
		r := newRunner(t)
		ws := workspace(t, blockPlan)
		res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "INPUT_POLICY_SHA256="+policyHashSh(t, ws))
		if res.code != 1 {
			t.Fatalf("exit %d, want 1\n%s", res.code, res.stderr)
		}
	})
}

// policyHashSh computes the policy hash of dir/planguard.hcl and the
// allowed_signers file it names with sha256sum, as the security guide
// documents it, independently of planguard.
func policyHashSh(t *testing.T, dir string) string {
	t.Helper()
	const script = `{ printf 'planguard policy-hash v1\n'
  printf 'policy %s\n' "$(sha256sum < planguard.hcl | cut -d' ' -f1)"
  printf 'allowed_signers %s\n' "$(sha256sum < allowed_signers | cut -d' ' -f1)"
} | sha256sum | cut -d' ' -f1`
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil || len(strings.TrimSpace(string(out))) != 64 {
		t.Fatalf("sha256sum construction: %v %q", err, out)
	}
	return strings.TrimSpace(string(out))
}

// Mistakes in the inputs are found before planguard runs: nothing is
// recorded, nothing attested.
// TestCheckPolicyPinAbsent: action.yml's default "unpinned" (the input
// left out), like an unset variable for check.sh on its own, is no pin;
// an empty one is an error (TestCheckInputErrors).
func TestCheckPolicyPinAbsent(t *testing.T) {
	for _, vars := range [][]string{{"INPUT_POLICY_SHA256=unpinned"}, nil} {
		r := newRunner(t)
		ws := workspace(t, allowPlan)
		res := check(t, r, append([]string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + ws}, vars...)...)
		if res.code != 0 {
			t.Fatalf("%v: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", vars, res.code, res.stdout, res.stderr)
		}
	}
}

func TestCheckInputErrors(t *testing.T) {
	cases := []struct {
		name string
		vars []string
	}{
		{"no plan", []string{"INPUT_PLAN="}},
		{"plan on stdin", []string{"INPUT_PLAN=-"}},
		{"unknown format", []string{"INPUT_PLAN=plan.json", "INPUT_FORMATS=sarif,yaml"}},
		{"unknown format among spaces", []string{"INPUT_PLAN=plan.json", "INPUT_FORMATS=junit  html"}},
		{"no planguard", []string{"INPUT_PLAN=plan.json", "PLANGUARD_BIN=/nonexistent/planguard"}},
		{"no working directory", []string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=/nonexistent/dir"}},
		// policy-sha256: ${{ vars.X }} with X unset, misnamed or a secret.
		{"empty policy pin", []string{"INPUT_PLAN=plan.json", "INPUT_POLICY_SHA256="}},
		{"blank policy pin", []string{"INPUT_PLAN=plan.json", "INPUT_POLICY_SHA256= \n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRunner(t)
			ws := workspace(t, allowPlan)
			vars := append([]string{"INPUT_WORKING_DIRECTORY=" + ws, "INPUT_AUDIT_LOG=audit.jsonl"}, c.vars...)
			res := check(t, r, vars...)
			if res.code != 2 {
				t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			wantOutputs(t, r.outputs(t), map[string]string{"decision": "error", "exit-code": "2"})
			if !hasPrefix(effectiveCommands(res.stdout), "::error title=planguard::") {
				t.Errorf("no error annotation:\n%s", res.stdout)
			}
			if !strings.Contains(r.summaryText(t), "planguard: ERROR") {
				t.Errorf("summary does not say ERROR:\n%s", r.summaryText(t))
			}
			if _, err := os.Stat(filepath.Join(ws, "audit.jsonl")); err == nil {
				t.Errorf("planguard ran (the audit log exists) although the inputs were wrong")
			}
		})
	}
}

func TestCheckFormats(t *testing.T) {
	r := newRunner(t)
	ws := workspace(t, blockPlan)
	reports := filepath.Join("out", "reports")
	res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "INPUT_FORMATS=sarif, junit,text", "INPUT_REPORT_DIR="+reports)
	if res.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", res.code, res.stderr)
	}
	out := r.outputs(t)
	wantOutputs(t, out, map[string]string{
		"decision":     "block",
		"report-dir":   filepath.Join(ws, reports), // relative to working-directory
		"report-sarif": filepath.Join(ws, reports, "planguard.sarif"),
		"report-junit": filepath.Join(ws, reports, "planguard.junit.xml"),
	})
	b, err := os.ReadFile(out["report-sarif"])
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Version string
		Runs    []struct {
			Results []struct {
				Level   string
				Message struct{ Text string }
			}
		}
	}
	if err := json.Unmarshal(b, &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
		t.Fatalf("SARIF report: %v %+v\n%s", err, sarif, b)
	}
	if !strings.Contains(string(b), "terraform_data.prod_db") {
		t.Errorf("SARIF report does not name terraform_data.prod_db:\n%s", b)
	}
	b, err = os.ReadFile(out["report-junit"])
	if err != nil {
		t.Fatal(err)
	}
	var junit struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &junit); err != nil || len(junit.Suites) != 1 || junit.Suites[0].Failures != 2 || junit.Suites[0].Tests != 3 {
		t.Errorf("JUnit report: %v %+v\n%s", err, junit, b)
	}
}

// Every report comes from the one decision run (--out FORMAT=FILE): a run
// that exits 0 with a JSON report saying block, or that leaves a report it
// was asked for empty, is an error and the gate's attestation is removed.
func TestCheckReportsMustAgree(t *testing.T) {
	dir := t.TempDir()
	liar := func(name, script string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/usr/bin/env bash\n"+script+"\nexec "+pgBin+` "$@"`+"\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gateKey, _ := gateKey(t)
	cases := []struct {
		name, bin, plan string
	}{
		{"exit 0 with a JSON report that says block", liar("json-lies", `for a; do [ "$a" = json ] && { `+pgBin+` "$@"; exit 0; }; done`), blockPlan},
		{"no markdown report", liar("md-missing", pgBin+` "$@"; rc=$?; for a; do case "$a" in markdown=*) : >"${a#markdown=}" ;; esac; done; exit $rc`), allowPlan},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRunner(t)
			ws := workspace(t, c.plan)
			copyFile(t, gateKey, filepath.Join(ws, "gate_key"))
			res := check(t, r, "PLANGUARD_BIN="+c.bin, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "INPUT_ATTEST=check.att", "INPUT_ATTEST_KEY=gate_key")
			if res.code != 2 {
				t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			wantOutputs(t, r.outputs(t), map[string]string{"decision": "error", "exit-code": "2"})
			if _, err := os.Stat(filepath.Join(ws, "check.att")); err == nil {
				t.Errorf("the attestation of a decision the action rejected is still there")
			}
		})
	}
}

// TestCheckRunsPlanguardOnce (review ci32 F1): with attest, the action ran
// planguard check again for each report format, without --attest; without
// lock_file those runs showed a saved plan in the working directory, so the
// provider builds installed there started beside the gate key. Now one run
// writes every report, and the reports are the decision run's own.
func TestCheckRunsPlanguardOnce(t *testing.T) {
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	counter := filepath.Join(dir, "counting")
	os.WriteFile(counter, []byte("#!/usr/bin/env bash\necho \"$*\" >>"+calls+"\nexec "+pgBin+` "$@"`+"\n"), 0o700)
	gateKey, _ := gateKey(t)
	for _, plan := range []string{allowPlan, blockPlan} {
		os.Remove(calls)
		r := newRunner(t)
		ws := workspace(t, plan)
		copyFile(t, gateKey, filepath.Join(ws, "gate_key"))
		res := check(t, r, "PLANGUARD_BIN="+counter, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "INPUT_ATTEST=check.att", "INPUT_ATTEST_KEY=gate_key", "INPUT_FORMATS=sarif junit")
		if res.code > 1 {
			t.Fatalf("%s: exit %d\n%s%s", plan, res.code, res.stdout, res.stderr)
		}
		b, _ := os.ReadFile(calls)
		if n := strings.Count(string(b), "\n"); n != 1 || !strings.Contains(string(b), "--attest") {
			t.Errorf("%s: planguard ran %d times, want once, with --attest:\n%s", plan, n, b)
		}
		out := r.outputs(t)
		for _, k := range []string{"report-text", "report-markdown", "report-sarif", "report-junit"} {
			if st, err := os.Stat(out[k]); err != nil || st.Size() == 0 {
				t.Errorf("%s: output %s = %q: no report (%v)", plan, k, out[k], err)
			}
		}
		if !strings.Contains(res.stdout, "::") {
			t.Errorf("%s: no annotations on stdout:\n%s", plan, res.stdout)
		}
	}
}

// gateKey makes the gate's attestation key with planguard keygen and an
// allowed_signers file that trusts it as planguard-gate for attestations.
func gateKey(t *testing.T) (key, signers string) {
	t.Helper()
	dir := t.TempDir()
	key = filepath.Join(dir, "gate_key")
	if res := run(t, dir, baseEnv(), pgBin, "keygen", "--out", key, "--principal", "planguard-gate"); res.code != 0 {
		t.Fatalf("planguard keygen: %d %s", res.code, res.stderr)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	signers = filepath.Join(dir, "gate_signers")
	line := `planguard-gate namespaces="planguard-attestation" ` + string(pub)
	if err := os.WriteFile(signers, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return key, signers
}

// The pipeline of examples/integrations: the plan job checks with an
// attestation and an audit log; the apply job verifies the attestation for
// the very same plan file.
func TestCheckAttestAuditAuthor(t *testing.T) {
	key, signers := gateKey(t)
	r := newRunner(t)
	ws := workspace(t, allowPlan)
	res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "INPUT_ATTEST=check.att", "INPUT_ATTEST_KEY="+key,
		"INPUT_AUDIT_LOG=audit.jsonl", "INPUT_AUTHOR=agent@example.com")
	if res.code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	audit, err := os.ReadFile(filepath.Join(ws, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(audit)), "\n"); len(lines) != 1 || !strings.Contains(lines[0], `"decision":"allow"`) {
		t.Errorf("audit log: want one allow line (the reports must not be recorded), got:\n%s", audit)
	}
	att, err := os.ReadFile(filepath.Join(ws, "check.att"))
	if err != nil {
		t.Fatal(err)
	}
	if p := decodeAttestation(t, att); p.Decision != "allow" || p.Author != "agent@example.com" {
		t.Errorf("attestation predicate %+v, want decision allow, author agent@example.com", p)
	}

	// The apply job: it pins the policy hash (policy and trust files).
	hash := run(t, ws, baseEnv(), pgBin, "policy-hash")
	pin := strings.TrimSpace(hash.stdout)
	if hash.code != 0 || len(pin) != 64 {
		t.Fatalf("policy-hash: exit %d %q %s", hash.code, hash.stdout, hash.stderr)
	}
	verify := func(extra ...string) int {
		args := append([]string{"verify-attestation", "--attestation", "check.att", "--attestation-signers", signers}, extra...)
		return run(t, ws, baseEnv(), pgBin, append(args, "plan.json")...).code
	}
	if c := verify(); c != 2 {
		t.Fatalf("verify-attestation without --policy-sha256: exit %d, want 2", c)
	}
	if c := verify("--policy-sha256", pin); c != 0 {
		t.Fatalf("verify-attestation of the checked plan: exit %d, want 0", c)
	}
	if p := decodeAttestation(t, att).PolicySHA256; p != pin {
		t.Errorf("attestation policy_sha256 %q, want the policy hash %q", p, pin)
	}
	copyFile(t, filepath.Join(root, otherPlan), filepath.Join(ws, "plan.json"))
	if c := verify("--policy-sha256", pin); c != 2 {
		t.Errorf("verify-attestation of another plan: exit %d, want 2", c)
	}

	// Several authors (a plan of main with several merges not yet applied):
	// one per line or separated by spaces, each passed as --author.
	ws = workspace(t, allowPlan)
	res = check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "INPUT_ATTEST=check.att", "INPUT_ATTEST_KEY="+key,
		"INPUT_AUTHOR=agent@example.com\nbot@example.com  carol@example.com\n")
	if res.code != 0 {
		t.Fatalf("several authors: exit %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
	}
	att, err = os.ReadFile(filepath.Join(ws, "check.att"))
	if err != nil {
		t.Fatal(err)
	}
	if p := decodeAttestation(t, att); p.Author != "agent@example.com" || strings.Join(p.Authors, ",") != "agent@example.com,bot@example.com,carol@example.com" {
		t.Errorf("several authors: attestation author %q authors %q", p.Author, p.Authors)
	}
	res = check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws, "INPUT_AUTHOR= \n\t")
	if res.code != 2 || !strings.Contains(res.stderr, "only white space") {
		t.Errorf("a white-space author: exit %d, want 2\n%s", res.code, res.stderr)
	}
}

type predicate struct {
	Decision, Author string
	Authors          []string
	PolicySHA256     string `json:"policy_sha256"`
}

// decodeAttestation reads the predicate of a DSSE envelope planguard wrote.
func decodeAttestation(t *testing.T, att []byte) predicate {
	t.Helper()
	var env struct{ PayloadType, Payload string }
	if err := json.Unmarshal(att, &env); err != nil {
		t.Fatalf("attestation: %v\n%s", err, att)
	}
	stmt, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ Predicate predicate }
	if err := json.Unmarshal(stmt, &st); err != nil {
		t.Fatal(err)
	}
	return st.Predicate
}

// A binary saved plan, as the action is meant to be used: planguard runs
// terraform-bin show -json in working-directory.
func TestCheckSavedPlan(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	ws := workspace(t, "")
	rc := filepath.Join(ws, "terraformrc")
	os.WriteFile(rc, nil, 0o600)
	tfEnv := append(baseEnv(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	tfRun := func(args ...string) {
		if res := run(t, ws, tfEnv, tf, args...); res.code != 0 {
			t.Fatalf("terraform %v: %d\n%s%s", args, res.code, res.stdout, res.stderr)
		}
	}
	main := filepath.Join(ws, "main.tf")
	os.WriteFile(main, []byte("resource \"terraform_data\" \"prod_db\" { input = \"pg\" }\nresource \"terraform_data\" \"cache\" { input = \"a\" }\n"), 0o600)
	tfRun("init", "-input=false")
	tfRun("apply", "-input=false", "-auto-approve")

	os.WriteFile(main, []byte("resource \"terraform_data\" \"prod_db\" { input = \"pg\" }\n"), 0o600)
	tfRun("plan", "-input=false", "-out=allowed.tfplan")
	os.WriteFile(main, nil, 0o600)
	tfRun("plan", "-input=false", "-out=blocked.tfplan")

	for plan, want := range map[string]string{"allowed.tfplan": "allow", "blocked.tfplan": "block"} {
		r := newRunner(t)
		res := check(t, r, "INPUT_PLAN="+plan, "INPUT_WORKING_DIRECTORY="+ws, "INPUT_TERRAFORM_BIN="+tf, "INPUT_FORMATS=sarif",
			"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
		out := r.outputs(t)
		if out["decision"] != want {
			t.Errorf("%s: decision %q, want %s\n%s%s", plan, out["decision"], want, res.stdout, res.stderr)
		}
	}
}

// A bug in check.sh (here: an unset variable, under set -u) is exit 2, never
// 1 (which a caller could read as a mere block) and never 0.
func TestCheckUnexpectedFailureIsError(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, checkSh))
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "\n\t\tstatus=2 decision=error\n\tfi\nfi\n"
	if !strings.Contains(string(b), anchor) {
		t.Fatalf("check.sh has no line %q to break after", anchor)
	}
	broken := strings.Replace(string(b), anchor, anchor+": \"$PLANGUARD_NO_SUCH_VARIABLE\"\n", 1)
	script := filepath.Join(t.TempDir(), "check.sh")
	os.WriteFile(script, []byte(broken), 0o600)
	for _, plan := range []string{allowPlan, blockPlan} {
		ws := workspace(t, plan)
		env := append(baseEnv(), "PLANGUARD_BIN="+pgBin, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws)
		if res := run(t, ws, env, "bash", script); res.code != 2 {
			t.Errorf("%s: a broken check.sh exited %d, want 2\n%s", plan, res.code, res.stderr)
		}
	}
}

// install runs install.sh with the runner's files and these variables.
func install(t *testing.T, r *runner, vars ...string) result {
	t.Helper()
	env := append(append(baseEnv(), r.env()...), vars...)
	return run(t, t.TempDir(), env, "bash", filepath.Join(root, installSh))
}

func TestInstallPrebuilt(t *testing.T) {
	r := newRunner(t)
	res := install(t, r, "INPUT_PLANGUARD_BIN="+pgBin)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	binDir := filepath.Join(r.temp, "planguard-bin")
	wantOutputs(t, r.outputs(t), map[string]string{"planguard": filepath.Join(binDir, "planguard")})
	p, _ := os.ReadFile(r.path)
	if string(p) != binDir+"\n" {
		t.Errorf("GITHUB_PATH = %q, want %q", p, binDir+"\n")
	}
	if v := run(t, binDir, baseEnv(), filepath.Join(binDir, "planguard"), "version"); v.code != 0 || !strings.HasPrefix(v.stdout, "planguard ") {
		t.Errorf("installed planguard does not run: %d %q %q", v.code, v.stdout, v.stderr)
	}
	// A second run in the same job, naming the planguard the first put on PATH.
	env := []string{"INPUT_PLANGUARD_BIN=planguard"}
	for _, kv := range baseEnv() {
		if p, ok := strings.CutPrefix(kv, "PATH="); ok {
			env = append(env, "PATH="+binDir+":"+p)
		}
	}
	if res := install(t, r, env...); res.code != 0 {
		t.Errorf("second install with planguard-bin: planguard: exit %d\n%s", res.code, res.stderr)
	}
	if v := run(t, binDir, baseEnv(), filepath.Join(binDir, "planguard"), "version"); v.code != 0 {
		t.Errorf("after the second install planguard does not run: %d %s", v.code, v.stderr)
	}
}

func TestInstallFromCheckout(t *testing.T) {
	r := newRunner(t)
	res := install(t, r, "ACTION_PATH="+root, "ACTION_REF=v1.2.3 \"quoted\"")
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	bin := r.outputs(t)["planguard"]
	if v := run(t, r.temp, baseEnv(), bin, "version"); v.code != 0 || v.stdout != "planguard v1.2.3__quoted_\n" {
		t.Errorf("planguard built from the checkout: %d %q", v.code, v.stdout)
	}
}

func TestInstallFailures(t *testing.T) {
	notExec := filepath.Join(t.TempDir(), "planguard")
	os.WriteFile(notExec, []byte("#!/bin/sh\nexit 0\n"), 0o600)
	broken := filepath.Join(t.TempDir(), "planguard")
	os.WriteFile(broken, []byte("#!/bin/sh\nexit 3\n"), 0o700)
	cases := map[string][]string{
		"planguard-bin missing":            {"INPUT_PLANGUARD_BIN=/nonexistent/planguard"},
		"planguard-bin not executable":     {"INPUT_PLANGUARD_BIN=" + notExec},
		"planguard-bin a directory":        {"INPUT_PLANGUARD_BIN=" + t.TempDir()},
		"planguard-bin does not run":       {"INPUT_PLANGUARD_BIN=" + broken},
		"no checkout and no version":       {"ACTION_PATH=" + t.TempDir()},
		"no ACTION_PATH":                   {},
		"a version that is not a ref":      {"INPUT_VERSION=v1 -o /tmp/x"},
		"a checkout that does not compile": {"ACTION_PATH=" + brokenCheckout(t)},
	}
	for name, vars := range cases {
		t.Run(name, func(t *testing.T) {
			r := newRunner(t)
			res := install(t, r, vars...)
			if res.code != 2 {
				t.Fatalf("exit %d, want 2\n%s%s", res.code, res.stdout, res.stderr)
			}
			if !strings.Contains(res.stdout, "::error title=planguard install::") {
				t.Errorf("no error annotation: %q", res.stdout)
			}
			if out := r.outputs(t); out["planguard"] != "" {
				t.Errorf("output planguard set after a failed install: %v", out)
			}
			if p, _ := os.ReadFile(r.path); len(p) != 0 {
				t.Errorf("GITHUB_PATH written after a failed install: %q", p)
			}
		})
	}
}

// brokenCheckout is a module whose ./planguard does not compile.
func brokenCheckout(t *testing.T) string {
	d := t.TempDir()
	os.WriteFile(filepath.Join(d, "go.mod"), []byte("module example.com/broken\n\ngo 1.22\n"), 0o600)
	os.Mkdir(filepath.Join(d, "planguard"), 0o700)
	os.WriteFile(filepath.Join(d, "planguard", "main.go"), []byte("package main\n\nfunc main() { undefined() }\n"), 0o600)
	return d
}

// A plan file whose name looks like a flag is read as a file, not a flag.
func TestCheckPlanNamedLikeAFlag(t *testing.T) {
	r := newRunner(t)
	ws := workspace(t, "")
	copyFile(t, filepath.Join(root, blockPlan), filepath.Join(ws, "--format=text"))
	res := check(t, r, "INPUT_PLAN=--format=text", "INPUT_WORKING_DIRECTORY="+ws)
	if res.code != 1 {
		t.Fatalf("exit %d, want 1 (the plan blocks)\n%s%s", res.code, res.stdout, res.stderr)
	}
	wantOutputs(t, r.outputs(t), map[string]string{"decision": "block"})
}

// TestCheckBlocksMovesAndImports: the Action blocks what a moved block or
// an import carries out of protection (real Terraform 1.8.5 plans): a
// protected database renamed to an unprotected address and destroyed, and
// an imported object replaced at once.
func TestCheckBlocksMovesAndImports(t *testing.T) {
	for plan, want := range map[string]string{
		"internal/plan/testdata/terraform/moved_out.json":      "terraform_data.junk (moved from terraform_data.prod_db)",
		"internal/plan/testdata/terraform/import_replace.json": `terraform_data.junk (imports id "legacy-db-1")`,
	} {
		t.Run(filepath.Base(plan), func(t *testing.T) {
			r := newRunner(t)
			ws := workspace(t, plan)
			res := check(t, r, "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY="+ws)
			if res.code != 1 {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			out := r.outputs(t)
			wantOutputs(t, out, map[string]string{"decision": "block", "exit-code": "1"})
			if sum := r.summaryText(t); !strings.Contains(sum, want) {
				t.Errorf("step summary lacks %q:\n%s", want, sum)
			}
		})
	}
}
