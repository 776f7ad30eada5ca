package trust

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/sshtest"
)

// TestRevocationsAgreeWithSSHKeygen: KRLs made by ssh-keygen -k (and -u)
// from every kind of specification, and lists of public keys, revoke
// exactly the keys and certificates OpenSSH says they revoke: ssh-keygen -Q
// for each key and certificate, and ssh-keygen -Y verify -r for a signature
// by each, give planguard's verdict, which is also the table's.
func TestRevocationsAgreeWithSSHKeygen(t *testing.T) {
	dir := t.TempDir()
	keygen := sshtest.Keygen(t)
	run := func(t testing.TB, args ...string) {
		t.Helper()
		if out, err := sshtest.Run(t, nil, keygen, args...); err != nil {
			t.Fatalf("ssh-keygen %v: %v\n%s", args, err, out)
		}
	}
	path := func(name string) string { return filepath.Join(dir, name) }
	const alice = "alice@example.com"
	pubs := map[string]string{} // name: public key file
	signFiles := map[string]string{}
	for name, args := range map[string][]string{"u1": {"-t", "ed25519"}, "u2": {"-t", "ecdsa"}, "u3": {"-t", "rsa", "-b", "2048"}, "u4": {"-t", "ed25519"},
		"ca1": {"-t", "ed25519"}, "ca2": {"-t", "ecdsa"}} {
		priv, _ := sshtest.NewKey(t, dir, name, args...)
		pubs[name], signFiles[name] = priv+".pub", priv
	}
	// c6 certifies u1's key (a copy, so that u1 alone signs as the plain key).
	for _, ext := range []string{"", ".pub"} {
		b, _ := os.ReadFile(path("u1" + ext))
		os.WriteFile(path("cu6"+ext), b, 0o600)
	}
	for name, c := range map[string]struct {
		ca   string
		args []string
	}{
		"c1": {"ca1", []string{"-z", "5", "-I", "alice"}},
		"c2": {"ca1", []string{"-z", "100", "-I", "bob"}},
		"c3": {"ca1", []string{"-I", "carol"}}, // serial 0
		"c4": {"ca2", []string{"-z", "5", "-I", "alice"}},
		"c5": {"ca1", []string{"-z", "1099511627776", "-I", "dave"}},
		"c6": {"ca2", []string{"-z", "7", "-I", "erin"}},
	} {
		key := "cu" + name[1:]
		if name != "c6" {
			sshtest.NewKey(t, dir, key, "-t", "ed25519")
		}
		run(t, append(append([]string{"-q", "-s", path(c.ca), "-n", alice}, c.args...), path(key+".pub"))...)
		pubs[name], signFiles[name] = path(key+"-cert.pub"), path(key+"-cert.pub")
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range pubs {
			if !yield(n) {
				return
			}
		}
	})
	pubLine := func(name string) string { b, _ := os.ReadFile(pubs[name]); return strings.TrimSpace(string(b)) }
	parsed := map[string]ssh.PublicKey{}
	for _, n := range names {
		k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(pubLine(n)))
		if err != nil {
			t.Fatal(err)
		}
		parsed[n] = k
	}

	// Signatures by every key and certificate, and a trust file that
	// trusts each of them for alice.
	message := []byte("payload")
	sigs := map[string]*sshsig.Signature{}
	armored := map[string]string{}
	for _, n := range names {
		if strings.HasPrefix(n, "ca") {
			continue
		}
		armored[n] = sshtest.SignFile(t, signFiles[n], testNamespace, message)
		s, err := sshsig.Parse(armored[n])
		if err != nil {
			t.Fatal(err)
		}
		sigs[n] = s
	}
	var allowed strings.Builder
	for _, n := range []string{"u1", "u2", "u3", "u4"} {
		allowed.WriteString(alice + " " + pubLine(n) + "\n")
	}
	for _, n := range []string{"ca1", "ca2"} {
		allowed.WriteString(alice + " cert-authority " + pubLine(n) + "\n")
	}

	odd := ""
	for s := 1; s < 100; s += 2 {
		odd += "serial: " + strconv.Itoa(s) + "\n"
	}
	krl := path("krl")
	spec := func(text string) string {
		f := path("spec")
		os.WriteFile(f, []byte(text), 0o600)
		return f
	}
	cases := []struct {
		name    string
		make    func(testing.TB) // writes krl
		revoked []string
	}{
		{"explicit key file", func(t testing.TB) { run(t, "-k", "-f", krl, pubs["u1"]) }, []string{"c6", "u1"}},
		{"key:", func(t testing.TB) { run(t, "-k", "-f", krl, spec("key: "+pubLine("u2")+"\n")) }, []string{"u2"}},
		{"sha1:", func(t testing.TB) { run(t, "-k", "-f", krl, spec("sha1: "+pubLine("u3")+"\n")) }, []string{"u3"}},
		{"sha256:", func(t testing.TB) { run(t, "-k", "-f", krl, spec("sha256: "+pubLine("u4")+"\n")) }, []string{"u4"}},
		{"hash:", func(t testing.TB) {
			run(t, "-k", "-f", krl, spec("# comment\n\nhash: "+ssh.FingerprintSHA256(parsed["u1"])+"\n"))
		}, []string{"c6", "u1"}},
		{"serial", func(t testing.TB) { run(t, "-k", "-f", krl, "-s", pubs["ca1"], spec("serial: 5\n")) }, []string{"c1"}},
		{"serial range", func(t testing.TB) { run(t, "-k", "-f", krl, "-s", pubs["ca1"], spec("serial: 90-110\n")) }, []string{"c2"}},
		{"serial bitmap", func(t testing.TB) { run(t, "-k", "-f", krl, "-s", pubs["ca1"], spec(odd)) }, []string{"c1"}},
		{"large serial", func(t testing.TB) { run(t, "-k", "-f", krl, "-s", pubs["ca1"], spec("serial: 1099511627776\n")) }, []string{"c5"}},
		{"every serial", func(t testing.TB) {
			run(t, "-k", "-f", krl, "-s", pubs["ca1"], spec("serial: 1-18446744073709551615\n"))
		}, []string{"c1", "c2", "c5"}},
		{"key id", func(t testing.TB) { run(t, "-k", "-f", krl, "-s", pubs["ca1"], spec("id: carol\n")) }, []string{"c3"}},
		{"key id, any CA", func(t testing.TB) { run(t, "-k", "-f", krl, "-s", "none", spec("id: alice\n")) }, []string{"c1", "c4"}},
		{"CA key", func(t testing.TB) { run(t, "-k", "-f", krl, pubs["ca1"]) }, []string{"c1", "c2", "c3", "c5", "ca1"}},
		{"certificate file", func(t testing.TB) { run(t, "-k", "-f", krl, pubs["c2"]) }, []string{"c2"}},
		{"certificate file, serial 0", func(t testing.TB) { run(t, "-k", "-f", krl, pubs["c3"]) }, []string{"c3"}},
		{"mixed", func(t testing.TB) {
			run(t, "-k", "-f", krl, "-s", pubs["ca2"], spec("serial: 7\nid: alice\nkey: "+pubLine("u3")+"\n"))
		}, []string{"c4", "c6", "u3"}},
		{"updated", func(t testing.TB) {
			run(t, "-k", "-f", krl, pubs["u1"])
			run(t, "-k", "-u", "-f", krl, "-s", pubs["ca1"], spec("serial: 100\n"))
		}, []string{"c2", "c6", "u1"}},
		{"empty KRL", func(t testing.TB) { run(t, "-k", "-f", krl, spec("")) }, nil},
		{"list of a key", func(testing.TB) { os.WriteFile(krl, []byte("# revoked\n"+pubLine("u1")+"\n"), 0o600) }, []string{"c6", "u1"}},
		{"list of a CA key", func(testing.TB) { os.WriteFile(krl, []byte("  "+pubLine("ca1")+"\n\n"), 0o600) }, []string{"c1", "c2", "c3", "c5", "ca1"}},
		{"list of a certificate", func(testing.TB) { os.WriteFile(krl, []byte(pubLine("c2")+"\n"), 0o600) }, []string{"c2"}},
		{"empty list", func(testing.TB) { os.WriteFile(krl, nil, 0o600) }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(krl)
			c.make(t)
			data, _ := os.ReadFile(krl)
			r, err := ParseRevocations(data, "krl")
			if err != nil {
				t.Fatal(err)
			}
			isKRL := strings.HasPrefix(string(data), krlMagic)
			var got []string
			for _, n := range names {
				ours := r.Check(parsed[n]) != nil
				if ours {
					got = append(got, n)
				}
				if isKRL {
					out, err := sshtest.Run(t, nil, keygen, "-Q", "-f", krl, pubs[n])
					theirs := strings.Contains(string(out), "REVOKED")
					if !theirs && err != nil {
						t.Fatalf("ssh-keygen -Q %s: %v\n%s", n, err, out)
					}
					if ours != theirs {
						t.Errorf("%s: planguard revoked=%v, ssh-keygen -Q: %s", n, ours, out)
					}
				}
			}
			if !slices.Equal(got, c.revoked) {
				t.Errorf("revoked %v, want %v", got, c.revoked)
			}
			signers, err := ParseAllowedSigners([]byte(allowed.String()), "allowed_signers", ParseOptions{RevokedKeysName: "krl", RevokedKeys: data})
			if err != nil {
				t.Fatal(err)
			}
			for n, sig := range sigs {
				if err := sig.Verify(message, testNamespace); err != nil {
					t.Fatal(err)
				}
				_, err := signers.Authorize(alice, sig, testNamespace, testNow)
				theirs, out := sshtest.Verify(t, t.TempDir(), allowed.String(), alice, testNamespace, armored[n], message, "-r", krl, "-Overify-time=20261125120000Z")
				if (err == nil) != theirs {
					t.Errorf("signature by %s: planguard %v, ssh-keygen -Y verify -r ok=%v\n%s", n, err, theirs, out)
				}
				if err != nil && !strings.Contains(err.Error(), "revoked") {
					t.Errorf("signature by %s: %v does not say revoked", n, err)
				}
			}
		})
	}
}
