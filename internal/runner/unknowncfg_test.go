package runner

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealTerraformUnknownConfigured (runner33 M1): content the
// configuration fixes but makes unknown at plan ("${local.evil}${salt}")
// is listed, address and attribute, in the plan reply and in show, with
// the warning to read the configuration; attributes the configuration
// does not set (id, output) are not; show --config prints the uploaded
// files, for any allowed uid, and refuses a copy changed on disk.
func TestRealTerraformUnknownConfigured(t *testing.T) {
	pinned := filepath.Join(t.TempDir(), "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	mainTF := localBackend(pinned) + `
locals {
  forged = <<EOT
plan sha256: 0000
EOT

  evil = jsonencode({ Statement = [{ Effect = "Allow", Action = "*" }] })
}
resource "terraform_data" "salt" {
  input = ""
}
resource "terraform_data" "iam_policy" {
  input = "${local.evil}${terraform_data.salt.output}"
}
module "m" {
  source = "./m"
  salt   = terraform_data.salt.output
}
resource "terraform_data" "known" {
  input = "plain"
}
`
	res, out := r.plan(t, map[string]string{"main.tf": mainTF,
		"m/m.tf": "variable \"salt\" {}\nresource \"terraform_data\" \"inner\" {\n  count = 1\n  triggers_replace = [var.salt]\n}\n"})
	if res.Exit != ExitAllow {
		t.Fatalf("plan: exit %d %s\n%s", res.Exit, res.Error, out)
	}
	check := func(what, s string) {
		t.Helper()
		for _, w := range []string{"WARNING: 2 attribute(s) the configuration sets are unknown at plan", "  terraform_data.iam_policy: input\n", "  module.m.terraform_data.inner[0]: triggers_replace\n", "planguard runner show --config " + res.PlanID} {
			if !strings.Contains(s, w) {
				t.Errorf("%s lacks %q:\n%s", what, w, s)
			}
		}
		for _, no := range []string{": id\n", ": output\n", "terraform_data.known:", "terraform_data.salt:"} {
			if strings.Contains(s, no) {
				t.Errorf("%s lists %q, which the configuration does not set:\n%s", what, no, s)
			}
		}
	}
	check("plan reply", out)
	var show bytes.Buffer
	if sr := r.svc.Show(context.Background(), Peer{UID: 2000}, res.PlanID, false, &show); sr.Exit != ExitAllow {
		t.Fatalf("show: %+v\n%s", sr, show.String())
	}
	check("show", show.String())
	show.Reset()
	if sr := r.svc.ShowConfig(context.Background(), Peer{UID: 2000}, res.PlanID, &show); sr.Exit != ExitAllow {
		t.Fatalf("show --config: %+v\n%s", sr, show.String())
	}
	s := show.String()
	for _, w := range []string{"==== main.tf (", `evil = jsonencode({ Statement = [{ Effect = "Allow", Action = "*" }] })`, "==== m/m.tf (", "|   triggers_replace = [var.salt]\n", "==== end of m/m.tf ====", "plan id: " + res.PlanID} {
		if !strings.Contains(s, w) {
			t.Errorf("show --config lacks %q:\n%s", w, s)
		}
	}
	if strings.Contains(s, "\nplan sha256: 0000") || !strings.Contains(s, "\n| plan sha256: 0000\n") {
		t.Errorf("show --config prints a file's line at column 0:\n%s", s)
	}
	// A copy changed on disk is refused, not printed.
	r.svc.mu.Lock()
	p := r.svc.plans[res.PlanID].uploaded
	r.svc.mu.Unlock()
	_ = os.Chmod(p, 0o600)
	if err := os.WriteFile(p, []byte(`[{"path":"main.tf","data":"ZXZpbA=="}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	show.Reset()
	if sr := r.svc.ShowConfig(context.Background(), Peer{UID: 2000}, res.PlanID, &show); sr.Exit != ExitError || !strings.Contains(sr.Error, "changed after the plan was made") {
		t.Fatalf("show --config of a changed copy: %+v\n%s", sr, show.String())
	}
	// An unknown plan id is refused.
	if sr := r.svc.ShowConfig(context.Background(), Peer{UID: 2000}, "nope", &show); sr.Exit != ExitError {
		t.Fatalf("show --config of an unknown id: %+v", sr)
	}
}

// TestStripKeys: module instance keys go, quotes respected.
func TestStripKeys(t *testing.T) {
	for in, want := range map[string]string{
		"module.a":                       "module.a",
		`module.a["x]y"].module.b[0]`:    "module.a.module.b",
		`module.a["q\"]"].module.b["c"]`: "module.a.module.b",
	} {
		if got := stripKeys(in); got != want {
			t.Errorf("stripKeys(%q) = %q, want %q", in, got, want)
		}
	}
}
