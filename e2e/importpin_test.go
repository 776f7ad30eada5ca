package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Under a policy state pin, a saved plan that imports an object is refused
// (exit 2) unless planguard runner made it (attacker review gate16b, G2):
// the imported object's values (every attribute but its id, and its
// private data) come only from the plan file, and the apply would write
// them into the pinned state. An honest import of an object no rule
// protects is refused too, naming the way out; a person with the
// credentials applies it (terraform apply, here), and then the rule by id
// guards the protected object's id imported under a second address: the
// next plan's delete of that address is blocked.
func TestImportUnderStatePin(t *testing.T) {
	for _, tc := range []struct{ name, env string }{
		{"terraform", "PLANGUARD_TERRAFORM"}, {"terraform-latest", "PLANGUARD_TERRAFORM_LATEST"}, {"tofu", "PLANGUARD_TOFU"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tf := testbin.Tool(t, tc.env, tc.name)
			toolVersion(t, tf)
			testObjBins(t)
			r := newR16dLab(t, tf)
			other := filepath.Join(r.root, "objects", "other")
			writeFile(t, other, "unmanaged data")
			a := r.dir("import", r.prodSrc()+fmt.Sprintf(`import {
  to = planguardtest_object.other
  id = %q
}
resource "planguardtest_object" "other" {
  path    = %q
  content = "unmanaged data"
}
`, other, other))
			a.must(0, tf, "init", "-input=false", "-no-color")
			a.plan()
			refusedImport := func(w *world, addr string) {
				t.Helper()
				for _, cmd := range []string{"check", "apply"} {
					code, out := r.pgRun(w, cmd, "--policy="+r.policy, "tfplan")
					t.Logf("planguard %s of the import of %s: exit %d\n%s", cmd, addr, code, out)
					if code != 2 || !strings.Contains(out, "imports objects into the pinned state: "+addr) || !strings.Contains(out, "planguard runner") {
						t.Fatalf("planguard %s of an import under the state pin exited %d, want 2 naming %s and the runner", cmd, code, addr)
					}
				}
				if w.stateHas(addr) {
					t.Fatalf("the refused import of %s is in the pinned state", addr)
				}
				// A person with the credentials applies it.
				w.must(0, tf, "apply", "-input=false", "-no-color", "tfplan")
				if !w.stateHas(addr) {
					t.Fatalf("the applied import of %s is not in the pinned state", addr)
				}
			}
			refusedImport(a, "planguardtest_object.other")

			// The protected object's id imported under a second address, in
			// the pinned state: the import itself changes nothing (allowed,
			// as the policy guide says), and the rule by id follows the
			// object, so the next plan's delete of the second address is
			// blocked.
			otherSrc := fmt.Sprintf("resource \"planguardtest_object\" \"other\" {\n  path    = %q\n  content = \"unmanaged data\"\n}\n", other)
			b := r.dir("import-protected", r.prodSrc()+otherSrc+fmt.Sprintf(`import {
  to = planguardtest_object.copy
  id = %q
}
resource "planguardtest_object" "copy" {
  path    = %q
  content = "customer data"
}
`, r.prodObj, r.prodObj))
			b.must(0, tf, "init", "-input=false", "-no-color")
			b.plan()
			refusedImport(b, "planguardtest_object.copy")
			b.write("main.tf", r16dRequired+r.prodSrc()+otherSrc)
			b.plan()
			code, out := r.pgRun(b, "check", "--policy="+r.policy, "tfplan")
			t.Logf("delete of the imported copy: exit %d\n%s", code, out)
			if code != 1 || !strings.Contains(out, "planguardtest_object.copy") {
				t.Errorf("the delete of the protected object's second address exited %d, want 1 (blocked by its id rule)", code)
			}
			if acode, _ := r.pgRun(b, "apply", "--policy="+r.policy, "tfplan"); acode == 0 || !r.exists(r.prodObj) {
				t.Errorf("the protected object was deleted through its second address (apply exit %d)", acode)
			}
		})
	}
}
