package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reportFixtures are the plans whose every report format is pinned byte for
// byte: moves, imports by id and by identity, deposed objects,
// provisioners, actions, approvals (the quickstart), an approval signed
// with a key and a user certificate, a refused plan.
var reportFixtures = []struct{ policy, plan string }{
	{"../examples/quickstart/planguard.hcl", "../examples/quickstart/plan.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/handbuilt/identity_1_12.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/handbuilt/identity_import_1_12.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/handbuilt/actions_1_14.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/terraform/moved_out.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/terraform/import_replace.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/terraform/deposed.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/terraform/provisioner_create.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/terraform/update.json"},
	{"testdata/reports/planguard.hcl", "../internal/plan/testdata/terraform/removed_forget.json"},
	{"testdata/reports/certificates/planguard.hcl", "testdata/reports/certificates/plan.json"},
}

// TestReportsGolden renders each of reportFixtures in every format and
// compares the bytes with testdata/golden/reports: a refactoring of the
// gate or the renderers changes no report (-update rewrites them).
func TestReportsGolden(t *testing.T) {
	for _, fx := range reportFixtures {
		name := filepath.Base(filepath.Dir(fx.plan)) + "_" + strings.TrimSuffix(filepath.Base(fx.plan), ".json")
		for _, format := range []string{"text", "json", "markdown", "sarif", "junit", "github"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				code, out, errs := runCLI(t, "", nil, "check", "--policy", fx.policy, "--format", format,
					"--now", "2026-11-25T12:00:00Z", "--author", "agent@example.com", fx.plan)
				got := "exit " + string(rune('0'+code)) + "\n" + out + "stderr:\n" + errs
				golden := filepath.Join("testdata", "golden", "reports", name+"."+format)
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (go test ./planguard -run TestReportsGolden -update)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from %s:\n%s", format, golden, got)
				}
			})
		}
	}
}
