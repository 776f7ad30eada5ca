package policy

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestStateBlock(t *testing.T) {
	p, err := Parse([]byte(head+`
state {
  backend = "s3"
  config  = { bucket = "acme-tf", key = "prod/terraform.tfstate", encrypt = true, max_retries = 5 }
}
protect "db" { types = ["terraform_data"] }
`), "p.hcl")
	if err != nil {
		t.Fatal(err)
	}
	s := p.State
	if s == nil || s.Backend != "s3" || s.Workspace != "default" || len(s.Config) != 4 {
		t.Fatalf("state = %+v", s)
	}
	if got := string(s.Config["encrypt"]); got != "true" {
		t.Errorf("config.encrypt = %s", got)
	}
	ok := `{"bucket":"acme-tf","key":"prod/terraform.tfstate","encrypt":true,"max_retries":5.0,"profile":null}`
	if err := s.Check("s3", []byte(ok), "default"); err != nil {
		t.Errorf("matching backend refused: %v", err)
	}
	cases := []struct {
		name, backend, config, workspace, want string
	}{
		{"other backend", "local", ok, "default", `backend is "local", the policy's state.backend is "s3"`},
		{"other workspace", "s3", ok, "staging", `workspace is "staging"`},
		{"other key", "s3", strings.Replace(ok, "prod/", "scratch/", 1), "default", `config.key is "scratch/terraform.tfstate", the policy's state.config has "prod/terraform.tfstate"`},
		{"extra setting", "s3", strings.Replace(ok, `"profile":null`, `"profile":"attacker"`, 1), "default", `config.profile is set to "attacker", which the policy's state.config does not name`},
		{"missing setting", "s3", `{"bucket":"acme-tf","key":"prod/terraform.tfstate","encrypt":true}`, "default", "config.max_retries is unset"},
		{"type differs", "s3", strings.Replace(ok, `"encrypt":true`, `"encrypt":"true"`, 1), "default", "config.encrypt is"},
		{"number differs", "s3", strings.Replace(ok, `5.0`, `5.5`, 1), "default", "config.max_retries is 5.5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.Check(c.backend, []byte(c.config), c.workspace)
			var m *StateMismatch
			if !errors.As(err, &m) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Check = %v, want a mismatch containing %q", err, c.want)
			}
		})
	}
	if err := s.Check("s3", []byte(`[1]`), "default"); err == nil {
		t.Error("a config that is not an object was accepted")
	}
}

func TestStateBlockErrors(t *testing.T) {
	rule := `protect "db" { types = ["x"] }` + "\n"
	cases := []struct{ name, src, want string }{
		{"no backend", "state {}\n", `The argument "backend" is required`},
		{"duplicate", "state { backend = \"s3\" }\nstate { backend = \"s3\" }\n", "Duplicate state block"},
		{"bad backend", "state { backend = \"s 3\" }\n", "Invalid backend"},
		{"null value", "state {\n backend = \"s3\"\n config = { key = null }\n}\n", "config.key is null"},
		{"not object", "state {\n backend = \"s3\"\n config = \"bucket\"\n}\n", "config must be an object"},
		{"empty workspace", "state {\n backend = \"s3\"\n workspace = \"\"\n}\n", "Invalid workspace"},
		{"unknown attribute", "state {\n backend = \"s3\"\n bucket = \"x\"\n}\n", "Unsupported argument"},
		{"empty lock_file", "lock_file = \"\"\n", "Invalid lock_file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(head+c.src+rule), "p.hcl")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Parse = %v, want %q", err, c.want)
			}
		})
	}
}

func TestLockFileLoadAndHash(t *testing.T) {
	lock := "provider \"registry.terraform.io/hashicorp/null\" {\n  version = \"3.2.2\"\n}\n"
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"ci/planguard.hcl":      head + "lock_file = \"terraform.lock.hcl\"\nprotect \"r\" { types = [\"x\"] }\n",
		"ci/allowed_signers":    signer,
		"ci/terraform.lock.hcl": lock,
	})
	p, err := Load(filepath.Join(dir, "ci", "planguard.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if string(p.LockFile) != lock || p.LockFilePath != filepath.Join(dir, "ci", "terraform.lock.hcl") {
		t.Fatalf("lock file %q at %s", p.LockFile, p.LockFilePath)
	}
	files := p.TrustFiles()
	if len(files) != 2 || files[1].Name != "lock_file" {
		t.Fatalf("trust files = %+v", files)
	}
	before := p.Hash
	writeFiles(t, dir, map[string]string{"ci/terraform.lock.hcl": lock + "# changed\n"})
	p2, err := Load(filepath.Join(dir, "ci", "planguard.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if p2.Hash == before {
		t.Error("the policy hash does not cover the lock file")
	}
	writeFiles(t, dir, map[string]string{"ci/planguard.hcl": head + "lock_file = \"missing.hcl\"\nprotect \"r\" { types = [\"x\"] }\n"})
	if _, err := Load(filepath.Join(dir, "ci", "planguard.hcl")); err == nil || !strings.Contains(err.Error(), "read lock file") {
		t.Errorf("missing lock file: %v", err)
	}
}

func TestIDRules(t *testing.T) {
	p, err := Parse([]byte(head+`
protect "by-id" {
  ids = ["prod-db-*", "arn:aws:rds:*:db:legacy"]
}
protect "either" {
  types = ["aws_s3_bucket"]
  ids   = ["backups"]
  approvals = 2
}
`), "p.hcl")
	if err != nil {
		t.Fatal(err)
	}
	// An ids-only rule never matches by address or type.
	if rules := p.Match("terraform_data.prod_db", "terraform_data", "delete"); len(rules) != 0 {
		t.Errorf("ids-only rule matched by address: %v", names(rules))
	}
	if got := ruleNames(p.MatchID([]string{"prod-db-1"}, "delete")); got != "by-id" {
		t.Errorf("MatchID(prod-db-1) = %q", got)
	}
	if got := ruleNames(p.MatchID([]string{"x", "arn:aws:rds:eu-west-1:db:legacy"}, "forget")); got != "by-id" {
		t.Errorf("identity value match = %q", got)
	}
	if got := ruleNames(p.MatchID([]string{"backups"}, "replace")); got != "either" {
		t.Errorf("MatchID(backups) = %q", got)
	}
	if got := ruleNames(p.Match("aws_s3_bucket.logs", "aws_s3_bucket", "delete")); got != "either" {
		t.Errorf("type match of a rule with ids = %q", got)
	}
	if p.ProtectsID([]string{"staging-db-1", ""}) || !p.ProtectsID([]string{"prod-db-9"}) || !p.HasIDRules() {
		t.Error("ProtectsID/HasIDRules wrong")
	}
	if _, err := Parse([]byte(head+`protect "all" { ids = ["*"] }`+"\n"), "p.hcl"); err == nil || !strings.Contains(err.Error(), "matches every object") {
		t.Errorf(`ids = ["*"] accepted: %v`, err)
	}
}

// TestWrittenBy: written_by lists the other types that write the objects
// an ids rule protects; WrittenByType counts the object's own type and
// those, and nothing else.
func TestWrittenBy(t *testing.T) {
	p, err := Parse([]byte(head+"protect \"objs\" {\n  ids = [\"prod-bucket/*\"]\n  written_by = [\"aws_s3_bucket_object\", \"aws_s3_object_copy\"]\n}\nprotect \"db\" {\n  ids = [\"prod-db-*\"]\n}\n"), "p.hcl")
	if err != nil {
		t.Fatal(err)
	}
	objs := p.MatchID([]string{"prod-bucket/app.cfg"}, ActionDelete)
	if len(objs) != 1 || !slices.Equal(objs[0].WrittenBy, []string{"aws_s3_bucket_object", "aws_s3_object_copy"}) {
		t.Fatalf("rules %+v", objs)
	}
	for typ, want := range map[string]bool{"aws_s3_object": true, "aws_s3_bucket_object": true, "aws_s3_object_copy": true, "aws_s3_bucket": false, "aws_s3_object_copy2": false} {
		if got := WrittenByType(objs, "aws_s3_object", typ); got != want {
			t.Errorf("WrittenByType(%s) = %v", typ, got)
		}
	}
	if WrittenByType(p.MatchID([]string{"prod-db-1"}, ActionDelete), "aws_db_instance", "aws_s3_bucket_object") {
		t.Error("written_by of one rule applied to another rule's objects")
	}
}

func ruleNames(rules []*Rule) string {
	var s []string
	for _, r := range rules {
		s = append(s, r.Name)
	}
	return strings.Join(s, ",")
}

// TestRemoteStateBlocks: remote_state blocks, repeatable, each an exact
// allowance of one terraform_remote_state configuration, as the state
// block pins the plan's own backend.
func TestRemoteStateBlocks(t *testing.T) {
	p, err := Parse([]byte(head+`
remote_state {
  backend = "s3"
  config  = { bucket = "acme-tf", key = "network/terraform.tfstate" }
}
remote_state {
  backend   = "local"
  config    = { path = "/srv/state/dns.tfstate" }
  workspace = "dns"
}
protect "db" { types = ["terraform_data"] }
`), "p.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.RemoteStates) != 2 || p.RemoteStates[1].Workspace != "dns" {
		t.Fatalf("remote_states = %+v", p.RemoteStates)
	}
	for _, c := range []struct {
		backend, config, workspace string
		want                       int // index of the allowing block, -1 none
	}{
		{"s3", `{"bucket":"acme-tf","key":"network/terraform.tfstate"}`, "", 0},
		{"s3", `{"bucket":"acme-tf","key":"network/terraform.tfstate","profile":null}`, "default", 0},
		{"s3", `{"bucket":"acme-tf","key":"network/terraform.tfstate","profile":"x","shared_config_files":["aws.tf"]}`, "", -1},
		{"s3", `{"bucket":"acme-tf","key":"network/terraform.tfstate"}`, "dns", -1},
		{"local", `{"path":"/srv/state/dns.tfstate"}`, "dns", 1},
		{"local", `{"path":"/srv/state/dns.tfstate"}`, "", -1},
		{"gcs", `{"bucket":"acme-tf","key":"network/terraform.tfstate"}`, "", -1},
		{"s3", `{"bucket":"acme-tf"}`, "", -1},
	} {
		got, err := p.AllowingRemoteState(c.backend, []byte(c.config), c.workspace)
		if err != nil {
			t.Fatal(err)
		}
		if (c.want < 0) != (got == nil) || c.want >= 0 && got != p.RemoteStates[c.want] {
			t.Errorf("%s %s %q: allowed by %+v, want block %d", c.backend, c.config, c.workspace, got, c.want)
		}
	}
	if _, err := p.AllowingRemoteState("s3", []byte(`"x"`), ""); err == nil {
		t.Error("a configuration that is not an object")
	}
	none, _ := Parse([]byte(head+`protect "db" { types = ["terraform_data"] }`+"\n"), "p.hcl")
	if got, err := none.AllowingRemoteState("s3", []byte(`{}`), ""); got != nil || err != nil {
		t.Errorf("a policy without remote_state: %v %v", got, err)
	}
	if _, err := Parse([]byte(head+"remote_state {\n  config = {}\n}\n"+`protect "db" { types = ["x"] }`+"\n"), "p.hcl"); err == nil || !strings.Contains(err.Error(), `"backend" is required`) {
		t.Errorf("remote_state without backend: %v", err)
	}
}

// TestLocalPathWarning: a pin of the local backend with no path or a
// relative one is warned about (the directory planguard runs in may be the
// change's checkout); an absolute path, or another backend, is not.
func TestLocalPathWarning(t *testing.T) {
	for block, want := range map[string]string{
		`backend = "local"`: "with no path",
		`backend = "local"` + "\n" + `config = { path = "prod.tfstate" }`:   `relative path "prod.tfstate"`,
		`backend = "local"` + "\n" + `config = { path = "../s/p.tfstate" }`: `relative path "../s/p.tfstate"`,
		`backend = "local"` + "\n" + `config = { path = "/srv/p.tfstate" }`: "",
		`backend = "s3"` + "\n" + `config = { bucket = "b", key = "k" }`:    "",
	} {
		p, err := Parse([]byte(head+"state {\n"+block+"\n}\nprotect \"db\" { types = [\"terraform_data\"] }\n"), "p.hcl")
		if err != nil {
			t.Fatal(err)
		}
		got := p.State.LocalPathWarning()
		if want == "" {
			if got != "" {
				t.Errorf("%s: warning %q", block, got)
			}
			continue
		}
		if !strings.Contains(got, want) || !strings.Contains(got, "absolute path outside any checkout") || !strings.Contains(got, "p.hcl") {
			t.Errorf("%s: warning %q, want one with %q", block, got, want)
		}
	}
	var none *StatePin
	if none.LocalPathWarning() != "" {
		t.Error("no state block: a warning")
	}
}

// TestStatePinNestedNulls (review gate33 L1): Terraform records a nested
// backend object with its unset attributes as null; the pin names only the
// set ones and matches, while a nested setting the pin does not name (set,
// not null) is still a mismatch.
func TestStatePinNestedNulls(t *testing.T) {
	p, err := Parse([]byte(head+`
state {
  backend = "cloud"
  config  = { organization = "acme", workspaces = { name = "prod" } }
}
protect "db" { types = ["terraform_data"] }
`), "p.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.State.Check("cloud", []byte(`{"organization":"acme","hostname":null,"token":null,"workspaces":{"name":"prod","project":null,"tags":null}}`), "default"); err != nil {
		t.Errorf("nested nulls refused: %v", err)
	}
	for _, bad := range []string{
		`{"organization":"acme","workspaces":{"name":"prod","project":"other","tags":null}}`,
		`{"organization":"acme","workspaces":{"name":"staging","project":null}}`,
		`{"organization":"acme","workspaces":{"tags":["x"]}}`,
	} {
		if err := p.State.Check("cloud", []byte(bad), "default"); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
