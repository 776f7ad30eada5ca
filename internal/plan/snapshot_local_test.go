package plan

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// writeOrderedSnapshot writes a zip holding files ({name, content}) in
// that order and returns its path: the order of a snapshot's entries is
// not the order Terraform loads a module's files in.
func writeOrderedSnapshot(t *testing.T, files [][2]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tfplan")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range files {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func requiredProvidersTF(entries string) string {
	return "terraform {\n  required_providers {\n    " + entries + "\n  }\n}\n"
}

// localUse is a configuration file that uses the local name p: a provider
// function call (line 1) and an ephemeral block (line 2).
const localUse = "output \"o\" { value = provider::p::run(1) }\nephemeral \"p_thing\" \"e\" {}\n"

// providersOf returns the Provider (and Implied) of each provider function
// call and ephemeral block, and the unreadable findings, of a snapshot.
func providersOf(t *testing.T, got []ConfigCode) (provider map[string]string, implied map[string]bool, unreadable []ConfigCode) {
	t.Helper()
	provider, implied = map[string]string{}, map[string]bool{}
	for _, c := range got {
		switch c.Kind {
		case CodeProviderFunction, CodeEphemeral:
			provider[c.Kind] = c.Provider
			implied[c.Kind] = c.Implied
		case CodeUnreadable:
			unreadable = append(unreadable, c)
		}
	}
	return provider, implied, unreadable
}

// TestSnapshotCodeLocalNames: the CI gate's snapshot reader resolves a
// local provider name as Terraform does and as the runner does
// (internal/tfsource): an override file's required_providers entry
// replaces a primary file's whole, whatever the order of the zip's
// entries; a source is normalized by Terraform's library (IDNA mapping,
// case); a source without a host is on the default registry, the plan's
// provider when it has one there.
func TestSnapshotCodeLocalNames(t *testing.T) {
	manifest := [2]string{"tfconfig/modules.json", `[{"Key":"","Dir":"."}]`}
	primary := [2]string{"tfconfig/m-/main.tf", requiredProvidersTF(`p = { source = "example.com/acme/evil" }`)}
	use := [2]string{"tfconfig/m-/use.tf", localUse}
	for _, c := range []struct {
		name      string
		files     [][2]string
		providers []string
		want      string
		implied   bool
	}{
		{name: "override file after the primary in the zip", files: [][2]string{manifest, primary, use,
			{"tfconfig/m-/a_override.tf", requiredProvidersTF(`p = { source = "example.com/acme/good" }`)}},
			want: "example.com/acme/good"},
		{name: "override file before the primary in the zip", files: [][2]string{manifest,
			{"tfconfig/m-/a_override.tf", requiredProvidersTF(`p = { source = "example.com/acme/good" }`)}, use, primary},
			want: "example.com/acme/good"},
		{name: "override.tf.json", files: [][2]string{manifest,
			{"tfconfig/m-/override.tf.json", `{"terraform": {"required_providers": {"p": {"source": "example.com/acme/good"}}}}`}, use, primary},
			want: "example.com/acme/good"},
		{name: "later override file wins", files: [][2]string{manifest,
			{"tfconfig/m-/b_override.tf", requiredProvidersTF(`p = { source = "example.com/acme/good" }`)},
			{"tfconfig/m-/a_override.tf", requiredProvidersTF(`p = { source = "example.com/acme/other" }`)}, use, primary},
			want: "example.com/acme/good"},
		{name: "primary file named after the override file", files: [][2]string{manifest,
			{"tfconfig/m-/override.tf", requiredProvidersTF(`p = { source = "example.com/acme/good" }`)}, use,
			{"tfconfig/m-/z.tf", requiredProvidersTF(`p = { source = "example.com/acme/evil" }`)}},
			want: "example.com/acme/good"},
		{name: "override entry replaces whole: a version alone is implied", files: [][2]string{manifest,
			{"tfconfig/m-/override.tf", requiredProvidersTF(`p = { version = "1.0" }`)}, use, primary},
			want: "registry.terraform.io/hashicorp/p", implied: true},
		{name: "fullwidth and upper case", files: [][2]string{manifest, use,
			{"tfconfig/m-/main.tf", requiredProvidersTF(`p = { source = "Example.COM/ＡCME/ｔestobj" }`)}},
			want: "example.com/acme/testobj"},
		{name: "fullwidth, no host, on the plan's OpenTofu registry", files: [][2]string{manifest, use,
			{"tfconfig/m-/main.tf", requiredProvidersTF(`p = { source = "ＨashiCorp/External" }`)}},
			providers: []string{"registry.opentofu.org/hashicorp/external"},
			want:      "registry.opentofu.org/hashicorp/external", implied: true},
		{name: "no host, not in the plan", files: [][2]string{manifest, use,
			{"tfconfig/m-/main.tf", requiredProvidersTF(`p = { source = "Acme/Cloud" }`)}},
			want: "registry.terraform.io/acme/cloud", implied: true},
		{name: "the built-in provider under another name", files: [][2]string{manifest, use,
			{"tfconfig/m-/main.tf", requiredProvidersTF(`p = { source = "Terraform.IO/BuiltIn/ｔerraform" }`)}},
			want: "terraform.io/builtin/terraform"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := snapshotCode(writeOrderedSnapshot(t, c.files), c.providers)
			provider, implied, unreadable := providersOf(t, got)
			if len(unreadable) > 0 {
				t.Fatalf("unreadable: %+v", unreadable)
			}
			for _, kind := range []string{CodeProviderFunction, CodeEphemeral} {
				if provider[kind] != c.want || implied[kind] != c.implied {
					t.Errorf("%s: provider %q (implied %v), want %q (implied %v)", kind, provider[kind], implied[kind], c.want, c.implied)
				}
			}
		})
	}
}

// TestSnapshotCodeLocalNamesRefused: what the runner's reading refuses
// (a key written twice, in native or JSON syntax, a source Terraform's
// library refuses, an unknown key, a local name declared twice in
// primary files, a .tf file OpenTofu replaces by a .tofu file) is an
// unreadable finding naming the file, which blocks.
func TestSnapshotCodeLocalNamesRefused(t *testing.T) {
	manifest := [2]string{"tfconfig/modules.json", `[{"Key":"","Dir":"."},{"Key":"m","Dir":"mod"}]`}
	use := [2]string{"tfconfig/m-m/use.tf", localUse}
	for _, c := range []struct {
		name  string
		files [][2]string
		file  string // the file the finding names
		why   string
	}{
		{name: "source written twice", files: [][2]string{manifest, use,
			{"tfconfig/m-m/main.tf", requiredProvidersTF(`p = { source = "example.com/acme/good", source = "example.com/acme/evil" }`)}},
			file: "mod/main.tf", why: "source is written twice"},
		{name: "source written twice in an override file", files: [][2]string{manifest, use,
			{"tfconfig/m-m/main.tf", requiredProvidersTF(`p = { source = "example.com/acme/good" }`)},
			{"tfconfig/m-m/x_override.tf", requiredProvidersTF(`p = { source = "example.com/acme/good", "source" = "example.com/acme/evil" }`)}},
			file: "mod/x_override.tf", why: "written twice"},
		{name: "version written twice", files: [][2]string{manifest, use,
			{"tfconfig/m-m/main.tf", requiredProvidersTF(`p = { source = "example.com/acme/good", version = "1", version = "2" }`)}},
			file: "mod/main.tf", why: "version is written twice"},
		{name: "JSON key written twice", files: [][2]string{manifest, use,
			{"tfconfig/m-m/main.tf.json", `{"terraform": {"required_providers": {"p": {"source": "example.com/acme/good", "source": "example.com/acme/evil"}}}}`}},
			file: "mod/main.tf.json", why: `the key "source" twice`},
		{name: "unknown key", files: [][2]string{manifest, use,
			{"tfconfig/m-m/main.tf", requiredProvidersTF(`p = { source = "example.com/acme/good", sauce = "x/y" }`)}},
			file: "mod/main.tf", why: "unknown key"},
		{name: "source the library refuses", files: [][2]string{manifest, use,
			{"tfconfig/m-m/main.tf", requiredProvidersTF(`p = { source = "acme/a/b/c" }`)}},
			file: "mod/main.tf", why: "not a provider source"},
		{name: "local name declared twice in primary files", files: [][2]string{manifest, use,
			{"tfconfig/m-m/a.tf", requiredProvidersTF(`p = { source = "example.com/acme/good" }`)},
			{"tfconfig/m-m/b.tf", requiredProvidersTF(`p = { source = "example.com/acme/evil" }`)}},
			file: "mod/b.tf", why: "again"},
		{name: "a .tf file and its .tofu file", files: [][2]string{manifest, use,
			{"tfconfig/m-m/main.tf", requiredProvidersTF(`p = { source = "example.com/acme/evil" }`)},
			{"tfconfig/m-m/main.tofu", requiredProvidersTF(`p = { source = "example.com/acme/good" }`)}},
			file: "mod/main.tf", why: "depends on the tool"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := snapshotCode(writeOrderedSnapshot(t, c.files), nil)
			_, _, unreadable := providersOf(t, got)
			if len(unreadable) != 1 || unreadable[0].File != c.file || unreadable[0].Address != "module.m" || !strings.Contains(unreadable[0].Unreadable, c.why) {
				t.Fatalf("got %+v, want one unreadable finding of module.m naming %s and %q", got, c.file, c.why)
			}
		})
	}
}

// TestSnapshotCodeModuleCallOverride: a child module's variable is set by
// the last module block (in load order) that sets it: an override file's
// argument replaces the primary file's.
func TestSnapshotCodeModuleCallOverride(t *testing.T) {
	manifest := [2]string{"tfconfig/modules.json", `[{"Key":"","Dir":"."},{"Key":"m","Dir":"mod"}]`}
	child := [2]string{"tfconfig/m-m/c.tf", "resource \"x_object\" \"c\" {\n  a = file(var.v)\n}\n"}
	for _, c := range []struct {
		name           string
		primary, overr string
		wantRefs       string
	}{
		{"override sets it from a resource", `v = "lit"`, `v = x_object.a.id`, "var.v (module.m sets it from x_object.a.id)"},
		{"override sets it to a literal", `v = x_object.a.id`, `v = "lit"`, ""},
		{"override leaves it", `v = x_object.a.id`, `other = "lit"`, "var.v (module.m sets it from x_object.a.id)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeOrderedSnapshot(t, [][2]string{manifest, child,
				{"tfconfig/m-/a_override.tf", "module \"m\" {\n  " + c.overr + "\n}\n"},
				{"tfconfig/m-/main.tf", "module \"m\" {\n  source = \"./mod\"\n  " + c.primary + "\n}\n"},
			})
			got := snapshotCode(p, nil)
			if len(got) != 1 || got[0].Kind != CodeFileRead || strings.Join(got[0].References, "; ") != c.wantRefs {
				t.Fatalf("got %+v, want one file read referring to %q", got, c.wantRefs)
			}
		})
	}
}

// TestSnapshotCodeLocalNamesRealPlan: real Terraform saved plans (the
// pinned version and the latest): an override file, sorted before the
// primary file, maps the local name p to the built-in provider with a
// source written in upper case and a fullwidth letter, where the primary
// file names another provider; Terraform runs the built-in provider's
// functions, and the gate attributes the call to it, whatever the order
// of the zip's entries. A source written twice, whose last Terraform
// keeps, is unreadable.
func TestSnapshotCodeLocalNamesRealPlan(t *testing.T) {
	for _, tool := range []struct{ env, name string }{{"PLANGUARD_TERRAFORM", "terraform"}, {"PLANGUARD_TERRAFORM_LATEST", "terraform-latest"}} {
		t.Run(tool.name, func(t *testing.T) {
			bin := testbin.Tool(t, tool.env, tool.name)
			for _, kv := range toolEnv(t) {
				if k, v, ok := strings.Cut(kv, "="); ok && (strings.HasPrefix(k, "TF_") || k == "CHECKPOINT_DISABLE") {
					t.Setenv(k, v)
				}
			}

			dir := t.TempDir()
			writeFile(t, dir, "main.tf", []byte(requiredProvidersTF(`p = { source = "example.com/planguard/testobj" }`)+
				"output \"x\" {\n  value = provider::p::encode_expr(\"a\")\n}\n"), 0o644)
			writeFile(t, dir, "a_override.tf", []byte(requiredProvidersTF(`p = { source = "Terraform.IO/BuiltIn/ｔerraform" }`)), 0o644)
			runTool(t, dir, bin, "init", "-input=false", "-no-color")
			runTool(t, dir, bin, "plan", "-input=false", "-no-color", "-out=saved.tfplan")
			planPath := filepath.Join(dir, "saved.tfplan")
			p, err := Read(planPath, Options{TerraformBin: bin, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			const builtin = "terraform.io/builtin/terraform"
			check := func(what string, got []ConfigCode) {
				t.Helper()
				var calls []ConfigCode
				for _, c := range got {
					if c.Kind == CodeUnreadable {
						t.Errorf("%s: unreadable %+v", what, c)
					}
					if c.Kind == CodeProviderFunction {
						calls = append(calls, c)
					}
				}
				if len(calls) != 1 || calls[0].Provider != builtin || calls[0].Implied || calls[0].File != "main.tf" || calls[0].Line != 7 {
					t.Errorf("%s: provider function calls %+v, want one of %s at main.tf:7", what, calls, builtin)
				}
			}
			check("Read", p.ConfigCode)
			check("entries reversed", snapshotCode(reversedEntries(t, planPath), p.Providers))

			// A source written twice: Terraform keeps the last.
			dir2 := t.TempDir()
			writeFile(t, dir2, "main.tf", []byte(requiredProvidersTF(`p = { source = "example.com/planguard/testobj", source = "terraform.io/builtin/terraform" }`)+
				"output \"x\" {\n  value = provider::p::encode_expr(\"a\")\n}\n"), 0o644)
			runTool(t, dir2, bin, "init", "-input=false", "-no-color")
			runTool(t, dir2, bin, "plan", "-input=false", "-no-color", "-out=saved.tfplan")
			p2, err := Read(filepath.Join(dir2, "saved.tfplan"), Options{TerraformBin: bin, Dir: dir2})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, c := range p2.ConfigCode {
				found = found || c.Kind == CodeUnreadable && c.File == "main.tf" && strings.Contains(c.Unreadable, "source is written twice")
			}
			if !found {
				t.Errorf("source written twice: %+v, want an unreadable finding naming main.tf", p2.ConfigCode)
			}
		})
	}
}

// reversedEntries copies the zip at src with its entries in reverse order.
func reversedEntries(t *testing.T, src string) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	var files [][2]string
	for i := len(zr.File) - 1; i >= 0; i-- {
		rc, err := zr.File[i].Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, [2]string{zr.File[i].Name, string(b)})
	}
	return writeOrderedSnapshot(t, files)
}
