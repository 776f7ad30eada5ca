package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// The adversarial suite: real plans from Terraform and OpenTofu with this
// provider, real ssh-keygen keys. Each case is an approval that must NOT
// unblock the change it aims at; positive controls show the same set-up
// does unblock with a sound approval, so a pass is not an accident.

const advPolicy = `
scope = "prod"
trust {
  allowed_signers = "allowed_signers"
  revoked_keys    = "revoked_keys"
}
protect "database" {
  addresses = ["terraform_data.prod_db", "terraform_data.replica", "module.data.terraform_data.db"]
  approvals = 1
  max_ttl   = "72h"
}
protect "backups" {
  addresses        = ["terraform_data.prod_db_volume_backup"]
  approvals        = 2
  require_identity = true
}
`

const advProvider = `
terraform {
  required_providers {
    planguard = {
      source = "planguard/planguard"
    }
  }
}
`

const advBase = advProvider + `
resource "terraform_data" "prod_db" {
  input = "postgres"
}
resource "terraform_data" "prod_db_volume_backup" {
  input = "backup"
}
resource "terraform_data" "replica" {
  for_each = toset(["eu", "us"])
  input    = each.key
}
module "data" {
  source = "./modules/data"
}
`

// advAgent deletes prod_db, the backup, replica["eu"] and module.data's db.
const advAgent = advProvider + `
resource "terraform_data" "replica" {
  for_each = toset(["us"])
  input    = each.key
}
`

type report struct {
	Decision string
	Changes  []struct {
		Address    string
		Approved   bool
		ApprovedBy []string `json:"approved_by"`
	}
	Approvals []struct {
		Address      string
		Status       string
		Certificates []struct {
			Principal string
			KeyID     string `json:"key_id"`
			Serial    uint64
		}
	}
}

func (r report) change(addr string) (approved bool, by []string, found bool) {
	for _, c := range r.Changes {
		if c.Address == addr {
			return c.Approved, c.ApprovedBy, true
		}
	}
	return false, nil, false
}

func TestAdversarialTerraform(t *testing.T) {
	adversarial(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAdversarialOpenTofu(t *testing.T) { adversarial(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu")) }

// TestAdversarialTerraformLatest runs the suite on the Terraform on PATH
// (PLANGUARD_TERRAFORM_LATEST), whatever its version.
func TestAdversarialTerraformLatest(t *testing.T) {
	adversarial(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func adversarial(t *testing.T, tf string) {
	toolVersion(t, tf)
	w, root := newWorld(t, tf, "base", "")
	if err := os.MkdirAll(filepath.Join(w.dir, "modules", "data"), 0o755); err != nil {
		t.Fatal(err)
	}

	k := map[string]string{}
	for _, n := range []string{"alice", "bob", "mallory", "carol", "dave", "erin", "gina", "ca", "henry", "hank", "oscar", "otto", "rita", "ivan"} {
		k[n] = w.key(n)
	}
	// User certificates from the CA (ssh-keygen -s), signed with as
	// KEY-cert.pub: henry's sound; hank's a host certificate; oscar's names
	// another principal; otto's expires an hour from now; rita's serial 7
	// is revoked. ivan's plain key is trusted, then revoked.
	for _, c := range []struct{ who, id, serial, principals, validity, host string }{
		{"henry", "henry-laptop", "1", "henry@example.com", "-1d:+52w", ""},
		{"hank", "db-host", "2", "hank@example.com", "-1d:+52w", "-h"},
		{"oscar", "oscar-laptop", "3", "someone-else@example.com", "-1d:+52w", ""},
		{"otto", "otto-laptop", "4", "otto@example.com", "-1d:+1h", ""},
		{"rita", "rita-laptop", "7", "rita@example.com", "-1d:+52w", ""},
	} {
		args := []string{"-q", "-s", k["ca"], "-I", c.id, "-z", c.serial, "-n", c.principals, "-V", c.validity}
		if c.host != "" {
			args = append(args, c.host)
		}
		if out, err := exec.Command("ssh-keygen", append(args, k[c.who]+".pub")...).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen -s: %v %s", err, out)
		}
		k[c.who+"-cert"] = k[c.who] + "-cert.pub"
	}
	pub := func(n string) string {
		b, err := os.ReadFile(k[n] + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	trust := strings.Join([]string{
		`alice@example.com namespaces="planguard-approval" ` + pub("alice"),
		`bob@example.com namespaces="planguard-approval" ` + pub("bob"),
		`carol@example.com namespaces="git" ` + pub("carol"),                                       // not for approvals
		`dave@example.com namespaces="planguard-approval",valid-before="20200101Z" ` + pub("dave"), // revoked long ago
		`erin@example.com,frank@example.com ` + pub("erin"),                                        // two names, one key
		`gina@example.com namespaces="planguard-approval",valid-after="29990101Z" ` + pub("gina"),  // not trusted yet
		`*@example.com cert-authority,namespaces="planguard-approval" ` + pub("ca"),                // user certificates
		`ivan@example.com namespaces="planguard-approval" ` + pub("ivan"),                          // revoked below
	}, "\n") + "\n"
	writeFile(t, filepath.Join(root, "allowed_signers"), trust)
	// The KRL: rita's certificate by serial, ivan's key.
	krl := filepath.Join(root, "revoked_keys")
	writeFile(t, filepath.Join(root, "krl.spec"), "serial: 7\n")
	for _, args := range [][]string{{"-q", "-k", "-f", krl, "-s", k["ca"] + ".pub", filepath.Join(root, "krl.spec")}, {"-q", "-k", "-u", "-f", krl, k["ivan"] + ".pub"}} {
		if out, err := exec.Command("ssh-keygen", args...).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen -k: %v %s", err, out)
		}
	}
	writeFile(t, filepath.Join(root, "planguard.hcl"), advPolicy)
	pol := "--policy=" + filepath.Join(root, "planguard.hcl")

	// The world: apply the base, then the agent's configuration's plan.
	writeFile(t, filepath.Join(w.dir, "modules", "data", "main.tf"), `resource "terraform_data" "db" {}`+"\n")
	writeFile(t, filepath.Join(w.dir, "main.tf"), advBase)
	w.must(0, tf, "get", "-no-color") // local modules; providers come from dev_overrides
	w.must(0, tf, "apply", "-input=false", "-auto-approve", "-no-color")
	baseState, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(w.dir, "main.tf"), advAgent)
	w.plan()
	agentPlan := filepath.Join(w.dir, "tfplan")

	// approve writes one approval block to stdout with planguard approve.
	approve := func(who, principal string, args ...string) string {
		t.Helper()
		// --force: most of these approvals are deliberate duds, for the gate to refuse.
		// The block goes to a file: stderr, which pg returns too, has the preview.
		f := filepath.Join(root, "approve.tf")
		os.Remove(f)
		a := append([]string{"approve", pol, "--plan=" + agentPlan, "--reason=CHG-1: retire", "--key=" + k[who], "--principal=" + principal, "--force", "--out=" + f}, args...)
		w.pg(0, a...)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// sign adds who's signature (as principal) to the block in src.
	sign := func(src, who, principal string) string {
		t.Helper()
		f := filepath.Join(root, "sign.tf")
		writeFile(t, f, src)
		w.pg(0, "sign", "--file="+f, "--name="+blockName(src), "--key="+k[who], "--principal="+principal, "--force")
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// check plans a case directory (base state, agent config plus extra
	// files) and returns the report.
	n := 0
	checkWith := func(files map[string]string, pgArgs []string, env ...string) (int, report) {
		t.Helper()
		n++
		cw := *w
		cw.dir = filepath.Join(root, fmt.Sprintf("case%02d", n))
		cw.env = append(append([]string{}, w.env...), env...)
		if err := os.MkdirAll(filepath.Join(cw.dir, "modules", "data"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(cw.dir, "terraform.tfstate"), string(baseState))
		writeFile(t, filepath.Join(cw.dir, "main.tf"), advAgent)
		for name, src := range files {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(cw.dir, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(cw.dir, name), src)
		}
		cw.must(0, tf, "get", "-no-color")
		cw.plan()
		code, stdout, stderr := pgReport(&cw, append([]string{"check", pol, "--format=json"}, append(pgArgs, "tfplan")...)...)
		var r report
		if code != 2 {
			if err := json.Unmarshal(stdout, &r); err != nil {
				t.Fatalf("report: %v\n%s%s", err, stdout, stderr)
			}
		}
		return code, r
	}
	check := func(files map[string]string, env ...string) (int, report) {
		t.Helper()
		return checkWith(files, nil, env...)
	}
	mustBlock := func(name, target, status string, files map[string]string, env ...string) {
		t.Run(name, func(t *testing.T) {
			code, r := check(files, env...)
			approved, by, found := r.change(target)
			if code != 1 || r.Decision != "block" || !found || approved {
				t.Fatalf("%s: exit %d, decision %s, %s approved=%v by %v (found %v): the gate let it through", name, code, r.Decision, target, approved, by, found)
			}
			if status != "" {
				ok := false
				for _, a := range r.Approvals {
					ok = ok || a.Status == status
				}
				if !ok {
					t.Fatalf("%s: no approval has status %s: %+v", name, status, r.Approvals)
				}
			}
		})
	}
	db, backup := "terraform_data.prod_db", "terraform_data.prod_db_volume_backup"

	// Positive controls: a sound approval unblocks exactly its change.
	aliceDB := approve("alice", "alice@example.com", "--target="+db)
	t.Run("control: sound approval", func(t *testing.T) {
		_, r := check(map[string]string{"approvals.tf": aliceDB})
		if ok, _, _ := r.change(db); !ok {
			t.Fatalf("a sound approval did not approve %s: %+v", db, r)
		}
	})
	t.Run("control: approval in a child module counts like one at the root", func(t *testing.T) {
		_, r := check(map[string]string{
			"approvals.tf":              "module \"approvals\" {\n  source = \"./modules/approvals\"\n}\n",
			"modules/approvals/main.tf": advProvider + aliceDB,
		})
		if ok, _, _ := r.change(db); !ok {
			t.Fatalf("approval in a child module did not count: %+v", r)
		}
	})
	t.Run("control: backup quorum of two", func(t *testing.T) {
		_, r := check(map[string]string{"approvals.tf": sign(approve("alice", "alice@example.com", "--target="+backup), "bob", "bob@example.com")})
		if ok, _, _ := r.change(backup); !ok {
			t.Fatalf("quorum of alice and bob did not approve the backup: %+v", r)
		}
	})

	mustBlock("key not in allowed_signers", db, "untrusted", map[string]string{"approvals.tf": approve("mallory", "mallory@example.com", "--target="+db)})
	mustBlock("trusted key under another principal's name", db, "untrusted", map[string]string{"approvals.tf": approve("alice", "bob@example.com", "--target="+db)})
	mustBlock("another scope", db, "wrong_scope", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--target="+db, "--scope=staging")})
	mustBlock("another address", db, "unused", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--plan=", "--action=delete", "--target=terraform_data.prod_db2")})
	mustBlock("another instance key", `terraform_data.replica["eu"]`, "unused", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--plan=", "--action=delete", `--target=terraform_data.replica["us"]`)})
	mustBlock("another module path", "module.data.terraform_data.db", "unused", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--plan=", "--action=delete", "--target=module.other.terraform_data.db")})
	mustBlock("another action", db, "wrong_action", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--plan=", "--action=replace", "--target="+db)})
	for _, edit := range [][2]string{{`"CHG-1: retire"`, `"CHG-2: retire"`}, {`action     = "delete"`, `action     = "forget"`}, {`scope      = "prod"`, `scope      = "Prod"`}} {
		mustBlock("signed field edited: "+edit[1], db, "", map[string]string{"approvals.tf": strings.Replace(aliceDB, edit[0], edit[1], 1)})
	}
	mustBlock("expired", db, "expired", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--target="+db, "--now=2020-01-01T00:00:00Z", "--expires=24h")})
	mustBlock("beyond max_ttl", db, "ttl_exceeded", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--target="+db, "--expires=30d")})
	// max_ttl bounds the signed lifetime, expires_at - issued_at (issue 10).
	mustBlock("max_ttl: no issued_at", db, "no_issued_at", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--target="+db, "--issued-at=none")})
	mustBlock("max_ttl: signed a year ago, in its last day", db, "ttl_exceeded", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--target="+db,
		"--issued-at="+time.Now().UTC().Add(-365*24*time.Hour).Truncate(time.Second).Format(time.RFC3339), "--expires=24h")})
	mustBlock("max_ttl: issued an hour in the future", db, "ttl_exceeded", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--target="+db,
		"--issued-at="+time.Now().UTC().Add(time.Hour).Truncate(time.Second).Format(time.RFC3339), "--expires=2h")})
	mustBlock("signed field removed: issued_at", db, "bad_signature", map[string]string{"approvals.tf": regexp.MustCompile(`(?m)^\s*issued_at\s*=.*\n`).ReplaceAllString(aliceDB, "")})
	mustBlock("signer listed without the planguard-approval namespace", db, "untrusted", map[string]string{"approvals.tf": approve("carol", "carol@example.com", "--target="+db)})
	mustBlock("signer before valid-after", db, "untrusted", map[string]string{"approvals.tf": approve("gina", "gina@example.com", "--target="+db)})
	mustBlock("the author signing under another name their key is trusted for", db, "no_signers", map[string]string{"approvals.tf": approve("erin", "frank@example.com", "--target="+db)}, "PLANGUARD_AUTHOR=erin@example.com")
	mustBlock("signer outside valid-before", db, "untrusted", map[string]string{"approvals.tf": approve("dave", "dave@example.com", "--target="+db)})
	mustBlock("same principal twice toward a quorum", backup, "", map[string]string{"approvals.tf": approve("alice", "alice@example.com", "--target="+backup) +
		"\n" + approve("alice", "alice@example.com", "--target="+backup, "--name=again")})
	mustBlock("two principals sharing one key", backup, "", map[string]string{"approvals.tf": sign(approve("erin", "erin@example.com", "--target="+backup), "erin", "frank@example.com")})
	mustBlock("identity required and not matching", backup, "wrong_identity", map[string]string{"approvals.tf": sign(approve("alice", "alice@example.com", "--target="+backup, "--identity=some-other-object"), "bob", "bob@example.com")})
	mustBlock("identity required and absent", backup, "wrong_identity", map[string]string{"approvals.tf": sign(approve("alice", "alice@example.com", "--target="+backup, "--no-identity"), "bob", "bob@example.com")})
	mustBlock("the author approving their own change", db, "no_signers", map[string]string{"approvals.tf": aliceDB}, "PLANGUARD_AUTHOR=alice@example.com")
	mustBlock("values unknown until apply", db, "unknown", map[string]string{"approvals.tf": strings.Replace(aliceDB, `"CHG-1: retire"`, `"CHG-1: ${terraform_data.fresh.id}"`, 1) +
		"\nresource \"terraform_data\" \"fresh\" {}\n"})

	// Certificates and revocation (issue 20).
	henryDB := approve("henry-cert", "henry@example.com", "--target="+db)
	t.Run("control: a user certificate's approval counts and is named", func(t *testing.T) {
		_, r := check(map[string]string{"approvals.tf": henryDB})
		if ok, _, _ := r.change(db); !ok {
			t.Fatalf("henry's certificate did not approve %s: %+v", db, r)
		}
		if len(r.Approvals) != 1 || len(r.Approvals[0].Certificates) != 1 || r.Approvals[0].Certificates[0].KeyID != "henry-laptop" || r.Approvals[0].Certificates[0].Serial != 1 {
			t.Fatalf("report does not name henry's certificate: %+v", r.Approvals)
		}
	})
	t.Run("control: backup quorum of a key and a certificate", func(t *testing.T) {
		_, r := check(map[string]string{"approvals.tf": sign(approve("alice", "alice@example.com", "--target="+backup), "henry-cert", "henry@example.com")})
		if ok, _, _ := r.change(backup); !ok {
			t.Fatalf("alice and henry's certificate did not approve the backup: %+v", r)
		}
	})
	mustBlock("a revoked key", db, "revoked", map[string]string{"approvals.tf": approve("ivan", "ivan@example.com", "--target="+db)})
	mustBlock("a certificate revoked by serial", db, "revoked", map[string]string{"approvals.tf": approve("rita-cert", "rita@example.com", "--target="+db)})
	mustBlock("a certificate whose principals omit the approval's principal", db, "untrusted", map[string]string{"approvals.tf": approve("oscar-cert", "oscar@example.com", "--target="+db)})
	mustBlock("a certified approver's plain key, under the certificate's principal", db, "untrusted", map[string]string{"approvals.tf": approve("oscar", "someone-else@example.com", "--target="+db)})
	// A host certificate cannot sign through planguard; ssh-keygen signs
	// with it, and it makes the second signature of the backup's quorum.
	t.Run("a host certificate", func(t *testing.T) {
		src := approve("alice", "alice@example.com", "--target="+backup)
		f := filepath.Join(root, "host.tf")
		writeFile(t, f, src)
		payload := filepath.Join(root, "host.payload")
		writeFile(t, payload, w.pg(0, "payload", "--file="+f, "--name="+blockName(src)))
		if out, err := exec.Command("ssh-keygen", "-q", "-Y", "sign", "-n", "planguard-approval", "-f", k["hank-cert"], payload).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen -Y sign with a host certificate: %v %s", err, out)
		}
		w.pg(0, "sign", "--file="+f, "--name="+blockName(src), "--principal=hank@example.com", "--signature="+payload+".sig", "--force")
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code, r := check(map[string]string{"approvals.tf": string(b)})
		if ok, by, _ := r.change(backup); code != 1 || ok || len(by) != 1 {
			t.Fatalf("a host certificate counted toward the backup's quorum: exit %d, approved by %v", code, by)
		}
	})
	t.Run("a certificate expired at --now", func(t *testing.T) {
		later := time.Now().UTC().Add(2 * time.Hour).Format(time.RFC3339)
		files := map[string]string{"approvals.tf": approve("otto-cert", "otto@example.com", "--target="+db)}
		if _, r := check(files); !func() bool { ok, _, _ := r.change(db); return ok }() {
			t.Fatalf("otto's certificate, valid now, did not approve %s: %+v", db, r)
		}
		code, r := checkWith(files, []string{"--now=" + later})
		if ok, _, _ := r.change(db); code != 1 || ok || len(r.Approvals) != 1 || r.Approvals[0].Status != "untrusted" {
			t.Fatalf("a certificate expired at --now %s counted: exit %d %+v", later, code, r)
		}
	})
	t.Run("a truncated KRL", func(t *testing.T) {
		b, err := os.ReadFile(krl)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, "truncated")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "allowed_signers"), trust)
		writeFile(t, filepath.Join(dir, "revoked_keys"), string(b[:len(b)-5]))
		writeFile(t, filepath.Join(dir, "planguard.hcl"), advPolicy)
		code, out := w.run(filepath.Join(binDir, "planguard"), "check", "--policy="+filepath.Join(dir, "planguard.hcl"), agentPlan)
		if code != 2 || !strings.Contains(out, "planguard: error:") || !strings.Contains(out, "revoked_keys") {
			t.Fatalf("truncated KRL: exit %d\n%s", code, out)
		}
	})

	t.Run("approval destroyed by the same plan", func(t *testing.T) {
		cw := *w
		cw.dir = filepath.Join(root, "destroyed")
		if err := os.MkdirAll(filepath.Join(cw.dir, "modules", "data"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(cw.dir, "terraform.tfstate"), string(baseState))
		writeFile(t, filepath.Join(cw.dir, "modules", "data", "main.tf"), `resource "terraform_data" "db" {}`+"\n")
		writeFile(t, filepath.Join(cw.dir, "main.tf"), advBase)
		writeFile(t, filepath.Join(cw.dir, "approvals.tf"), aliceDB)
		cw.must(0, tf, "get", "-no-color")
		cw.must(0, tf, "apply", "-input=false", "-auto-approve", "-no-color") // the approval is now in state
		os.Remove(filepath.Join(cw.dir, "approvals.tf"))
		writeFile(t, filepath.Join(cw.dir, "main.tf"), advAgent)
		cw.plan()
		code, out, stderr := pgReport(&cw, "check", pol, "--format=json", "tfplan")
		var r report
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("%v\n%s%s", err, out, stderr)
		}
		if ok, _, _ := r.change(db); code != 1 || ok {
			t.Fatalf("an approval the plan destroys unblocked the change: exit %d %+v", code, r)
		}
	})

	t.Run("sound approvals but a policy that does not parse", func(t *testing.T) {
		bad := filepath.Join(root, "bad.hcl")
		writeFile(t, bad, advPolicy+"\nprotect \"x\" {\n  approvals = 0\n}\n")
		cw := *w
		code, out := cw.run(filepath.Join(binDir, "planguard"), "check", "--policy="+bad, agentPlan)
		if code != 2 || !strings.Contains(out, "planguard: error:") {
			t.Fatalf("broken policy: exit %d\n%s", code, out)
		}
	})
}

// pgReport runs planguard in w's directory and returns its exit code, its
// standard output (the report) and its standard error (warnings such as
// "no --author") apart.
func pgReport(w *world, args ...string) (int, []byte, []byte) {
	w.t.Helper()
	cmd := exec.Command(filepath.Join(binDir, "planguard"), args...)
	var stdout, stderr bytes.Buffer
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = w.dir, w.env, &stdout, &stderr
	if err := cmd.Run(); err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			w.t.Fatal(err)
		}
		return ee.ExitCode(), stdout.Bytes(), stderr.Bytes()
	}
	return 0, stdout.Bytes(), stderr.Bytes()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// blockName is the name of the first planguard_approval block in src.
func blockName(src string) string {
	const p = `resource "planguard_approval" "`
	i := strings.Index(src, p)
	if i < 0 {
		return ""
	}
	rest := src[i+len(p):]
	return rest[:strings.IndexByte(rest, '"')]
}
