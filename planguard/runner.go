package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/runner"
	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// This file is the thin CLI of `planguard runner` and `planguard
// approve-plan`; the runner itself is internal/runner.

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func runRunner(e *env, args []string) (int, error) {
	subs := map[string]func(*env, []string) (int, error){
		"serve": runRunnerServe, "plan": runRunnerPlan, "apply": runRunnerApply, "show": runRunnerShow,
	}
	if len(args) > 0 {
		if f, ok := subs[args[0]]; ok {
			return f(e, args[1:])
		}
	}
	help := `Usage: planguard runner serve|plan|apply|show [flags]

The runner holds the apply credentials so that a coding agent needs none. It
plans a configuration the agent sends over a Unix socket in a directory of its
own, runs the gate on the saved plan, and applies exactly that plan when the
gate and enough plan approvals allow it. See docs/guides/agents-without-credentials.md.

  planguard runner serve --socket PATH --policy FILE --env-file FILE --allow-uid UID ...
  planguard runner plan  [--socket PATH] [DIR]          # exit 0 allow, 1 block, 2 error
  planguard runner show  [--socket PATH] [--reveal | --config] PLAN_ID
  planguard runner apply [--socket PATH] [--approval FILE]... PLAN_ID
`
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(e.stdout, help)
		return exitAllow, nil
	}
	fmt.Fprint(e.stderr, help)
	if len(args) == 0 {
		return exitError, &usageError{msg: "runner needs a subcommand", hint: "run 'planguard runner plan' in your configuration's directory"}
	}
	return exitError, &usageError{msg: fmt.Sprintf("unknown runner subcommand %q", args[0]), hint: "use serve, plan, apply or show"}
}

// clientFlags are the flags every client subcommand takes: where the runner
// is, and which uid it must run as.
type clientFlags struct {
	socket    *string
	runnerUID *string
}

func addClientFlags(e *env, fs *flags) clientFlags {
	return clientFlags{
		socket:    fs.String("socket", defaultSocket(e), "the runner's Unix socket `PATH` ($PLANGUARD_RUNNER_SOCKET when set)"),
		runnerUID: fs.String("runner-uid", e.getenv("PLANGUARD_RUNNER_UID"), "the `UID` (or user name) the runner runs as ($PLANGUARD_RUNNER_UID when set); the process serving the socket must be it, and always the owner of the socket's directory"),
	}
}

// client is the runner client the flags name.
func (f clientFlags) client() (*runner.Client, error) {
	c := &runner.Client{Socket: *f.socket, RunnerUID: -1}
	if *f.runnerUID != "" {
		uids, err := resolveUIDs("--runner-uid", []string{*f.runnerUID})
		if err != nil {
			return nil, err
		}
		c.RunnerUID = uids[0]
	}
	return c, nil
}

func defaultSocket(e *env) string {
	if s := e.getenv("PLANGUARD_RUNNER_SOCKET"); s != "" {
		return s
	}
	return runner.DefaultSocket
}

func runRunnerServe(e *env, args []string) (int, error) {
	fs := newFlags("runner serve", "planguard runner serve --socket PATH --policy FILE --env-file FILE --allow-uid UID [flags]",
		`Serve plans and applies on a Unix socket for the uids given. The credentials in
--env-file are the environment of the runner's Terraform: every provider it starts,
the backend (which the policy's state block pins) and terraform_remote_state use
them; the configuration never sees them as values: the runner refuses to start when
the file sets TF_VAR_* (the configuration could print those), redacts every value (of
6 bytes or more; also base64, hex, URL- and JSON-escaped, in Terraform's quoting, and
across the line breaks Terraform wraps text at) from its replies, and refuses a
configuration that needs a provider the policy's providers list does not allow.
The env file (mode 0600), the policy and the files it names, the --cli-config and
the plugin cache and mirror directories it names must belong to the runner or root
and be writable by no one else; serve refuses them otherwise. SIGTERM or SIGINT stops accepting and waits for the requests in flight; a
second one interrupts them, and serve exits within two minutes. SIGHUP reads the env file
again. At start, serve removes the plan directories an earlier run left in --state-dir
(a crash, a kill); one runner at a time uses a state directory.`,
		`  planguard runner serve --socket /run/planguard/runner.sock --socket-group agents \
    --policy /etc/planguard/planguard.hcl --env-file /etc/planguard/runner.env \
    --allow-uid "$(id -u agent)" --audit-log /var/log/planguard/runner.jsonl
`)
	socket := fs.String("socket", defaultSocket(e), "the Unix socket `PATH` to create ($PLANGUARD_RUNNER_SOCKET when set)")
	policyPath := fs.String("policy", "", "policy `FILE`; its providers list is required")
	envFile := fs.String("env-file", "", "credentials for the providers, KEY=VALUE lines (`FILE`)")
	tfBin := fs.String("terraform-bin", "", "terraform or tofu `BINARY` (default $PLANGUARD_TERRAFORM, else terraform on PATH)")
	cliConfig := fs.String("cli-config", "", "Terraform CLI configuration `FILE` for init (provider mirrors); default an empty one")
	var uids listFlag
	fs.Var(&uids, "allow-uid", "a `UID` (or user name) that may use the runner; repeat for several")
	var reviewerNames listFlag
	fs.Var(&reviewerNames, "reviewer-uid", "an --allow-uid `UID` (or user name) of a person who reviews plans: it may see a plan's masked values in full ('runner show --reveal'); repeat for several; never the agent's")
	group := fs.String("socket-group", "", "`GROUP` (name or gid) given the socket with mode 0660; without it the mode is 0600")
	auditLog := fs.String("audit-log", "", "append one JSON line per decision to `FILE` (default STATE_DIR/audit.jsonl)")
	stateDir := fs.String("state-dir", "", "private `DIR` for plans (default $STATE_DIRECTORY, else a new temporary directory)")
	ttl := fs.Duration("plan-ttl", runner.DefaultPlanTTL, "how long a plan id stays valid (`DURATION`)")
	maxPlans := fs.Int("max-plans-per-uid", runner.DefaultMaxPlansPerUID, "plans one uid may have at once, made and not applied or expired (`N`)")
	maxStateMiB := fs.Int64("max-state-mib", runner.DefaultMaxStateBytes>>20, "refuse new plans while the plans' directories take this many `MIB` of the state directory")
	maxMemory := fs.String("max-memory", runner.FormatSize(runner.DefaultMaxMemory), "the resident memory one Terraform run (terraform and its providers) may take (`SIZE`: 512MiB, 2GiB); a plan over it is killed, an apply interrupted (Linux)")
	planTimeout := fs.Duration("plan-timeout", runner.DefaultPlanTimeout, "how long one plan (init, plan, the gate) or show may take (`DURATION`); a plan is also stopped when its client hangs up")
	applyTimeout := fs.Duration("apply-timeout", runner.DefaultApplyTimeout, "how long one apply may take (`DURATION`); then terraform is interrupted")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 0 {
		return exitError, &usageError{msg: "runner serve takes no arguments", hint: "see 'planguard runner serve --help'"}
	}
	if *maxPlans < 1 || *maxStateMiB < 1 || *maxStateMiB > 1<<40 {
		return exitError, &usageError{msg: "--max-plans-per-uid and --max-state-mib must be at least 1 (and --max-state-mib at most 2^40)", hint: "see 'planguard runner serve --help'"}
	}
	memLimit, err := runner.ParseSize(*maxMemory)
	if err != nil || memLimit < 16<<20 {
		return exitError, &usageError{msg: fmt.Sprintf("--max-memory %q: want a size of at least 16MiB, like 2GiB", *maxMemory), hint: "Terraform and a large provider take several hundred MiB"}
	}
	if *planTimeout <= 0 || *applyTimeout <= 0 {
		return exitError, &usageError{msg: "--plan-timeout and --apply-timeout must be positive", hint: "e.g. --plan-timeout 30m --apply-timeout 2h"}
	}
	if *policyPath == "" || *envFile == "" {
		return exitError, &usageError{msg: "runner serve needs --policy and --env-file", hint: "the env file holds the credentials; it may be empty when the runner's own environment has them"}
	}
	log := e.log
	if e.getenv("PLANGUARD_LOG") == "" {
		log = hclog.New(&hclog.LoggerOptions{Name: "planguard-runner", Level: hclog.Info, Output: e.stderr})
	}
	allow, err := resolveUIDs("--allow-uid", uids)
	if err != nil {
		return exitError, err
	}
	var reviewers []int
	if len(reviewerNames) > 0 {
		if reviewers, err = resolveUIDs("--reviewer-uid", reviewerNames); err != nil {
			return exitError, err
		}
	}
	for _, uid := range reviewers {
		if !slices.Contains(allow, uid) {
			return exitError, &usageError{msg: fmt.Sprintf("--reviewer-uid %d is not an --allow-uid", uid), hint: "a reviewer connects to the runner too: pass its uid with --allow-uid as well (never the agent's uid as a reviewer)"}
		}
	}
	gid := -1
	if *group != "" {
		if gid, err = resolveGID(*group); err != nil {
			return exitError, err
		}
	}
	bin, err := resolveTerraform(e, *tfBin)
	if err != nil {
		return exitError, err
	}
	dir, err := prepareStateDir(e, *stateDir)
	if err != nil {
		return exitError, err
	}
	unlock, err := runner.LockStateDir(dir)
	if err != nil {
		return exitError, withHint(err, "one runner at a time uses a state directory")
	}
	defer unlock()
	cfgFile := *cliConfig
	if cfgFile == "" {
		cfgFile = filepath.Join(dir, "runner.tfrc")
		if err := os.WriteFile(cfgFile, []byte("# planguard runner: no client CLI configuration is ever used\n"), 0o600); err != nil {
			return exitError, err
		}
	} else if fi, err := os.Stat(cfgFile); err != nil || !fi.Mode().IsRegular() {
		return exitError, withHint(fmt.Errorf("--cli-config %s is not a readable file", cfgFile), "pass a Terraform CLI configuration file")
	} else if cfgFile, err = filepath.Abs(cfgFile); err != nil {
		return exitError, err
	}
	// `terraform show -json` (run by the gate's plan reader) and `runner
	// show` see the same CLI configuration, and none of the env file's
	// credentials: reading a plan needs none. Reading the pinned
	// backend's state to compare it with the plan's does (in a directory
	// of its own holding only the pinned backend: StateEnv).
	showEnv, err := runner.ChildEnv(os.Environ(), nil, cfgFile)
	if err != nil {
		return exitError, withHint(err, "remove it from the runner's environment")
	}
	loadEnv := func() (*runner.ExecTerraform, []string, error) {
		if err := runner.CheckEnvFile(*envFile); err != nil {
			return nil, nil, withHint(err, "keep the env file in a directory of the runner's, owned by the runner (or root), mode 0600")
		}
		raw, err := safefile.ReadFile(*envFile, runner.MaxEnvFile)
		if err != nil {
			return nil, nil, withHint(fmt.Errorf("read env file: %w", err), "pass --env-file with KEY=VALUE lines")
		}
		fileEnv, err := runner.ParseEnvFile(*envFile, raw)
		if err != nil {
			return nil, nil, withHint(err, "credentials go to providers by their own variables (AWS_ACCESS_KEY_ID, GOOGLE_CREDENTIALS, ...), never as TF_VAR_")
		}
		secrets, short := runner.SecretValues(fileEnv)
		if len(short) > 0 {
			log.Warn("env-file values shorter than 6 bytes are not redacted from replies", "keys", short)
		}
		childEnv, err := runner.ChildEnv(os.Environ(), fileEnv, cfgFile)
		if err != nil {
			return nil, nil, withHint(err, "remove it from the runner's environment")
		}
		tf := &runner.ExecTerraform{Bin: bin, Env: childEnv, ShowEnv: showEnv, MaxMemory: memLimit}
		// The CLI configuration and the provider directories it names
		// (plugin cache, mirrors) must be the runner's alone: whoever can
		// write them runs their own provider build with the credentials.
		// Checked again before every init and apply.
		if err := tf.CheckEnv(false); err != nil {
			return nil, nil, withHint(fmt.Errorf("the runner's Terraform environment: %w", err), "the CLI configuration, its plugin_cache_dir and filesystem_mirror directories must belong to the runner (or root) and be writable by no one else; see docs/guides/agents-without-credentials.md")
		}
		return tf, secrets, nil
	}
	tf, secrets, err := loadEnv()
	if err != nil {
		return exitError, err
	}
	var stateEnv atomic.Pointer[[]string] // tf.Env, swapped on SIGHUP
	stateEnv.Store(&tf.Env)
	if *auditLog == "" {
		*auditLog = filepath.Join(dir, "audit.jsonl")
	}
	pol := runner.FilePolicy{Path: *policyPath}
	host := runner.TerraformRegistry
	if strings.Contains(filepath.Base(bin), "tofu") {
		host = runner.OpenTofuRegistry
	}
	svc, err := runner.NewService(runner.Config{
		Policy:       pol,
		Gate:         &runner.PlanGate{Policy: pol, TerraformBin: bin, Env: showEnv, StateEnv: func() []string { return *stateEnv.Load() }, Logger: log.Named("gate")},
		Terraform:    tf,
		Audit:        &runner.FileAuditor{Path: *auditLog},
		StateDir:     dir,
		Secrets:      secrets,
		DefaultHost:  host,
		PlanTTL:      *ttl,
		ReviewerUIDs: reviewers,
		Logger:       log,

		MaxPlansPerUID: *maxPlans,
		MaxStateBytes:  *maxStateMiB << 20,
	})
	if err != nil {
		return exitError, err
	}
	if err := svc.ValidateStartup(); err != nil {
		return exitError, withHint(err, "fix the policy, and keep it and the files it names in directories of the runner's (or root's) that no one else can write; see docs/guides/policy.md")
	}
	for _, w := range svc.StartupWarnings() {
		log.Warn(w)
	}
	// Plan directories an earlier run left (a crash or a kill: its plan
	// ids are forgotten) are removed, and logged (review hook152 L2).
	if _, _, err := svc.RemoveLeftovers(); err != nil {
		return exitError, err
	}
	if !runner.MemoryBounded {
		log.Warn("this system has no /proc: --max-memory is not enforced; bound the runner's memory with the service manager (a cgroup)")
	}
	srv, err := runner.Listen(svc, runner.ServerConfig{Socket: *socket, AllowUIDs: allow, SocketGID: gid, Logger: log,
		PlanTimeout: *planTimeout, ApplyTimeout: *applyTimeout})
	if err != nil {
		return exitError, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	go func() {
		s := <-sigs
		log.Info("stopping: no new requests; waiting for those in flight", "signal", s.String())
		cancel()
		s = <-sigs
		log.Warn("interrupting the requests in flight", "signal", s.String())
		srv.Stop()
	}()
	// SIGHUP reads the env file again (rotated credentials); requests in
	// flight keep the environment they started with. The policy needs no
	// reload: every request reads it.
	hups := make(chan os.Signal, 1)
	signal.Notify(hups, syscall.SIGHUP)
	defer signal.Stop(hups)
	go func() {
		for range hups {
			tf, secrets, err := loadEnv()
			if err != nil {
				log.Error("SIGHUP: env file not reloaded; keeping the previous one", "error", err)
				continue
			}
			svc.Reload(tf, secrets)
			stateEnv.Store(&tf.Env)
			log.Info("SIGHUP: env file reloaded", "env_file", *envFile)
		}
	}()
	log.Info("runner ready", "terraform", bin, "policy", *policyPath, "audit_log", *auditLog, "state_dir", dir)
	err = srv.Serve(ctx)
	cancel()
	svc.Close()
	if err != nil {
		return exitError, err
	}
	return exitAllow, nil
}

func resolveUIDs(flag string, names []string) ([]int, error) {
	var out []int
	for _, n := range names {
		if uid, err := strconv.Atoi(n); err == nil && uid >= 0 {
			out = append(out, uid)
			continue
		}
		u, err := user.Lookup(n)
		if err != nil {
			return nil, withHint(fmt.Errorf("%s %q: %w", flag, n, err), "pass a numeric uid or an existing user name")
		}
		uid, _ := strconv.Atoi(u.Uid)
		out = append(out, uid)
	}
	if len(out) == 0 {
		return nil, &usageError{msg: "runner serve needs --allow-uid", hint: "pass the agent's uid, e.g. --allow-uid \"$(id -u agent)\""}
	}
	return out, nil
}

func resolveGID(name string) (int, error) {
	if gid, err := strconv.Atoi(name); err == nil && gid >= 0 {
		return gid, nil
	}
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, withHint(fmt.Errorf("--socket-group %q: %w", name, err), "pass a numeric gid or an existing group name")
	}
	return strconv.Atoi(g.Gid)
}

func resolveTerraform(e *env, bin string) (string, error) {
	if bin == "" {
		bin = e.getenv("PLANGUARD_TERRAFORM")
	}
	if bin == "" {
		bin = "terraform"
	}
	p, err := exec.LookPath(bin)
	if err != nil {
		return "", withHint(fmt.Errorf("terraform binary %q: %w", bin, err), "pass --terraform-bin with the terraform or tofu binary")
	}
	return filepath.Abs(p)
}

// prepareStateDir returns a directory only the runner can use.
func prepareStateDir(e *env, dir string) (string, error) {
	if dir == "" {
		dir = e.getenv("STATE_DIRECTORY") // systemd's StateDirectory=
	}
	if dir == "" {
		return os.MkdirTemp("", "planguard-runner-")
	}
	d, err := runner.PrivateDir(dir)
	if err != nil {
		return "", withHint(fmt.Errorf("--state-dir: %w", err), "give the runner a directory of its own, mode 700")
	}
	return d, nil
}

// runnerReply prints the runner's final answer and maps it to an exit code.
func runnerReply(f *runner.Frame) (int, error) {
	if f.Exit == runner.ExitError || f.Error != "" {
		return exitError, withHint(errors.New("runner: "+f.Error), "see the runner's audit log for the decision")
	}
	return f.Exit, nil
}

func runRunnerPlan(e *env, args []string) (int, error) {
	fs := newFlags("runner plan", "planguard runner plan [--socket PATH] [DIR]",
		`Send DIR's configuration (default the current directory) to the runner, which plans
it with its own credentials and runs the gate. Sent: *.tf, *.tf.json, *.tfvars,
*.tfvars.json below DIR (local modules) and DIR/.terraform.lock.hcl; never .terraform/,
terraform.d/ or hidden directories. A symbolic link out of DIR is an error, and so
is a .tofu or .tofu.json file (the runner plans only what Terraform and OpenTofu
both load, and its checks read: write .tf or .tf.json) or a configuration file
whose name starts with '#'. The
output ends with 'plan sha256: HEX' and, last, 'plan id: ID' for 'runner apply'.
Exit status: 0 the gate would allow, 1 it would block, 2 error.`,
		`  planguard runner plan
  planguard runner plan infra/prod
`)
	cf := addClientFlags(e, fs)
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() > 1 {
		return exitError, &usageError{msg: "runner plan takes at most one DIR", hint: "run it in the configuration's directory, or name that directory"}
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	files, err := runner.Collect(dir, runner.DefaultLimits)
	if err != nil {
		return exitError, withHint(err, "the runner plans the configuration files of one directory tree")
	}
	c, err := cf.client()
	if err != nil {
		return exitError, err
	}
	f, err := c.Do(&runner.Request{Op: runner.OpPlan, Files: files}, e.stdout)
	if err != nil {
		return exitError, withHint(err, "is the runner running? set PLANGUARD_RUNNER_SOCKET or --socket to its socket")
	}
	return runnerReply(f)
}

func runRunnerApply(e *env, args []string) (int, error) {
	fs := newFlags("runner apply", "planguard runner apply [--socket PATH] [--approval FILE]... PLAN_ID",
		`Ask the runner to apply the plan PLAN_ID that 'runner plan' made. The runner runs the
gate on that saved plan again (approvals, expiry and trust judged now), counts the
plan approvals (--approval, files 'planguard approve-plan' wrote) the policy's runner
block asks for, and applies exactly that plan. A plan id is single-use.
Exit status: 0 applied, 1 blocked (nothing applied), 2 error.`,
		`  planguard runner apply 3f9c2a...
  planguard runner apply --approval alice.json --approval bob.json 3f9c2a...
`)
	cf := addClientFlags(e, fs)
	var files listFlag
	fs.Var(&files, "approval", "a plan approval `FILE` (repeat for several)")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 1 {
		return exitError, &usageError{msg: "runner apply needs exactly one PLAN_ID", hint: "the last line of 'planguard runner plan' is 'plan id: ID'"}
	}
	var approvals [][]byte
	for _, p := range files {
		b, err := safefile.ReadFile(p, approval.MaxPlanApprovalFile)
		if err != nil {
			return exitError, err
		}
		approvals = append(approvals, b)
	}
	c, err := cf.client()
	if err != nil {
		return exitError, err
	}
	f, err := c.Do(&runner.Request{Op: runner.OpApply, PlanID: fs.Arg(0), Approvals: approvals}, e.stdout)
	if err != nil {
		return exitError, withHint(err, "is the runner running? set PLANGUARD_RUNNER_SOCKET or --socket to its socket")
	}
	return runnerReply(f)
}

func runRunnerShow(e *env, args []string) (int, error) {
	fs := newFlags("runner show", "planguard runner show [--socket PATH] [--reveal | --config] PLAN_ID",
		`Print the saved plan PLAN_ID as Terraform renders it (sensitive values masked), for
the person who reviews and approves it, then the address and attribute path of each
masked value of its resource changes and of each attribute the configuration sets that
is unknown at plan ("(known after apply)"). With --reveal (only for a uid the runner
serves with --reviewer-uid) print the masked values in full; with --config print the
configuration files the plan was made from: do not sign what you have not seen.`,
		`  planguard runner show 3f9c2a...
  planguard runner show --reveal 3f9c2a...
  planguard runner show --config 3f9c2a...
`)
	cf := addClientFlags(e, fs)
	reveal := fs.Bool("reveal", false, "print the masked values of the plan's resource changes in full (reviewer uids only)")
	config := fs.Bool("config", false, "print the configuration files the plan was made from, as the agent sent them")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 1 {
		return exitError, &usageError{msg: "runner show needs exactly one PLAN_ID", hint: "the last line of 'planguard runner plan' is 'plan id: ID'"}
	}
	c, err := cf.client()
	if err != nil {
		return exitError, err
	}
	f, err := c.Do(&runner.Request{Op: runner.OpShow, PlanID: fs.Arg(0), Reveal: *reveal, Config: *config}, e.stdout)
	if err != nil {
		return exitError, withHint(err, "is the runner running? set PLANGUARD_RUNNER_SOCKET or --socket to its socket")
	}
	return runnerReply(f)
}

// runnerAdvice is what a hook's refusal of an apply or destroy adds when a
// runner is configured (hook --runner-socket, else PLANGUARD_RUNNER_SOCKET):
// the way that works.
func runnerAdvice(sock, reason string) string {
	if sock == "" || !(strings.Contains(reason, "apply") || strings.Contains(reason, "destroy")) {
		return reason
	}
	return reason + " This machine has a planguard runner (" + sock + "), which holds the credentials: run `planguard runner plan` in the configuration's directory, then `planguard runner apply PLAN_ID` with the id it prints; a person approves the plan with `planguard approve-plan`."
}
