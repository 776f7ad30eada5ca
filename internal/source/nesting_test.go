package source

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeepNestingIsNotRead: a file nested 100000 levels deep is one this
// package cannot read (no location from it), not a stack overflow; the
// other files are still indexed.
func TestDeepNestingIsNotRead(t *testing.T) {
	deep := "resource \"terraform_data\" \"deep\" {\n  input = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n}\n"
	dir := t.TempDir()
	for name, src := range map[string]string{"main.tf": rootTF, "deep.tf": deep} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix := FromDir(dir)
	if _, ok := ix["terraform_data.deep"]; ok {
		t.Error("indexed the deep file")
	}
	if _, ok := ix["terraform_data.prod_db"]; !ok {
		t.Errorf("the other file was not indexed: %v", ix)
	}

	p := filepath.Join(t.TempDir(), "tfplan")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, src := range map[string]string{"tfconfig/m-/main.tf": rootTF, "tfconfig/m-/deep.tf": deep, "tfconfig/modules.json": `[{"Key":"","Dir":"."}]`} {
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
	ix, err = FromSnapshot(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ix["terraform_data.deep"]; ok || len(ix) == 0 {
		t.Errorf("snapshot index: %v", ix)
	}
}
