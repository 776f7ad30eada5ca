package gate

import (
	"crypto/rand"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// TestCertificateOfTheAuthor: a signature by a user certificate counts
// through a cert-authority line, and never for a change whose author the
// certificate also names, whichever of its principals the signature claims.
func TestCertificateOfTheAuthor(t *testing.T) {
	f := setup(t)
	ca, holder := newKey(t, "ca"), newKey(t, "")
	certSigner := func(principals ...string) ssh.Signer {
		c := &ssh.Certificate{Key: holder.signer.PublicKey(), CertType: ssh.UserCert, KeyId: "holder", Serial: 9,
			ValidPrincipals: principals, ValidBefore: ssh.CertTimeInfinity}
		if err := c.SignCert(rand.Reader, ca.signer); err != nil {
			t.Fatal(err)
		}
		s, err := ssh.NewCertSigner(c, holder.signer)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	signers, err := trust.ParseAllowedSigners([]byte(`*@example.com cert-authority,namespaces="planguard-approval" `+
		strings.TrimSpace(string(ssh.MarshalAuthorizedKey(ca.signer.PublicKey())))), "allowed_signers", trust.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, author string
		signer       ssh.Signer
		want         Status
	}{
		{"bob's certificate", "alice@example.com", certSigner("bob@example.com"), StatusValid},
		{"a certificate of bob and the author", "alice@example.com", certSigner("bob@example.com", "alice@example.com"), StatusNoSigners},
		{"the author in another case", "Alice@Example.com", certSigner("bob@example.com", "alice@example.com"), StatusNoSigners},
		{"no author", "", certSigner("bob@example.com", "alice@example.com"), StatusValid},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := approve(t, stmt("terraform_data.db", "delete"), key{"bob@example.com", c.signer})
			out, err := CheckApprovals(f.pol, signers, now, []string{c.author}, []plan.Approval{a})
			if err != nil {
				t.Fatal(err)
			}
			if out[0].Status != c.want {
				t.Fatalf("status %s, want %s: %v", out[0].Status, c.want, out[0].Problems)
			}
			if c.want == StatusValid {
				want := []CertificateSigner{{Principal: "bob@example.com", KeyID: "holder", Serial: 9, CA: ssh.FingerprintSHA256(ca.signer.PublicKey())}}
				if !reflect.DeepEqual(out[0].Certificates, want) {
					t.Errorf("certificates %+v, want %+v", out[0].Certificates, want)
				}
			} else if len(out[0].Certificates) != 0 {
				t.Errorf("a signature that does not count is listed: %+v", out[0].Certificates)
			}
			if c.want != StatusValid && !strings.Contains(strings.Join(out[0].Problems, "\n"), `certificate "holder" (serial 9)`) {
				t.Errorf("problems do not name the certificate: %v", out[0].Problems)
			}
		})
	}
}
