package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/planguard/terraform-provider-planguard/internal/bashread"
	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/shell"
	"github.com/planguard/terraform-provider-planguard/internal/tfexec"
	"mvdan.cc/sh/v3/syntax"
)

// maxEvent bounds the hook event read from stdin: a tool call's JSON is
// kilobytes; anything larger is refused, not read without end.
const maxEvent = 4 << 20

// hookEvent is what the hook needs from an agent's event.
type hookEvent struct {
	tool    string   // the agent's tool name ("" for Cursor's beforeShellExecution)
	command string   // the shell command, when the tool runs one
	isShell bool     // the tool runs command in a shell
	types   bool     // the tool types into a program already running
	foreign bool     // the tool runs a shell the hook cannot read (PowerShell)
	files   []string // files the tool writes
	cwd     string
}

func runHook(e *env, args []string) (int, error) {
	if len(args) > 0 && args[0] == "install" {
		return runHookInstall(e, args[1:])
	}
	fs := newFlags("hook", "planguard hook --agent claude|gemini|copilot|cursor [--policy FILE]",
		`Answer a coding agent's pre-tool-call hook: read one event (the agent's JSON) on stdin
and refuse shell commands that would change infrastructure or state (terraform/tofu
apply, destroy, import, state rm…, terragrunt run --all apply…). terraform apply of a saved
plan is refused too (terraform reads the file after the hook answered): the refusal names
'planguard apply' with the hook's binary and policy, which pins and checks the plan when it
applies, and is the one apply allowed. Also refused: planguard approve/sign, ssh-keygen
signing in the planguard-approval namespace, writes to the policy and the files it trusts
(allowed_signers, revoked_keys, lock_file).
Allow prints nothing and exits 0 (the agent's own permission flow goes on: the hook never
approves anything). Deny prints the agent's deny answer with the reason; any error denies.
Install it with 'planguard hook install'. See docs/guides/agent-hooks.md.`,
		`  planguard hook install --agent claude --scope project --policy planguard.hcl
  echo '{"tool_name":"Bash","tool_input":{"command":"terraform destroy"},"cwd":"/repo"}' | planguard hook --agent claude
`)
	var agent, policyPath, tfBin, runnerSocket string
	fs.StringVar(&agent, "agent", "", "the agent whose event and answer formats to use: claude, gemini, copilot, cursor")
	fs.StringVar(&policyPath, "policy", defaultPolicy, "policy `FILE` (HCL) the hook enforces")
	fs.StringVar(&tfBin, "terraform-bin", "", "terraform or tofu `BINARY` that reads saved plans (default $PLANGUARD_TERRAFORM, else the command's own terraform or tofu on PATH)")
	fs.StringVar(&runnerSocket, "runner-socket", "", "the planguard runner's `SOCKET`: refusals of applies point to 'planguard runner plan/apply' (default $PLANGUARD_RUNNER_SOCKET)")
	if err := parse(e, fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return exitAllow, err
		}
		return hookDeny(e, agent, "planguard hook: "+err.Error()), nil
	}
	proto, ok := agents[agent]
	if !ok {
		return hookDeny(e, agent, fmt.Sprintf("planguard hook: unknown --agent %q (claude, gemini, copilot, cursor): every tool call is refused until the hook is configured right", agent)), nil
	}
	if fs.NArg() != 0 {
		return hookDeny(e, agent, "planguard hook: takes no arguments (the event comes on stdin)"), nil
	}
	if runnerSocket == "" {
		runnerSocket = e.getenv("PLANGUARD_RUNNER_SOCKET")
	}
	reason, err := hookDecide(e, agent, proto, hookConfig{policy: policyPath, tfBin: tfBin, runner: runnerSocket})
	if err != nil {
		// An error is answered, not returned: the agent reads a deny.
		return hookDeny(e, agent, "planguard hook refused the tool call because it could not decide: "+err.Error()), nil //nolint:nilerr
	}
	if reason != "" {
		return hookDeny(e, agent, runnerAdvice(runnerSocket, reason)), nil
	}
	return exitAllow, nil
}

// hookConfig is what the hook's flags say.
type hookConfig struct {
	policy string // the policy the hook enforces
	tfBin  string // --terraform-bin
	runner string // the runner's socket, "" for none
}

// hookDecide returns "" to allow, or the reason to deny.
// orEmpty is ` (WHAT)`, or "" for an empty what.
func orEmpty(what string) string {
	if what == "" {
		return ""
	}
	return " (" + what + ")"
}

func hookDecide(e *env, agent string, proto *agentProtocol, cfg hookConfig) (string, error) {
	policyPath, tfBin := cfg.policy, cfg.tfBin
	raw, err := io.ReadAll(io.LimitReader(e.stdin, maxEvent+1))
	if err != nil {
		return "", fmt.Errorf("read the hook event on stdin: %w", err)
	}
	if len(raw) > maxEvent {
		return "", fmt.Errorf("the hook event on stdin is larger than %d bytes", maxEvent)
	}
	ev, err := proto.parseEvent(raw)
	if err != nil {
		return "", fmt.Errorf("the %s hook event: %w", agent, err)
	}
	if ev.cwd == "" {
		if ev.cwd, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	if !filepath.IsAbs(ev.cwd) {
		return "", fmt.Errorf("the event's cwd %q is not an absolute path", ev.cwd)
	}
	// The policy and its trust file must load for every call, judged or
	// not: a hook that cannot read them refuses everything.
	policyAbs, err := filepath.Abs(policyPath)
	if err != nil {
		return "", err
	}
	pol, _, err := loadPolicy(policyAbs)
	if err != nil {
		return "", fmt.Errorf("policy %s: %w", policyAbs, err)
	}
	if ev.types {
		return fmt.Sprintf("planguard: %s types into a program the session is already running (a shell, a prompt waiting for an answer), which the hook cannot see; run the command with the agent's shell tool instead, where the hook reads it.", ev.tool), nil
	}
	if ev.foreign {
		return fmt.Sprintf("planguard: %s's tool %s looks like a shell tool, and the hook reads only bash command lines: it refuses what it cannot read. Run the command with the agent's bash tool, where the hook reads it.", agent, ev.tool), nil
	}
	if !ev.isShell && len(ev.files) == 0 {
		return "", nil // a tool the hook does not judge
	}
	home := e.getenv("HOME")
	// The kernel resolves relative paths, and `..`, from the real
	// directory: a cwd reached through a symbolic link has other parents
	// than its text (judged both ways for the protected files).
	realCwd, err := filepath.EvalSymlinks(ev.cwd)
	if err != nil {
		return "", fmt.Errorf("resolve the event's cwd %s: %w", ev.cwd, err)
	}
	cwds := []string{realCwd}
	if !shell.Climbs("", ev.cwd) {
		cwds = append(cwds, filepath.Clean(ev.cwd))
	}
	ev.cwd = filepath.Clean(ev.cwd)
	// The policy's lock_file is trusted like allowed_signers: the gate
	// compares the configuration's providers with it.
	// The project the agent was started in stays protected when the
	// event's cwd moves elsewhere (a cd into a directory added with
	// --add-dir: review hook134 H2): the clients name it in the hook's
	// environment, which the agent does not set.
	roots := append(append([]string{}, cwds...), agentProjectDirs(e.getenv)...)
	protected := protectedFiles(policyAbs, []string{pol.AllowedSignersPath, pol.RevokedKeysPath, pol.LockFilePath}, home, roots...)
	dirs := append(protectedDirs(policyAbs, home, roots...), agentEnvDirs(e.getenv)...)
	// The hooks directories git's configuration names, and the states
	// kept under other names (hookstates.go); git's runs share a budget.
	gitDeadline.Store(time.Now().Add(gitBudget).UnixNano())
	scan := scanProject(e.getenv, append(append([]string{}, roots...), filepath.Dir(policyAbs))...)
	hooks := globalHooks(e.getenv, home)
	for _, r := range append(protectedRoots(policyAbs, roots), scan.repos...) {
		hooks = append(hooks, configuredHooks(e.getenv, r)...)
	}
	for _, h := range hooks {
		dirs = append(dirs, h)
		if r, err := filepath.EvalSymlinks(h); err == nil && r != h {
			dirs = append(dirs, r) // .githooks -> tools/hooks (review hook150 H1)
		}
	}
	states := scan.states
	protected = append(protected, states...)
	dirs = append(dirs, pathDirs(e.getenv("PATH"), cwds)...)
	if !ev.isShell {
		if agent == "gemini" {
			// Gemini CLI 0.61 passes a file tool's path through
			// decodeURIComponent before it writes (review hook55 F1:
			// plangu%61rd.hcl is the policy).
			for _, f := range ev.files {
				if percentEscape.MatchString(f) {
					return fmt.Sprintf("planguard: %s would write %s, a path with a %%XX escape, which Gemini CLI decodes before it writes (plangu%%61rd.hcl is planguard.hcl): the hook cannot tell which file is written. Write the path without %% escapes.", ev.tool, f), nil
				}
			}
			if hit := geminiFileAlias(ev.tool, ev.files, realCwd); hit != "" {
				return fmt.Sprintf("planguard: %s would write %s: Gemini CLI drops a leading `@` (and the slashes after it) from a file path, and looks a relative path that does not exist up in the whole workspace, so the edit may reach another file than the one named (the policy, its trust files, the agent's hook settings, a hard link to one of them). Name the file by its full path, without `@`.", ev.tool, hit), nil
			}
			for _, f := range ev.files {
				ev.files = append(ev.files, geminiAtPaths(f)...)
			}
		}
		// A path an agent may clean before it writes (review hook38 H4:
		// Gemini drops NULs; a client may trim spaces or expand ~) is
		// refused when it holds a control or invisible character, and
		// judged as written and as cleaned.
		for _, f := range ev.files {
			if h := shell.HiddenChar(f); h != "" || strings.ContainsFunc(f, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				return fmt.Sprintf("planguard: %s would write %q, a path with a control or invisible character%s, which some agents remove before they write (Gemini CLI drops NULs): the hook cannot tell which file is written. Write the path without it.", ev.tool, f, orEmpty(h)), nil
			}
		}
		for _, f := range ev.files {
			if t := strings.TrimSpace(f); t != f && t != "" {
				ev.files = append(ev.files, t)
			}
			if t := strings.TrimSpace(f); (t == "~" || strings.HasPrefix(t, "~/")) && home != "" {
				ev.files = append(ev.files, filepath.Join(home, strings.TrimPrefix(t[1:], "/")))
			}
		}
		for _, f := range ev.files {
			if shell.Climbs(realCwd, f) {
				return fmt.Sprintf("planguard: %s would write %s, a path with `..` after a directory name, which the kernel resolves through that directory (maybe a symbolic link to the policy, its allowed_signers or the agent's hook settings). Write the path without `..` after a directory name.", ev.tool, f), nil
			}
			// A relative path from the real cwd (the kernel's reading) and
			// from the cwd as the event gives it: the agents resolve a
			// leading `..` against that text (Node's path.resolve) when the
			// cwd is a symbolic link (review hook102 M1).
			ps := []string{f}
			if !filepath.IsAbs(f) {
				ps = []string{filepath.Join(realCwd, f)}
				if t := filepath.Join(ev.cwd, f); t != ps[0] {
					ps = append(ps, t)
				}
			}
			for _, p := range ps {
				if msg := fileToolWrite(ev.tool, f, p, home, protected, dirs); msg != "" {
					return msg, nil
				}
			}
		}
		return "", nil
	}
	self := hookExecutables()
	// The file system lookups are remembered for the call: the line is
	// judged in two readings (its own and bash's), which ask the same.
	opts := shell.Options{Cwd: realCwd, Home: home, Protected: protected, States: states, ProtectedDirs: dirs, CodeDirs: codeDirs(roots), Policy: policyAbs, Planguard: self,
		Resolve: memo(resolveLinks), UserHome: memo(userHome), HistFile: e.getenv("HISTFILE"), GitDir: memo(isGitDir),
		IsDir: memo(isDir), HardLinked: memo(hardLinked), StateUnder: memo(stateUnder), IsState: memo(stateContent), Glob: memo(globNow), HeadState: memo(func(d string) bool { return headState(e.getenv, d) }), InitMigrates: memo(initMigrates), LocalState: memo(localState), StagedState: memo(stagedState), TreeState: memo(treeState),
		Readlink: readlink, LinksUnder: memoLinks(linksUnder), Worktrees: memoLinks(linkedWorktrees),
		Shell: e.getenv("SHELL")}
	if resolved, err := filepath.EvalSymlinks(policyAbs); err == nil && resolved != policyAbs {
		opts.PolicyAliases = []string{resolved}
	}
	// bash's own reading of the line is judged too, where a bash that can
	// print it (5.2 and later) is installed (internal/bashread).
	if br, ok := bashread.Find(e.getenv); ok {
		opts.Reparse = br.Read
	}
	if proto.history {
		if cc := shell.TerminalControl(ev.command); cc != "" {
			return fmt.Sprintf("planguard refused this command: it holds the control character %s, which %s's terminal and line editor act on before the shell runs the line (a carriage return ends it, ^U erases what came before, ^A moves to its start), so the shell would run other words than the hook read: remove the control characters (write them with printf or $'\\r' if the command needs them).", cc, agent), nil
		}
		if d := shell.HistoryDesignator(ev.command); d != "" {
			return fmt.Sprintf("planguard refused this command: `%s` is a history expansion (!, ^), which %s's interactive shell replaces with other words before it runs the line, words the hook never read: write the command out in full.", d, agent), nil
		}
	}
	if agent == "gemini" {
		if c := geminiUnescaped(ev.command); c != "" {
			return fmt.Sprintf("planguard refused this command: Gemini CLI takes the text between the double quotes of a leading `sh -c \"…\"`/`bash -c \"…\"` apart with its own quoting rules (the shell-quote library: `\\\"`, `\\\\` and `\\$` lose their backslash, `\\` before a backquote or a newline does not, `${NAME}` becomes `$NAME`), which differ from bash's, and the text holds %s, which it reads otherwise: write the command without the wrapper, or quote the script in single quotes.", c), nil
		}
	}
	res := shell.Analyze(ev.command, opts)
	if !res.Allowed() {
		return "planguard refused this command: " + strings.Join(res.Refused, "; ") + ".", nil
	}
	if proto.rewrite != nil {
		// The agent runs another text than the event shows: judge that one too.
		for _, run := range proto.rewrite(ev.command) {
			if run == ev.command {
				continue
			}
			r := shell.Analyze(run, opts)
			if !r.Allowed() {
				return fmt.Sprintf("planguard refused this command: %s runs it as `%s`, and there: %s.", agent, truncate(run, 200), strings.Join(r.Refused, "; ")), nil
			}
			if len(res.Applies) == 0 {
				res.Applies = r.Applies
			}
		}
	}
	// A saved plan applied by terraform itself is never allowed, whatever
	// the gate says of the file now: terraform reads it after the hook has
	// answered, when a process the agent started earlier may have swapped
	// it. planguard apply pins the plan when it applies; the gate's run here
	// only makes the refusal say what a person must approve first.
	if len(res.Applies) == 0 {
		return "", nil
	}
	// The line holds one apply at most (shell's finish): refuse it.
	pg := "planguard"
	if len(self) > 0 {
		pg = self[0]
	}
	return hookRefuseApply(e, res.Applies[0], ev.cwd, policyAbs, tfBin, pg, cfg.runner), nil
}

// percentEscape is a %XX escape decodeURIComponent decodes.
var percentEscape = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)

// memo remembers f's answers, for one hook call.
func memo[T any](f func(string) T) func(string) T {
	seen := map[string]T{}
	return func(k string) T {
		if v, ok := seen[k]; ok {
			return v
		}
		v := f(k)
		seen[k] = v
		return v
	}
}

// hookExecutables are the spellings of the planguard the hook vouches for:
// its own executable, by absolute path (as hook install writes it, and
// after symlinks). A planguard found on PATH or built by the agent is not.
func hookExecutables() []string {
	var out []string
	add := func(p string) {
		if p != "" && filepath.IsAbs(p) && !contains(out, filepath.Clean(p)) {
			out = append(out, filepath.Clean(p))
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	add(exe)
	resolved, err := filepath.EvalSymlinks(exe)
	if err != nil {
		return out
	}
	add(resolved)
	// The path the agent's settings run (hook install writes an absolute
	// one), when it is the same file.
	if len(os.Args) > 0 && filepath.IsAbs(os.Args[0]) {
		if r, err := filepath.EvalSymlinks(os.Args[0]); err == nil && r == resolved {
			add(os.Args[0])
		}
	}
	return out
}

// hookRefuseApply is the refusal of `terraform apply PLAN`: why, what the
// gate says of the plan now (and the approvals it lacks), and the command
// that applies it safely: planguard apply, or the runner when one is
// configured.
func hookRefuseApply(e *env, ap shell.PlanApply, cwd, policyPath, tfBin, pg, runner string) string {
	written := ap.Tool + " apply " + ap.Plan
	if ap.Chdir != "" {
		written = ap.Tool + " -chdir=" + ap.Chdir + " apply " + ap.Plan
	}
	blocked, err := hookCheckPlan(e, ap, cwd, policyPath, tfBin)
	if err != nil {
		blocked = fmt.Sprintf("planguard refused `%s`: %v.", written, err)
	}
	if runner != "" {
		// runnerAdvice adds the runner's commands.
		if blocked != "" {
			return blocked
		}
		return fmt.Sprintf("planguard refused `%s`: here a planguard runner holds the credentials.", written)
	}
	dir := ""
	if ap.Chdir != "" {
		dir, _ = hookPlanPath(cwd, ap)
	}
	safe := fmt.Sprintf("%s apply --policy %s %s", shellQuote(pg), shellQuote(policyPath), shellQuote(ap.Plan))
	where := ""
	if dir != "" {
		where = fmt.Sprintf(" from %s (cd there in a command of its own first)", dir)
	}
	pins := "planguard pins the plan (copies and hashes it), checks that copy and applies exactly it, at the moment it applies; " +
		ap.Tool + " would read the file after the hook has answered, when a process started earlier may have swapped it"
	if blocked != "" {
		return fmt.Sprintf("%s When it allows the plan, apply it with `%s`%s (terraform apply flags after `--`), not with %s apply: %s.", blocked, safe, where, ap.Tool, pins)
	}
	return fmt.Sprintf("planguard refused `%s`: the hook never lets %s apply a saved plan itself. Run `%s`%s instead (terraform apply flags after `--`): %s.", written, ap.Tool, safe, where, pins)
}

// shellQuote quotes s for a shell when it needs quoting.
func shellQuote(s string) string {
	if r, err := syntax.Quote(s, syntax.LangBash); err == nil {
		return r
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// hookCheckPlan runs the real gate (the code path of planguard check) on
// a saved plan the command would apply: "" when it allows the file as it
// is now, else what blocks it (the refusal's first part).
func hookCheckPlan(e *env, ap shell.PlanApply, cwd, policyPath, tfBin string) (string, error) {
	dir, planPath := hookPlanPath(cwd, ap)
	if tfBin == "" && e.getenv(tfexec.EnvBinary) == "" {
		tfBin = ap.Tool
	}
	ctx, cancel := context.WithTimeout(context.Background(), hookCheckTimeout)
	defer cancel()
	// Pinning never blocks: a FIFO, device or socket named as the plan is
	// refused (a FIFO would hold the hook until the agent's timeout let the
	// apply through).
	pin, err := tfexec.PinPlan(ctx, planPath, tfexec.Limits{})
	if err != nil {
		return fmt.Sprintf("planguard refused `%s apply %s`: %v. Apply only a saved plan the gate allows: `terraform plan -out tfplan`, `planguard check tfplan`.", ap.Tool, ap.Plan, err), nil
	}
	defer pin.Cleanup()
	pinned := pin.Path
	res, err := hookCheck(ctx, e, policyPath, check.PlanSource{Path: pinned, TerraformBin: tfBin, Getenv: e.getenv, Dir: dir})
	if err != nil {
		return fmt.Sprintf("planguard refused `%s apply %s`: the gate could not check the plan: %v.", ap.Tool, ap.Plan, err), nil
	}
	if res.Report.Decision == gate.Allow {
		return "", nil // the gate allows the file as it is now
	}
	var blocked []string
	var approve []string
	for _, c := range res.Report.Changes {
		if c.Blocked() {
			blocked = append(blocked, fmt.Sprintf("%s %s (%s)", c.Action, c.Address, strings.Join(c.Problems, "; ")))
			approve = append(approve, fmt.Sprintf("planguard approve --policy %s --plan %s --target %s --action %s", policyPath, ap.Plan, c.Address, c.Action))
		}
	}
	return fmt.Sprintf("planguard refused `%s apply %s`: the gate blocks this plan: %d protected change(s) lack approval: %s. A person approves with: %s. Do not apply until `planguard check %s` allows it.",
		ap.Tool, ap.Plan, len(blocked), strings.Join(blocked, ", "), strings.Join(approve, " ; "), ap.Plan), nil
}

// hookCheck is what `planguard check` does (check.Checker), with the
// policy the hook names, the author from $PLANGUARD_AUTHOR, and no audit log.
func hookCheck(ctx context.Context, e *env, policyPath string, src check.PlanSource) (*check.Result, error) {
	var noFlag authorArg
	authors, err := noFlag.resolve(e)
	if err != nil {
		return nil, err
	}
	pol, trust, err := check.LoadPolicy(policyPath, "")
	if err != nil {
		return nil, err
	}
	c := check.Checker{Logger: e.log}
	return c.Check(ctx, check.Request{Policy: pol, Trust: trust, Plan: src, Now: time.Now(), Authors: authors})
}

// hookCheckTimeout bounds the gate's run on a saved plan: the hook must
// answer well before the agent's hook timeout (install sets 120 s), since
// some agents let a call through when its hook times out.
const hookCheckTimeout = 60 * time.Second

// protectedFiles are the files a tool call may not write: the policy, its
// trust files (allowed_signers, and revoked_keys when it names one: emptied,
// a revoked key would count again), and the agents' hook settings wherever
// an agent may read them for this call: in the event's directory (cwds: as the event
// names it and as the kernel resolves it) and every directory above it
// (the project root the agent started in, where project-scope hooks are
// installed), beside the policy and above it, in the home directory, and
// the managed files.
func protectedFiles(policy string, trust []string, home string, cwds ...string) []string {
	roots := protectedRoots(policy, cwds)
	files := append(append([]string{policy}, trust...), settingsFiles(roots, home)...)
	files = append(files, implicitFiles(roots, home)...)
	var out []string
	for _, f := range files {
		if f == "" {
			continue
		}
		out = append(out, filepath.Clean(f))
		if r, err := filepath.EvalSymlinks(f); err == nil && r != filepath.Clean(f) {
			out = append(out, r)
		}
	}
	return out
}

// protectedRoots are the event's directories, the policy's, and every
// directory above them.
func protectedRoots(policy string, cwds []string) []string {
	var roots []string
	seen := map[string]bool{}
	for _, d := range append(append([]string{}, cwds...), filepath.Dir(policy)) {
		for d != "" && !seen[d] {
			seen[d] = true
			roots = append(roots, d)
			up := filepath.Dir(d)
			if up == d {
				break
			}
			d = up
		}
	}
	return roots
}

// Files that run, or decide what runs, later and implicitly: a git hook
// runs at the next commit, a shell's startup files when the agent's
// terminal (or any shell) starts, direnv's .envrc when a shell enters the
// directory, .mcp.json's servers when the agent starts, and the agents'
// settings directories hold hooks and commands the agent runs. A write to
// them is refused like a write to the policy (the whole directory for the
// ones in protectedDirNames).
var (
	// .env: Gemini CLI loads the first .env of the directory and those
	// above it (and ~/.env) into its own environment, which every later
	// shell command inherits (review hook17b F11); direnv's dotenv and
	// docker compose read it too.
	projectImplicit = []string{".git/config", ".envrc", ".env", ".mcp.json", ".github/mcp.json",
		// npm reads a project's .npmrc (editor, script-shell: review
		// hook108 H4).
		".npmrc",
		// prove reads its options (--exec) from .proverc (review hook114
		// M1).
		".proverc",
		// Start-up files programs read from the working directory
		// (review hook135 M1): R's .Rprofile and .Renviron, pdb's .pdbrc,
		// octave's .octaverc, irb's .irbrc, gdb's and lldb's init files
		// (when their safe paths allow), vim's and neovim's exrc files.
		".Rprofile", ".Renviron", ".pdbrc", ".octaverc", ".irbrc", ".gdbinit", ".lldbinit", ".exrc", ".vimrc", ".nvimrc", ".nvim.lua",
		// Files the package managers and toolchains load from the
		// project on every command (review hook137 H1, H2, H8): rustup's
		// toolchain files (a path toolchain runs its programs), pnpm's
		// .pnpmfile.cjs, yarn's yarnPath, corepack's .corepack.env, the
		// version managers' files (a path version), bun's and mise's
		// settings.
		"rust-toolchain", "rust-toolchain.toml", ".pnpmfile.cjs", ".pnpmfile.mjs", ".yarnrc.yml", ".yarnrc",
		".corepack.env", ".tool-versions", ".mise.toml", "mise.toml", ".mise.local.toml", "bunfig.toml"}
	// The home directory's: the shells' startup files (and what Debian's
	// and Fedora's .bashrc source: .bash_aliases, .bashrc.d/), readline's,
	// git's and ssh's configuration, direnv's direnvrc, the editors' startup
	// files (vim main.tf is allowed), and Claude Code's user configuration
	// (.claude.json: it starts every MCP server listed there).
	homeImplicit = []string{".bashrc", ".bash_profile", ".profile", ".bash_login", ".bash_logout", ".inputrc",
		".zshrc", ".zshenv", ".zprofile", ".zlogin", ".gitconfig", ".ssh/config",
		".bash_aliases", ".zlogout", ".direnvrc", ".claude.json", ".vimrc", ".gvimrc", ".exrc", ".emacs", ".emacs.el", ".env",
		// Tools' configuration that names files they write or commands
		// they run (review hook30 F2/F3): curl's output, wget's
		// output_document and use_askpass, aria2's on-download-complete,
		// lftp's commands, and the Terraform/OpenTofu CLI configuration
		// (provider_installation, dev_overrides, credentials_helper).
		".curlrc", ".config/.curlrc", ".wgetrc", ".config/wgetrc", ".aria2/aria2.conf", ".config/aria2/aria2.conf",
		".lftprc", ".lftp/rc", ".config/lftp/rc", ".terraformrc", ".tofurc",
		// Debuggers' startup commands (gdb's `shell CMD`).
		".gdbinit", ".config/gdb/gdbinit", ".lldbinit", ".parallelrc",
		// go's settings file (GOFLAGS=-toolexec=…, GOMODCACHE, which go
		// clean -modcache removes whole, CC) and cargo's user
		// configuration (build.target-dir, which cargo clean empties;
		// target runners): the settings `go env -w` and cargo's options
		// are refused for (review hook90 L1, L2).
		".config/go/env", ".cargo/config", ".cargo/config.toml",
		// curl also reads $XDG_CONFIG_HOME/curlrc without the dot; gpg's
		// options (output), npm's (editor), pip's (log), the AWS CLI's
		// credential_process, kubectl's exec plugins (review hook108).
		".config/curlrc", ".gnupg/gpg.conf", ".gnupg/options", ".npmrc", ".config/pip/pip.conf", ".pip/pip.conf",
		".aws/config", ".aws/credentials", ".kube/config", ".proverc",
		// tmux's and screen's startup files: a server or session starts
		// with their run-shell, if-shell, screen CMD (review hook116 M1,
		// M2).
		".tmux.conf", ".config/tmux/tmux.conf", ".screenrc"}
	// systemImplicit are the system-wide files that change how later
	// commands run, whoever writes them (review hook30 F5): the shells'
	// startup files, the environment every login reads, the dynamic
	// loader's preload list, sudo's rules, git's system configuration.
	systemImplicit = []string{"/etc/profile", "/etc/bash.bashrc", "/etc/bashrc", "/etc/bash.bash_logout", "/etc/environment",
		"/etc/ld.so.preload", "/etc/ld.so.conf", "/etc/sudoers", "/etc/gitconfig", "/etc/zshenv", "/etc/zprofile", "/etc/zshrc",
		"/etc/zlogin", "/etc/zlogout", "/etc/inputrc", "/etc/wgetrc", "/etc/ssh/ssh_config", "/etc/security/pam_env.conf",
		"/etc/crontab", "/etc/rc.local", "/etc/tmux.conf", "/etc/screenrc"}
	// systemDirs are the system directories every file of which runs, or
	// changes what runs, later.
	systemDirs = []string{"/etc/profile.d", "/etc/sudoers.d", "/etc/ld.so.conf.d", "/etc/zsh", "/etc/bash_completion.d",
		"/etc/environment.d", "/etc/ssh/ssh_config.d", "/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly",
		"/etc/cron.monthly", "/etc/apt/apt.conf.d",
		// GNU parallel puts its system configuration's words before every
		// command (--limit CMD: review hook81 M1); vim and gdb run the
		// commands of their system startup files.
		"/etc/parallel", "/etc/vim", "/etc/gdb",
		// The agents' managed (system) settings: hooks, MCP servers,
		// disableAllHooks (review hook134 M1).
		"/etc/claude-code", "/etc/gemini-cli", "/etc/copilot", "/etc/cursor"}
	// systemCodeDirs are the programs' own code, for an agent that runs
	// as root (review hook137 H6): python's standard library, node's
	// global modules, go's tools, git's helpers, bash's completions —
	// every file there runs when its program starts. Package managers
	// write there, the agent does not. A project inside one (a
	// container's /usr/src/app, /opt/app) stays the project's.
	systemCodeDirs = []string{"/usr", "/opt", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/boot"}
	// gitHooks are the hook names git runs; listed as files too, so that
	// a computed path ending in one is refused (shell's base-name checks).
	gitHooks = []string{"applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit",
		"prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge", "pre-push",
		"pre-receive", "update", "proc-receive", "post-receive", "post-update", "reference-transaction",
		"push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate", "fsmonitor-watchman",
		"p4-changelist", "p4-prepare-changelist", "p4-post-changelist", "p4-pre-submit", "post-index-change"}
	// Copilot CLI reads repository settings from .github/copilot
	// (disableAllHooks turns every hook off) and loads extensions from
	// .github/extensions (review hook134 H1).
	// Maven reads .mvn/jvm.config (JVM options: -XX:OnOutOfMemoryError
	// runs a command), maven.config and extensions.xml (review hook137
	// H8); mise reads .mise/ and .config/mise.
	projectDirs = []string{".git/hooks", ".claude", ".gemini", ".cursor", ".github/hooks", ".github/copilot", ".github/extensions",
		".mvn", ".mise", ".config/mise"}
	homeDirs = []string{".claude", ".gemini", ".cursor", ".copilot", ".config/git",
		".bashrc.d", ".config/fish", ".config/direnv", ".vim", ".config/vim", ".config/nvim", ".local/share/nvim",
		".emacs.d", ".config/emacs", ".oh-my-zsh/custom",
		// Terraform reads every *.tfrc there as CLI configuration besides
		// ~/.terraformrc (provider_installation, dev_overrides) and takes
		// providers from its plugins directory, as from the XDG data
		// directories; OpenTofu likewise (review hook66 M1).
		".terraform.d", ".local/share/terraform", ".config/opentofu", ".local/share/opentofu",
		// GNU parallel puts the words of its config before every command
		// (review hook79 L1).
		".parallel",
		// gpg reads gpg.conf-VERSION before gpg.conf (output: review
		// hook109 H8).
		".gnupg"}
	// gitDirFiles are the files of a git directory that configure what
	// git runs, listed as files too (base-name checks after a cd); the
	// whole git directory is a protected directory.
	gitDirFiles = []string{"config", "config.worktree", "commondir"}
)

// implicitFiles are the files above for the roots and the home directory.
func implicitFiles(roots []string, home string) []string {
	var out []string
	for _, root := range roots {
		for _, g := range gitDirs(root) {
			for _, f := range gitDirFiles {
				out = append(out, filepath.Join(g, f))
			}
			for _, h := range gitHooks {
				out = append(out, filepath.Join(g, "hooks", h))
			}
		}
		for _, f := range projectImplicit[1:] {
			out = append(out, filepath.Join(root, f))
		}
	}
	if home != "" {
		for _, f := range homeImplicit {
			out = append(out, filepath.Join(home, f))
		}
	}
	if runtime.GOOS != "windows" {
		out = append(out, systemImplicit...)
	}
	return out
}

// protectedDirs are the directories every file of which a tool call may
// not write: the git hooks of the repositories the event's directory is
// in, and the agents' settings directories in each root and the home
// directory (hooks, commands and settings the agents run).
func protectedDirs(policy, home string, cwds ...string) []string {
	var dirs []string
	for _, root := range protectedRoots(policy, cwds) {
		// The whole git directory: its config, config.worktree,
		// commondir, info/, hooks/, modules/*/config (review hook17 F2).
		dirs = append(dirs, gitDirs(root)...)
		for _, d := range projectDirs[1:] {
			dirs = append(dirs, filepath.Join(root, d))
		}
	}
	if home != "" {
		for _, d := range homeDirs {
			dirs = append(dirs, filepath.Join(home, d))
		}
	}
	if runtime.GOOS != "windows" {
		dirs = append(dirs, systemDirs...)
	}
	var out []string
	for _, d := range dirs {
		out = append(out, filepath.Clean(d))
		if r, err := filepath.EvalSymlinks(d); err == nil && r != filepath.Clean(d) {
			out = append(out, r)
		}
	}
	return out
}

// gitDirs are root/.git and, when it is a file (a worktree, a submodule:
// "gitdir: PATH"), the git directory it names, and the common directory
// the git directory's commondir names (a .git directory may have one
// too: git then reads the config and hooks there).
func gitDirs(root string) []string {
	dot := filepath.Join(root, ".git")
	out := []string{dot}
	g := dot
	if b, err := os.ReadFile(dot); err == nil {
		gd, ok := gitdirFile(root, b) // hookindex.go
		if !ok {
			return out
		}
		g = gd
		out = append(out, g)
	}
	if c, err := os.ReadFile(filepath.Join(g, "commondir")); err == nil {
		cd := strings.TrimSpace(string(c))
		if !filepath.IsAbs(cd) {
			cd = filepath.Join(g, cd)
		}
		out = append(out, filepath.Clean(cd))
	}
	return out
}

// agentEnvDirs are the agents' settings directories their environment
// moves: Claude Code's CLAUDE_CONFIG_DIR (settings, and the .claude.json
// whose MCP servers it starts) and Copilot CLI's COPILOT_HOME. The hook
// runs with the agent's environment.
func agentEnvDirs(getenv func(string) string) []string {
	var out []string
	// XDG_CONFIG_HOME and XDG_DATA_HOME, when the agent's environment
	// moves them out of the home directory: git, the editors, Terraform's
	// plugins and Copilot's migration of $XDG_CONFIG_HOME/.copilot read
	// there what ~/.config and ~/.local/share hold (review hook134 L1).
	// Gemini CLI's home (its .gemini there: settings, hooks, trusted
	// folders) and the settings files it takes from its environment
	// (review hook138 H2).
	names := []string{"CLAUDE_CONFIG_DIR", "COPILOT_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "GEMINI_CLI_HOME",
		"GEMINI_CLI_SYSTEM_SETTINGS_PATH", "GEMINI_CLI_SYSTEM_DEFAULTS_PATH", "GEMINI_CLI_TRUSTED_FOLDERS_PATH"}
	for _, v := range names {
		d := getenv(v)
		if v == "GEMINI_CLI_HOME" && d != "" {
			d = filepath.Join(d, ".gemini")
		}
		out = append(out, absDirForms(d)...)
	}
	return out
}

// absDirForms is a directory the environment names, as given and after
// symbolic links; nothing for "" or a relative path.
func absDirForms(d string) []string {
	if d == "" || !filepath.IsAbs(d) {
		return nil
	}
	out := []string{filepath.Clean(d)}
	if r, err := filepath.EvalSymlinks(d); err == nil && r != out[0] {
		out = append(out, r)
	}
	return out
}

// codeDirs are the system code directories (systemCodeDirs) but the
// branches holding the event's directories, as given and after symbolic
// links (/lib is /usr/lib on a merged /usr): shell.Options.CodeDirs.
func codeDirs(roots []string) []string {
	if runtime.GOOS == "windows" {
		return nil
	}
	var out []string
	for _, d := range systemCodeDirs {
		for _, c := range outsideRoots(d, roots, 0) {
			out = append(out, c)
			if r, err := filepath.EvalSymlinks(c); err == nil && r != c {
				out = append(out, r)
			}
		}
	}
	return out
}

// outsideRoots returns d when no root (the event's directories) lies in
// it, or else the entries of d that are not a root, each judged the same
// way: /usr with a project in /usr/src/app gives /usr/bin, /usr/lib…,
// /usr/src's other entries, and not /usr/src/app. Bounded in depth.
func outsideRoots(d string, roots []string, depth int) []string {
	inside := false
	for _, r := range roots {
		if r == d {
			return nil
		}
		if strings.HasPrefix(r, d+string(filepath.Separator)) {
			inside = true
		}
	}
	if !inside {
		return []string{d}
	}
	if depth > 8 {
		return nil
	}
	entries, err := os.ReadDir(d)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		out = append(out, outsideRoots(filepath.Join(d, e.Name()), roots, depth+1)...)
	}
	return out
}

// agentProjectDirs are the project directories the agents' clients name
// in their hooks' environment (Claude Code's CLAUDE_PROJECT_DIR, Gemini
// CLI's GEMINI_PROJECT_DIR and its Claude twin, Cursor's
// CURSOR_PROJECT_DIR), as given and after symbolic links.
func agentProjectDirs(getenv func(string) string) []string {
	var out []string
	for _, v := range []string{"CLAUDE_PROJECT_DIR", "GEMINI_PROJECT_DIR", "CURSOR_PROJECT_DIR"} {
		out = append(out, absDirForms(getenv(v))...)
	}
	return out
}

// pathDirs are the directories of the agent's PATH outside the project
// (~/.local/bin, /usr/local/bin): a file written there runs in place of
// the program of its name, in this call (ls after writing ~/.local/bin/ls:
// review hook119 H8) and in every later one. A directory that holds the
// event's directory, or lies inside its project (the git work tree it is
// in, or the directory itself: node_modules/.bin), is left out: the
// project's own files are judged as such.
func pathDirs(path string, cwds []string) []string {
	var roots []string
	for _, c := range cwds {
		roots = append(roots, c)
		for d := c; ; d = filepath.Dir(d) {
			if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
				roots = append(roots, d)
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	var out []string
	for _, d := range filepath.SplitList(path) {
		if !filepath.IsAbs(d) {
			continue
		}
		d = filepath.Clean(d)
		inside := false
		for _, r := range roots {
			if r == d || strings.HasPrefix(r, d+string(filepath.Separator)) || strings.HasPrefix(d, r+string(filepath.Separator)) || d == string(filepath.Separator) {
				inside = true
			}
		}
		if !inside {
			out = append(out, d)
			if r, err := filepath.EvalSymlinks(d); err == nil && r != d {
				out = append(out, r)
			}
		}
	}
	return out
}

// maxStateSearch bounds the entries stateUnder reads.
const maxStateSearch = 50000

// localState reports whether dir holds a non-empty terraform.tfstate or
// workspaces' states (shell.Options.LocalState).
func localState(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "terraform.tfstate"))
	_, derr := os.Stat(filepath.Join(dir, "terraform.tfstate.d"))
	return err == nil && fi.Size() > 0 || derr == nil
}

// initMigrates reports whether terraform init in dir may move its local
// state (shell.Options.InitMigrates): dir holds a non-empty
// terraform.tfstate (or workspaces' states) and its configuration (*.tf,
// *.tf.json, *.tofu, *.tofu.json, parsed as Terraform parses them) declares
// a backend or cloud block. A file it cannot read or parse counts as
// declaring one (fail closed).
func initMigrates(dir string) bool {
	if !localState(dir) {
		return false // no local state to lose
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return true
	}
	p := hclparse.NewParser()
	for _, e := range ents {
		n := strings.ToLower(e.Name())
		json := strings.HasSuffix(n, ".tf.json") || strings.HasSuffix(n, ".tofu.json")
		if e.IsDir() || !json && !strings.HasSuffix(n, ".tf") && !strings.HasSuffix(n, ".tofu") {
			continue
		}
		// Only a regular file is read: a FIFO gives each reader what its
		// writer sends it (the hook one text, terraform another), and
		// blocks the hook without a writer (review hook80 H1).
		// Opened without blocking and checked on the open file, so that
		// a swap after a check does not matter.
		fh, err := os.OpenFile(filepath.Join(dir, e.Name()), os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return true
		}
		fi, err := fh.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			fh.Close()
			return true
		}
		b, err := io.ReadAll(io.LimitReader(fh, 4<<20+1))
		fh.Close()
		if err != nil || len(b) > 4<<20 {
			return true
		}
		var f *hcl.File
		var diags hcl.Diagnostics
		if json {
			f, diags = p.ParseJSON(b, e.Name())
		} else {
			f, diags = p.ParseHCL(b, e.Name())
		}
		if diags.HasErrors() || f == nil {
			return true
		}
		top, _, diags := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "terraform"}}})
		if diags.HasErrors() {
			return true
		}
		for _, blk := range top.Blocks {
			in, _, diags := blk.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
				{Type: "backend", LabelNames: []string{"type"}}, {Type: "cloud"}}})
			if diags.HasErrors() || len(in.Blocks) > 0 {
				return true
			}
		}
	}
	return false
}

// stateUnder returns a Terraform state file (shell.StateFile) in the
// directory p, searched breadth first without following symbolic links,
// or "" when p is not a directory or holds none. It skips the
// directories no state file is kept in by anything the hook allows
// (.terraform, whose terraform.tfstate holds only the backend settings
// `terraform init` writes again; node_modules; .git), and reports a
// directory too large to search as one that may hold one.
func stateUnder(p string) string {
	fi, err := os.Stat(p)
	if err != nil || !fi.IsDir() || skipStateSearch(filepath.Base(p)) {
		return ""
	}
	queue, seen := []string{p}, 0
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		ents, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if seen++; seen > maxStateSearch {
				return fmt.Sprintf("%s (more than %d entries: the hook did not search all of it for Terraform state files; remove it in parts)", p, maxStateSearch)
			}
			name, full := e.Name(), filepath.Join(d, e.Name())
			if shell.StateFile(name) && !(filepath.Base(d) == ".terraform" && strings.EqualFold(name, "terraform.tfstate")) {
				return full
			}
			if e.Type().IsRegular() && stateContent(full) {
				return full // a state kept under another name (hookstates.go)
			}
			if e.IsDir() && !skipStateSearch(name) {
				queue = append(queue, full)
			}
		}
	}
	return ""
}

// skipStateSearch: directories stateUnder does not search (rm -rf
// node_modules stays allowed; a .git directory is protected whole).
func skipStateSearch(name string) bool { return name == "node_modules" || name == ".git" }

// isDir reports whether p is a directory now (after symbolic links).
func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// isGitDir reports whether dir is a git directory now (git's
// is_git_directory: HEAD, and objects/ or a commondir), so that a file
// named config written there is git's configuration.
func isGitDir(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		return false
	}
	if fi, err := os.Stat(filepath.Join(dir, "objects")); err == nil && fi.IsDir() {
		return true
	}
	_, err := os.Stat(filepath.Join(dir, "commondir"))
	return err == nil
}

// gitDirWrite returns what makes a file tool's write to p a write to git's
// configuration: a `.git` component (x/.git/config, a `.git` file naming a
// git directory elsewhere), or a config, config.worktree or commondir in a
// directory that is a git directory now (a bare repository); "" if none.
func gitDirWrite(p string) string {
	cands := []string{filepath.Clean(p)}
	if r := resolveLinks(p); r != "" && r != cands[0] {
		cands = append(cands, r)
	}
	for _, c := range cands {
		parts := strings.Split(c, string(filepath.Separator))
		for i, part := range parts {
			if strings.EqualFold(part, ".git") {
				return strings.Join(parts[:i+1], string(filepath.Separator))
			}
		}
		for _, n := range gitDirFiles {
			if strings.EqualFold(filepath.Base(c), n) && isGitDir(filepath.Dir(c)) {
				return c
			}
		}
		// The hooks of a git directory elsewhere (a bare repository, a
		// --separate-git-dir): git runs them (review hook17b F6).
		for i, part := range parts {
			if dir := strings.Join(parts[:i], string(filepath.Separator)); i > 0 && strings.EqualFold(part, "hooks") && dir != "" && isGitDir(dir) {
				return strings.Join(parts[:i+1], string(filepath.Separator))
			}
		}
	}
	return ""
}

// userHome is the home directory of the user name from the password
// database (what bash's ~NAME expands to), or "" when there is none.
func userHome(name string) string {
	u, err := user.Lookup(name)
	if err != nil {
		return ""
	}
	return u.HomeDir
}

// resolveLinks is where abs leads through the symbolic links that exist
// now: of the path itself, or of its deepest existing directory; a link
// whose target does not exist yet leads where a write through it would
// create the file. A link an earlier tool call made (ln -s ../planguard.hcl p)
// is judged by the file it reaches.
func resolveLinks(abs string) string {
	p := filepath.Clean(abs)
	var rest []string
	for i := 0; i < 255; i++ {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			t, err := os.Readlink(p)
			if err != nil {
				return abs
			}
			if !filepath.IsAbs(t) {
				// Relative to the directory the link is in, as the kernel
				// finds it: through the links on the way (p/q/d/m, d a
				// link elsewhere: review hook102 H2), not as written.
				dir := filepath.Dir(p)
				if r, err := filepath.EvalSymlinks(dir); err == nil {
					dir = r
				}
				t = filepath.Join(dir, t)
			}
			p = filepath.Clean(t)
			continue
		}
		dir := filepath.Dir(p)
		if dir == p {
			return abs
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = dir
	}
	return abs
}

// isProtected reports the protected file p is (by path, after symlinks,
// or as the same file: a hard link, another letter case), or "".
func isProtected(p string, protected, dirs []string) string {
	cands := []string{filepath.Clean(p)}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		cands = append(cands, r)
	} else if r := resolveLinks(p); r != "" && r != filepath.Clean(p) {
		cands = append(cands, r)
	}
	for _, c := range cands {
		for _, q := range protected {
			if strings.EqualFold(c, q) {
				return q
			}
		}
		for _, d := range dirs {
			if strings.EqualFold(c, d) || len(c) > len(d) && strings.EqualFold(c[:len(d)+1], d+string(filepath.Separator)) {
				return c
			}
		}
	}
	if fi, err := os.Stat(p); err == nil {
		for _, q := range protected {
			if qi, err := os.Stat(q); err == nil && os.SameFile(fi, qi) {
				return q
			}
		}
	}
	return ""
}

// parseEvent reads one event of the agent. Keys are matched exactly (Go's
// encoding/json would match them case-insensitively).
func (p *agentProtocol) parseEvent(raw []byte) (hookEvent, error) {
	var ev hookEvent
	if len(bytes.TrimSpace(raw)) == 0 {
		return ev, errors.New("stdin is empty (the agent sends the tool call as JSON)")
	}
	obj, err := jsonObject(raw)
	if err != nil {
		return ev, fmt.Errorf("not a JSON object: %w", err)
	}
	if ev.cwd, err = optString(obj, "cwd"); err != nil {
		return ev, err
	}
	tool, input, err := p.call(p, obj)
	if err == nil && p.foreignShell(tool) {
		ev.tool, ev.foreign = tool, true
		return ev, nil
	}
	if err != nil || input == nil {
		return ev, err
	}
	ev.tool = tool
	if contains(p.typeTools, tool) {
		ev.types = true
		return ev, nil
	}
	if key, ok := p.shellTools[ev.tool]; ok {
		ev.isShell = true
		if ev.command, err = reqString(input, key); err != nil {
			if tool == "" {
				return ev, err
			}
			return ev, fmt.Errorf("%s: %w", ev.tool, err)
		}
		base := ev.cwd
		for _, k := range p.dirKeys {
			d, err := optString(input, k)
			if err != nil {
				return ev, err
			}
			if shell.Climbs("", d) || slices.Contains(strings.Split(filepath.ToSlash(d), "/"), "..") {
				// Gemini CLI resolves dir_path as text (Node's path.resolve:
				// l/.. is the cwd), the kernel through links (l/.. is the
				// link target's parent): the hook cannot tell which
				// directory the command runs in (review hook107 H1, H2).
				return ev, fmt.Errorf("%s: %s is %q, a path with `..`, which the agent resolves as text and the kernel through symbolic links: name the directory without `..`", ev.tool, k, d)
			}
			ev.cwd = joinDir(ev.cwd, d)
		}
		for _, k := range p.staleDirKeys {
			d, err := optString(input, k)
			if err != nil {
				return ev, err
			}
			if d != "" && filepath.Clean(joinDir(base, d)) != filepath.Clean(ev.cwd) {
				return ev, fmt.Errorf("%s: %s is %q, another directory than the one the command runs in (%q, from %s): the agent ignores %s, so the hook will not judge the command there; leave it out", ev.tool, k, d, ev.cwd, strings.Join(p.dirKeys, ", "), k)
			}
		}
		return ev, nil
	}
	if contains(p.patchTools, ev.tool) {
		if ev.files, err = patchFiles(input); err != nil {
			return ev, fmt.Errorf("%s: %w", ev.tool, err)
		}
		return ev, nil
	}
	for _, k := range p.writeTools[ev.tool] {
		f, err := reqString(input, k)
		if err != nil {
			return ev, fmt.Errorf("%s: %w", ev.tool, err)
		}
		ev.files = append(ev.files, f)
	}
	return ev, nil
}

func jsonObject(raw []byte) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(raw))
	if err := d.Decode(&obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errors.New("null")
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON object")
	}
	return obj, nil
}

func reqString(obj map[string]json.RawMessage, key string) (string, error) {
	v, ok := obj[key]
	if !ok {
		return "", fmt.Errorf("%s is missing", key)
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("%s is not a string", key)
	}
	return s, nil
}

func optString(obj map[string]json.RawMessage, key string) (string, error) {
	if v, ok := obj[key]; !ok || string(v) == "null" {
		return "", nil
	}
	return reqString(obj, key)
}

// hookDeny answers with the agent's deny form: the JSON on stdout, the
// reason on stderr too, and the exit status the agent treats as a block
// (2, and no JSON, for an agent planguard does not know).
func hookDeny(e *env, agent, reason string) int {
	code := 2
	if p, ok := agents[agent]; ok {
		b, _ := json.Marshal(p.deny(reason))
		fmt.Fprintf(e.stdout, "%s\n", b)
		code = p.denyExit
	}
	fmt.Fprintln(e.stderr, reason)
	return code
}

// hookPlanPath is the directory terraform runs in and the plan file it reads.
func hookPlanPath(cwd string, ap shell.PlanApply) (string, string) {
	dir := cwd
	switch {
	case filepath.IsAbs(ap.Chdir):
		dir = filepath.Clean(ap.Chdir) // terraform -chdir=/abs: not under cwd
	case ap.Chdir != "":
		dir = filepath.Join(cwd, ap.Chdir)
	}
	planPath := ap.Plan
	if !filepath.IsAbs(planPath) {
		planPath = filepath.Join(dir, planPath)
	}
	return dir, planPath
}

// geminiFileAlias returns the path a Gemini CLI replace names that Gemini
// may resolve to another file (review hook17b F14), or "": Gemini CLI
// 0.61 drops a leading `@` (resolveDefensiveToolPath), and its replace
// tool looks a relative path that does not exist under the directory up
// by a search of the workspace for a file whose path ends with it
// (correctPath: settings.json → .gemini/settings.json, policy-copy.hcl →
// docs/policy-copy.hcl, a hard link to the policy): any such path is
// refused.
func geminiFileAlias(tool string, files []string, cwd string) string {
	if tool != "replace" {
		return "" // the leading `@` is judged by the caller
	}
	for _, f := range files {
		for _, g := range append([]string{f}, geminiAtPaths(f)...) {
			g = filepath.Clean(g)
			if g == "." || filepath.IsAbs(g) || strings.HasPrefix(g, "..") {
				continue
			}
			if _, err := os.Lstat(filepath.Join(cwd, g)); err == nil {
				continue // it exists where written: judged as written
			}
			// Gemini looks the name up in the whole workspace and edits
			// the one file it finds: a protected file's name, or any
			// file, a hard link to the policy included (review hook120
			// M1). A replace names a file that exists: refused.
			return filepath.Join(cwd, g)
		}
	}
	return ""
}

// geminiAtPaths are the other paths Gemini CLI writes for a file tool's
// path that starts with `@`: without the `@`, and, for `@/` and `@\`,
// without every `/` and `\` after it too, a path relative to the project
// (resolveDefensiveToolPath: review hook120 H1).
func geminiAtPaths(f string) []string {
	g, ok := strings.CutPrefix(f, "@")
	if !ok || g == "" {
		return nil
	}
	out := []string{g}
	if h := strings.TrimLeft(g, `/\`); h != g && h != "" {
		out = append(out, h)
	}
	return out
}

// fileToolWrite is the refusal of an agent's file tool (tool) writing f,
// at the absolute path p, or "": a protected file, a Terraform state
// (also through a symbolic link), a file with other hard links, a file
// in a git directory.
func fileToolWrite(tool, f, p, home string, protected, dirs []string) string {
	if hit := isProtected(p, protected, dirs); hit != "" {
		return fmt.Sprintf("planguard: %s would write %s, which holds the gate's trust or runs later on its own (the policy, its allowed_signers, revoked_keys or lock_file, the agent's hook settings and settings directory, a git hook or git config, a shell startup file, .envrc, .mcp.json). A person changes it through review; propose the change in a pull request instead.", tool, hit)
	}
	// The trees the shell's writes are refused for (the home directory's
	// hidden files, python's site directories, .pth, pip.conf: review
	// hook138 H1), at the path and where it leads.
	for _, c := range []string{filepath.Clean(p), resolveLinks(p)} {
		if c == "" {
			continue
		}
		if home != "" {
			if h, err := filepath.EvalSymlinks(home); err == nil && h != home && strings.HasPrefix(c, h+string(filepath.Separator)) {
				c = filepath.Join(home, strings.TrimPrefix(c, h))
			}
		}
		if why := shell.ImplicitCode(filepath.ToSlash(c), filepath.ToSlash(home)); why != "" {
			return fmt.Sprintf("planguard: %s would write %s: %s. A person changes it; propose the change instead.", tool, f, why)
		}
	}
	// A symbolic link made earlier (tar x, ln -s in an accepted class)
	// leads the file tool to the file it names, as the shell's writes are
	// judged (review hook33 F4).
	if target := resolveLinks(p); shell.StateFile(p) || shell.StateFile(target) || stateContent(p) {
		if target != p && !shell.StateFile(p) {
			f += " (a symbolic link to " + target + ")"
		}
		return fmt.Sprintf("planguard: %s would write %s, a Terraform state file: changing it by hand forgets or alters resources, the state change the policy guards. Use terraform state commands in the shell, which the gate judges.", tool, f)
	}
	if hardLinked(p) || hardLinked(resolveLinks(p)) {
		return fmt.Sprintf("planguard: %s would write %s, an existing file with more than one hard link: another of its names may be the policy, its allowed_signers, the agent's settings or a Terraform state file, which the write rewrites too. Remove the name first (`rm %s` in the shell) and write a new file.", tool, f, f)
	}
	if c := filepath.ToSlash(filepath.Clean(p)); c == "/proc" || strings.HasPrefix(c, "/proc/") || c == "/dev/fd" || strings.HasPrefix(c, "/dev/fd/") ||
		c == "/dev/stdin" || c == "/dev/stdout" || c == "/dev/stderr" {
		// /proc/self/fd/N, /dev/fd/N: a descriptor the agent's process
		// holds, which may be open on any file (review hook148 M1).
		return fmt.Sprintf("planguard: %s would write %s, a descriptor of the agent's own process (or another process's files under /proc), which may be open on the policy, a settings file or a state: the hook cannot tell which file is written. Write files by their own paths.", tool, f)
	}
	if hit := gitDirWrite(p); hit != "" {
		return fmt.Sprintf("planguard: %s would write %s, in a git directory, whose files run later on their own: git reads its configuration and runs its hooks, which can run any command (an alias, core.pager, core.fsmonitor, a pre-commit hook). Set git configuration with `git config KEY VALUE` in the shell, where the hook reads it.", tool, hit)
	}
	return ""
}

// readlink is an absolute path's link target as written, when it is a
// symbolic link (shell.Options.Readlink).
func readlink(abs string) (string, bool) {
	t, err := os.Readlink(abs)
	return t, err == nil
}

// maxLinkSearch bounds the entries linksUnder reads.
const maxLinkSearch = 20000

// linksUnder returns the symbolic links under dir (paths relative to it,
// targets as written) for shell.Options.LinksUnder; ok false when dir
// holds more entries than it reads. A dir that is no directory holds
// none.
func linksUnder(dir string) ([][2]string, bool) {
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		return nil, true
	}
	var links [][2]string
	n, unread := 0, false
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			unread = true // a directory it cannot read may hold links
			return fs.SkipAll
		}
		if n++; n > maxLinkSearch {
			return fs.SkipAll
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if t, err := os.Readlink(p); err == nil {
				rel, _ := filepath.Rel(dir, p)
				links = append(links, [2]string{filepath.ToSlash(rel), t})
			}
		}
		return nil
	})
	return links, err == nil && !unread && n <= maxLinkSearch
}

// memoLinks remembers linksUnder's (and linkedWorktrees') answers for the
// call.
func memoLinks[T any](f func(string) (T, bool)) func(string) (T, bool) {
	type answer struct {
		links T
		ok    bool
	}
	seen := map[string]answer{}
	return func(dir string) (T, bool) {
		if a, ok := seen[dir]; ok {
			return a.links, a.ok
		}
		l, ok := f(dir)
		seen[dir] = answer{l, ok}
		return l, ok
	}
}
