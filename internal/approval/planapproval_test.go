package approval

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/sshtest"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
	"golang.org/x/crypto/ssh"
)

type planApprovalVector struct {
	Comment        string `json:"comment"`
	Scope          string `json:"scope"`
	PlanSHA256     string `json:"plan_sha256"`
	ExpiresAt      string `json:"expires_at"`
	Payload        string `json:"payload"`
	PayloadSHA256  string `json:"payload_sha256"`
	Principal      string `json:"principal"`
	AllowedSigners string `json:"allowed_signers"`
	Signature      string `json:"signature"`
	VerifyAt       string `json:"verify_at"`
}

// TestPlanApprovalVectors: the payload bytes are exactly the documented
// ones, and a signature plain ssh-keygen made over them verifies.
func TestPlanApprovalVectors(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "plan_approval_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []planApprovalVector
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Run(v.Comment, func(t *testing.T) {
			pa := PlanApproval{Scope: v.Scope, PlanSHA256: v.PlanSHA256, ExpiresAt: v.ExpiresAt}
			got, err := pa.Payload()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != v.Payload {
				t.Fatalf("payload:\n got %s\nwant %s", got, v.Payload)
			}
			sum := sha256.Sum256(got)
			if hex.EncodeToString(sum[:]) != v.PayloadSHA256 {
				t.Fatalf("payload sha256 %x, want %s", sum, v.PayloadSHA256)
			}
			allowed, err := trust.ParseAllowedSigners([]byte(v.AllowedSigners), "allowed_signers", trust.ParseOptions{Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			now, _ := time.Parse(time.RFC3339, v.VerifyAt)
			if _, err := VerifyPlanApproval(pa, v.Principal, v.Signature, allowed, now); err != nil {
				t.Fatalf("ssh-keygen's signature refused: %v", err)
			}
			// The same signature over any other plan, scope or expiry fails.
			for _, other := range []PlanApproval{
				{Scope: "staging", PlanSHA256: v.PlanSHA256, ExpiresAt: v.ExpiresAt},
				{Scope: v.Scope, PlanSHA256: strings.Repeat("0", 64), ExpiresAt: v.ExpiresAt},
				{Scope: v.Scope, PlanSHA256: v.PlanSHA256, ExpiresAt: "2027-12-01T00:00:00Z"},
			} {
				_, err := VerifyPlanApproval(other, v.Principal, v.Signature, allowed, now)
				var se *SignatureError
				if !errors.As(err, &se) || se.Kind != ProblemBadSignature {
					t.Errorf("%+v: got %v, want bad_signature", other, err)
				}
			}
			if _, err := VerifyPlanApproval(pa, "mallory@example.com", v.Signature, allowed, now); err == nil {
				t.Error("a principal allowed_signers does not list for the key was accepted")
			}
		})
	}
}

// TestPlanApprovalInterop: ssh-keygen signs the payload and planguard
// verifies; planguard signs and ssh-keygen -Y verify accepts.
func TestPlanApprovalInterop(t *testing.T) {
	dir := t.TempDir()
	priv, pub := sshtest.NewKey(t, dir, "alice", "-t", "ed25519")
	signers := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(signers, []byte("alice@example.com "+pub+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	allowed, err := trust.ParseAllowedSigners([]byte("alice@example.com "+pub+"\n"), signers, trust.ParseOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	pa := PlanApproval{Scope: "prod", PlanSHA256: strings.Repeat("ab", 32), ExpiresAt: "2099-01-01T00:00:00Z"}
	payload, _ := pa.Payload()
	sig, err := sshtest.Run(t, payload, sshtest.Keygen(t), "-q", "-Y", "sign", "-n", Namespace, "-f", priv)
	if err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, sig)
	}
	if _, err := VerifyPlanApproval(pa, "alice@example.com", string(sig), allowed, time.Now()); err != nil {
		t.Fatalf("planguard refused ssh-keygen's plan approval: %v", err)
	}

	keyBytes, _ := os.ReadFile(priv)
	signer, err := ssh.ParsePrivateKey(keyBytes)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := SignPlanApproval(pa, signer)
	if err != nil {
		t.Fatal(err)
	}
	sigFile := filepath.Join(dir, "ours.sig")
	if err := os.WriteFile(sigFile, []byte(ours), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := sshtest.Run(t, payload, sshtest.Keygen(t), "-Y", "verify", "-f", signers, "-I", "alice@example.com", "-n", Namespace, "-s", sigFile); err != nil {
		t.Fatalf("ssh-keygen -Y verify refused planguard's plan approval: %v\n%s", err, out)
	}
}

func TestParsePlanApprovalFile(t *testing.T) {
	good := PlanApprovalFile{Scope: "prod", PlanSHA256: strings.Repeat("ab", 32), ExpiresAt: "2099-01-01T00:00:00Z", Principal: "a@example.com", Signature: "sig"}
	if _, err := ParsePlanApprovalFile(good.Marshal()); err != nil {
		t.Fatalf("good file refused: %v", err)
	}
	for name, src := range map[string]string{
		"unknown member": `{"scope":"prod","plan_sha256":"` + strings.Repeat("ab", 32) + `","expires_at":"2099-01-01T00:00:00Z","principal":"a","signature":"s","x":"y"}`,
		"missing":        `{"scope":"prod","plan_sha256":"` + strings.Repeat("ab", 32) + `","expires_at":"2099-01-01T00:00:00Z","principal":"a"}`,
		"upper hex":      `{"scope":"prod","plan_sha256":"` + strings.Repeat("AB", 32) + `","expires_at":"2099-01-01T00:00:00Z","principal":"a","signature":"s"}`,
		"bad expiry":     `{"scope":"prod","plan_sha256":"` + strings.Repeat("ab", 32) + `","expires_at":"tomorrow","principal":"a","signature":"s"}`,
		"trailing":       string(good.Marshal()) + `{}`,
		"not an object":  `[]`,
	} {
		if _, err := ParsePlanApprovalFile([]byte(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSigningGuidePlanApproval keeps the signing guide's plan approval
// example true: the payload it prints with printf is what planguard builds
// from the example's fields, with the SHA-256 the guide prints.
func TestSigningGuidePlanApproval(t *testing.T) {
	for _, path := range []string{"../../templates/guides/signing.md", "../../docs/guides/signing.md"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, section, ok := strings.Cut(string(b), "## Plan approvals\n")
		if !ok {
			t.Fatalf("%s has no plan approvals section", path)
		}
		section, _, _ = strings.Cut(section, "\n## ")
		_, rest, ok := strings.Cut(section, "printf '%s' '")
		if !ok {
			t.Fatalf("%s: no printf line", path)
		}
		printed, _, _ := strings.Cut(rest, "' > payload")
		var f PlanApprovalFile
		_, js, _ := strings.Cut(section, "```json\n")
		js, _, _ = strings.Cut(js, "```")
		if err := json.Unmarshal([]byte(js), &f); err != nil {
			t.Fatalf("%s: the example file: %v", path, err)
		}
		want, err := f.Statement().Payload()
		if err != nil {
			t.Fatal(err)
		}
		if printed != string(want) {
			t.Errorf("%s: printed payload\n%s\nwant\n%s", path, printed, want)
		}
		sum := sha256.Sum256(want)
		if !strings.Contains(section, "# "+hex.EncodeToString(sum[:])+"  payload") {
			t.Errorf("%s: the guide does not print the payload's SHA-256 %x", path, sum)
		}
		if !strings.Contains(section, fmt.Sprintf("%d-byte payload", len(want))) {
			t.Errorf("%s: the guide does not say the payload is %d bytes", path, len(want))
		}
	}
}
