package e2e

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Found by an attacker's review: the configuration snapshot in
// a saved plan (tfconfig/ in its zip) is not what the apply uses for moves:
// a destroy plan applied the moved blocks in its refresh, and the plan's
// prior state already holds the object under its new address. An actor
// who hands the gate a plan file it made (the agent hook, planguard apply
// of a file from elsewhere) deletes the moved block from tfconfig/; the
// gate then sees no moved block and judges the delete under the new,
// unprotected address only, and terraform apply of the edited plan still
// destroys the object.

func TestDestroyModeEditedSnapshotTerraform(t *testing.T) {
	destroyModeEditedSnapshot(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestDestroyModeEditedSnapshotOpenTofu(t *testing.T) {
	destroyModeEditedSnapshot(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func TestDestroyModeEditedSnapshotTerraformLatest(t *testing.T) {
	destroyModeEditedSnapshot(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

// dropMoved rewrites the saved plan at path with every moved block removed
// from the .tf files of its configuration snapshot.
func dropMoved(t *testing.T, path string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	edited := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		src, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(f.Name, "tfconfig/") && strings.HasSuffix(f.Name, ".tf") {
			for {
				i := strings.Index(string(src), "moved {")
				if i < 0 {
					break
				}
				j := strings.Index(string(src[i:]), "}\n")
				src = append(src[:i:i], src[i+j+2:]...)
				edited = true
			}
		}
		hdr := f.FileHeader
		w, err := zw.CreateHeader(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(src); err != nil {
			t.Fatal(err)
		}
	}
	_ = zr.Close()
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !edited {
		t.Fatal("no moved block in the saved plan's configuration snapshot")
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func destroyModeEditedSnapshot(t *testing.T, tf string) {
	w, pol, dbID := destroyWorld(t, tf, movesPolicy)
	w.write("main.tf", "moved {\n  from = terraform_data.prod_db\n  to   = terraform_data.junk\n}\n"+strings.Replace(movesBase, "\"prod_db\"", "\"junk\"", 1))
	w.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan", "-destroy", "-target=terraform_data.junk", "-target=terraform_data.prod_db")
	dropMoved(t, filepath.Join(w.dir, "tfplan"))
	// The gate's judgement, under the policy without its state block: the
	// pin refuses this plan before (exit 2; its state before the refresh has
	// the move applied); planguard apply runs under the pin.
	code, out := w.run(filepath.Join(binDir, "planguard"), "check", unpinnedPolicy(t, pol), "tfplan")
	if code != 1 {
		t.Errorf("check of an edited destroy plan that destroys the moved database: exit %d, want 1\n%s", code, out)
	}
	code, out = w.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
	st, _ := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if code == 0 || !strings.Contains(string(st), dbID) {
		t.Fatalf("planguard apply destroyed the protected database %s (exit %d):\n%s", dbID, code, out)
	}
}
