package runner

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestPlanRefusesDeepNesting: a file nested 100000 levels deep is refused
// with an error naming it (exit 2), before the runner's own scans parse
// it: hclsyntax and hcl/json recurse once per level, and a stack overflow
// would end the runner's process, every request with it.
func TestPlanRefusesDeepNesting(t *testing.T) {
	const n = 100000
	brackets := strings.Repeat("[", n) + strings.Repeat("]", n)
	for name, f := range map[string]File{
		"tf":           {Path: "deep.tf", Data: []byte("locals {\n  a = " + brackets + "\n}\n")},
		"tf.json":      {Path: "deep.tf.json", Data: []byte(`{"locals": {"a": ` + brackets + "}}")},
		"tf.json str":  {Path: "deep.tf.json", Data: []byte(`{"locals": {"a": "` + strings.Repeat(`${(`, n) + `"}}`)},
		"tfvars":       {Path: "terraform.tfvars", Data: []byte("a = " + brackets + "\n")},
		"tfvars.json":  {Path: "terraform.tfvars.json", Data: []byte(`{"a": ` + brackets + "}")},
		"lock file":    {Path: lockFileName, Data: []byte("provider \"registry.terraform.io/x/y\" {\n  hashes = " + brackets + "\n}\n")},
		"module":       {Path: "modules/m/main.tf", Data: []byte("locals {\n  a = " + strings.Repeat("!", n) + "true\n}\n")},
		"not brackets": {Path: "ops.tf", Data: []byte("locals {\n  a = " + strings.Repeat("a ? a : ", n) + "a\n}\n")},
	} {
		h := newHarness(t, "")
		var out bytes.Buffer
		files := append([]File{{Path: "main.tf", Data: []byte("resource \"terraform_data\" \"x\" {}\n")}}, f)
		res := h.svc.Plan(context.Background(), Peer{UID: 1000}, files, &out)
		if res.Exit != ExitError || !strings.Contains(res.Error, f.Path+": ") || !strings.Contains(res.Error, "nested more than 512 levels deep") {
			t.Errorf("%s: %+v", name, res)
		}
		if got := h.audit.decisions(); got != "plan refused" {
			t.Errorf("%s: audit %s", name, got)
		}
	}
}
