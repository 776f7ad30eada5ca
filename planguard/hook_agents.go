package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// agentProtocol is everything planguard knows about one coding agent's
// pre-tool-call hook: how its event carries a tool call, which tools run a
// shell command or write files, how it reads a deny, and where and in what
// form `planguard hook install` writes the hook. One value per agent.
type agentProtocol struct {
	// call finds the tool call in the event: the tool's name and its input.
	call       func(p *agentProtocol, obj map[string]json.RawMessage) (tool string, input map[string]json.RawMessage, err error)
	shellTools map[string]string   // tool name → input key holding the command line
	typeTools  []string            // tools that type into a program already running: refused
	writeTools map[string][]string // tool name → input keys that name the file written
	// patchTools take a patch (*** Add File: / Update File: / Delete
	// File: / Move to: PATH) and write every file it names (hookpatch.go).
	patchTools []string
	dirKeys    []string // shell tool input keys naming the directory the command runs in
	// staleDirKeys are keys an older release of the agent read as the
	// directory and this one ignores: refused when they name another
	// directory than the command runs in.
	staleDirKeys []string
	// rewrite is what the agent itself does to the command before its
	// shell runs it (Gemini strips a leading `sh -c`): the hook judges
	// that text too.
	rewrite func(command string) []string
	// shellLike: the agent's hook sees every tool (no matcher), and a tool
	// whose name looks like a shell the hook does not read (PowerShell on
	// Windows) is refused rather than let through unjudged.
	shellLike bool
	// history: the agent's shell may be interactive, where bash expands
	// history designators (!!, !#, ^a^b) before running the line.
	history bool

	deny     func(reason string) any // the deny answer, printed as JSON on stdout
	denyExit int                     // the exit status the agent reads as a block

	// Settings files, relative to the project root and to the home
	// directory; the first of each is where install writes.
	project, user []string
	managed       map[string]string // GOOS ("" for the others) → the managed settings file
	install       hookEntry
}

// hookEntry is the shape of the hook entry in the agent's settings.
type hookEntry struct {
	event   string // the hook event the entry is listed under
	matcher string // the tools it matches ("" for agents whose entries have no matcher)
	key     string // the entry's key holding the command
	version bool   // the settings file carries "version": 1
	entry   func(command string) map[string]any
}

// agents are the coding agents whose pre-tool-call hook planguard answers.
var agents = map[string]*agentProtocol{
	"claude": {
		call:       toolInputCall,
		shellTools: map[string]string{"Bash": "command"},
		writeTools: map[string][]string{"Write": {"file_path"}, "Edit": {"file_path"}, "MultiEdit": {"file_path"}, "NotebookEdit": {"notebook_path"}},
		deny: func(reason string) any {
			return map[string]any{"hookSpecificOutput": map[string]any{
				"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": reason}}
		},
		denyExit: 2,
		project:  []string{".claude/settings.json", ".claude/settings.local.json"},
		user:     []string{".claude/settings.json", ".claude/settings.local.json"},
		managed: map[string]string{"": "/etc/claude-code/managed-settings.json",
			"darwin": "/Library/Application Support/ClaudeCode/managed-settings.json"},
		install: hookEntry{event: "PreToolUse", matcher: "Bash|Write|Edit|MultiEdit|NotebookEdit", key: "command",
			entry: func(c string) map[string]any { return map[string]any{"type": "command", "command": c, "timeout": 120} }},
	},
	"gemini": {
		call:       toolInputCall,
		shellTools: map[string]string{"run_shell_command": "command"},
		writeTools: map[string][]string{"write_file": {"file_path"}, "replace": {"file_path"}},
		dirKeys:    []string{"dir_path"}, // run_shell_command may name its own directory
		// Older releases read "directory"; current ones ignore it.
		staleDirKeys: []string{"directory"},
		rewrite:      geminiStripShellWrapper,
		deny:         func(reason string) any { return map[string]any{"decision": "deny", "reason": reason} },
		denyExit:     2,
		project:      []string{".gemini/settings.json"},
		user:         []string{".gemini/settings.json"},
		managed: map[string]string{"": "/etc/gemini-cli/settings.json",
			"darwin": "/Library/Application Support/GeminiCli/settings.json"},
		install: hookEntry{event: "BeforeTool", matcher: "run_shell_command|write_file|replace", key: "command",
			entry: func(c string) map[string]any {
				return map[string]any{"type": "command", "name": "planguard", "command": c, "timeout": 120000}
			}},
	},
	"copilot": {
		call: toolArgsCall,
		// write_bash types input into whatever program the session runs
		// (a shell, a REPL, a prompt waiting for "yes"): refused.
		shellTools: map[string]string{"bash": "command", "shell": "command"},
		typeTools:  []string{"write_bash"},
		shellLike:  true, // powershell, write_powershell… on Windows
		history:    true, // commands run in an interactive bash session
		// str_replace and insert: the commands of str_replace_editor, named as
		// tools in some versions (review hook120 L1).
		writeTools: map[string][]string{"edit": {"path"}, "create": {"path"}, "write": {"path"}, "str_replace_editor": {"path"},
			"str_replace": {"path"}, "insert": {"path"}},
		// apply_patch: a freeform patch (GPT-family models), the patch as
		// toolArgs or its input/patch key (review hook33 F3).
		patchTools: []string{"apply_patch"},
		deny: func(reason string) any {
			return map[string]any{"permissionDecision": "deny", "permissionDecisionReason": reason}
		},
		denyExit: 0, // Copilot CLI reads the deny from the JSON on a zero exit
		project:  []string{".github/hooks/planguard.json"},
		user:     []string{".copilot/hooks/planguard.json"},
		install: hookEntry{event: "preToolUse", key: "bash", version: true,
			entry: func(c string) map[string]any { return map[string]any{"type": "command", "bash": c, "timeoutSec": 120} }},
	},
	"cursor": {
		call:       shellEventCall,
		shellTools: map[string]string{"": "command"},
		history:    true, // the agent's terminal may be an interactive shell
		deny: func(reason string) any {
			return map[string]any{"permission": "deny", "user_message": reason, "agent_message": reason}
		},
		denyExit: 0, // Cursor reads the deny from the JSON; install sets failClosed
		project:  []string{".cursor/hooks.json"},
		user:     []string{".cursor/hooks.json"},
		managed:  map[string]string{"": "/etc/cursor/hooks.json", "darwin": "/Library/Application Support/Cursor/hooks.json"},
		install: hookEntry{event: "beforeShellExecution", key: "command", version: true,
			entry: func(c string) map[string]any { return map[string]any{"command": c, "failClosed": true} }},
	},
}

// toolInputCall reads Claude Code's and Gemini CLI's events:
// {"tool_name": …, "tool_input": {…}}.
func toolInputCall(_ *agentProtocol, obj map[string]json.RawMessage) (string, map[string]json.RawMessage, error) {
	tool, err := reqString(obj, "tool_name")
	if err != nil {
		return "", nil, err
	}
	a, ok := obj["tool_input"]
	if !ok {
		return "", nil, errors.New("tool_input is missing")
	}
	input, err := jsonObject(a)
	if err != nil {
		return "", nil, fmt.Errorf("tool_input: %w", err)
	}
	return tool, input, nil
}

// toolArgsCall reads Copilot CLI's events: {"toolName": …, "toolArgs":
// "{…}"}, toolArgs a JSON string (an object is accepted too).
func toolArgsCall(p *agentProtocol, obj map[string]json.RawMessage) (string, map[string]json.RawMessage, error) {
	tool, err := reqString(obj, "toolName")
	if err != nil {
		return "", nil, err
	}
	a, ok := obj["toolArgs"]
	if !ok {
		return "", nil, errors.New("toolArgs is missing")
	}
	var s string
	if json.Unmarshal(a, &s) == nil {
		a = []byte(s)
	}
	if contains(p.patchTools, tool) {
		return tool, patchInput(a), nil
	}
	input, err := jsonObject(a)
	if err != nil {
		if !p.judges(tool) {
			return tool, nil, nil
		}
		return "", nil, fmt.Errorf("toolArgs: %w", err)
	}
	return tool, input, nil
}

// shellEventCall reads Cursor's beforeShellExecution event: the command
// is at the top level, and there is no tool name.
func shellEventCall(_ *agentProtocol, obj map[string]json.RawMessage) (string, map[string]json.RawMessage, error) {
	name, err := optString(obj, "hook_event_name")
	if err != nil {
		return "", nil, err
	}
	if name != "beforeShellExecution" {
		return "", nil, fmt.Errorf("hook_event_name is %q; install the hook on beforeShellExecution", name)
	}
	return "", obj, nil
}

// judges reports whether the hook judges a tool of this agent.
func (p *agentProtocol) judges(tool string) bool {
	_, shell := p.shellTools[tool]
	return shell || p.writeTools[tool] != nil || contains(p.typeTools, tool) || contains(p.patchTools, tool) || p.foreignShell(tool)
}

// shellWords are the words of a tool name that make it look like a tool
// that runs or types into a shell.
var shellWords = map[string]bool{"bash": true, "sh": true, "zsh": true, "fish": true, "ksh": true, "dash": true, "shell": true,
	"powershell": true, "pwsh": true, "cmd": true, "terminal": true, "console": true, "exec": true, "command": true}

// harmlessShellTools are shell-session tools that only read a session's
// output, list the sessions or stop one.
var harmlessShellTools = map[string]bool{"read_bash": true, "list_bash": true, "stop_bash": true}

// foreignShell reports whether tool, which the hook does not judge, looks
// like a shell tool (shellLike agents): refused.
func (p *agentProtocol) foreignShell(tool string) bool {
	if !p.shellLike || harmlessShellTools[tool] || contains(p.typeTools, tool) || p.writeTools[tool] != nil || contains(p.patchTools, tool) {
		return false
	}
	if _, ok := p.shellTools[tool]; ok {
		return false
	}
	lower := strings.ToLower(tool)
	if strings.Contains(lower, "powershell") || strings.Contains(lower, "pwsh") {
		return true
	}
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		if shellWords[w] {
			return true
		}
	}
	return false
}

// settingsPath is where install writes the hook for a scope.
func (p *agentProtocol) settingsPath(agent, scope, cwd, home string) (string, error) {
	switch scope {
	case "project":
		return filepath.Join(cwd, p.project[0]), nil
	case "user":
		if home == "" {
			return "", fmt.Errorf("HOME is not set")
		}
		return filepath.Join(home, p.user[0]), nil
	case "managed":
		if f := p.managedFile(); f != "" {
			return f, nil
		}
		return "", withHint(fmt.Errorf("%s has no managed settings file planguard knows", agent), "use --scope project or user, and protect that file")
	}
	return "", &usageError{msg: fmt.Sprintf("unknown --scope %q", scope), hint: "pass --scope user, project or managed"}
}

func (p *agentProtocol) managedFile() string {
	if f, ok := p.managed[runtime.GOOS]; ok {
		return f
	}
	return p.managed[""]
}

// settingsFiles are every agent's hook settings files for project roots
// and a home directory: the files that decide whether the hook runs.
func settingsFiles(roots []string, home string) []string {
	var out []string
	for _, name := range agentNames() {
		p := agents[name]
		for _, root := range roots {
			for _, rel := range p.project {
				out = append(out, filepath.Join(root, rel))
			}
		}
		if home != "" {
			for _, rel := range p.user {
				out = append(out, filepath.Join(home, rel))
			}
		}
		if f := p.managedFile(); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// agentNames lists the agents in a fixed order.
func agentNames() []string { return []string{"claude", "gemini", "copilot", "cursor"} }
