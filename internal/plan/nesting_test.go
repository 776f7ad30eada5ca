package plan

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/planfile"
	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// deepSnapshot is a configuration file nested 100000 levels deep, by
// operators (which no count of brackets sees) and by brackets.
var deepSnapshot = map[string]string{
	"operators": "locals {\n  x = " + strings.Repeat("!", 100000) + "true\n}\n",
	"brackets":  "locals {\n  x = " + strings.Repeat(`["]", `, 100000) + "\n}\n",
}

// TestSnapshotReadersRefuseDeepNesting: the readers of a saved plan's
// configuration snapshot take a file nested too deeply as one that does
// not parse (so the plan blocks) rather than overflow the stack.
func TestSnapshotReadersRefuseDeepNesting(t *testing.T) {
	for name, src := range deepSnapshot {
		zipPath := writeZip(t, map[string]string{"tfconfig/m-/main.tf": src})
		if !snapshotMayRunRemovedProvisioners(zipPath) {
			t.Errorf("%s: taken as a snapshot without removed provisioners", name)
		}
		got := snapshotProviderDynamics(zipPath)
		if len(got) != 1 || !strings.Contains(strings.Join(got[0].Unreadable, " "), "does not parse") {
			t.Errorf("%s: %+v", name, got)
		}
	}
}

// TestReadSavedPlanRefusesDeepSnapshot: a real saved plan whose snapshot
// gains a file nested 100000 levels deep is refused (exit 2: ErrMalformed)
// with the file named, before terraform show or any reader parses it.
func TestReadSavedPlanRefusesDeepSnapshot(t *testing.T) {
	bin := testbin.Tool(t, "TERRAFORM_BIN", "terraform")
	dir := t.TempDir()
	writeFile(t, dir, "main.tf", []byte("resource \"terraform_data\" \"x\" {\n  input = \"a\"\n}\n"), 0o644)
	runTool(t, dir, bin, "init", "-input=false", "-no-color")
	runTool(t, dir, bin, "plan", "-input=false", "-no-color", "-out=saved.tfplan")
	for name, src := range deepSnapshot {
		edited := filepath.Join(t.TempDir(), "edited.tfplan")
		addToZip(t, filepath.Join(dir, "saved.tfplan"), edited, "tfconfig/m-/deep.tf", src)
		_, err := Read(edited, Options{TerraformBin: bin, Dir: dir, Env: toolEnv(t)})
		if !errors.Is(err, planfile.ErrMalformed) || !strings.Contains(err.Error(), "tfconfig/m-/deep.tf: ") || !strings.Contains(err.Error(), "nested more than 512 levels deep") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// addToZip copies the zip file from to to, adding one entry.
func addToZip(t *testing.T, from, to, name, content string) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, e := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
