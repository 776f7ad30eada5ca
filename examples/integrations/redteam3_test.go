package integrations_test

// Red-team review 3 of the CI integrations as users copy them. Each test names
// the attack path it closes; see the review's report for the evidence.

import (
	"strings"
	"testing"
)

// The Atlantis plan approval must not be a blind signature. Any pull
// request's plan-time code runs as the atlantis user and can rewrite any pull
// request's saved plan (atlantis.md says so) before an approver types
// `atlantis apply` there. The wrapper then prints the SHA-256 of the swapped
// file and exits before the gate reports anything, and the guide tells the
// approver to sign that hash ("approve-plan" takes only --plan-sha256): the
// approver signs bytes they never saw, and the next apply applies them. The
// guide must tell approvers to sign only the hash of a plan file they copied
// off the server and inspected themselves.
func TestRedteamAtlantisPlanApprovalIsNotBlind(t *testing.T) {
	guide := readExample(t, "templates/guides/atlantis.md")
	i := strings.Index(guide, "- **Approving the plan.**")
	if i < 0 {
		t.Fatal("atlantis.md: no **Approving the plan.** item")
	}
	sec := guide[i:]
	if j := strings.Index(sec[3:], "\n- **"); j >= 0 {
		sec = sec[:j+3]
	}
	// Issue 21 follow-up: the approver signs the file itself (approve-plan --plan
	// computes the hash), fetched from where the wrapper kept its private copy.
	for _, want := range []string{"sha256sum", "copied", "never a hash", "approve-plan --plan tfplan", "/var/lib/planguard-plans/"} {
		if !strings.Contains(sec, want) {
			t.Errorf("atlantis.md's **Approving the plan.** lets the approver sign the hash the wrapper printed (a plan any pull request's plan-time code can swap) without checking it against a plan file they copied and inspected: lacks %q", want)
		}
	}
	script := readExample(t, "examples/integrations/atlantis/planguard-atlantis-apply.sh")
	if !strings.Contains(script, "copied and inspected") {
		t.Error("planguard-atlantis-apply.sh: the plan-approval step does not warn that the printed hash is of a file any plan-time code can swap")
	}
}

// The apply role must be bound to a push to main, not to the environment's
// name alone. The role's trust policy, as documented, names
// environment:production, and that environment's deployment-branch rule is
// the only thing between it and a pull request's copy of a workflow. GitHub
// judges a pull_request run's environment against the pull request's head
// branch: a pull request *from* main into a branch the attacker pushed (whose
// workflow file is theirs, so the merge ref carries it) can name
// `environment: production`. The OIDC subject must also carry the ref and
// the event (a custom sub claim with `ref` and `event_name`), and the trust
// policy require refs/heads/main and push.
func TestRedteamGitHubApplyRoleBoundToMainPush(t *testing.T) {
	wf := readExample(t, "examples/integrations/github-actions/terraform.yml")
	guide := readExample(t, "templates/guides/github-action.md")
	for where, text := range map[string]string{"terraform.yml": wf, "github-action.md": guide} {
		for _, want := range []string{"include_claim_keys", "event_name:push", "ref:refs/heads/main"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the apply role's trust is the environment name alone (a pull request from main into an attacker's branch is judged as branch main): lacks %q", where, want)
			}
		}
	}
}

// The author of a plan on main is one pull request's, but the plan carries
// every merged change not yet applied. Attacker A (a trusted signer) merges a
// destructive change with an approval A signed: its apply blocks (A is the
// author), or is cancelled while pending (a concurrency group keeps one
// pending job: the next push's replaces it). The next merge, B's harmless
// pull request, plans main again, with A's change still in it, and the author
// job names B: A's own signature now counts. The guides must say so, and the
// author step must exclude every author since the last applied commit (or the
// pipeline fail while an earlier merge is unapplied).
func TestRedteamAuthorCoversUnappliedMerges(t *testing.T) {
	for _, f := range []string{"templates/guides/github-action.md", "templates/guides/gitlab.md", "templates/guides/ci.md"} {
		text := readExample(t, f)
		if !strings.Contains(text, "not yet applied") {
			t.Errorf("%s: a plan on the default branch carries every merged change not yet applied, yet is attributed to the last pull request's author alone (an earlier author's own signature then counts): the guide does not say so", f)
		}
	}
}

// Anyone with write access (the actor who pushes branches) can re-run an old
// run of this workflow on main: its jobs are on main, so `production` admits
// them. "Re-run all jobs" plans an old commit against today's state and
// applies it: a rollback of everything merged since (unprotected resources
// created since are deleted; an unexpired approval of that old commit covers
// its delete again). The apply job, or the author job it needs (which alone
// holds a token for the API), must refuse a commit that is no longer the
// head of main. (Re-running the apply job alone reuses the old plan, which
// Terraform refuses as stale once the state moved on.)
func TestRedteamGitHubApplyRefusesAnOldRun(t *testing.T) {
	wf := yamlMap(t, readExample(t, "examples/integrations/github-actions/terraform.yml"))
	var scripts []string
	for _, job := range []string{"author", "apply"} { // a job the apply needs, or the apply itself
		for _, s := range asList(asMap(asMap(wf["jobs"])[job])["steps"]) {
			scripts = append(scripts, str(asMap(s)["run"]))
		}
	}
	all := strings.Join(scripts, "\n")
	if !(strings.Contains(all, "commits/main") || strings.Contains(all, "git/ref/heads/main")) || !strings.Contains(all, `"$GITHUB_SHA"`) {
		t.Error("terraform.yml: the apply job applies whatever commit its run was for: a re-run of an old run on main rolls production back (no check that GITHUB_SHA is still main's head)")
	}
}

// A pull request's copy of the workflow can name the apply job's concurrency
// group with cancel-in-progress: true and interrupt a running apply. No group
// name prevents it (the pull request writes the same string; anyone with
// write access can cancel a run anyway): the residual must be said plainly
// where the workflow is explained and in the security guide.
func TestRedteamConcurrencyCancelIsDocumented(t *testing.T) {
	for f, want := range map[string][]string{
		"templates/guides/github-action.md": {"A running apply can be cancelled, and nothing here prevents it", "cancel-in-progress: true", "actions/runs/RUN_ID/cancel", "force-unlock"},
		"templates/guides/security.md":      {"A running apply can be interrupted", "cancel-in-progress: true"},
	} {
		text := strings.Join(strings.Fields(readExample(t, f)), " ")
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not state the concurrency-cancel residual: lacks %q", f, w)
			}
		}
	}
}
