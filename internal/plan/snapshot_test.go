package plan

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeZip(t *testing.T, files map[string]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "plan.tfplan")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

func TestSnapshotRemovedProvisioners(t *testing.T) {
	plain := `resource "terraform_data" "x" {
  provisioner "local-exec" { command = "echo" }
}
removed {
  from = terraform_data.y
  lifecycle { destroy = true }
}
`
	withProv := `removed {
  from = terraform_data.y
  provisioner "local-exec" {
    when    = destroy
    command = "rm -rf /"
  }
}
`
	for name, c := range map[string]struct {
		files map[string]string
		want  bool
	}{
		"none":               {map[string]string{"tfplan": "x", "tfconfig/m-/main.tf": plain, "tfconfig/modules.json": "{}", "tfconfig/m-a/x.tofu": plain}, false},
		"in the root":        {map[string]string{"tfconfig/m-/main.tf": plain, "tfconfig/m-/removed.tf": withProv}, true},
		"in a module":        {map[string]string{"tfconfig/m-/main.tf": plain, "tfconfig/m-a.b/main.tf": withProv}, true},
		"in a .tofu file":    {map[string]string{"tfconfig/m-/main.tofu": withProv}, true},
		"a JSON-syntax file": {map[string]string{"tfconfig/m-/main.tf": plain, "tfconfig/m-/x.tf.json": `{}`}, true},
		"an unknown file":    {map[string]string{"tfconfig/m-/main.tf": plain, "tfconfig/m-/x.tftest.hcl": ``}, true},
		"a file not parsing": {map[string]string{"tfconfig/m-/main.tf": `removed {`}, true},
		"no configuration":   {map[string]string{"tfplan": "x"}, true},
		"nested too deep":    {map[string]string{"tfconfig/m-/main.tf": plain + "locals {\n  x = " + strings.Repeat("[", 1<<18) + strings.Repeat("]", 1<<18) + "\n}\n"}, true},
	} {
		if got := snapshotMayRunRemovedProvisioners(writeZip(t, c.files)); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	if !snapshotMayRunRemovedProvisioners(filepath.Join(t.TempDir(), "missing")) {
		t.Error("a missing archive must count as may-run")
	}

	p := &Plan{Provisions: []ProvisionerRun{{Address: "a", Provisioner: Provisioner{Type: TypeRemovedBlock}}, {Address: "b", Provisioner: Provisioner{Type: "local-exec"}}}}
	pruneRemovedBlockRuns(p, writeZip(t, map[string]string{"tfconfig/m-/main.tf": withProv}))
	if len(p.Provisions) != 2 {
		t.Errorf("pruned despite a removed provisioner: %+v", p.Provisions)
	}
	pruneRemovedBlockRuns(p, writeZip(t, map[string]string{"tfconfig/m-/main.tf": plain}))
	if len(p.Provisions) != 1 || p.Provisions[0].Address != "b" {
		t.Errorf("not pruned: %+v", p.Provisions)
	}
}
