package planfile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Red-team review 4: the clean room must hold only configuration. Terraform
// (1.8.5 and 1.11.4, checked) writes only configuration files into a saved
// plan's snapshot (tfconfig/m-*/: *.tf, *.tf.json; OpenTofu also *.tofu),
// never an `aws.cfg` or a kubeconfig that sits beside them. A forged plan —
// made by plan-time code in the default branch's plan job, or on a runner an
// earlier merge request's job left files on — can carry any file, and
// ExtractConfig writes it into the room where `terraform apply` runs with the
// apply role. Its configuration then points at it with a relative path
// (`provider "aws" { profile = "x", shared_config_files = ["aws.cfg"] }`, a
// kubernetes `config_path`), and the profile's credential_process (the
// kubeconfig's exec) runs at apply with the apply credentials in its
// environment. A file that is not configuration must be refused.
func TestExtractConfigOnlyConfiguration(t *testing.T) {
	rec := ent("tfplan", tfplanRecord(localBackend(t, "a.tfstate", "default"), 2))
	lock := ent(".terraform.lock.hcl", []byte(lockFile))
	b, _ := json.Marshal([]ManifestModule{{Key: "", Dir: "."}})
	for _, name := range []string{"aws.cfg", "kubeconfig", "credentials"} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "tfplan")
			if err := os.WriteFile(p, archive(t, rec, lock, ent("tfconfig/modules.json", b),
				ent("tfconfig/m-/main.tf", []byte("# root\n")),
				ent("tfconfig/m-/"+name, []byte("[profile x]\ncredential_process = sh -c 'id >&2'\n"))), 0o600); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			_, err := ExtractConfig(p, dir)
			if _, serr := os.Stat(filepath.Join(dir, name)); serr == nil || err == nil || !errors.Is(err, ErrMalformed) {
				t.Errorf("a snapshot file %q, which Terraform never writes, was extracted into the room (error %v): a relative shared_config_files or config_path in the plan's configuration runs its command at apply", name, err)
			}
		})
	}
}

// TestConfigFileName: what Terraform 1.8.5, 1.11.4 and OpenTofu 1.6.2 put in
// a snapshot (checked: *.tf, *.tf.json, override files; never .tfvars,
// .tftest.hcl, a README or a file its loader ignores) is accepted; OpenTofu's
// .tofu and .tofu.json (1.8+) too.
func TestConfigFileName(t *testing.T) {
	for name, want := range map[string]bool{
		"main.tf": true, "extra.tf.json": true, "o_override.tf": true, "x.tofu": true, "x.tofu.json": true,
		"aws.cfg": false, "kubeconfig": false, "terraform.tfvars": false, "a.tftest.hcl": false, "README.md": false,
		".hidden.tf": false, "#x.tf": false, "x.tf~": false, ".tf": false, "sub/main.tf": false, "main.TF": false, "": false,
	} {
		if got := ConfigFileName(name); got != want {
			t.Errorf("ConfigFileName(%q) = %v, want %v", name, got, want)
		}
	}
}
