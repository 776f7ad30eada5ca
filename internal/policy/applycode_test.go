package policy

import (
	"strings"
	"testing"
)

// TestApplyCodeAllowances: allow_apply_file_reads and
// allow_provider_functions match configuration addresses by glob, and
// allow_apply_reads takes ephemeral blocks' addresses; a malformed entry
// is an error naming it.
func TestApplyCodeAllowances(t *testing.T) {
	p := mustParse(t, execBase+`allow_apply_file_reads   = ["module.app.local.cfg", "provider.kubernetes*"]
allow_provider_functions = ["terraform_data.x"]
allow_apply_reads        = ["ephemeral.external.token", "module.ops.ephemeral.vault_*"]
`)
	for _, c := range []struct {
		got  bool
		name string
	}{
		{p.AllowsApplyFileRead("module.app.local.cfg"), "module.app.local.cfg"},
		{p.AllowsApplyFileRead("provider.kubernetes.west"), "provider.kubernetes.west"},
		{!p.AllowsApplyFileRead("module.app.local.other"), "not module.app.local.other"},
		{p.AllowsProviderFunction("terraform_data.x"), "terraform_data.x"},
		{!p.AllowsProviderFunction("terraform_data.y"), "not terraform_data.y"},
		{!p.AllowsApplyFileRead("terraform_data.x"), "lists do not mix"},
		{p.AllowsApplyRead("ephemeral.external.token"), "ephemeral.external.token"},
		{p.AllowsApplyRead("module.ops.ephemeral.vault_secret.db"), "module.ops.ephemeral.vault_secret.db"},
	} {
		if !c.got {
			t.Errorf("%s: wrong", c.name)
		}
	}
	for src, want := range map[string]string{
		`allow_apply_file_reads = ["has space"]`: `allow_apply_file_reads[0] "has space"`,
		`allow_provider_functions = [""]`:        `allow_provider_functions[0] is an empty string`,
		`allow_apply_file_reads = "x"`:           "allow_apply_file_reads",
		`allow_apply_reads = ["ephemeralx.a.b"]`: `allow_apply_reads[0] "ephemeralx.a.b"`,
		`allow_provider_functions = [var.x]`:     "Variables not allowed",
	} {
		_, err := Parse([]byte(execBase+src+"\n"), "planguard.hcl")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %q", src, err, want)
		}
	}
}
