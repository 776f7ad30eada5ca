package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// maxSettingsFile bounds an agent settings file hook install reads.
const maxSettingsFile = 16 << 20

func runHookInstall(e *env, args []string) (int, error) {
	fs := newFlags("hook install", "planguard hook install --agent claude|gemini|copilot|cursor [--scope user|project|managed] [--policy FILE] [--runner-socket SOCKET]",
		`Add the planguard hook to an agent's settings: merges one hook entry into the settings
JSON (keeping everything else, replacing an earlier planguard entry, idempotent), keeps a
backup of the previous file beside it (.planguard-backup), and prints what it changed.
Managed settings (--scope managed, needs root) are the place an agent cannot edit.`,
		`  planguard hook install --agent claude --scope project --policy planguard.hcl
  sudo planguard hook install --agent claude --scope managed --policy /etc/planguard/prod.hcl
`)
	var agent, scope, policyPath, bin, runnerSocket string
	fs.StringVar(&agent, "agent", "", "claude, gemini, copilot or cursor")
	fs.StringVar(&scope, "scope", "project", "user, project or managed")
	fs.StringVar(&policyPath, "policy", defaultPolicy, "policy `FILE` the hook enforces (written as an absolute path)")
	fs.StringVar(&bin, "planguard-bin", "", "planguard `BINARY` the hook runs (default: this executable)")
	fs.StringVar(&runnerSocket, "runner-socket", "", "the planguard runner's `SOCKET`, written into the hook command: its refusals of applies then point to 'planguard runner plan/apply'")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	proto, ok := agents[agent]
	if !ok {
		return exitError, &usageError{msg: fmt.Sprintf("unknown --agent %q", agent), hint: "pass --agent claude, gemini, copilot or cursor"}
	}
	cwd, err := os.Getwd()
	if err != nil {
		return exitError, err
	}
	path, err := proto.settingsPath(agent, scope, cwd, e.getenv("HOME"))
	if err != nil {
		return exitError, err
	}
	policyAbs, err := filepath.Abs(policyPath)
	if err != nil {
		return exitError, err
	}
	if _, _, err := loadPolicy(policyAbs); err != nil {
		return exitError, err
	}
	if bin == "" {
		if bin, err = os.Executable(); err != nil {
			return exitError, err
		}
	}
	if runnerSocket != "" {
		if runnerSocket, err = filepath.Abs(runnerSocket); err != nil {
			return exitError, err
		}
	}
	command := hookCommand(bin, agent, policyAbs, runnerSocket)
	old, err := safefile.ReadFile(path, maxSettingsFile)
	if err != nil && !os.IsNotExist(err) {
		return exitError, fmt.Errorf("read %s: %w", path, err)
	}
	settings := map[string]any{}
	if len(bytes.TrimSpace(old)) > 0 {
		if err := json.Unmarshal(old, &settings); err != nil {
			return exitError, withHint(fmt.Errorf("%s is not a JSON object: %w", path, err), "fix the file by hand, then run install again")
		}
	}
	warnShell(e, agent)
	changed := proto.install.merge(settings, command)
	if !changed {
		fmt.Fprintf(e.stdout, "planguard: %s already runs %s; nothing changed\n", path, command)
		return exitAllow, nil
	}
	out, err := json.MarshalIndent(settings, "", "  ")
	if err != nil {
		return exitError, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return exitError, err
	}
	if old != nil {
		if err := os.WriteFile(path+".planguard-backup", old, 0o600); err != nil {
			return exitError, fmt.Errorf("back up %s: %w", path, err)
		}
		fmt.Fprintf(e.stdout, "planguard: backed up %s to %s\n", path, path+".planguard-backup")
	}
	tmp := path + ".planguard-tmp"
	if err := os.WriteFile(tmp, append(out, '\n'), 0o644); err != nil {
		return exitError, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return exitError, err
	}
	fmt.Fprintf(e.stdout, "planguard: %s now runs, before every %s tool call it judges:\n  %s\n", path, agent, command)
	return exitAllow, nil
}

func hookCommand(bin, agent, policy, runnerSocket string) string {
	q := func(s string) string {
		if r, err := syntax.Quote(s, syntax.LangPOSIX); err == nil {
			return r
		}
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	cmd := fmt.Sprintf("%s hook --agent %s --policy %s", q(bin), agent, q(policy))
	if runnerSocket != "" {
		cmd += " --runner-socket " + q(runnerSocket)
	}
	return cmd
}

// isPlanguardHook recognises an entry an earlier install wrote.
func isPlanguardHook(cmd string) bool {
	return strings.Contains(cmd, " hook --agent ") && strings.Contains(cmd, "planguard")
}

// merge puts the hook entry into settings; false when it was there.
func (s hookEntry) merge(settings map[string]any, command string) bool {
	if s.version {
		settings["version"] = 1
	}
	hooks, _ := settings["hooks"].(map[string]any)
	if hooks == nil {
		hooks = map[string]any{}
		settings["hooks"] = hooks
	}
	list, _ := hooks[s.event].([]any)
	var kept []any
	found := false
	for _, item := range list {
		m, _ := item.(map[string]any)
		if m == nil {
			kept = append(kept, item)
			continue
		}
		if s.matcher != "" {
			// Claude/Gemini: {matcher, hooks: [...]}
			inner, _ := m["hooks"].([]any)
			var innerKept []any
			for _, h := range inner {
				hm, _ := h.(map[string]any)
				if c, _ := hm[s.key].(string); hm != nil && isPlanguardHook(c) {
					if c == command && m["matcher"] == s.matcher {
						found = true
						innerKept = append(innerKept, h)
					}
					continue
				}
				innerKept = append(innerKept, h)
			}
			if len(innerKept) == 0 && len(inner) > 0 {
				continue
			}
			m["hooks"] = innerKept
			kept = append(kept, m)
			continue
		}
		if c, _ := m[s.key].(string); isPlanguardHook(c) {
			if c == command {
				found = true
				kept = append(kept, m)
			}
			continue
		}
		kept = append(kept, m)
	}
	if found && len(kept) == len(list) {
		return false
	}
	if !found {
		if s.matcher != "" {
			kept = append(kept, map[string]any{"matcher": s.matcher, "hooks": []any{s.entry(command)}})
		} else {
			kept = append(kept, s.entry(command))
		}
	}
	hooks[s.event] = kept
	return true
}

// warnShell warns when the person's shell ($SHELL) is not bash or a POSIX
// sh: Claude Code runs its Bash tool's commands in zsh when that is the
// person's shell, Cursor's terminal is the person's shell, and the hook
// reads commands as bash only (zsh's glob qualifiers and `>!` mean other
// things there). Gemini CLI and Copilot CLI run bash.
func warnShell(e *env, agent string) {
	sh := e.getenv("SHELL")
	if sh == "" || agent != "claude" && agent != "cursor" {
		return
	}
	switch filepath.Base(sh) {
	case "bash", "sh", "dash", "rbash":
		return
	}
	fix := "run Terraform through the runner"
	if agent == "claude" {
		fix = "set CLAUDE_CODE_SHELL to a bash (CLAUDE_CODE_SHELL=/bin/bash) in the environment Claude Code starts in, or " + fix
	}
	fmt.Fprintf(e.stderr, "planguard: warning: your shell is %s, and %s may run its commands in it, but the hook reads commands as bash (and POSIX sh) only: what %s reads otherwise may run what the hook did not read; %s\n",
		sh, agent, filepath.Base(sh), fix)
}
