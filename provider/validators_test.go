package provider

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

func validateString(v validator.String, value types.String) diag.Diagnostics {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	return resp.Diagnostics
}

func TestStatementFieldValidator(t *testing.T) {
	tests := []struct {
		field, value string
		want         string // substring of the error detail; "" for valid
	}{
		{"scope", "prod", ""},
		{"scope", "eu-west_1.prod", ""},
		{"scope", "", "scope is empty"},
		{"scope", "prod env", "may contain only"},
		{"scope", strings.Repeat("a", 129), "longer than 128"},
		{"target", "terraform_data.prod_db", ""},
		{"target", `module.data["eu"].aws_db_instance.legacy[0]`, ""},
		{"target", "data.aws_ami.x", "data source"},
		{"target", "module.data", "names a module"},
		{"target", `aws_instance.web[ "a" ]`, "canonical form"},
		{"target", "", "empty"},
		{"reason", "CHG-1042", ""},
		{"reason", " \t", "reason is empty"},
		{"reason", strings.Repeat("r", 4097), "longer than 4096"},
		{"reason", "bad \xff utf-8", "not valid UTF-8"},
		{"expires_at", "2026-12-01T00:00:00Z", ""},
		{"expires_at", "2026-12-01T12:30:00+01:00", ""},
		{"expires_at", "2026-12-01", "not an RFC 3339 time"},
		{"expires_at", "tomorrow", "not an RFC 3339 time"},
		{"identity", "", ""},
		{"identity", "legacy-db-1", ""},
		{"identity", strings.Repeat("i", 1025), "longer than 1024"},
		{"from", "terraform_data.prod_db", ""},
		{"from", "terraform_data.t", ""}, // equal to the placeholder target: judged alone, valid
		{"from", `module.data["eu"].aws_db_instance.legacy[0]`, ""},
		{"from", "module.data", "names a module"},
		{"from", "data.aws_ami.x", "data source"},
		{"from", `aws_instance.web[ "a" ]`, "canonical form"},
		{"issued_at", "2026-11-24T09:30:00Z", ""},
		{"issued_at", "2026-11-24T09:30:00.250Z", ""},
		{"issued_at", "2999-01-01T00:00:00Z", ""}, // after expires_at is ValidateConfig's to say
		{"issued_at", "2026-11-24T10:30:00+01:00", "in UTC"},
		{"issued_at", "2026-11-24", "in UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"/"+tt.value, func(t *testing.T) {
			diags := validateString(statementField(tt.field), types.StringValue(tt.value))
			if tt.want == "" {
				if diags.HasError() {
					t.Fatalf("unexpected error: %v", diags)
				}
				return
			}
			if diags.ErrorsCount() != 1 {
				t.Fatalf("got %d errors %v, want one containing %q", diags.ErrorsCount(), diags, tt.want)
			}
			d := diags.Errors()[0]
			if d.Summary() != "Invalid "+tt.field || !strings.Contains(d.Detail(), tt.want) {
				t.Errorf("got %q / %q, want summary %q and detail containing %q", d.Summary(), d.Detail(), "Invalid "+tt.field, tt.want)
			}
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(path.Root("x")) {
				t.Errorf("diagnostic is not on the attribute: %#v", d)
			}
		})
	}
}

func TestStatementFieldValidatorSkipsUnknownAndNull(t *testing.T) {
	for _, f := range []string{"scope", "target", "reason", "expires_at", "identity", "from", "issued_at"} {
		for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
			if diags := validateString(statementField(f), v); diags.HasError() {
				t.Errorf("%s %v: %v", f, v, diags)
			}
		}
		if d := statementField(f).Description(context.Background()); !strings.HasPrefix(d, "value must be") {
			t.Errorf("%s description %q does not read as a rule", f, d)
		}
	}
}

func testSigner(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testSign(t *testing.T, s ssh.Signer, payload []byte) string {
	t.Helper()
	sig, err := sshsig.Sign(s, payload, approval.Namespace)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func TestSSHSIGValidator(t *testing.T) {
	good := testSign(t, testSigner(t), []byte("payload"))
	tests := []struct {
		name, value, want string
	}{
		{"valid", good, ""},
		{"valid with trailing white space", good + "\n\n  ", ""},
		{"leading white space", "\n  " + good, "text before"},
		{"empty", "", "does not start with"},
		{"not armored", "U1NIU0lH", "does not start with"},
		{"truncated", good[:len(good)-20], "truncated"},
		{"bad base64", strings.Replace(good, "U1NIU0lH", "U1NIU0l!", 1), "not valid base64"},
		{"not sshsig", strings.Replace(good, "U1NIU0lH", "U1NIU0lI", 1), "SSHSIG preamble"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := validateString(sshsigValidator{}, types.StringValue(tt.value))
			if tt.want == "" {
				if diags.HasError() {
					t.Fatalf("unexpected error: %v", diags)
				}
				return
			}
			if diags.ErrorsCount() != 1 || !strings.Contains(diags.Errors()[0].Detail(), tt.want) {
				t.Fatalf("got %v, want one error containing %q", diags, tt.want)
			}
			if !strings.Contains(diags.Errors()[0].Detail(), "ssh-keygen -Y sign -n planguard-approval") {
				t.Errorf("detail lacks the fix: %q", diags.Errors()[0].Detail())
			}
		})
	}
	if diags := validateString(sshsigValidator{}, types.StringUnknown()); diags.HasError() {
		t.Errorf("unknown value: %v", diags)
	}
}

var sigType = map[string]attr.Type{"principal": types.StringType, "signature": types.StringType}

func sigList(t *testing.T, principals ...types.String) types.List {
	t.Helper()
	var elems []attr.Value
	for _, p := range principals {
		elems = append(elems, types.ObjectValueMust(sigType, map[string]attr.Value{
			"principal": p, "signature": types.StringValue("x"),
		}))
	}
	l, diags := types.ListValue(types.ObjectType{AttrTypes: sigType}, elems)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return l
}

func TestUniquePrincipalsValidator(t *testing.T) {
	s := types.StringValue
	tests := []struct {
		name  string
		list  types.List
		paths []string // attribute paths of the errors
	}{
		{"distinct", sigList(t, s("alice"), s("bob")), nil},
		{"one", sigList(t, s("alice")), nil},
		{"duplicate", sigList(t, s("alice"), s("bob"), s("alice")), []string{"signatures[2].principal"}},
		{"three times", sigList(t, s("a"), s("a"), s("a")), []string{"signatures[1].principal", "signatures[2].principal"}},
		{"unknown principal", sigList(t, s("a"), types.StringUnknown(), types.StringUnknown()), nil},
		{"unknown list", types.ListUnknown(types.ObjectType{AttrTypes: sigType}), nil},
		{"case matters", sigList(t, s("alice"), s("Alice")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &validator.ListResponse{}
			uniquePrincipalsValidator{}.ValidateList(context.Background(),
				validator.ListRequest{Path: path.Root("signatures"), ConfigValue: tt.list}, resp)
			var got []string
			for _, d := range resp.Diagnostics.Errors() {
				got = append(got, d.(diag.DiagnosticWithPath).Path().String())
				if d.Summary() != "Duplicate principal" {
					t.Errorf("summary %q", d.Summary())
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.paths, ",") {
				t.Errorf("errors at %v, want %v", got, tt.paths)
			}
		})
	}
}

func TestLooksLikePath(t *testing.T) {
	for s, want := range map[string]bool{
		"allowed_signers":                    true,
		"./trust/allowed_signers":            true,
		"alice@example.com ssh-ed25519 AAAA": false,
		"":                                   false,
		"a\nb":                               false,
	} {
		if got := looksLikePath(s); got != want {
			t.Errorf("looksLikePath(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestCheckWarnings covers every warning of the plan-time check, with the
// clock, scope and trust the provider would hand to the resource.
func TestCheckWarnings(t *testing.T) {
	alice, mallory := testSigner(t), testSigner(t)
	st := baseStatement()
	payload := mustPayload(t, st)
	other := st
	other.Reason = "something else"
	farFuture := st
	farFuture.ExpiresAt = "2999-01-01T00:00:00Z"
	signers, err := trust.ParseAllowedSigners([]byte(
		"alice@example.com "+string(ssh.MarshalAuthorizedKey(alice.PublicKey()))+
			`carol@example.com valid-before="20260101Z" `+string(ssh.MarshalAuthorizedKey(alice.PublicKey()))),
		"allowed_signers", trust.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	at := func(ti time.Time) func() time.Time { return func() time.Time { return ti } }
	sm := func(p, s string) signatureModel {
		return signatureModel{Principal: types.StringValue(p), Signature: types.StringValue(s)}
	}
	tests := []struct {
		name string
		data *providerData
		st   approval.Statement
		sigs []signatureModel
		want []string // "path: summary: detail substring"
	}{
		{
			name: "valid without trust",
			data: &providerData{now: at(testNow)},
			st:   st, sigs: []signatureModel{sm("alice@example.com", testSign(t, alice, payload))},
		},
		{
			name: "valid with trust and scope",
			data: &providerData{now: at(testNow), scope: "prod", trust: signers},
			st:   st, sigs: []signatureModel{sm("alice@example.com", testSign(t, alice, payload))},
		},
		{
			name: "no provider data: the real clock, no scope, no trust",
			data: nil,
			st:   farFuture, sigs: []signatureModel{sm("alice@example.com", testSign(t, alice, mustPayload(t, farFuture)))},
		},
		{
			name: "signed over another payload, without trust",
			data: &providerData{now: at(testNow)},
			st:   st, sigs: []signatureModel{sm("alice@example.com", testSign(t, alice, mustPayload(t, other)))},
			want: []string{`signatures[0].signature: Signature does not verify: "alice@example.com"`},
		},
		{
			name: "signed over another payload, with trust",
			data: &providerData{now: at(testNow), trust: signers},
			st:   st, sigs: []signatureModel{sm("alice@example.com", testSign(t, alice, mustPayload(t, other)))},
			want: []string{`signatures[0].signature: Signature does not verify: does not verify over this approval's payload`},
		},
		{
			name: "wrong namespace",
			data: &providerData{now: at(testNow)},
			st:   st,
			sigs: []signatureModel{sm("alice@example.com", func() string {
				s, err := sshsig.Sign(alice, payload, "git")
				if err != nil {
					t.Fatal(err)
				}
				return s
			}())},
			want: []string{`signatures[0].signature: Signature does not verify: namespace`},
		},
		{
			name: "untrusted key",
			data: &providerData{now: at(testNow), trust: signers},
			st:   st, sigs: []signatureModel{
				sm("alice@example.com", testSign(t, alice, payload)),
				sm("mallory@example.com", testSign(t, mallory, payload)),
			},
			want: []string{`signatures[1].principal: Signature is not trusted: "mallory@example.com"`},
		},
		{
			name: "key outside its validity window",
			data: &providerData{now: at(testNow), trust: signers},
			st:   st, sigs: []signatureModel{sm("carol@example.com", testSign(t, alice, payload))},
			want: []string{`signatures[0].principal: Signature is not trusted: expired at 2026-01-01`},
		},
		{
			name: "wrong scope",
			data: &providerData{now: at(testNow), scope: "staging"},
			st:   st, sigs: []signatureModel{sm("alice@example.com", testSign(t, alice, payload))},
			want: []string{`scope: Approval names another scope: "staging"`},
		},
		{
			name: "expired",
			data: &providerData{now: at(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))},
			st:   st, sigs: []signatureModel{sm("alice@example.com", testSign(t, alice, payload))},
			want: []string{`expires_at: Approval has expired: 2026-12-01T00:00:00Z is not after the current time`},
		},
		{
			name: "unknown signature is skipped",
			data: &providerData{now: at(testNow), trust: signers},
			st:   st, sigs: []signatureModel{{Principal: types.StringValue("x"), Signature: types.StringUnknown()}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &approvalResource{data: tt.data}
			diags := r.check(tt.st, mustPayload(t, tt.st), tt.sigs)
			if diags.HasError() {
				t.Fatalf("check returned errors; trust problems must be warnings: %v", diags)
			}
			if len(diags) != len(tt.want) {
				t.Fatalf("got %d warnings %v, want %d", len(diags), diags, len(tt.want))
			}
			for i, w := range tt.want {
				parts := strings.SplitN(w, ": ", 3)
				d := diags[i]
				p := d.(diag.DiagnosticWithPath).Path().String()
				if p != parts[0] || d.Summary() != parts[1] || !strings.Contains(d.Detail(), parts[2]) {
					t.Errorf("warning %d = %s: %s: %s\nwant %s", i, p, d.Summary(), d.Detail(), w)
				}
			}
		})
	}
}
