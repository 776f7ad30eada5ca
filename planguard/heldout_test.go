package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestHeldOutPlans runs check over real plans from Terraform versions the
// gate was not developed against — 1.5 to 1.7, and the Terraform on PATH
// (1.11 when this was written; `make fixtures-heldout` writes them with the
// same scenarios as the 1.8.5 fixtures, into heldout-<version>) — and
// expects each to be judged exactly like its 1.8.5 counterpart: the same
// exit status and the same destructive changes flagged, in the same order.
// Scenarios 1.8.5 cannot plan are judged against testdata/golden/newer.
func TestHeldOutPlans(t *testing.T) {
	policyPath := heldOutPolicy(t)
	plans, _ := filepath.Glob(filepath.Join("testdata", "heldout-*", "terraform", "*.json"))
	if len(plans) < 18 {
		t.Fatalf("only %d held-out plans; run make fixtures-heldout", len(plans))
	}
	for _, fx := range plans {
		version := strings.TrimPrefix(filepath.Base(filepath.Dir(filepath.Dir(fx))), "heldout-")
		name := strings.TrimSuffix(filepath.Base(fx), ".json")
		t.Run(version+"/"+name, func(t *testing.T) { judgeHeldOut(t, policyPath, version, name, fx) })
	}
}

// TestHeldOutLive plans every scenario with the Terraform on PATH
// (PLANGUARD_TERRAFORM_LATEST, which the GNUmakefile finds), whatever its
// version — scripts/fixtures/generate.sh into a temporary directory — and
// judges each plan like the committed held-out fixtures. A Terraform newer
// than any version the tests know is exercised and logged, not refused.
func TestHeldOutLive(t *testing.T) {
	if testing.Short() {
		t.Skip("plans every scenario with real Terraform (-short)")
	}
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")
	out := t.TempDir()
	cmd := exec.Command("bash", "../scripts/fixtures/generate.sh")
	cmd.Env = append(os.Environ(), "TOOLS=terraform", "TERRAFORM_BIN="+tf, "OUT_DIR="+filepath.Join(out, "heldout-{version}"))
	log, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("generate.sh with %s: %v\n%s", tf, err, log)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "heldout-*"))
	if len(dirs) != 1 {
		t.Fatalf("generate.sh wrote %v\n%s", dirs, log)
	}
	version := strings.TrimPrefix(filepath.Base(dirs[0]), "heldout-")
	t.Logf("Terraform on PATH: %s is version %s", tf, version)
	if _, err := os.Stat(filepath.Join("testdata", "heldout-"+version)); err != nil {
		t.Logf("Terraform %s is newer than the committed held-out fixtures: judged live only (make fixtures-heldout commits them)", version)
	}
	plans, _ := filepath.Glob(filepath.Join(dirs[0], "terraform", "*.json"))
	if len(plans) < 20 {
		t.Fatalf("only %d plans from Terraform %s\n%s", len(plans), version, log)
	}
	policyPath := heldOutPolicy(t)
	for _, fx := range plans {
		name := strings.TrimSuffix(filepath.Base(fx), ".json")
		t.Run(name, func(t *testing.T) { judgeHeldOut(t, policyPath, version, name, fx) })
	}
}

// heldOutPolicy writes the protect-everything policy and its trust file.
func heldOutPolicy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	as, err := os.ReadFile("../examples/quickstart/allowed_signers")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), as, 0o600); err != nil {
		t.Fatal(err)
	}
	policyPath := filepath.Join(dir, "planguard.hcl")
	if err := os.WriteFile(policyPath, []byte(protectAll), 0o600); err != nil {
		t.Fatal(err)
	}
	return policyPath
}

// judgeHeldOut checks that the plan fx of scenario name, written by
// Terraform version, is judged like the 1.8.5 golden of that scenario (or,
// for a scenario 1.8.5 cannot plan, like its golden in golden/newer).
func judgeHeldOut(t *testing.T, policyPath, version, name, fx string) {
	t.Helper()
	b, err := os.ReadFile(fx)
	if err != nil {
		t.Fatal(err)
	}
	// go-installed builds of some versions call themselves "1.6.6-dev".
	if !strings.HasPrefix(string(b), `{"format_version":"1.2","terraform_version":"`+version+`"`) &&
		!strings.HasPrefix(string(b), `{"format_version":"1.2","terraform_version":"`+version+`-dev"`) {
		t.Fatalf("%s was not written by Terraform %s (or its format is not 1.2): %.80s", fx, version, b)
	}
	got := goldenSummary(t, policyPath, fx)
	golden, than := filepath.Join("testdata", "golden", "terraform", name+".txt"), "1.8.5"
	if _, err := os.Stat(golden); errors.Is(err, fs.ErrNotExist) {
		// A scenario Terraform 1.8.5 cannot plan (provisioners in
		// removed blocks, ephemeral variables): its own golden.
		golden, than = filepath.Join("testdata", "golden", "newer", name+".txt"), "the golden"
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (a scenario only newer versions plan: go test ./planguard -run TestHeldOutPlans -update)", err)
	}
	if than == "1.8.5" && versionAtLeast(version, 1, 9) {
		got = withoutRemovedBlockRuns(got)
	}
	if w, ok := heldOutDiffers[version+"/"+name]; ok {
		want = []byte(w)
	}
	if got != string(want) {
		t.Errorf("Terraform %s plan judged differently from %s (%s):\ngot:\n%s\nwant:\n%s", version, than, golden, got, want)
	}
}

// heldOutDiffers lists the version/scenario pairs whose JSON says something
// else than 1.8.5's, and what the gate must then answer.
var heldOutDiffers = map[string]string{
	// Terraform 1.5 writes no "errored" (nor "applyable", "complete") into
	// the JSON of a plan whose planning failed: the JSON shows only what was
	// planned, here one no-op, so there is nothing to block. Terraform 1.5.7
	// itself refuses to apply such a plan ("Cannot apply incomplete plan");
	// from 1.6 on the JSON says errored and the gate answers exit 2.
	"1.5.7/errored": "exit 0\ndecision allow\n",
}

// withoutRemovedBlockRuns drops the removed-block provisioner lines of a
// summary. From Terraform 1.9 a removed block may declare a destroy-time
// provisioner that the plan JSON does not show, so the gate lists one
// (and blocks it) for every delete of a 1.9+ plan read as JSON — the only
// way a held-out JSON plan of 1.9+ is judged differently from 1.8.5's, by
// design. A saved plan's configuration snapshot rules them out
// (e2e/removed_test.go).
func withoutRemovedBlockRuns(summary string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(summary, "\n") {
		if !strings.HasPrefix(line, "provisioner removed-block ") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// versionAtLeast reports whether a version such as 1.11.4 is major.minor
// or later.
func versionAtLeast(v string, major, minor int) bool {
	var a, b int
	if _, err := fmt.Sscanf(v, "%d.%d", &a, &b); err != nil {
		return false
	}
	return a > major || (a == major && b >= minor)
}
