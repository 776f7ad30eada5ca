package runner

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestTwinPlansRefused (review runner37 H1, runner38 H1): a plan approval
// names a plan's bytes, but the apply also reads files the bytes do not
// hold (a variables file no configuration loads, an ephemeral variable's
// value). Two configurations planned in the same second can give
// byte-identical plans. The runner refuses a plan whose bytes it made
// before from other files — while the first waits, and after it was
// applied or expired — so the approval a person gave after reviewing one
// plan cannot apply another's files; the same files may be planned twice.
func TestTwinPlansRefused(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	h.tf.twins = true
	agent := Peer{UID: 1000}
	benignFiles := []File{{Path: "main.tf", Data: []byte("resource \"terraform_data\" \"a\" {}\n")}, {Path: "ops.tfvars", Data: []byte("cmd = \"echo\"\n")}}
	evilFiles := []File{{Path: "main.tf", Data: []byte("resource \"terraform_data\" \"a\" {}\n")}, {Path: "ops.tfvars", Data: []byte("cmd = \"env > /tmp/leak\"\n")}}
	var out bytes.Buffer
	benign := h.svc.Plan(context.Background(), agent, benignFiles, &out)
	if benign.Exit != ExitAllow {
		t.Fatalf("first plan: %+v", benign)
	}
	twin := func(when string) {
		t.Helper()
		out.Reset()
		evil := h.svc.Plan(context.Background(), agent, evilFiles, &out)
		if evil.Exit != ExitError || !strings.Contains(evil.Error, "same bytes (sha256 "+benign.PlanSHA256+") as an earlier plan made from other files") || strings.Contains(out.String(), "plan id: ") {
			t.Fatalf("a twin %s: %+v\n%s", when, evil, out.String())
		}
	}
	twin("while the first waits")
	// The same files again: the same content, which a review of either
	// saw.
	if again := h.svc.Plan(context.Background(), agent, benignFiles, &out); again.Exit != ExitAllow || again.PlanSHA256 != benign.PlanSHA256 {
		t.Fatalf("the same files planned again: %+v", again)
	}
	if r := h.svc.Apply(context.Background(), agent, benign.PlanID, nil, &out); r.Exit != ExitAllow {
		t.Fatalf("apply: %+v", r)
	}
	twin("after the first was applied")
	h.now = h.now.Add(2 * DefaultPlanTTL) // every plan expired
	twin("after the plans expired")
	if got := h.audit.decisions(); !strings.HasPrefix(got, "plan allow, plan refused, plan allow, apply applying, apply applied, plan refused, plan refused") {
		t.Errorf("audit: %s", got)
	}
}

// TestRealTerraformPlanHoldsUploadHash (review runner39 H1): the saved
// plan holds the runner's upload mark, so its bytes name every uploaded
// file, also one Terraform does not load: twins cannot come from two
// runners either.
func TestRealTerraformPlanHoldsUploadHash(t *testing.T) {
	pinned := filepath.Join(t.TempDir(), "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + appResource, "ops.tfvars": "cmd = \"echo\"\n"})
	if res.Exit != ExitAllow {
		t.Fatalf("plan: %+v\n%s", res, out)
	}
	r.svc.mu.Lock()
	rec := r.svc.plans[res.PlanID]
	r.svc.mu.Unlock()
	zr, err := zip.OpenReader(rec.planFile)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	found := false
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, uploadMarkFile) {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			found = strings.Contains(string(b), rec.uploadedSHA256)
		}
	}
	if !found {
		t.Fatalf("the saved plan does not hold %s with the upload hash %s", uploadMarkFile, rec.uploadedSHA256)
	}
	// An upload may not take the mark's name.
	if res, _ := r.plan(t, map[string]string{"main.tf": appResource, uploadMarkFile: "# mine\n"}); res.Exit != ExitError || !strings.Contains(res.Error, "a name the runner keeps") {
		t.Fatalf("an upload naming the mark: %+v", res)
	}
}
