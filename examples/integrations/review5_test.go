package integrations_test

// Review 5 of the CI integrations as users copy them. The hardening checks
// read the examples; these run the parts that decide something — the GitHub
// author step against a stub of GitHub's API (through a `gh` shim), the apply
// job's sparse checkout and GitLab's head check against real git
// repositories — so that what the text says is also what it does.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// gitEnv runs git with no user or system configuration.
func gitEnv(home string) []string {
	return []string{"PATH=/usr/bin:/bin", "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
}

func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// commitFiles writes files into the repository at dir and commits them.
func commitFiles(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "c")
	return runGit(t, dir, "rev-parse", "HEAD")
}

// The apply job checks out only the top-level policy/ of main. actions/checkout
// with sparse-checkout-cone-mode: false sets core.sparseCheckout and appends
// the patterns to .git/info/sparse-checkout (src/git-command-manager.ts,
// sparseCheckoutNonConeMode), so they are gitignore-style patterns: `policy/`
// (no leading slash) matches a directory named policy at any depth. This does
// what the action does, with the example's own patterns, on a real repository
// that holds x/policy/ and infra/policy/ too.
func TestReview5ApplySparseCheckoutIsAnchored(t *testing.T) {
	wf := yamlMap(t, readExample(t, "examples/integrations/github-actions/terraform.yml"))
	var with map[string]any
	for _, s := range asList(asMap(asMap(wf["jobs"])["apply"])["steps"]) {
		if usesName(str(asMap(s)["uses"])) == "actions/checkout" {
			with = asMap(asMap(s)["with"])
		}
	}
	if with == nil || str(with["sparse-checkout-cone-mode"]) != "false" {
		t.Fatalf("the apply job's checkout is not a non-cone sparse checkout: %v", with)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	runGit(t, src, "init", "-q", "-b", "main")
	commitFiles(t, src, map[string]string{
		"policy/planguard.hcl":         "scope = \"prod\"\n",
		"policy/allowed_signers":       "alice ssh-ed25519 AAAA\n",
		"x/policy/backend_override.tf": "terraform {}\n",
		"infra/policy/terraformrc":     "provider_installation {}\n",
		"infra/main.tf":                "",
		"README.md":                    "",
	})
	n := 0
	checkout := func(patterns []string) []string {
		n++
		w := filepath.Join(dir, fmt.Sprintf("w%d", n))
		os.MkdirAll(w, 0o755)
		runGit(t, w, "init", "-q")
		runGit(t, w, "remote", "add", "origin", src)
		runGit(t, w, "fetch", "-q", "origin", "+refs/heads/main:refs/remotes/origin/main")
		runGit(t, w, "config", "core.sparseCheckout", "true")
		sc := filepath.Join(w, runGit(t, w, "rev-parse", "--git-path", "info/sparse-checkout"))
		os.MkdirAll(filepath.Dir(sc), 0o755)
		f, err := os.OpenFile(sc, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(f, "\n%s\n", strings.Join(patterns, "\n"))
		f.Close()
		runGit(t, w, "checkout", "-q", "--force", "-B", "main", "refs/remotes/origin/main")
		var files []string
		filepath.Walk(w, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.IsDir() && fi.Name() == ".git" {
				return filepath.SkipDir
			}
			if err == nil && !fi.IsDir() {
				rel, _ := filepath.Rel(w, p)
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
		sort.Strings(files)
		return files
	}
	// The premise: an unanchored pattern takes every directory named policy.
	if got := checkout([]string{"policy/"}); !strings.Contains(strings.Join(got, " "), "x/policy/backend_override.tf") {
		t.Fatalf("policy/ (unanchored) checked out %v: the test no longer shows what the anchor prevents", got)
	}
	var pats []string
	for _, l := range strings.Split(str(with["sparse-checkout"]), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			pats = append(pats, l)
		}
	}
	if len(pats) == 0 {
		t.Fatal("the apply job's checkout has no sparse-checkout patterns")
	}
	if got := checkout(pats); strings.Join(got, " ") != "policy/allowed_signers policy/planguard.hcl" {
		t.Errorf("the apply job's sparse checkout %q takes %v, want only the top-level policy/", pats, got)
	}
}

// GitLab's gate and apply jobs refuse a commit that is no longer the default
// branch's head. `git ls-remote URL refs/heads/main` lists every ref that
// ends in that pattern, refs/heads/x/refs/heads/main too (a branch anyone who
// pushes can create): the example keeps the line whose ref is exactly the
// default branch. Run the example's `.head` lines against a real repository
// with such decoys.
func TestReview5GitLabHeadIsTheExactRef(t *testing.T) {
	ci := yamlMap(t, readExample(t, "examples/integrations/gitlab/.gitlab-ci.yml"))
	head := strings.Join(flatStrings(ci[".head"]), "\n")
	if !strings.Contains(head, "ls-remote") {
		t.Fatalf(".head is not the ls-remote check: %q", head)
	}
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	os.MkdirAll(repo, 0o755)
	runGit(t, repo, "init", "-q", "-b", "main")
	old := commitFiles(t, repo, map[string]string{"a": "1"})
	runGit(t, repo, "branch", "x/refs/heads/main")
	runGit(t, repo, "branch", "refs/heads/main") // refs/heads/refs/heads/main
	tip := commitFiles(t, repo, map[string]string{"a": "2"})
	run := func(script, sha string) (int, string) {
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
		cmd.Env = append(gitEnv(dir), "CI_REPOSITORY_URL="+repo, "CI_DEFAULT_BRANCH=main", "CI_COMMIT_SHA="+sha)
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if code, out := run(head, tip); code != 0 {
		t.Errorf("the default branch's head %s is refused beside decoy branches: exit %d\n%s", tip, code, out)
	}
	if code, out := run(head, old); code == 0 {
		t.Errorf("an old commit %s, the head of refs/heads/x/refs/heads/main, passes as the default branch's head\n%s", old, out)
	}
	// The premise: ls-remote's pattern does match the decoys.
	if out := runGit(t, dir, "ls-remote", repo, "refs/heads/main"); strings.Count(out, "\n") < 2 {
		t.Fatalf("ls-remote lists %q: the test no longer has decoys", out)
	}
}

// The GitHub author step on a push to main, run as written against a stub of
// GitHub's API (a `gh` on PATH that answers from fixture files through jq).
// History: A (applied) <- B (alice's pull request) <- C (bob's, the head).
// With no commit known to be applied it fails closed; the bootstrap variable
// PLANGUARD_LAST_APPLIED_SHA starts the range; a last successful run whose
// commit is no pull request's merge into main (a tag named main) is refused.
func TestReview5AuthorStepFailsClosed(t *testing.T) {
	for _, tool := range []string{"jq", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: %v", tool, err)
		}
	}
	scripts := map[string]string{}
	wf := yamlMap(t, readExample(t, "examples/integrations/github-actions/terraform.yml"))
	for _, s := range asList(asMap(asMap(wf["jobs"])["author"])["steps"]) {
		if str(asMap(s)["id"]) == "author" {
			scripts["terraform.yml"] = str(asMap(s)["run"])
		}
	}
	for _, src := range loadSources(t) {
		if src.file != "templates/guides/github-action.md" && src.file != "templates/guides/ci.md" {
			continue
		}
		for _, doc := range src.yamlDocs {
			var steps []map[string]any
			var m map[string]any
			if doc.Decode(&steps) == nil {
				for _, st := range steps {
					if str(st["id"]) == "author" {
						scripts[src.file] = str(st["run"])
					}
				}
			} else if doc.Decode(&m) == nil {
				for _, s := range asList(asMap(asMap(m["jobs"])["author"])["steps"]) {
					if str(asMap(s)["id"]) == "author" {
						scripts[src.file] = str(asMap(s)["run"])
					}
				}
			}
		}
	}
	if len(scripts) != 3 {
		t.Fatalf("author steps found in %v, want terraform.yml, github-action.md and ci.md", scripts)
	}

	const (
		A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		C = "cccccccccccccccccccccccccccccccccccccccc"
		T = "dddddddddddddddddddddddddddddddddddddddd" // a pushed tag named main, never merged
	)
	pr := func(sha, login, base string) string {
		return fmt.Sprintf(`{"merged_at":"2025-01-01T00:00:00Z","merge_commit_sha":%q,"base":{"ref":%q},"user":{"login":%q}}`, sha, base, login)
	}
	runs := "repos/o/r/actions/workflows/terraform.yml/runs?branch=main&event=push&status=success&per_page=1"
	base := map[string]string{
		"repos/o/r/git/ref/heads/main":       `{"ref":"refs/heads/main","object":{"sha":"` + C + `","type":"commit"}}`,
		"repos/o/r/commits/" + C + "/pulls":  "[" + pr(C, "bob", "main") + "]",
		"repos/o/r/commits/" + B + "/pulls":  "[" + pr(B, "alice", "main") + "]",
		"repos/o/r/commits/" + A + "/pulls":  "[" + pr(A, "carol", "main") + "]",
		"repos/o/r/commits/" + T + "/pulls":  "[]",
		"repos/o/r/compare/" + A + "..." + C: `{"status":"ahead","total_commits":2,"commits":[{"sha":"` + B + `"},{"sha":"` + C + `"}]}`,
		"repos/o/r/compare/" + B + "..." + C: `{"status":"ahead","total_commits":1,"commits":[{"sha":"` + C + `"}]}`,
		"repos/o/r/compare/" + T + "..." + C: `{"status":"diverged","total_commits":1,"commits":[{"sha":"` + C + `"}]}`,
		"repos/o/r/compare/" + B + "..." + A: `{"status":"behind","total_commits":0,"commits":[]}`,
		"repos/o/r/compare/" + A + "..." + B: `{"status":"ahead","total_commits":1,"commits":[{"sha":"` + B + `"}]}`,
	}
	runAt := func(sha string) string {
		return `{"total_count":1,"workflow_runs":[{"head_sha":"` + sha + `","head_branch":"main","event":"push"}]}`
	}
	noRuns := `{"total_count":0,"workflow_runs":[]}`
	cases := []struct {
		name      string
		runs      string // "" = the runs API fails
		last      string // PLANGUARD_LAST_APPLIED_SHA
		head      string
		wantOK    bool
		wantLogin string
	}{
		{"no run and no variable: fail closed", noRuns, "", C, false, ""},
		{"no run, the bootstrap variable", noRuns, A, C, true, "bob alice"},
		{"the last successful run", runAt(B), "", C, true, "bob"},
		{"a run older than the variable", runAt(A), B, C, true, "bob"},
		{"a variable older than the run", runAt(B), A, C, true, "bob"},
		{"a run of a tag named main", runAt(T), "", C, false, ""},
		{"a run of a tag named main, and the variable", runAt(T), A, C, false, ""},
		{"a variable that is no SHA", noRuns, "main", C, false, ""},
		{"a short variable", noRuns, A[:12], C, false, ""},
		{"the runs cannot be read", "", A, C, false, ""},
		{"no longer the head of main", runAt(B), "", B, false, ""},
	}
	for file, script := range scripts {
		for _, c := range cases {
			t.Run(file+"/"+c.name, func(t *testing.T) {
				dir := t.TempDir()
				fixtures := filepath.Join(dir, "api")
				bin := filepath.Join(dir, "bin")
				os.MkdirAll(fixtures, 0o755)
				os.MkdirAll(bin, 0o755)
				key := func(p string) string {
					b := []byte(p)
					for i, ch := range b {
						if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9') {
							b[i] = '_'
						}
					}
					return string(b)
				}
				api := map[string]string{}
				for k, v := range base {
					api[k] = v
				}
				if c.runs != "" {
					api[runs] = c.runs
				}
				for k, v := range api {
					os.WriteFile(filepath.Join(fixtures, key(k)), []byte(v), 0o644)
				}
				// gh api PATH [--jq EXPR]: the fixture through jq -r, or HTTP 404.
				os.WriteFile(filepath.Join(bin, "gh"), []byte(`#!/bin/sh
[ "$1" = api ] || exit 2
f="`+fixtures+`/$(printf '%s' "$2" | tr -c 'A-Za-z0-9' '_')"
[ -f "$f" ] || { echo "gh: Not Found (HTTP 404): $2" >&2; exit 1; }
if [ "$3" = --jq ]; then exec jq -r "$4" <"$f"; fi
cat "$f"
`), 0o755)
				out := filepath.Join(dir, "output")
				os.WriteFile(out, nil, 0o644)
				cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
				cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + dir, "EVENT=push", "GITHUB_REPOSITORY=o/r",
					"GITHUB_SHA=" + c.head, "GITHUB_WORKFLOW_REF=o/r/.github/workflows/terraform.yml@refs/heads/main",
					"GITHUB_OUTPUT=" + out, "GH_TOKEN=t", "LAST_APPLIED=" + c.last}
				log, err := cmd.CombinedOutput()
				if _, ok := err.(*exec.ExitError); err != nil && !ok {
					t.Fatal(err)
				}
				b, _ := os.ReadFile(out)
				logins := ""
				for _, l := range strings.Split(string(b), "\n") {
					if v, ok := strings.CutPrefix(l, "logins="); ok {
						logins = strings.TrimSpace(v)
					}
				}
				switch {
				case c.wantOK && err != nil:
					t.Errorf("failed: %v\n%s", err, log)
				case c.wantOK && logins != c.wantLogin:
					t.Errorf("logins %q, want %q\n%s", logins, c.wantLogin, log)
				case !c.wantOK && err == nil:
					t.Errorf("succeeded with logins %q; want the job to fail (nothing applied)\n%s", logins, log)
				case !c.wantOK && logins != "":
					t.Errorf("failed, but wrote logins %q first", logins)
				}
			})
		}
	}
}
