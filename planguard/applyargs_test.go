package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// applyTools are the terraform and tofu binaries the apply tests run: the
// pinned Terraform (1.8.5), the terraform on PATH when it is another binary
// (1.11.x here), and OpenTofu. Each is a subtest; a missing one skips (or
// fails under PLANGUARD_REQUIRE_TOOLS).
func applyTools(t *testing.T, f func(t *testing.T, tf string)) {
	t.Run("terraform", func(t *testing.T) { f(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")) })
	t.Run("terraform-on-path", func(t *testing.T) {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Skip("no terraform on PATH")
		}
		if pinned, _ := filepath.EvalSymlinks(testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")); pinned != "" {
			if same, _ := filepath.EvalSymlinks(p); same == pinned {
				t.Skip("terraform on PATH is the pinned one")
			}
		}
		f(t, p)
	})
	t.Run("tofu", func(t *testing.T) { f(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu")) })
}

// hiddenFlags are flags terraform or tofu apply accept but do not list in
// -help (global options, flags of newer versions); they are exercised too.
var hiddenFlags = []string{"json", "chdir", "help", "version", "ignore-remote-version", "show-sensitive", "concise",
	"deprecation", "exclude", "consolidate-warnings", "consolidate-errors", "detailed-exitcode", "generate-config-out", "out"}

var helpFlag = regexp.MustCompile(`(?m)^\s+-([a-z][a-z0-9-]*)`)

// helpFlags parses the flags listed by `TOOL apply -help` and `TOOL plan
// -help` (apply accepts the plan options when it plans itself).
func helpFlags(t *testing.T, tf string) []string {
	t.Helper()
	seen := map[string]bool{}
	for _, sub := range []string{"apply", "plan"} {
		cmd := exec.Command(tf, sub, "-help")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, _ := cmd.CombinedOutput() // -help exits 0 or 1 depending on the version
		got := helpFlag.FindAllStringSubmatch(string(out), -1)
		if len(got) < 8 {
			t.Fatalf("%s %s -help lists only %d flags:\n%s", tf, sub, len(got), out)
		}
		for _, m := range got {
			seen[m[1]] = true
		}
	}
	if !seen["auto-approve"] || !seen["backup"] || !seen["parallelism"] {
		t.Fatalf("%s apply -help: parsed flags %v lack auto-approve, backup or parallelism", tf, seen)
	}
	for _, h := range hiddenFlags {
		seen[h] = true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// spellings are the ways a flag can be written: alone, with values of
// every kind the allowlist takes or a path, in the separate form, and with
// two dashes.
func spellings(name string) [][]string {
	var out [][]string
	for _, v := range []string{"", "=", "=true", "=false", "=2", "=0", "=5s", "=x", "=../evil.tfplan", "=-"} {
		out = append(out, []string{"-" + name + v})
	}
	return append(out, []string{"-" + name, "2"}, []string{"-" + name, "tfplan"}, []string{"--" + name}, []string{"--" + name + "=2"})
}

// harmless are the flags whose accepted spellings the end-to-end test
// applies with, proving by the resulting state that they apply exactly the
// pinned plan.
var harmless = map[string]bool{"no-color": true, "compact-warnings": true, "json": true, "parallelism": true, "lock": true, "lock-timeout": true, "input": true}

// TestApplyArgsEveryHelpFlag runs every flag that terraform and tofu apply
// (and plan) -help list, in every spelling, through planguard apply: each is
// either refused with exit 2 before the plan is even read (the plan path
// does not exist, and the error is about the flag), or it is one of the
// harmless flags that TestApplyArgsAppliesOnlyThePinnedPlan applies with.
func TestApplyArgsEveryHelpFlag(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such.tfplan")
	applyTools(t, func(t *testing.T, tf string) {
		flags := helpFlags(t, tf)
		accepted := map[string]bool{}
		for _, name := range flags {
			for _, args := range spellings(name) {
				code, out, errs := runCLI(t, "", nil, append([]string{"apply", "--policy", qsPolicy, missing, "--"}, args...)...)
				if validateApplyArgs(args, "arg") == nil {
					accepted[name] = true
					if !harmless[name] {
						t.Errorf("%v: accepted, but -%s is not a harmless flag", args, name)
					}
					// Accepted: the run went on to the (missing) plan.
					if code != exitError || !strings.Contains(errs, "no-such.tfplan") {
						t.Errorf("%v: exit %d, %q", args, code, errs)
					}
					continue
				}
				if code != exitError || out != "" || !strings.Contains(errs, "refused before terraform runs") || strings.Contains(errs, "no-such.tfplan") {
					t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2, refused before the plan is read", args, code, out, errs)
				}
				if !strings.Contains(errs, strings.Join(args, " ")) && !strings.Contains(errs, args[len(args)-1]) && !strings.Contains(errs, args[0]) {
					t.Errorf("%v: the error does not name the argument: %s", args, errs)
				}
			}
		}
		// Every flag the allowlist passes is one this version has.
		for name := range harmless {
			if !accepted[name] {
				t.Errorf("-%s: no spelling accepted; the allowlist and the test disagree", name)
			}
		}
		t.Logf("%s: %d flags, accepted: %v", tf, len(flags), accepted)
	})
}

// TestApplyArgsRefusals pins the messages and the grammar's edges.
func TestApplyArgsRefusals(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string // "" = accepted
	}{
		{[]string{"-no-color", "-compact-warnings", "-json", "-parallelism=2", "-lock=true", "-lock-timeout=1m30s", "-input=false"}, ""},
		{[]string{"-parallelism=9999", "-parallelism=1", "-lock=true", "-lock-timeout=0s", "-lock-timeout=250ms"}, ""},
		{[]string{"-auto-approve"}, "only matters when Terraform makes a new plan"},
		{[]string{"-auto-approve", "-backup"}, "only matters when Terraform makes a new plan"},
		{[]string{"-backup"}, "takes the pinned plan's path"},
		{[]string{"-backup=-"}, "state file path"},
		{[]string{"-state=other.tfstate"}, "which state file"},
		{[]string{"-state-out=x"}, "resulting state"},
		{[]string{"-destroy"}, "planning option"},
		{[]string{"-replace=terraform_data.prod_db"}, "planning option"},
		{[]string{"-var", "x=1"}, "input variables"},
		{[]string{"-parallelism", "4"}, "in the same argument"},
		{[]string{"-lock-timeout", "4s"}, "in the same argument"},
		{[]string{"-parallelism=0"}, "not allowed"},
		{[]string{"-parallelism=04"}, "not allowed"},
		{[]string{"-parallelism=10000"}, "not allowed"},
		{[]string{"-lock-timeout=1d"}, "not allowed"},
		{[]string{"-lock-timeout=-1s"}, "not allowed"},
		{[]string{"-lock=1"}, "only -lock=true is passed"},
		{[]string{"-lock=false"}, "only -lock=true is passed"},
		{[]string{"-lock"}, "in the same argument"},
		{[]string{"-input=true"}, "must not prompt"},
		{[]string{"-input"}, "in the same argument"},
		{[]string{"-no-color=true"}, "takes no value"},
		{[]string{"--no-color"}, "one dash"},
		{[]string{"--"}, "second \"--\""},
		{[]string{"-"}, "not a flag"},
		{[]string{"other.tfplan"}, "not a flag"},
		{[]string{""}, "not a flag"},
		{[]string{"-no-color", "tfplan"}, "not a flag"},
		{[]string{"-show-sensitive"}, "sensitive values"},
		{[]string{"-chdir=/tmp"}, "global option"},
		{[]string{"-No-Color"}, "not on the list"},
		{[]string{"-json\n-destroy"}, "not on the list"},
	} {
		err := validateApplyArgs(tt.args, "terraform apply argument")
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: refused: %v", tt.args, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: got %v, want an error with %q", tt.args, err, tt.want)
		}
	}
	// TF_CLI_ARGS and TF_CLI_ARGS_apply go through the same list.
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"TF_CLI_ARGS": "-no-color", "TF_CLI_ARGS_apply": " -parallelism=2\t-lock=true "}, ""},
		{map[string]string{"TF_CLI_ARGS_apply": "-auto-approve -backup"}, "$TF_CLI_ARGS_apply word \"-auto-approve\""},
		{map[string]string{"TF_CLI_ARGS": "-destroy"}, "$TF_CLI_ARGS word \"-destroy\""},
		{map[string]string{"TF_CLI_ARGS_apply": `-backup "x"`}, "cannot split"},
		{map[string]string{"TF_CLI_ARGS_apply": `-no-color 'x'`}, "cannot split"},
		{map[string]string{"TF_CLI_ARGS_apply": `-state=$HOME/x`}, "cannot split"},
	} {
		err := checkApplyArgs(nil, func(k string) string { return tt.env[k] })
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: refused: %v", tt.env, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: got %v, want an error with %q", tt.env, err, tt.want)
		}
	}
	// The plan is always last, after "--".
	got := applyCommand([]string{"-no-color"}, "/tmp/p/pinned.tfplan")
	if want := []string{"apply", "-input=false", "-no-color", "--", "/tmp/p/pinned.tfplan"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("command %q, want %q", got, want)
	}
}

// allowedArgGrammar is the allowlist written independently of the
// validator: what the fuzzer checks every accepted argument against.
var allowedArgGrammar = regexp.MustCompile(`^-(no-color|compact-warnings|json|parallelism=[1-9][0-9]{0,3}|lock=(true|false)|lock-timeout=([0-9]{1,6}(ms|s|m|h)){1,4}|input=false)$`)

// FuzzApplyArgs: whatever the list after --, the validator never accepts
// an argument outside the allowlist's grammar, and the command line it
// leads to ends with "--" and the pinned plan, which no accepted argument
// can consume.
func FuzzApplyArgs(f *testing.F) {
	for _, s := range []string{
		"-auto-approve\x00-backup", "-no-color\x00-parallelism=4", "-parallelism\x004", "--\x00x.tfplan", "-lock-timeout=1h2m3s4ms",
		"-json\x00-compact-warnings\x00-input=false\x00-lock=true", "-state=x", "-backup=-", "-parallelism=9999\x00-destroy", "",
		"-no-color\n", "-parallelism=１", "-lock-timeout=1s1s1s1s1s",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		args := strings.Split(list, "\x00")
		err := validateApplyArgs(args, "arg")
		if err != nil {
			return
		}
		for _, a := range args {
			if !allowedArgGrammar.MatchString(a) {
				t.Fatalf("accepted %q, outside the allowlist grammar (list %q)", a, args)
			}
		}
		cmd := applyCommand(args, "/pinned/plan")
		if n := len(cmd); cmd[n-1] != "/pinned/plan" || cmd[n-2] != "--" {
			t.Fatalf("command %q does not end with -- and the pinned plan", cmd)
		}
	})
}

// stateOf returns terraform_data address → input of the working directory's state.
func stateOf(t *testing.T, tf, dir string, env []string) map[string]string {
	t.Helper()
	cmd := exec.Command(tf, "show", "-json")
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("show -json: %v", err)
	}
	var st struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string `json:"address"`
					Values  struct {
						Input any `json:"input"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	m := map[string]string{}
	for _, r := range st.Values.RootModule.Resources {
		s, _ := r.Values.Input.(string)
		m[r.Address] = s
	}
	return m
}

// TestApplyArgsAppliesOnlyThePinnedPlan applies, with real terraform and
// tofu, a checked plan that only updates terraform_data.cache while the
// working directory's configuration has since been changed to destroy the
// protected terraform_data.prod_db (so any fresh plan would destroy it):
// with every accepted flag list the state afterwards is exactly the pinned
// plan's (cache updated, prod_db still there); with each tricky refused
// list nothing is applied at all, and the pinned plan still applies after.
func TestApplyArgsAppliesOnlyThePinnedPlan(t *testing.T) {
	applyTools(t, func(t *testing.T, tf string) {
		dir := t.TempDir()
		rc := filepath.Join(dir, "terraformrc")
		os.WriteFile(rc, nil, 0o600)
		env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_ARGS=", "TF_CLI_ARGS_apply=")
		t.Setenv("TF_CLI_CONFIG_FILE", rc)
		t.Setenv("CHECKPOINT_DISABLE", "1")
		t.Setenv("TF_CLI_ARGS", "")
		t.Setenv("TF_CLI_ARGS_apply", "")
		signers := readFile(t, "../examples/quickstart/allowed_signers")
		t.Chdir(dir)
		tfRun := func(args ...string) {
			t.Helper()
			cmd := exec.Command(tf, args...)
			cmd.Dir, cmd.Env = dir, env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s %v: %v\n%s", tf, args, err, out)
			}
		}
		os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(signers), 0o600)
		policyPath := filepath.Join(dir, "planguard.hcl")
		os.WriteFile(policyPath, []byte("scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"terraform_data.prod_db\"]\n}\n"+applyPins), 0o600)
		config := func(cache string, withDB bool) string {
			s := `resource "terraform_data" "cache" { input = "` + cache + "\" }\n"
			if withDB {
				s += `resource "terraform_data" "prod_db" { input = "db" }` + "\n"
			}
			return s
		}
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config("v0", true)), 0o600)
		tfRun("init", "-input=false")
		tfRun("apply", "-input=false", "-auto-approve")
		// An evil tfvars file and a second plan that destroys prod_db, for
		// lists that try to reach them.
		os.WriteFile(filepath.Join(dir, "evil.tfvars"), []byte("x = 1\n"), 0o600)

		version := 0
		// pin makes a checked plan that sets cache to a new value, then
		// rewrites the configuration so that a fresh plan would destroy
		// prod_db and set cache to "EVIL".
		pin := func() string {
			version++
			v := "v" + string(rune('0'+version%10)) + "-" + strings.Repeat("x", version)
			os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config(v, true)), 0o600)
			tfRun("plan", "-input=false", "-out=tfplan")
			os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config("EVIL", false)), 0o600)
			return v
		}
		envv := map[string]string{"PLANGUARD_TERRAFORM": tf}
		want := "v0"
		check := func(name string) {
			t.Helper()
			st := stateOf(t, tf, dir, env)
			if _, ok := st["terraform_data.prod_db"]; !ok || st["terraform_data.cache"] != want || len(st) != 2 {
				t.Fatalf("%s: state %v, want prod_db kept and cache %q", name, st, want)
			}
		}
		// Refused lists: exit 2, nothing applied, the pinned plan intact.
		v := pin()
		for _, extra := range [][]string{
			{"-auto-approve", "-backup"},
			{"-backup"},
			{"-auto-approve"},
			{"-state=other.tfstate"},
			{"-state-out=other.tfstate"},
			{"-destroy"},
			{"-refresh-only"},
			{"-replace=terraform_data.prod_db"},
			{"-target=terraform_data.prod_db"},
			{"-var-file=evil.tfvars"},
			{"-parallelism", "2"},
			{"-lock-timeout", "5s"},
			{"-no-color", "tfplan"},
			{"-no-color", "--", "tfplan"},
			{"--no-color"},
			{"-input=true"},
			{"-chdir=.."},
			{"-json=true"},
			{"-lock"},
		} {
			code, out, errs := runCLI(t, "", envv, append([]string{"apply", "--policy", policyPath, "tfplan", "--"}, extra...)...)
			if code != exitError || !strings.Contains(errs, "refused before terraform runs") || strings.Contains(out, "Apply complete") {
				t.Fatalf("%q: exit %d\n%s\n%s", extra, code, out, errs)
			}
			check(strings.Join(extra, " "))
		}
		// The same through TF_CLI_ARGS_apply.
		for _, val := range []string{"-auto-approve -backup", "-destroy", "-state=other.tfstate"} {
			t.Setenv("TF_CLI_ARGS_apply", val)
			e2 := map[string]string{"PLANGUARD_TERRAFORM": tf, "TF_CLI_ARGS_apply": val}
			if code, _, errs := runCLI(t, "", e2, "apply", "--policy", policyPath, "tfplan"); code != exitError || !strings.Contains(errs, "refused before terraform runs") {
				t.Fatalf("TF_CLI_ARGS_apply=%q: exit %d %s", val, code, errs)
			}
			check("TF_CLI_ARGS_apply=" + val)
		}
		t.Setenv("TF_CLI_ARGS_apply", "")
		// Accepted lists: the pinned plan, exactly.
		for i, extra := range [][]string{
			{},
			{"-no-color"},
			{"-compact-warnings"},
			{"-json"},
			{"-parallelism=2"},
			{"-lock=true"},
			{"-lock=true", "-lock-timeout=5s"},
			{"-input=false"},
			{"-parallelism=1", "-parallelism=3", "-no-color", "-no-color"},
			{"-no-color", "-compact-warnings", "-json", "-parallelism=2", "-lock=true", "-lock-timeout=1m30s", "-input=false"},
		} {
			if i > 0 {
				v = pin()
			}
			code, out, errs := runCLI(t, "", envv, append([]string{"apply", "--policy", policyPath, "tfplan", "--"}, extra...)...)
			if code != 0 || !strings.Contains(out, "ALLOWED") {
				t.Fatalf("%q: exit %d\n%s\n%s", extra, code, out, errs)
			}
			want = v
			check(strings.Join(extra, " "))
		}
		// Harmless words in TF_CLI_ARGS_apply are passed, and still only the pinned plan applies.
		v = pin()
		t.Setenv("TF_CLI_ARGS_apply", "-no-color -parallelism=2")
		e2 := map[string]string{"PLANGUARD_TERRAFORM": tf, "TF_CLI_ARGS_apply": "-no-color -parallelism=2"}
		if code, out, errs := runCLI(t, "", e2, "apply", "--policy", policyPath, "tfplan"); code != 0 {
			t.Fatalf("TF_CLI_ARGS_apply harmless: exit %d\n%s\n%s", code, out, errs)
		}
		want = v
		check("TF_CLI_ARGS_apply harmless")
	})
}

// TestApplyAttestationArgsRefused: apply --attestation passes the same list,
// refused before the attestation or the plan is read.
func TestApplyAttestationArgsRefused(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such.tfplan")
	for _, extra := range [][]string{{"-auto-approve", "-backup"}, {"-backup"}, {"-destroy"}, {"-parallelism", "2"}, {"-no-color", "other.tfplan"}} {
		args := append([]string{"apply", "--attestation", "no-such.att", "--attestation-signers", "no-such-signers", "--policy-sha256", strings.Repeat("a", 64), missing, "--"}, extra...)
		code, out, errs := runCLI(t, "", nil, args...)
		if code != exitError || out != "" || !strings.Contains(errs, "refused before terraform runs") {
			t.Errorf("%q: exit %d %q %s", extra, code, out, errs)
		}
	}
	// The same with TF_CLI_ARGS_apply.
	code, _, errs := runCLI(t, "", map[string]string{"TF_CLI_ARGS_apply": "-auto-approve -backup"},
		"apply", "--attestation", "no-such.att", "--attestation-signers", "s", "--policy-sha256", strings.Repeat("a", 64), missing)
	if code != exitError || !strings.Contains(errs, "$TF_CLI_ARGS_apply word \"-auto-approve\"") {
		t.Errorf("TF_CLI_ARGS_apply: exit %d %s", code, errs)
	}
}
