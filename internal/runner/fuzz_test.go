package runner

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRequest: no request line makes the runner panic, and no file a
// request names is written outside the plan's directory, or as anything
// but a regular file under a name the runner accepts.
func FuzzRequest(f *testing.F) {
	f.Add([]byte(`{"version":1,"op":"plan","files":[{"path":"main.tf","data":"eA=="},{"path":"m/a.tf","data":""}]}` + "\n"))
	f.Add([]byte(`{"version":1,"op":"plan","files":[{"path":"../x.tf","data":""}]}` + "\n"))
	f.Add([]byte(`{"version":1,"op":"apply","plan_id":"0123456789abcdef0123456789abcdef","approvals":["e30="]}` + "\n"))
	f.Add([]byte(`{"version":1,"op":"plan","files":[{"path":"main.tf","data":""},{"path":"main.tf/x.tf","data":""}]}` + "\n"))
	f.Fuzz(func(t *testing.T, line []byte) {
		req, err := readRequest(bytes.NewReader(line))
		if err != nil || req.Op != OpPlan {
			return
		}
		root := t.TempDir()
		dir := filepath.Join(root, "config")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := Materialize(dir, req.Files, DefaultLimits); err != nil {
			return
		}
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, p)
			if p == root || p == dir {
				return nil
			}
			if rel == ".." || strings.HasPrefix(rel, "../") {
				t.Fatalf("%s written outside the directory", p)
			}
			if d.IsDir() {
				return nil
			}
			if !d.Type().IsRegular() {
				t.Fatalf("%s is not a regular file", rel)
			}
			if !isWanted(filepath.ToSlash(rel)) {
				t.Fatalf("%s written, a name the runner refuses", rel)
			}
			return nil
		})
	})
}
