package action_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type actionInput struct {
	Description string
	Required    bool
	Default     string
}

type actionStep struct {
	ID    string `yaml:"id"`
	Name  string `yaml:"name"`
	If    string `yaml:"if"`
	Shell string `yaml:"shell"`
	Run   string `yaml:"run"`
	Uses  string `yaml:"uses"`
	Env   map[string]string
}

type action struct {
	Name        string
	Description string
	Author      string
	Branding    map[string]string
	Inputs      map[string]actionInput
	Outputs     map[string]struct{ Description, Value string }
	Runs        struct {
		Using string
		Steps []actionStep
	}
}

func loadAction(t *testing.T) *action {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true) // a misspelt key is an error, not ignored
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using = %q, want composite", a.Runs.Using)
	}
	return &a
}

var (
	exprRe     = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
	inputRefRe = regexp.MustCompile(`^\$\{\{ inputs\.([a-z0-9-]+) \}\}$`)
	scriptRe   = regexp.MustCompile(`scripts/action/[a-z]+\.sh`)
	envReadRe  = regexp.MustCompile(`\$\{?([A-Z][A-Z0-9_]*)`)
)

func stepScript(t *testing.T, s actionStep) (name, text string) {
	t.Helper()
	m := scriptRe.FindString(s.Run)
	if m == "" {
		return "", s.Run
	}
	b, err := os.ReadFile(filepath.Join(root, m))
	if err != nil {
		t.Fatal(err)
	}
	return m, string(b)
}

// Every input reaches a script: it is mapped to an env var, verbatim, and the
// step's script reads that variable. Every INPUT_ variable a script reads is
// mapped. No step interpolates ${{ }} into a script (injection).
func TestActionInputsReachTheScripts(t *testing.T) {
	a := loadAction(t)
	mapped := map[string]bool{}
	read := map[string]bool{}
	for _, s := range a.Runs.Steps {
		if s.Shell != "bash" || s.Run == "" {
			t.Errorf("step %q: want shell bash and a run script (got shell %q, uses %q)", s.Name, s.Shell, s.Uses)
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q interpolates an expression into its script (script injection): pass it through env", s.Name)
		}
		name, text := stepScript(t, s)
		for _, m := range envReadRe.FindAllStringSubmatch(text, -1) {
			if strings.HasPrefix(m[1], "INPUT_") {
				read[m[1]] = true
			}
		}
		for v, expr := range s.Env {
			m := inputRefRe.FindStringSubmatch(expr)
			if m == nil {
				continue
			}
			if _, ok := a.Inputs[m[1]]; !ok {
				t.Errorf("step %q: env %s uses undefined input %q", s.Name, v, m[1])
			}
			mapped[m[1]] = true
			if !regexp.MustCompile(`\$\{?` + v + `\b`).MatchString(text) {
				t.Errorf("step %q maps input %s to %s, but %s never reads it", s.Name, m[1], v, name)
			}
		}
	}
	for in := range a.Inputs {
		if !mapped[in] {
			t.Errorf("input %q is mapped to no step's env", in)
		}
	}
	for v := range read {
		in := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(v, "INPUT_"), "_", "-"))
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("a script reads %s, but action.yml has no input %q", v, in)
		}
	}
	if len(read) < 10 {
		t.Errorf("found only %d INPUT_ variables in the scripts: the scan is broken", len(read))
	}
}

// Every output comes from a step that writes it, and every step output the
// check script writes is an action output.
func TestActionOutputsComeFromTheScripts(t *testing.T) {
	a := loadAction(t)
	steps := map[string]actionStep{}
	for _, s := range a.Runs.Steps {
		if s.ID != "" {
			steps[s.ID] = s
		}
	}
	re := regexp.MustCompile(`^\$\{\{ steps\.([a-z]+)\.outputs\.([a-z-]+) \}\}$`)
	for name, o := range a.Outputs {
		m := re.FindStringSubmatch(o.Value)
		if m == nil {
			t.Errorf("output %s = %q: want ${{ steps.ID.outputs.NAME }}", name, o.Value)
			continue
		}
		s, ok := steps[m[1]]
		if !ok {
			t.Errorf("output %s: no step with id %q", name, m[1])
			continue
		}
		file, text := stepScript(t, s)
		if !strings.Contains(text, "out "+m[2]+" ") && !strings.Contains(text, m[2]+"=") {
			t.Errorf("output %s: %s never writes step output %s", name, file, m[2])
		}
	}
	_, text := stepScript(t, steps["check"])
	for _, m := range regexp.MustCompile(`(?m)(?:^\s*|&& )out ([a-z-]+) `).FindAllStringSubmatch(text, -1) {
		if _, ok := a.Outputs[m[1]]; !ok {
			t.Errorf("check.sh writes output %s, which action.yml does not expose", m[1])
		}
	}
}

// sim runs a composite action's steps the way the runner does, for the
// expressions action.yml uses: inputs (with defaults), step outputs, github
// context, `if:` with an implicit success(), per-step GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY, GITHUB_PATH prepended for later steps.
type sim struct {
	t       *testing.T
	a       *action
	inputs  map[string]string
	github  map[string]string
	steps   map[string]map[string]string
	path    []string
	temp    string
	summary strings.Builder
	log     strings.Builder
	codes   []int // exit status of each step, -1 when skipped
	failed  bool
	outputs map[string]string
}

func (s *sim) lookup(ref string) string {
	switch {
	case strings.HasPrefix(ref, "inputs."):
		v, ok := s.inputs[strings.TrimPrefix(ref, "inputs.")]
		if !ok {
			s.t.Fatalf("action.yml: expression reads unknown %s", ref)
		}
		return v
	case strings.HasPrefix(ref, "steps."):
		parts := strings.SplitN(ref, ".", 4)
		if len(parts) != 4 || parts[2] != "outputs" {
			s.t.Fatalf("action.yml: unsupported expression %s", ref)
		}
		return s.steps[parts[1]][parts[3]]
	case strings.HasPrefix(ref, "github."):
		v, ok := s.github[strings.TrimPrefix(ref, "github.")]
		if !ok {
			s.t.Fatalf("action.yml: the simulation has no %s", ref)
		}
		return v
	}
	s.t.Fatalf("action.yml: unsupported expression %q", ref)
	return ""
}

// eval evaluates `a || b || ...` of context references.
func (s *sim) eval(expr string) string {
	for _, term := range strings.Split(expr, "||") {
		if v := s.lookup(strings.TrimSpace(term)); v != "" {
			return v
		}
	}
	return ""
}

func (s *sim) expand(str string) string {
	return exprRe.ReplaceAllStringFunc(str, func(m string) string { return s.eval(exprRe.FindStringSubmatch(m)[1]) })
}

// cond evaluates an `if:` of the forms action.yml uses: a reference compared
// (!= or ==) with the empty string, or != 'true'.
func (s *sim) cond(c string) bool {
	c = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(c), "${{"), "}}"))
	if c == "" {
		return true
	}
	if l, ok := strings.CutSuffix(c, " != ''"); ok {
		return s.eval(l) != ""
	}
	if l, ok := strings.CutSuffix(c, " == ''"); ok {
		return s.eval(l) == ""
	}
	if l, ok := strings.CutSuffix(c, " != 'true'"); ok {
		return s.eval(l) != "true"
	}
	s.t.Fatalf("action.yml: unsupported if: %q", c)
	return false
}

func runAction(t *testing.T, inputs map[string]string, extraEnv ...string) *sim {
	t.Helper()
	return runActionWith(t, nil, inputs, extraEnv...)
}

// runActionWith is runAction with github context values replaced (github
// maps a reference without its "github." prefix to its value).
func runActionWith(t *testing.T, github map[string]string, inputs map[string]string, extraEnv ...string) *sim {
	t.Helper()
	a := loadAction(t)
	s := &sim{t: t, a: a, inputs: map[string]string{}, steps: map[string]map[string]string{}, temp: t.TempDir(), outputs: map[string]string{},
		github: map[string]string{
			"action_path": root, "action_ref": "v0.0.0-test", "actor": "octocat",
			"event.pull_request.user.login": "agent-bot",
		}}
	for k, v := range github {
		s.github[k] = v
	}
	for k := range inputs {
		if _, ok := a.Inputs[k]; !ok {
			t.Fatalf("test passes input %q, which action.yml does not define", k)
		}
	}
	for k, in := range a.Inputs {
		if v, ok := inputs[k]; ok {
			s.inputs[k] = v
		} else {
			s.inputs[k] = s.expand(in.Default)
		}
	}
	for i, st := range a.Runs.Steps {
		if s.failed || !s.cond(st.If) {
			s.codes = append(s.codes, -1)
			continue
		}
		dir := t.TempDir()
		out, sum, pth := filepath.Join(dir, "output"), filepath.Join(dir, "summary"), filepath.Join(dir, "path")
		for _, f := range []string{out, sum, pth} {
			os.WriteFile(f, nil, 0o600)
		}
		script := filepath.Join(dir, "step.sh")
		os.WriteFile(script, []byte(st.Run), 0o600)
		env := baseEnv()
		if len(s.path) > 0 {
			for j, kv := range env {
				if p, ok := strings.CutPrefix(kv, "PATH="); ok {
					env[j] = "PATH=" + strings.Join(s.path, ":") + ":" + p
				}
			}
		}
		env = append(env, "GITHUB_OUTPUT="+out, "GITHUB_STEP_SUMMARY="+sum, "GITHUB_PATH="+pth, "RUNNER_TEMP="+s.temp,
			"GITHUB_ACTION_PATH="+root, "GITHUB_ACTIONS=true")
		env = append(env, extraEnv...)
		for k, v := range st.Env {
			env = append(env, k+"="+s.expand(v))
		}
		// The runner's `shell: bash`.
		res := run(t, t.TempDir(), env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		fmt.Fprintf(&s.log, "## step %d %s: exit %d\n%s%s", i, st.Name, res.code, res.stdout, res.stderr)
		s.codes = append(s.codes, res.code)
		if res.code != 0 {
			s.failed = true
		}
		if st.ID != "" {
			s.steps[st.ID] = parseOutputs(t, out)
		}
		b, _ := os.ReadFile(sum)
		s.summary.Write(b)
		b, _ = os.ReadFile(pth)
		for _, l := range strings.Fields(string(b)) {
			s.path = append([]string{l}, s.path...)
		}
	}
	for k, o := range a.Outputs {
		s.outputs[k] = s.expand(o.Value)
	}
	return s
}

func TestActionComposite(t *testing.T) {
	cases := []struct {
		name       string
		plan       string
		inputs     map[string]string
		failed     bool
		codes      []int
		decision   string
		exitCode   string
		inSummary  string
		policyFile bool
	}{
		{name: "allow", plan: allowPlan, inputs: map[string]string{"plan": "plan.json"},
			codes: []int{0, 0, 0}, decision: "allow", exitCode: "0", inSummary: "planguard: ALLOWED"},
		{name: "block fails the job", plan: blockPlan, inputs: map[string]string{"plan": "plan.json", "formats": "sarif"},
			failed: true, codes: []int{0, 0, 1}, decision: "block", exitCode: "1", inSummary: "planguard approve --plan plan.json --target terraform_data.prod_db"},
		{name: "error fails the job", plan: allowPlan, inputs: map[string]string{"plan": "plan.json", "policy": "missing.hcl"},
			failed: true, codes: []int{0, 0, 2}, decision: "error", exitCode: "2", inSummary: "planguard: ERROR"},
		{name: "bad policy pin fails the job", plan: allowPlan, inputs: map[string]string{"plan": "plan.json", "policy-sha256": strings.Repeat("ab", 32)},
			failed: true, codes: []int{0, 0, 2}, decision: "error", exitCode: "2", inSummary: "not the pinned"},
		{name: "an input error fails the check step", plan: allowPlan, inputs: map[string]string{"plan": "plan.json", "formats": "pdf"},
			failed: true, codes: []int{0, 2, -1}, decision: "error", exitCode: "2", inSummary: "unknown format 'pdf'"},
		{name: "install-only", plan: "", inputs: map[string]string{"install-only": "true"},
			codes: []int{0, -1, -1}, decision: "", exitCode: ""},
		{name: "an empty plan fails the job", plan: "", inputs: map[string]string{},
			failed: true, codes: []int{2, -1, -1}, decision: "", exitCode: ""},
		{name: "an empty plan fails the job with install-only false", plan: "", inputs: map[string]string{"install-only": "false"},
			failed: true, codes: []int{2, -1, -1}, decision: "", exitCode: ""},
		{name: "install-only with a plan fails the job", plan: allowPlan, inputs: map[string]string{"plan": "plan.json", "install-only": "true"},
			failed: true, codes: []int{2, -1, -1}, decision: "", exitCode: ""},
		{name: "install-only neither true nor false fails the job", plan: "", inputs: map[string]string{"install-only": "yes"},
			failed: true, codes: []int{2, -1, -1}, decision: "", exitCode: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ws := workspace(t, c.plan)
			in := map[string]string{"working-directory": ws, "planguard-bin": pgBin}
			for k, v := range c.inputs {
				in[k] = v
			}
			s := runAction(t, in)
			if fmt.Sprint(s.codes) != fmt.Sprint(c.codes) || s.failed != c.failed {
				t.Fatalf("step exit codes %v (failed %v), want %v (failed %v)\n%s", s.codes, s.failed, c.codes, c.failed, s.log.String())
			}
			if s.outputs["decision"] != c.decision || s.outputs["exit-code"] != c.exitCode {
				t.Errorf("outputs decision %q exit-code %q, want %q %q", s.outputs["decision"], s.outputs["exit-code"], c.decision, c.exitCode)
			}
			if !strings.Contains(s.summary.String(), c.inSummary) {
				t.Errorf("job summary lacks %q:\n%s", c.inSummary, s.summary.String())
			}
			if c.codes[0] != 0 {
				if s.outputs["planguard"] != "" {
					t.Errorf("output planguard = %q after a failed install step", s.outputs["planguard"])
				}
				return
			}
			if want := filepath.Join(s.temp, "planguard-bin", "planguard"); s.outputs["planguard"] != want {
				t.Errorf("output planguard = %q, want %q", s.outputs["planguard"], want)
			}
			if c.inputs["formats"] == "sarif" {
				if _, err := os.Stat(s.outputs["report-sarif"]); err != nil {
					t.Errorf("report-sarif: %v", err)
				}
			}
		})
	}
}

// The default author is the pull request's author, else the actor; their
// signatures never count. The attestation records it.
func TestActionDefaultAuthor(t *testing.T) {
	key, _ := gateKey(t)
	ws := workspace(t, allowPlan)
	s := runAction(t, map[string]string{"plan": "plan.json", "working-directory": ws, "planguard-bin": pgBin, "attest": "check.att", "attest-key": key})
	if s.failed {
		t.Fatalf("failed: %s", s.log.String())
	}
	att, err := os.ReadFile(filepath.Join(ws, "check.att"))
	if err != nil {
		t.Fatal(err)
	}
	if p := decodeAttestation(t, att); p.Author != "agent-bot" || p.Decision != "allow" {
		t.Errorf("attestation predicate %+v, want author agent-bot (the pull request's author), decision allow", p)
	}
}

// The install step builds planguard from the action's own checkout (the ref
// in `uses:`) when neither version nor planguard-bin is given.
func TestActionBuildsFromItsCheckout(t *testing.T) {
	ws := workspace(t, allowPlan)
	s := runAction(t, map[string]string{"plan": "plan.json", "working-directory": ws})
	if s.failed {
		t.Fatalf("failed:\n%s", s.log.String())
	}
	if !strings.Contains(s.log.String(), "planguard v0.0.0-test") {
		t.Errorf("planguard version is not the action's ref:\n%s", s.log.String())
	}
	res := run(t, ws, baseEnv(), s.outputs["planguard"], "version")
	if res.code != 0 || res.stdout != "planguard v0.0.0-test\n" {
		t.Errorf("built planguard: %d %q", res.code, res.stdout)
	}
}

// The verdict step alone: only exit code 0 with decision allow passes.
func TestActionVerdictStep(t *testing.T) {
	a := loadAction(t)
	var verdict *actionStep
	for i, s := range a.Runs.Steps {
		if s.Env["EXIT_CODE"] == "${{ steps.check.outputs.exit-code }}" {
			verdict = &a.Runs.Steps[i]
		}
	}
	if verdict == nil {
		t.Fatal("action.yml has no step that reads steps.check.outputs.exit-code into EXIT_CODE")
	}
	if verdict.If != "inputs.install-only != 'true'" {
		t.Errorf("verdict step runs if %q; want it whenever a plan is checked", verdict.If)
	}
	if a.Runs.Steps[len(a.Runs.Steps)-1].Name != verdict.Name {
		t.Errorf("the verdict step is not the last step")
	}
	if verdict.Env["DECISION"] != "${{ steps.check.outputs.decision }}" {
		t.Errorf("verdict step DECISION = %q", verdict.Env["DECISION"])
	}
	script := filepath.Join(t.TempDir(), "verdict.sh")
	os.WriteFile(script, []byte(verdict.Run), 0o600)
	for _, c := range []struct {
		code, decision string
		want           int
	}{
		{"0", "allow", 0}, {"1", "block", 1}, {"2", "error", 2},
		{"", "", 2}, {"0", "", 2}, {"", "allow", 2}, {"0", "block", 2}, {"1", "allow", 2},
		{"3", "error", 2}, {"00", "allow", 2}, {"0 ", "allow", 2}, {"-1", "", 2},
	} {
		env := append(baseEnv(), "EXIT_CODE="+c.code, "DECISION="+c.decision)
		res := run(t, t.TempDir(), env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		if res.code != c.want {
			t.Errorf("verdict with exit-code %q decision %q: exit %d, want %d", c.code, c.decision, res.code, c.want)
		}
		if c.want != 0 && !strings.Contains(res.stdout, "::error title=planguard::") {
			t.Errorf("verdict %q/%q fails without an error annotation: %q", c.code, c.decision, res.stdout)
		}
	}
}

// guideTable returns the first cells (`name`) of the table rows in the
// section of the guide under heading.
func guideTable(t *testing.T, guide, heading string) []string {
	t.Helper()
	i := strings.Index(guide, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("guide has no %q section", heading)
	}
	sec := guide[i+len(heading)+2:]
	if j := strings.Index(sec, "\n## "); j >= 0 {
		sec = sec[:j]
	}
	var names []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\|").FindAllStringSubmatch(sec, -1) {
		names = append(names, m[1])
	}
	sort.Strings(names)
	return names
}

// The guide documents exactly the action's inputs and outputs.
func TestGuideMatchesAction(t *testing.T) {
	a := loadAction(t)
	b, err := os.ReadFile(filepath.Join(root, "templates/guides/github-action.md"))
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	var ins, outs []string
	for k := range a.Inputs {
		ins = append(ins, k)
	}
	for k := range a.Outputs {
		outs = append(outs, k)
	}
	sort.Strings(ins)
	sort.Strings(outs)
	if got := guideTable(t, guide, "## Inputs"); fmt.Sprint(got) != fmt.Sprint(ins) {
		t.Errorf("guide's inputs table lists %v, action.yml has %v", got, ins)
	}
	if got := guideTable(t, guide, "## Outputs"); fmt.Sprint(got) != fmt.Sprint(outs) {
		t.Errorf("guide's outputs table lists %v, action.yml has %v", got, outs)
	}
}
