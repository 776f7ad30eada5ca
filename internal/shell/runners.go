package shell

import (
	"strings"
)

// Programs that start a shell for the command they are given, or for
// their standard input when they are given none (review hook30 F7): sg
// and newgrp (a new group), su and runuser (another user), sudo -s/-i and
// doas -s, script (a shell on a terminal of its own), ssh HOST and
// machinectl shell (a shell elsewhere, which may be this machine), at and
// batch (a shell later), capsh (bash after `--`). Each is read through to
// the shell it starts: the command it is given is judged as that shell's
// -c script, and a shell that reads standard input is judged as `sh` fed
// the same input (stdinScript: a here-document or echo the hook reads, any
// other input refused). Debuggers that run commands (gdb -ex, lldb -o) and
// crontab, which installs commands cron runs later, are refused.

// asShell judges what a runner's shell does: shell (a program name, "sh"
// by default) with args, in the runner's statement, fed as it is.
func (a *analyzer) asShell(c call, shell tok, args []tok) kind {
	if shell.s == "" && !shell.dyn {
		shell = tok{s: "sh"}
	}
	if shell.dyn {
		a.refuse("`%s` runs a shell computed at run time (%s), which the hook cannot see", truncateTok(c.argv), srcOf(shell))
		return kindOther
	}
	a.run(c.inner(append([]tok{shell}, args...)))
	return kindOther
}

// sg judges `sg [-] [GROUP [-c] [COMMAND]]`: sg passes COMMAND to
// /bin/sh -c (the words after GROUP, joined as su -c joins them); without
// one it starts a shell, which reads standard input.
func (a *analyzer) sg(c call) kind {
	args := c.argv[1:]
	if len(args) > 0 && !args[0].dyn && args[0].s == "-" {
		args = args[1:]
		c.chdir = "sg -" // a login shell: the user's home directory
	}
	if len(args) > 0 && !args[0].dyn && strings.HasPrefix(args[0].s, "-") {
		a.refuse("`%s`: %s is not an option of sg the hook knows: write `sg GROUP -c 'COMMAND'`", truncateTok(c.argv), args[0].s)
		return kindOther
	}
	if len(args) > 0 {
		args = args[1:] // the group
	}
	if len(args) > 0 && !args[0].dyn && args[0].s == "-c" {
		args = args[1:]
	}
	if len(args) == 0 {
		return a.asShell(c, tok{}, nil)
	}
	a.joined(args, "sg -c", c.depth)
	return kindOther
}

// newgrp judges `newgrp [-] [GROUP]`: a new shell, which reads standard
// input (a pipe or here-document: judged as that shell's script).
func (a *analyzer) newgrp(c call) kind {
	args := c.argv[1:]
	if len(args) > 0 && !args[0].dyn && args[0].s == "-" {
		args = args[1:]
		c.chdir = "newgrp -"
	}
	if len(args) > 1 {
		a.refuse("`%s`: newgrp takes one group; the hook does not know what the other words do", truncateTok(c.argv))
		return kindOther
	}
	return a.asShell(c, tok{}, nil)
}

// capsh judges libcap's capsh: `--` runs the shell (--shell=PROG, or
// /bin/bash) with the words after it, `==` runs capsh again with them.
func (a *analyzer) capsh(c call) kind {
	args := c.argv[1:]
	shell := tok{s: "bash"}
	for i, t := range args {
		switch {
		case t.dyn:
			a.refuse("`%s`: capsh reads an argument computed at run time (%s), which may run a shell", truncateTok(c.argv), srcOf(t))
			return kindOther
		case t.s == "--":
			return a.asShell(c, shell, args[i+1:])
		case t.s == "==":
			return a.run(c.inner(append([]tok{{s: "capsh"}}, args[i+1:]...)))
		case strings.HasPrefix(t.s, "--shell="):
			shell = tok{s: strings.TrimPrefix(t.s, "--shell=")}
		case strings.HasPrefix(t.s, "--chroot="):
			c.chdir = "capsh --chroot"
		case !strings.HasPrefix(t.s, "--"):
			a.refuse("`%s`: %s is not an option of capsh the hook knows", truncateTok(c.argv), t.s)
			return kindOther
		}
	}
	return kindOther
}

// su judges su and runuser, read by their row (walk: -c runs a command
// line), and what their operands run: `su [-] [USER [ARG…]]` passes the
// ARGs to the user's shell (-s SHELL, or a shell: `su root -- -c 'CMD'`);
// with neither ARGs nor -c the shell reads standard input. runuser -u USER
// runs its operands as a command.
func (a *analyzer) su(c call) kind {
	name := baseName(c.argv[0].s)
	p := lookup(name)
	k := a.walk(p, name, c)
	opts, ops := p.operands(c.argv[1:])
	code, user := false, false
	shell := tok{}
	for _, o := range opts {
		switch o.name {
		case "c", "command", "C", "session-command":
			code = true
		case "s", "shell":
			shell = o.val
		case "u", "user":
			user = name == "runuser"
		}
	}
	if len(ops) > 0 && !ops[0].dyn && ops[0].s == "-" {
		ops = ops[1:]
	}
	if user {
		if len(ops) > 0 {
			a.run(c.inner(ops))
		}
		return kindOther
	}
	if len(ops) > 0 {
		ops = ops[1:] // the user
	}
	switch {
	case len(ops) > 0:
		a.asShell(c, shell, ops)
	case !code:
		a.asShell(c, shell, nil)
	case shell.s != "" || shell.dyn:
		// su -s PROG -c CMD runs PROG -c CMD: judged as that program.
		for _, o := range opts {
			if o.name == "c" || o.name == "command" || o.name == "C" || o.name == "session-command" {
				a.asShell(c, shell, []tok{{s: "-c"}, o.val})
			}
		}
	}
	return k
}

// atJob judges at and batch: the commands to run later are read from
// standard input (judged as a shell's) unless -f FILE names a script on
// disk; -l, -r, -d, -c list, remove or print jobs.
func (a *analyzer) atJob(c call) kind {
	args := c.argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.dyn || !strings.HasPrefix(t.s, "-") || t.s == "-" || t.s == "--" {
			continue
		}
		for j := 1; j < len(t.s); j++ {
			switch t.s[j] {
			case 'l', 'r', 'd', 'c', 'V':
				return kindOther
			case 'f':
				// A script file on disk (see the guide), unless the file is
				// the line's own text: -f /dev/stdin, -f <(…), -f /dev/fd/3.
				v := tok{s: t.s[j+1:], dyn: t.dyn, w: t.w}
				if j == len(t.s)-1 && i+1 < len(args) {
					v = args[i+1]
				}
				if v.dyn && v.w != nil && hasProcSubst(v.w) || !v.dyn && (stdinPath(v) || v.s == "-") {
					if otherFD(v) || v.dyn {
						a.refuse("`%s` reads the commands it runs later from %s, which the line fills: the hook cannot read it", truncateTok(c.argv), srcOf(v))
						return kindOther
					}
					return a.asShell(c, tok{}, nil)
				}
				if v.dyn {
					a.refuse("`%s` runs the commands of a file computed at run time (%s) later", truncateTok(c.argv), srcOf(v))
				} else if a.lineWrote(v) {
					// echo '…' > f; at -f f now (review hook129 H1).
					a.refuse("`%s` runs later the commands of %s, which this command line writes: the hook cannot read it", truncateTok(c.argv), v.s)
				}
				return kindOther
			case 'q', 't', 'u':
				if j == len(t.s)-1 {
					i++
				}
				j = len(t.s)
			}
		}
	}
	return a.asShell(c, tok{}, nil)
}

// crontab installs commands cron runs later, from a file or standard
// input: refused; listing (-l) is allowed.
func (a *analyzer) crontab(c call) kind {
	for _, t := range c.argv[1:] {
		if !t.dyn && (t.s == "-l" || t.s == "--list") {
			return kindOther
		}
	}
	a.refuse("`%s` installs commands cron runs later, outside the hook's sight: change the crontab by hand, or use `crontab -l` to read it", truncateTok(c.argv))
	return kindOther
}

// debugger refuses gdb's and lldb's command options and command files
// (gdb -ex 'shell CMD', lldb -o 'platform shell CMD'), and a debugger fed
// standard input, which it reads as commands; what it debugs (gdb --args
// PROG…) is judged as an unknown program's arguments.
func (a *analyzer) debugger(c call) kind {
	name := baseName(c.argv[0].s)
	opts := map[string]bool{"ex": true, "iex": true, "eval-command": true, "init-eval-command": true, "x": true, "ix": true,
		"command": true, "init-command": true, "batch": true}
	if name == "lldb" {
		opts = map[string]bool{"o": true, "one-line": true, "O": true, "one-line-before-file": true, "s": true, "source": true,
			"S": true, "source-before-file": true, "k": true, "one-line-on-crash": true, "K": true, "source-on-crash": true,
			"b": true, "batch": true}
	}
	for _, t := range c.argv[1:] {
		if t.s == "--" && !t.dyn || name == "gdb" && t.s == "--args" && !t.dyn {
			break
		}
		n := strings.TrimLeft(t.s, "-")
		n, _, _ = strings.Cut(n, "=")
		if strings.HasPrefix(t.s, "-") && (opts[n] || t.dyn) {
			a.refuse("`%s`: %s runs debugger commands (a shell command among them: `shell CMD`), which the hook does not read", truncateTok(c.argv), t.s)
			return kindOther
		}
	}
	if c.fed {
		a.refuse("`%s` reads debugger commands (a shell command among them) from its standard input, which the hook does not read", truncateTok(c.argv))
		return kindOther
	}
	a.generic(name, c)
	return kindOther
}

// machinectl judges `machinectl shell|login [USER@]HOST [PROG [ARG…]]`:
// PROG runs there (judged as written), and without one a shell that reads
// standard input; other verbs are judged as an unknown program's.
func (a *analyzer) machinectl(c call) kind {
	args := c.argv[1:]
	verb := -1
	for i, t := range args {
		if !t.dyn && !strings.HasPrefix(t.s, "-") {
			verb = i
			break
		}
	}
	if verb < 0 || args[verb].s != "shell" {
		a.generic("machinectl", c)
		return kindOther
	}
	ops := args[verb+1:]
	if len(ops) > 1 {
		a.run(c.inner(ops[1:]))
		return kindOther
	}
	return a.asShell(c, tok{}, nil)
}

// scriptProg judges script(1): -c runs a command line (walk); without it
// script starts a shell on a terminal of its own, which reads what is fed
// to script's standard input.
func (a *analyzer) scriptProg(c call) kind {
	p := lookup("script")
	k := a.walk(p, "script", c)
	opts, _ := p.operands(c.argv[1:])
	if !hasOpt(opts, "c", "command") {
		if a.stdinFed(c) {
			// The shell script starts reads a terminal: readline edits
			// what it is fed (a tab completes a word) and history
			// expansion rewrites it (review hook67 H1).
			a.refuse("`%s`: script starts an interactive shell on a terminal, which reads what it is fed with line editing and history expansion (a tab completes a word, `!:1` repeats one), out of the hook's reading: run the commands with script -c '…'", truncateTok(c.argv))
			return kindOther
		}
		a.asShell(c, tok{}, nil)
	}
	return k
}

// tmuxReads are the tmux commands that list, capture or end sessions and
// run nothing.
var tmuxReads = map[string]bool{"ls": true, "list-sessions": true, "list-windows": true, "lsw": true, "list-panes": true, "lsp": true,
	"list-clients": true, "lsc": true, "list-buffers": true, "lsb": true,
	"capture-pane": true, "capturep": true, "has-session": true, "has": true, "kill-session": true, "kill-server": true,
	"kill-window": true, "killw": true, "kill-pane": true, "killp": true, "show-buffer": true, "showb": true}

// multiplexer judges tmux and screen, whose commands run shell commands
// (tmux new 'CMD', run-shell, -c CMD, #(CMD) in a format; screen -X exec)
// or type into a shell a session runs (tmux send-keys, screen -X stuff),
// which the hook never sees: only listing, capturing and ending sessions
// are allowed; screen's command operand is judged as written.
func (a *analyzer) multiplexer(c call) kind {
	name := baseName(c.argv[0].s)
	args := c.argv[1:]
	refuse := func() kind {
		a.refuse("`%s`: %s runs shell commands in sessions, or types into the shell a session runs, out of the hook's sight: run the command directly (the hook reads it), and use %s only to list, capture or end sessions", truncateTok(c.argv), name, name)
		return kindOther
	}
	for _, t := range args {
		if t.dyn || strings.Contains(t.s, "#(") {
			return refuse()
		}
	}
	if name == "tmux" {
		i := 0
		for i < len(args) && strings.HasPrefix(args[i].s, "-") {
			switch args[i].s {
			case "-L", "-S":
				i += 2
			case "-V", "-2", "-u", "-v", "-q", "-N", "-D":
				i++
			default:
				return refuse() // -c CMD, -f FILE (commands), -C (control mode reads commands)
			}
		}
		if i >= len(args) || !tmuxReads[args[i].s] {
			return refuse()
		}
		for _, t := range args[i+1:] {
			if strings.HasSuffix(t.s, ";") {
				// another command follows: tmux ends one at any argument
				// whose last character is `;` (-F 'x;': review hook119
				// H3)
				return refuse()
			}
		}
		return kindOther
	}
	// screen: -X/-Q send a command to a session; -dm CMD… runs CMD. Its
	// options are read as screen reads them (review hook116 H3, H4): the
	// letters of a word one by one, a valued letter (-S NAME, -dmS NAME,
	// -e xy, -h N, -p W, -t T, -T TERM) taking the rest of the word or the
	// next word; -c FILE (a configuration: commands), -s PROGRAM (the
	// shell of new windows) and -Logfile FILE (writes any file) refused;
	// -ls, -list and -wipe take no command.
	for _, t := range args {
		// -X and -Q wherever they stand (screen -r NAME -X stuff CMD:
		// review hook119 H2).
		if strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "--") && strings.ContainsAny(t.s[1:], "XQ") {
			return refuse()
		}
	}
	for i := 0; i < len(args); i++ {
		t := args[i].s
		switch {
		case t == "-ls" || t == "-list" || t == "-wipe":
			return kindOther
		case t == "-Logfile" || strings.HasPrefix(t, "-L") && len(t) > 2 && strings.ContainsAny(t[2:], "o"):
			a.refuse("`%s`: -Logfile names the file screen writes the session's output to: leave it out", truncateTok(c.argv))
			return kindOther
		case !strings.HasPrefix(t, "-") || t == "-":
			a.run(c.inner(args[i:]))
			return kindOther
		}
		for j := 1; j < len(t); j++ {
			switch l := t[j]; {
			case strings.IndexByte("XQcs", l) >= 0:
				return refuse()
			case strings.IndexByte("eShptT", l) >= 0:
				if j == len(t)-1 {
					i++ // the value is the next word
				}
				j = len(t)
			case strings.IndexByte("rxdDR", l) >= 0 && j == len(t)-1 && i+1 < len(args) && !strings.HasPrefix(args[i+1].s, "-"):
				// -r [SESSION], -x, -d, -D, -R: an optional session name
				// after them (review hook119 H2), then more options and
				// the command; the name is judged as a command too.
				a.run(c.inner(args[i+1:]))
				i++
			case strings.IndexByte("aAdDfilmnOqrRUvxL", l) < 0:
				a.refuse("`%s`: -%c is no screen option the hook knows (it may take a value and move where the command starts): leave it out", truncateTok(c.argv), l)
				return kindOther
			}
		}
	}
	return kindOther
}

// terminalEmulator refuses a terminal emulator: it runs the command it is
// given (xterm -e 'CMD', as a shell line) or a shell nobody types into.
func (a *analyzer) terminalEmulator(c call) kind {
	a.refuse("`%s` starts a terminal emulator, which runs a command line or a shell out of the hook's sight: run the command directly", truncateTok(c.argv))
	return kindOther
}

// stdinFed reports whether the line feeds a call's standard input: a
// redirection of its own, a pipe, or an enclosing statement's input.
func (a *analyzer) stdinFed(c call) bool {
	if c.fed {
		return true
	}
	if c.st == nil {
		return false
	}
	if _, ok := a.pipeFrom[c.st]; ok {
		return true
	}
	for _, r := range c.st.Redirs {
		if stdinRedirect(r) {
			return true
		}
	}
	return false
}
