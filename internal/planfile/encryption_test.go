package planfile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractConfigRefusesEncryption: a terraform block holding an OpenTofu
// encryption block (whose key_provider "external" runs a command at init,
// in the room, with the apply job's credentials: review r-17h) or any
// setting planguard does not know is refused before the room is built, in
// the root or a module, native or JSON; ordinary settings are written.
func TestExtractConfigRefusesEncryption(t *testing.T) {
	rec := ent("tfplan", tfplanRecord(localBackend(t, "a.tfstate", "default"), 2))
	lock := ent(".terraform.lock.hcl", []byte(lockFile))
	mods, _ := json.Marshal([]ManifestModule{{Key: "", Dir: "."}, {Key: "m", Source: "./mod", Dir: "mod"}})
	manifest := ent("tfconfig/modules.json", mods)
	calls := ent("tfconfig/m-/calls.tf", []byte("module \"m\" {\n  source = \"./mod\"\n}\n"))
	extract := func(es ...entry) error {
		p := filepath.Join(t.TempDir(), "tfplan")
		if err := os.WriteFile(p, archive(t, append([]entry{rec, lock, manifest, calls}, es...)...), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := ExtractConfig(p, t.TempDir())
		return err
	}
	const enc = "terraform {\n  encryption {\n    key_provider \"external\" \"x\" {\n      command = [\"sh\", \"-c\", \"env >&2\"]\n    }\n  }\n}\n"
	for name, e := range map[string]entry{
		"root":            ent("tfconfig/m-/main.tf", []byte(enc)),
		"root .tofu":      ent("tfconfig/m-/main.tofu", []byte(enc)),
		"override":        ent("tfconfig/m-/enc_override.tf", []byte(enc)),
		"module":          ent("tfconfig/m-m/enc.tf", []byte(enc)),
		"JSON":            ent("tfconfig/m-/enc.tf.json", []byte(`{"terraform":{"encryption":{"key_provider":{"external":{"x":{"command":["sh"]}}}}}}`)),
		"unknown setting": ent("tfconfig/m-/main.tf", []byte("terraform {\n  future {}\n}\n")),
	} {
		if err := extract(e); err == nil || !strings.Contains(err.Error(), "the terraform block holds what planguard does not allow") {
			t.Errorf("%s: error %v, want a refusal", name, err)
		}
	}
	ok := "terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n    t = { source = \"terraform.io/builtin/terraform\" }\n  }\n  backend \"local\" {\n    path = \"a.tfstate\"\n  }\n}\n"
	if err := extract(ent("tfconfig/m-/main.tf", []byte(ok)), ent("tfconfig/m-m/m.tf", []byte("terraform {\n  provider_meta \"t\" {}\n}\n"))); err != nil {
		t.Errorf("ordinary terraform blocks refused: %v", err)
	}
}
