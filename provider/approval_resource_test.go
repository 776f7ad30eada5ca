package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
)

const testAddr = "planguard_approval.test"

// baseStatement is a valid approval statement that expires after testNow.
func baseStatement() approval.Statement {
	return approval.Statement{
		Scope:     "prod",
		Target:    `module.data["eu"].terraform_data.prod_db[0]`,
		Action:    "delete",
		Reason:    "CHG-1042: retire the legacy database",
		ExpiresAt: "2026-12-01T00:00:00Z",
	}
}

// sig is one entry of signatures.
type sig struct{ principal, signature string }

// approvalHCL renders planguard_approval.test with st's fields written as
// given (valid or not), identity, from and issued_at only when non-empty,
// and sigs.
func approvalHCL(st approval.Statement, sigs ...sig) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"planguard_approval\" \"test\" {\n")
	fmt.Fprintf(&b, "  scope      = %s\n", hclString(st.Scope))
	if st.From != "" {
		fmt.Fprintf(&b, "  from       = %s\n", hclString(st.From))
	}
	fmt.Fprintf(&b, "  target     = %s\n", hclString(st.Target))
	fmt.Fprintf(&b, "  action     = %s\n", hclString(st.Action))
	fmt.Fprintf(&b, "  reason     = %s\n", hclString(st.Reason))
	fmt.Fprintf(&b, "  expires_at = %s\n", hclString(st.ExpiresAt))
	if st.Identity != "" {
		fmt.Fprintf(&b, "  identity   = %s\n", hclString(st.Identity))
	}
	if st.IssuedAt != "" {
		fmt.Fprintf(&b, "  issued_at  = %s\n", hclString(st.IssuedAt))
	}
	b.WriteString("  signatures = [\n")
	for _, s := range sigs {
		fmt.Fprintf(&b, "    { principal = %s, signature = %s },\n", hclString(s.principal), hclString(s.signature))
	}
	b.WriteString("  ]\n}\n")
	return b.String()
}

// providerHCL renders a provider block with scope and inline allowed_signers.
func providerHCL(scope string, allowedSigners ...string) string {
	return fmt.Sprintf("provider \"planguard\" {\n  scope           = %s\n  allowed_signers = %s\n}\n",
		hclString(scope), hclString(strings.Join(allowedSigners, "\n")+"\n"))
}

// hclString quotes s as an HCL string literal (ASCII test inputs only).
func hclString(s string) string {
	q := fmt.Sprintf("%q", s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

func mustPayload(t *testing.T, st approval.Statement) []byte {
	t.Helper()
	p, err := st.Payload()
	if err != nil {
		t.Fatalf("payload: %v", err)
	}
	return p
}

func mustID(t *testing.T, st approval.Statement) string {
	t.Helper()
	id, err := st.ID()
	if err != nil {
		t.Fatalf("id: %v", err)
	}
	return id
}

// stateIs checks that the approval's id and payload in state are those of st.
func stateIs(t *testing.T, st approval.Statement) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(testAddr, tfjsonpath.New("id"), knownvalue.StringExact(mustID(t, st))),
		statecheck.ExpectKnownValue(testAddr, tfjsonpath.New("payload"), knownvalue.StringExact(string(mustPayload(t, st)))),
	}
}

// planShows checks that the plan already shows st's id and payload.
func planShows(t *testing.T, st approval.Statement) []plancheck.PlanCheck {
	return []plancheck.PlanCheck{
		plancheck.ExpectKnownValue(testAddr, tfjsonpath.New("id"), knownvalue.StringExact(mustID(t, st))),
		plancheck.ExpectKnownValue(testAddr, tfjsonpath.New("payload"), knownvalue.StringExact(string(mustPayload(t, st)))),
	}
}

func TestAccApproval_basic(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := baseStatement()
	st.Identity = "legacy-db-1"
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))}),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: append(planShows(t, st), plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionCreate)),
			},
			ConfigStateChecks: append(stateIs(t, st),
				statecheck.ExpectKnownValue(testAddr, tfjsonpath.New("identity"), knownvalue.StringExact("legacy-db-1")),
				statecheck.ExpectKnownValue(testAddr, tfjsonpath.New("signatures").AtSliceIndex(0).AtMapKey("principal"),
					knownvalue.StringExact("alice@example.com")),
			),
		}},
	})
	// A sound signature over the payload draws no warning, even without
	// allowed_signers in the provider block.
	rec.wantWarnings(t)
}

func TestAccApproval_identityAbsentSignsEmpty(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := baseStatement() // Identity "" and not written in the configuration
	if !strings.Contains(string(mustPayload(t, st)), `"identity":""`) {
		t.Fatalf("payload %s lacks \"identity\":\"\"", mustPayload(t, st))
	}
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))}),
			ConfigStateChecks: append(stateIs(t, st),
				statecheck.ExpectKnownValue(testAddr, tfjsonpath.New("identity"), knownvalue.Null())),
		}},
	})
	rec.wantWarnings(t)
}

func TestAccApproval_invalidArguments(t *testing.T) {
	alice := newSSHKey(t, "alice")
	good := baseStatement()
	goodSig := sig{"alice@example.com", alice.sign(t, mustPayload(t, good))}
	with := func(f func(*approval.Statement)) approval.Statement {
		st := good
		f(&st)
		return st
	}
	// Each step names the attribute in the error; Terraform prints the
	// offending line ("target = ...") under the summary.
	steps := []struct {
		config string
		want   string
	}{
		{approvalHCL(with(func(s *approval.Statement) { s.Target = "data.aws_db_instance.x" }), goodSig),
			`Invalid target(?s:.*)target\s+=(?s:.*)is a data source`},
		{approvalHCL(with(func(s *approval.Statement) { s.Target = `aws_instance.web['a']` }), goodSig),
			`Invalid target`},
		{approvalHCL(with(func(s *approval.Statement) { s.Action = "destroy" }), goodSig),
			`Invalid Attribute Value Match(?s:.*)action\s+=`},
		{approvalHCL(with(func(s *approval.Statement) { s.ExpiresAt = "2026-12-01" }), goodSig),
			`Invalid expires_at(?s:.*)expires_at\s+=`},
		{approvalHCL(with(func(s *approval.Statement) { s.Scope = "prod env" }), goodSig),
			`Invalid scope(?s:.*)scope\s+=`},
		{approvalHCL(with(func(s *approval.Statement) { s.Reason = "  " }), goodSig),
			`Invalid reason(?s:.*)reason\s+=`},
		{approvalHCL(good),
			`signatures list must contain at least 1`},
		{approvalHCL(good, sig{"alice@example.com", "not a signature"}),
			`Invalid signature(?s:.*)does not start with`},
		{approvalHCL(good, sig{"alice@example.com", strings.Replace(goodSig.signature, "U1NIU0lH", "U1NIU0lI", 1)}),
			`Invalid signature`},
		{approvalHCL(good, sig{"", goodSig.signature}),
			`Invalid Attribute Value Length`},
		{approvalHCL(good, goodSig, sig{"bob@example.com", goodSig.signature}, goodSig),
			`Duplicate principal(?s:.*)already signs this approval in\s+signatures\[0\]`},
	}
	var ts []resource.TestStep
	for _, s := range steps {
		ts = append(ts, resource.TestStep{
			Config:      s.config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(s.want),
		})
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    ts,
	})
}

func TestAccApproval_replaceOnChange(t *testing.T) {
	alice := newSSHKey(t, "alice")
	first := baseStatement()
	second := first
	second.Reason = "CHG-1043: retire the legacy database, take two"
	third := second
	third.Identity = "legacy-db-1"
	step := func(st approval.Statement, action plancheck.ResourceActionType) resource.TestStep {
		return resource.TestStep{
			Config: approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))}),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: append(planShows(t, st), plancheck.ExpectResourceAction(testAddr, action)),
			},
			ConfigStateChecks: stateIs(t, st),
		}
	}
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			step(first, plancheck.ResourceActionCreate),
			step(second, plancheck.ResourceActionReplace), // reason changed
			step(third, plancheck.ResourceActionReplace),  // identity added
		},
	})
	rec.wantWarnings(t)
}

func TestAccApproval_trustedSignature(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := baseStatement()
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: providerHCL("prod", `alice@example.com namespaces="planguard-approval" `+alice.pub) +
				approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))}),
			ConfigStateChecks: stateIs(t, st),
		}},
	})
	rec.wantWarnings(t)
}

func TestAccApproval_untrustedSignatureWarns(t *testing.T) {
	alice, mallory := newSSHKey(t, "alice"), newSSHKey(t, "mallory")
	st := baseStatement()
	payload := mustPayload(t, st)
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			// bob's signature is sound but made with a key allowed_signers
			// does not list for bob: a warning, and the apply succeeds.
			Config: providerHCL("prod",
				"alice@example.com "+alice.pub,
				"bob@example.com "+alice.pub,
			) + approvalHCL(st,
				sig{"alice@example.com", alice.sign(t, payload)},
				sig{"bob@example.com", mallory.sign(t, payload)},
			),
			ConfigStateChecks: stateIs(t, st),
		}},
	})
	rec.wantWarnings(t, "signatures[1].principal: Signature is not trusted")
	if d := rec.detail("Signature is not trusted"); !strings.Contains(d, `"bob@example.com"`) || !strings.Contains(d, "is not listed") {
		t.Errorf("warning detail does not name the principal and the cause: %q", d)
	}
}

func TestAccApproval_badSignatureWarns(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := baseStatement()
	other := st
	other.Reason = "a different reason"
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			// Signed over another payload: detected without allowed_signers.
			Config:            approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, other))}),
			ConfigStateChecks: stateIs(t, st),
		}},
	})
	rec.wantWarnings(t, "signatures[0].signature: Signature does not verify")
}

func TestAccApproval_wrongScopeWarns(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := baseStatement()
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: providerHCL("staging", "alice@example.com "+alice.pub) +
				approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))}),
			ConfigStateChecks: stateIs(t, st),
		}},
	})
	rec.wantWarnings(t, "scope: Approval names another scope")
}

func TestAccApproval_expiredWarns(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := baseStatement()
	st.ExpiresAt = "2026-05-31T23:59:59Z" // one second before testNow
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config:            approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))}),
			ConfigStateChecks: stateIs(t, st),
		}},
	})
	rec.wantWarnings(t, "expires_at: Approval has expired")
}

func TestAccProvider_allowedSignersFile(t *testing.T) {
	alice, mallory := newSSHKey(t, "alice"), newSSHKey(t, "mallory")
	file := filepath.Join(t.TempDir(), "allowed_signers")
	if err := os.WriteFile(file, []byte("alice@example.com "+alice.pub+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st := baseStatement()
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"planguard\" {\n  allowed_signers_file = %s\n}\n", hclString(file)) +
				approvalHCL(st, sig{"alice@example.com", mallory.sign(t, mustPayload(t, st))}),
			ConfigStateChecks: stateIs(t, st),
		}},
	})
	rec.wantWarnings(t, "signatures[0].principal: Signature is not trusted")
}

func TestAccProvider_invalidConfiguration(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := baseStatement()
	approvalBlock := approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))})
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      "provider \"planguard\" {\n  allowed_signers = \"allowed_signers\"\n}\n" + approvalBlock,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid allowed_signers(?s:.*)looks like a file path`),
			},
			{
				Config: fmt.Sprintf("provider \"planguard\" {\n  allowed_signers = %s\n  allowed_signers_file = \"x\"\n}\n",
					hclString("alice@example.com "+alice.pub+"\n")) + approvalBlock,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid Attribute Combination`),
			},
			{
				Config:      "provider \"planguard\" {\n  allowed_signers_file = \"/nonexistent/allowed_signers\"\n}\n" + approvalBlock,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Cannot read allowed_signers_file`),
			},
			{
				Config:      "provider \"planguard\" {\n  scope = \"prod/eu\"\n}\n" + approvalBlock,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid scope`),
			},
		},
	})
}

func TestAccApproval_unknownUntilApply(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := baseStatement()
	st.Reason = "CHG-2001"
	// reason comes from another resource's output, unknown until apply:
	// the plan cannot show id and payload, the apply computes them.
	config := approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))})
	config = strings.Replace(config, `reason     = "CHG-2001"`, `reason     = terraform_data.ticket.output`, 1)
	config = "resource \"terraform_data\" \"ticket\" {\n  input = \"CHG-2001\"\n}\n" + config
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(testAddr, tfjsonpath.New("id")),
					plancheck.ExpectUnknownValue(testAddr, tfjsonpath.New("payload")),
				},
			},
			ConfigStateChecks: stateIs(t, st),
		}},
	})
	// The signature is checked once the values are known, at apply.
	rec.wantWarnings(t)
}

// movedStatement is a valid move approval with from, identity and issued_at.
func movedStatement() approval.Statement {
	st := baseStatement()
	st.Action, st.From, st.Identity, st.IssuedAt = "move", "terraform_data.prod_db", "legacy-db-1", "2026-11-24T09:30:00Z"
	return st
}

func TestAccApproval_fromAndIssuedAt(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := movedStatement()
	payload := mustPayload(t, st)
	if !strings.Contains(string(payload), `"from":"terraform_data.prod_db"`) || !strings.Contains(string(payload), `"issued_at":"2026-11-24T09:30:00Z"`) {
		t.Fatalf("payload %s lacks from/issued_at", payload)
	}
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			// ssh-keygen's signature over the payload with from and
			// issued_at verifies against the provider's allowed_signers.
			Config: providerHCL("prod", `alice@example.com namespaces="planguard-approval" `+alice.pub) +
				approvalHCL(st, sig{"alice@example.com", alice.sign(t, payload)}),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: append(planShows(t, st), plancheck.ExpectResourceAction(testAddr, plancheck.ResourceActionCreate)),
			},
			ConfigStateChecks: append(stateIs(t, st),
				statecheck.ExpectKnownValue(testAddr, tfjsonpath.New("from"), knownvalue.StringExact("terraform_data.prod_db")),
				statecheck.ExpectKnownValue(testAddr, tfjsonpath.New("issued_at"), knownvalue.StringExact("2026-11-24T09:30:00Z")),
				statecheck.ExpectKnownValue(testAddr, tfjsonpath.New("action"), knownvalue.StringExact("move")),
			),
		}},
	})
	rec.wantWarnings(t)
}

func TestAccApproval_signatureWithoutIssuedAtWarns(t *testing.T) {
	alice := newSSHKey(t, "alice")
	st := movedStatement()
	st.Action = "delete"
	bare := st
	bare.IssuedAt, bare.From = "", ""
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			// Signed over the statement without from and issued_at: the
			// signature does not cover what the block says.
			Config: providerHCL("prod", `alice@example.com namespaces="planguard-approval" `+alice.pub) +
				approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, bare))}),
			ConfigStateChecks: stateIs(t, st),
		}},
	})
	rec.wantWarnings(t, "signatures[0].signature: Signature does not verify")
	if d := rec.detail("Signature does not verify"); !strings.Contains(d, "from or issued_at") {
		t.Errorf("warning detail does not say that from and issued_at are signed: %q", d)
	}
}

func TestAccApproval_fromAndIssuedAtInvalid(t *testing.T) {
	alice := newSSHKey(t, "alice")
	good := movedStatement()
	goodSig := sig{"alice@example.com", alice.sign(t, mustPayload(t, good))}
	with := func(f func(*approval.Statement)) approval.Statement {
		st := good
		f(&st)
		return st
	}
	steps := []struct {
		config string
		want   string
	}{
		{approvalHCL(with(func(s *approval.Statement) { s.From = s.Target }), goodSig),
			`Invalid from(?s:.*)from\s+=(?s:.*)equals target`},
		{approvalHCL(with(func(s *approval.Statement) { s.From = "" }), goodSig),
			`Invalid from(?s:.*)required when action is move`},
		{approvalHCL(with(func(s *approval.Statement) { s.Action = "provision" }), goodSig),
			`Invalid from(?s:.*)must be empty when action is provision`},
		{approvalHCL(with(func(s *approval.Statement) { s.From = "module.data" }), goodSig),
			`Invalid from(?s:.*)names a module`},
		{approvalHCL(with(func(s *approval.Statement) { s.From = "data.aws_ami.x" }), goodSig),
			`Invalid from(?s:.*)data source`},
		{approvalHCL(with(func(s *approval.Statement) { s.IssuedAt = "2026-11-24T10:30:00+01:00" }), goodSig),
			`Invalid issued_at(?s:.*)issued_at\s+=(?s:.*)in UTC`},
		{approvalHCL(with(func(s *approval.Statement) { s.IssuedAt = "2026-11-24" }), goodSig),
			`Invalid issued_at`},
		{approvalHCL(with(func(s *approval.Statement) { s.IssuedAt = "2026-12-01T00:00:00Z" }), goodSig),
			`Invalid issued_at(?s:.*)not before expires_at`},
		{approvalHCL(with(func(s *approval.Statement) { s.Action = "destroy" }), goodSig),
			`Invalid Attribute Value Match(?s:.*)action\s+=`},
	}
	var ts []resource.TestStep
	for _, s := range steps {
		ts = append(ts, resource.TestStep{Config: s.config, PlanOnly: true, ExpectError: regexp.MustCompile(s.want)})
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    ts,
	})
}

func TestAccApproval_fromAndIssuedAtReplace(t *testing.T) {
	alice := newSSHKey(t, "alice")
	first := baseStatement() // no from, no issued_at: today's payload
	second := first
	second.IssuedAt = "2026-11-24T09:30:00Z"
	third := second
	third.From = "terraform_data.old_db"
	fourth := third
	fourth.IssuedAt = "2026-11-24T09:30:01Z"
	step := func(st approval.Statement, action plancheck.ResourceActionType) resource.TestStep {
		return resource.TestStep{
			Config: approvalHCL(st, sig{"alice@example.com", alice.sign(t, mustPayload(t, st))}),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: append(planShows(t, st), plancheck.ExpectResourceAction(testAddr, action)),
			},
			ConfigStateChecks: stateIs(t, st),
		}
	}
	rec := &diagRecorder{}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			step(first, plancheck.ResourceActionCreate),
			step(second, plancheck.ResourceActionReplace), // issued_at added
			step(third, plancheck.ResourceActionReplace),  // from added
			step(fourth, plancheck.ResourceActionReplace), // issued_at changed by a second
		},
	})
	rec.wantWarnings(t)
}
