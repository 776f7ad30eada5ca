package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Under a policy state pin, a plan that imports an object is judged as
// any other (Terraform adds an imported object to the plan's state before
// the refresh, which the pinned state lacks): the import of an object no
// rule protects is allowed and applied; the import of the protected
// object's id under a second address changes nothing and is allowed, and
// its rule by id then guards the second address. Neither is refused as an
// edited plan file.
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
			code, out := r.pgRun(a, "check", "--policy="+r.policy, "tfplan")
			t.Logf("import of an unprotected object: exit %d\n%s", code, out)
			if code != 0 || strings.Contains(out, "edited") {
				t.Fatalf("the import of an object no rule protects, under the state pin, exited %d, want 0 (allowed)", code)
			}
			if acode, aout := r.pgRun(a, "apply", "--policy="+r.policy, "tfplan"); acode != 0 {
				t.Fatalf("planguard apply of the allowed import exited %d\n%s", acode, aout)
			}
			if !a.stateHas("planguardtest_object.other") {
				t.Error("the applied import is not in the pinned state")
			}

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
			code, out = r.pgRun(b, "check", "--policy="+r.policy, "tfplan")
			t.Logf("import of the protected id: exit %d\n%s", code, out)
			if code != 0 || strings.Contains(out, "edited") {
				t.Fatalf("the no-op import of the protected id under a second address exited %d, want 0", code)
			}
			if acode, aout := r.pgRun(b, "apply", "--policy="+r.policy, "tfplan"); acode != 0 {
				t.Fatalf("planguard apply of the import exited %d\n%s", acode, aout)
			}
			b.write("main.tf", r16dRequired+r.prodSrc()+otherSrc)
			b.plan()
			code, out = r.pgRun(b, "check", "--policy="+r.policy, "tfplan")
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
