// Package hooks_test runs the pre-commit hook scripts/hooks/planguard-verify.sh
// for real: in a temporary git repository, with keys made by planguard keygen,
// approvals signed by planguard approve, the planguard binary built from this
// module, both the way the pre-commit framework calls it (entry, args and file
// names from .pre-commit-hooks.yaml) and as a plain .git/hooks/pre-commit
// under `git commit`.
package hooks_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"

	"gopkg.in/yaml.v3"
)

var (
	root  string
	pgBin string
	hook  string
)

func TestMain(m *testing.M) {
	testbin.Run(m, func(r, dir string) {
		root, hook, pgBin = r, filepath.Join(r, "scripts/hooks/planguard-verify.sh"), filepath.Join(dir, "planguard")
	}, testbin.Planguard)
}

func gitBin(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
			t.Fatalf("git not found: %v", err)
		}
		t.Skip("git not found (PLANGUARD_REQUIRE_TOOLS=1 makes this a failure)")
	}
	return p
}

type result struct {
	code           int
	stdout, stderr string
}

type repo struct {
	t   *testing.T
	dir string
	env []string
}

func (r *repo) run(name string, args ...string) result {
	r.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return result{ee.ExitCode(), o.String(), e.String()}
	case err != nil:
		r.t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{0, o.String(), e.String()}
}

func (r *repo) must(name string, args ...string) string {
	r.t.Helper()
	res := r.run(name, args...)
	if res.code != 0 {
		r.t.Fatalf("%s %v: exit %d\n%s%s", name, args, res.code, res.stdout, res.stderr)
	}
	return res.stdout
}

func (r *repo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	os.MkdirAll(filepath.Dir(p), 0o700)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) read(name string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// newRepo is a git repository whose policy trusts alice (not mallory), with
// planguard on PATH, and approvals signed by alice (good.tf.txt) and by
// mallory (untrusted.tf.txt), kept as text until a test stages them.
func newRepo(t *testing.T) *repo {
	t.Helper()
	git := gitBin(t)
	dir := t.TempDir()
	home := t.TempDir()
	r := &repo{t: t, dir: dir}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GIT_") || strings.HasPrefix(name, "PLANGUARD_") || name == "HOME" || name == "PATH" {
			continue
		}
		r.env = append(r.env, kv)
	}
	r.env = append(r.env, "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Agent", "GIT_AUTHOR_EMAIL=agent@example.com", "GIT_COMMITTER_NAME=Agent", "GIT_COMMITTER_EMAIL=agent@example.com",
		"PATH="+filepath.Dir(pgBin)+":"+filepath.Dir(git)+":/usr/bin:/bin")
	r.must("git", "init", "-q", "-b", "main")

	keys := t.TempDir()
	var signers strings.Builder
	for _, who := range []string{"alice", "mallory"} {
		k := filepath.Join(keys, who)
		r.must(pgBin, "keygen", "--out", k, "--principal", who+"@example.com")
		pub, err := os.ReadFile(k + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		if who == "alice" {
			signers.WriteString(who + `@example.com namespaces="planguard-approval" ` + string(pub))
		}
	}
	r.write("policy/allowed_signers", signers.String())
	b, err := os.ReadFile(filepath.Join(root, "examples/quickstart/planguard.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	r.write("policy/planguard.hcl", string(b))
	r.write("main.tf", "resource \"terraform_data\" \"prod_db\" {\n  input = \"postgres\"\n}\n")
	r.must("git", "add", "-A")
	r.must("git", "commit", "-q", "-m", "infra")

	sign := func(who, out string) {
		r.must(pgBin, "approve", "--policy", "policy/planguard.hcl", "--target", "terraform_data.prod_db", "--action", "delete",
			"--reason", "CHG-1042: retire the database", "--expires", "24h", "--key", filepath.Join(keys, who),
			"--principal", who+"@example.com", "--out", out, "--force") // mallory's is a deliberate dud
	}
	sign("alice", "good.tf.txt")
	sign("mallory", "untrusted.tf.txt")
	return r
}

// precommitHook is the hook definition in .pre-commit-hooks.yaml.
type precommitHook struct {
	ID, Name, Description, Entry, Language, Files string
	RequireSerial                                 bool   `yaml:"require_serial"`
	MinimumPreCommitVersion                       string `yaml:"minimum_pre_commit_version"`
}

func loadHook(t *testing.T) precommitHook {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []precommitHook
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	if len(hooks) != 1 || hooks[0].ID != "planguard-verify" {
		t.Fatalf(".pre-commit-hooks.yaml: want one hook planguard-verify, got %+v", hooks)
	}
	return hooks[0]
}

func TestPreCommitHooksYAML(t *testing.T) {
	h := loadHook(t)
	if h.Language != "script" || h.Name == "" || h.Description == "" {
		t.Errorf("hook %+v: want language script, a name and a description", h)
	}
	fi, err := os.Stat(filepath.Join(root, h.Entry))
	if err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("entry %s is not an executable file in the repository: %v", h.Entry, err)
	}
	files := regexp.MustCompile(h.Files)
	for name, want := range map[string]bool{"main.tf": true, "modules/db/approvals.tf": true, "prod.tfvars": false, "main.tf.json": false, "README.md": false} {
		if files.MatchString(name) != want {
			t.Errorf("files %q matches %s: %v, want %v", h.Files, name, !want, want)
		}
	}
}

// preCommit runs the hook the way the pre-commit framework does: the entry
// (relative to the hook repository), the args of .pre-commit-config.yaml, then
// the staged file names that match `files`, in the repository's top directory.
func (r *repo) preCommit(args ...string) result {
	r.t.Helper()
	h := loadHook(r.t)
	re := regexp.MustCompile(h.Files)
	cmd := append([]string{filepath.Join(root, h.Entry)}, args...)
	for _, f := range strings.Split(strings.TrimSpace(r.must("git", "diff", "--cached", "--name-only")), "\n") {
		if f != "" && re.MatchString(f) {
			cmd = append(cmd, f)
		}
	}
	return r.run(cmd[0], cmd[1:]...)
}

func TestPreCommitFramework(t *testing.T) {
	policy := []string{"--policy", "policy/planguard.hcl"}
	t.Run("valid approval", func(t *testing.T) {
		r := newRepo(t)
		r.write("approvals.tf", r.read("good.tf.txt"))
		r.must("git", "add", "approvals.tf")
		if res := r.preCommit(policy...); res.code != 0 {
			t.Fatalf("exit %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("untrusted signer", func(t *testing.T) {
		r := newRepo(t)
		r.write("approvals.tf", r.read("untrusted.tf.txt"))
		r.must("git", "add", "approvals.tf")
		res := r.preCommit(policy...)
		if res.code != 1 || !strings.Contains(res.stdout, "untrusted") {
			t.Fatalf("exit %d, want 1 naming the untrusted signature\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("edited after signing", func(t *testing.T) {
		r := newRepo(t)
		r.write("approvals.tf", strings.Replace(r.read("good.tf.txt"), "terraform_data.prod_db", "terraform_data.prod_db_backup", 1))
		r.must("git", "add", "approvals.tf")
		res := r.preCommit(policy...)
		if res.code != 1 || !strings.Contains(res.stdout, "bad_signature") {
			t.Fatalf("exit %d, want 1 with bad_signature\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("the author's own signature does not count", func(t *testing.T) {
		r := newRepo(t)
		r.write("approvals.tf", r.read("good.tf.txt"))
		r.must("git", "add", "approvals.tf")
		if res := r.preCommit(append(policy, "--author", "alice@example.com")...); res.code != 1 {
			t.Fatalf("exit %d, want 1\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("no approvals staged", func(t *testing.T) {
		r := newRepo(t)
		r.write("main.tf", "resource \"terraform_data\" \"prod_db\" {\n  input = \"postgres-17\"\n}\n")
		r.must("git", "add", "main.tf")
		if res := r.preCommit(policy...); res.code != 0 {
			t.Fatalf("exit %d, want 0\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("missing policy", func(t *testing.T) {
		r := newRepo(t)
		r.write("approvals.tf", r.read("good.tf.txt"))
		r.must("git", "add", "approvals.tf")
		if res := r.preCommit("--policy", "nope.hcl"); res.code != 2 || !strings.Contains(res.stderr, "policy") {
			t.Fatalf("exit %d, want 2\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("default policy is planguard.hcl at the top", func(t *testing.T) {
		r := newRepo(t)
		r.write("approvals.tf", r.read("untrusted.tf.txt"))
		r.must("git", "add", "approvals.tf")
		if res := r.preCommit(); res.code != 2 {
			t.Fatalf("without planguard.hcl at the top: exit %d, want 2\n%s%s", res.code, res.stdout, res.stderr)
		}
		r.write("planguard.hcl", strings.Replace(r.read("policy/planguard.hcl"), `"allowed_signers"`, `"policy/allowed_signers"`, 1))
		if res := r.preCommit(); res.code != 1 {
			t.Fatalf("with planguard.hcl at the top: exit %d, want 1 (mallory is untrusted)\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("no planguard", func(t *testing.T) {
		r := newRepo(t)
		r.write("approvals.tf", r.read("good.tf.txt"))
		r.must("git", "add", "approvals.tf")
		r.env = append(r.env, "PLANGUARD_BIN=/nonexistent/planguard")
		if res := r.preCommit(policy...); res.code != 2 {
			t.Fatalf("exit %d, want 2\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
}

// As .git/hooks/pre-commit, without file names: `git commit` is refused for
// an approval that would not count, and what is checked is the staged
// version, not the working tree.
func TestGitHook(t *testing.T) {
	setup := func(t *testing.T) *repo {
		r := newRepo(t)
		r.write(".git/hooks/pre-commit", "#!/bin/sh\nexec "+hook+" --policy policy/planguard.hcl\n")
		os.Chmod(filepath.Join(r.dir, ".git/hooks/pre-commit"), 0o700)
		return r
	}
	commit := func(r *repo) result { return r.run("git", "commit", "-q", "-m", "approval") }

	t.Run("valid approval commits", func(t *testing.T) {
		r := setup(t)
		os.MkdirAll(filepath.Join(r.dir, "approvals"), 0o700)
		r.write("approvals/prod.tf", r.read("good.tf.txt"))
		r.must("git", "add", "approvals/prod.tf")
		if res := commit(r); res.code != 0 {
			t.Fatalf("git commit: exit %d\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("untrusted approval is refused", func(t *testing.T) {
		r := setup(t)
		r.write("approvals.tf", r.read("untrusted.tf.txt"))
		r.must("git", "add", "approvals.tf")
		res := commit(r)
		if res.code == 0 {
			t.Fatalf("git commit of an untrusted approval succeeded")
		}
		if !strings.Contains(res.stdout+res.stderr, "approvals.tf:1: planguard_approval.") {
			t.Errorf("the hook's report does not name approvals.tf (relative, not the temp copy):\n%s%s", res.stdout, res.stderr)
		}
		if log := r.must("git", "log", "--oneline"); strings.Count(log, "\n") != 1 {
			t.Errorf("a commit was made:\n%s", log)
		}
	})
	t.Run("the staged version is checked, not the working tree", func(t *testing.T) {
		r := setup(t)
		r.write("approvals.tf", r.read("untrusted.tf.txt"))
		r.must("git", "add", "approvals.tf")
		r.write("approvals.tf", r.read("good.tf.txt")) // fixed, but not staged
		if res := commit(r); res.code == 0 {
			t.Fatalf("committed an untrusted staged approval because the working tree was fine")
		}
		r.must("git", "add", "approvals.tf")
		r.write("approvals.tf", r.read("untrusted.tf.txt")) // broken again, not staged
		if res := commit(r); res.code != 0 {
			t.Fatalf("refused a valid staged approval because of the working tree: %d\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
	t.Run("an expired approval is refused", func(t *testing.T) {
		r := setup(t)
		// Signed in 2020, valid for one minute.
		keys := t.TempDir()
		k := filepath.Join(keys, "alice")
		r.must(pgBin, "keygen", "--out", k, "--principal", "alice@example.com")
		pub, _ := os.ReadFile(k + ".pub")
		r.write("policy/allowed_signers", `alice@example.com namespaces="planguard-approval" `+string(pub))
		r.must(pgBin, "approve", "--policy", "policy/planguard.hcl", "--target", "terraform_data.prod_db", "--action", "delete",
			"--reason", "CHG-1", "--now", "2020-01-01T00:00:00Z", "--expires", "1m", "--key", k, "--principal", "alice@example.com", "--out", "approvals.tf")
		r.must("git", "add", "approvals.tf")
		res := commit(r)
		if res.code == 0 || !strings.Contains(res.stdout+res.stderr, "expired at 2020-01-01T00:01:00Z") {
			t.Fatalf("git commit of an expired approval: exit %d\n%s%s", res.code, res.stdout, res.stderr)
		}
	})
}
