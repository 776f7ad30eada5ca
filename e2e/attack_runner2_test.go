package e2e

// Attacker review r-runner2 of `planguard runner` (issue 17 part 1): the
// attacker is the agent, another Unix user than the runner, who controls
// the configuration it uploads, its socket client and its timing. Each test
// sets up the two real users of runner_test.go, a real runner (`planguard
// runner serve`), real Terraform and, where a provider is needed, the e2e
// test provider from a filesystem mirror the runner's --cli-config names.
// Each test asserts what the runner must do and FAILS where the attack
// works today, saying what was lost.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// r2Secret is the runner's credential, in its env file.
const r2Secret = "r2-runner-apply-credential-5d1c0b"

// r2Lab is a runner (as runnerUser) and an agent (as agentUser).
type r2Lab struct {
	t                 *testing.T
	root, rdir, adir  string
	socket, loot, pg  string
	stateDir          string
	run, agent        unixUser
	sockGID           int
	serve             *exec.Cmd
	serveLog          *bytes.Buffer
	backend           string // the pinned backend block, for the agent's configurations
	testProviderBlock string // required_providers for the test provider
}

type r2Options struct {
	tf            string
	testProvider  bool     // allow and mirror the e2e test provider
	extraAllowUID []int    // more uids the runner serves (a reviewer)
	maxMemory     string   // serve --max-memory, when set
	extraArgs     []string // more serve flags
	// extraProviders are more sources of the policy's providers list
	// (quoted HCL strings); runnerExtra more lines of its runner block.
	extraProviders []string
	runnerExtra    string
}

func newR2Lab(t *testing.T, o r2Options) *r2Lab {
	t.Helper()
	requireRoot(t)
	l := &r2Lab{t: t, serveLog: &bytes.Buffer{}}
	l.sockGID = ensureGroup(t, socketGroup)
	l.run = ensureUser(t, runnerUser)
	l.agent = ensureUser(t, agentUser)
	l.root = t.TempDir()
	for _, d := range []string{filepath.Dir(l.root), l.root} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(l.root, "bin")
	mkdirOwned(t, bin, 0o755, 0, 0)
	copyExecutable(t, filepath.Join(binDir, "planguard"), filepath.Join(bin, "planguard"))
	tfBin := filepath.Join(bin, filepath.Base(o.tf))
	copyExecutable(t, o.tf, tfBin)
	l.pg = filepath.Join(bin, "planguard")

	l.rdir = filepath.Join(l.root, "runner")
	mkdirOwned(t, l.rdir, 0o700, l.run.uid, l.run.gid)
	keys := filepath.Join(l.root, "keys")
	mkdirOwned(t, keys, 0o700, 0, 0)
	alice := filepath.Join(keys, "alice")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", alice).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(alice + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	put(t, filepath.Join(l.rdir, "allowed_signers"), "alice@example.com "+string(pub), 0o600, &l.run)
	put(t, filepath.Join(l.rdir, "runner.env"), "AWS_SECRET_ACCESS_KEY="+r2Secret+"\n", 0o600, &l.run)
	sockDir := filepath.Join(l.root, "sock")
	mkdirOwned(t, sockDir, 0o750, l.run.uid, l.sockGID)
	l.socket = filepath.Join(sockDir, "runner.sock")
	// A directory anyone may write: where the agent's code drops what it
	// took (a real attacker sends it over the network).
	l.loot = filepath.Join(l.root, "loot")
	mkdirOwned(t, l.loot, 0o777, 0, 0)
	l.adir = filepath.Join(l.root, "agent")
	mkdirOwned(t, l.adir, 0o755, l.agent.uid, l.agent.gid)

	state := filepath.Join(l.rdir, "prod.tfstate")
	l.backend = fmt.Sprintf("terraform {\n  backend \"local\" {\n    path = %q\n  }\n}\n", state)
	providers := `"terraform.io/builtin/terraform"`
	for _, p := range o.extraProviders {
		providers += ", " + p
	}
	args := []string{"runner", "serve", "--socket", l.socket, "--socket-group", strconv.Itoa(l.sockGID),
		"--policy", filepath.Join(l.rdir, "planguard.hcl"), "--env-file", filepath.Join(l.rdir, "runner.env"),
		"--terraform-bin", tfBin, "--allow-uid", strconv.Itoa(l.agent.uid),
		"--audit-log", filepath.Join(l.rdir, "audit.jsonl"), "--state-dir", filepath.Join(l.rdir, "state")}
	for _, uid := range o.extraAllowUID {
		args = append(args, "--allow-uid", strconv.Itoa(uid))
	}
	if o.maxMemory != "" {
		args = append(args, "--max-memory", o.maxMemory)
	}
	args = append(args, o.extraArgs...)
	l.stateDir = filepath.Join(l.rdir, "state")
	if o.testProvider {
		// The operator's provider installation: a filesystem mirror holding
		// the test provider (a kubernetes-like provider: its configuration's
		// exec block runs a credential plugin when it is configured).
		mirror := filepath.Join(l.root, "mirror")
		testbin.Mirror(t, mirror, testbin.TestObjSource, "0.1.0", testObjProvider(t))
		for p := mirror; p != l.root; p = filepath.Dir(p) {
			_ = os.Chmod(p, 0o755)
		}
		cli := filepath.Join(l.rdir, "cli.tfrc")
		put(t, cli, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror), 0o600, &l.run)
		args = append(args, "--cli-config", cli)
		providers += `, "` + testbin.TestObjSource + `"`
		l.testProviderBlock = "terraform {\n  required_providers {\n    planguardtest = { source = \"" + testbin.TestObjSource + "\" }\n  }\n}\n"
	}
	put(t, filepath.Join(l.rdir, "planguard.hcl"), `scope = "prod"
trust {
  allowed_signers = "allowed_signers"
}
providers = [`+providers+`]
protect "databases" {
  types     = ["terraform_data"]
  addresses = ["terraform_data.prod_db"]
}
runner {
  plan_approvals = 1
`+o.runnerExtra+`}
state {
  backend = "local"
  config  = { path = "`+state+`" }
}
`, 0o600, &l.run)

	l.serve = exec.Command(l.pg, args...)
	l.serve.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + l.rdir, "PLANGUARD_LOG=debug"}
	l.serve.Dir = l.rdir
	l.serve.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(l.run.uid), Gid: uint32(l.run.gid), Groups: []uint32{uint32(l.sockGID)}}}
	l.serve.Stdout, l.serve.Stderr = l.serveLog, l.serveLog
	if err := l.serve.Start(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- l.serve.Wait() }()
	t.Cleanup(func() {
		l.killTerraform()
		_ = l.serve.Process.Kill()
		if t.Failed() {
			t.Logf("runner log:\n%s", l.serveLog.String())
		}
	})
	for deadline := time.Now().Add(20 * time.Second); ; {
		if fi, err := os.Stat(l.socket); err == nil && fi.Mode().Type() == os.ModeSocket {
			break
		}
		select {
		case err := <-served:
			t.Fatalf("runner exited: %v\n%s", err, l.serveLog.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no socket after 20s\n%s", l.serveLog.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return l
}

// config writes the agent's configuration directory name (files by
// relative path) and returns its path.
func (l *r2Lab) config(name string, files map[string]string) string {
	l.t.Helper()
	dir := filepath.Join(l.adir, name)
	for p, c := range files {
		put(l.t, filepath.Join(dir, filepath.FromSlash(p)), c, 0o644, &l.agent)
	}
	chownTree(l.t, dir, l.agent)
	return dir
}

// client runs `planguard runner ARGS` as u (the agent when nil) and
// returns its exit code and output.
func (l *r2Lab) client(u *unixUser, args ...string) (int, string) {
	l.t.Helper()
	if u == nil {
		u = &l.agent
	}
	cmd := exec.Command(l.pg, append([]string{"runner"}, args...)...)
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + l.adir, "PLANGUARD_RUNNER_SOCKET=" + l.socket}
	cmd.Dir = l.adir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(u.uid), Gid: uint32(u.gid), Groups: []uint32{uint32(l.sockGID)}}}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		l.t.Fatal(err)
	}
	return code, out.String()
}

// planID reads the "plan id: ID" last line of a plan reply.
func (l *r2Lab) planID(out string) string {
	l.t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "plan id: ") {
		l.t.Fatalf("the reply does not end with the plan id:\n%s", out)
	}
	return strings.TrimPrefix(last, "plan id: ")
}

// runnerTerraform lists the pids of the runner's terraform children
// (processes of the runner's uid other than planguard itself).
func (l *r2Lab) runnerTerraform() []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == l.serve.Process.Pid {
			continue
		}
		fi, err := os.Stat(filepath.Join("/proc", e.Name()))
		if err != nil {
			continue
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != l.run.uid {
			continue
		}
		exe, _ := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if strings.HasPrefix(exe, l.root) && filepath.Base(exe) != "planguard" {
			pids = append(pids, pid)
		}
	}
	return pids
}

// killTerraform kills the runner's terraform children this test started
// (they run in process groups of their own, so killing the runner leaves
// them).
func (l *r2Lab) killTerraform() {
	for _, pid := range l.runnerTerraform() {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// peakRSS is the highest VmHWM (kB) of pids.
func peakRSS(pids []int) int {
	peak := 0
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
				if kb, _ := strconv.Atoi(f[1]); kb > peak {
					peak = kb
				}
			}
		}
	}
	return peak
}

// 1. A provider configuration's exec block (kubernetes, helm: a
// credential plugin; aws: `profile` + `shared_config_files` naming a
// profile with credential_process) runs when the provider is configured,
// and `terraform plan` configures it: the runner runs the agent's command
// with its own environment (the env file's apply credentials) at plan
// time, before the gate has seen anything. The gate does judge the exec
// block (it prints BLOCKED and names provider_exec), but only after the
// plan that ran it. The runner checks the backend and file functions
// before init; it does not check provider configurations. Harm: the agent
// holds the apply credentials (and runs code as the runner's user, which
// owns every saved plan and the audit log). For the aws provider no
// outside file is even needed: the runner accepts any content in a file
// named *.tfvars (a non-auto .tfvars is never read by the runner's plan),
// so the INI profile file with credential_process can be uploaded with
// the configuration.
func TestAttackRunner2ProviderExecAtPlan(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), testProvider: true})
	took := filepath.Join(l.loot, "env")
	cred := `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"x"}}`
	dir := l.config("exec", map[string]string{"main.tf": l.backend + l.testProviderBlock + fmt.Sprintf(`provider "planguardtest" {
  exec {
    command = "/bin/sh"
    args    = ["-c", %q]
  }
}
resource "planguardtest_object" "a" {
  path    = %q
  content = "hello"
}
`, "env > "+took+"; echo '"+cred+"'", filepath.Join(l.loot, "obj"))})
	_, out := l.client(nil, "plan", dir)
	if strings.Contains(out, "refused before init: read ") {
		t.Fatal("the test's configuration does not parse")
	}
	if b, err := os.ReadFile(took); err == nil {
		t.Errorf("the agent's provider exec command ran in the runner at plan time, with the runner's environment; it wrote %d bytes, credential included: %v\nreply:\n%s",
			len(b), bytes.Contains(b, []byte(r2Secret)), out)
	}
}

// 2. `runner show` is how a person reviews a plan before signing its
// plan approval, and the only view of it the runner offers. Terraform
// renders a multi-line string as a heredoc, byte for byte: terminal
// control sequences the agent wrote in its configuration reach the
// reviewer's terminal through the runner's reply unescaped. ESC[8m
// conceals everything after it (the rest of the plan: here an admin
// credential being created) on most terminals; ESC[nA ESC[J moves up and
// erases lines already printed; CR overwrites a line. The plan sorts
// resources by address, so the agent chooses what comes before and after.
// Harm: a person signs a plan approval for changes they were never shown
// (the approval binds the hash, not what the terminal displayed).
func TestAttackRunner2ShowPassesTerminalControls(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")})
	dir := l.config("esc", map[string]string{"main.tf": l.backend + `resource "terraform_data" "aaa_readme" {
  input = "harmless note\n\u001b[8m\r"
}
resource "terraform_data" "admin_access_key" {
  input = "grants the agent admin"
}
`})
	code, out := l.client(nil, "plan", dir)
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, out)
	}
	id := l.planID(out)
	code, shown := l.client(nil, "show", id)
	if code != 0 {
		t.Fatalf("show: exit %d\n%s", code, shown)
	}
	if i := strings.IndexAny(shown, "\x1b\r"); i >= 0 {
		t.Errorf("runner show passes the configuration's terminal control bytes to the reviewer's terminal (at byte %d: %q); the reviewer's terminal hides what follows, the admin key included", i, shown[max(0, i-20):min(len(shown), i+10)])
	}
}

// 3. A plan request refused or failed after its files are written leaves
// its directory behind when the configuration holds anything named
// terraform.tfstate: removePlanDir keeps a plan directory whose config/
// has a terraform.tfstate (meant for a local state file) without checking
// that it is a file. The agent uploads terraform.tfstate/pad.tf (a
// directory; Terraform ignores directories no module names), which also
// makes init fail at once ("is a directory"), and up to 32 MiB of other
// files (any content in *.tfvars). Each request costs the agent one init
// and leaves up to 32 MiB in the runner's state directory, forever: no plan
// id exists, so neither expiry nor a cap on live plans frees it. Harm: the
// runner's disk (its state directory, the default place of the audit log,
// whose failure turns every request into an error) fills.
func TestAttackRunner2FailedPlanDirsKept(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")})
	dir := l.config("keep", map[string]string{
		"main.tf":                    l.backend + "resource \"terraform_data\" \"x\" {\n  input = \"a\"\n}\n",
		"terraform.tfstate/pad.tf":   "# a directory named terraform.tfstate\n",
		"terraform.tfstate/a.tfvars": strings.Repeat("#", 3<<20),
	})
	for i := 0; i < 3; i++ {
		if code, out := l.client(nil, "plan", dir); code != 2 {
			t.Fatalf("plan %d: exit %d, want 2 (init fails)\n%s", i, code, out)
		}
	}
	ents, err := os.ReadDir(l.stateDir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range ents {
		if e.IsDir() {
			left = append(left, e.Name())
		}
	}
	if len(left) > 0 {
		t.Errorf("%d failed plan requests left %d directories (3 MiB each) in the runner's state directory, which nothing removes: %v", 3, len(left), left)
	}
}

// 4. The runner bounds what a configuration is (files, bytes, depth) but
// not what Terraform does with it: no memory or CPU limit on its children.
// A 1 KB configuration of locals that double a string makes `terraform
// plan` allocate gigabytes (23 doublings ≈ 1 GiB resident, 26 ≈ 5 GiB,
// measured on Terraform 1.11.4) for minutes; the plan goes on after the
// client hangs up (by design), and eight run at once. Harm: the agent
// exhausts the memory of the runner's host (the OOM killer may pick the
// runner, or anything else there). The test stops the plan as soon as it
// passes 512 MiB; a runner that bounds its children (an rlimit, a cgroup,
// a configurable --max-memory) stops it first.
func TestAttackRunner2PlanMemoryUnbounded(t *testing.T) {
	// The runner's bound is set below the test's 512 MiB (the default,
	// 2 GiB, is above it): the test asserts that a bound is enforced.
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), maxMemory: "256MiB"})
	var b strings.Builder
	b.WriteString(l.backend + "locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 23; i++ {
		fmt.Fprintf(&b, "  s%d = \"${local.s%d}${local.s%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\noutput \"n\" {\n  value = length(local.s23)\n}\n")
	dir := l.config("mem", map[string]string{"main.tf": b.String()})
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.client(nil, "plan", dir)
	}()
	const limitKB = 512 << 10
	peak := 0
	deadline := time.After(4 * time.Minute)
	for peak <= limitKB {
		select {
		case <-done:
			t.Logf("the plan ended; peak resident memory of the runner's terraform %d MiB", peak>>10)
			return
		case <-deadline:
			t.Logf("no result in 4 minutes; peak %d MiB", peak>>10)
			return
		case <-time.After(200 * time.Millisecond):
		}
		peak = max(peak, peakRSS(l.runnerTerraform()))
	}
	l.killTerraform()
	t.Errorf("a %d-byte configuration made the runner's terraform plan use %d MiB (and growing); the runner sets no bound", b.Len(), peak>>10)
}

// 5. The runner serves at most 8 connections at once, for all its users
// together, and a connection takes its slot before the request is read
// (RequestTimeout, a minute). The agent opens 8 connections and sends
// nothing, again whenever one is closed. Harm: every other user of the
// runner (another agent, and the person who reviews plans with `runner
// show`) is refused ("serving 8 requests, its limit") for as long as the
// agent likes; eight slow plans (up to 30 minutes each) do the same.
func TestAttackRunner2IdleConnectionsLockOutOthers(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"), extraAllowUID: []int{0}})
	dir := l.config("ok", map[string]string{"main.tf": l.backend + "resource \"terraform_data\" \"x\" {\n  input = \"a\"\n}\n"})
	code, out := l.client(nil, "plan", dir)
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, out)
	}
	id := l.planID(out)
	// The agent's idle connections: its uid, through a helper process
	// (perl, for its core IO::Socket::UNIX) that connects 8 times and
	// sends nothing.
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not found")
	}
	hold := exec.Command(perl, "-MIO::Socket::UNIX", "-e", `$|=1; my @c; for (1..8) { push @c, IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!" } print "held\n"; sleep 50`, l.socket)
	hold.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(l.agent.uid), Gid: uint32(l.agent.gid), Groups: []uint32{uint32(l.sockGID)}}}
	stdout, err := hold.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	hold.Stderr = os.Stderr
	if err := hold.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hold.Process.Kill(); _ = hold.Wait() })
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "held\n" {
		t.Fatalf("the agent's connections: %q %v", line, err)
	}
	time.Sleep(2 * time.Second)
	// The reviewer (root, an allowed uid here) wants to see the plan.
	root := &unixUser{name: "root", uid: 0, gid: 0}
	code, out = l.client(root, "show", id)
	if code != 0 {
		t.Errorf("with the agent holding 8 idle connections, the reviewer's runner show is refused (exit %d):\n%s", code, out)
	}
}

// 6. The laptop set-up of the guide allows `--allow-uid "$(id -u)"`: the
// agent runs as the person's own user, who is also the one who approves
// plans (`--key ~/.ssh/id_ed25519`, the same guide). The agent reads that
// key, or uses the person's ssh-agent through SSH_AUTH_SOCK, and signs its
// own plan approvals; the guide says "The approver's key never touches the
// agent's user" and the issue "The agent holds no key, so it cannot
// approve its own plan". Harm: on a laptop set up as documented,
// plan_approvals = 1 stops nothing the gate allows. The laptop section
// must say where the approving key lives so that the agent's user cannot
// read or use it (another user, a hardware key that asks for a touch, a
// separate machine), or use plan_approvals as a sandbox-only control.
func TestAttackRunner2LaptopGuideApproverKey(t *testing.T) {
	b, err := os.ReadFile("../templates/guides/agents-without-credentials.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "## On a laptop")
	if start < 0 {
		t.Fatal("no laptop section")
	}
	sec := doc[start:]
	if end := strings.Index(sec[3:], "\n## "); end >= 0 {
		sec = sec[:end+3]
	}
	if !strings.Contains(sec, `--allow-uid "$(id -u)"`) {
		t.Skip("the laptop section no longer serves the person's own uid")
	}
	low := strings.ToLower(sec)
	if !strings.Contains(low, "approv") || !strings.Contains(low, "key") {
		t.Errorf("the laptop section serves the uid the agent runs as, which is also the approver's (whose key signs plan approvals), and says nothing about keeping the approving key out of the agent's reach:\n%s", sec)
	}
}

// 7. The runner reads the configuration's provider requirements before
// init with go-cty, and calls AsString on a value that can be a typed null:
// an object key or a provider reference written as a conditional whose
// result is null (`(true ? null : "source")` has type string and value
// null) panics in requiredSource / traversalRoot, in the connection's
// goroutine, with no recover: the whole runner exits. A 100-byte
// configuration, any allowed uid, no provider needed. Harm: denial of
// service to every user of the runner, and an apply in flight for someone
// else loses its runner (its output pipe closes under terraform) half-way.
// (Not the known >512-deep nesting crash: a different input and code path.)
func TestAttackRunner2NullValueCrashesRunner(t *testing.T) {
	l := newR2Lab(t, r2Options{tf: testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")})
	ok := l.config("ok", map[string]string{"main.tf": l.backend + "resource \"terraform_data\" \"x\" {\n  input = \"a\"\n}\n"})
	for _, c := range []struct{ name, src string }{
		{"key", "terraform {\n  required_providers {\n    x = { (true ? null : \"source\") = \"hashicorp/x\" }\n  }\n}\n"},
		{"provider", "resource \"terraform_data\" \"y\" {\n  provider = (true ? null : \"x\")\n}\n"},
	} {
		name, src := c.name, c.src
		dir := l.config("crash-"+name, map[string]string{"main.tf": l.backend + src})
		code, out := l.client(nil, "plan", dir)
		if code == 2 && strings.Contains(out, "connection closed before the end of the message") {
			t.Errorf("%s: a plan request made the runner exit (it panicked):\n%s", name, out)
			return
		}
		if code, out := l.client(nil, "plan", ok); code != 0 {
			t.Errorf("%s: after that request, the runner no longer serves a harmless plan (exit %d):\n%s", name, code, out)
			return
		}
	}
}
