package runner

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestTwinPlansRefused (review runner37 H1): a plan approval names a
// plan's bytes, but the apply also reads files the bytes do not hold (a
// variables file no configuration loads, an ephemeral variable's value).
// Two configurations planned in the same second can give byte-identical
// plans; the second may not wait beside the first, so the approval a
// person gave after reviewing one id cannot apply the other.
func TestTwinPlansRefused(t *testing.T) {
	h := newHarness(t, "runner {\n  plan_approvals = 0\n}\n")
	h.tf.twins = true
	agent := Peer{UID: 1000}
	var out bytes.Buffer
	benign := h.svc.Plan(context.Background(), agent, []File{{Path: "main.tf", Data: []byte("resource \"terraform_data\" \"a\" {}\n")}, {Path: "ops.tfvars", Data: []byte("cmd = \"echo\"\n")}}, &out)
	if benign.Exit != ExitAllow {
		t.Fatalf("first plan: %+v", benign)
	}
	out.Reset()
	evil := h.svc.Plan(context.Background(), agent, []File{{Path: "main.tf", Data: []byte("resource \"terraform_data\" \"a\" {}\n")}, {Path: "ops.tfvars", Data: []byte("cmd = \"env > /tmp/leak\"\n")}}, &out)
	if evil.Exit != ExitError || !strings.Contains(evil.Error, "same bytes (sha256 "+benign.PlanSHA256+") as plan "+benign.PlanID) || strings.Contains(out.String(), "plan id: ") {
		t.Fatalf("a twin of a waiting plan: %+v\n%s", evil, out.String())
	}
	if got := h.audit.decisions(); got != "plan allow, plan refused" {
		t.Errorf("audit: %s", got)
	}
	// Once the first is applied, the same bytes may be planned again (the
	// gate then judges that plan against the state the apply left).
	if r := h.svc.Apply(context.Background(), agent, benign.PlanID, nil, &out); r.Exit != ExitAllow {
		t.Fatalf("apply: %+v", r)
	}
	if r := h.svc.Plan(context.Background(), agent, tfConfig, &out); r.Exit != ExitAllow {
		t.Fatalf("after the apply: %+v", r)
	}
}
