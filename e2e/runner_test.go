package e2e

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// Users the runner test creates (idempotently): the runner holds the
// credentials and the state; the agent only talks to the runner's socket;
// the group may connect to the socket.
const (
	runnerUser  = "pg-runner-test"
	agentUser   = "pg-agent-test"
	agent2User  = "pg-agent2-test" // another allowed uid: a second agent
	socketGroup = "pg-runner-sock-test"
)

// runnerSecret is the runner's credential, in its env file; no reply may
// ever contain it.
const runnerSecret = "pg-runner-credential-7f3a9c21e8"

type unixUser struct {
	name     string
	uid, gid int
}

// ensureGroup and ensureUser create a group and a system user without a
// home unless they exist.
func ensureGroup(t *testing.T, name string) int {
	t.Helper()
	if g, err := user.LookupGroup(name); err == nil {
		gid, _ := strconv.Atoi(g.Gid)
		return gid
	}
	if out, err := exec.Command("groupadd", "-f", name).CombinedOutput(); err != nil {
		t.Fatalf("groupadd %s: %v\n%s", name, err, out)
	}
	g, err := user.LookupGroup(name)
	if err != nil {
		t.Fatal(err)
	}
	gid, _ := strconv.Atoi(g.Gid)
	return gid
}

func ensureUser(t *testing.T, name string) unixUser {
	t.Helper()
	u, err := user.Lookup(name)
	if err != nil {
		out, aerr := exec.Command("useradd", "--system", "-M", "-U", "-s", "/usr/sbin/nologin", name).CombinedOutput()
		if u, err = user.Lookup(name); err != nil { // another test may have won the race
			t.Fatalf("useradd %s: %v\n%s", name, aerr, out)
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return unixUser{name: name, uid: uid, gid: gid}
}

// requireRoot skips (or fails, with PLANGUARD_REQUIRE_TOOLS) a test that
// must create users and switch to them.
func requireRoot(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"useradd", "groupadd", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
				t.Fatalf("%s not found; PLANGUARD_REQUIRE_TOOLS is set", tool)
			}
			t.Skipf("%s not found", tool)
		}
	}
	if os.Geteuid() != 0 {
		if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
			t.Fatal("the two-user runner test creates Unix users: run it as root (PLANGUARD_REQUIRE_TOOLS is set)")
		}
		t.Skip("the two-user runner test creates Unix users: run it as root (PLANGUARD_REQUIRE_TOOLS=1 makes this a failure)")
	}
}

func copyExecutable(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// put writes a file and gives it to owner (nil: root keeps it).
func put(t *testing.T, path, content string, mode os.FileMode, owner *unixUser) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if owner != nil {
		if err := os.Chown(path, owner.uid, owner.gid); err != nil {
			t.Fatal(err)
		}
	}
}

func mkdirOwned(t *testing.T, path string, mode os.FileMode, uid, gid int) {
	t.Helper()
	if err := os.MkdirAll(path, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestRunnerTwoUsers: an agent user with no credentials plans and applies
// only through the runner's socket; the runner, another user, holds the
// credentials (an env file: the password of the HTTP state backend, so the
// agent's own terraform apply fails for want of it). A harmless change is refused
// without a plan approval and applied with one signed by plain ssh-keygen
// over the documented bytes; a protected delete is refused at apply time
// even with a plan approval, and nothing is destroyed; a provider binary in
// the agent's terraform.d/plugins never runs; another uid is refused; the
// credential appears in no reply; every decision is in the audit log.
func TestRunnerTwoUsers(t *testing.T) {
	runnerTwoUsers(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

// TestRunnerTwoUsersTerraformLatest is the same with the Terraform on PATH.
func TestRunnerTwoUsersTerraformLatest(t *testing.T) {
	runnerTwoUsers(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

// TestRunnerTwoUsersOpenTofu is the same with OpenTofu.
func TestRunnerTwoUsersOpenTofu(t *testing.T) {
	runnerTwoUsers(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

func runnerTwoUsers(t *testing.T, tf string) {
	requireRoot(t)
	sockGID := ensureGroup(t, socketGroup)
	run := ensureUser(t, runnerUser)
	agent := ensureUser(t, agentUser)
	agent2 := ensureUser(t, agent2User)

	// The users must reach the tree: open the test's directories to them.
	root := t.TempDir()
	for _, d := range []string{filepath.Dir(root), root} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(root, "bin")
	mkdirOwned(t, bin, 0o755, 0, 0)
	copyExecutable(t, filepath.Join(binDir, "planguard"), filepath.Join(bin, "planguard"))
	tfBin := filepath.Join(bin, filepath.Base(tf)) // terraform or tofu: the runner tells them apart by name
	copyExecutable(t, tf, tfBin)
	pg := filepath.Join(bin, "planguard")

	// The runner's side: policy, trust, credentials, state, audit log.
	rdir := filepath.Join(root, "runner")
	mkdirOwned(t, rdir, 0o700, run.uid, run.gid)
	keys := filepath.Join(root, "keys") // the approver's, root's alone
	mkdirOwned(t, keys, 0o700, 0, 0)
	alice := filepath.Join(keys, "alice")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", alice).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(alice + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	put(t, filepath.Join(rdir, "allowed_signers"), "alice@example.com "+string(pub), 0o600, &run)
	put(t, filepath.Join(rdir, "runner.env"), "# the runner's credentials, for the state backend\nTF_HTTP_USERNAME=pg-state-user\nTF_HTTP_PASSWORD="+runnerSecret+"\n", 0o600, &run)
	sockDir := filepath.Join(root, "sock")
	mkdirOwned(t, sockDir, 0o750, run.uid, sockGID)
	socket := filepath.Join(sockDir, "runner.sock")
	audit := filepath.Join(rdir, "audit.jsonl")
	marker := filepath.Join(root, "marker") // the planted provider would write here
	mkdirOwned(t, marker, 0o777, 0, 0)

	// The agent's side: a configuration, and a provider binary it planted.
	adir := filepath.Join(root, "agent")
	mkdirOwned(t, adir, 0o700, agent.uid, agent.gid)
	infra := filepath.Join(adir, "infra")
	// The state lives behind an HTTP backend whose password is the
	// runner's credential: only the runner can read or write it.
	states := &stateServer{password: runnerSecret}
	hs := httptest.NewServer(states)
	t.Cleanup(hs.Close)
	backend := fmt.Sprintf("terraform {\n  backend \"http\" {\n    address = %q\n  }\n}\n", hs.URL+"/state")
	// The policy pins that state: init runs no other backend.
	put(t, filepath.Join(rdir, "planguard.hcl"), `scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
providers = ["terraform.io/builtin/terraform"]
protect "databases" {
  types     = ["terraform_data"]
  addresses = ["terraform_data.prod_db"]
}
runner {
  plan_approvals = 1
}
state {
  backend = "http"
  config  = { address = "`+hs.URL+`/state" }
}
`, 0o600, &run)
	evilPlugin := "#!/bin/sh\ntouch " + filepath.Join(marker, "evil-provider-ran") + "\nexit 1\n"
	for _, d := range []string{infra, filepath.Join(adir, "evil")} {
		put(t, filepath.Join(d, "terraform.d", "plugins", "example.com", "evil", "evil", "1.0.0", "linux_amd64", "terraform-provider-evil_v1.0.0"), evilPlugin, 0o755, &agent)
	}
	put(t, filepath.Join(adir, "evil", "main.tf"), backend+`terraform {
  required_providers {
    evil = { source = "example.com/evil/evil" }
  }
}
data "evil_secrets" "all" {}
`, 0o644, &agent)
	writeInfra := func(withDB bool, app string) {
		cfg := backend + fmt.Sprintf("resource \"terraform_data\" \"app\" {\n  input = %q\n}\n", app)
		if withDB {
			cfg += "resource \"terraform_data\" \"prod_db\" {\n  input = \"orders\"\n}\n"
		}
		put(t, filepath.Join(infra, "main.tf"), cfg, 0o644, &agent)
	}
	for _, d := range []string{filepath.Join(adir, "evil"), filepath.Join(adir, "evil", "terraform.d"), infra, filepath.Join(infra, "terraform.d")} {
		chownTree(t, d, agent)
	}

	// The runner, as its user.
	serve := exec.Command(pg, "runner", "serve", "--socket", socket, "--socket-group", strconv.Itoa(sockGID),
		"--policy", filepath.Join(rdir, "planguard.hcl"), "--env-file", filepath.Join(rdir, "runner.env"),
		"--terraform-bin", tfBin, "--allow-uid", strconv.Itoa(agent.uid), "--allow-uid", strconv.Itoa(agent2.uid),
		"--audit-log", audit, "--state-dir", filepath.Join(rdir, "state"))
	serve.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + rdir, "PLANGUARD_LOG=debug"}
	serve.Dir = rdir
	serve.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(run.uid), Gid: uint32(run.gid), Groups: []uint32{uint32(sockGID)}}}
	var serveLog bytes.Buffer
	serve.Stdout, serve.Stderr = &serveLog, &serveLog
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- serve.Wait() }()
	t.Cleanup(func() {
		_ = serve.Process.Kill()
		if t.Failed() {
			t.Logf("runner log:\n%s", serveLog.String())
		}
	})
	for deadline := time.Now().Add(20 * time.Second); ; {
		if fi, err := os.Stat(socket); err == nil && fi.Mode().Type() == os.ModeSocket {
			break
		}
		select {
		case err := <-served:
			t.Fatalf("runner exited: %v\n%s", err, serveLog.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no socket after 20s\n%s", serveLog.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if fi, _ := os.Stat(socket); fi.Mode().Perm() != 0o660 {
		t.Errorf("socket mode %s, want 0660", fi.Mode().Perm())
	}

	var replies []string // every reply any client got
	client := func(as *unixUser, want int, args ...string) string {
		t.Helper()
		cmd := exec.Command(pg, append([]string{"runner"}, args...)...)
		cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + adir, "PLANGUARD_RUNNER_SOCKET=" + socket}
		cmd.Dir = adir
		if as != nil && as.uid != agent.uid {
			cmd.Dir = root // the agent's directory is its own
		}
		if as != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(as.uid), Gid: uint32(as.gid), Groups: []uint32{uint32(sockGID)}}}
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, out.String())
		if code != want {
			t.Fatalf("planguard runner %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out.String())
		}
		return out.String()
	}
	planIDs := func(out string) (id, sum string) {
		t.Helper()
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if len(lines) < 2 || !strings.HasPrefix(lines[len(lines)-1], "plan id: ") || !strings.HasPrefix(lines[len(lines)-2], "plan sha256: ") {
			t.Fatalf("the reply does not end with the plan sha256 and id lines:\n%s", out)
		}
		return strings.TrimPrefix(lines[len(lines)-1], "plan id: "), strings.TrimPrefix(lines[len(lines)-2], "plan sha256: ")
	}
	approve := func(sum string) string {
		t.Helper()
		// The documented bytes, signed by plain ssh-keygen.
		exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		payload := `{"expires_at":"` + exp + `","plan_sha256":"` + sum + `","scope":"prod","type":"planguard.plan-approval/v1"}`
		cmd := exec.Command("ssh-keygen", "-q", "-Y", "sign", "-n", "planguard-approval", "-f", alice)
		cmd.Stdin = strings.NewReader(payload)
		sig, err := cmd.Output()
		if err != nil {
			t.Fatalf("ssh-keygen -Y sign: %v", err)
		}
		b, _ := json.Marshal(map[string]string{"scope": "prod", "plan_sha256": sum, "expires_at": exp, "principal": "alice@example.com", "signature": string(sig)})
		p := filepath.Join(adir, "approval-"+sum[:12]+".json")
		put(t, p, string(b), 0o644, &agent)
		return p
	}
	stateHas := func(addr string) bool {
		name := strings.TrimPrefix(addr, "terraform_data.")
		return bytes.Contains(states.get(), []byte(`"type": "terraform_data",
      "name": "`+name+`"`))
	}

	// 1. A harmless change (creating two objects): the gate allows, the
	// plan approval is missing, nothing is applied; with one, it applies.
	writeInfra(true, "v1")
	out := client(&agent, 0, "plan", "infra")
	contains(t, out, "terraform_data.app will be created", "plan approval(s)", "planguard approve-plan --plan-sha256")
	id, sum := planIDs(out)
	out = client(&agent, 1, "apply", id)
	contains(t, out, "has 0 of the 1 plan approval(s)", "nothing applied")
	if stateHas("terraform_data.app") {
		t.Fatal("applied without a plan approval")
	}
	out = client(&agent, 0, "show", id)
	contains(t, out, "terraform_data.prod_db will be created", "plan id: "+id)
	ok := approve(sum)
	out = client(&agent, 0, "apply", "--approval", ok, id)
	contains(t, out, "plan approved by alice@example.com", "Apply complete! Resources: 2 added")
	if !stateHas("terraform_data.app") || !stateHas("terraform_data.prod_db") {
		t.Fatalf("the approved plan was not applied")
	}
	out = client(&agent, 2, "apply", "--approval", ok, id)
	contains(t, out, "no plan "+id)

	// An approval of another plan does not count.
	writeInfra(true, "v2")
	out = client(&agent, 0, "plan", "infra")
	id2, _ := planIDs(out)
	out = client(&agent, 1, "apply", "--approval", ok, id2)
	contains(t, out, "approves plan "+sum+", not this plan", "nothing applied")

	// Another allowed uid that learns the plan id may show the plan, but
	// not apply it: a plan id is the planning uid's.
	out = client(&agent2, 0, "show", id2)
	contains(t, out, "plan id: "+id2)
	out = client(&agent2, 2, "apply", id2)
	contains(t, out, "was made by uid "+strconv.Itoa(agent.uid)+"; only that uid may apply it")

	// 2. A protected delete: blocked at plan, and at apply even with a
	// plan approval over that exact plan; nothing is destroyed.
	writeInfra(false, "v1")
	out = client(&agent, 1, "plan", "infra")
	contains(t, out, "terraform_data.prod_db", "planguard approve --policy")
	id3, sum3 := planIDs(out)
	out = client(&agent, 1, "apply", "--approval", approve(sum3), id3)
	contains(t, out, "the gate blocks plan "+id3, "nothing applied")
	if !stateHas("terraform_data.prod_db") {
		t.Fatal("the protected object was destroyed")
	}

	// 3. A provider the agent planted in terraform.d/plugins never runs:
	// terraform.d is never sent, and the provider is outside the policy.
	out = client(&agent, 2, "plan", "evil")
	contains(t, out, "example.com/evil/evil", "providers list does not allow")
	if _, err := os.Stat(filepath.Join(marker, "evil-provider-ran")); err == nil {
		t.Fatal("the agent's provider binary ran in the runner")
	}

	// 3b. A backend the agent chose (an override file pointing the local
	// backend at a state of its own) is refused before init runs it.
	put(t, filepath.Join(infra, "backend_override.tf"), fmt.Sprintf("terraform {\n  backend \"local\" {\n    path = %q\n  }\n}\n", filepath.Join(marker, "agent.tfstate")), 0o644, &agent)
	out = client(&agent, 2, "plan", "infra")
	contains(t, out, "backend_override.tf", "override file", "configuration refused before init")
	if strings.Contains(out, "Initializing") {
		t.Fatalf("init ran with the agent's backend:\n%s", out)
	}
	if err := os.Remove(filepath.Join(infra, "backend_override.tf")); err != nil {
		t.Fatal(err)
	}

	// The configuration cannot read the runner's files (its environment,
	// with the credentials, is /proc/self/environ) at plan time.
	put(t, filepath.Join(adir, "peek", "main.tf"), backend+`output "env" {
  value = base64encode(file("/proc/self/environ"))
}
`, 0o644, &agent)
	chownTree(t, filepath.Join(adir, "peek"), agent)
	out = client(&agent, 2, "plan", "peek")
	contains(t, out, "functions that read the runner's files", "main.tf:7")

	// 4. Another uid (root, whom file permissions do not stop) is refused
	// by its peer credentials.
	out = client(nil, 2, "plan", "infra")
	contains(t, out, "uid 0 may not use this runner")

	// 5. The agent cannot reach the credentials, nor change the state
	// without them: its own terraform apply fails, and changes nothing.
	asAgent := &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(agent.uid), Gid: uint32(agent.gid)}}
	cat := exec.Command("cat", filepath.Join(rdir, "runner.env"))
	cat.SysProcAttr = asAgent
	if b, err := cat.CombinedOutput(); err == nil {
		t.Fatalf("the agent read the runner's env file: %s", b)
	}
	before := states.get()
	direct := exec.Command("sh", "-c", tfBin+" init -input=false -no-color && "+tfBin+" apply -input=false -auto-approve -no-color")
	direct.Dir, direct.Env, direct.SysProcAttr = infra, []string{"PATH=/usr/bin:/bin", "HOME=" + adir, "CHECKPOINT_DISABLE=1"}, asAgent
	if b, err := direct.CombinedOutput(); err == nil {
		t.Fatalf("the agent applied without the runner:\n%s", b)
	} else if !bytes.Contains(b, []byte("requires auth")) {
		t.Fatalf("the agent's own apply failed, but not for want of credentials:\n%s", b)
	}
	if !bytes.Equal(before, states.get()) || !stateHas("terraform_data.prod_db") {
		t.Fatal("the agent's own apply changed the state")
	}

	if os.Getenv("PG_RUNNER_TEST_SHOW") != "" {
		t.Log(strings.Join(replies, "\n=====\n"))
	}
	// 6. The credential appears in no reply.
	for _, r := range replies {
		for _, form := range []string{runnerSecret, base64.StdEncoding.EncodeToString([]byte(runnerSecret)), hex.EncodeToString([]byte(runnerSecret))} {
			if strings.Contains(r, form) {
				t.Fatalf("a reply holds the runner's credential (%s):\n%s", form, r)
			}
		}
	}

	// 7. SIGTERM drains and stops; the socket goes away.
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("runner exit after SIGTERM: %v\n%s", err, serveLog.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("runner did not stop within 30s of SIGTERM")
	}
	if _, err := os.Lstat(socket); err == nil {
		t.Error("the socket is left behind")
	}
	if strings.Contains(serveLog.String(), runnerSecret) {
		t.Error("the runner's log holds its credential")
	}

	// 8. Every decision is in the audit log, with the peer's uid.
	type rec struct {
		Op, Decision, PlanID, Error string
		PeerUID                     int      `json:"peer_uid"`
		PlanApprovers               []string `json:"plan_approvers"`
	}
	f, err := os.Open(audit)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r rec
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		got = append(got, fmt.Sprintf("%s %s uid=%d", r.Op, r.Decision, r.PeerUID))
		if strings.Contains(sc.Text(), runnerSecret) {
			t.Fatal("the audit log holds the credential")
		}
	}
	a := strconv.Itoa(agent.uid)
	want := []string{
		"plan allow uid=" + a, "apply block uid=" + a, "show shown uid=" + a, "apply applying uid=" + a, "apply applied uid=" + a,
		"apply refused uid=" + a,
		"plan allow uid=" + a, "apply block uid=" + a,
		"show shown uid=" + strconv.Itoa(agent2.uid), "apply refused uid=" + strconv.Itoa(agent2.uid),
		"plan block uid=" + a, "apply block uid=" + a,
		"plan refused uid=" + a,
		"plan refused uid=" + a,
		"plan refused uid=" + a,
		"connect refused uid=0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// stateServer is a Terraform http backend (GET and POST of one state,
// no locking) that requires basic authentication.
type stateServer struct {
	password string
	mu       sync.Mutex
	state    []byte
}

func (s *stateServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pw, ok := r.BasicAuth(); !ok || pw != s.password {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.Method {
	case http.MethodGet:
		if s.state == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = w.Write(s.state)
	case http.MethodPost:
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.state = b
	case http.MethodDelete:
		s.state = nil
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *stateServer) get() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.state...)
}

func chownTree(t *testing.T, dir string, u unixUser) {
	t.Helper()
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, u.uid, u.gid)
	})
	if err != nil {
		t.Fatal(err)
	}
}
