package e2e

// What the room's terraform reads of the configuration snapshot when it
// loads it (issue 16, review gate30 F2). planguard apply, and check under
// lock_file, build a room from the saved plan's own snapshot and run
// `terraform init` and `show` there, with the job's credentials around,
// before the gate decides. The snapshot is the change author's (a plan file
// is easy to edit, and OpenTofu 1.8+ plans such configurations itself):
//
//   - a required_providers entry from a host the plan's lock file does not
//     lock made the room's init connect to that host (reproduced on
//     Terraform 1.8.5 and 1.11.4 and OpenTofu 1.6.2 against a listener);
//   - OpenTofu 1.8+ evaluates variables, locals and functions in module
//     sources and versions, backend blocks, provider for_each and child
//     modules' const variables as it loads the configuration:
//     source = "./${local.k}" with local.k = file("/proc/self/environ")
//     reads the job's environment at init and prints it in the error;
//   - file() anywhere is evaluated again by the apply.
//
// Each is refused with exit 2 before any terraform command runs (a
// wrapper standing for terraform records every run: none), while a literal
// configuration (a local module, a remote module source written as a
// literal, which the room's init -get=false never fetches) is applied.

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestRoomLoadTimeTerraform(t *testing.T) {
	roomLoadTime(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestRoomLoadTimeOpenTofu(t *testing.T) {
	roomLoadTime(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func TestRoomLoadTimeTerraformLatest(t *testing.T) {
	roomLoadTime(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

// editSnapshot writes to dst the saved plan src with the entries of edits
// replaced or added (entry name to content).
func editSnapshot(t *testing.T, src, dst string, edits map[string]string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	done := map[string]bool{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := edits[f.Name]; ok {
			data, done[f.Name] = []byte(s), true
		}
		hdr := f.FileHeader
		w, err := zw.CreateHeader(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	for name, s := range edits {
		if done[name] {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// listener counts the connections made to a local port.
type listener struct {
	addr string
	n    atomic.Int64
}

func newListener(t *testing.T) *listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	l := &listener{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.n.Add(1)
			_ = c.Close()
		}
	}()
	return l
}

func roomLoadTime(t *testing.T, tf string) {
	l := newPinLab(t, tf)
	l.trustLock()
	// The job's CLI configuration as people write it: the reviewed
	// provider from the mirror, anything else from its registry.
	writeFile(t, l.rc, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [%q]\n  }\n  direct {\n    exclude = [%q]\n  }\n}\n",
		l.mirror, testbin.TestObjSource, testbin.TestObjSource))
	module := "module \"m\" {\n  source = \"./m\"\n}\n"
	prod := l.dir("prod", localBackend(l.prodState)+object("db", l.prodObj)+module)
	if err := os.MkdirAll(filepath.Join(prod.dir, "m"), 0o755); err != nil {
		t.Fatal(err)
	}
	prod.write("m/main.tf", "resource \"terraform_data\" \"x\" {\n  input = \"x\"\n}\n")
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	writeFile(t, l.policy, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n}\n"+
		fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\nlock_file = \"trusted.lock.hcl\"\n", l.prodState))

	// The change: one more object, planned against the pinned state.
	change := objRequired + localBackend(l.prodState) + object("db", l.prodObj) + module + "resource \"terraform_data\" \"new\" {\n  input = \"new\"\n}\n"
	prod.write("main.tf", change)
	prod.plan()
	plan := filepath.Join(prod.dir, "tfplan")

	// A stand-in for terraform that records each run.
	runs := filepath.Join(l.root, "terraform-runs")
	wrapper := filepath.Join(l.root, "terraform-wrapper")
	writeFile(t, wrapper, fmt.Sprintf("#!/bin/sh\necho \"$*\" >> %q\nexec %q \"$@\"\n", runs, tf))
	if err := os.Chmod(wrapper, 0o755); err != nil {
		t.Fatal(err)
	}
	pg := func(args ...string) (int, string) {
		t.Helper()
		w := *prod
		w.env = append(append([]string(nil), prod.env...), "PLANGUARD_TERRAFORM="+wrapper)
		_ = os.Remove(runs)
		return w.run(filepath.Join(binDir, "planguard"), args...)
	}
	ran := func() string {
		b, err := os.ReadFile(runs)
		if os.IsNotExist(err) {
			return ""
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	net := newListener(t)

	for _, tc := range []struct {
		name  string
		edits map[string]string
		want  string
	}{
		{"module source from a file", map[string]string{"tfconfig/m-/main.tf": strings.Replace(change, "source = \"./m\"", "source = \"./${local.k}\"", 1) + "locals {\n  k = file(\"/proc/self/environ\")\n}\n"},
			"module \"m\" source is not a literal string"},
		{"module version from a local", map[string]string{"tfconfig/m-/main.tf": strings.Replace(change, "source = \"./m\"", "source = \"./m\"\n  version = local.v", 1)},
			"module \"m\" version is not a literal string"},
		{"backend from a local", map[string]string{"tfconfig/m-/backend_override.tf": "terraform {\n  backend \"local\" {\n    path = local.p\n  }\n}\n"},
			"backend_override.tf:3,5-19: a setting of the terraform block's backend \"local\" is not a literal"},
		{"provider for_each", map[string]string{"tfconfig/m-/providers.tf": "provider \"planguardtest\" {\n  alias    = \"each\"\n  for_each = local.m\n}\n"},
			"provider \"planguardtest\" for_each is not a literal"},
		{"const variable of a child module", map[string]string{"tfconfig/m-m/vars.tf": "variable \"k\" {\n  const = true\n}\n"},
			"variable \"k\" const is set in a child module"},
		{"provider from another host", map[string]string{"tfconfig/m-m/versions.tf": fmt.Sprintf("terraform {\n  required_providers {\n    evil = {\n      source = \"%s/x/evil\"\n    }\n  }\n}\n", net.addr)},
			"requires provider(s) its lock file does not lock: " + net.addr + "/x/evil (m/versions.tf)"},
		{"file read", map[string]string{"tfconfig/m-/main.tf": strings.Replace(change, "input = \"new\"", "input = file(\"/proc/self/environ\")", 1)},
			"terraform_data.new calls file at main.tf:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edited := filepath.Join(l.root, "edited.tfplan")
			editSnapshot(t, plan, edited, tc.edits)
			for _, cmd := range [][]string{{"check", "--policy=" + l.policy, edited}, {"apply", "--policy=" + l.policy, edited, "--", "-no-color"}} {
				code, out := pg(cmd...)
				if code != 2 || !strings.Contains(out, tc.want) {
					t.Errorf("planguard %s: exit %d, want 2 with %q\n%s", cmd[0], code, tc.want, out)
				}
				if r := ran(); r != "" {
					t.Errorf("planguard %s ran terraform before refusing:\n%s", cmd[0], r)
				}
			}
		})
	}
	if n := net.n.Load(); n != 0 {
		t.Errorf("%d connection(s) to the provider host the snapshot named", n)
	}
	if !l.exists(l.prodObj) {
		t.Fatal("the production object is gone")
	}

	// Literal settings pass: a remote module source written as a literal
	// (with the manifest to match) is a label; the room never fetches it.
	remote := "git::http://" + net.addr + "/m.git?ref=v1"
	literal := filepath.Join(l.root, "literal.tfplan")
	manifest := readZipEntry(t, plan, "tfconfig/modules.json")
	if !strings.Contains(manifest, `"Source": "./m"`) {
		t.Fatalf("unexpected module manifest: %s", manifest)
	}
	editSnapshot(t, plan, literal, map[string]string{
		"tfconfig/m-/main.tf":   strings.Replace(change, "source = \"./m\"", "source = \""+remote+"\"", 1),
		"tfconfig/modules.json": strings.Replace(manifest, `"Source": "./m"`, `"Source": "`+remote+`"`, 1),
	})
	before := net.n.Load()
	code, out := pg("check", "--policy="+l.policy, literal)
	if code != 0 || !strings.Contains(ran(), "show") {
		t.Errorf("check of literal settings: exit %d (terraform runs %q)\n%s", code, ran(), out)
	}
	code, out = pg("apply", "--policy="+l.policy, literal, "--", "-no-color")
	if code != 0 || !strings.Contains(out, "terraform_data.new: Creation complete") {
		t.Errorf("apply of literal settings: exit %d\n%s", code, out)
	}
	if n := net.n.Load() - before; n != 0 {
		t.Errorf("the room fetched the remote module source (%d connection(s))", n)
	}
}

// readZipEntry is the content of the entry name of the zip file p.
func readZipEntry(t *testing.T, p, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = zr.Close() }()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = rc.Close() }()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s has no entry %s", p, name)
	return ""
}
