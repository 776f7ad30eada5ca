package runner

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealTerraformShowListsProvisioners (review runner35 M1): Terraform's
// rendering of a plan shows no provisioner, so the person who reviews a
// plan with show, and signs it, saw a harmless create while the apply ran
// a command with the runner's credentials. show now prints the gate's
// report, which lists each provisioner and its command, and the audit
// records of plan and show name it.
func TestRealTerraformShowListsProvisioners(t *testing.T) {
	pinned := filepath.Join(t.TempDir(), "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)+"allow_provisioners \"housekeeping\" {\n  addresses = [\"terraform_data.housekeeping\"]\n  types     = [\"local-exec\", \"file\"]\n}\n"), "")
	const command = "env > /tmp/planguard-runner35-leak.txt"
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + `
resource "terraform_data" "housekeeping" {
  input = "rotate logs"
  provisioner "local-exec" {
    command = "` + command + `"
  }
  connection {
    type = "ssh"
    host = "127.0.0.1"
  }
  provisioner "file" {
    source      = "/etc/planguard-runner/runner.env"
    destination = "/tmp/motd"
  }
}
`})
	if res.Exit != ExitAllow {
		t.Fatalf("plan: exit %d %s\n%s", res.Exit, res.Error, out)
	}
	var show bytes.Buffer
	if sr := r.svc.Show(context.Background(), Peer{UID: 1000}, res.PlanID, false, &show); sr.Exit != ExitAllow {
		t.Fatalf("show: %+v\n%s", sr, show.String())
	}
	s := show.String()
	if !strings.Contains(s, "local-exec") || !strings.Contains(s, command) {
		t.Fatalf("show does not list the provisioner the apply runs:\n%s", s)
	}
	// runner36 M2: what a file provisioner sends, and that its host is
	// in the configuration.
	if !strings.Contains(s, `source = "/etc/planguard-runner/runner.env"`) || !strings.Contains(s, `destination = "/tmp/motd"`) || !strings.Contains(s, "connection block") {
		t.Fatalf("show does not say what the file provisioner sends, and where to read its host:\n%s", s)
	}
	if i, j := strings.Index(s, command), strings.LastIndex(s, "plan id: "); i < 0 || j < i {
		t.Fatalf("the plan id line is not last:\n%s", s)
	}
	var shown, planned bool
	for _, rec := range r.audit.recs {
		for _, c := range rec.Code {
			if strings.Contains(c, command) && strings.Contains(c, "terraform_data.housekeeping") {
				shown = shown || rec.Op == OpShow
				planned = planned || rec.Op == OpPlan
			}
		}
	}
	if !shown || !planned {
		t.Fatalf("the audit records of plan (%v) and show (%v) do not name the provisioner: %+v", planned, shown, r.audit.recs)
	}
}

// TestRealTerraformShowListsHiddenJSON (review runner35 L1): Terraform
// renders a JSON string decoded, showing one of two equal keys and big
// numbers rounded; plan and show list such strings.
func TestRealTerraformShowListsHiddenJSON(t *testing.T) {
	pinned := filepath.Join(t.TempDir(), "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + `
resource "terraform_data" "policy" {
  input = "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Effect\":\"Allow\"}]}"
}
resource "terraform_data" "big" {
  input = "[9007199254740993]"
}
resource "terraform_data" "nested" {
  input = "{\"doc\":\"{\\\"Effect\\\":\\\"Deny\\\",\\\"Effect\\\":\\\"Allow\\\"}\"}"
}
resource "terraform_data" "plain" {
  input = "{\"Effect\":\"Allow\",\"n\":[0.1,1e3]}"
}
`})
	if res.Exit != ExitAllow {
		t.Fatalf("plan: exit %d %s\n%s", res.Exit, res.Error, out)
	}
	var show bytes.Buffer
	if sr := r.svc.Show(context.Background(), Peer{UID: 1000}, res.PlanID, false, &show); sr.Exit != ExitAllow {
		t.Fatalf("show: %+v\n%s", sr, show.String())
	}
	for name, reply := range map[string]string{"plan": out, "show": show.String()} {
		if !strings.Contains(reply, `terraform_data.policy: input (the key "Effect" is given twice`) ||
			!strings.Contains(reply, "terraform_data.big: input (the number 9007199254740993 may be shown rounded") {
			t.Errorf("%s does not list the JSON strings Terraform shows decoded:\n%s", name, reply)
		}
		if !strings.Contains(reply, `terraform_data.nested: input (in a JSON string inside it, the key "Effect" is given twice`) {
			t.Errorf("%s does not list JSON inside a JSON string:\n%s", name, reply)
		}
		if strings.Contains(reply, "terraform_data.plain: input") {
			t.Errorf("%s lists a JSON string the rendering shows whole:\n%s", name, reply)
		}
	}
}
