package tfconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

const armored = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----\n"

var st = approval.Statement{Scope: "prod", Target: `module.m["a"].terraform_data.db[0]`, Action: "delete", Reason: "why \"quoted\" ${not} %{interp}", ExpiresAt: "2026-12-01T00:00:00Z", Identity: "db-1"}

func TestRenderParseRoundTrip(t *testing.T) {
	moved := st
	moved.Action, moved.From, moved.IssuedAt = "move", "terraform_data.old[\"k\"]", "2026-11-24T09:30:00Z"
	src := Render("m", moved, []plan.Signature{{Principal: "alice@example.com", Signature: armored}})
	bs, err := Parse(src, "approvals.tf")
	if err != nil || len(bs) != 1 || !bs[0].Approval.Known || bs[0].Approval.Statement != moved {
		t.Fatalf("from/issued_at round trip: %v %+v\n%s", err, bs, src)
	}
	if !strings.Contains(string(src), `from       = "terraform_data.old[\"k\"]"`) || !strings.Contains(string(src), `issued_at  = "2026-11-24T09:30:00Z"`) {
		t.Errorf("rendered block:\n%s", src)
	}
	if plain := Render("x", st, nil); strings.Contains(string(plain), "from") || strings.Contains(string(plain), "issued_at") {
		t.Errorf("from/issued_at rendered while empty:\n%s", plain)
	}
	src = Render("x", st, []plan.Signature{{Principal: "alice@example.com", Signature: armored}, {Principal: "bob", Signature: "not armor ${x}"}})
	bs, err = Parse(src, "approvals.tf")
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	if len(bs) != 1 || bs[0].Problem != "" || !bs[0].Approval.Known {
		t.Fatalf("%+v\n%s", bs, src)
	}
	a := bs[0].Approval
	if a.Statement != st || a.Address != "planguard_approval.x" {
		t.Fatalf("statement %+v", a.Statement)
	}
	if len(a.Signatures) != 2 || strings.TrimSpace(a.Signatures[0].Signature) != strings.TrimSpace(armored) || a.Signatures[1].Signature != "not armor ${x}" {
		t.Fatalf("signatures %q\n%s", a.Signatures, src)
	}
}

func TestAddSignature(t *testing.T) {
	base := `resource "planguard_approval" "y" {
  scope      = "prod"
  target     = "terraform_data.db"
  action     = "delete"
  reason     = "r"
  expires_at = "2026-12-01T00:00:00Z"
  %s
}

# kept
resource "terraform_data" "other" {}
`
	for name, sigs := range map[string]string{
		"one line":   `signatures = [{ principal = "a", signature = "s" }]`,
		"trailing":   "signatures = [\n    { principal = \"a\", signature = \"s\" }, # note\n  ]",
		"empty list": `signatures = []`,
		"missing":    ``,
	} {
		src := []byte(strings.Replace(base, "%s", sigs, 1))
		out, err := AddSignature(src, "a.tf", "y", plan.Signature{Principal: "bob", Signature: armored})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		bs, err := Parse(out, "a.tf")
		if err != nil || len(bs) != 1 || !bs[0].Approval.Known {
			t.Fatalf("%s: %v %+v\n%s", name, err, bs, out)
		}
		got := bs[0].Approval.Signatures
		if got[len(got)-1].Principal != "bob" || (sigs != "" && sigs != `signatures = []` && got[0].Principal != "a") {
			t.Errorf("%s: signatures %+v\n%s", name, got, out)
		}
		if !strings.Contains(string(out), "# kept") || !strings.Contains(string(out), `resource "terraform_data" "other"`) {
			t.Errorf("%s: lost the rest of the file:\n%s", name, out)
		}
	}
	if _, err := AddSignature([]byte(strings.Replace(base, "%s", "signatures = local.sigs", 1)), "a.tf", "y", plan.Signature{Principal: "b", Signature: armored}); err == nil {
		t.Error("added to a non-literal list")
	}
	if _, err := AddSignature([]byte(strings.Replace(base, "%s", "", 1)), "a.tf", "nope", plan.Signature{}); err == nil {
		t.Error("added to a missing block")
	}
}

func TestParseNonLiterals(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "alice.sig"), []byte(armored), 0o600)
	src := `
variable "r" {}
resource "planguard_approval" "lit" {
  scope = "prod"
  target = "terraform_data.db"
  action = "delete"
  reason = "r"
  expires_at = "2026-12-01T00:00:00Z"
  signatures = [{ principal = "a", signature = file("alice.sig") }]
}
resource "planguard_approval" "var" {
  scope = "prod"
  target = "terraform_data.db"
  action = "delete"
  reason = var.r
  expires_at = "2026-12-01T00:00:00Z"
  signatures = []
}
resource "planguard_approval" "nofile" {
  scope = "prod"
  target = "terraform_data.db"
  action = "delete"
  reason = "r"
  expires_at = "2026-12-01T00:00:00Z"
  signatures = [{ principal = "a", signature = file("missing.sig") }]
}
`
	p := filepath.Join(dir, "a.tf")
	os.WriteFile(p, []byte(src), 0o600)
	bs, err := Load([]string{dir})
	if err != nil || len(bs) != 3 {
		t.Fatalf("%v %+v", err, bs)
	}
	if !bs[0].Approval.Known || bs[0].Approval.Signatures[0].Signature != armored {
		t.Errorf("file(): %+v", bs[0])
	}
	for _, b := range bs[1:] {
		if b.Approval.Known || b.Problem == "" {
			t.Errorf("%s: read a non-literal as known: %+v", b.Name, b)
		}
	}
	if _, err := Parse([]byte("resource {"), "bad.tf"); err == nil {
		t.Error("parsed invalid HCL")
	}
}

func TestResourceName(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"terraform_data.db", "delete"}:                     "delete_terraform_data_db",
		{`module.a["x.y"].aws_db_instance.b[0]`, "replace"}: "replace_module_a_x_y_aws_db_instance_b_0",
	} {
		if got := ResourceName(in[0], in[1]); got != want {
			t.Errorf("ResourceName(%q) = %q, want %q", in, got, want)
		}
	}
}
