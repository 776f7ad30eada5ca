package integrations_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue 21 (3): the Atlantis apply wrapper applies only a plan that carries
// a plan approval by a trusted principal other than the author, and takes
// the author from the VCS API (here a stub of GitHub's), never from its
// caller. The wrapper runs as written, its fixed paths moved into a
// temporary directory; the real planguard verifies the plan approvals, and
// a shim stands in for `planguard apply` (recording its arguments).
func TestAtlantisWrapperNeedsAPlanApproval(t *testing.T) {
	for _, tool := range []string{"curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed by the Atlantis wrapper: %v", tool, err)
		}
	}
	dir := t.TempDir()
	etc, varlib, logdir := filepath.Join(dir, "etc"), filepath.Join(dir, "varlib"), filepath.Join(dir, "log")
	plans := filepath.Join(dir, "plans") // where the wrapper keeps an unapproved plan for approvers
	for _, d := range []string{etc, filepath.Join(etc, "apply"), varlib, logdir, plans, filepath.Join(dir, "keys")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	pg := func(args ...string) string {
		out, err := exec.Command(pgBin, args...).Output()
		if err != nil {
			t.Fatalf("planguard %v: %v", args, err)
		}
		return string(out)
	}
	var signers strings.Builder
	for _, who := range []string{"alice", "mallory"} {
		signers.WriteString(pg("keygen", "--out", filepath.Join(dir, "keys", who), "--principal", who))
	}
	os.WriteFile(filepath.Join(etc, "allowed_signers"), []byte(signers.String()), 0o600)
	// The wrapper refuses a policy without lock_file (review ci21, F2): the
	// reviewed lock file of terraform_data's built-in provider is empty.
	os.WriteFile(filepath.Join(etc, "terraform.lock.hcl"), nil, 0o600)
	os.WriteFile(filepath.Join(etc, "planguard.hcl"), []byte("lock_file = \"terraform.lock.hcl\"\nscope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nprotect \"db\" {\n  addresses = [\"terraform_data.db\"]\n}\n"), 0o600)
	os.WriteFile(filepath.Join(etc, "planguard.hcl.sha256"), []byte(pg("policy-hash", "--policy", filepath.Join(etc, "planguard.hcl"))), 0o600)
	os.WriteFile(filepath.Join(etc, "apply", "vcs-token"), []byte("tok-123\n"), 0o600)
	os.WriteFile(filepath.Join(etc, "repos"), []byte("o/r\n"), 0o600) // the repositories this server serves
	planBytes := []byte("PK\x03\x04 the saved plan Atlantis made")
	plan := filepath.Join(dir, "atlantis", "repos", "o", "r", "7", "default", "infra", "production-default.tfplan")
	os.MkdirAll(filepath.Dir(plan), 0o700)
	os.WriteFile(plan, planBytes, 0o600)
	sum := sha256.Sum256(planBytes)
	planSHA := hex.EncodeToString(sum[:])
	approve := func(who, sha string) string {
		return pg("approve-plan", "--plan-sha256", sha, "--scope", "prod", "--key", filepath.Join(dir, "keys", who), "--principal", who)
	}
	fence := func(body string) string { return "LGTM, approving:\n```planguard-plan-approval\n" + body + "```\n" }

	// The VCS stub: GitHub's pull request and issue comments endpoints.
	var pr, comments any
	aliceOwn := approve("alice", planSHA)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-123" {
			http.Error(w, "bad credentials", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/repos/o/r/pulls/7":
			json.NewEncoder(w).Encode(pr)
		case "/repos/o/r/issues/7/comments":
			json.NewEncoder(w).Encode(comments)
		case "/repos/alice/own/pulls/7": // a repository the caller chose, with a pull request by alice's second account
			json.NewEncoder(w).Encode(map[string]any{"state": "open", "user": map[string]any{"login": "alice-sock"}})
		case "/repos/alice/own/issues/7/comments":
			json.NewEncoder(w).Encode([]map[string]any{{"body": "```planguard-plan-approval\n" + aliceOwn + "```\n"}})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cert := filepath.Join(dir, "ca.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)

	// A shim for /usr/local/bin/planguard: the real one, but `apply` is recorded, not run.
	// Review ci21b: it also records when it inherits the wrapper's lock (fd 8), which
	// planguard, Terraform and provisioners would pass on to a process left behind.
	applied := filepath.Join(dir, "applied")
	inherited := filepath.Join(dir, "inherited-fd8")
	shim := filepath.Join(dir, "planguard")
	os.WriteFile(shim, []byte(fmt.Sprintf("#!/bin/sh\n[ ! -e /proc/$$/fd/8 ] || echo \"$1 holds $(readlink /proc/$$/fd/8)\" >>'%s'\ncase \"$1\" in apply) echo \"$*\" >>'%s'; exit 0 ;; esac\nexec '%s' \"$@\"\n", inherited, applied, pgBin)), 0o700)

	src := readExample(t, "examples/integrations/atlantis/planguard-atlantis-apply.sh")
	wrapper := src
	for _, r := range [][2]string{
		{"/usr/local/bin/planguard", shim},
		{"https://api.github.com", srv.URL},
		{"--proto =https", "--proto =https --cacert " + cert},
		{"/etc/planguard", etc},
		{"/var/lib/planguard-apply", varlib},
		{"/var/lib/planguard-plans", plans},
		{"/var/log/planguard", logdir},
		{"max_plan_bytes=536870912", "max_plan_bytes=4096"}, // a small bound, for the case below
	} {
		if !strings.Contains(wrapper, r[0]) {
			t.Fatalf("the wrapper no longer holds %q: update the test", r[0])
		}
		wrapper = strings.ReplaceAll(wrapper, r[0], r[1])
	}
	script := filepath.Join(dir, "wrapper.sh")
	os.WriteFile(script, []byte(wrapper), 0o700)

	// Review 4: files tfapply can read and its caller cannot. The wrapper must not copy
	// them, print their SHA-256 or keep them for approvers: only a saved plan (a zip
	// archive, within a size bound) is taken.
	secret := filepath.Join(etc, "apply", "aws-credentials")
	os.WriteFile(secret, []byte("[apply]\naws_secret_access_key = hunter2\n"), 0o600)
	secretSum := sha256.Sum256([]byte("[apply]\naws_secret_access_key = hunter2\n"))
	big := filepath.Join(dir, "big.tfplan")
	os.WriteFile(big, append([]byte("PK\x03\x04"), make([]byte, 5000)...), 0o600)
	linked := filepath.Join(dir, "linked.tfplan")
	os.Symlink(plan, linked)

	open := map[string]any{"state": "open", "user": map[string]any{"login": "mallory"}}
	cases := []struct {
		name     string
		pr       any
		comments []string
		args     []string
		want     int
	}{
		{"no plan approval", open, nil, nil, 1},
		{"the author's own plan approval", open, []string{fence(approve("mallory", planSHA))}, nil, 1},
		{"another plan's approval", open, []string{fence(approve("alice", strings.Repeat("0", 64)))}, nil, 1},
		{"an approval outside a planguard-plan-approval block", open, []string{approve("alice", planSHA)}, nil, 1},
		{"a trusted approver's plan approval", open, []string{"first!", fence(approve("alice", planSHA))}, nil, 0},
		{"a closed pull request", map[string]any{"state": "closed", "user": map[string]any{"login": "mallory"}}, []string{fence(approve("alice", planSHA))}, nil, 2},
		{"no author", map[string]any{"state": "open", "user": nil}, []string{fence(approve("alice", planSHA))}, nil, 2},
		{"another pull request", open, []string{fence(approve("alice", planSHA))}, []string{plan, "o/r", "8"}, 2},
		{"a path for the repository", open, []string{fence(approve("alice", planSHA))}, []string{plan, "o/../r", "7"}, 2},
		{"an author argument", open, []string{fence(approve("alice", planSHA))}, []string{plan, "o/r", "7", "alice"}, 2},
		// Red-team 3: the repository is the caller's word too. A trusted approver who opens
		// changes attributes their own plan to a pull request in a repository they own, by an
		// account of theirs: their own plan approval then counts. Only the repositories this
		// server serves (/etc/planguard/repos, root-owned) are asked.
		{"a repository this server does not serve", open, nil, []string{plan, "alice/own", "7"}, 2},
		{"a relative plan", open, []string{fence(approve("alice", planSHA))}, []string{"tfplan", "o/r", "7"}, 2},
		{"a file that is not a saved plan", open, nil, []string{secret, "o/r", "7"}, 2},
		{"the VCS token as the plan", open, nil, []string{filepath.Join(etc, "apply", "vcs-token"), "o/r", "7"}, 2},
		{"a plan over the size bound", open, nil, []string{big, "o/r", "7"}, 2},
		{"a symlink to a plan", open, []string{fence(approve("alice", planSHA))}, []string{linked, "o/r", "7"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(applied)
			pr = c.pr
			var cs []map[string]any
			for _, b := range c.comments {
				cs = append(cs, map[string]any{"body": b, "user": map[string]any{"login": "someone"}})
			}
			comments = cs
			args := c.args
			if args == nil {
				args = []string{plan, "o/r", "7"}
			}
			cmd := exec.Command("/bin/sh", append([]string{script}, args...)...)
			cmd.Env = []string{"PATH=/usr/bin:/bin", "PLANGUARD_AUTHOR=alice"} // the caller's author is ignored
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.want {
				t.Errorf("exit %d, want %d\n%s", code, c.want, out)
			}
			if strings.Contains(string(out), hex.EncodeToString(secretSum[:])) {
				t.Errorf("the wrapper printed the SHA-256 of a file that is not a plan:\n%s", out)
			}
			rec, _ := os.ReadFile(applied)
			if c.want != 0 && len(rec) != 0 {
				t.Errorf("planguard apply ran: %s\n%s", rec, out)
			}
			if c.want == 0 {
				a := strings.Fields(string(rec))
				if len(a) == 0 || !strings.Contains(string(rec), "--author mallory ") || !strings.HasPrefix(a[len(a)-1], varlib+"/run.") {
					t.Errorf("planguard apply ran as %q: want --author mallory (from the API) and the private copy of the plan\n%s", rec, out)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(varlib, "run.*")); len(left) != 0 {
				t.Errorf("the private directory is left behind: %v", left)
			}
		})
	}
	// Review ci21b: the lock (fd 8) is the wrapper's alone; the programs it runs
	// do not inherit it.
	if b, _ := os.ReadFile(inherited); len(b) != 0 {
		t.Errorf("planguard inherited the wrapper's lock, fd 8:\n%s", b)
	}
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Errorf("no /proc/self/fd: the fd 8 check above proves nothing: %v", err)
	}
	// Nothing but the plan was kept for approvers.
	if kept, _ := filepath.Glob(filepath.Join(plans, "*")); len(kept) != 1 || filepath.Base(kept[0]) != planSHA+".tfplan" {
		t.Errorf("kept for approvers: %v, want only %s.tfplan", kept, planSHA)
	}
	// Too few plan approvals: the wrapper kept its private copy for approvers. An
	// approver who fetches that file and signs it with approve-plan --plan (the
	// hash computed from the file, not read from a comment) makes the approval
	// the next apply counts.
	kept := filepath.Join(plans, planSHA+".tfplan")
	if b, err := os.ReadFile(kept); err != nil || string(b) != string(planBytes) {
		t.Fatalf("the wrapper did not keep the plan for approvers at %s: %v", kept, err)
	}
	if fi, _ := os.Stat(kept); fi.Mode().Perm() != 0o640 {
		t.Errorf("kept plan mode %v, want 0640 (tfapply and the approvers' group)", fi.Mode().Perm())
	}
	// Review ci21 (F5): the plan just applied is not applied again, by a
	// caller that hands the wrapper the same approved plan.
	applyOnce(t, script, applied, filepath.Join(varlib, "applied-plans"), plan, planSHA)
	os.Remove(filepath.Join(varlib, "applied-plans")) // the approver's file below is this plan too
	fetched := filepath.Join(dir, "fetched.tfplan")
	os.WriteFile(fetched, planBytes, 0o600)
	signed := pg("approve-plan", "--plan", fetched, "--scope", "prod", "--key", filepath.Join(dir, "keys", "alice"), "--principal", "alice")
	pr, comments = open, []map[string]any{{"body": fence(signed)}}
	os.Remove(applied)
	cmd := exec.Command("/bin/sh", script, plan, "o/r", "7")
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("with a plan approval signed over the fetched file: %v\n%s", err, out)
	}
	if rec, _ := os.ReadFile(applied); len(rec) == 0 {
		t.Error("planguard apply did not run with a plan approval signed over the fetched file")
	}

	// Review ci21 (F5): two calls at once with the same approved plan (the
	// real apply and plan-time code calling the wrapper during it) apply it
	// once. verify-plan-approval is slowed down, so that without the lock
	// both calls would pass the applied-plans check before either records.
	t.Run("the same plan twice at once is applied once", func(t *testing.T) {
		os.Remove(filepath.Join(varlib, "applied-plans"))
		os.Remove(applied)
		slowShim := filepath.Join(dir, "planguard-slow")
		os.WriteFile(slowShim, []byte(fmt.Sprintf("#!/bin/sh\ncase \"$1\" in apply) echo \"$*\" >>'%s'; exit 0 ;; verify-plan-approval) sleep 2 ;; esac\nexec '%s' \"$@\"\n", applied, pgBin)), 0o700)
		slow := filepath.Join(dir, "wrapper-slow.sh")
		os.WriteFile(slow, []byte(strings.ReplaceAll(wrapper, shim, slowShim)), 0o700)
		type result struct {
			code int
			out  string
		}
		done := make(chan result, 2)
		for i := 0; i < 2; i++ {
			go func() {
				cmd := exec.Command("/bin/sh", slow, plan, "o/r", "7")
				cmd.Env = []string{"PATH=/usr/bin:/bin"}
				out, err := cmd.CombinedOutput()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					code = -1
				}
				done <- result{code, string(out)}
			}()
		}
		a, b := <-done, <-done
		if a.code > b.code {
			a, b = b, a
		}
		if a.code != 0 || b.code != 2 || !strings.Contains(b.out, "applied (or its apply started) before") {
			t.Errorf("two calls at once: exits %d and %d, want 0 and 2 (applied before)\n%s\n%s", a.code, b.code, a.out, b.out)
		}
		if rec, _ := os.ReadFile(applied); strings.Count(string(rec), "apply ") != 1 {
			t.Errorf("planguard apply ran %d times, want once:\n%s", strings.Count(string(rec), "apply "), rec)
		}
	})
	os.Remove(filepath.Join(varlib, "applied-plans"))

	// Review ci21 (F2): a policy without lock_file is refused before anything
	// else (the plan's own lock file would choose the providers tfapply runs).
	t.Run("a policy without lock_file", func(t *testing.T) {
		nolock := filepath.Join(dir, "wrapper-nolock.sh")
		polPath := filepath.Join(etc, "planguard.hcl")
		src, _ := os.ReadFile(polPath)
		// A commented-out lock_file is no lock_file.
		os.WriteFile(filepath.Join(etc, "nolock.hcl"), []byte(strings.Replace(string(src), "lock_file", "# lock_file", 1)), 0o600)
		if !strings.Contains(wrapper, "policy="+polPath+"\n") {
			t.Fatal("the wrapper no longer sets policy=/etc/planguard/planguard.hcl: update the test")
		}
		os.WriteFile(nolock, []byte(strings.Replace(wrapper, "policy="+polPath+"\n", "policy="+filepath.Join(etc, "nolock.hcl")+"\n", 1)), 0o700)
		os.Remove(applied)
		pr, comments = open, []map[string]any{{"body": fence(signed)}}
		cmd := exec.Command("/bin/sh", nolock, plan, "o/r", "7")
		cmd.Env = []string{"PATH=/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "has no lock_file") {
			t.Errorf("a policy without lock_file: %v, want exit 2 naming lock_file\n%s", err, out)
		}
		if rec, _ := os.ReadFile(applied); len(rec) != 0 {
			t.Errorf("planguard apply ran under a policy without lock_file: %s", rec)
		}
	})

	// The approver's record: the wrapper logged the kept plan's hash, with the pull
	// request and the author the VCS named, where approvers read it (not the plan
	// comment, which plan-time code can edit).
	if b, err := os.ReadFile(filepath.Join(logdir, "kept-plans.log")); err != nil || !strings.Contains(string(b), "o/r#7 author=mallory sha256="+planSHA) {
		t.Errorf("kept-plans.log does not record the kept plan: %v\n%s", err, b)
	}
	if fi, err := os.Stat(filepath.Join(logdir, "kept-plans.log")); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("kept-plans.log: %v, want mode 0640 (tfapply and the approvers' group)", err)
	}

	// Review 5: any caller can hand the wrapper plan after plan, so what it keeps is
	// capped (20 plans, 4 GiB in all). Over the cap it keeps nothing more, says so and
	// applies nothing; expired plans are removed first, unexpired ones never.
	keepNew := func(t *testing.T, script string, body string) (int, string, string) {
		t.Helper()
		b := []byte("PK\x03\x04 " + body)
		f := filepath.Join(dir, "atlantis", "repos", "o", "r", "7", "default", "infra", "new.tfplan")
		os.WriteFile(f, b, 0o600)
		s := sha256.Sum256(b)
		pr, comments = open, nil
		os.Remove(applied)
		cmd := exec.Command("/bin/sh", script, f, "o/r", "7")
		cmd.Env = []string{"PATH=/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if rec, _ := os.ReadFile(applied); len(rec) != 0 {
			t.Errorf("planguard apply ran without a plan approval: %s", rec)
		}
		return code, filepath.Join(plans, hex.EncodeToString(s[:])+".tfplan"), string(out)
	}
	fill := func(t *testing.T, n int, age time.Duration) []string {
		t.Helper()
		var files []string
		for i := 0; i < n; i++ {
			f := filepath.Join(plans, fmt.Sprintf("%064x.tfplan", 1000+i))
			os.WriteFile(f, []byte("PK\x03\x04 an earlier plan"), 0o640)
			old := time.Now().Add(-age)
			os.Chtimes(f, old, old)
			files = append(files, f)
		}
		return files
	}
	emptyPlans := func() {
		left, _ := filepath.Glob(filepath.Join(plans, "*"))
		for _, f := range left {
			os.Remove(f)
		}
	}
	t.Run("twenty unexpired plans kept: the next is refused", func(t *testing.T) {
		emptyPlans()
		earlier := fill(t, 20, time.Hour)
		code, kept, out := keepNew(t, script, "one plan too many")
		if code != 2 || !strings.Contains(out, "not kept for approvers") || !strings.Contains(out, "at most 20 plans") {
			t.Errorf("exit %d, want 2 and a message that the plan is not kept\n%s", code, out)
		}
		if _, err := os.Stat(kept); err == nil {
			t.Error("the plan over the cap was kept")
		}
		for _, f := range earlier {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("an unexpired kept plan was removed to make room: %v", err)
			}
		}
	})
	t.Run("expired plans are removed first", func(t *testing.T) {
		emptyPlans()
		expired := fill(t, 20, 25*time.Hour)
		code, kept, out := keepNew(t, script, "a plan after the expired ones")
		if code != 1 {
			t.Errorf("exit %d, want 1 (kept, no plan approval)\n%s", code, out)
		}
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("the plan was not kept once the expired ones were removed: %v\n%s", err, out)
		}
		for _, f := range expired {
			if _, err := os.Stat(f); err == nil {
				t.Errorf("an expired kept plan is still there: %s", f)
			}
		}
	})
	t.Run("the same plan again takes no second place", func(t *testing.T) {
		emptyPlans()
		fill(t, 19, time.Hour)
		if code, _, out := keepNew(t, script, "kept once"); code != 1 {
			t.Fatalf("exit %d, want 1\n%s", code, out)
		}
		if code, _, out := keepNew(t, script, "kept once"); code != 1 {
			t.Errorf("the plan already kept is refused at the cap: exit %d\n%s", code, out)
		}
	})
	t.Run("the byte cap", func(t *testing.T) {
		emptyPlans()
		small := filepath.Join(dir, "wrapper-small.sh")
		if !strings.Contains(wrapper, "max_kept_bytes=4294967296") {
			t.Fatal("the wrapper no longer holds max_kept_bytes=4294967296: update the test")
		}
		os.WriteFile(small, []byte(strings.ReplaceAll(wrapper, "max_kept_bytes=4294967296", "max_kept_bytes=80")), 0o700)
		fill(t, 1, time.Hour) // 24 bytes
		code, kept, out := keepNew(t, small, strings.Repeat("x", 60))
		if code != 2 || !strings.Contains(out, "not kept for approvers") {
			t.Errorf("exit %d, want 2: over the byte cap\n%s", code, out)
		}
		if _, err := os.Stat(kept); err == nil {
			t.Error("the plan over the byte cap was kept")
		}
		if code, _, out := keepNew(t, small, "short"); code != 1 {
			t.Errorf("a plan within the byte cap: exit %d, want 1\n%s", code, out)
		}
	})
	emptyPlans()

	// Bad VCS credentials: nothing is applied.
	os.WriteFile(filepath.Join(etc, "apply", "vcs-token"), []byte("wrong\n"), 0o600)
	cmd = exec.Command("/bin/sh", script, plan, "o/r", "7")
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "cannot read pull request") {
		t.Errorf("with a bad VCS token: %v\n%s", err, out)
	}
}

// applyOnce runs the wrapper on plan, whose apply is recorded in record, and
// checks that it is refused (exit 2) and planguard apply does not run.
func applyOnce(t *testing.T, script, applied, record, plan, planSHA string) {
	t.Helper()
	if b, err := os.ReadFile(record); err != nil || !strings.HasPrefix(string(b), planSHA+" ") {
		t.Fatalf("the applied plan is not recorded in %s: %v\n%s", record, err, b)
	}
	os.Remove(applied)
	cmd := exec.Command("/bin/sh", script, plan, "o/r", "7")
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "applied (or its apply started) before") {
		t.Errorf("the same plan again: %v, want exit 2 (applied before)\n%s", err, out)
	}
	if rec, _ := os.ReadFile(applied); len(rec) != 0 {
		t.Errorf("planguard apply ran again for a plan already applied: %s", rec)
	}
}

// Review ci21b: every program the wrapper runs with the lock held that could
// outlive it or start others (planguard and, through it, Terraform and
// provisioners; curl; jq) gets `8>&-`, so it does not inherit the lock. The
// planguard shim above checks /proc for the planguard calls; this checks
// the wrapper's text for all of them.
func TestAtlantisWrapperClosesTheLockForItsPrograms(t *testing.T) {
	src := readExample(t, "examples/integrations/atlantis/planguard-atlantis-apply.sh")
	i := strings.Index(src, "\nexec 8>>")
	if i < 0 {
		t.Fatal("the wrapper no longer takes its lock on fd 8 (exec 8>>): update the test")
	}
	// Logical lines: backslash continuations joined.
	lines := strings.Split(strings.ReplaceAll(src[i+1:], "\\\n", " "), "\n")
	seen := map[string]int{}
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, "echo ") {
			continue
		}
		for _, prog := range []string{"/usr/local/bin/planguard ", "curl ", "jq "} {
			if !strings.Contains(l, prog) {
				continue
			}
			seen[prog]++
			if !strings.Contains(l, "8>&-") {
				t.Errorf("%s runs with the lock (fd 8) open: add 8>&-\n%s", strings.TrimSpace(prog), l)
			}
		}
	}
	for _, prog := range []string{"/usr/local/bin/planguard ", "curl ", "jq "} {
		if seen[prog] == 0 {
			t.Errorf("the wrapper runs no %s after taking the lock: update the test", strings.TrimSpace(prog))
		}
	}
}
