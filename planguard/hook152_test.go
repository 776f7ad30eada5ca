package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfiguredLocalPathDoesNotEvaluate (review hook152): the hook reads
// a backend "local" path as a literal only: a path written as nested
// %{for} directives over literal lists (hours of evaluation, no
// references) would keep the hook busy past its time-out. A literal path
// is still read.
func TestConfiguredLocalPathDoesNotEvaluate(t *testing.T) {
	items := make([]string, 300)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	list := "[" + strings.Join(items, ",") + "]"
	bomb := fmt.Sprintf("%%{for a in %s}%%{for b in %s}%%{for c in %s}%%{for d in %s}%%{endfor}%%{endfor}%%{endfor}%%{endfor}s.json", list, list, list, list)
	dir := t.TempDir()
	for name, path := range map[string]string{"bomb.tf": bomb, "plain.tf": "prod.json"} {
		src := "terraform {\n  backend \"local\" {\n    path = \"" + path + "\"\n  }\n}\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan string, 1)
	go func() { p, _ := configuredLocalPath(filepath.Join(dir, "bomb.tf")); done <- p }()
	select {
	case got := <-done:
		if got != "" {
			t.Errorf("bomb: %q", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hook evaluates the backend path")
	}
	if got, _ := configuredLocalPath(filepath.Join(dir, "plain.tf")); got != "prod.json" {
		t.Errorf("plain: %q", got)
	}
}
