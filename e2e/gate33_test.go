package e2e

// Attacker review gate33 of issue 16, as tests (real plans, planguard
// check and apply; objects are files whose id is their path, unknown at
// plan):
//   - H1: a create of ANOTHER type writing the same object
//     (planguardtest_file over planguardtest_object.cfg's file), whose
//     path is unknown at plan, is blocked when the ids rule lists the type
//     in written_by; planguard apply refuses it and the file keeps its
//     content;
//   - H2: a create of the protected object's type whose path sits in a
//     nested block written by a dynamic block (which the plan JSON leaves
//     out of expressions: e2e/sdkblk) is blocked, and so is one whose
//     dynamic block iterates a list unknown at plan (after_unknown
//     target = true, after_sensitive target = []);
//   - control: ordinary creates of those types with literal paths, the
//     dynamic block's too, are allowed and applied.

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestGate33Terraform(t *testing.T) {
	gate33(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestGate33TerraformLatest(t *testing.T) {
	gate33(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestGate33OpenTofu(t *testing.T) {
	gate33(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

const sdkBlkSource = "example.com/planguard/sdkblk"

var (
	sdkBlkOnce sync.Once
	sdkBlkErr  error
	sdkBlkBin  string
)

// sdkBlkBinary builds e2e/sdkblk once: sdkprov with the path in a nested
// block (target { path }).
func sdkBlkBinary(t *testing.T) string {
	t.Helper()
	sdkBlkOnce.Do(func() {
		sdkBlkBin = filepath.Join(binDir, "sdkblk")
		cmd := exec.Command("go", "build", "-trimpath", "-o", sdkBlkBin, "./e2e/sdkblk")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			sdkBlkErr = fmt.Errorf("go build sdkblk: %v\n%s", err, out)
		}
	})
	if sdkBlkErr != nil {
		t.Fatal(sdkBlkErr)
	}
	return sdkBlkBin
}

const gate33Required = `terraform {
  required_providers {
    sdkobj = {
      source  = "example.com/planguard/sdkobj"
      version = "0.1.0"
    }
    planguardtest = {
      source  = "example.com/planguard/testobj"
      version = "0.1.0"
    }
    sdkblk = {
      source  = "example.com/planguard/sdkblk"
      version = "0.1.0"
    }
  }
}
`

func gate33(t *testing.T, tf string) {
	toolVersion(t, tf)
	w, root := mirrorWorld(t, tf, map[string]string{
		sdkObjSource:          sdkObjBin(t),
		testbin.TestObjSource: testObjProvider(t),
		sdkBlkSource:          sdkBlkBinary(t),
	})
	obj := func(n string) string { return filepath.Join(root, "objects", n) }
	prodCfg, prodBlk := obj("prod.cfg"), obj("prod.blk")
	prod := fmt.Sprintf("resource \"planguardtest_object\" \"cfg\" {\n  path    = %q\n  content = \"config\"\n}\n", prodCfg) +
		fmt.Sprintf("resource \"sdkblk_file\" \"blk\" {\n  target {\n    path = %q\n  }\n  content = \"blk data\"\n}\n", prodBlk) +
		fmt.Sprintf("resource \"sdkobj_file\" \"seed\" {\n  path = %q\n}\n", obj("seed"))
	main := func(w *world, src string) { w.write("main.tf", gate33Required+prod+src) }
	main(w, "")
	w.must(0, tf, "init", "-input=false", "-no-color")
	w.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	alice := w.key("alice")
	writeFile(t, filepath.Join(root, "policy", "allowed_signers"), "alice@example.com "+readFile(t, alice+".pub"))
	// The guides' policy: by address and id; the file's rule lists the
	// other type that writes files.
	polFile := filepath.Join(root, "policy", "planguard.hcl")
	writeFile(t, polFile, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\n"+
		"providers = [\"example.com/planguard/*\", \"terraform.io/builtin/terraform\"]\n"+
		"state {\n  backend = \"local\"\n}\n"+
		fmt.Sprintf("protect \"cfg\" {\n  addresses  = [\"planguardtest_object.cfg\"]\n  ids        = [%q]\n  written_by = [\"planguardtest_file\"]\n}\n", prodCfg)+
		fmt.Sprintf("protect \"blk\" {\n  addresses = [\"sdkblk_file.blk\"]\n  ids       = [%q]\n}\n", prodBlk))
	pol := "--policy=" + polFile
	intact := func(t *testing.T) {
		t.Helper()
		for p, want := range map[string]string{prodCfg: "config", prodBlk: "blk data"} {
			if got := readFile(t, p); got != want {
				t.Fatalf("the production file %s was overwritten: %q", p, got)
			}
		}
	}
	// A new seed's id is unknown at plan: unk is "" at apply.
	unk := "${substr(sdkobj_file.fresh.id, 0, 0)}"
	fresh := fmt.Sprintf("resource \"sdkobj_file\" \"fresh\" {\n  path = %q\n}\n", obj("fresh"))
	blocked := func(t *testing.T, w *world, addr, attr, unknownJSON, subject string) {
		t.Helper()
		w.plan()
		js := w.must(0, tf, "show", "-json", "tfplan")
		if !strings.Contains(js, unknownJSON) {
			t.Fatalf("the plan does not have %s; the test needs it:\n%s", unknownJSON, js)
		}
		out := w.pg(1, "check", pol, "tfplan")
		contains(t, out, addr, "attribute "+attr+" of the new object is unknown at plan", "("+subject+")", "BLOCKED")
		out = w.pg(1, "check", pol, "--format=json", "tfplan")
		contains(t, out, `"why": "unknown_names"`, `"unknown_attribute": "`+attr+`"`, `"decision": "block"`)
		code, out := w.run(filepath.Join(binDir, "planguard"), "apply", pol, "tfplan", "--", "-no-color")
		if code != 1 || strings.Contains(out, "Creation complete") {
			t.Fatalf("planguard apply: exit %d, want 1\n%s", code, out)
		}
		intact(t)
	}

	t.Run("H1 another type writing the protected file", func(t *testing.T) {
		w := w.at(t)
		main(w, fresh+fmt.Sprintf("resource \"planguardtest_file\" \"x\" {\n  path    = \"%s%s\"\n  content = \"pwned\"\n}\n", prodCfg, unk))
		blocked(t, w, "planguardtest_file.x", "path", `"after_unknown":{"id":true,"path":true}`, "planguardtest_object.cfg")
	})

	t.Run("H2 the path in a dynamic block", func(t *testing.T) {
		w := w.at(t)
		main(w, fresh+fmt.Sprintf("resource \"sdkblk_file\" \"x\" {\n  dynamic \"target\" {\n    for_each = [1]\n    content {\n      path = \"%s%s\"\n    }\n  }\n  content = \"pwned\"\n}\n", prodBlk, unk))
		blocked(t, w, "sdkblk_file.x", "target", `"target":[{"path":true}]`, "sdkblk_file.blk")
	})

	t.Run("H2 a dynamic block over a list unknown at plan", func(t *testing.T) {
		w := w.at(t)
		main(w, fresh+fmt.Sprintf("resource \"sdkblk_file\" \"x\" {\n  dynamic \"target\" {\n    for_each = sdkobj_file.fresh.id == \"\" ? [] : [%q]\n    content {\n      path = target.value\n    }\n  }\n  content = \"pwned\"\n}\n", prodBlk))
		blocked(t, w, "sdkblk_file.x", "target", `"after_unknown":{"id":true,"target":true}`, "sdkblk_file.blk")
	})

	t.Run("control: literal paths, a dynamic block's too", func(t *testing.T) {
		w := w.at(t)
		other, dyn := obj("other"), obj("dyn")
		main(w, fmt.Sprintf("resource \"planguardtest_file\" \"y\" {\n  path    = %q\n  content = \"data\"\n}\n", other)+
			fmt.Sprintf("resource \"sdkblk_file\" \"y\" {\n  dynamic \"target\" {\n    for_each = [1]\n    content {\n      path = %q\n    }\n  }\n  content = \"dyn\"\n}\n", dyn))
		w.plan()
		w.pg(0, "check", pol, "tfplan")
		w.pg(0, "apply", pol, "tfplan", "--", "-no-color")
		if readFile(t, other) != "data" || readFile(t, dyn) != "dyn" {
			t.Fatalf("the allowed creates did not apply")
		}
		intact(t)
	})
}
