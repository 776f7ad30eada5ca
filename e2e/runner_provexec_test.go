package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestRunnerProviderExecJudgedAsTheGateDoes: the runner's reading of a
// provider block before init and the gate's reading of the saved plan
// agree, on real Terraform with a provider whose exec block runs at plan
// time: a command a provider_exec block allows exactly plans (the gate,
// after plan, allows it too) in native and JSON syntax; one argument or
// one environment variable more is refused before init, and the command
// never runs.
func TestRunnerProviderExecJudgedAsTheGateDoes(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), testProvider: true})
	ran := filepath.Join(l.loot, "ran")
	pol := filepath.Join(l.rdir, "planguard.hcl")
	b, err := os.ReadFile(pol)
	if err != nil {
		t.Fatal(err)
	}
	allow := fmt.Sprintf("provider_exec {\n  provider = %q\n  command  = \"/usr/bin/touch\"\n  args     = [%q]\n  env      = { A = \"b\" }\n}\n", testbin.TestObjSource, ran)
	if err := os.WriteFile(pol, append(b, allow...), 0o600); err != nil {
		t.Fatal(err)
	}
	resource := fmt.Sprintf("resource \"planguardtest_object\" \"a\" {\n  path    = %q\n  content = \"hello\"\n}\n", filepath.Join(l.loot, "obj"))
	native := func(args, env string) string {
		return l.backend + l.testProviderBlock + fmt.Sprintf("provider \"planguardtest\" {\n  exec {\n    command = \"/usr/bin/touch\"\n    args    = [%s]\n    env     = { %s }\n  }\n}\n", args, env) + resource
	}
	jsonExec := func(args, env string) string {
		return fmt.Sprintf(`{"provider": {"planguardtest": {"exec": {"command": "/usr/bin/touch", "args": [%s], "env": {%s}}}}}`, args, env)
	}
	for _, c := range []struct {
		name  string
		files map[string]string
		ok    bool
	}{
		{"native, allowed exactly", map[string]string{"main.tf": native(fmt.Sprintf("%q", ran), `A = "b"`)}, true},
		{"JSON, allowed exactly", map[string]string{"main.tf": l.backend + l.testProviderBlock + resource, "p.tf.json": jsonExec(fmt.Sprintf("%q", ran), `"A": "b"`)}, true},
		{"native, one more argument", map[string]string{"main.tf": native(fmt.Sprintf("%q, %q", ran, ran+"2"), `A = "b"`)}, false},
		{"JSON, one more variable", map[string]string{"main.tf": l.backend + l.testProviderBlock + resource, "p.tf.json": jsonExec(fmt.Sprintf("%q", ran), `"A": "b", "LD_PRELOAD": "x"`)}, false},
	} {
		_ = os.Remove(ran)
		dir := l.config(strings.NewReplacer(" ", "-", ",", "").Replace(c.name), c.files)
		code, out := l.client(nil, "plan", dir)
		_, statErr := os.Stat(ran)
		switch {
		case c.ok && (code != 0 || statErr != nil):
			t.Errorf("%s: exit %d (want 0, the gate allowing the allowed command after plan), the command ran: %v\n%s", c.name, code, statErr == nil, out)
		case c.ok && !strings.Contains(out, "1 provider command(s), all allowed by provider_exec"):
			t.Errorf("%s: the gate, after plan, does not allow the command the runner allowed before init:\n%s", c.name, out)
		case !c.ok && (code != 2 || statErr == nil || !strings.Contains(out, "refused before init") || !strings.Contains(out, "provider_exec")):
			t.Errorf("%s: exit %d (want 2, refused before init), the command ran: %v\n%s", c.name, code, statErr == nil, out)
		}
	}
}
