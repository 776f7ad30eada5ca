package integrations_test

// Red-team review 4 of the CI integrations as users copy them (after issue 21
// and review 3). Each test names the attack path it closes; see the review's
// report for the evidence.

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// GitLab has no counterpart of review 3's old-run check. Anyone who may run
// pipelines on the default branch (whoever may merge into it) can retry the
// jobs of an old default-branch pipeline: `plan` plans that old commit
// against today's state, `gate` resolves the old merge request's author and
// signs `allow` (every change since is undone; only a protected object's
// delete needs approvals, and an unexpired approval of that old commit still
// covers it), and `apply` applies it. GitLab's "Prevent outdated deployment
// jobs" does not stop it: "Allow job retries for rollback deployments" is on
// by default, and `gate` (action: prepare) is no deployment. The gate job, or
// the apply job, must refuse a commit that is no longer the default branch's
// head.
func TestRedteamGitLabRefusesAnOldPipeline(t *testing.T) {
	ci := yamlMap(t, readExample(t, "examples/integrations/gitlab/.gitlab-ci.yml"))
	var scripts []string
	for _, job := range []string{"gate", "apply"} {
		for _, k := range []string{"before_script", "script"} {
			scripts = append(scripts, flatStrings(asMap(ci[job])[k])...)
		}
	}
	all := strings.Join(scripts, "\n")
	head := strings.Contains(all, "repository/branches/") || strings.Contains(all, "ls-remote")
	if !head || !strings.Contains(all, "$CI_DEFAULT_BRANCH") || !strings.Contains(all, `"$CI_COMMIT_SHA"`) {
		t.Error(".gitlab-ci.yml: gate and apply attest and apply whatever commit their pipeline was for: a retry of an old default-branch pipeline (plan, gate, apply) rolls production back (no check that CI_COMMIT_SHA is still the default branch's head)")
	}
}

// GitHub: the head-of-main check lives in the author job only. "Re-run this
// job" on an old run's apply job (or "Re-run failed jobs" when only the apply
// failed or was cancelled) runs the apply again with the author job's old
// outputs: the check never runs. Terraform refuses the old plan as stale once
// anything was applied since — but not while nothing was: merge X (its apply
// fails on a transient error), merge the revert of X (its apply waits for a
// reviewer, or blocks on another change), then re-run X's apply: X, reviewed
// but reverted, is applied. The apply job must itself refuse a commit that is
// no longer main's head.
func TestRedteamGitHubApplyJobChecksHeadItself(t *testing.T) {
	wf := yamlMap(t, readExample(t, "examples/integrations/github-actions/terraform.yml"))
	var scripts []string
	for _, s := range asList(asMap(asMap(wf["jobs"])["apply"])["steps"]) {
		scripts = append(scripts, str(asMap(s)["run"]))
	}
	all := strings.Join(scripts, "\n")
	head := strings.Contains(all, "commits/main") || strings.Contains(all, "ls-remote") || strings.Contains(all, "refs/heads/main")
	if !head || !strings.Contains(all, "$GITHUB_SHA") {
		t.Error("terraform.yml: only the author job checks that GITHUB_SHA is main's head; re-running the apply job alone reuses that job's old outputs and skips the check")
	}
}

// The default branch's plan job makes the plan that is applied: the gate
// judges protected deletes in it, and everything else in it is applied as
// written (creates, unguarded updates, provider configurations). If a pull
// or merge request's job can run on the same machine first, the request —
// never reviewed, never merged — decides that plan. GitLab's Docker executor
// is not fresh per job: it keeps the project's build directory, .git
// included, in a volume that later jobs of the project reuse (unless the
// runner sets disable_cache), so a merge request's job (its own
// .gitlab-ci.yml) can leave .git/config, .git/info/attributes or hooks for
// the next job's `git fetch`/`checkout`; a reused self-hosted GitHub runner
// keeps files and, with RUNNER_TRACKING_ID unset, processes. The guides ask
// for fresh runners only for jobs that hold a secret (gate, apply). They must
// say that the default branch's plan job never shares a runner with pull or
// merge request jobs, and GitLab's that the Docker executor's build
// directory persists.
func TestRedteamDefaultBranchPlanNotBesideRequests(t *testing.T) {
	section := func(text, start string) string {
		i := strings.Index(text, start)
		if i < 0 {
			return ""
		}
		s := text[i+len(start):]
		for _, end := range []string{"\n## ", "\n- **"} {
			if j := strings.Index(s, end); j >= 0 {
				s = s[:j]
			}
		}
		return s
	}
	gl := section(readExample(t, "templates/guides/gitlab.md"), "## Runners")
	if !strings.Contains(gl, "volume") || !strings.Contains(gl, "merge request") {
		t.Error("gitlab.md Runners: calls the Docker executor fresh (its build directory persists in a volume later jobs reuse) and lets the default branch's plan job share a runner with merge request jobs, which then decide the plan that is applied")
	}
	gh := section(readExample(t, "templates/guides/github-action.md"), "- **Runners.**")
	if !strings.Contains(gh, "pull request") {
		t.Error("github-action.md Runners: asks for an ephemeral runner for the apply job only; a pull request's job on a reused runner decides the plan main's plan job makes, which is applied")
	}
	ci := section(readExample(t, "templates/guides/ci.md"), "- **Ephemeral runners")
	if !strings.Contains(ci, "default branch") {
		t.Error("ci.md: the ephemeral-runner line covers jobs that hold a secret, not the default branch's plan job, whose plan is applied")
	}
}

// HCP Terraform plans with the workspace's credentials. A mandatory run task
// acts after the plan, but the plan phase itself — of every merge to the
// workspace's branch and, in a VCS-driven workspace, of every pull request's
// speculative plan — runs the change's code (an `external` data source, any
// provider its configuration requires: HCP's `init` installs what the change
// asks for) with the workspace's variables, which are the apply credentials
// unless the workspace splits them by phase. A pull request exfiltrates them
// and deletes the database by API call; the run task never sees it. The
// checklist's first line ("plan with a read-only identity, everywhere") has
// no HCP counterpart: the guide must say so and name the split (dynamic
// provider credentials with a plan role and an apply role, the apply role's
// trust bound to run_phase:apply), or speculative plans off.
func TestRedteamHCPPlanPhaseHoldsApplyCredentials(t *testing.T) {
	guide := readExample(t, "templates/guides/terraform-cloud.md")
	for _, want := range []string{"speculative", "run_phase"} {
		if !strings.Contains(guide, want) {
			t.Errorf("terraform-cloud.md: does not say that HCP Terraform's plan phase (a pull request's speculative plan too) runs the change's code with the workspace's credentials, nor how to keep the apply credentials out of it: lacks %q", want)
		}
	}
}

// Issue 21 rewrote the example's apply job, but the guides still carry the
// old one. agents.md's production `apply` job (the one an agent's changes
// reach after merge) downloads the plan artifact into the checkout, runs
// `terraform init -lockfile=readonly` on the change's files with the apply
// role, applies a relative `tfplan` in infra/, and looks the author up with
// a GitHub token in the same job: issue 21's findings 1 and 2, copied. Every
// guide's YAML for a job in `production` must keep issue 21's rule.
func TestRedteamGuidesApplyJobsRunNoInit(t *testing.T) {
	fence := regexp.MustCompile("(?s)```ya?ml\n(.*?)```")
	files, err := filepath.Glob(filepath.Join(root, "templates", "guides", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("guides: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range fence.FindAllStringSubmatch(string(b), -1) {
			for _, job := range productionJobs(m[1]) {
				// "no terraform init" (a comment saying there is none) is fine.
				job = regexp.MustCompile(`(?i)no terraform init`).ReplaceAllString(job, "")
				for _, bad := range []string{"terraform init", "working-directory: infra", "steps.author.outputs", "github.token"} {
					if strings.Contains(job, bad) {
						t.Errorf("%s: a production job's YAML holds %q (issue 21: no init and no change files where the apply role is; the plan outside the checkout; the author from a job without the apply role)", filepath.Base(f), bad)
					}
				}
			}
		}
	}
}

// productionJobs returns the text, comments included, of each job in a YAML
// block that names `environment: production`: from the job's key line to the
// next line indented no deeper.
func productionJobs(block string) []string {
	lines := strings.Split(block, "\n")
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	var jobs []string
	for i, l := range lines {
		if strings.TrimSpace(l) != "environment: production" && !strings.HasPrefix(strings.TrimSpace(l), "environment: production ") {
			continue
		}
		h := i - 1
		for h >= 0 && (strings.TrimSpace(lines[h]) == "" || strings.HasPrefix(strings.TrimSpace(lines[h]), "#") || indent(lines[h]) >= indent(l)) {
			h--
		}
		if h < 0 {
			continue
		}
		end := h + 1
		for end < len(lines) && (strings.TrimSpace(lines[end]) == "" || indent(lines[end]) > indent(lines[h])) {
			end++
		}
		jobs = append(jobs, strings.Join(lines[h:end], "\n"))
	}
	return jobs
}
