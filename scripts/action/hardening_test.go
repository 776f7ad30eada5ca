package action_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// savedPlans makes, with real Terraform, a working directory whose binary
// saved plan blocked.tfplan deletes terraform_data.prod_db (protected by the
// quickstart policy). It returns the directory, the absolute terraform, and
// the environment Terraform needs.
func savedPlans(t *testing.T) (ws, tf string, tfEnv []string) {
	t.Helper()
	tf = testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	ws = workspace(t, "")
	rc := filepath.Join(ws, "terraformrc")
	os.WriteFile(rc, nil, 0o600)
	tfEnv = []string{"TF_CLI_CONFIG_FILE=" + rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	tfRun := func(args ...string) {
		if res := run(t, ws, append(baseEnv(), tfEnv...), tf, args...); res.code != 0 {
			t.Fatalf("terraform %v: %d\n%s%s", args, res.code, res.stdout, res.stderr)
		}
	}
	main := filepath.Join(ws, "main.tf")
	os.WriteFile(main, []byte("resource \"terraform_data\" \"prod_db\" { input = \"pg\" }\n"), 0o600)
	tfRun("init", "-input=false")
	tfRun("apply", "-input=false", "-auto-approve")
	os.WriteFile(main, nil, 0o600)
	tfRun("plan", "-input=false", "-out=blocked.tfplan")
	return ws, tf, tfEnv
}

// plantFakeTerraform writes what code run earlier in a job (terraform plan
// runs the change's code, which can write $GITHUB_PATH and $GITHUB_ENV) could
// leave behind: a `terraform` whose `show -json` prints a harmless plan and
// whose `apply` leaves a marker. It returns the directory holding it, the
// fake's path, and the marker.
func plantFakeTerraform(t *testing.T) (dir, fake, marker string) {
	t.Helper()
	dir = t.TempDir()
	harmless, err := filepath.Abs(filepath.Join(root, allowPlan))
	if err != nil {
		t.Fatal(err)
	}
	marker = filepath.Join(dir, "fake-terraform-ran")
	fake = filepath.Join(dir, "terraform")
	script := "#!/bin/sh\necho \"$@\" >>'" + marker + "'\ncase \"$1\" in show) cat '" + harmless + "' ;; esac\nexit 0\n"
	if err := os.WriteFile(fake, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return dir, fake, marker
}

func pathWith(dir string) string {
	for _, kv := range baseEnv() {
		if p, ok := strings.CutPrefix(kv, "PATH="); ok {
			return "PATH=" + dir + ":" + p
		}
	}
	return "PATH=" + dir
}

// Issue 12, path 4: a fake terraform first on PATH and in PLANGUARD_TERRAFORM
// must never make the action allow a plan that deletes the database. Without
// terraform-bin the action refuses a binary plan; with a bare or relative
// terraform-bin it refuses; with the absolute real terraform it blocks.
func TestActionPlantedTerraform(t *testing.T) {
	ws, tf, tfEnv := savedPlans(t)
	fakeDir, fake, marker := plantFakeTerraform(t)
	planted := append([]string{pathWith(fakeDir), "PLANGUARD_TERRAFORM=" + fake}, tfEnv...)
	cases := []struct {
		name, terraformBin, decision string
		codes                        []int
		inLog                        string
	}{
		{"no terraform-bin", "", "error", []int{0, 2, -1}, "is a binary saved plan and input 'terraform-bin' is empty"},
		{"bare terraform-bin", "terraform", "error", []int{0, 2, -1}, "give an absolute path"},
		{"relative terraform-bin", "./terraform", "error", []int{0, 2, -1}, "give an absolute path"},
		{"absolute real terraform", tf, "block", []int{0, 0, 1}, "BLOCKED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(marker)
			copyFile(t, fake, filepath.Join(ws, "terraform")) // ./terraform in the working directory too
			os.Chmod(filepath.Join(ws, "terraform"), 0o700)
			s := runAction(t, map[string]string{"plan": "blocked.tfplan", "working-directory": ws, "planguard-bin": pgBin, "terraform-bin": c.terraformBin}, planted...)
			if !s.failed || s.outputs["decision"] == "allow" {
				t.Fatalf("the action did not fail (decision %q):\n%s", s.outputs["decision"], s.log.String())
			}
			if s.outputs["decision"] != c.decision || s.outputs["exit-code"] == "0" {
				t.Errorf("decision %q exit-code %q, want %s", s.outputs["decision"], s.outputs["exit-code"], c.decision)
			}
			if fmtCodes(s.codes) != fmtCodes(c.codes) {
				t.Errorf("step exit codes %v, want %v\n%s", s.codes, c.codes, s.log.String())
			}
			if !strings.Contains(s.log.String()+s.summary.String(), c.inLog) {
				t.Errorf("log and summary lack %q:\n%s", c.inLog, s.log.String())
			}
			if b, err := os.ReadFile(marker); err == nil {
				t.Errorf("the planted terraform ran: %s", b)
			}
		})
	}

	// check.sh alone, as other CIs use it: the same.
	for _, bin := range []string{"", "terraform"} {
		r := newRunner(t)
		res := check(t, r, append([]string{"INPUT_PLAN=blocked.tfplan", "INPUT_WORKING_DIRECTORY=" + ws, "INPUT_TERRAFORM_BIN=" + bin}, planted...)...)
		if res.code != 2 || r.outputs(t)["decision"] != "error" {
			t.Errorf("check.sh with terraform-bin %q and a planted terraform: exit %d, outputs %v\n%s", bin, res.code, r.outputs(t), res.stderr)
		}
	}

	// The apply job's command line (examples/integrations): planguard apply with
	// an absolute --terraform-bin ignores PATH and PLANGUARD_TERRAFORM: it
	// blocks, and neither terraform applies anything.
	os.Remove(marker)
	env := append(append(baseEnv(), planted...), "PLANGUARD_AUTHOR=agent-bot")
	// planguard apply refuses a policy that pins no state or no
	// providers: a pinned copy.
	pol, err := os.ReadFile(filepath.Join(ws, "planguard.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "pinned.hcl"), append(pol, "\nstate {\n  backend = \"local\"\n}\nproviders = [\"terraform.io/builtin/terraform\", \"registry.terraform.io/planguard/planguard\", \"registry.opentofu.org/planguard/planguard\"]\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	res := run(t, ws, env, pgBin, "apply", "--policy", "pinned.hcl", "--terraform-bin", tf, "blocked.tfplan")
	if res.code != 1 {
		t.Errorf("planguard apply --terraform-bin %s with a planted terraform: exit %d, want 1 (block)\n%s", tf, res.code, res.stderr)
	}
	if b, err := os.ReadFile(marker); err == nil {
		t.Errorf("the planted terraform ran: %s", b)
	}
	// Control: the fake really would have allowed, had it been asked.
	res = run(t, ws, env, pgBin, "check", "--policy", "planguard.hcl", "blocked.tfplan")
	if res.code != 0 {
		t.Errorf("control: planguard check with the planted terraform: exit %d, want 0 (the fake shows a harmless plan)\n%s", res.code, res.stderr)
	}
}

func fmtCodes(c []int) string { return fmt.Sprint(c) }

// Outside a pull_request event the default author is empty: the action fails
// instead of excluding nobody's signatures.
func TestActionEmptyAuthorFails(t *testing.T) {
	ws := workspace(t, allowPlan)
	s := runActionWith(t, map[string]string{"event.pull_request.user.login": ""}, map[string]string{"plan": "plan.json", "working-directory": ws, "planguard-bin": pgBin})
	if !s.failed || fmtCodes(s.codes) != fmtCodes([]int{0, 2, -1}) {
		t.Fatalf("step exit codes %v (failed %v), want [0 2 -1]\n%s", s.codes, s.failed, s.log.String())
	}
	if !strings.Contains(s.summary.String(), "input 'author' is empty") {
		t.Errorf("summary does not say why:\n%s", s.summary.String())
	}
	// An explicit author works on any event.
	s = runActionWith(t, map[string]string{"event.pull_request.user.login": ""}, map[string]string{"plan": "plan.json", "working-directory": ws, "planguard-bin": pgBin, "author": "alice"})
	if s.failed || s.outputs["decision"] != "allow" {
		t.Errorf("with author alice: failed %v decision %q\n%s", s.failed, s.outputs["decision"], s.log.String())
	}
}

// A prebuilt planguard runs only when its bytes have the pinned SHA-256.
func TestInstallPinnedPrebuilt(t *testing.T) {
	sum := fileSHA256(t, pgBin)
	r := newRunner(t)
	if res := install(t, r, "INPUT_PLANGUARD_BIN="+pgBin, "INPUT_PLANGUARD_SHA256="+strings.ToUpper(sum)); res.code != 0 {
		t.Fatalf("pinned planguard with its own hash: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	installed := r.outputs(t)["planguard"]
	if fi, err := os.Lstat(installed); err != nil || fi.Mode()&os.ModeSymlink != 0 || fileSHA256(t, installed) != sum {
		t.Errorf("installed %s is not a private copy of the pinned bytes (%v)", installed, err)
	}
	other := filepath.Join(t.TempDir(), "planguard")
	os.WriteFile(other, []byte("#!/bin/sh\necho planguard v9\n"), 0o700)
	for name, vars := range map[string][]string{
		"another binary":           {"INPUT_PLANGUARD_BIN=" + other, "INPUT_PLANGUARD_SHA256=" + sum},
		"a pin that is not a hash": {"INPUT_PLANGUARD_BIN=" + pgBin, "INPUT_PLANGUARD_SHA256=" + sum[:40]},
		"a pin without a binary":   {"INPUT_PLANGUARD_SHA256=" + sum, "ACTION_PATH=" + root},
	} {
		r := newRunner(t)
		res := install(t, r, vars...)
		if res.code != 2 || r.outputs(t)["planguard"] != "" {
			t.Errorf("%s: exit %d, outputs %v, want exit 2 and no planguard\n%s", name, res.code, r.outputs(t), res.stdout)
		}
	}
}

// Issue 21 (7): every value that reaches the log on GitHub goes through
// ghesc (escape.sh), so that an input holding a newline cannot start a
// workflow command (::set-output, ::add-mask::) of its own. Hostile inputs
// reach every message install.sh and check.sh print.
func TestScriptsEscapeInputsInTheLog(t *testing.T) {
	const inject = "x\n::set-output name=decision::allow\n::add-mask::secret\r\n::warning::forged %0A"
	hostile := func(line string) bool {
		l := strings.TrimLeft(line, " \t\r")
		return strings.HasPrefix(l, "::set-output") || strings.HasPrefix(l, "::add-mask::") || strings.HasPrefix(l, "::warning::forged")
	}
	ws := workspace(t, allowPlan)
	cases := map[string]struct {
		script string
		vars   []string
	}{
		"install: version":                {installSh, []string{"INPUT_VERSION=" + inject}},
		"install: planguard-bin":          {installSh, []string{"INPUT_PLANGUARD_BIN=" + inject}},
		"install: planguard-sha256":       {installSh, []string{"INPUT_PLANGUARD_BIN=" + pgBin, "INPUT_PLANGUARD_SHA256=" + inject}},
		"install: install-only":           {installSh, []string{"INPUT_INSTALL_ONLY=" + inject}},
		"install: plan with install-only": {installSh, []string{"INPUT_INSTALL_ONLY=true", "INPUT_PLAN=" + inject}},
		"install: action path":            {installSh, []string{"ACTION_PATH=" + inject}},
		"install: action ref":             {installSh, []string{"ACTION_PATH=" + brokenCheckout(t), "ACTION_REF=" + inject}},
		"check: terraform-bin":            {checkSh, []string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + ws, "INPUT_TERRAFORM_BIN=" + inject}},
		"check: working-directory":        {checkSh, []string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + inject}},
		"check: formats":                  {checkSh, []string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + ws, "INPUT_FORMATS=sarif," + inject}},
		"check: plan":                     {checkSh, []string{"INPUT_PLAN=" + inject, "INPUT_WORKING_DIRECTORY=" + ws}},
		"check: policy":                   {checkSh, []string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + ws, "INPUT_POLICY=" + inject}},
		"check: planguard binary":         {checkSh, []string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + ws, "PLANGUARD_BIN=" + inject}},
		"check: attest":                   {checkSh, []string{"INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + ws, "INPUT_ATTEST=" + inject, "INPUT_ATTEST_KEY=/nonexistent"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := newRunner(t)
			env := append(append(append(baseEnv(), r.env()...), "GITHUB_ACTIONS=true", "PLANGUARD_BIN="+pgBin), c.vars...)
			res := run(t, t.TempDir(), env, "bash", filepath.Join(root, c.script))
			if res.code == 0 {
				t.Fatalf("exit 0 with a hostile input\n%s%s", res.stdout, res.stderr)
			}
			// Lines inside ::stop-commands:: (text from planguard and the plan) are
			// not commands; every other line starting with "::" is one.
			for _, stream := range []string{res.stdout, res.stderr} {
				for _, cmd := range effectiveCommands(stream) {
					if hostile(cmd) {
						t.Errorf("an input started a workflow command: %q\nstdout:\n%s\nstderr:\n%s", cmd, res.stdout, res.stderr)
					}
				}
			}
			if out := r.outputs(t); out["decision"] == "allow" {
				t.Errorf("decision allow from a hostile input: %v", out)
			}
		})
	}
	// Review ci21 (F3): bash prints the path of a failed redirection raw (cd,
	// mkdir and cp quote it), so a report-dir holding a newline, whose files
	// cannot be written, started a workflow command through bash's own
	// message. Each file check.sh writes in the report directory is, in turn,
	// a directory.
	for _, f := range []string{"planguard.stderr", "planguard.json", "planguard.md", "planguard.txt", "planguard.annotations", "planguard.sarif"} {
		t.Run("check: report-dir where "+f+" cannot be written", func(t *testing.T) {
			ws := workspace(t, allowPlan)
			if err := os.MkdirAll(filepath.Join(ws, inject, f), 0o700); err != nil {
				t.Fatal(err)
			}
			r := newRunner(t)
			env := append(append(baseEnv(), r.env()...), "GITHUB_ACTIONS=true", "PLANGUARD_BIN="+pgBin,
				"INPUT_PLAN=plan.json", "INPUT_AUTHOR=bob", "INPUT_WORKING_DIRECTORY="+ws, "INPUT_REPORT_DIR="+inject, "INPUT_FORMATS=sarif")
			res := run(t, t.TempDir(), env, "bash", filepath.Join(root, checkSh))
			if res.code != 2 {
				t.Errorf("exit %d, want 2 (a report file cannot be written)\n%s%s", res.code, res.stdout, res.stderr)
			}
			for _, stream := range []string{res.stdout, res.stderr} {
				for _, cmd := range effectiveCommands(stream) {
					if hostile(cmd) {
						t.Errorf("the report-dir started a workflow command through a redirection error: %q\nstdout:\n%s\nstderr:\n%s", cmd, res.stdout, res.stderr)
					}
				}
			}
			if !strings.Contains(res.stdout, "::error title=planguard::cannot write ") || !strings.Contains(res.stdout, f) {
				t.Errorf("no escaped error naming %s:\n%s", f, res.stdout)
			}
		})
	}
	// install.sh: sha256sum <"$pg" of a planguard-bin that cannot be read (an
	// execute-only file, whose path holds the newline). Root reads any file,
	// so as root the script runs as nobody (setpriv).
	t.Run("install: planguard-bin that cannot be read", func(t *testing.T) {
		var prefix []string
		if os.Geteuid() == 0 {
			sp, err := exec.LookPath("setpriv")
			if err != nil {
				t.Skip("running as root without setpriv: root reads an execute-only file")
			}
			prefix = []string{sp, "--reuid=65534", "--regid=65534", "--clear-groups"}
		}
		shared, err := os.MkdirTemp("", "planguard-ci21-") //nolint:usetesting // nobody (setpriv) must reach it, and t.TempDir's parent is 0700
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(shared)
		os.Chmod(shared, 0o777)
		dir := filepath.Join(shared, inject)
		os.Mkdir(dir, 0o755)
		bin := filepath.Join(dir, "planguard")
		os.WriteFile(bin, []byte("#!/bin/sh\necho planguard v9\n"), 0o711)
		os.Chmod(bin, 0o111)
		tmp := filepath.Join(shared, "temp")
		os.Mkdir(tmp, 0o700)
		os.Chmod(tmp, 0o777) // nobody makes RUNNER_TEMP/planguard-bin
		env := append(baseEnv(), "GITHUB_ACTIONS=true", "RUNNER_TEMP="+tmp, "INPUT_PLANGUARD_BIN="+bin, "INPUT_PLANGUARD_SHA256="+strings.Repeat("ab", 32))
		args := append(append(prefix[1:], "bash"), filepath.Join(root, installSh))
		name := "bash"
		if len(prefix) > 0 {
			name = prefix[0]
		} else {
			args = args[1:]
		}
		res := run(t, shared, env, name, args...)
		if res.code != 2 || !strings.Contains(res.stdout, "::error title=planguard install::cannot read ") {
			t.Errorf("exit %d, want 2 and an escaped error that it cannot be read\n%s%s", res.code, res.stdout, res.stderr)
		}
		for _, stream := range []string{res.stdout, res.stderr} {
			for _, cmd := range effectiveCommands(stream) {
				if hostile(cmd) {
					t.Errorf("planguard-bin started a workflow command through a redirection error: %q\nstdout:\n%s\nstderr:\n%s", cmd, res.stdout, res.stderr)
				}
			}
		}
	})
	// The helper itself, byte for byte.
	res := run(t, t.TempDir(), baseEnv(), "bash", "-c", `. "$1"; ghesc "$2"`, "bash", filepath.Join(root, "scripts/action/escape.sh"), "a%b\r\nc\n::add-mask::d")
	if res.code != 0 || res.stdout != "a%25b%0D%0Ac%0A::add-mask::d" {
		t.Errorf("ghesc: %d %q", res.code, res.stdout)
	}
	// A mutated copy whose helper escapes nothing: the same inputs inject.
	mut := t.TempDir()
	for _, f := range []string{installSh, checkSh} {
		copyFile(t, filepath.Join(root, f), filepath.Join(mut, filepath.Base(f)))
	}
	os.WriteFile(filepath.Join(mut, "escape.sh"), []byte("ghesc() { printf '%s' \"$*\"; }\n"), 0o600)
	for _, c := range [][]string{
		{"install.sh", "INPUT_VERSION=" + inject},
		{"check.sh", "INPUT_PLAN=plan.json", "INPUT_WORKING_DIRECTORY=" + ws, "INPUT_TERRAFORM_BIN=" + inject},
	} {
		r := newRunner(t)
		env := append(append(append(baseEnv(), r.env()...), "GITHUB_ACTIONS=true", "PLANGUARD_BIN="+pgBin), c[1:]...)
		res := run(t, t.TempDir(), env, "bash", filepath.Join(mut, c[0]))
		injected := false
		for _, cmd := range effectiveCommands(res.stdout + "\n" + res.stderr) {
			injected = injected || hostile(cmd)
		}
		if !injected {
			t.Errorf("the test does not catch %s without escaping:\n%s%s", c[0], res.stdout, res.stderr)
		}
	}
	// One helper: neither script defines its own escaping.
	for _, s := range []string{installSh, checkSh} {
		b, _ := os.ReadFile(filepath.Join(root, s))
		if !strings.Contains(string(b), `/escape.sh"`) || strings.Contains(string(b), "%0A") {
			t.Errorf("%s does not use escape.sh's ghesc alone", s)
		}
	}
}
