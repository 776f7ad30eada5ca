package runner

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Review hook152: the checks before init evaluated the agent's expressions
// to see whether they were literals, and a for expression over literal
// lists has no references: 4.4 KB of nested ones (300^4 elements) made
// the runner's own process run out of memory (H1), or, keeping no
// element (if false), run for hours past --plan-timeout, not cancellable
// (M1). These tests send the same expressions: each must be refused (or
// passed on to Terraform) within seconds. Before the fix they hang; the
// CPU form is sent first so that a hanging test does not take memory.

// forBomb is review hook152's gen.py: depth nested for expressions over a
// literal list of n numbers; with cond the innermost keeps nothing (if
// false): n^depth steps of CPU, little memory.
func forBomb(n, depth int, cond bool) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	list := "[" + strings.Join(items, ",") + "]"
	e := "1"
	for d := 0; d < depth; d++ {
		if d == 0 && cond {
			e = fmt.Sprintf("[for v%d in %s: %s if false]", d, list, e)
		} else {
			e = fmt.Sprintf("[for v%d in %s: %s]", d, list, e)
		}
	}
	return e
}

// templateBomb is the same as a template of nested %{for} directives (a
// JSON string is one to Terraform).
func templateBomb(n, depth int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	list := "[" + strings.Join(items, ",") + "]"
	var open, closing string
	for d := 0; d < depth; d++ {
		open += fmt.Sprintf("%%{for v%d in %s}", d, list)
		closing += "%{endfor}"
	}
	return open + "x" + closing
}

// countingTerraform counts the inits: a configuration refused before init
// never reaches one.
type countingTerraform struct {
	*fakeTerraform
	inits atomic.Int32
}

func (c *countingTerraform) Init(ctx context.Context, dir string, o InitOptions, out io.Writer) error {
	c.inits.Add(1)
	return c.fakeTerraform.Init(ctx, dir, o, out)
}

// planWithin plans files with the harness's service and fails the test
// when the plan takes longer than d.
func planWithin(t *testing.T, h *harness, files []File, d time.Duration) (Result, string) {
	t.Helper()
	type done struct {
		res Result
		out string
	}
	ch := make(chan done, 1)
	go func() {
		var out bytes.Buffer
		res := h.svc.Plan(context.Background(), Peer{UID: 1000, PID: 42}, files, &out)
		ch <- done{res, out.String()}
	}()
	select {
	case r := <-ch:
		return r.res, r.out
	case <-time.After(d):
		t.Fatalf("the plan did not end within %s: the runner evaluates the expression", d)
	}
	return Result{}, ""
}

// TestChecksBeforeInitRefuseForBombs: in every place a check before init
// reads a literal (a tfvars value, a module's source, a remote state's
// settings, a provider's arguments, a resource's provider, a
// required_providers entry, a backend setting), the CPU form of the bomb
// is refused at once, naming why, and nothing reaches init. In a place
// only Terraform evaluates (locals), the runner does not evaluate it
// (Terraform does, under --max-memory and --plan-timeout).
func TestChecksBeforeInitRefuseForBombs(t *testing.T) {
	bomb := forBomb(300, 4, true)
	const notEvaluated = "for expressions are not evaluated by the runner"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // "" = passed on to init
	}{
		{"tfvars", map[string]string{"a.tfvars": "x = " + bomb + "\n"}, notEvaluated},
		{"tfvars in a map", map[string]string{"terraform.tfvars": "x = { a = [1, " + bomb + "] }\n"}, notEvaluated},
		{"module source", map[string]string{"main.tf": "module \"m\" {\n  source = " + bomb + "\n}\n"}, "source must be a literal value: " + notEvaluated},
		{"remote state config", map[string]string{"main.tf": "data \"terraform_remote_state\" \"r\" {\n  backend = \"local\"\n  config = { path = " + bomb + " }\n}\n"}, "config is not a literal value: " + notEvaluated},
		{"remote state backend", map[string]string{"main.tf": "data \"terraform_remote_state\" \"r\" {\n  backend = " + bomb + "\n}\n"}, "backend is not a literal value: " + notEvaluated},
		{"provider command", map[string]string{"main.tf": "provider \"terraform\" {\n  command = " + bomb + "\n}\n"}, "not a literal"},
		{"provider exec block", map[string]string{"main.tf": "provider \"terraform\" {\n  exec {\n    command = \"x\"\n    args = " + bomb + "\n  }\n}\n"}, "not a literal"},
		{"provider alias", map[string]string{"main.tf": "provider \"terraform\" {\n  alias = " + bomb + "\n}\n"}, "alias is not a literal string"},
		{"provider argument", map[string]string{"main.tf": "provider \"terraform\" {\n  x = " + bomb + "\n}\n"}, ""},
		{"provider JSON template", map[string]string{"main.tf.json": `{"provider": {"terraform": {"command": "` + templateBomb(300, 4) + `"}}}`}, "not a literal"},
		{"resource provider", map[string]string{"main.tf": "resource \"terraform_data\" \"x\" {\n  provider = " + bomb + "\n}\n"}, "provider must be a reference"},
		{"required_providers entry", map[string]string{"main.tf": "terraform {\n  required_providers {\n    x = " + bomb + "\n  }\n}\n"}, "required_providers.x"},
		{"required_providers source", map[string]string{"main.tf": "terraform {\n  required_providers {\n    x = { source = " + bomb + " }\n  }\n}\n"}, "required_providers.x.source must be a literal value: for expressions are not evaluated"},
		{"required_providers key", map[string]string{"main.tf": "terraform {\n  required_providers {\n    x = { (" + bomb + ") = \"a/b\" }\n  }\n}\n"}, "required_providers.x"},
		{"backend setting", map[string]string{"main.tf": "terraform {\n  backend \"local\" {\n    path = " + bomb + "\n  }\n}\n"}, "not a literal"},
		{"locals (Terraform's)", map[string]string{"main.tf": "locals {\n  x = " + bomb + "\n}\n"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
			ctf := &countingTerraform{fakeTerraform: h.tf}
			h.svc.Reload(ctf, nil)
			files := []File{}
			if _, ok := tc.files["main.tf"]; !ok {
				files = append(files, File{Path: "main.tf", Data: []byte(appResource)})
			}
			for p, src := range tc.files {
				files = append(files, File{Path: p, Data: []byte(src)})
			}
			start := time.Now()
			res, out := planWithin(t, h, files, 20*time.Second)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("the plan took %s", d)
			}
			if tc.want == "" {
				if res.Exit == ExitError || ctf.inits.Load() != 1 {
					t.Fatalf("refused before init (%d inits): %+v\n%s", ctf.inits.Load(), res, out)
				}
				return
			}
			if res.Exit != ExitError || !strings.Contains(res.Error, tc.want) {
				t.Fatalf("got %+v, want a refusal naming %q", res, tc.want)
			}
			t.Logf("%.300s", res.Error)
			if n := ctf.inits.Load(); n != 0 {
				t.Errorf("init ran %d times", n)
			}
		})
	}
}

// TestTfvarsLiteralsStillAccepted: what variable definitions files hold
// (strings, numbers, negative numbers, bools, null, lists, maps, nested,
// heredocs, escapes) still passes; only what is not a literal is refused,
// saying what.
func TestTfvarsLiteralsStillAccepted(t *testing.T) {
	ok := `region   = "eu-west-1"
count    = 3
ratio    = -0.25
offset   = -12
big      = 1e30
enabled  = true
nothing  = null
zones    = ["a", "b", "c"]
ports    = [80, -1, 443]
tags     = { Name = "web", "cost-center" = "42", 3 = "three" }
nested   = { a = [{ b = { c = [1, [2, [3]]] } }], d = {} }
empty    = []
escaped  = "a $${literal} and %%{directive} and \"quotes\" and \u00e9"
policy   = <<EOT
{
  "Version": "2012-10-17"
}
EOT
indented = <<-EOT
    one
      two
    EOT
paren    = ("x")
`
	files := []File{{Path: "main.tf", Data: []byte(appResource)}, {Path: "a.tfvars", Data: []byte(ok)},
		{Path: "m/b.auto.tfvars.json", Data: []byte(`{"x": [1, -2.5, {"y": null, "z": "${not a template here}"}], "s": "v"}`)}}
	if err := Materialize(t.TempDir(), files, DefaultLimits); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	if res, out := planWithin(t, h, files[:2], 20*time.Second); res.Exit != ExitAllow {
		t.Fatalf("plan: %+v\n%s", res, out)
	}
	for src, want := range map[string]string{
		"x = var.y\n":                       "it refers to var.y",
		"x = upper(\"a\")\n":                "function calls are not evaluated by the runner",
		"x = true ? 1 : 2\n":                "conditional expressions are not evaluated by the runner",
		"x = 1 + 1\n":                       "operators are not evaluated by the runner",
		"x = [1, 2][*]\n":                   "splat expressions are not evaluated by the runner",
		"x = \"a${\"b\"}\"\n":               "template interpolations and directives",
		"x = \"%{if true}a%{endif}\"\n":     "template interpolations and directives",
		"x = 1e100000000\n":                 "too large for the runner to read: a number beyond ±1e77",
		"x = {for k in [\"a\"] : k => k}\n": "for expressions are not evaluated by the runner",
	} {
		err := Materialize(t.TempDir(), []File{{Path: "main.tf", Data: []byte(appResource)}, {Path: "a.tfvars", Data: []byte(src)}}, DefaultLimits)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}

// TestProviderRouteInANonLiteral: a provider argument that is not a
// literal is no longer evaluated, so the route check reads the keys of
// the objects written in it: an endpoint chosen by a conditional is still
// refused.
func TestProviderRouteInANonLiteral(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	src := "provider \"terraform\" {\n  settings = true ? { endpoint = \"http://127.0.0.1:9\" } : {}\n}\n" + appResource
	res, _ := planWithin(t, h, []File{{Path: "main.tf", Data: []byte(src)}}, 20*time.Second)
	if res.Exit != ExitError || !strings.Contains(res.Error, "settings.endpoint") {
		t.Fatalf("got %+v, want the route setting settings.endpoint refused", res)
	}
}

// TestPlanStopsBeforeInitWhenItsContextEnds (M1): the checks before init
// are the runner's own work, which no signal interrupts; a request whose
// context has ended (its client hung up, its time ran out, the runner is
// stopping) ends between them, before init.
func TestPlanStopsBeforeInitWhenItsContextEnds(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	ctf := &countingTerraform{fakeTerraform: h.tf}
	h.svc.Reload(ctf, nil)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errClientGone)
	res := h.svc.Plan(ctx, Peer{UID: 1000}, tfConfig, io.Discard)
	if res.Exit != ExitError || !strings.Contains(res.Error, "stopped before init") || !strings.Contains(res.Error, errClientGone.Error()) {
		t.Fatalf("got %+v", res)
	}
	if ctf.inits.Load() != 0 {
		t.Error("init ran")
	}
	if ents, _ := os.ReadDir(h.svc.cfg.StateDir); len(ents) != 0 {
		t.Errorf("left in the state directory: %v", ents)
	}
}

// TestRemoveLeftovers (L2): the plan directories a crashed or killed
// runner left are removed when a runner starts; what is not a plan
// directory, and one holding a state file Terraform wrote, stay.
func TestRemoveLeftovers(t *testing.T) {
	h := newHarness(t, "")
	dir := h.svc.cfg.StateDir
	id := func(c byte) string { return strings.Repeat(string(c), 32) }
	write(t, filepath.Join(dir, id('a'), "config", "main.tf"), appResource)
	write(t, filepath.Join(dir, id('a'), "plan.tfplan"), "plan")
	write(t, filepath.Join(dir, id('b'), "config", ".terraform", "terraform.tfstate"), "{}") // init's record, not a state
	write(t, filepath.Join(dir, id('c'), "config", "terraform.tfstate"), "{}")               // the pinned local backend's
	write(t, filepath.Join(dir, id('d'), "config", "m", "other.tfstate"), "{}")              // Terraform wrote it
	write(t, filepath.Join(dir, "notaplan", "x"), "x")
	write(t, filepath.Join(dir, "audit.jsonl"), "{}\n")
	outside := t.TempDir()
	write(t, filepath.Join(outside, "keep"), "x")
	if err := os.Symlink(outside, filepath.Join(dir, id('e'))); err != nil {
		t.Fatal(err)
	}
	removed, kept, err := h.svc.RemoveLeftovers()
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 || len(kept) != 2 {
		t.Errorf("removed %v, kept %v", removed, kept)
	}
	for _, p := range []string{id('a'), id('b')} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s left", p)
		}
	}
	for _, p := range []string{id('c'), id('d'), id('e'), "notaplan/x", "audit.jsonl"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "keep")); err != nil {
		t.Error("followed a link")
	}
	// It runs before any plan of this service.
	if res := h.svc.Plan(context.Background(), Peer{UID: 1000}, tfConfig, io.Discard); res.Exit != ExitAllow {
		t.Fatalf("plan: %+v", res)
	}
	if _, _, err := h.svc.RemoveLeftovers(); err == nil {
		t.Error("RemoveLeftovers ran with plans made")
	}
}
