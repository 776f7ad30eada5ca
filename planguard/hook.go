package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/shell"
)

// maxEvent bounds the hook event read from stdin: a tool call's JSON is
// kilobytes; anything larger is refused, not read without end.
const maxEvent = 4 << 20

// agents are the coding agents whose pre-tool-call hook planguard answers.
var agents = map[string]agentSpec{
	"claude": {
		shellTools: map[string]string{"Bash": "command"},
		writeTools: map[string][]string{"Write": {"file_path"}, "Edit": {"file_path"}, "MultiEdit": {"file_path"}, "NotebookEdit": {"notebook_path"}},
		denyExit:   2,
	},
	"gemini": {
		shellTools: map[string]string{"run_shell_command": "command"},
		writeTools: map[string][]string{"write_file": {"file_path"}, "replace": {"file_path"}},
		denyExit:   2,
	},
	"copilot": {
		// write_bash types input into a shell the agent started earlier:
		// judged like a command line.
		shellTools: map[string]string{"bash": "command", "shell": "command", "write_bash": "input"},
		writeTools: map[string][]string{"edit": {"path"}, "create": {"path"}, "write": {"path"}, "str_replace_editor": {"path"}},
		denyExit:   0, // Copilot CLI reads the deny from the JSON on a zero exit
	},
	"cursor": {
		denyExit: 0, // Cursor reads the deny from the JSON; install sets failClosed
	},
}

type agentSpec struct {
	shellTools map[string]string   // tool name → input key holding the command line
	writeTools map[string][]string // tool name → input keys that name the file written
	denyExit   int
}

// hookEvent is what the hook needs from an agent's event.
type hookEvent struct {
	tool    string   // the agent's tool name ("" for Cursor's beforeShellExecution)
	command string   // the shell command, when the tool runs one
	isShell bool     // the tool runs command in a shell
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
apply, destroy, import, state rm…, terragrunt run --all apply…), an apply of a saved plan
the gate does not allow now, planguard approve/sign and ssh-keygen signing in the
planguard-approval namespace, and writes to the policy and its allowed_signers.
Allow prints nothing and exits 0 (the agent's own permission flow goes on: the hook never
approves anything). Deny prints the agent's deny answer with the reason; any error denies.
Install it with 'planguard hook install'. See docs/guides/agent-hooks.md.`,
		`  planguard hook install --agent claude --scope project --policy planguard.hcl
  echo '{"tool_name":"Bash","tool_input":{"command":"terraform destroy"},"cwd":"/repo"}' | planguard hook --agent claude
`)
	var agent, policyPath, tfBin string
	fs.StringVar(&agent, "agent", "", "the agent whose event and answer formats to use: claude, gemini, copilot, cursor")
	fs.StringVar(&policyPath, "policy", defaultPolicy, "policy `FILE` (HCL) the hook enforces")
	fs.StringVar(&tfBin, "terraform-bin", "", "terraform or tofu `BINARY` that reads saved plans (default $PLANGUARD_TERRAFORM, else the command's own terraform or tofu on PATH)")
	if err := parse(e, fs, args); err != nil {
		if errors.Is(err, errHelp) {
			return exitAllow, err
		}
		return hookDeny(e, agent, "planguard hook: "+err.Error()), nil
	}
	spec, ok := agents[agent]
	if !ok {
		return hookDeny(e, agent, fmt.Sprintf("planguard hook: unknown --agent %q (claude, gemini, copilot, cursor): every tool call is refused until the hook is configured right", agent)), nil
	}
	if fs.NArg() != 0 {
		return hookDeny(e, agent, "planguard hook: takes no arguments (the event comes on stdin)"), nil
	}
	reason, err := hookDecide(e, agent, spec, policyPath, tfBin)
	if err != nil {
		// An error is answered, not returned: the agent reads a deny.
		return hookDeny(e, agent, "planguard hook refused the tool call because it could not decide: "+err.Error()), nil //nolint:nilerr
	}
	if reason != "" {
		return hookDeny(e, agent, reason), nil
	}
	return exitAllow, nil
}

// hookDecide returns "" to allow, or the reason to deny.
func hookDecide(e *env, agent string, spec agentSpec, policyPath, tfBin string) (string, error) {
	raw, err := io.ReadAll(io.LimitReader(e.stdin, maxEvent+1))
	if err != nil {
		return "", fmt.Errorf("read the hook event on stdin: %w", err)
	}
	if len(raw) > maxEvent {
		return "", fmt.Errorf("the hook event on stdin is larger than %d bytes", maxEvent)
	}
	ev, err := parseEvent(agent, spec, raw)
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
	if !ev.isShell && len(ev.files) == 0 {
		return "", nil // a tool the hook does not judge
	}
	home := e.getenv("HOME")
	protected := protectedFiles(policyAbs, pol.AllowedSignersPath, ev.cwd, home)
	if !ev.isShell {
		for _, f := range ev.files {
			p := f
			if !filepath.IsAbs(p) {
				p = filepath.Join(ev.cwd, p)
			}
			if hit := isProtected(p, protected); hit != "" {
				return fmt.Sprintf("planguard: %s would write %s, which holds the gate's trust (the policy, its allowed_signers, or the agent's hook settings). A person changes it through review; propose the change in a pull request instead.", ev.tool, hit), nil
			}
		}
		return "", nil
	}
	res := shell.Analyze(ev.command, shell.Options{Cwd: ev.cwd, Home: home, Protected: protected, Policy: policyAbs})
	if !res.Allowed() {
		return "planguard refused this command: " + strings.Join(res.Refused, "; ") + ".", nil
	}
	for _, ap := range res.Applies {
		if reason, err := hookCheckPlan(e, ap, ev.cwd, policyAbs, tfBin); err != nil || reason != "" {
			return reason, err
		}
	}
	return "", nil
}

// hookCheckPlan runs the real gate (the code path of planguard check) on
// a saved plan the command would apply.
func hookCheckPlan(e *env, ap shell.PlanApply, cwd, policyPath, tfBin string) (string, error) {
	dir, planPath := hookPlanPath(cwd, ap)
	if tfBin == "" && e.getenv("PLANGUARD_TERRAFORM") == "" {
		tfBin = ap.Tool
	}
	pinned, cleanup, err := hookPin(planPath)
	if err != nil {
		return fmt.Sprintf("planguard refused `%s apply %s`: %v. Apply only a saved plan the gate allows: `terraform plan -out tfplan`, `planguard check tfplan`.", ap.Tool, ap.Plan, err), nil
	}
	defer cleanup()
	ctx, cancel := context.WithTimeout(context.Background(), hookCheckTimeout)
	defer cancel()
	cf := checkFlags{policy: policyPath, tfBin: tfBin, dir: dir, ctx: ctx}
	var sink bytes.Buffer
	ce := *e
	ce.stdout, ce.stderr = &sink, &sink
	res, err := cf.check(&ce, pinned)
	if err != nil {
		return fmt.Sprintf("planguard refused `%s apply %s`: the gate could not check the plan: %v.", ap.Tool, ap.Plan, err), nil
	}
	if res.report.Decision == gate.Allow {
		return "", nil
	}
	var blocked []string
	var approve []string
	for _, c := range res.report.Changes {
		if c.Blocked() {
			blocked = append(blocked, fmt.Sprintf("%s %s (%s)", c.Action, c.Address, strings.Join(c.Problems, "; ")))
			approve = append(approve, fmt.Sprintf("planguard approve --policy %s --plan %s --target %s --action %s", policyPath, ap.Plan, c.Address, c.Action))
		}
	}
	return fmt.Sprintf("planguard refused `%s apply %s`: the gate blocks this plan: %d protected change(s) lack approval: %s. A person approves with: %s. Do not apply until `planguard check %s` allows it.",
		ap.Tool, ap.Plan, len(blocked), strings.Join(blocked, ", "), strings.Join(approve, " ; "), ap.Plan), nil
}

// hookCheckTimeout bounds the gate's run on a saved plan: the hook must
// answer well before the agent's hook timeout (install sets 120 s), since
// some agents let a call through when its hook times out.
const hookCheckTimeout = 60 * time.Second

// hookPin copies a saved plan into a private file. Unlike a plain open, it
// never blocks: a FIFO, device or socket named as the plan is refused (a
// FIFO would hold the hook until the agent's timeout let the apply through).
func hookPin(path string) (string, func(), error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return "", nil, fmt.Errorf("open plan: %w", &os.PathError{Op: "open", Path: path, Err: err})
	}
	f := os.NewFile(uintptr(fd), path)
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", nil, err
	}
	if !fi.Mode().IsRegular() {
		return "", nil, fmt.Errorf("%s is not a regular file (%s)", path, fi.Mode().Type())
	}
	head := make([]byte, len(zipMagic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != zipMagic {
		return "", nil, fmt.Errorf("%s is not a saved plan file", path)
	}
	dir, err := os.MkdirTemp("", "planguard-hook-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	out, err := os.OpenFile(filepath.Join(dir, "pinned.tfplan"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o400)
	if err == nil {
		_, err = out.Write(head)
	}
	if err == nil {
		_, err = io.Copy(out, f)
	}
	if out != nil {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("copy plan: %w", err)
	}
	return filepath.Join(dir, "pinned.tfplan"), cleanup, nil
}

// protectedFiles are the files a tool call may not write: the policy, its
// allowed_signers, and the agents' hook settings (where the hook is installed).
func protectedFiles(policy, signers, cwd, home string) []string {
	files := []string{policy, signers}
	for _, rel := range []string{".claude/settings.json", ".claude/settings.local.json", ".gemini/settings.json", ".github/hooks/planguard.json", ".cursor/hooks.json"} {
		files = append(files, filepath.Join(cwd, rel))
		if home != "" {
			files = append(files, filepath.Join(home, rel))
		}
	}
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

// isProtected reports the protected file p is (by path, after symlinks,
// or as the same file: a hard link, another letter case), or "".
func isProtected(p string, protected []string) string {
	cands := []string{filepath.Clean(p)}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		cands = append(cands, r)
	}
	for _, c := range cands {
		for _, q := range protected {
			if c == q {
				return q
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

// parseEvent reads one agent's event. Keys are matched exactly (Go's
// encoding/json would match them case-insensitively).
func parseEvent(agent string, spec agentSpec, raw []byte) (hookEvent, error) {
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
	var input map[string]json.RawMessage
	switch agent {
	case "cursor":
		name, err := optString(obj, "hook_event_name")
		if err != nil {
			return ev, err
		}
		if name != "beforeShellExecution" {
			return ev, fmt.Errorf("hook_event_name is %q; install the hook on beforeShellExecution", name)
		}
		ev.isShell = true
		if ev.command, err = reqString(obj, "command"); err != nil {
			return ev, err
		}
		return ev, nil
	case "copilot":
		if ev.tool, err = reqString(obj, "toolName"); err != nil {
			return ev, err
		}
		a, ok := obj["toolArgs"]
		if !ok {
			return ev, errors.New("toolArgs is missing")
		}
		// The CLI sends toolArgs as a JSON string; accept an object too.
		var s string
		if json.Unmarshal(a, &s) == nil {
			a = []byte(s)
		}
		if input, err = jsonObject(a); err != nil {
			if _, shell := spec.shellTools[ev.tool]; !shell && spec.writeTools[ev.tool] == nil {
				return ev, nil
			}
			return ev, fmt.Errorf("toolArgs: %w", err)
		}
	default:
		if ev.tool, err = reqString(obj, "tool_name"); err != nil {
			return ev, err
		}
		a, ok := obj["tool_input"]
		if !ok {
			return ev, errors.New("tool_input is missing")
		}
		if input, err = jsonObject(a); err != nil {
			return ev, fmt.Errorf("tool_input: %w", err)
		}
	}
	if key, ok := spec.shellTools[ev.tool]; ok {
		ev.isShell = true
		if ev.command, err = reqString(input, key); err != nil {
			return ev, fmt.Errorf("%s: %w", ev.tool, err)
		}
		// Gemini's run_shell_command may name its own directory.
		for _, k := range []string{"dir_path", "directory"} {
			d, err := optString(input, k)
			if err != nil {
				return ev, err
			}
			if d != "" && ev.cwd != "" && !filepath.IsAbs(d) {
				ev.cwd = filepath.Join(ev.cwd, d)
			} else if d != "" {
				ev.cwd = d
			}
		}
		return ev, nil
	}
	for _, k := range spec.writeTools[ev.tool] {
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
// reason on stderr too, and the exit status the agent treats as a block.
func hookDeny(e *env, agent, reason string) int {
	reason = runnerAdvice(e, reason)
	var out any
	code := 2
	switch agent {
	case "claude":
		out = map[string]any{"hookSpecificOutput": map[string]any{
			"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": reason}}
	case "gemini":
		out = map[string]any{"decision": "deny", "reason": reason}
	case "copilot":
		out = map[string]any{"permissionDecision": "deny", "permissionDecisionReason": reason}
	case "cursor":
		out = map[string]any{"permission": "deny", "user_message": reason, "agent_message": reason}
	}
	if spec, ok := agents[agent]; ok {
		code = spec.denyExit
	}
	if out != nil {
		b, _ := json.Marshal(out)
		fmt.Fprintf(e.stdout, "%s\n", b)
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
