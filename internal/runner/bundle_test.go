package runner

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCollect(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "infra")
	for _, p := range []string{"main.tf", "vars.tf.json", "prod.tfvars", "x.auto.tfvars.json", lockFileName, "override.tf",
		"modules/db/main.tf", "modules/db/nested/n.tf",
		"README.md", "script.sh", ".terraformrc", "terraform.rc",
		".terraform/modules/m/main.tf", "terraform.d/plugins/x/main.tf", ".git/x.tf", "modules/.hidden/h.tf", "modules/db/.terraform.lock.hcl"} {
		content := "# " + p
		if strings.HasSuffix(p, ".json") {
			content = `{"_": "` + p + `"}` // the runner refuses a .tf.json file that is not JSON
		}
		write(t, filepath.Join(dir, p), content)
	}
	// A link inside the directory is sent as its content.
	if err := os.Symlink("main.tf", filepath.Join(dir, "linked.tf")); err != nil {
		t.Fatal(err)
	}
	files, err := Collect(dir, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
		if f.Path == "linked.tf" && string(f.Data) != "# main.tf" {
			t.Errorf("linked.tf sent as %q", f.Data)
		}
	}
	sort.Strings(got)
	want := []string{lockFileName, "linked.tf", "main.tf", "modules/db/main.tf", "modules/db/nested/n.tf", "override.tf", "prod.tfvars", "vars.tf.json", "x.auto.tfvars.json"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sent %v\nwant %v", got, want)
	}
	// What Collect sends, Materialize takes.
	if err := Materialize(t.TempDir(), files, DefaultLimits); err != nil {
		t.Errorf("Materialize refused what Collect sent: %v", err)
	}

	// A link out of the directory is an error, not skipped.
	write(t, filepath.Join(root, "secret.tf"), "# outside")
	if err := os.Symlink(filepath.Join(root, "secret.tf"), filepath.Join(dir, "escape.tf")); err != nil {
		t.Fatal(err)
	}
	if _, err := Collect(dir, DefaultLimits); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("a link out of the directory: %v", err)
	}
	os.Remove(filepath.Join(dir, "escape.tf"))
	// So is a link to a directory out of it, whatever its name.
	if err := os.Symlink(root, filepath.Join(dir, "modules", "shared")); err != nil {
		t.Fatal(err)
	}
	if _, err := Collect(dir, DefaultLimits); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("a link to a directory out of the directory: %v", err)
	}
	os.Remove(filepath.Join(dir, "modules", "shared"))

	small := DefaultLimits
	small.MaxFileBytes = 4
	if _, err := Collect(dir, small); err == nil || !strings.Contains(err.Error(), "more than the 4") {
		t.Errorf("size bound: %v", err)
	}
	small = DefaultLimits
	small.MaxFiles = 2
	if _, err := Collect(dir, small); err == nil {
		t.Error("file-count bound not enforced")
	}
	if _, err := Collect(t.TempDir(), DefaultLimits); err == nil {
		t.Error("an empty directory was sent")
	}
}

func TestMaterializeRefuses(t *testing.T) {
	ok := File{Path: "main.tf", Data: []byte("# ok")}
	for name, files := range map[string][]File{
		"parent":         {ok, {Path: "../x.tf"}},
		"inner parent":   {ok, {Path: "a/../../x.tf"}},
		"absolute":       {ok, {Path: "/etc/x.tf"}},
		"unclean":        {ok, {Path: "a//x.tf"}},
		"backslash":      {ok, {Path: `a\x.tf`}},
		"terraform.d":    {ok, {Path: "terraform.d/plugins/x.tf"}},
		"dot terraform":  {ok, {Path: ".terraform/x.tf"}},
		"hidden":         {ok, {Path: ".x/y.tf"}},
		"cli config":     {ok, {Path: ".terraformrc"}},
		"cli config 2":   {ok, {Path: "terraform.rc"}},
		"plugin binary":  {ok, {Path: "terraform-provider-aws"}},
		"nested lock":    {ok, {Path: "m/.terraform.lock.hcl"}},
		"bare suffix":    {ok, {Path: ".tf"}},
		"duplicate":      {ok, {Path: "main.tf"}},
		"case duplicate": {ok, {Path: "MAIN.tf"}},
		"no root config": {{Path: "modules/m/main.tf"}},
		"only tfvars":    {{Path: "x.tfvars"}},
		"file and dir":   {ok, {Path: "a.tf"}, {Path: "a.tf/b.tf"}},
		"too big":        {ok, {Path: "big.tf", Data: make([]byte, DefaultLimits.MaxFileBytes+1)}},
	} {
		if err := Materialize(t.TempDir(), files, DefaultLimits); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	many := make([]File, DefaultLimits.MaxFiles+1)
	for i := range many {
		many[i] = File{Path: strings.Repeat("a", i%7+1) + string(rune('a'+i%26)) + ".tf"}
	}
	if err := Materialize(t.TempDir(), many, DefaultLimits); err == nil {
		t.Error("too many files accepted")
	}
	// Nothing a client sends becomes a link: an existing link is not followed.
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "victim")
	if err := os.Symlink(target, filepath.Join(dir, "main.tf")); err != nil {
		t.Fatal(err)
	}
	if err := Materialize(dir, []File{ok}, DefaultLimits); err == nil {
		t.Error("wrote through a link")
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("the link's target was created")
	}
}
