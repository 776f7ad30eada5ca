package main

import (
	"strings"
	"testing"
)

// Review hook66 M1 through the hook command: Terraform reads every *.tfrc
// in ~/.terraform.d as CLI configuration (dev_overrides) and takes
// providers from its plugins directory; OpenTofu likewise from its XDG
// directories. The home directory's are protected directories.
func TestHook66TerraformHomeDirs(t *testing.T) {
	w := newHookWorld(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, cmd := range []string{
		"printf 'provider_installation { dev_overrides { \"hashicorp/null\" = \"/tmp/p\" } }' > ~/.terraform.d/agent.tfrc",
		"cp /tmp/x.json ~/.terraform.d/agent.tfrc.json",
		"mkdir -p ~/.terraform.d/plugins/registry.terraform.io/hashicorp/null/3.2.2/linux_amd64 && cp /tmp/p ~/.terraform.d/plugins/registry.terraform.io/hashicorp/null/3.2.2/linux_amd64/",
		"cp /tmp/p ~/.local/share/terraform/plugins/x",
		"tee ~/.config/opentofu/tofurc < /tmp/x",
		"cp /tmp/p ~/.local/share/opentofu/plugins/x",
	} {
		code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil)
		if code == 0 && out == "" {
			t.Errorf("%s: allowed, want denied", cmd)
			continue
		}
		if r := denyReason(t, "claude", code, out, errs); !strings.Contains(r, "terraform.d") && !strings.Contains(r, "opentofu") && !strings.Contains(r, "share/terraform") {
			t.Errorf("%s: reason %q names none of the directories", cmd, r)
		}
	}
	for _, cmd := range []string{"terraform plan -out tfplan", "ls ~/.terraform.d", "cat ~/.terraform.d/credentials.tfrc.json | jq 'keys'"} {
		if code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil); code != 0 || out != "" {
			t.Errorf("%s: denied, want allowed: %s", cmd, out)
		}
	}
}
