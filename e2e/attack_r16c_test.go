package e2e

// Attacker review r16c of issue 16: four ways around the landed work,
// reproduced with real plans and applies. Each test sets up the lab of
// attack_r16b_test.go (a production object, in a pinned local state, that
// the policy protects by address and by id; a trusted lock file; the job's
// explicit provider_installation) and asserts what the gate must do; where
// the gate lets the attack through, the test fails and says what was lost
// or what ran.
//
//  1. Duplicate keys in a .tf.json file hide a provider's dynamic exec
//     block from the gate (which read the file with encoding/json, keeping
//     the last duplicate) while Terraform configures the provider with it.
//  2. A terraform_remote_state data source whose s3 configuration names a
//     profile in shared_config_files = ["aws.tf"] (a .tf file that doubles
//     as an AWS config) runs the profile's credential_process when it is
//     read at apply, with the apply's credentials.
//  3. A create whose id is the production object's id writes over it;
//     protect { ids } matched only prior objects.
//  4. An edited tfstate in the saved plan (the prior state after the
//     refresh) is written into the pinned state at apply: the protected
//     object tainted, its schema version or private data changed.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestAttackR16cTerraform(t *testing.T) {
	attackR16c(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAttackR16cTerraformLatest(t *testing.T) {
	attackR16c(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestAttackR16cOpenTofu(t *testing.T) {
	attackR16c(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

// editInstance returns the state st with edit applied to the first
// instance of the resource named name.
func editInstance(t *testing.T, st []byte, name string, edit func(inst map[string]any)) []byte {
	t.Helper()
	return editResource(t, st, name, func(res map[string]any) {
		edit(res["instances"].([]any)[0].(map[string]any))
	})
}

func attackR16c(t *testing.T, tf string) {
	l := newPinLab(t, tf)
	root := l.root
	dbSrc := fmt.Sprintf("resource \"planguardtest_object\" \"db\" {\n  path    = %q\n  content = \"customer data\"\n}\n", l.prodObj)
	prodSrc := localBackend(l.prodState) + dbSrc
	prod := l.dir("prod", prodSrc)
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	l.trustLock()
	netState := filepath.Join(root, "state", "net.tfstate")
	policy := func(extra string) {
		writeFile(t, l.policy, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nlock_file = \"trusted.lock.hcl\"\n"+
			fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", l.prodState)+
			fmt.Sprintf("protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n  ids       = [%q]\n}\n", l.prodObj)+extra)
	}
	policy("")
	pg := filepath.Join(binDir, "planguard")

	wantState, wantObj := readFile(t, l.prodState), readFile(t, l.prodObj)
	restore := func() {
		writeFile(t, l.prodState, wantState)
		writeFile(t, l.prodObj, wantObj)
		policy("")
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	// dir is l.dir for the subtest t.
	dir := func(t *testing.T, name, src string) *world {
		w := l.dir(name, src)
		w.t = t
		return w
	}

	t.Run("1: duplicate keys in a .tf.json file hide a dynamic exec block", func(t *testing.T) {
		defer restore()
		marker := filepath.Join(root, "dup-exec-ran")
		dyn := func(key string) string {
			return `{"planguardtest": {"` + key + fmt.Sprintf(`": {"exec": {"for_each": ["x"], "content": {"command": "sh", "args": ["-c", "echo ran >> %s"]}}}}}`, marker)
		}
		for _, c := range []struct{ name, json string }{
			// What the review found: the gate kept the second, empty
			// "provider"; Terraform configures the first.
			{"an aliased provider after it", `{"provider": ` + dyn("dynamic") + `, "provider": {"planguardtest": {"alias": "other"}}}`},
			// Another spelling: the key escaped, the duplicate a comment.
			{"an escaped key, a duplicate comment", `{"//": "a", "provider": ` + dyn(`dyn\u0061mic`) + `, "//": "b"}`},
		} {
			t.Run(c.name, func(t *testing.T) {
				a := dir(t, "dupjson-"+strings.ReplaceAll(c.name, " ", "-"), prodSrc+object("extra", filepath.Join(root, "objects", "dup-extra")))
				a.write("exec.tf.json", c.json)
				a.must(0, tf, "init", "-input=false", "-no-color")
				a.plan()
				if !exists(marker) {
					t.Fatal("Terraform did not run the dynamic exec block at plan (the test proves nothing)")
				}
				_ = os.Remove(marker) // the plan job ran it; the apply must not
				code, out := a.run(pg, "check", "--policy="+l.policy, "tfplan")
				t.Logf("planguard check: exit %d\n%s", code, out)
				acode, aout := a.run(pg, "apply", "--policy="+l.policy, "tfplan")
				t.Logf("planguard apply: exit %d\n%s", acode, aout)
				if code == 0 || acode == 0 || exists(marker) {
					t.Fatalf("a provider's exec block hidden by a duplicate key in a .tf.json file: check exit %d, apply exit %d, the command ran at apply: %v", code, acode, exists(marker))
				}
				contains(t, out, "exec.tf.json", "twice")
			})
		}
	})

	t.Run("2: terraform_remote_state runs a credential_process at apply", func(t *testing.T) {
		defer restore()
		marker := filepath.Join(root, "credential-process-ran")
		// aws.tf is a Terraform file (one comment) and an AWS config (the
		// SDK's parser skips the lines it does not know).
		awsTF := fmt.Sprintf("/*\n[profile evil]\ncredential_process = echo ran >> %s && printf '{\"Version\":1,\"AccessKeyId\":\"AKIAX\",\"SecretAccessKey\":\"x\"}'\nregion = us-east-1\n*/\n", marker)
		// The key comes from an object the plan creates, so the read is
		// made at apply, with the apply's credentials.
		remote := func(key string) string {
			return fmt.Sprintf(`data "terraform_remote_state" "net" {
  backend = "s3"
  config = {
    bucket                      = "acme-tf"
    key                         = %s
    region                      = "us-east-1"
    profile                     = "evil"
    shared_config_files         = ["aws.tf"]
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    max_retries                 = 1
    endpoints                   = { s3 = "http://127.0.0.1:9" }
    use_path_style              = true
  }
}
`, key)
		}
		check := func(a *world, addr string) string {
			t.Helper()
			a.must(0, tf, "init", "-input=false", "-no-color")
			a.plan()
			if exists(marker) {
				t.Fatal("the remote state was read at plan: its read is not deferred to the apply (the test proves nothing about the apply)")
			}
			code, out := a.run(pg, "check", "--policy="+l.policy, "tfplan")
			t.Logf("planguard check: exit %d\n%s", code, out)
			acode, aout := a.run(pg, "apply", "--policy="+l.policy, "tfplan")
			t.Logf("planguard apply: exit %d\n%s", acode, aout)
			if code == 0 || acode == 0 || exists(marker) {
				t.Fatalf("a terraform_remote_state read at apply: check exit %d, apply exit %d, its credential_process ran: %v", code, acode, exists(marker))
			}
			contains(t, out, addr, "BLOCKED")
			return out
		}
		a := dir(t, "remotestate", prodSrc+object("k", filepath.Join(root, "objects", "rs-key"))+remote(`"net${planguardtest_object.k.id}"`))
		a.write("aws.tf", awsTF)
		check(a, "data.terraform_remote_state.net")
		// The JSON report lists it in remote_states.
		a.run(pg, "check", "--policy="+l.policy, "--out=json=report.json", "tfplan")
		var rep struct {
			RemoteStates []struct {
				Address    string   `json:"address"`
				Allowed    bool     `json:"allowed"`
				Unreadable []string `json:"unreadable"`
			} `json:"remote_states"`
		}
		js := readFile(t, filepath.Join(a.dir, "report.json"))
		if err := json.Unmarshal([]byte(js), &rep); err != nil || len(rep.RemoteStates) != 1 || rep.RemoteStates[0].Allowed || rep.RemoteStates[0].Address != "data.terraform_remote_state.net" {
			t.Fatalf("remote_states in the JSON report: %v\n%s", err, js)
		}

		// Another spelling, under a remote_state block that allows the
		// bucket and key: the data source in a check block of a module.
		policy(`remote_state {
  backend = "s3"
  config  = { bucket = "acme-tf", key = "net.tfstate", region = "us-east-1" }
}
`)
		b := dir(t, "remotestate-module", prodSrc+"module \"m\" {\n  source = \"./m\"\n}\n")
		b.write("aws.tf", awsTF)
		if err := os.MkdirAll(filepath.Join(b.dir, "m"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(b.dir, "m", "main.tf"), objRequired+object("k", filepath.Join(root, "objects", "rs-key2"))+
			"check \"net\" {\n"+strings.ReplaceAll(remote(`"net${planguardtest_object.k.id}"`), "\n", "\n  ")+"\n  assert {\n    condition     = planguardtest_object.k.id != \"\"\n    error_message = \"x\"\n  }\n}\n")
		check(b, "module.m.data.terraform_remote_state.net")

		// Allowed exactly: a local remote state the policy names.
		writeFile(t, netState, `{"version":4,"terraform_version":"1.8.5","serial":1,"lineage":"net","outputs":{"vpc":{"value":"vpc-1","type":"string"}},"resources":[]}`)
		policy(fmt.Sprintf("remote_state {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", netState))
		c := dir(t, "remotestate-ok", prodSrc+fmt.Sprintf("data \"terraform_remote_state\" \"net\" {\n  backend = \"local\"\n  config = {\n    path = %q\n  }\n}\n", netState)+
			fmt.Sprintf("resource \"planguardtest_object\" \"vpc\" {\n  path    = %q\n  content = data.terraform_remote_state.net.outputs.vpc\n}\n", filepath.Join(root, "objects", "vpc")))
		c.must(0, tf, "init", "-input=false", "-no-color")
		c.plan()
		out := c.must(0, pg, "check", "--policy="+l.policy, "tfplan")
		contains(t, out, "data.terraform_remote_state.net", "allowed")
		c.must(0, pg, "apply", "--policy="+l.policy, "tfplan")
		if readFile(t, filepath.Join(root, "objects", "vpc")) != "vpc-1" {
			t.Fatal("the allowed remote state was not read at apply")
		}
	})

	t.Run("3: a create over the protected object's id", func(t *testing.T) {
		defer restore()
		// twin is a new object whose path (its id, which the plan knows)
		// is the production object's.
		twin := fmt.Sprintf("resource \"planguardtest_file\" \"twin\" {\n  path    = %q\n  content = \"wiped\"\n}\n", l.prodObj)
		a := dir(t, "twin", prodSrc+twin)
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		code, out := a.run(pg, "check", "--policy="+l.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		acode, aout := a.run(pg, "apply", "--policy="+l.policy, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		if got := readFile(t, l.prodObj); code == 0 || acode == 0 || got != wantObj {
			t.Fatalf("a create over the protected id: check exit %d, apply exit %d, the production object now holds %q", code, acode, got)
		}
		contains(t, out, "planguardtest_file.twin", "takes over", l.prodObj)

		// planguard approve --plan writes the approval the gate asks for:
		// a replace of twin bound to the protected id.
		a.must(0, pg, "approve", "--policy="+l.policy, "--plan=tfplan", "--target=planguardtest_file.twin", "--reason=CHG-7: rewrite", "--expires=24h",
			"--key="+l.alice, "--principal=alice@example.com", "--out=approvals.tf")
		src := readFile(t, filepath.Join(a.dir, "approvals.tf"))
		if !strings.Contains(src, `"replace"`) || !strings.Contains(src, l.prodObj) {
			t.Fatalf("the approval does not name a replace bound to the protected id:\n%s", src)
		}
	})

	t.Run("4: an edited tfstate in the saved plan", func(t *testing.T) {
		defer restore()
		for _, c := range []struct {
			name  string
			edit  func(inst map[string]any)
			field string
		}{
			{"tainted", func(i map[string]any) { i["status"] = "tainted" }, "status"},
			// (Terraform's show refuses a schema version its provider does
			// not have, so this one fails closed whatever planguard reads.)
			{"schema version", func(i map[string]any) { i["schema_version"] = 7 }, ""},
			{"private data", func(i map[string]any) { i["private"] = "eyJldmlsIjp0cnVlfQ==" }, "private data"},
			// Another spelling: both of the plan's states edited alike,
			// so that they agree with each other.
			{"tainted in both states", func(i map[string]any) { i["status"] = "tainted" }, "pinned state"},
			// And the id spelt twice, in two cases (refused by planguard's
			// state reader, and by Terraform's show for this schema).
			{"ID beside id", func(i map[string]any) { i["attributes"].(map[string]any)["ID"] = "/elsewhere" }, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				defer restore()
				a := dir(t, "forge-"+strings.ReplaceAll(c.name, " ", "-"), prodSrc+object("extra", filepath.Join(root, "objects", "forge-extra")))
				a.must(0, tf, "init", "-input=false", "-no-color")
				a.plan()
				rewritePlan(t, filepath.Join(a.dir, "tfplan"), func(name string, b []byte) []byte {
					if name == "tfstate" || (name == "tfstate-prev" && strings.HasSuffix(c.name, "in both states")) {
						return editInstance(t, b, "db", c.edit)
					}
					return b
				})
				code, out := a.run(pg, "check", "--policy="+l.policy, "tfplan")
				t.Logf("planguard check: exit %d\n%s", code, out)
				acode, aout := a.run(pg, "apply", "--policy="+l.policy, "tfplan")
				t.Logf("planguard apply: exit %d\n%s", acode, aout)
				st := readFile(t, l.prodState)
				forged := strings.Contains(st, `"tainted"`) || strings.Contains(st, `"schema_version": 7`) || strings.Contains(st, "eyJldmlsIjp0cnVlfQ==") || strings.Contains(st, `"ID"`)
				if code == 0 || acode == 0 || forged {
					t.Fatalf("an edited tfstate (%s): check exit %d, apply exit %d, written into the pinned state: %v\n%s", c.name, code, acode, forged, st)
				}
				if c.field != "" {
					contains(t, out, "planguardtest_object.db", c.field)
				}
			})
		}
	})
}
