package integrations_test

// Attacker review r-21f of commit 1d14427 (the fixes of r-21e: the GitLab
// gate/apply jobs refuse a project directory holding more than the artifact,
// and run ls-remote with GIT_DIR=/nonexistent; the GitHub sarif job fixes the
// runs' category and tool). Each test is a confirmed problem and fails until
// it is fixed; its comment says how it was found and what it costs.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Finding 1 (low). The new first command of `.pinned` lets `.plan` AND
// `.gate` through in both jobs, and nothing in the gate job looks at `.gate`
// before writing into it: `mkdir -p "$CI_PROJECT_DIR/.gate" && cp tfplan
// check.att "$CI_PROJECT_DIR/.gate/"`. In the gate job `.gate` can only come
// from the plan job's archive (the same archive r-21e used; GitLab's runner
// extracts symlink entries as symlinks with any target:
// helpers/archives/zip_extract.go, extractZipSymlinkEntry, os.Symlink(data,
// name)). A `.gate/tfplan` that is a symlink to an existing file makes the
// gate job, after it signed, overwrite that file (as the job's user, root in
// most images) with the plan file's bytes, which the plan job chose (a zip
// tolerates a prepended script); a `.gate` that is a symlink to a directory
// makes it write tfplan and check.att there. With the documented runner (a
// fresh container per job) the write dies with the container, so the harm
// is a file write of the plan job's choosing next to the gate key, outside
// the project directory, that the check was meant to exclude; on a reused
// runner or a mounted path it persists into later jobs (apply). Found by
// running the gate job's before_script and script as the example has them,
// with real bash, find and cp; git (ls-remote, clone), curl and planguard are
// stubbed (network and signing only). What would hold: the gate job accepts
// only `.plan` (and the apply job only `.gate`), or the gate writes its
// output to a directory it creates itself (mkdir without -p, after rm -rf).
func TestR21fGitLabGateWritesThroughTheArchivesGateDirectory(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	ci := yamlMap(t, readExample(t, "examples/integrations/gitlab/.gitlab-ci.yml"))
	gate := asMap(ci["gate"])
	if gate == nil {
		t.Fatal("no gate job")
	}
	lines := append(flatStrings(gate["before_script"]), flatStrings(gate["script"])...)
	if !strings.Contains(strings.Join(lines, "\n"), "planguard check") {
		t.Fatal("the gate job runs no planguard check")
	}

	for _, tc := range []struct {
		name string
		// archive lays out .gate in the project directory (after .plan/tfplan);
		// outside is a directory outside the project.
		archive func(t *testing.T, project, outside string)
		// written reports what the gate job wrote outside the project.
		written func(outside string) string
	}{
		{
			name: ".gate/tfplan is a symlink to an existing file",
			archive: func(t *testing.T, project, outside string) {
				writeR21d(t, filepath.Join(outside, "victim"), "original\n")
				mkdirR21f(t, filepath.Join(project, ".gate"))
				symlinkR21f(t, filepath.Join(outside, "victim"), filepath.Join(project, ".gate", "tfplan"))
			},
			written: func(outside string) string {
				b, _ := os.ReadFile(filepath.Join(outside, "victim"))
				if string(b) != "original\n" {
					return "victim now holds " + strings.TrimSpace(string(b))
				}
				return ""
			},
		},
		{
			name: ".gate is a symlink to a directory",
			archive: func(t *testing.T, project, outside string) {
				symlinkR21f(t, outside, filepath.Join(project, ".gate"))
			},
			written: func(outside string) string {
				var got []string
				for _, f := range []string{"tfplan", "check.att"} {
					if _, err := os.Lstat(filepath.Join(outside, f)); err == nil {
						got = append(got, f)
					}
				}
				return strings.Join(got, " ")
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			project := filepath.Join(tmp, "builds", "group", "project")
			outside := filepath.Join(tmp, "outside")
			home := filepath.Join(tmp, "home")
			shims := filepath.Join(tmp, "shims")
			for _, d := range []string{filepath.Join(project, ".plan"), outside, home, shims} {
				mkdirR21f(t, d)
			}
			writeR21d(t, filepath.Join(project, ".plan", "tfplan"), "#!/bin/sh\necho the plan job's bytes; exit 0\nPK\x03\x04 a saved plan\n")
			tc.archive(t, project, outside)
			gateKey := filepath.Join(tmp, "PLANGUARD_GATE_KEY")
			writeR21d(t, gateKey, "gate key\n")

			sha := strings.Repeat("a", 40)
			for name, body := range map[string]string{
				// Network: the policy clone makes the directory; ls-remote names this commit.
				"git": "if [ \"$1\" = clone ]; then for d; do :; done; mkdir \"$d\" && : >\"$d/planguard.hcl\"; exit 0; fi\n" +
					"if [ \"$1\" = ls-remote ]; then printf '%s\\trefs/heads/main\\n' " + sha + "; exit 0; fi\nexit 1\n",
				"curl": "echo '[{\"state\":\"merged\",\"merge_commit_sha\":\"" + sha + "\",\"author\":{\"username\":\"mallory\"}}]'\n",
				// Signing: the gate allows the plan and writes its attestation.
				"planguard": "case \" $* \" in *' --attest check.att '*) echo attestation >check.att;; esac\nexit 0\n",
			} {
				writeR21d(t, filepath.Join(shims, name), "#!/bin/sh\n"+body)
				if err := os.Chmod(filepath.Join(shims, name), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			script := "set -eo pipefail\ncd \"$CI_PROJECT_DIR\"\n" + strings.Join(lines, "\n") + "\n"
			env := []string{
				"PATH=" + shims + string(os.PathListSeparator) + os.Getenv("PATH"),
				"HOME=" + home,
				"TMPDIR=" + tmp,
				"CI_PROJECT_DIR=" + project,
				"CI_PROJECT_ID=1",
				"CI_JOB_NAME=gate",
				"CI_JOB_STAGE=gate",
				"CI_JOB_TOKEN=job-token",
				"CI_SERVER_HOST=gitlab.invalid",
				"CI_API_V4_URL=https://gitlab.invalid/api/v4",
				"CI_REPOSITORY_URL=https://gitlab-ci-token:job-token@gitlab.invalid/group/project.git",
				"CI_DEFAULT_BRANCH=main",
				"CI_COMMIT_SHA=" + sha,
				"PLANGUARD_POLICY_SHA256=" + strings.Repeat("b", 64),
				"PLANGUARD_GATE_KEY=" + gateKey,
				"PLANGUARD_API_TOKEN=api-token",
			}
			code, out := r21dRun(t, project, env, "bash", "-c", script)
			if w := tc.written(outside); w != "" {
				t.Errorf("the gate job wrote outside the project directory through the plan archive's .gate (script exit %d): %s\nscript output:\n%s", code, w, out)
			}
		})
	}
}

func mkdirR21f(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func symlinkR21f(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// Finding 2 (low; fail-open, nothing runs through it today). The new check is
// `test -z "$(find "$CI_PROJECT_DIR" … -printf '%P ')"`: find's exit status
// is dropped, so a project directory find cannot list passes as empty. The
// plan job's archive can make it so: GitLab's runner extracts every entry and
// then chmods it by name (helpers/archives/zip_extract.go, ExtractZipArchive:
// os.Chmod(file.Name, file.Mode().Perm())), so an entry `./` of mode 0311
// leaves the project directory searchable but not readable. For a job user
// that is not root (an image with USER set), find fails ("Permission
// denied"), the check passes, and a `.git/` from the same archive is still
// there for any git command that discovers it (ls-remote no longer does:
// GIT_DIR=/nonexistent; git clone reads no repository config). Verified here
// with real find and bash as the user nobody (setpriv) on a 0311 directory
// holding .git/; the runner's chmod is from its source, not run. What would
// hold: take find's status (out="$(find …)" || exit 1; test -z "$out").
func TestR21fGitLabProjectDirectoryCheckFailsOpen(t *testing.T) {
	ci := yamlMap(t, readExample(t, "examples/integrations/gitlab/.gitlab-ci.yml"))
	var check string
	for _, l := range flatStrings(asMap(ci["gate"])["before_script"]) {
		if strings.Contains(l, "-mindepth 1 -maxdepth 1 ! -name .plan") {
			check = l
			break
		}
	}
	if check == "" {
		t.Skip("no project-directory check in the gate job")
	}
	var runAs []string
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root and no setpriv to drop to nobody")
		}
		runAs = []string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}
	}
	tmp := t.TempDir()
	project := filepath.Join(tmp, "project")
	mkdirR21f(t, filepath.Join(project, ".git"))
	mkdirR21f(t, filepath.Join(project, ".plan"))
	writeR21d(t, filepath.Join(project, ".git", "config"), "[core]\n\tfsmonitor = touch pwned\n")
	for _, d := range []string{filepath.Dir(tmp), tmp, project} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(project, 0o311); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(project, 0o755) })
	args := append(runAs, "bash", "-c", "set -eo pipefail\n"+check+"\necho PASSED")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = "/"
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "CI_PROJECT_DIR=" + project}
	out, err := cmd.CombinedOutput()
	if err == nil && strings.Contains(string(out), "PASSED") {
		t.Errorf("the project-directory check passed a directory it could not list (it holds .git/): find's failure reads as \"nothing but the artifact\"\n%s", out)
	}
}
