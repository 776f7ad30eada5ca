package plan

import (
	"archive/zip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSnapshotProviderDynamics: every provider block of a snapshot with a
// dynamic block, native or JSON syntax, in the root or a module, is a
// provider command that cannot be read; so is a configuration file that
// does not parse; a provider block without one, and a dynamic block
// outside provider blocks, are nothing.
func TestSnapshotProviderDynamics(t *testing.T) {
	p := filepath.Join(t.TempDir(), "tfplan")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, src := range map[string]string{
		"tfconfig/modules.json": `[]`,
		"tfconfig/m-/main.tf": `provider "kubernetes" {
  host = "x"
  dynamic "exec" {
    for_each = [1]
    content { command = "sh" }
  }
}
provider "aws" {
  alias = "west"
  assume_role { role_arn = "x" }
}
resource "terraform_data" "x" {
  dynamic "foo" {
    for_each = []
    content {}
  }
}
`,
		"tfconfig/m-a.b/helm.tf.json": `{"provider":{"helm":[{"alias":"h","kubernetes":{"dynamic":{"exec":{"for_each":[1],"content":{"command":"sh"}}}}}]}}`,
		"tfconfig/m-a/bad.tf":         `provider "x" {`,
		"tfconfig/m-a/README.md":      `not configuration`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(src)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got := snapshotProviderDynamics(p)
	want := []ProviderCommand{
		{Name: "kubernetes", Provider: "kubernetes", Setting: `dynamic "exec"`, Unreadable: []string{dynamicSetting}},
		{Name: "module.a.module.b:helm", Provider: "helm", Setting: "kubernetes.dynamic", Unreadable: []string{dynamicSetting}},
		{Name: "module.a:(bad.tf)", Setting: "configuration file", Unreadable: []string{"tfconfig/m-a/bad.tf: does not parse, so its provider blocks cannot be read"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
}

// TestJSONProviderDynamicsDuplicates: a .tf.json file is read as
// Terraform reads it (HCL's JSON parser), and a duplicate key is refused
// outright. Found by an attacker's review: encoding/json kept only the
// last "provider" property, an empty one, while Terraform read both and
// configured the provider with the first one's dynamic exec block.
func TestJSONProviderDynamicsDuplicates(t *testing.T) {
	const dyn = `{"planguardtest":{"dynamic":{"exec":{"for_each":["x"],"content":{"command":"sh"}}}}}`
	for _, src := range []string{
		`{"provider":` + dyn + `,"provider":{}}`,
		`{"provider":{},"provider":` + dyn + `}`,
		`{"provider":{"planguardtest":{"host":"a","host":"b"}}}`,
		`{"resource":{},"resource":{}}`,
		`{"provider":` + dyn + `} {}`,
		`{"provider":` + strings.Repeat(`{"a":`, 600) + `1` + strings.Repeat(`}`, 600) + `}`,
	} {
		if found, err := jsonProviderDynamics([]byte(src), "main.tf.json"); err == nil {
			t.Errorf("%s: read as %+v", src, found)
		}
	}
	// HCL's JSON forms of provider blocks: an array of bodies, an array of
	// provider objects, a block under an escaped key.
	for _, src := range []string{
		`{"provider":[` + dyn + `]}`,
		`{"provider":{"planguardtest":[{"alias":"a"},{"dynamic":{"exec":{}}}]}}`,
		`{"provider":{"planguardtest":{"dyn\u0061mic":{"exec":{}}}}}`,
		`{"//":"x","provider":{"planguardtest":{"exec":[{"dynamic":{"env":{}}}]}}}`,
	} {
		found, err := jsonProviderDynamics([]byte(src), "main.tf.json")
		if err != nil || len(found) != 1 || found[0].Name != "planguardtest" {
			t.Errorf("%s: %+v %v", src, found, err)
		}
	}
}
