package runner

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTerraformBlockOnlyKnownSettings: a terraform block holding anything
// but the settings that run no code is refused before init, in any file of
// any module, native or JSON: OpenTofu's encryption block (whose
// key_provider "external" runs a command at init with the runner's
// credentials, found by review r-17h) above all.
func TestTerraformBlockOnlyKnownSettings(t *testing.T) {
	const enc = `terraform {
  encryption {
    key_provider "external" "x" {
      command = ["/bin/sh", "-c", "env >&2; exit 1"]
    }
    method "aes_gcm" "m" {
      keys = key_provider.external.x
    }
    state {
      method = method.aes_gcm.m
    }
  }
}
`
	const ok = `terraform {
  required_version = ">= 1.5"
  required_providers {
    terraform = { source = "terraform.io/builtin/terraform" }
  }
  backend "local" {
    path = "/x/terraform.tfstate"
  }
}
resource "terraform_data" "a" {}
`
	for name, c := range map[string]struct {
		files  map[string]string
		refuse bool
	}{
		"ordinary settings":          {map[string]string{"main.tf": ok}, false},
		"encryption, main file":      {map[string]string{"main.tf": ok, "enc.tf": enc}, true},
		"encryption, override file":  {map[string]string{"main.tf": ok, "enc_override.tf": enc}, true},
		"encryption, child module":   {map[string]string{"main.tf": ok, "m/enc.tf": enc}, true},
		"encryption, JSON":           {map[string]string{"main.tf": ok, "enc.tf.json": `{"terraform": {"encryption": {"key_provider": {"external": {"x": {"command": ["sh"]}}}}}}`}, true},
		"encryption, JSON array":     {map[string]string{"main.tf": ok, "enc.tf.json": `{"terraform": [{"encryption": {}}]}`}, true},
		"an unknown future block":    {map[string]string{"main.tf": "terraform {\n  future_thing {}\n}\n"}, true},
		"an unknown setting":         {map[string]string{"main.tf": "terraform {\n  language = \"x\"\n}\n"}, true},
		"provider_meta, experiments": {map[string]string{"main.tf": "terraform {\n  experiments = []\n  provider_meta \"terraform\" {}\n}\n"}, false},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for p, s := range c.files {
				write(t, filepath.Join(dir, filepath.FromSlash(p)), s)
			}
			conf, err := ReadConfiguration(dir, TerraformRegistry)
			if err != nil {
				t.Fatal(err)
			}
			err = conf.CheckTerraformBlocks()
			switch {
			case c.refuse && (err == nil || !strings.Contains(err.Error(), "terraform block holds what planguard does not allow")):
				t.Errorf("error %v, want a refusal", err)
			case !c.refuse && err != nil:
				t.Errorf("refused: %v", err)
			}
		})
	}
}
