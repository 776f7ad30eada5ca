package integrations_test

// The hardening properties of issue 12, checked on the parsed examples (and
// the YAML blocks of the guides), so that a later edit cannot silently undo
// them: triggers, which job holds which environment or secret, plan and apply
// never in one job, `terraform init -lockfile=readonly`, no build cache where
// the gate is built, an absolute --terraform-bin, the author from the merged
// pull request's API, and every action or image pinned by commit or digest.
// Issue 21 adds: nothing the change or the plan job wrote runs where a secret
// is held (one checked plan file outside the checkout, its SHA-256 from the
// plan job; no terraform init and no checkout of the change's files in gate
// or apply jobs; no dotenv), id-token and security-events only where they
// belong, the apply's own never-cancelled concurrency group, and an Atlantis
// wrapper that needs a plan approval and reads the author from the VCS.
// Each check is also run on mutated copies, which it must reject.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

var (
	shaPinRe    = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$`)
	digestPinRe = regexp.MustCompile(`@sha256:[0-9a-f]{64}$`)
)

func yamlMap(t *testing.T, text string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("YAML: %v", err)
	}
	return m
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

// flatStrings returns every string in v (lists flattened, as GitLab does with
// nested script arrays).
func flatStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, flatStrings(e)...)
		}
		return out
	}
	return nil
}

// commandsIn returns the simple commands (words) of shell scripts.
func commandsIn(scripts []string) [][]string {
	var out [][]string
	for _, s := range scripts {
		for _, w := range shellCommands(s) {
			if w = commandWords(w); len(w) > 0 {
				out = append(out, w)
			}
		}
	}
	return out
}

func isTool(w, name string) bool {
	b := filepath.Base(w)
	return b == name
}

// tfCommand reports whether cmd is `terraform SUB` (or tofu).
func tfCommand(cmd []string, sub string) bool {
	return len(cmd) > 1 && (isTool(cmd[0], "terraform") || isTool(cmd[0], "tofu")) && cmd[1] == sub
}

func planguardCommand(cmd []string, sub string) bool {
	return len(cmd) > 1 && isPlanguard(cmd[0]) && cmd[1] == sub
}

func flagValue(cmd []string, name string) (string, bool) {
	for i, a := range cmd {
		if a == "--" {
			break
		}
		if a == "-"+name || a == "--"+name {
			if i+1 < len(cmd) {
				return cmd[i+1], true
			}
			return "", true
		}
		for _, p := range []string{"-" + name + "=", "--" + name + "="} {
			if v, ok := strings.CutPrefix(a, p); ok {
				return v, true
			}
		}
	}
	return "", false
}

// commandProblems: properties of single commands, wherever they appear.
func commandProblems(where string, cmds [][]string) []string {
	var p []string
	for _, c := range cmds {
		line := strings.Join(c, " ")
		if tfCommand(c, "init") && !contains(c, "-lockfile=readonly") {
			p = append(p, fmt.Sprintf("%s: %q: terraform init without -lockfile=readonly installs providers the lock file does not name", where, line))
		}
		if planguardCommand(c, "apply") {
			v, ok := flagValue(c, "terraform-bin")
			if !ok || !(strings.HasPrefix(v, "/") || strings.HasPrefix(v, "$")) {
				p = append(p, fmt.Sprintf("%s: %q: planguard apply needs an absolute --terraform-bin (else PATH or PLANGUARD_TERRAFORM decide what runs)", where, line))
			}
		}
		if len(c) > 0 && isPlanguard(c[0]) {
			if v, ok := flagValue(c, "author"); ok && (v == "" || strings.Contains(v, "head_commit") || strings.Contains(v, "CI_COMMIT_AUTHOR")) {
				p = append(p, fmt.Sprintf("%s: %q: the author must come from the merged pull request, not commit metadata", where, line))
			}
		}
	}
	return p
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// ---- GitHub Actions ----

type ghJob struct {
	name        string
	environment string
	raw         map[string]any
	steps       []map[string]any
	scripts     []string
}

func ghJobs(wf map[string]any) []ghJob {
	var jobs []ghJob
	for name, v := range asMap(wf["jobs"]) {
		j := ghJob{name: name, raw: asMap(v)}
		switch e := j.raw["environment"].(type) {
		case string:
			j.environment = e
		case map[string]any:
			j.environment = str(e["name"])
		}
		for _, s := range asList(j.raw["steps"]) {
			st := asMap(s)
			j.steps = append(j.steps, st)
			if r := str(st["run"]); r != "" {
				j.scripts = append(j.scripts, r)
			}
		}
		jobs = append(jobs, j)
	}
	sort.Slice(jobs, func(a, b int) bool { return jobs[a].name < jobs[b].name })
	return jobs
}

func usesName(u string) string { name, _, _ := strings.Cut(u, "@"); return name }

// githubProblems checks a workflow (an example file or a guide's YAML block).
func githubProblems(where string, wf map[string]any) []string {
	var p []string
	raw, _ := yaml.Marshal(wf)
	for _, bad := range []string{"head_commit", "github.actor", "pull_request_target", "event.workflow_run"} {
		if strings.Contains(string(raw), bad) {
			p = append(p, fmt.Sprintf("%s: uses %s", where, bad))
		}
	}
	if _, ok := asMap(wf["on"])["workflow_run"]; ok || strings.Contains(str(wf["on"]), "workflow_run") || strings.Contains(fmt.Sprint(wf["on"]), "workflow_run") {
		p = append(p, where+": triggered by workflow_run")
	}
	// Review 5: a stored credential is an environment secret (of a protected environment),
	// never a repository secret, which every run of every branch reads. The YAML cannot
	// tell the two apart, but a job without an environment can read only repository
	// secrets, and a workflow-level env reaches every job.
	if strings.Contains(fmt.Sprint(wf["env"]), "secrets.") {
		p = append(p, where+": a secret in the workflow-level env reaches every job")
	}
	for _, j := range ghJobs(wf) {
		jw := where + " job " + j.name
		if rawJob, _ := yaml.Marshal(j.raw); j.environment == "" && regexp.MustCompile(`secrets\.[A-Za-z_]`).MatchString(strings.ReplaceAll(string(rawJob), "secrets.GITHUB_TOKEN", "")) {
			p = append(p, jw+": reads a secret without an environment, so a repository secret (any branch's run reads those): keep credentials in a protected environment's secrets")
		}
		cmds := commandsIn(j.scripts)
		p = append(p, commandProblems(jw, cmds)...)
		plans, applies := false, false
		for _, c := range cmds {
			plans = plans || tfCommand(c, "plan")
			applies = applies || tfCommand(c, "apply") || planguardCommand(c, "apply")
		}
		if plans && applies {
			p = append(p, jw+": plans and applies in one job (the change's code, run by plan, could change what apply runs)")
		}
		if j.environment != "" && j.environment != "plan" && plans {
			p = append(p, fmt.Sprintf("%s: runs terraform plan in environment %q, which holds more than read-only credentials", jw, j.environment))
		}
		if applies && j.environment != "production" {
			p = append(p, fmt.Sprintf("%s: applies outside the protected environment production (environment %q)", jw, j.environment))
		}
		if j.environment == "production" {
			cond := str(j.raw["if"])
			if !strings.Contains(cond, "github.event_name == 'push'") || !strings.Contains(cond, "refs/heads/main") {
				p = append(p, fmt.Sprintf("%s: production job runs if %q; want only on a push to main", jw, cond))
			}
			p = append(p, productionProblems(jw, wf, j)...)
		}
		for _, st := range j.steps {
			u := str(st["uses"])
			with := asMap(st["with"])
			if u == "" {
				continue
			}
			if !strings.HasPrefix(u, "./") && !shaPinRe.MatchString(u) {
				p = append(p, fmt.Sprintf("%s: uses %q: pin actions by commit SHA", jw, u))
			}
			role := str(with["role-to-assume"])
			if strings.Contains(role, "APPLY") && j.environment != "production" {
				p = append(p, fmt.Sprintf("%s: the apply role outside environment production", jw))
			}
			if strings.Contains(role, "PLAN") && j.environment != "plan" {
				p = append(p, fmt.Sprintf("%s: the plan role outside environment plan", jw))
			}
			switch usesName(u) {
			case "actions/setup-go":
				if str(with["cache"]) != "false" {
					p = append(p, jw+": actions/setup-go without cache: false (a cache another job wrote builds the gate)")
				}
			case "actions/cache", "actions/cache/restore":
				p = append(p, jw+": restores a cache")
			case "actions/checkout":
				if str(with["persist-credentials"]) != "false" {
					p = append(p, jw+": actions/checkout leaves its token in .git/config for plan-time code (persist-credentials: false)")
				}
			case "planguard/terraform-provider-planguard":
				switch {
				case str(with["plan"]) == "" && str(with["install-only"]) != "true":
					p = append(p, jw+": the planguard action without plan and without install-only: true")
				case str(with["plan"]) != "" && !strings.HasPrefix(str(with["terraform-bin"]), "${{ steps.") && !strings.HasPrefix(str(with["terraform-bin"]), "/"):
					p = append(p, jw+": the planguard action checks a plan without an absolute terraform-bin")
				case str(with["plan"]) != "" && str(with["author"]) == "" && str(wf["name"]) != "":
					p = append(p, jw+": the planguard action without an author")
				}
			}
		}
	}
	p = append(p, permissionProblems(where, wf)...)
	return p
}

// resolvesAuthor reports whether scripts look the author up from the merged
// pull request through the API, failing when they cannot.
func resolvesAuthor(scripts []string) bool {
	all := strings.Join(scripts, "\n")
	return strings.Contains(all, "commits/$GITHUB_SHA/pulls") && strings.Contains(all, `select(.merged_at != null and .merge_commit_sha == \"$GITHUB_SHA\")`) && strings.Contains(all, "exit 1")
}

var needsOutputRe = regexp.MustCompile(`needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)

func permissionsOf(j ghJob) map[string]string {
	out := map[string]string{}
	for k, v := range asMap(j.raw["permissions"]) {
		out[k] = str(v)
	}
	return out
}

// productionProblems: issue 21's properties of the job that holds the apply
// role. Nothing the change (or the plan job, which ran its code) wrote runs
// there: no terraform init, only policy/ checked out, the plan artifact
// downloaded outside the checkout and accepted only as one regular file
// whose SHA-256 the plan job recorded; the author from a job that resolves it
// through the API; and a concurrency group of its own that is never cancelled.
func productionProblems(jw string, wf map[string]any, j ghJob) []string {
	var p []string
	jobs := map[string]ghJob{}
	for _, o := range ghJobs(wf) {
		jobs[o.name] = o
	}
	rawJob, _ := yaml.Marshal(j.raw)
	// The author: looked up here, or in a job whose output this job reads.
	authorOK := resolvesAuthor(j.scripts)
	for _, st := range j.steps {
		for _, k := range []string{"AUTHOR", "AUTHORS"} {
			if a := str(asMap(st["env"])[k]); a != "" {
				m := needsOutputRe.FindStringSubmatch(a)
				authorOK = authorOK || m != nil && resolvesAuthor(jobs[m[1]].scripts) && jobs[m[1]].environment == "" && permissionsOf(jobs[m[1]])["id-token"] == ""
			}
		}
	}
	if !authorOK {
		p = append(p, jw+": does not resolve the author from the merged pull request through the API (in a job without the apply role), failing when it cannot")
	}
	p = append(p, authorsProblems(jw, jobs, j)...)
	for _, c := range commandsIn(j.scripts) {
		if len(c) > 0 && (isTool(c[0], "terraform") || isTool(c[0], "tofu")) {
			p = append(p, fmt.Sprintf("%s: runs %q: no terraform in the apply job (init would run the change's backend and provider settings with the apply role; planguard apply builds its own clean room)", jw, strings.Join(c, " ")))
		}
	}
	perms := permissionsOf(j)
	if perms["pull-requests"] != "" || strings.Contains(string(rawJob), "github.token") {
		p = append(p, jw+": holds a GitHub token for the API beside the apply role (split the author lookup into its own job)")
	}
	downloaded, verified, hashed := false, false, false
	for _, st := range j.steps {
		with := asMap(st["with"])
		switch usesName(str(st["uses"])) {
		case "actions/checkout":
			// ref: main (main's head, which the head check compares with GITHUB_SHA), or none.
			if ref := str(with["ref"]); str(with["sparse-checkout"]) == "" || str(with["sparse-checkout-cone-mode"]) != "false" || (with["ref"] != nil && ref != "main" && ref != "refs/heads/main") || with["repository"] != nil {
				p = append(p, jw+": checks out more than policy/ from main (sparse-checkout without cone mode)")
			}
			// Review 5: without cone mode the patterns are gitignore-style, and `policy/`
			// matches a directory named policy at any depth (x/policy/): only /policy/.
			if pats := strings.Fields(str(with["sparse-checkout"])); len(pats) != 1 || pats[0] != "/policy/" {
				p = append(p, fmt.Sprintf("%s: sparse-checkout %q: want exactly the anchored /policy/ (non-cone patterns are gitignore-style: policy/ matches x/policy/ too)", jw, str(with["sparse-checkout"])))
			}
		case "actions/download-artifact":
			downloaded = true
			if !strings.HasPrefix(str(with["path"]), "${{ runner.temp }}/") {
				p = append(p, fmt.Sprintf("%s: downloads an artifact to %q: download outside the checkout, into ${{ runner.temp }}", jw, str(with["path"])))
			}
		}
		r := str(st["run"])
		if strings.Contains(r, `find . -mindepth 1 -maxdepth 1 -printf '%y %P\n'`) && strings.Contains(r, `[ "$entries" = "f tfplan" ] ||`) {
			verified = true
		}
		if strings.Contains(r, `[ "$got" = "$WANT" ] ||`) && strings.Contains(r, "sha256sum tfplan") {
			if m := needsOutputRe.FindStringSubmatch(str(asMap(st["env"])["WANT"])); m != nil {
				plan := jobs[m[1]]
				out := str(asMap(plan.raw["outputs"])[m[2]])
				hashed = strings.Contains(out, "steps.") && strings.Contains(strings.Join(plan.scripts, "\n"), "sha256sum tfplan")
			}
		}
	}
	// planguard apply applies the file the checking step vouched for.
	for _, st := range j.steps {
		for _, c := range commandsIn([]string{str(st["run"])}) {
			if !planguardCommand(c, "apply") {
				continue
			}
			m := regexp.MustCompile(`^\$\{\{ steps\.([A-Za-z0-9_-]+)\.outputs\.file \}\}$`).FindStringSubmatch(str(asMap(st["env"])["PLAN"]))
			checker := false
			for _, o := range j.steps {
				if m != nil && str(o["id"]) == m[1] && strings.Contains(str(o["run"]), `[ "$entries" = "f tfplan" ] ||`) {
					checker = true
				}
			}
			if c[len(c)-1] != "$PLAN" || !checker {
				p = append(p, fmt.Sprintf("%s: %q does not apply the file the artifact check vouched for ($PLAN from its step's output file)", jw, strings.Join(c, " ")))
			}
		}
	}
	// Review 4: the apply job checks main's head itself (re-running only the apply job
	// of an old run reuses the author job's outputs, and skips its check): a checkout of
	// main, then a step comparing its head with GITHUB_SHA before planguard apply runs.
	headChecked, mainCheckedOut := false, false
	for _, st := range j.steps {
		if usesName(str(st["uses"])) == "actions/checkout" && str(asMap(st["with"])["ref"]) == "main" {
			mainCheckedOut = true
		}
		r := str(st["run"])
		if mainCheckedOut && strings.Contains(r, `head="$(git rev-parse --verify 'refs/heads/main^{commit}')"`) && strings.Contains(r, `[ "$head" = "$GITHUB_SHA" ] || {`) {
			headChecked = true
		}
		for _, c := range commandsIn([]string{r}) {
			if planguardCommand(c, "apply") && !headChecked {
				p = append(p, jw+": planguard apply runs before the job itself checks that GITHUB_SHA is main's head (a re-run of an old run's apply job alone skips the author job's check)")
			}
		}
	}
	if downloaded && !verified {
		p = append(p, jw+": does not check that the artifact is exactly one regular file, tfplan")
	}
	if downloaded && !hashed {
		p = append(p, jw+": does not compare the plan's SHA-256 with the one the plan job recorded as a job output")
	}
	p = append(p, cliConfigProblems(jw, j)...)
	// Concurrency: a group of its own, never cancelled.
	conc := asMap(j.raw["concurrency"])
	group := str(conc["group"])
	if group == "" || str(conc["cancel-in-progress"]) != "false" {
		p = append(p, jw+": no concurrency group of its own with cancel-in-progress: false (a later run would cancel a running apply)")
	}
	if wc := wf["concurrency"]; wc != nil {
		if g := str(asMap(wc)["group"]); g == group || str(wc) == group || str(asMap(wc)["cancel-in-progress"]) == "true" {
			p = append(p, jw+": the workflow-level concurrency can cancel the apply")
		}
	}
	for _, o := range jobs {
		if o.name != j.name && str(asMap(o.raw["concurrency"])["group"]) == group && group != "" {
			p = append(p, fmt.Sprintf("%s: job %s shares the apply's concurrency group", jw, o.name))
		}
	}
	return p
}

// authorsProblems: the plan of main carries every merge not yet applied, so
// the apply excludes the author of each (issue 21, follow-up): the step that
// runs planguard apply passes one --author per login of $AUTHORS, and
// AUTHORS is an output of a job that lists the commits since the last
// applied commit (the compare API from this workflow's last successful run)
// and reads each one's merged pull request, failing when it cannot.
func authorsProblems(jw string, jobs map[string]ghJob, j ghJob) []string {
	var p []string
	for _, st := range j.steps {
		applies := false
		for _, c := range commandsIn([]string{str(st["run"])}) {
			applies = applies || planguardCommand(c, "apply")
		}
		if !applies {
			continue
		}
		r := str(st["run"])
		if !strings.Contains(r, `for a in $AUTHORS; do set -- "$@" --author "$a"; done`) || !strings.Contains(r, `[ "$#" -gt 0 ] ||`) {
			p = append(p, jw+": planguard apply does not pass every author in $AUTHORS (one --author each, failing when there is none)")
			continue
		}
		m := needsOutputRe.FindStringSubmatch(str(asMap(st["env"])["AUTHORS"]))
		if m == nil {
			p = append(p, jw+": AUTHORS is not another job's output")
			continue
		}
		src := jobs[m[1]]
		out := str(asMap(src.raw["outputs"])[m[2]])
		p = append(p, authorScriptProblems(fmt.Sprintf("%s: the job %s", jw, m[1]), strings.Join(src.scripts, "\n"))...)
		p = append(p, authorEnvProblems(fmt.Sprintf("%s: the job %s", jw, m[1]), src.steps)...)
		// The compare and commit APIs read the repository's contents: without
		// contents: read (job-level permissions replace the workflow's) the job fails
		// on every push of a private repository.
		if permissionsOf(src)["contents"] != "read" {
			p = append(p, fmt.Sprintf("%s: the job %s lacks contents: read (main's head and the commits since the last apply)", jw, m[1]))
		}
		if !strings.HasSuffix(out, ".outputs.logins }}") {
			p = append(p, fmt.Sprintf("%s: AUTHORS is %s's output %s = %q, not the logins of every merge not yet applied", jw, m[1], m[2], out))
		}
	}
	return p
}

// authorScriptProblems checks the author lookup of a push to main: it
// refuses a run whose commit is no longer the head of main (a re-run of an
// old run would roll production back), and lists the author of every merge
// since the last applied commit (this workflow's last successful push run,
// whose commit must be a pull request's merge into main, or the variable
// PLANGUARD_LAST_APPLIED_SHA), each commit's merged pull request, failing
// when there is none. Review 5: with no commit known to be applied (the first
// run, runs deleted) it fails closed, never treating the range as empty.
func authorScriptProblems(where, all string) []string {
	var p []string
	// The branch itself (git/ref/heads/main), not commits/main, which a tag named main can answer.
	if !strings.Contains(all, `head="$(gh api "repos/$GITHUB_REPOSITORY/git/ref/heads/main" --jq .object.sha)"`) || !strings.Contains(all, `[ "$head" = "$GITHUB_SHA" ] || {`) {
		p = append(p, where+" does not refuse a run whose commit is no longer the head of main (the branch refs/heads/main, through git/ref/heads/main)")
	}
	for _, want := range []string{`commits/$GITHUB_SHA/pulls`, `select(.merged_at != null and .merge_commit_sha == \"$GITHUB_SHA\")`, `/runs?branch=main&event=push&status=success`, `compare/$last...$GITHUB_SHA`, `commits/$sha/pulls`, `select(.merged_at)`, `[ -n "$by" ] || {`, `echo "logins=$logins" >> "$GITHUB_OUTPUT"`} {
		if !strings.Contains(all, want) {
			p = append(p, fmt.Sprintf("%s does not list the authors of every merge since the last applied commit: lacks %q", where, want))
		}
	}
	// The last successful run's commit is a pull request's merge into main (a run of a
	// pushed tag named main is listed under branch=main too).
	for _, want := range []string{`commits/$last/pulls`, `.merge_commit_sha == \"$last\" and .base.ref == \"main\"`, `[ "$merged" -gt 0 ] || {`} {
		if !strings.Contains(all, want) {
			p = append(p, fmt.Sprintf("%s does not check that the last successful run's commit is a pull request's merge into main: lacks %q", where, want))
		}
	}
	// The bootstrap: PLANGUARD_LAST_APPLIED_SHA, a full SHA, used when there is no run
	// or when it is later than the run's commit.
	for _, want := range []string{`case "$LAST_APPLIED" in *[!0-9a-f]*)`, `[ "${#LAST_APPLIED}" -eq 40 ] || {`, `compare/$last...$LAST_APPLIED`, `last="$LAST_APPLIED"`} {
		if !strings.Contains(all, want) {
			p = append(p, fmt.Sprintf("%s does not start from PLANGUARD_LAST_APPLIED_SHA when there is no successful run: lacks %q", where, want))
		}
	}
	// Fail closed: an unconditional `[ -n "$last" ] || { ...; exit 1; }` at the level of
	// the compare, before it, and no path that warns and goes on.
	failLine := regexp.MustCompile(`(?m)^([ \t]*)\[ -n "\$last" \] \|\| \{ echo "::error::[^"]*"; exit 1; \}$`).FindStringSubmatchIndex(all)
	cmpLine := regexp.MustCompile(`(?m)^([ \t]*)shas="\$\(gh api "repos/\$GITHUB_REPOSITORY/compare/\$last\.\.\.\$GITHUB_SHA"`).FindStringSubmatchIndex(all)
	switch {
	case failLine == nil:
		p = append(p, where+" goes on with no commit known to be applied (want `[ -n \"$last\" ] || { echo \"::error::…\"; exit 1; }`): the first run, or runs deleted, would exclude only this merge's author")
	case cmpLine == nil || cmpLine[0] < failLine[0] || all[failLine[2]:failLine[3]] != all[cmpLine[2]:cmpLine[3]]:
		p = append(p, where+" lists the commits since the last apply outside the block that failed closed on an unknown last commit")
	}
	if strings.Contains(all, "::warning::no earlier successful run") {
		p = append(p, where+" warns and goes on when there is no earlier successful run")
	}
	return p
}

// authorEnvProblems: the author step reads PLANGUARD_LAST_APPLIED_SHA (a
// repository variable only administrators set) as LAST_APPLIED.
func authorEnvProblems(where string, steps []map[string]any) []string {
	for _, st := range steps {
		if strings.Contains(str(st["run"]), "compare/$last...$GITHUB_SHA") && str(asMap(st["env"])["LAST_APPLIED"]) == "${{ vars.PLANGUARD_LAST_APPLIED_SHA }}" {
			return nil
		}
	}
	return []string{where + ": the author step does not get LAST_APPLIED from vars.PLANGUARD_LAST_APPLIED_SHA (the start when there is no successful run)"}
}

// cliConfigProblems: a job that runs planguard apply sets TF_CLI_CONFIG_FILE
// (in the apply step's env, or the job's) to a file under ${{ runner.temp }}
// that an earlier step of the same job writes, from the workflow itself, with
// an explicit provider_installation and no dev_overrides (issue 16: the apply
// job's own CLI configuration, not one a checkout or an artifact brings).
func cliConfigProblems(jw string, j ghJob) []string {
	var p []string
	for i, st := range j.steps {
		applies := false
		for _, c := range commandsIn([]string{str(st["run"])}) {
			applies = applies || planguardCommand(c, "apply")
		}
		if !applies {
			continue
		}
		cfg := str(asMap(st["env"])["TF_CLI_CONFIG_FILE"])
		if cfg == "" {
			cfg = str(asMap(j.raw["env"])["TF_CLI_CONFIG_FILE"])
		}
		file, ok := strings.CutPrefix(cfg, "${{ runner.temp }}/")
		if !ok || file == "" || strings.ContainsAny(file, "/$") {
			p = append(p, fmt.Sprintf("%s: planguard apply without TF_CLI_CONFIG_FILE set to a file the job writes under ${{ runner.temp }} (got %q): the CLI configuration decides which provider builds run", jw, cfg))
			continue
		}
		written := false
		for _, o := range j.steps[:i] {
			r := str(o["run"])
			if strings.Contains(r, `>"$RUNNER_TEMP/`+file+`"`) && strings.Contains(r, "provider_installation {") && !strings.Contains(r, "dev_overrides") {
				written = true
			}
		}
		if !written {
			p = append(p, fmt.Sprintf("%s: no earlier step writes %s with an explicit provider_installation (and no dev_overrides)", jw, cfg))
		}
	}
	return p
}

// permissionProblems: id-token: write only in the plan and production
// environments' jobs, security-events: write exactly where upload-sarif runs.
func permissionProblems(where string, wf map[string]any) []string {
	var p []string
	for _, j := range ghJobs(wf) {
		jw := where + " job " + j.name
		perms := permissionsOf(j)
		if perms["id-token"] == "write" && j.environment != "plan" && j.environment != "production" {
			p = append(p, jw+": id-token: write outside the plan and production environments")
		}
		sarif := false
		for _, st := range j.steps {
			sarif = sarif || usesName(str(st["uses"])) == "github/codeql-action/upload-sarif"
		}
		if sarif && perms["security-events"] != "write" {
			p = append(p, jw+": runs upload-sarif without security-events: write (the upload fails)")
		}
		if !sarif && perms["security-events"] != "" {
			p = append(p, jw+": security-events permission in a job that uploads no SARIF")
		}
		if sarif && (j.environment != "" || perms["id-token"] != "") {
			p = append(p, jw+": upload-sarif in a job with a cloud role")
		}
	}
	if perms := asMap(wf["permissions"]); perms["security-events"] != nil || perms["id-token"] != nil {
		p = append(p, where+": workflow-level id-token or security-events permission reaches every job")
	}
	return p
}

// ---- GitLab CI ----

func gitlabProblems(where string, ci map[string]any) []string {
	var p []string
	if img := str(asMap(ci["default"])["image"]); !digestPinRe.MatchString(img) {
		p = append(p, fmt.Sprintf("%s: default image %q: pin by digest", where, img))
	}
	envs := map[string][]string{} // environment → jobs naming it
	for name, v := range ci {
		job := asMap(v)
		if job == nil || strings.HasPrefix(name, ".") || job["stage"] == nil {
			continue
		}
		jw := where + " job " + name
		env := ""
		switch e := job["environment"].(type) {
		case string:
			env = e
		case map[string]any:
			env = str(e["name"])
		}
		envs[env] = append(envs[env], name)
		var scripts []string
		for _, k := range []string{"before_script", "script", "after_script"} {
			scripts = append(scripts, flatStrings(job[k])...)
		}
		all := strings.Join(scripts, "\n")
		cmds := commandsIn(scripts)
		p = append(p, commandProblems(jw, cmds)...)
		plans, applies := false, false
		for _, c := range cmds {
			plans = plans || tfCommand(c, "plan")
			applies = applies || tfCommand(c, "apply") || planguardCommand(c, "apply")
		}
		if plans && applies {
			p = append(p, jw+": plans and applies in one job")
		}
		if plans && env != "" {
			p = append(p, fmt.Sprintf("%s: runs terraform plan in environment %q (its scoped variables reach the change's code)", jw, env))
		}
		if applies && env != "production" {
			p = append(p, fmt.Sprintf("%s: applies outside environment production", jw))
		}
		for _, secret := range []string{"PLANGUARD_GATE_KEY", "PLANGUARD_API_TOKEN"} {
			if strings.Contains(all, secret) && env != "planguard-gate" {
				p = append(p, fmt.Sprintf("%s: reads %s outside environment planguard-gate", jw, secret))
			}
		}
		if env == "planguard-gate" && (!strings.Contains(all, "/merge_requests") || !strings.Contains(all, `test -n "$PLANGUARD_AUTHOR"`)) {
			p = append(p, jw+": does not resolve the author from the merged merge request through the API, failing when it cannot")
		}
		if _, ok := job["cache"]; ok && env != "" {
			p = append(p, jw+": a cache in a job with an environment")
		}
		if strings.Contains(all, "CI_COMMIT_AUTHOR") {
			p = append(p, jw+": takes the author from CI_COMMIT_AUTHOR")
		}
		// Issue 21: nothing the change or the plan job wrote runs where the
		// gate key or the apply credentials are.
		if env == "planguard-gate" || env == "production" {
			for _, c := range cmds {
				if len(c) > 0 && (isTool(c[0], "terraform") || isTool(c[0], "tofu")) {
					p = append(p, fmt.Sprintf("%s: runs %q in environment %s: no terraform there (planguard builds its own clean room from the saved plan)", jw, strings.Join(c, " "), env))
				}
			}
			// Review ci21b (G2): the runner extracts the artifact before the script;
			// the legacy extractor follows ../ names and symlink entries.
			if str(asMap(job["variables"])["FF_USE_FASTZIP"]) != "true" {
				p = append(p, jw+`: takes an artifact without fastzip (want variables: FF_USE_FASTZIP: "true"; the legacy extractor writes ../ and symlinked entries outside the project directory before the script runs)`)
			}
			if str(asMap(job["variables"])["GIT_STRATEGY"]) != "none" {
				p = append(p, jw+": checks out the change's files (want variables: GIT_STRATEGY: none)")
			}
			if !regexp.MustCompile(`(?m)^test "\$\(find \.[a-z]+ -mindepth 1 -maxdepth 1 -printf '%y %P\\n'.*\)" = "[^"]+" \|\| \{ .*exit 1; \}$`).MatchString(all) || !strings.Contains(all, `WORK="$(mktemp -d)" && cp .`) || !strings.Contains(all, `&& cd "$WORK"`) {
				p = append(p, jw+": does not take its artifact as exactly the expected regular files, copied out of the project directory")
			}
			for _, c := range cmds {
				if planguardCommand(c, "check") || planguardCommand(c, "apply") {
					if c[len(c)-1] != "tfplan" {
						p = append(p, fmt.Sprintf("%s: %q: want the copied tfplan in $WORK", jw, strings.Join(c, " ")))
					}
				}
			}
		}
		// Issue 21 follow-up: pipeline variables. The jobs that hold a secret run only for
		// push pipelines, fix the values they use in the script (a pipeline variable
		// overrides `variables:`), and write their own CLI configuration.
		if env == "planguard-gate" || env == "production" {
			for _, r := range asList(job["rules"]) {
				if cond := str(asMap(r)["if"]); !strings.Contains(cond, `$CI_PIPELINE_SOURCE == "push"`) {
					p = append(p, fmt.Sprintf("%s: runs if %q: want push pipelines only (Run pipeline, the API, triggers and schedules carry pipeline variables)", jw, cond))
				}
			}
			if len(asList(job["rules"])) == 0 {
				p = append(p, jw+": no rules (want a push to the default branch only)")
			}
			pinned := strings.Index(all, "export TERRAFORM_BIN=/usr/local/bin/terraform POLICY_DIR=")
			cfg := strings.Index(all, `TF_CLI_CONFIG_FILE="$(mktemp)" && printf '%s\n' 'provider_installation {' '  direct {}' '}' >"$TF_CLI_CONFIG_FILE" && export TF_CLI_CONFIG_FILE`)
			firstPG := len(all)
			for _, w := range []string{"planguard check", "planguard apply", "git clone"} {
				if i := strings.Index(all, w); i >= 0 && i < firstPG {
					firstPG = i
				}
			}
			if pinned < 0 || pinned > firstPG {
				p = append(p, jw+": does not fix TERRAFORM_BIN and POLICY_DIR in the script before it uses them (a pipeline variable overrides `variables:`)")
			}
			if cfg < 0 || cfg > firstPG || strings.Contains(all, "dev_overrides") {
				p = append(p, jw+": does not write and export its own CLI configuration (TF_CLI_CONFIG_FILE, an explicit provider_installation) before planguard runs")
			}
		}
		// Review 4: an old pipeline is never attested or applied (a retry of its jobs would
		// roll production back): gate and apply compare CI_COMMIT_SHA with the default
		// branch's head before planguard runs.
		if env == "planguard-gate" || env == "production" {
			// Review 5: ls-remote's pattern matches any ref ending in it; awk keeps the exact ref.
			head := strings.Index(all, `HEAD_SHA="$(GIT_DIR=/nonexistent git ls-remote --exit-code "$CI_REPOSITORY_URL" "refs/heads/$CI_DEFAULT_BRANCH" | awk -v ref="refs/heads/$CI_DEFAULT_BRANCH" '$2 == ref { print $1 }')"`)
			cmp := strings.Index(all, `test "$HEAD_SHA" = "$CI_COMMIT_SHA" || {`)
			firstPG := len(all)
			for _, w := range []string{"planguard check", "planguard apply"} {
				if i := strings.Index(all, w); i >= 0 && i < firstPG {
					firstPG = i
				}
			}
			if head < 0 || cmp < head || cmp > firstPG {
				p = append(p, jw+": does not refuse, before planguard runs, a commit that is no longer the default branch's head (a retried old pipeline rolls production back)")
			}
		}
		// Review 4: the default branch's jobs run on the protected runner (tags), and its
		// plan job clones afresh (a merge request's job on a shared runner leaves .git/config).
		onDefault := false
		for _, r := range asList(job["rules"]) {
			cond := str(asMap(r)["if"])
			onDefault = onDefault || strings.Contains(cond, "$CI_DEFAULT_BRANCH") && !strings.Contains(cond, "merge_request_event")
		}
		if onDefault && len(flatStrings(job["tags"])) == 0 {
			p = append(p, jw+": runs on the default branch without tags for a runner merge request jobs never use")
		}
		if onDefault && plans && str(asMap(job["variables"])["GIT_STRATEGY"]) != "clone" {
			p = append(p, jw+": the default branch's plan job does not clone afresh (GIT_STRATEGY: clone)")
		}
		if reports := asMap(asMap(job["artifacts"])["reports"]); reports["dotenv"] != nil {
			p = append(p, jw+": a dotenv report sets variables in later jobs (the plan job's code would choose them)")
		}
	}
	if _, ok := ci["cache"]; ok {
		p = append(p, where+": a global cache reaches the gate and apply jobs")
	}
	if _, ok := asMap(ci["default"])["cache"]; ok {
		p = append(p, where+": a default cache reaches the gate and apply jobs")
	}
	if j := envs["planguard-gate"]; len(j) != 1 {
		p = append(p, fmt.Sprintf("%s: jobs naming environment planguard-gate: %v, want exactly the gate job", where, j))
	}
	if j := envs["production"]; len(j) != 1 {
		p = append(p, fmt.Sprintf("%s: jobs naming environment production: %v, want exactly the apply job", where, j))
	}
	return p
}

// ---- Atlantis ----

func atlantisProblems(where string, cfg map[string]any, wrapper string) []string {
	var p []string
	for _, r := range asList(cfg["repos"]) {
		repo := asMap(r)
		if ov, ok := repo["allowed_overrides"]; !ok || len(asList(ov)) != 0 {
			p = append(p, where+": repositories may override the workflow (want allowed_overrides: [])")
		}
		if str(repo["allow_custom_workflows"]) != "false" {
			p = append(p, where+": repositories may define custom workflows")
		}
		// apply_requirements are hygiene only: plan-time code can call the
		// wrapper directly, so the wrapper itself carries the checks below.
	}
	wf := asMap(asMap(cfg["workflows"])["planguard"])
	stageScripts := func(stage string) (scripts []string, steps []any) {
		steps = asList(asMap(wf[stage])["steps"])
		for _, s := range steps {
			if m := asMap(s); m != nil && str(m["run"]) != "" {
				scripts = append(scripts, str(m["run"]))
			}
		}
		return scripts, steps
	}
	plan, planSteps := stageScripts("plan")
	initReadonly := false
	for _, s := range planSteps {
		if m := asMap(s); m != nil && m["init"] != nil {
			initReadonly = strings.Contains(fmt.Sprint(asMap(m["init"])["extra_args"]), "-lockfile=readonly")
		}
		if s == "init" {
			initReadonly = false
		}
	}
	if !initReadonly {
		p = append(p, where+": the plan stage's init step lacks extra_args -lockfile=readonly")
	}
	apply, _ := stageScripts("apply")
	for _, sc := range append(append([]string{}, plan...), apply...) {
		if strings.Contains(sc, "$PULL_AUTHOR") || strings.Contains(sc, `"${PULL_AUTHOR}"`) {
			p = append(p, fmt.Sprintf("%s: %q: PULL_AUTHOR used without failing when empty (${PULL_AUTHOR:?…})", where, sc))
		}
		for _, c := range commandsIn([]string{sc}) {
			if len(c) > 0 && isPlanguard(c[0]) && c[0] != "/usr/local/bin/planguard" {
				p = append(p, fmt.Sprintf("%s: %q: planguard by a path atlantis could write (want /usr/local/bin/planguard, root-owned)", where, strings.Join(c, " ")))
			}
			if len(c) > 0 && isPlanguard(c[0]) {
				if v, _ := flagValue(c, "policy"); !strings.HasPrefix(v, "/etc/planguard/") {
					p = append(p, fmt.Sprintf("%s: policy %q is not the root-owned /etc/planguard/", where, v))
				}
			}
		}
	}
	for _, c := range commandsIn(plan) {
		if planguardCommand(c, "apply") || tfCommand(c, "apply") {
			p = append(p, where+": the plan stage applies")
		}
	}
	applyOK := false
	for _, c := range commandsIn(apply) {
		if len(c) >= 5 && c[0] == "sudo" && strings.Join(c[1:4], " ") == "-n -u tfapply" && c[4] == "/usr/local/libexec/planguard-atlantis-apply.sh" {
			applyOK = true
			// The plan file and the pull request; never an author the caller picks.
			if strings.Join(c[5:], " ") != "$PLANFILE $BASE_REPO_OWNER/$BASE_REPO_NAME $PULL_NUM" {
				p = append(p, fmt.Sprintf("%s: the wrapper gets %q, want exactly the plan file and the pull request (the wrapper reads the author from the VCS)", where, strings.Join(c[5:], " ")))
			}
		}
		if planguardCommand(c, "apply") || tfCommand(c, "apply") {
			p = append(p, where+": the apply stage applies as the atlantis user, which runs every pull request's plan-time code")
		}
	}
	if !applyOK {
		p = append(p, where+": the apply stage does not run the root-owned wrapper as tfapply")
	}
	for _, stage := range []string{"import", "state_rm"} {
		sc, _ := stageScripts(stage)
		if len(sc) == 0 || !strings.Contains(strings.Join(sc, "\n"), "exit 1") {
			p = append(p, fmt.Sprintf("%s: the %s stage is not disabled", where, stage))
		}
	}
	p = append(p, wrapperProblems(wrapper)...)
	return p
}

// wrapperProblems checks the Atlantis apply wrapper (issue 21, 3): any pull
// request's plan-time code can call it, so it takes nothing from its caller
// but the plan file and the pull request: a private copy of the plan, the
// author from the VCS API, a plan approval by another trusted principal
// verified on that copy before the gate applies exactly that copy, with the
// policy, pin, terraform and environment fixed.
func wrapperProblems(wrapper string) []string {
	var p []string
	cmds := commandsIn([]string{wrapper})
	p = append(p, commandProblems("wrapper", cmds)...)
	found, verified, verifiedFirst := false, false, false
	for _, c := range cmds {
		if planguardCommand(c, "verify-plan-approval") {
			verified = !found
			verifiedFirst = verified
			if c[0] != "/usr/local/bin/planguard" {
				p = append(p, "wrapper: verify-plan-approval not by planguard's root-owned path")
			}
			if v, _ := flagValue(c, "plan"); v != "$work/tfplan" {
				p = append(p, fmt.Sprintf("wrapper: verify-plan-approval --plan %q, want the private copy $work/tfplan", v))
			}
			if v, _ := flagValue(c, "author"); v != "$author" {
				p = append(p, fmt.Sprintf("wrapper: verify-plan-approval --author %q, want $author (from the VCS API)", v))
			}
			if v, _ := flagValue(c, "policy"); v != "$policy" {
				p = append(p, fmt.Sprintf("wrapper: verify-plan-approval --policy %q", v))
			}
			if _, ok := flagValue(c, "policy-sha256"); !ok {
				p = append(p, "wrapper: verify-plan-approval without --policy-sha256")
			}
		}
		if planguardCommand(c, "apply") {
			found = true
			if c[len(c)-1] != "$work/tfplan" {
				p = append(p, fmt.Sprintf("wrapper: planguard apply on %q, want the private copy $work/tfplan", c[len(c)-1]))
			}
			if v, _ := flagValue(c, "author"); v != "$author" {
				p = append(p, fmt.Sprintf("wrapper: planguard apply --author %q, want $author (from the VCS API)", v))
			}
			if c[0] != "/usr/local/bin/planguard" {
				p = append(p, "wrapper: planguard not by its root-owned path")
			}
			if v, _ := flagValue(c, "terraform-bin"); v != "/usr/local/bin/terraform" {
				p = append(p, fmt.Sprintf("wrapper: --terraform-bin %q, want /usr/local/bin/terraform", v))
			}
			if v, _ := flagValue(c, "policy"); v != "$policy" {
				p = append(p, fmt.Sprintf("wrapper: --policy %q", v))
			}
			if _, ok := flagValue(c, "policy-sha256"); !ok {
				p = append(p, "wrapper: no --policy-sha256")
			}
		}
	}
	if !found {
		p = append(p, "wrapper: no planguard apply")
	}
	if !verified || !verifiedFirst {
		p = append(p, "wrapper: no planguard verify-plan-approval before planguard apply (a plan approval by a trusted principal other than the author)")
	}
	for _, want := range []string{
		"export PATH=/usr/local/bin:/usr/bin:/bin", `[ -n "$author" ] ||`, "set -eu",
		"TF_CLI_CONFIG_FILE=/etc/planguard/terraformrc", // the apply's own CLI configuration, root-owned
		`[ "$#" -eq 3 ]`, // plan, repository, pull request: no author argument
		"policy=/etc/planguard/planguard.hcl",
		`head -c "$((max_plan_bytes + 1))" <"$plan" >"$work/tfplan"`, // the bytes verified are the bytes applied (a bounded copy)
		`saved_plan "$plan" ||`, `saved_plan "$work/tfplan" ||`,      // review 4: only a saved plan, checked before and after the copy
		`= 504b0304 ]`,
		`vcs "pulls/$pull" >"$work/pull.json"`, // the author from the VCS API ...
		`.state == "open" and (.user.login | type) == "string" then .user.login`,
		`<"$work/pull.json" 8>&-)"`,
		`vcs "issues/$pull/comments?per_page=100"`, // ... and the plan approvals
		`[ "$status" -eq 0 ] || {`,
		"api=https://api.github.com", "--proto =https", `-H @"$work/auth"`,
	} {
		if !strings.Contains(wrapper, want) {
			p = append(p, fmt.Sprintf("wrapper: lacks %q", want))
		}
	}
	// Review 5: what the wrapper keeps for approvers is capped (any caller can hand it
	// plan after plan): at most 20 plans and 4 GiB, expired ones removed first, an
	// unexpired one never, one caller at a time; over the cap nothing more is kept,
	// it says so and exits non-zero.
	capNum := func(name string, limit int64) {
		m := regexp.MustCompile(`(?m)^` + name + `=([0-9]+)\b`).FindStringSubmatch(wrapper)
		var n int64
		if m != nil {
			fmt.Sscan(m[1], &n)
		}
		if m == nil || n <= 0 || n > limit {
			p = append(p, fmt.Sprintf("wrapper: %s not set to at most %d", name, limit))
		}
	}
	capNum("max_kept_plans", 20)
	capNum("max_kept_bytes", 4<<30)
	capNum("keep_minutes", 1440)
	for _, want := range []string{
		`keep_dir=/var/lib/planguard-plans`, `keep="$keep_dir/$sum.tfplan"`,
		`exec 9<"$keep_dir" && flock -w 60 9 ||`,
		`find "$keep_dir" -maxdepth 1 -type f -name '*.tfplan' -mmin +"$keep_minutes" -exec rm -f -- {} + ||`,
		`if [ "$kept" -ge "$max_kept_plans" ] || [ "$bytes" -gt "$max_kept_bytes" ]; then`,
		`bytes="$(wc -c <"$work/tfplan")"`, `[ ! -f "$f" ] || bytes=$((bytes + $(wc -c <"$f")))`,
		`>>/var/log/planguard/kept-plans.log &&`, // the wrapper's own record of each kept plan's hash
	} {
		if !strings.Contains(wrapper, want) {
			p = append(p, fmt.Sprintf("wrapper: does not cap the plans it keeps for approvers: lacks %q", want))
		}
	}
	if i, j := strings.Index(wrapper, `if [ "$kept" -ge "$max_kept_plans" ]`), strings.Index(wrapper, `cp -- "$work/tfplan" "$keep"`); i < 0 || j < i || !regexp.MustCompile(`(?s)if \[ "\$kept" -ge "\$max_kept_plans" \] \|\| \[ "\$bytes" -gt "\$max_kept_bytes" \]; then\n\t+echo "[^\n]*not kept for approvers[^\n]*" >&2\n\t+exit 2\n`).MatchString(wrapper) {
		p = append(p, "wrapper: over the cap it does not refuse (say so, exit 2) before it copies the plan into the kept directory")
	}
	for _, bad := range []string{"$PULL_AUTHOR", "author=$2", "author=$4", "PLANGUARD_AUTHOR", "Authorization: Bearer $("} {
		if strings.Contains(wrapper, bad) {
			p = append(p, fmt.Sprintf("wrapper: holds %q (the author from the caller, or the token on a command line)", bad))
		}
	}
	return p
}

// ---- the tests ----

func readExample(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantNone(t *testing.T, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Error(p)
	}
}

func TestHardeningGitHub(t *testing.T) {
	tf := readExample(t, "examples/integrations/github-actions/terraform.yml")
	wf := yamlMap(t, tf)
	wantNone(t, githubProblems("terraform.yml", wf))
	// Triggers: pull requests to main (feedback) and pushes to main; nothing else.
	on := asMap(wf["on"])
	if len(on) != 2 || fmt.Sprint(asMap(on["push"])["branches"]) != "[main]" || fmt.Sprint(asMap(on["pull_request"])["branches"]) != "[main]" {
		t.Errorf("terraform.yml triggers %v, want pull_request and push to main only", on)
	}
	if fmt.Sprint(wf["permissions"]) != "map[contents:read]" {
		t.Errorf("terraform.yml top-level permissions %v, want contents: read", wf["permissions"])
	}
	envs := map[string]string{}
	for _, j := range ghJobs(wf) {
		envs[j.name] = j.environment
	}
	if fmt.Sprint(envs) != "map[apply:production author: plan:plan sarif:]" {
		t.Errorf("terraform.yml jobs and environments %v, want author, plan in plan, sarif, and apply in production", envs)
	}

	ag := readExample(t, "examples/integrations/agents/agent-plan.yml")
	awf := yamlMap(t, ag)
	wantNone(t, githubProblems("agent-plan.yml", awf))
	if on := asMap(awf["on"]); len(on) != 1 || fmt.Sprint(asMap(on["push"])["branches"]) != "[agent/**]" {
		t.Errorf("agent-plan.yml triggers %v, want push to agent/** only", on)
	}
	for _, j := range ghJobs(awf) {
		if j.environment != "plan" {
			t.Errorf("agent-plan.yml job %s in environment %q, want plan", j.name, j.environment)
		}
	}

	// The checker rejects each undoing edit.
	mutations := map[string][2]string{
		"init without -lockfile=readonly": {"terraform init -input=false -lockfile=readonly", "terraform init -input=false"},
		"a tag pin":                       {"@11bd71901bbe5b1630ceea73d27597364c9af683", "@v4"},
		"setup-go cache":                  {"cache: false # never", "cache: true # never"},
		"the author from the head commit": {"AUTHORS: ${{ needs.author.outputs.logins }}", "AUTHORS: ${{ github.event.head_commit.author.username }}"},
		"no author lookup":                {"AUTHORS: ${{ needs.author.outputs.logins }}", "AUTHORS: alice"},
		// Several unapplied merges, several authors; the apply job's own CLI configuration.
		"one author for several merges":          {"AUTHORS: ${{ needs.author.outputs.logins }}", "AUTHORS: ${{ needs.author.outputs.login }}"},
		"no authors since the last apply":        {`compare/$last...$GITHUB_SHA`, `compare/$GITHUB_SHA...$GITHUB_SHA`},
		"only the first author passed":           {`for a in $AUTHORS; do set -- "$@" --author "$a"; done`, `set -- --author "${AUTHORS%% *}"`},
		"no CLI configuration for apply":         {"          TF_CLI_CONFIG_FILE: ${{ runner.temp }}/apply.tfrc\n", ""},
		"the CLI configuration not written":      {`      - run: printf '%s\n' 'provider_installation {' '  direct {}' '}' >"$RUNNER_TEMP/apply.tfrc"` + "\n", ""},
		"dev_overrides in the CLI config":        {`'  direct {}'`, `'  dev_overrides { \"hashicorp/aws\" = \"/tmp\" }'`},
		"a CLI configuration from the checkout":  {"TF_CLI_CONFIG_FILE: ${{ runner.temp }}/apply.tfrc", "TF_CLI_CONFIG_FILE: policy/apply.tfrc"},
		"no old-run check":                       {`[ "$head" = "$GITHUB_SHA" ] || {`, `[ -n "$head" ] || {`},
		"no head check in the apply job":         {"'refs/heads/main^{commit}')\"\n          [ \"$head\" = \"$GITHUB_SHA\" ] || {", "'refs/heads/main^{commit}')\"\n          [ -n \"$head\" ] || {"},
		"the apply checks out this run's commit": {"          ref: main\n          sparse-checkout: /policy/", "          sparse-checkout: /policy/"},
		"the apply checks out another branch":    {"          ref: main\n          sparse-checkout: /policy/", "          ref: pr-branch\n          sparse-checkout: /policy/"},
		"the author lookup gone":                 {`--jq "[.[] | select(.merged_at != null`, `--jq "[.[] | select(true`},
		"plan in the apply job":                  {"      # The apply role only now", "      - run: terraform plan -out tfplan\n      # The apply role only now"},
		"bare terraform-bin":                     {`--terraform-bin "$TERRAFORM_BIN"`, "--terraform-bin terraform"},
		"apply on pull requests":                 {"if: github.event_name == 'push' && github.ref == 'refs/heads/main'", "if: always()"},
		"the apply role in the plan job":         {"vars.PROD_PLAN_ROLE_ARN", "vars.PROD_APPLY_ROLE_ARN"},
		"pull_request_target":                    {"  pull_request:\n", "  pull_request_target:\n"},
		"the action with an empty plan":          {"          install-only: true\n", "          formats: sarif\n"},
		"checkout keeps its token":               {"persist-credentials: false", "persist-credentials: true"},
		// Issue 21.
		"init in the apply job":                {"      # The apply role only now", "      - run: terraform init -input=false -lockfile=readonly\n      # The apply role only now"},
		"the artifact into the checkout":       {"path: ${{ runner.temp }}/plan", "path: infra"},
		"no check of the artifact's files":     {`[ "$entries" = "f tfplan" ] ||`, `[ -n "$entries" ] ||`},
		"no hash comparison":                   {`[ "$got" = "$WANT" ] ||`, `true ||`},
		"no recorded hash":                     {"      plan-sha256: ${{ steps.plan.outputs.sha256 }}\n", ""},
		"the whole repository in apply":        {"          sparse-checkout: /policy/\n          sparse-checkout-cone-mode: false\n", ""},
		"cone-mode checkout in apply":          {"          sparse-checkout-cone-mode: false\n", ""},
		"id-token in the author job":           {"      pull-requests: read\n      actions: read # the last", "      pull-requests: read\n      id-token: write\n      actions: read # the last"},
		"the API token beside the apply role":  {"      id-token: write\n    steps:\n      # Only the top-level policy/", "      id-token: write\n      pull-requests: read\n    steps:\n      # Only the top-level policy/"},
		"upload-sarif without security-events": {"      security-events: write\n", ""},
		"security-events in the plan job":      {"      id-token: write # OIDC to the read-only role; this job runs the change's code\n", "      id-token: write # OIDC to the read-only role; this job runs the change's code\n      security-events: write\n"},
		"a cancelled apply":                    {"      cancel-in-progress: false\n", "      cancel-in-progress: true\n"},
		"no concurrency group for apply":       {"    concurrency:\n      group: terraform-production-apply\n      cancel-in-progress: false\n", ""},
		"the unchecked plan applied":           {`--audit-log "$RUNNER_TEMP/planguard-audit.jsonl" "$PLAN"`, `--audit-log "$RUNNER_TEMP/planguard-audit.jsonl" tfplan`},
		"a workflow group that cancels":        {"permissions:\n  contents: read\n\njobs:", "permissions:\n  contents: read\n\nconcurrency:\n  group: terraform-production-apply\n  cancel-in-progress: true\n\njobs:"},
		// Review 5.
		"no commit known applied, and it goes on":   {`[ -n "$last" ] || { echo "::error::no successful run`, `[ -n "$last" ] || true || { echo "::error::no successful run`},
		"the compare only when a last run is known": {`            shas="$(gh api "repos/$GITHUB_REPOSITORY/compare/$last...$GITHUB_SHA"`, `            [ -z "$last" ] ||\n              shas="$(gh api "repos/$GITHUB_REPOSITORY/compare/$last...$GITHUB_SHA"`},
		"the old warning instead of failing":        {`[ -n "$last" ] || { echo "::error::no successful run of this workflow on main and no PLANGUARD_LAST_APPLIED_SHA`, `[ -n "$last" ] || echo "::warning::no earlier successful run"; [ -n "$last" ] || { echo "::error::no successful run of this workflow on main and no PLANGUARD_LAST_APPLIED_SHA`},
		"no bootstrap variable":                     {"          LAST_APPLIED: ${{ vars.PLANGUARD_LAST_APPLIED_SHA }}\n", ""},
		"the bootstrap variable not a full SHA":     {`[ "${#LAST_APPLIED}" -eq 40 ] || {`, `[ "${#LAST_APPLIED}" -gt 0 ] || {`},
		"any run's commit as the last applied":      {`[ "$merged" -gt 0 ] || {`, `[ "$merged" -ge 0 ] || {`},
		"a merge into another branch as applied":    {` and .base.ref == \"main\")] | length`, `)] | length`},
		"main's head through commits/main":          {`"repos/$GITHUB_REPOSITORY/git/ref/heads/main" --jq .object.sha`, `"repos/$GITHUB_REPOSITORY/commits/main" --jq .sha`},
		"the author job cannot read contents":       {"      contents: read # main's head, the commits since the last apply (a private repository)\n", ""},
		"an unanchored sparse pattern":              {"          sparse-checkout: /policy/\n", "          sparse-checkout: policy/\n"},
		"a second sparse pattern":                   {"          sparse-checkout: /policy/\n", "          sparse-checkout: |\n            /policy/\n            infra/\n"},
		"a repository secret in the author job":     {"          GH_TOKEN: ${{ github.token }}\n", "          GH_TOKEN: ${{ github.token }}\n          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n"},
		"a secret for every job":                    {"permissions:\n  contents: read\n\njobs:", "permissions:\n  contents: read\n\nenv:\n  TF_TOKEN: ${{ secrets.TF_TOKEN }}\n\njobs:"},
	}
	for name, m := range mutations {
		if !strings.Contains(tf, m[0]) {
			t.Errorf("mutation %q: %q is not in terraform.yml: update the test", name, m[0])
			continue
		}
		mutated := strings.Replace(tf, m[0], m[1], 1)
		if len(githubProblems("mutated", yamlMap(t, mutated))) == 0 {
			t.Errorf("the checker accepts terraform.yml with %s", name)
		}
	}
}

func TestHardeningGitLab(t *testing.T) {
	text := readExample(t, "examples/integrations/gitlab/.gitlab-ci.yml")
	wantNone(t, gitlabProblems(".gitlab-ci.yml", yamlMap(t, text)))
	mutations := map[string][2]string{
		"the gate key in the plan job":         {"    - terraform plan -input=false -lock=false -out=tfplan\n", "    - terraform plan -input=false -lock=false -out=tfplan\n    - cp \"$PLANGUARD_GATE_KEY\" /tmp/k\n"},
		"plan in the gate job":                 {"    - planguard check --policy \"$POLICY_DIR/planguard.hcl\" --policy-sha256 \"$PLANGUARD_POLICY_SHA256\" --terraform-bin \"$TERRAFORM_BIN\" --author", "    - terraform plan -out tfplan\n    - planguard check --policy \"$POLICY_DIR/planguard.hcl\" --policy-sha256 \"$PLANGUARD_POLICY_SHA256\" --terraform-bin \"$TERRAFORM_BIN\" --author"},
		"init in the gate job":                 {"    - planguard check --policy \"$POLICY_DIR/planguard.hcl\" --policy-sha256 \"$PLANGUARD_POLICY_SHA256\" --terraform-bin \"$TERRAFORM_BIN\" --author", "    - terraform init -input=false -lockfile=readonly\n    - planguard check --policy \"$POLICY_DIR/planguard.hcl\" --policy-sha256 \"$PLANGUARD_POLICY_SHA256\" --terraform-bin \"$TERRAFORM_BIN\" --author"},
		"init in the apply job":                {"    - planguard apply --attestation", "    - terraform init -input=false -lockfile=readonly -backend=false\n    - planguard apply --attestation"},
		"a checkout in the gate job":           {"    name: planguard-gate\n    action: prepare\n  variables:\n    GIT_STRATEGY: none", "    name: planguard-gate\n    action: prepare\n  variables:\n    GIT_STRATEGY: fetch"},
		"a checkout in the apply job":          {"  resource_group: production\n  variables:\n    GIT_STRATEGY: none", "  resource_group: production\n  variables:\n    GIT_STRATEGY: clone"},
		"no artifact check in apply":           {"    - |\n      test \"$(find .gate", "    - |\n      true \"$(find .gate"},
		"the plan applied in the project dir":  {`    - WORK="$(mktemp -d)" && cp .gate/tfplan .gate/check.att "$WORK/" && cd "$WORK"`, `    - cd .gate`},
		"a dotenv report":                      {"    reports:\n      junit: infra/planguard.junit.xml\n", "    reports:\n      junit: infra/planguard.junit.xml\n      dotenv: plan.env\n"},
		"the plan job in the gate environment": {"  # No environment: this job gets neither", "  environment: planguard-gate\n  # No environment: this job gets neither"},
		"init without -lockfile=readonly":      {"    - terraform init -input=false -lockfile=readonly\n", "    - terraform init -input=false\n"},
		"a tag for the image":                  {"terraform-planguard@sha256:0000000000000000000000000000000000000000000000000000000000000000", "terraform-planguard:1.8.5"},
		"the author from the commit":           {`--author "$PLANGUARD_AUTHOR"`, `--author "$CI_COMMIT_AUTHOR"`},
		"no author lookup":                     {"    - *author\n", ""},
		"a cache":                              {"stages: [plan, gate, apply]\n", "stages: [plan, gate, apply]\ncache:\n  paths: [.terraform]\n"},
		"apply without terraform-bin":          {`--terraform-bin "$TERRAFORM_BIN" --max-age 2h`, "--max-age 2h"},
		// Issue 21 follow-up: pipeline variables and the jobs' own CLI configuration.
		"apply from any pipeline source":  {"  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == \"push\"\n  environment:\n    name: production", "  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n  environment:\n    name: production"},
		"gate from any pipeline source":   {"    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == \"push\"\n  # The only job", "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n  # The only job"},
		"apply without its own values":    {"  before_script:\n    - *only-gate\n    - *pinned\n    - *policy\n  script:", "  before_script:\n    - *only-gate\n    - *policy\n  script:"},
		"gate without its own values":     {"  before_script:\n    - *only-plan\n    - *pinned\n    - *policy\n    - *author", "  before_script:\n    - *only-plan\n    - *policy\n    - *author"},
		"dev_overrides in the CLI config": {`'  direct {}'`, `'  dev_overrides {}'`},
		"no CLI configuration":            {` && export TF_CLI_CONFIG_FILE`, ``},
		// Review 4: old pipelines, runners.
		"no head check in the gate":         {"  script:\n    - *head\n", "  script:\n"},
		"no head check in apply":            {"    - *head # again here", "    # again here"},
		"the plan on a shared runner":       {"  tags: [planguard-protected]\n  variables:\n    GIT_STRATEGY: clone\n", "  variables:\n    GIT_STRATEGY: clone\n"},
		"the apply on a shared runner":      {"    FF_USE_FASTZIP: \"true\"\n  tags: [planguard-protected] # the protected runner only\n  before_script:\n    - *only-gate\n    - *pinned\n    - *policy\n  script:", "    FF_USE_FASTZIP: \"true\"\n  before_script:\n    - *only-gate\n    - *pinned\n    - *policy\n  script:"},
		"the default branch's plan fetches": {"    GIT_STRATEGY: clone\n", "    GIT_STRATEGY: fetch\n"},
		// Review ci21b (G2): the legacy artifact extractor.
		"the gate without fastzip":  {"    # .only-plan looks. fastzip keeps every entry inside the project directory.\n    FF_USE_FASTZIP: \"true\"\n", "    # .only-plan looks. fastzip keeps every entry inside the project directory.\n"},
		"apply without fastzip":     {"    FF_USE_FASTZIP: \"true\"\n  tags: [planguard-protected] # the protected runner only\n  before_script:\n    - *only-gate", "  tags: [planguard-protected] # the protected runner only\n  before_script:\n    - *only-gate"},
		"the gate with fastzip off": {"    # .only-plan looks. fastzip keeps every entry inside the project directory.\n    FF_USE_FASTZIP: \"true\"\n", "    # .only-plan looks. fastzip keeps every entry inside the project directory.\n    FF_USE_FASTZIP: \"false\"\n"},
		// Review 5: the head is the exact ref, not any ref ending in refs/heads/main.
		"a suffix match of the head ref": {`| awk -v ref="refs/heads/$CI_DEFAULT_BRANCH" '$2 == ref { print $1 }')"`, `| cut -f1)"`},
		"a prefix match of the head ref": {`'$2 == ref { print $1 }'`, `'index($2, ref) == 1 { print $1 }'`},
	}
	if !strings.Contains(text, "ci_pipeline_variables_minimum_override_role=no_one_allowed") {
		t.Error(".gitlab-ci.yml does not name the project setting that turns pipeline variables off (ci_pipeline_variables_minimum_override_role=no_one_allowed)")
	}
	guide := readExample(t, "templates/guides/gitlab.md")
	for _, want := range []string{"ci_pipeline_variables_minimum_override_role", "no_one_allowed", "Minimum role to use pipeline variables", "ci.variable"} {
		if !strings.Contains(guide, want) {
			t.Errorf("gitlab.md does not document the pipeline-variable restriction: lacks %q", want)
		}
	}
	for name, m := range mutations {
		if !strings.Contains(text, m[0]) {
			t.Errorf("mutation %q: %q is not in .gitlab-ci.yml: update the test", name, m[0])
			continue
		}
		if len(gitlabProblems("mutated", yamlMap(t, strings.Replace(text, m[0], m[1], 1)))) == 0 {
			t.Errorf("the checker accepts .gitlab-ci.yml with %s", name)
		}
	}
}

func TestHardeningAtlantis(t *testing.T) {
	repos := readExample(t, "examples/integrations/atlantis/repos.yaml")
	wrapper := readExample(t, "examples/integrations/atlantis/planguard-atlantis-apply.sh")
	wantNone(t, atlantisProblems("repos.yaml", yamlMap(t, repos), wrapper))
	if fi, err := os.Stat(filepath.Join(root, "examples/integrations/atlantis/planguard-atlantis-apply.sh")); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("planguard-atlantis-apply.sh is not executable: %v", err)
	}
	mutations := map[string][2]string{
		"plain init":                  {"        - init:\n            extra_args: [\"-lockfile=readonly\"]\n", "        - init\n"},
		"planguard from PATH":         {"            /usr/local/bin/planguard check", "            planguard check"},
		"apply as atlantis":           {`        - run: sudo -n -u tfapply /usr/local/libexec/planguard-atlantis-apply.sh "$PLANFILE" "$BASE_REPO_OWNER/$BASE_REPO_NAME" "$PULL_NUM"`, `        - run: /usr/local/bin/planguard apply --policy /etc/planguard/planguard.hcl --terraform-bin /usr/local/bin/terraform "$PLANFILE"`},
		"the caller names the author": {`"$BASE_REPO_OWNER/$BASE_REPO_NAME" "$PULL_NUM"`, `"$BASE_REPO_OWNER/$BASE_REPO_NAME" "$PULL_NUM" "${PULL_AUTHOR:?no author}"`},
		"an empty author passes":      {`--author "${PULL_AUTHOR:?no pull request author}" "$PLANFILE"`, `--author "$PULL_AUTHOR" "$PLANFILE"`},
		"custom workflows":            {"    allow_custom_workflows: false\n", "    allow_custom_workflows: true\n"},
		"import enabled":              {"        - run: 'echo \"atlantis import is disabled here: it changes state around the planguard gate\" >&2; exit 1'\n", "        - import\n"},
		"a policy the PR can write":   {"--policy /etc/planguard/planguard.hcl\n            --policy-sha256", "--policy planguard.hcl\n            --policy-sha256"},
		"overrides allowed":           {"allowed_overrides: []", "allowed_overrides: [workflow]"},
	}
	for name, m := range mutations {
		if !strings.Contains(repos, m[0]) {
			t.Errorf("mutation %q: %q is not in repos.yaml: update the test", name, m[0])
			continue
		}
		if len(atlantisProblems("mutated", yamlMap(t, strings.Replace(repos, m[0], m[1], 1)), wrapper)) == 0 {
			t.Errorf("the checker accepts repos.yaml with %s", name)
		}
	}
	wrapperMutations := map[string][2]string{
		"terraform from PATH": {"--terraform-bin /usr/local/bin/terraform", "--terraform-bin terraform"},
		"the caller's PATH":   {"export PATH=/usr/local/bin:/usr/bin:/bin\n", ""},
		"no pin":              {`--policy-sha256 "$pin" `, ""},
		"an empty author":     {`[ -n "$author" ] ||`, "true ||"},
		"the author from the caller": {`[ "$#" -eq 3 ] || { echo "$usage" >&2; exit 2; }`, `[ "$#" -eq 4 ] || { echo "$usage" >&2; exit 2; }
author=$4`},
		"the caller's CLI configuration": {" TF_CLI_CONFIG_FILE=/etc/planguard/terraformrc\n", "\n"},
		"no plan approval":               {`/usr/local/bin/planguard verify-plan-approval --plan "$work/tfplan"`, `true verify-plan-approval --plan "$work/tfplan"`},
		"the plan approval ignored":      {`[ "$status" -eq 0 ] || {`, `[ "$status" -le 1 ] || {`},
		"the author's approval counts":   {`--policy-sha256 "$pin" --author "$author" "$@" 8>&- || status=$?`, `--policy-sha256 "$pin" "$@" 8>&- || status=$?`},
		"the plan applied in place":      {`--audit-log /var/log/planguard/audit.jsonl "$work/tfplan"`, `--audit-log /var/log/planguard/audit.jsonl "$plan"`},
		"no private copy":                {`head -c "$((max_plan_bytes + 1))" <"$plan" >"$work/tfplan"`, `ln -s -- "$plan" "$work/tfplan"`},
		"any file copied":                {`saved_plan "$plan" ||`, `true ||`},
		"no zip check":                   {`= 504b0304 ]`, `!= x ]`},
		"a closed pull request":          {`.state == "open" and (.user.login | type) == "string" then .user.login`, `(.user.login | type) == "string" then .user.login`},
		"the token on the command line":  {`-H @"$work/auth"`, `-H "Authorization: Bearer $(cat /etc/planguard/apply/vcs-token)"`},
		// Review 5: the kept plans are capped.
		"no cap on kept plans":          {`if [ "$kept" -ge "$max_kept_plans" ] || [ "$bytes" -gt "$max_kept_bytes" ]; then`, `if false; then`},
		"a higher plan cap":             {"max_kept_plans=20 ", "max_kept_plans=200 "},
		"a higher byte cap":             {"max_kept_bytes=4294967296 ", "max_kept_bytes=42949672960 "},
		"no byte cap":                   {"max_kept_bytes=4294967296 ", "max_kept_bytes=0 "},
		"over the cap, kept anyway":     {"nothing applied\" >&2\n\t\t\texit 2\n\t\tfi\n\t\tcp -- \"$work/tfplan\" \"$keep\"", "nothing applied\" >&2\n\t\tfi\n\t\tcp -- \"$work/tfplan\" \"$keep\""},
		"expired plans never removed":   {` -mmin +"$keep_minutes" -exec rm -f -- {} + ||`, ` -mmin +"$keep_minutes" -print ||`},
		"no lock":                       {`exec 9<"$keep_dir" && flock -w 60 9 ||`, `true ||`},
		"the size of kept plans unread": {`[ ! -f "$f" ] || bytes=$((bytes + $(wc -c <"$f")))`, `:`},
		"no record of kept plans":       {`>>/var/log/planguard/kept-plans.log &&`, `>/dev/null &&`},
	}
	for name, m := range wrapperMutations {
		if !strings.Contains(wrapper, m[0]) {
			t.Errorf("wrapper mutation %q: %q is not in the wrapper: update the test", name, m[0])
			continue
		}
		if len(atlantisProblems("mutated", yamlMap(t, repos), strings.ReplaceAll(wrapper, m[0], m[1]))) == 0 {
			t.Errorf("the checker accepts the wrapper with %s", name)
		}
	}
}

func TestHardeningPreCommitAndCodeowners(t *testing.T) {
	cfg := yamlMap(t, readExample(t, "examples/integrations/pre-commit/.pre-commit-config.yaml"))
	for _, r := range asList(cfg["repos"]) {
		if rev := str(asMap(r)["rev"]); !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(rev) {
			t.Errorf("pre-commit rev %q: pin by commit SHA", rev)
		}
	}
	owners := readExample(t, "examples/integrations/github-actions/CODEOWNERS")
	for _, path := range []string{"/policy/", "/.github/", ".terraform.lock.hcl"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(path) + `\s+@`).MatchString(owners) {
			t.Errorf("CODEOWNERS does not own %s", path)
		}
	}
}

// The author step the GitHub Action guide shows on its own (a step, not a
// workflow) has the full example's checks: the old-run refusal and every
// author since the last applied commit.
func TestHardeningGuideAuthorStep(t *testing.T) {
	found := 0
	for _, s := range loadSources(t) {
		if s.file != "templates/guides/github-action.md" {
			continue
		}
		for i, doc := range s.yamlDocs {
			var steps []map[string]any
			if err := doc.Decode(&steps); err != nil {
				continue
			}
			for _, st := range steps {
				if str(st["id"]) == "author" {
					found++
					wantNone(t, authorScriptProblems(fmt.Sprintf("%s (yaml block %d): the author step", s.file, i+1), str(st["run"])))
					wantNone(t, authorEnvProblems(fmt.Sprintf("%s (yaml block %d)", s.file, i+1), []map[string]any{st}))
				}
			}
		}
	}
	if found != 1 {
		t.Errorf("github-action.md: %d author steps shown, want 1", found)
	}
}

// The guides' YAML blocks and shell blocks keep the same properties, and each
// integration guide links the hardening checklist at the top of the CI guide.
func TestHardeningGuides(t *testing.T) {
	for _, s := range loadSources(t) {
		var cmds [][]string
		cmds = append(cmds, commandsIn(s.scripts)...)
		wantNone(t, commandProblems(s.file, cmds))
		for i, doc := range s.yamlDocs {
			var m map[string]any
			if err := doc.Decode(&m); err != nil || m["jobs"] == nil {
				continue
			}
			wantNone(t, githubProblems(fmt.Sprintf("%s (yaml block %d)", s.file, i+1), m))
		}
		if strings.HasPrefix(s.file, "templates/guides/") && s.file != "templates/guides/ci.md" {
			if !strings.Contains(readExample(t, s.file), "(ci.md#hardening-checklist)") {
				t.Errorf("%s does not link the hardening checklist (ci.md#hardening-checklist)", s.file)
			}
		}
	}
	ci := readExample(t, "templates/guides/ci.md")
	first := regexp.MustCompile(`(?m)^## .*$`).FindString(ci)
	if first != "## Hardening checklist" {
		t.Errorf("ci.md's first section is %q, want ## Hardening checklist", first)
	}
	i := strings.Index(ci, "## Hardening checklist")
	if i < 0 {
		t.Fatal("ci.md has no ## Hardening checklist")
	}
	sec := ci[i:]
	if i := strings.Index(sec[3:], "\n## "); i >= 0 {
		sec = sec[:i+3]
	}
	items := regexp.MustCompile(`(?m)^- \*\*`).FindAllString(sec, -1)
	if len(items) < 10 {
		t.Errorf("the hardening checklist has %d items", len(items))
	}
	// Issue 21: each finding is a checklist item that says what skipping it loses.
	for _, want := range []string{
		"**Ephemeral runners for every job that holds a secret**",
		"**The apply job takes exactly one file from the plan job, outside the checkout, with the hash the plan job recorded.**",
		"**No `terraform init` where a secret is held**",
		"**`id-token: write` only in jobs whose every step is CI's own**",
		"**`security-events: write` only in the job that runs `upload-sarif`**",
		"**The apply job in a concurrency group of its own, `cancel-in-progress: false`,**",
		"**Approvers sign from a report the change could not write.**",
		"**Atlantis: the apply wrapper requires a plan approval and asks the VCS for the author.**",
		"**Every value a CI script prints is escaped for workflow commands**",
	} {
		if !strings.Contains(sec, "- "+want) {
			t.Errorf("the hardening checklist lacks the item %s", want)
		}
	}
	if strings.Contains(sec, "Approvers sign from CI's plan artifact") {
		t.Error("the hardening checklist still sends approvers to the plan job's artifact, which the change wrote")
	}
	for _, l := range strings.Split(sec, "\n") {
		if strings.HasPrefix(l, "- **") && !strings.Contains(l, "Skipped:") {
			t.Errorf("checklist item does not say what breaks if skipped: %s", l)
		}
	}
}

// Review 5: what the examples cannot show in YAML, the guides and the
// examples' own comments say: stored credentials are environment secrets of a
// protected environment, never repository secrets (GitHub), and on GitLab
// protected variables, protected branches and which tags may be protected;
// the GitHub author job's bootstrap variable; the anchored sparse checkout;
// GitLab's exact head ref; and the Atlantis approver's steps and the cap on
// kept plans. Each is checked on the files and rejected on a copy without it.
var review5Docs = map[string][]string{
	"templates/guides/github-action.md": {
		"Stored credentials are environment secrets of a protected environment, never repository",
		"A repository secret reaches every workflow run", "required reviewers", "Prevent self-review",
		"`PLANGUARD_LAST_APPLIED_SHA`", "the job fails and nothing is applied", "`GITHUB_TOKEN` has no such",
		"`git/ref/heads/main`", "`sparse-checkout: /policy/`", "gitignore-style",
	},
	"templates/guides/ci.md": {
		"never repository secrets", "*environment* secrets of `production` with required reviewers",
		"protected branch **or protected tag**", "never a wildcard protected tag that developers may create",
		"`PLANGUARD_LAST_APPLIED_SHA`", "at most 20 plans and 4 GiB", "`/policy/`, anchored",
	},
	"templates/guides/gitlab.md": {
		"What \"protected\" reaches: branches and tags.", "**or a protected tag**", "*Allowed to create* = maintainers",
		"never a wildcard", "awk compares the second", "`x/refs/heads/main`",
	},
	"templates/guides/atlantis.md": {
		"**The approver's steps:**", "/var/log/planguard/kept-plans.log", "never from the author's side",
		"`sha256sum tfplan` must print the hash of the log line", "**20 plans and 4 GiB in all**",
		"removes expired", "never an unexpired one", "keeps nothing more, says so",
	},
	"templates/guides/security.md": {"GitHub\n    repository secret reaches every run", "protected variable reaches every pipeline of a protected branch or protected tag"},
	"examples/integrations/github-actions/terraform.yml": {
		"no cloud credential as a repository secret", "environment secrets of `production`",
		"repository variable PLANGUARD_LAST_APPLIED_SHA, set once by an admin", "a tag ruleset",
	},
	"examples/integrations/gitlab/.gitlab-ci.yml": {"*or a protected tag*", "protect tags only where Allowed to create is maintainers"},
}

func docProblems(file, text string) []string {
	var p []string
	for _, want := range review5Docs[file] {
		if !strings.Contains(text, want) {
			p = append(p, fmt.Sprintf("%s lacks %q", file, want))
		}
	}
	return p
}

func TestHardeningReview5Docs(t *testing.T) {
	for file, wants := range review5Docs {
		text := readExample(t, file)
		wantNone(t, docProblems(file, text))
		for _, w := range wants {
			if strings.Contains(text, w) && len(docProblems(file, strings.ReplaceAll(text, w, ""))) == 0 {
				t.Errorf("the checker accepts %s without %q", file, w)
			}
		}
	}
}
