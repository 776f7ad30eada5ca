package check

import (
	"errors"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// TestRefuseImports: a plan that imports (even a no-op import) is refused
// naming each imported address and the way out; one without imports is not.
func TestRefuseImports(t *testing.T) {
	if err := refuseImports([]plan.Change{{Address: "a.b", Kind: plan.KindDelete}, {Address: "a.c", Kind: plan.KindUpdate}}); err != nil {
		t.Fatalf("no imports: %v", err)
	}
	err := refuseImports([]plan.Change{{Address: "a.b", Kind: plan.KindDelete}, {Address: "a.imp", Importing: true, Kind: plan.KindNoOp}, {Address: "a.imp2", Importing: true, Kind: plan.KindUpdate}})
	if !errors.Is(err, ErrImportUnderPin) || !strings.Contains(err.Error(), "a.imp, a.imp2") || strings.Contains(err.Error(), "a.b,") ||
		!strings.Contains(err.Error(), "cannot check against anything") {
		t.Fatalf("err = %v", err)
	}
	if h, _ := hint.Of(err); !strings.Contains(h, "planguard runner") || !strings.Contains(h, "production credentials") {
		t.Errorf("hint = %q", h)
	}
}
