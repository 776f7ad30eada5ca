package source

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"
)

const rootTF = `resource "terraform_data" "prod_db" {
  input = "a"
}

module "data" {
  source = "./modules/data"
}

action "aws_lambda_invoke" "notify" {
}
`

const moduleTF = `
resource "terraform_data" "inner" {
  count = 2
}
`

// The layout of a saved plan's snapshot, as Terraform 1.11 writes it:
// tfconfig/m-KEY/FILE and tfconfig/modules.json.
func writeSnapshot(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tfplan")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, src := range map[string]string{
		"tfplan":                 "binary",
		"tfconfig/m-/main.tf":    rootTF,
		"tfconfig/m-data/db.tf":  moduleTF,
		"tfconfig/m-data/x.json": `{"resource":{}}`,
		"tfconfig/modules.json":  `[{"Key":"","Dir":"."},{"Key":"data","Source":"./modules/data","Dir":"modules/data"}]`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(src))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

func TestFind(t *testing.T) {
	snap, err := FromSnapshot(writeSnapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "modules", "data"), 0o755)
	os.MkdirAll(filepath.Join(dir, ".terraform", "modules"), 0o755)
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(rootTF), 0o644)
	os.WriteFile(filepath.Join(dir, "modules", "data", "db.tf"), []byte(moduleTF), 0o644)
	os.WriteFile(filepath.Join(dir, ".terraform", "modules", "modules.json"), []byte(`{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"data","Source":"./modules/data","Dir":"modules/data"}]}`), 0o644)
	for name, ix := range map[string]Index{"snapshot": snap, "dir": FromDir(dir)} {
		for addr, want := range map[string]Location{
			"terraform_data.prod_db":                   {"main.tf", 1},
			`module.data.terraform_data.inner[1]`:      {"modules/data/db.tf", 2},
			"action.aws_lambda_invoke.notify":          {"main.tf", 9},
			`module.data["x"].terraform_data.inner[0]`: {"modules/data/db.tf", 2},
			"terraform_data.gone":                      {},
			"module.other.terraform_data.prod_db":      {},
			"not an address":                           {},
		} {
			got, ok := ix.Find(addr)
			if got != want || ok != (want.File != "") {
				t.Errorf("%s: %s at %v %v, want %v", name, addr, got, ok, want)
			}
		}
	}
	if _, err := FromSnapshot(filepath.Join(dir, "main.tf")); err == nil {
		t.Error("a .tf file read as a saved plan")
	}
}
