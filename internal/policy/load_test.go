package policy

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const signer = "alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBYoUc4x7tXhMO6mOFUvEUkgV5lYDcc6T0Br3fIr7yVe\n"

// writeFiles writes name → content under dir and returns dir.
func writeFiles(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoad(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"ci/planguard.hcl":    head + "protect \"r\" {\n  types = [\"x\"]\n}\n",
		"ci/allowed_signers":  "# trusted approvers\n\n" + signer,
		"allowed_signers":     signer + signer, // a decoy next to the working directory
		"other/keys/trust.db": signer,
	})
	// The trust path is relative to the policy file, not the working
	// directory: run from elsewhere to tell the two apart.
	t.Chdir(dir)
	p, err := Load(filepath.Join("ci", "planguard.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if p.AllowedSignersPath != filepath.Join("ci", "allowed_signers") {
		t.Errorf("AllowedSignersPath = %q", p.AllowedSignersPath)
	}
	if string(p.AllowedSigners) != "# trusted approvers\n\n"+signer {
		t.Errorf("AllowedSigners = %q", p.AllowedSigners)
	}
	if p.Filename != filepath.Join("ci", "planguard.hcl") || len(p.SHA256) != 64 || p.Scope != "prod" {
		t.Errorf("policy = %+v", p)
	}

	// An absolute path in the policy, and a path climbing out of its dir.
	abs := filepath.Join(dir, "other", "keys", "trust.db")
	writeFiles(t, dir, map[string]string{
		"abs.hcl":     strings.Replace(head, `"allowed_signers"`, `"`+filepath.ToSlash(abs)+`"`, 1) + "protect \"r\" { types = [\"x\"] }\n",
		"ci/up/p.hcl": strings.Replace(head, `"allowed_signers"`, `"../../other/keys/trust.db"`, 1) + "protect \"r\" { types = [\"x\"] }\n",
	})
	for _, path := range []string{filepath.Join(dir, "abs.hcl"), filepath.Join("ci", "up", "p.hcl")} {
		p, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := filepath.Abs(p.AllowedSignersPath); got != abs || string(p.AllowedSigners) != signer {
			t.Errorf("Load(%s): AllowedSignersPath = %q (%q)", path, p.AllowedSignersPath, got)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	policy := head + "protect \"r\" {\n  types = [\"x\"]\n}\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		is    error
	}{{
		name:  "missing policy",
		files: map[string]string{},
		want:  []string{"read policy ", "planguard.hcl"},
		is:    fs.ErrNotExist,
	}, {
		name:  "invalid policy",
		files: map[string]string{"planguard.hcl": head, "allowed_signers": signer},
		want:  []string{"planguard.hcl:1,1-1: No protect block"},
	}, {
		name:  "missing trust file",
		files: map[string]string{"planguard.hcl": policy},
		want:  []string{"planguard.hcl:2,27-44: read trust file ", "allowed_signers", "create it (OpenSSH allowed_signers format", "or fix trust.allowed_signers"},
		is:    fs.ErrNotExist,
	}, {
		name:  "trust file is a directory",
		files: map[string]string{"planguard.hcl": policy, "allowed_signers/x": signer},
		want:  []string{"read trust file "},
	}, {
		name:  "empty trust file",
		files: map[string]string{"planguard.hcl": policy, "allowed_signers": ""},
		want:  []string{"planguard.hcl:2,27-44: trust file ", "lists no signer: every line is blank or a comment", "add one line per trusted key"},
	}, {
		name:  "trust file of comments and blanks",
		files: map[string]string{"planguard.hcl": policy, "allowed_signers": "# alice@example.com ssh-ed25519 AAAA\n\n   \t\n  # indented comment\r\n"},
		want:  []string{"lists no signer"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, t.TempDir(), tt.files)
			p, err := Load(filepath.Join(dir, "planguard.hcl"))
			if err == nil {
				t.Fatalf("Load succeeded: %+v", p)
			}
			if p != nil {
				t.Error("Load returned a policy with its error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not name the path", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
		})
	}
}

func TestListsSigner(t *testing.T) {
	for s, want := range map[string]bool{
		"":                                 false,
		"\n\n":                             false,
		"# x\n#y":                          false,
		"  # x\n\t\n":                      false,
		signer:                             true,
		"# x\n" + signer:                   true,
		"\n\n  x":                          true,
		strings.Repeat("#", 1<<17) + "\nx": true,
	} {
		if got := listsSigner([]byte(s)); got != want {
			t.Errorf("listsSigner(%.20q) = %v, want %v", s, got, want)
		}
	}
}

// TestLoadSymlinkedPolicy: a symbolic link to a protected policy, placed in
// a directory an attacker can write next to a decoy trust file, still reads
// the trust file beside the real policy.
func TestLoadSymlinkedPolicy(t *testing.T) {
	root := t.TempDir()
	const decoy = "mallory@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
	writeFiles(t, root, map[string]string{
		"etc/planguard/prod.hcl":        head + "protect \"r\" {\n  types = [\"x\"]\n}\n",
		"etc/planguard/allowed_signers": signer,
		"repo/allowed_signers":          decoy,
	})
	link := filepath.Join(root, "repo", "planguard.hcl")
	if err := os.Symlink(filepath.Join(root, "etc", "planguard", "prod.hcl"), link); err != nil {
		t.Fatal(err)
	}
	p, err := Load(link)
	if err != nil {
		t.Fatal(err)
	}
	if string(p.AllowedSigners) != signer {
		t.Fatalf("read the trust file next to the link: %q", p.AllowedSigners)
	}
	if want := filepath.Join(root, "etc", "planguard", "allowed_signers"); p.AllowedSignersPath != want {
		t.Errorf("AllowedSignersPath = %q, want %q", p.AllowedSignersPath, want)
	}
}

// TestLoadRefusesSpecialFiles: the policy and the trust file must be regular
// files of bounded size (a FIFO would hang the gate, a device never ends).
func TestLoadRefusesSpecialFiles(t *testing.T) {
	policy := head + "protect \"r\" {\n  types = [\"x\"]\n}\n"
	t.Run("trust file is /dev/zero", func(t *testing.T) {
		dir := writeFiles(t, t.TempDir(), map[string]string{"planguard.hcl": strings.Replace(policy, `"allowed_signers"`, `"/dev/zero"`, 1)})
		if !strings.Contains(policy, `"allowed_signers"`) {
			t.Fatal("head changed: the test no longer swaps the trust path")
		}
		_, err := Load(filepath.Join(dir, "planguard.hcl"))
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("policy is a FIFO", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "planguard.hcl")
		if err := mkfifo(path); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("trust file too big", func(t *testing.T) {
		dir := writeFiles(t, t.TempDir(), map[string]string{"planguard.hcl": policy, "allowed_signers": signer})
		if err := os.Truncate(filepath.Join(dir, "allowed_signers"), MaxFileSize+1); err != nil {
			t.Fatal(err)
		}
		_, err := Load(filepath.Join(dir, "planguard.hcl"))
		if err == nil || !strings.Contains(err.Error(), "more than the") {
			t.Fatalf("err = %v", err)
		}
	})
}
