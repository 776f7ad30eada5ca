// Package integrations_test keeps the integration examples and their guides
// honest: every YAML file here (and every YAML block in the guides) parses;
// every `planguard` command line in them, in workflow scripts, CI scripts and
// shell blocks, names a real command and real flags — checked against the
// flags `planguard COMMAND --help` prints and by running the real binary on
// the line, which must not fail as a usage error; uses of the GitHub Action
// pass only inputs action.yml defines and read only outputs it sets; and no
// example applies with a bare `terraform apply`, around the gate.
package integrations_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"

	"gopkg.in/yaml.v3"
)

var (
	root  string
	pgBin string
)

func TestMain(m *testing.M) {
	testbin.Run(m, func(r, dir string) { root, pgBin = r, filepath.Join(dir, "planguard") }, testbin.Planguard)
}

// The guides this package checks (templates/guides, from which docs/guides is generated).
var guides = []string{
	"templates/guides/github-action.md",
	"templates/guides/atlantis.md",
	"templates/guides/gitlab.md",
	"templates/guides/pre-commit.md",
	"templates/guides/terraform-cloud.md",
	"templates/guides/agents.md",
	"templates/guides/ci.md",
	"examples/integrations/README.md",
}

// The least number of planguard command lines each example must hold, so
// that a broken extraction cannot pass by finding nothing.
var minCommands = map[string]int{
	"examples/integrations/github-actions/terraform.yml":         1,
	"examples/integrations/atlantis/repos.yaml":                  1,
	"examples/integrations/atlantis/planguard-atlantis-apply.sh": 1,
	"examples/integrations/gitlab/.gitlab-ci.yml":                4,
	"templates/guides/github-action.md":                          1,
	"templates/guides/atlantis.md":                               2,
	"templates/guides/gitlab.md":                                 2,
	"templates/guides/pre-commit.md":                             1,
	"templates/guides/terraform-cloud.md":                        2,
	"templates/guides/agents.md":                                 4,
	"templates/guides/ci.md":                                     2,
}

// ---- the CLI's own description of itself ----

type cli struct {
	commands map[string]map[string]bool // command → flag → takes a value
}

var (
	commandLineRe = regexp.MustCompile(`^  ([a-z][a-z-]*)\s{2,}\S`)
	flagLineRe    = regexp.MustCompile(`^  -([a-z0-9][a-z0-9-]*)(?: (\S+))?$`)
)

func helpText(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(pgBin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("planguard %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func loadCLI(t *testing.T) *cli {
	t.Helper()
	c := &cli{commands: map[string]map[string]bool{}}
	inCommands := false
	sc := bufio.NewScanner(strings.NewReader(helpText(t, "--help")))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case l == "Commands:":
			inCommands = true
		case l == "":
			inCommands = false
		case inCommands:
			if m := commandLineRe.FindStringSubmatch(l); m != nil {
				c.commands[m[1]] = map[string]bool{}
			}
		}
	}
	if len(c.commands) < 8 {
		t.Fatalf("found only %d commands in planguard --help: %v", len(c.commands), c.commands)
	}
	for name, flags := range c.commands {
		sc := bufio.NewScanner(strings.NewReader(helpText(t, name, "--help")))
		for sc.Scan() {
			if m := flagLineRe.FindStringSubmatch(sc.Text()); m != nil {
				flags[m[1]] = m[2] != ""
			}
		}
		flags["help"] = false
	}
	if len(c.commands["check"]) < 9 || !c.commands["check"]["policy"] {
		t.Fatalf("planguard check --help parsed to %v", c.commands["check"])
	}
	return c
}

// staticProblems checks an invocation's command and flags against --help.
// partial: a command quoted in prose, which may end in a flag whose value
// the sentence describes.
func (c *cli) staticProblems(args []string, partial bool) []string {
	if len(args) == 0 {
		return []string{"no command"}
	}
	switch args[0] {
	case "--help", "-help", "--version", "-version", "help":
		return nil
	}
	flags, ok := c.commands[args[0]]
	if !ok {
		return []string{fmt.Sprintf("unknown command %q", args[0])}
	}
	var problems []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if args[0] != "apply" {
				problems = append(problems, "-- is only for planguard apply")
			}
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takesValue, ok := flags[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s has no flag %s", args[0], a))
		case takesValue && !hasValue:
			if i+1 >= len(args) {
				if !partial {
					problems = append(problems, fmt.Sprintf("flag %s needs a value", a))
				}
			} else {
				i++
			}
		}
	}
	return problems
}

// usageMarkers are the CLI's messages for a malformed command line.
var usageMarkers = []string{
	"flag provided but not defined", "flag needs an argument", "invalid value", "invalid boolean",
	"unknown command", "needs exactly one", "is required", "needs --", "takes no arguments",
	"pass exactly one of", "are required", "unknown format",
}

// dynamicProblem runs the real binary on the line, in a directory where every
// plain file name on the line exists (empty), with no terraform and no
// ssh-agent: it must fail (or succeed) for any reason but a usage error.
func dynamicProblem(t *testing.T, args []string) string {
	t.Helper()
	dir := t.TempDir()
	for _, a := range args {
		if a != "" && !strings.HasPrefix(a, "-") && !strings.ContainsAny(a, "/$~ =") && a != "." && a != ".." && !strings.Contains(a, "GHEXPR") {
			os.WriteFile(filepath.Join(dir, a), nil, 0o600)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, pgBin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + filepath.Join(dir, "no-bin"), "HOME=" + dir, "PLANGUARD_TERRAFORM=" + filepath.Join(dir, "no-terraform"), "NO_COLOR=1"}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run planguard %q: %v", args, err)
	}
	for _, m := range usageMarkers {
		if strings.Contains(stderr.String(), m) {
			return strings.TrimSpace(stderr.String())
		}
	}
	return ""
}

// ---- finding command lines ----

var ghExprRe = regexp.MustCompile(`\$\{\{.*?\}\}`)

var shellKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true, "while": true,
	"until": true, "!": true, "time": true, "exec": true, "{": true, "}": true, "command": true,
}

var assignRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// shellCommands splits a shell script into simple commands (their words,
// quotes removed), including those inside $( ) and backquotes. Redirections
// and comments are dropped; ${{ }} expressions become one word.
func shellCommands(script string) [][]string {
	script = ghExprRe.ReplaceAllString(script, "GHEXPR")
	script = strings.ReplaceAll(script, "\\\n", " ")
	var cmds [][]string
	var cur []string
	var word strings.Builder
	inWord, dropNext := false, false
	endWord := func() {
		if inWord {
			if dropNext {
				dropNext = false
			} else {
				cur = append(cur, word.String())
			}
		}
		word.Reset()
		inWord = false
	}
	endCmd := func() {
		endWord()
		if len(cur) > 0 {
			cmds = append(cmds, cur)
		}
		cur = nil
	}
	// subst returns the end of a $( ) or ` ` starting at i (the opening), and
	// records the commands inside.
	subst := func(s string, i int) int {
		if s[i] == '`' {
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return len(s)
			}
			cmds = append(cmds, shellCommands(s[i+1:i+1+j])...)
			return i + 1 + j
		}
		depth := 0
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					cmds = append(cmds, shellCommands(s[i+2:j])...)
					return j
				}
			}
		}
		return len(s)
	}
	s := script
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == ' ' || ch == '\t':
			endWord()
		case ch == '\n' || ch == ';' || ch == '|' || ch == '(' || ch == ')':
			endCmd()
		case ch == '&':
			if i+1 < len(s) && s[i+1] == '>' { // &> FILE
				endWord()
				dropNext = true
				i++
				continue
			}
			endCmd()
		case ch == '#' && !inWord:
			for i < len(s) && s[i] != '\n' {
				i++
			}
			endCmd()
		case ch == '>' || ch == '<':
			if inWord && strings.Trim(word.String(), "0123456789") == "" {
				word.Reset()
				inWord = false
			}
			endWord()
			for i+1 < len(s) && (s[i+1] == '>' || s[i+1] == '&') {
				i++
			}
			if s[i] == '&' { // 2>&1, 8>&- (closed)
				for i+1 < len(s) && (s[i+1] >= '0' && s[i+1] <= '9' || s[i+1] == '-') {
					i++
				}
				continue
			}
			dropNext = true
		case ch == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				j = len(s) - i - 1
			}
			word.WriteString(s[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case ch == '"':
			inWord = true
			for i++; i < len(s) && s[i] != '"'; i++ {
				switch {
				case s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0:
					i++
					word.WriteByte(s[i])
				case s[i] == '$' && i+1 < len(s) && s[i+1] == '(' || s[i] == '`':
					i = subst(s, i)
					word.WriteString("SUBST")
				default:
					word.WriteByte(s[i])
				}
			}
		case ch == '\\' && i+1 < len(s):
			i++
			word.WriteByte(s[i])
			inWord = true
		case ch == '$' && i+1 < len(s) && s[i+1] == '(' || ch == '`':
			i = subst(s, i)
			word.WriteString("SUBST")
			inWord = true
		default:
			word.WriteByte(ch)
			inWord = true
		}
	}
	endCmd()
	return cmds
}

// invocation is one planguard command line found in a file.
type invocation struct {
	file    string
	args    []string
	partial bool // quoted in prose
}

func (v invocation) String() string {
	return fmt.Sprintf("%s: planguard %s", v.file, strings.Join(v.args, " "))
}

// commandWords strips keywords and assignments before a command's name.
func commandWords(words []string) []string {
	for len(words) > 0 && (shellKeywords[words[0]] || assignRe.MatchString(words[0])) {
		words = words[1:]
	}
	return words
}

func isPlanguard(w string) bool { return w == "planguard" || strings.HasSuffix(w, "/planguard") }

func planguardInvocations(file, script string) []invocation {
	var out []invocation
	for _, words := range shellCommands(script) {
		words = commandWords(words)
		if len(words) > 0 && isPlanguard(words[0]) {
			// "$@": flags a script collected (the Atlantis wrapper's --approval FILE pairs).
			args := slices.DeleteFunc(slices.Clone(words[1:]), func(w string) bool { return w == "$@" })
			out = append(out, invocation{file: file, args: args})
		}
	}
	return out
}

// bareTerraformApply finds `terraform apply` (or tofu) run around the gate.
func bareTerraformApply(script string) []string {
	var out []string
	for _, words := range shellCommands(script) {
		words = commandWords(words)
		if len(words) > 1 && (filepath.Base(words[0]) == "terraform" || filepath.Base(words[0]) == "tofu") && words[1] == "apply" {
			out = append(out, strings.Join(words, " "))
		}
	}
	return out
}

// Keys whose values are shell scripts: GitHub Actions and Atlantis (run),
// GitLab CI (script, before_script, after_script), pre-commit (entry).
var shellKeys = map[string]bool{"run": true, "script": true, "before_script": true, "after_script": true, "entry": true}

// yamlScripts returns the shell scripts in a YAML document.
func yamlScripts(n *yaml.Node) []string {
	var out []string
	var scalars func(n *yaml.Node)
	scalars = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.AliasNode:
			scalars(n.Alias)
		case yaml.ScalarNode:
			out = append(out, n.Value)
		case yaml.SequenceNode:
			for _, c := range n.Content {
				scalars(c)
			}
		}
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if shellKeys[n.Content[i].Value] {
					scalars(n.Content[i+1])
				} else {
					walk(n.Content[i+1])
				}
			}
		}
	}
	walk(n)
	return out
}

type source struct {
	file        string
	scripts     []string
	yamlDocs    []*yaml.Node
	invocations []invocation
}

func parseYAML(t *testing.T, name, text string) *yaml.Node {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil {
		t.Errorf("%s: YAML does not parse: %v", name, err)
		return nil
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode && n.Content[0].Kind != yaml.SequenceNode {
		t.Errorf("%s: YAML is empty or a bare scalar", name)
		return nil
	}
	return &n
}

var (
	fenceRe  = regexp.MustCompile("(?ms)^ *```([a-z]*)\n(.*?)^ *```")
	inlineRe = regexp.MustCompile("`(planguard [^`]+)`")
)

// loadSources reads every YAML example and every guide.
func loadSources(t *testing.T) []*source {
	t.Helper()
	var srcs []*source
	err := filepath.WalkDir(filepath.Join(root, "examples/integrations"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := filepath.Ext(p)
		if ext != ".yml" && ext != ".yaml" && ext != ".sh" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		s := &source{file: rel}
		if ext == ".sh" { // a script an example runs (the Atlantis apply wrapper)
			s.scripts = []string{string(b)}
			srcs = append(srcs, s)
			return nil
		}
		if n := parseYAML(t, rel, string(b)); n != nil {
			s.yamlDocs = append(s.yamlDocs, n)
			s.scripts = yamlScripts(n)
		}
		srcs = append(srcs, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range guides {
		b, err := os.ReadFile(filepath.Join(root, g))
		if err != nil {
			t.Errorf("guide %s: %v", g, err)
			continue
		}
		text := string(b)
		s := &source{file: g}
		for _, m := range fenceRe.FindAllStringSubmatch(text, -1) {
			switch m[1] {
			case "sh", "bash", "shell", "console":
				s.scripts = append(s.scripts, m[2])
			case "yaml", "yml":
				if n := parseYAML(t, g+" (yaml block)", m[2]); n != nil {
					s.yamlDocs = append(s.yamlDocs, n)
					s.scripts = append(s.scripts, yamlScripts(n)...)
				}
			}
		}
		prose := fenceRe.ReplaceAllString(text, "")
		for _, m := range inlineRe.FindAllStringSubmatch(prose, -1) {
			for _, words := range shellCommands(m[1]) {
				if len(words) > 0 && isPlanguard(words[0]) {
					s.invocations = append(s.invocations, invocation{file: g, args: words[1:], partial: true})
				}
			}
		}
		srcs = append(srcs, s)
	}
	for _, s := range srcs {
		for _, sc := range s.scripts {
			s.invocations = append(s.invocations, planguardInvocations(s.file, sc)...)
		}
	}
	return srcs
}

// ---- the tests ----

func TestExamplesParse(t *testing.T) {
	srcs := loadSources(t)
	seen := map[string]bool{}
	for _, s := range srcs {
		seen[s.file] = true
	}
	for _, want := range []string{
		"examples/integrations/github-actions/terraform.yml",
		"examples/integrations/atlantis/repos.yaml",
		"examples/integrations/atlantis/atlantis.yaml",
		"examples/integrations/atlantis/planguard-atlantis-apply.sh",
		"examples/integrations/gitlab/.gitlab-ci.yml",
		"examples/integrations/pre-commit/.pre-commit-config.yaml",
		"examples/integrations/agents/agent-plan.yml",
	} {
		if !seen[want] {
			t.Errorf("example %s is missing", want)
		}
	}
}

func TestPlanguardCommandLines(t *testing.T) {
	c := loadCLI(t)
	srcs := loadSources(t)
	total := 0
	for _, s := range srcs {
		full := 0
		for _, v := range s.invocations {
			total++
			if !v.partial {
				full++
			}
			for _, p := range c.staticProblems(v.args, v.partial) {
				t.Errorf("%s\n\t%s", v, p)
			}
			if !v.partial {
				if msg := dynamicProblem(t, v.args); msg != "" {
					t.Errorf("%s\n\tplanguard rejects the command line: %s", v, msg)
				}
			}
		}
		if full < minCommands[s.file] {
			t.Errorf("%s: found %d planguard command lines, want at least %d", s.file, full, minCommands[s.file])
		}
		if !strings.HasPrefix(s.file, "examples/integrations/") {
			continue // the guides explain check-then-apply of the same saved plan too
		}
		for _, sc := range s.scripts {
			for _, a := range bareTerraformApply(sc) {
				t.Errorf("%s: %q applies around the gate; use planguard apply on the checked plan", s.file, a)
			}
		}
	}
	t.Logf("checked %d planguard command lines", total)
}

// The checker itself: it must catch what it is for.
func TestCheckerCatchesMistakes(t *testing.T) {
	c := loadCLI(t)
	bad := []string{
		"planguard check --no-such-flag tfplan",
		"planguard check --policy",
		"planguard chekc tfplan",
		"planguard check a.json b.json",
		"planguard check --format yaml tfplan",
		"planguard verify-attestation --attestation check.att tfplan",
		"planguard apply tfplan other.tfplan",
		"planguard check tfplan -- -parallelism=4",
		"planguard check --attest check.att tfplan",
		"planguard approve --target x --reason y",
		"planguard check --policy-sha tfplan",
	}
	for _, line := range bad {
		v := planguardInvocations("test", line)
		if len(v) != 1 {
			t.Fatalf("%q: %d invocations", line, len(v))
		}
		if len(c.staticProblems(v[0].args, false)) == 0 && dynamicProblem(t, v[0].args) == "" {
			t.Errorf("the checker accepts %q", line)
		}
	}
	good := []string{
		`planguard check --policy "$POLICY" --author "$AUTHOR" tfplan`,
		`planguard apply --policy p.hcl tfplan -- -parallelism=4`,
		`status=$(planguard check --format json plan.json 2>/dev/null) || true`,
		`if [ -n "$X" ]; then planguard verify --policy=p.hcl .; fi`,
	}
	for _, line := range good {
		v := planguardInvocations("test", line)
		if len(v) != 1 {
			t.Fatalf("%q: %d invocations: %v", line, len(v), v)
		}
		if p := c.staticProblems(v[0].args, false); len(p) != 0 {
			t.Errorf("the checker rejects %q: %v", line, p)
		}
		if msg := dynamicProblem(t, v[0].args); msg != "" {
			t.Errorf("the checker rejects %q: %s", line, msg)
		}
	}
	if got := bareTerraformApply("terraform init\nterraform plan -out tfplan && terraform apply -auto-approve"); len(got) != 1 {
		t.Errorf("bare terraform apply not found: %v", got)
	}
	if got := bareTerraformApply("planguard apply tfplan # not terraform apply"); len(got) != 0 {
		t.Errorf("found a bare terraform apply in a comment: %v", got)
	}
}

type actionYML struct {
	Inputs  map[string]any
	Outputs map[string]any
}

var actionUseRe = regexp.MustCompile(`^planguard/terraform-provider-planguard@[\w.-]+$`)

// Workflows use the action with its real inputs and read its real outputs.
func TestActionUses(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionYML
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	uses := 0
	for _, s := range loadSources(t) {
		for _, doc := range s.yamlDocs {
			var wf struct {
				Jobs map[string]struct {
					Steps []struct {
						ID   string
						Uses string
						With map[string]any
					}
				}
			}
			if err := doc.Decode(&wf); err != nil {
				continue // not a workflow
			}
			raw, _ := yaml.Marshal(doc)
			for job, j := range wf.Jobs {
				for _, st := range j.Steps {
					if !strings.HasPrefix(st.Uses, "planguard/") {
						continue
					}
					uses++
					if !actionUseRe.MatchString(st.Uses) {
						t.Errorf("%s job %s: uses %q: want planguard/terraform-provider-planguard@REF", s.file, job, st.Uses)
					}
					for k := range st.With {
						if _, ok := a.Inputs[k]; !ok {
							t.Errorf("%s job %s: the action has no input %q", s.file, job, k)
						}
					}
					if st.ID == "" {
						continue
					}
					re := regexp.MustCompile(`steps\.` + regexp.QuoteMeta(st.ID) + `\.outputs\.([a-z0-9-]+)`)
					for _, m := range re.FindAllStringSubmatch(string(raw), -1) {
						if _, ok := a.Outputs[m[1]]; !ok {
							t.Errorf("%s job %s: the action has no output %q", s.file, job, m[1])
						}
					}
				}
			}
		}
	}
	if uses < 4 {
		t.Errorf("found %d uses of the action in the examples and guides, want at least 4", uses)
	}
}

// The pre-commit example names hooks this repository defines.
func TestPreCommitExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct{ ID string }
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, h := range hooks {
		ids[h.ID] = true
	}
	b, err = os.ReadFile(filepath.Join(root, "examples/integrations/pre-commit/.pre-commit-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Repos []struct {
			Repo, Rev string
			Hooks     []struct {
				ID   string
				Args []string
			}
		}
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range cfg.Repos {
		if r.Repo != "https://github.com/planguard/terraform-provider-planguard" || r.Rev == "" {
			t.Errorf("repo %q rev %q", r.Repo, r.Rev)
		}
		for _, h := range r.Hooks {
			n++
			if !ids[h.ID] {
				t.Errorf("hook %q is not in .pre-commit-hooks.yaml", h.ID)
			}
			if len(h.Args) > 0 && h.Args[0] != "--policy" && h.Args[0] != "--author" {
				t.Errorf("hook %q args %v: the hook takes --policy and --author", h.ID, h.Args)
			}
		}
	}
	if n == 0 {
		t.Error("the pre-commit example uses no hook")
	}
}

// The guides are tfplugindocs templates like the existing ones.
func TestGuidesFrontMatter(t *testing.T) {
	re := regexp.MustCompile(`(?s)\A---\npage_title: "[^"\n]+"\nsubcategory: "Guides"\ndescription: \|-\n  [^\n]+\n(?:  [^\n]+\n)*---\n\n# `)
	var names []string
	for _, g := range guides {
		if !strings.HasPrefix(g, "templates/guides/") {
			continue
		}
		names = append(names, g)
		b, err := os.ReadFile(filepath.Join(root, g))
		if err != nil {
			t.Errorf("%s: %v", g, err)
			continue
		}
		if !re.Match(b) {
			t.Errorf("%s: front matter is not page_title, subcategory \"Guides\", description |-, then a # title", g)
		}
	}
	sort.Strings(names)
	if len(names) != 7 {
		t.Errorf("guides: %v", names)
	}
}

// Relative links in the guides point at guides that exist, and their
// #anchors (and a guide's links to its own sections) at headings there, as
// GitHub and the registry make them (githubAnchors).
func TestGuideLinks(t *testing.T) {
	re := regexp.MustCompile(`\]\(([a-z0-9-]+\.md)?(#[^)]*)?\)`)
	n, anchors := 0, 0
	dir := filepath.Join(root, "templates/guides")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		g := e.Name()
		b, err := os.ReadFile(filepath.Join(dir, g))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if target == "" && m[2] == "" {
				continue
			}
			n++
			if target == "" {
				target = g
			}
			tb, err := os.ReadFile(filepath.Join(dir, target))
			if err != nil {
				t.Errorf("%s links to %s, which is not a guide", g, target)
				continue
			}
			if m[2] != "" {
				anchors++
				if !githubAnchors(string(tb))[strings.TrimPrefix(m[2], "#")] {
					t.Errorf("%s links to %s%s: %s has no such heading", g, target, m[2], target)
				}
			}
		}
	}
	if n < 10 || anchors < 10 {
		t.Errorf("found only %d links between the guides, %d with an anchor", n, anchors)
	}
}

// githubAnchors are the anchors of a Markdown file's headings outside code
// blocks, as GitHub makes them: lower case, punctuation but '-' and '_'
// dropped, spaces turned into '-', a repeated one suffixed -1, -2, ….
func githubAnchors(md string) map[string]bool {
	out := map[string]bool{}
	fence := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			fence = !fence
			continue
		}
		if fence || !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var a strings.Builder
		for _, r := range strings.ToLower(text) {
			switch {
			case r == ' ':
				a.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				a.WriteRune(r)
			}
		}
		id := a.String()
		for i := 1; out[id]; i++ {
			id = fmt.Sprintf("%s-%d", a.String(), i)
		}
		out[id] = true
	}
	return out
}
