package lockfile

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestParseDoesNotEvaluateTemplates (review hook152): a lock file's
// values are read only as literals: a version written as nested %{for}
// directives over literal lists (hours of evaluation, no references) is
// refused from its syntax, at once. The gate reads the lock file a saved
// plan holds, in its own process.
func TestParseDoesNotEvaluateTemplates(t *testing.T) {
	items := make([]string, 300)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	list := "[" + strings.Join(items, ",") + "]"
	version := fmt.Sprintf("%%{for a in %s}%%{for b in %s}%%{for c in %s}%%{for d in %s}%%{endfor}%%{endfor}%%{endfor}%%{endfor}1.0.0", list, list, list, list)
	src := "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"" + version + "\"\n  hashes = [\"h1:x\"]\n}\n"
	done := make(chan error, 1)
	go func() {
		_, err := Parse([]byte(src), ".terraform.lock.hcl")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "version must be a string") {
			t.Fatalf("Parse: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Parse evaluates the version template")
	}
}
