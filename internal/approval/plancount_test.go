package approval

import (
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/sshtest"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// CountPlanApprovals counts distinct trusted principals over exactly this
// plan and scope, unexpired, and never the change's author — by name, or by
// a key allowed_signers lists for the author under another name.
func TestCountPlanApprovals(t *testing.T) {
	dir := t.TempDir()
	alicePriv, alicePub := sshtest.NewKey(t, dir, "alice", "-t", "ed25519")
	bobPriv, bobPub := sshtest.NewKey(t, dir, "bob", "-t", "ed25519")
	keyType := func(pub string) string { f := strings.Fields(pub); return f[0] + " " + f[1] }
	signers, err := trust.ParseAllowedSigners([]byte(
		"alice "+keyType(alicePub)+"\nbob "+keyType(bobPub)+"\nrobot "+keyType(bobPub)+"\n"), "allowed_signers", trust.ParseOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	sum := strings.Repeat("ab", 32)
	file := func(priv, principal, scope, plan, expires string) []byte {
		st := PlanApproval{Scope: scope, PlanSHA256: plan, ExpiresAt: expires}
		sig, err := SignPlanApproval(st, sshtest.Signer(t, priv))
		if err != nil {
			t.Fatal(err)
		}
		return PlanApprovalFile{Scope: scope, PlanSHA256: plan, ExpiresAt: expires, Principal: principal, Signature: sig}.Marshal()
	}
	alice := file(alicePriv, "alice", "prod", sum, "2026-12-04T13:00:00Z")
	bob := file(bobPriv, "bob", "prod", sum, "2026-12-04T13:00:00Z")
	robot := file(bobPriv, "robot", "prod", sum, "2026-12-04T13:00:00Z")
	cases := []struct {
		name   string
		files  [][]byte
		author string
		want   string
	}{
		{"one", [][]byte{alice}, "", "alice"},
		{"two", [][]byte{alice, bob}, "carol", "alice,bob"},
		{"the author by name", [][]byte{alice, bob}, "Alice", "bob"},
		{"the author's key under another name", [][]byte{robot}, "bob", ""},
		{"one key, two names", [][]byte{bob, robot}, "", "bob"},
		// Several authors (a plan carrying several unapplied merges): each is excluded.
		{"one of several authors by name", [][]byte{alice, bob}, "carol,ALICE", "bob"},
		{"one of several authors' key under another name", [][]byte{alice, robot}, "carol,bob", "alice"},
		{"every approver an author", [][]byte{alice, bob}, "alice,bob", ""},
		{"another plan", [][]byte{file(alicePriv, "alice", "prod", strings.Repeat("cd", 32), "2026-12-04T13:00:00Z")}, "", ""},
		{"another scope", [][]byte{file(alicePriv, "alice", "dev", sum, "2026-12-04T13:00:00Z")}, "", ""},
		{"expired", [][]byte{file(alicePriv, "alice", "prod", sum, "2026-12-04T12:00:00Z")}, "", ""},
		{"a stolen name", [][]byte{file(bobPriv, "alice", "prod", sum, "2026-12-04T13:00:00Z")}, "", ""},
		{"garbage", [][]byte{[]byte("{}"), []byte("not json")}, "", ""},
	}
	for _, c := range cases {
		got := CountPlanApprovals(c.files, "prod", sum, strings.Split(c.author, ","), signers, now)
		if strings.Join(got.Principals, ",") != c.want {
			t.Errorf("%s: counted %v, want %q (problems %q)", c.name, got.Principals, c.want, got.Problems)
		}
		if n := len(c.files) - len(got.Principals); len(got.Problems) != n {
			t.Errorf("%s: %d problems for %d approvals not counted: %q", c.name, len(got.Problems), n, got.Problems)
		}
	}
}
