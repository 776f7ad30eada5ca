package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// The two walkthroughs the README sends people to (make demo, make
// demo-agent) run here as they are, so they cannot rot: each script stops
// with an error when a step does not go as it says (set -e, and "expected a
// refusal" checks), and the end state is asserted below.
func TestDemoScripts(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform")
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Fatal("ssh-keygen is needed by the demos (make tools installs it)")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, script := range []string{"demo.sh", "demo-agent.sh"} {
		t.Run(script, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command("bash", filepath.Join(root, "examples", "pocketos", script))
			cmd.Env = append(os.Environ(), "TERRAFORM="+tf, "DEMO_DIR="+dir, "TERM=dumb")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s failed: %v\n%s", script, err, out)
			}
			text := string(out)
			if !strings.Contains(text, "2 destroyed") {
				t.Errorf("%s: the approved plan did not destroy the two objects:\n%s", script, text)
			}
			state, err := os.ReadFile(filepath.Join(dir, "infra", "terraform.tfstate"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"delete_terraform_data_prod_db", "delete_terraform_data_prod_db_volume_backup"} {
				if !strings.Contains(string(state), want) {
					t.Errorf("%s: the state lacks the approval %s", script, want)
				}
			}
			if strings.Contains(string(state), `"name": "prod_db"`) {
				t.Errorf("%s: the database is still in the state", script)
			}
			if script == "demo-agent.sh" {
				for _, refusal := range []string{"destroys infrastructure", "the gate blocks this plan", "a person signs them", "never lets terraform apply a saved plan"} {
					if !strings.Contains(text, refusal) {
						t.Errorf("demo-agent.sh: the hook's refusal %q is missing:\n%s", refusal, text)
					}
				}
			}
		})
	}
}
