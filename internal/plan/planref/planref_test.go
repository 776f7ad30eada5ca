package planref

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNotInBinary: the planguard command holds one plan reader. Neither
// this package nor terraform-json (which only it uses) is among the
// packages the planguard binary is built from.
func TestNotInBinary(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./planguard")
	cmd.Dir = filepath.Join("..", "..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./planguard: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 || !strings.Contains(string(out), "/internal/plan\n") {
		t.Fatalf("go list -deps ./planguard lists %d packages without internal/plan:\n%s", len(deps), out)
	}
	for _, dep := range deps {
		if strings.HasSuffix(dep, "/internal/plan/planref") || strings.HasPrefix(dep, "github.com/hashicorp/terraform-json") {
			t.Errorf("the planguard binary contains %s", dep)
		}
	}
}
