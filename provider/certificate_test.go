package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// certify issues an OpenSSH user certificate for k with ssh-keygen -s and
// returns k signing with it (ssh-keygen -Y sign -f KEY-cert.pub).
func certify(t *testing.T, ca, k sshKey, id, principals, validity string) sshKey {
	t.Helper()
	run(t, "", "ssh-keygen", "-q", "-s", ca.path, "-I", id, "-z", "43", "-n", principals, "-V", validity, k.path+".pub")
	return sshKey{path: k.path + "-cert.pub", pub: k.pub}
}

// TestAccApproval_certificateSignature: a signature made with a user
// certificate is checked at plan time like a key's, through the provider's
// cert-authority line: trusted for a principal the certificate names, a
// warning for one it does not, and a warning when the certificate expires
// before the approval does.
func TestAccApproval_certificateSignature(t *testing.T) {
	ca, bob := newSSHKey(t, "ca"), newSSHKey(t, "bob")
	st := baseStatement() // expires 2026-12-01; the provider's clock is 2026-06-01
	payload := mustPayload(t, st)
	trusted := `*@example.com cert-authority,namespaces="planguard-approval" ` + ca.pub
	for _, c := range []struct {
		name, principal, principals, validity string
		want                                  []string
		detail                                map[string]string
	}{
		{name: "valid through expires_at", principal: "bob@example.com", principals: "bob@example.com", validity: "20260101Z:20270101Z"},
		{name: "principal not in the certificate", principal: "alice@example.com", principals: "bob@example.com", validity: "20260101Z:20270101Z",
			want:   []string{"signatures[0].principal: Signature is not trusted"},
			detail: map[string]string{"Signature is not trusted": `certificate "bob-laptop" (serial 43)`}},
		{name: "expires before the approval", principal: "bob@example.com", principals: "bob@example.com", validity: "20260101Z:20260901Z",
			want: []string{"signatures[0].signature: Certificate expires before the approval"},
			detail: map[string]string{"Certificate expires before the approval": `certificate "bob-laptop" (serial 43), valid only until 2026-09-01T00:00:00Z; ` +
				`this approval expires at 2026-12-01T00:00:00Z`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			signer := certify(t, ca, bob, "bob-laptop", c.principals, c.validity)
			rec := &diagRecorder{}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: rec.factories(),
				Steps: []resource.TestStep{{
					Config:            providerHCL("prod", trusted) + approvalHCL(st, sig{c.principal, signer.sign(t, payload)}),
					ConfigStateChecks: stateIs(t, st),
				}},
			})
			rec.wantWarnings(t, c.want...)
			for summary, want := range c.detail {
				if d := rec.detail(summary); !strings.Contains(d, want) {
					t.Errorf("%s: detail %q does not contain %q", summary, d, want)
				}
			}
		})
	}
}
