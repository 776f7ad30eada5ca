package runner

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// maskedPlan is the JSON terraform show -json gives (trimmed) for a
// create whose input is sensitive(), an update whose nested tag value is
// sensitive (before and after), a delete of a sensitive value, a value
// known only after apply, a read and a no-op (not listed), and a value
// holding the runner's credential (redacted even when revealed).
const maskedPlan = `{"resource_changes":[
{"address":"terraform_data.iam_policy","change":{"actions":["create"],"before":null,
 "after":{"input":"{\"Statement\":[{\"Action\":\"*\"}]}","id":null},"after_unknown":{"id":true},
 "before_sensitive":false,"after_sensitive":{"input":true}}},
{"address":"aws_thing.t[\"a\"]","change":{"actions":["update"],
 "before":{"tags":{"owner team":"old"},"rules":[{"cidr":"10.0.0.0/8"}]},"after":{"tags":{"owner team":"new"},"rules":[{"cidr":"0.0.0.0/0"}]},
 "after_unknown":{},"before_sensitive":{"tags":{"owner team":true}},"after_sensitive":{"tags":{"owner team":true},"rules":[{"cidr":true}]}}},
{"address":"terraform_data.gone","change":{"actions":["delete"],"before":{"input":"bye"},"after":null,"after_unknown":false,
 "before_sensitive":{"input":true},"after_sensitive":false}},
{"address":"terraform_data.later","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{"input":true},
 "before_sensitive":false,"after_sensitive":{"input":true}}},
{"address":"terraform_data.cred","change":{"actions":["create"],"before":null,"after":{"input":"the-runner-credential-42"},"after_unknown":{},
 "before_sensitive":false,"after_sensitive":{"input":true}}},
{"address":"data.x.y","change":{"actions":["read"],"before":null,"after":{"v":"s"},"after_unknown":{},"before_sensitive":false,"after_sensitive":{"v":true}}},
{"address":"terraform_data.same","change":{"actions":["no-op"],"before":{"input":"s"},"after":{"input":"s"},"after_unknown":{},"before_sensitive":{"input":true},"after_sensitive":{"input":true}}}
]}`

func TestMaskedValues(t *testing.T) {
	vals, err := maskedValues([]byte(maskedPlan))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vals {
		got = append(got, v.Address+" "+v.Path+" "+v.When)
	}
	want := []string{
		`terraform_data.iam_policy input after`,
		`aws_thing.t["a"] tags["owner team"] before`,
		`aws_thing.t["a"] rules[0].cidr after`,
		`aws_thing.t["a"] tags["owner team"] after`,
		`terraform_data.gone input before`,
		`terraform_data.later input after`,
		`terraform_data.cred input after`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if vals[2].Value != "0.0.0.0/0" || !vals[2].Known || vals[5].Known {
		t.Errorf("values: %+v", vals)
	}
	if _, err := maskedValues([]byte("not json")); err == nil {
		t.Error("unreadable JSON accepted")
	}
}

// TestShowMaskedValues: every plan reply and every show list the masked
// values with a warning; show --reveal prints them for a reviewer uid only
// (others are refused and the refusal audited), still redacting the
// runner's credential.
func TestShowMaskedValues(t *testing.T) {
	h := newHarness(t, "")
	h.tf.json = maskedPlan
	agent, reviewer := Peer{UID: 1000}, Peer{UID: 2000}
	var out bytes.Buffer
	res := h.svc.Plan(context.Background(), agent, tfConfig, &out)
	if res.Exit != ExitAllow {
		t.Fatalf("plan: %+v\n%s", res, out.String())
	}
	for _, w := range []string{"WARNING: 7 value(s) of this plan's resource changes are masked", "  terraform_data.iam_policy: input (after)\n", "planguard runner show --reveal " + res.PlanID} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("plan reply lacks %q:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), "Action") {
		t.Errorf("the plan reply reveals:\n%s", out.String())
	}
	out.Reset()
	if r := h.svc.Show(context.Background(), agent, res.PlanID, false, &out); r.Exit != ExitAllow || !strings.Contains(out.String(), "terraform_data.iam_policy: input (after)") || strings.Contains(out.String(), "Action") {
		t.Fatalf("show: %+v\n%s", r, out.String())
	}
	out.Reset()
	r := h.svc.Show(context.Background(), agent, res.PlanID, true, &out)
	if r.Exit != ExitError || !strings.Contains(r.Error, "only a reviewer may") || strings.Contains(out.String(), "Action") {
		t.Fatalf("reveal by the agent: %+v\n%s", r, out.String())
	}
	out.Reset()
	r = h.svc.Show(context.Background(), reviewer, res.PlanID, true, &out)
	s := out.String()
	if r.Exit != ExitAllow || !strings.Contains(s, `terraform_data.iam_policy: input (after) = "{\"Statement\":[{\"Action\":\"*\"}]}"`) ||
		!strings.Contains(s, `aws_thing.t["a"]: rules[0].cidr (after) = "0.0.0.0/0"`) || !strings.Contains(s, "terraform_data.later: input (after) = (known after apply)") {
		t.Fatalf("reveal by a reviewer: %+v\n%s", r, s)
	}
	if strings.Contains(s, testSecret) || !strings.Contains(s, "terraform_data.cred: input (after) = \""+Redacted) {
		t.Errorf("the credential was not redacted:\n%s", s)
	}
	if got := h.audit.decisions(); got != "plan allow, show shown, show refused, show shown" {
		t.Errorf("audit: %s", got)
	}
	if rec := h.audit.recs[len(h.audit.recs)-1]; !rec.Revealed {
		t.Errorf("audit: the reveal is not recorded: %+v", rec)
	}
	// A plan whose JSON cannot be read: show fails rather than hide.
	h.tf.json = "{"
	out.Reset()
	if r := h.svc.Show(context.Background(), agent, res.PlanID, false, &out); r.Exit != ExitError || !strings.Contains(r.Error, "do not sign") {
		t.Fatalf("show of unreadable JSON: %+v", r)
	}
}

type warningGate struct{ fakeGate }

func (g warningGate) Check(ctx context.Context, planFile, dir string) (*gate.Report, error) {
	r, err := g.fakeGate.Check(ctx, planFile, dir)
	if r != nil {
		r.Warnings = []string{"provider binaries were not pinned"}
	}
	return r, err
}

// TestPlanWarningOnce: the report's warnings appear once in a plan reply.
func TestPlanWarningOnce(t *testing.T) {
	h := newHarness(t, "")
	h.svc.cfg.Gate = warningGate{}
	var out bytes.Buffer
	if res := h.svc.Plan(context.Background(), Peer{UID: 1000}, tfConfig, &out); res.Exit != ExitAllow {
		t.Fatalf("plan: %+v\n%s", res, out.String())
	}
	if n := strings.Count(out.String(), "provider binaries were not pinned"); n != 1 {
		t.Errorf("the warning appears %d times:\n%s", n, out.String())
	}
}

// TestRealTerraformMaskedValues: with real Terraform, a sensitive()
// input and a sensitive variable's value are listed in the plan reply and
// in show, and revealed to a reviewer uid only; the runner's credential in
// a masked value stays redacted.
func TestRealTerraformMaskedValues(t *testing.T) {
	const secret = "the-real-runner-secret-77"
	pinned := filepath.Join(t.TempDir(), "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	r.svc.Reload(&ExecTerraform{Bin: r.tf, Env: r.env, StopGrace: 10 * time.Second}, []string{secret})
	r.svc.cfg.ReviewerUIDs = []int{2000}
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + `
variable "doc" {
  type      = string
  default   = "Action=*"
  sensitive = true
}
resource "terraform_data" "policy" {
  input = sensitive({ doc = "Effect=Allow", tags = { "a b" = "c" } })
}
resource "terraform_data" "var" {
  input = var.doc
}
resource "terraform_data" "cred" {
  input = sensitive("` + secret + `")
}
`})
	if res.Exit != ExitAllow {
		t.Fatalf("plan: exit %d %s\n%s", res.Exit, res.Error, out)
	}
	for _, w := range []string{"WARNING: 3 value(s)", "  terraform_data.policy: input (after)\n", "  terraform_data.var: input (after)\n"} {
		if !strings.Contains(out, w) {
			t.Errorf("plan reply lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "Effect=Allow") || strings.Contains(out, "Action=*") {
		t.Errorf("plan reply shows a masked value:\n%s", out)
	}
	var show bytes.Buffer
	if sr := r.svc.Show(context.Background(), Peer{UID: 1000}, res.PlanID, true, &show); sr.Exit != ExitError {
		t.Fatalf("reveal by uid 1000: %+v", sr)
	}
	show.Reset()
	if sr := r.svc.Show(context.Background(), Peer{UID: 2000}, res.PlanID, true, &show); sr.Exit != ExitAllow {
		t.Fatalf("reveal: %+v\n%s", sr, show.String())
	}
	s := show.String()
	for _, w := range []string{`terraform_data.policy: input (after) = {`, `"doc": "Effect=Allow"`, `"a b": "c"`, `terraform_data.var: input (after) = "Action=*"`, `terraform_data.cred: input (after) = "` + Redacted} {
		if !strings.Contains(s, w) {
			t.Errorf("reveal lacks %q:\n%s", w, s)
		}
	}
	if strings.Contains(s, secret) {
		t.Errorf("reveal prints the credential:\n%s", s)
	}
}
