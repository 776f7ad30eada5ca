package shell

import (
	"path"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// toolRe matches the names Terraform, OpenTofu and Terragrunt binaries go
// by, with a version suffix (terraform1.8, tofu-1.6.2) and .exe.
var toolRe = regexp.MustCompile(`^(terraform|tofu|opentofu|terragrunt)([-_.]?v?[0-9][0-9.]*)?(\.exe)?$`)

// shells run a script given with -c, on stdin, or in a file.
var shells = map[string]bool{"sh": true, "bash": true, "zsh": true, "dash": true, "ksh": true, "mksh": true, "ash": true, "yash": true, "fish": true, "rbash": true}

// refusedWords are the Terraform/Terragrunt subcommands and planguard
// commands that a call of an unknown program may not name.
var refusedWords = map[string]bool{
	"apply": true, "destroy": true, "import": true, "taint": true, "untaint": true,
	"force-unlock": true, "refresh": true, "apply-all": true, "destroy-all": true,
	"approve": true, "sign": true, "approve-plan": true,
}

// baseName is a program's name without directory, lower-cased (macOS file
// systems find Terraform for terraform).
func baseName(s string) string {
	s = strings.ToLower(path.Base(strings.ReplaceAll(s, "\\", "/")))
	return strings.TrimSuffix(s, ".exe")
}

// namesRefused reports whether static tokens name a refused subcommand.
func namesRefused(argv []tok) (string, bool) {
	for i, t := range argv {
		if t.dyn {
			continue
		}
		w := strings.ToLower(t.s)
		if refusedWords[w] {
			return t.s, true
		}
		if i+1 < len(argv) && !argv[i+1].dyn {
			next := strings.ToLower(argv[i+1].s)
			if w == "state" && stateRefused(next) || w == "workspace" && next == "delete" {
				return t.s + " " + argv[i+1].s, true
			}
		}
	}
	return "", false
}

func stateRefused(sub string) bool {
	switch sub {
	case "list", "show", "pull", "identities":
		return false
	}
	return !strings.HasPrefix(sub, "-")
}

func quoteArgs(argv []tok) string {
	var parts []string
	for _, t := range argv {
		parts = append(parts, t.String())
	}
	return strings.Join(parts, " ")
}

// call judges one simple command (already expanded into tokens). assigns
// are the names of its environment prefixes; st its statement, if known.
func (a *analyzer) call(argv []tok, assigns []string, st *syntax.Stmt, depth int) kind {
	if len(argv) == 0 {
		return kindBenign
	}
	if depth > maxDepth {
		a.refuse("commands nested more than %d levels deep cannot be checked", maxDepth)
		return kindOther
	}
	cmd := argv[0]
	if cmd.dyn {
		// The program is not known: refuse when the arguments name
		// something refused, when the name is computed by this very line
		// (another program's output, a variable it reads or computes), and
		// look into arguments that may be scripts ($SHELL -c '…').
		switch cmd.kind {
		case dynOutput:
			a.refuse("`%s`: the program to run comes from another command's output (%s), which the hook cannot see", quoteArgs(argv), cmd.src)
		case dynLine:
			a.refuse("`%s`: the program to run is computed by this command line (%s), which the hook cannot follow", quoteArgs(argv), cmd.src)
		}
		if w, ok := namesRefused(argv[1:]); ok {
			a.refuse("`%s`: the program name is computed at run time and its arguments name `%s`", quoteArgs(argv), w)
		}
		if baseName(cmd.s) != "" && toolRe.MatchString(baseName(cmd.s)) {
			a.refuse("`%s`: a Terraform-family program with a computed name cannot be checked", quoteArgs(argv))
		}
		for _, t := range argv[1:] {
			if !t.dyn && strings.ContainsAny(t.s, " \t\n;|&") {
				a.script(t.s, depth+1)
			}
		}
		return kindOther
	}
	if strings.ContainsAny(cmd.s, " \t\n;|&") {
		// A program name with spaces is a command line to a wrapper that
		// joins its arguments (sudo -s 'terraform destroy').
		a.joined(argv, "the command", depth)
		return kindOther
	}
	name := baseName(cmd.s)
	if len(name) > 1 && name[0] == '=' {
		name = name[1:] // zsh: =terraform is the path of terraform
	}
	args := argv[1:]
	if v, ok := a.aliases[cmd.s]; ok && depth < maxDepth {
		delete(a.aliases, cmd.s) // an alias does not expand inside itself
		a.script(v+" "+shellJoin(args), depth+1)
		a.aliases[cmd.s] = v
		return kindOther
	}
	switch {
	case toolRe.MatchString(name):
		tool := toolRe.FindStringSubmatch(name)[1]
		if tool == "terragrunt" {
			a.terragrunt(argv)
			return kindOther
		}
		if tool == "opentofu" {
			tool = "tofu"
		}
		return a.terraform(tool, argv, assigns)
	case name == "planguard":
		return a.planguard(argv)
	case name == "ssh-keygen":
		a.sshKeygen(argv)
		return kindOther
	case shells[name]:
		return a.shell(argv, st, depth)
	case name == "noglob" || name == "nocorrect" || name == "-":
		return a.call(args, assigns, st, depth+1) // zsh precommand modifiers
	case name == "busybox" || name == "builtin" || name == "nohup" || name == "setsid" || name == "unbuffer" || name == "doas" || name == "command" && len(args) > 0 && args[0].s != "-v" && args[0].s != "-V":
		rest := args
		switch name {
		case "command", "doas", "setsid", "nohup":
			// setsid -f/-w/-c, nohup --, doas -u USER: options before the program.
			rest = skipOpts(args, "uC", nil)
		}
		return a.call(rest, assigns, st, depth+1)
	case name == "command":
		return kindBenign // command -v NAME: prints a path
	case name == "eval":
		a.evalArgs(argv, depth)
		return kindWrapper
	case name == "exec":
		return a.call(skipOpts(args, "a", nil), assigns, st, depth+1)
	case name == "env":
		return a.env(argv, assigns, st, depth)
	case name == "sudo":
		return a.call(skipOpts(args, "ugCDhprtUTR", []string{"user", "group", "close-from", "chdir", "host", "prompt", "role", "type", "other-user", "command-timeout", "chroot"}), assigns, st, depth+1)
	case name == "time":
		return a.call(skipOpts(args, "fo", []string{"format", "output"}), assigns, st, depth+1)
	case name == "nice":
		return a.call(skipOpts(args, "n", []string{"adjustment"}), assigns, st, depth+1)
	case name == "ionice":
		return a.call(skipOpts(args, "cnp", []string{"class", "classdata", "pid"}), assigns, st, depth+1)
	case name == "stdbuf":
		return a.call(skipOpts(args, "ioe", []string{"input", "output", "error"}), assigns, st, depth+1)
	case name == "caffeinate":
		return a.call(skipOpts(args, "tw", nil), assigns, st, depth+1)
	case name == "strace" || name == "ltrace":
		return a.call(skipOpts(args, "oesSpuEIXPab", []string{"output", "trace", "signal", "attach", "user", "env"}), assigns, st, depth+1)
	case name == "timeout":
		rest := skipOpts(args, "sk", []string{"signal", "kill-after"})
		if len(rest) > 0 {
			rest = rest[1:] // the duration
		}
		return a.call(rest, assigns, st, depth+1)
	case name == "taskset" || name == "chroot" || name == "flock" || name == "chpst":
		rest := skipOpts(args, "cwEopuU", []string{"userspec", "groups", "wait", "timeout", "conflict-exit-code", "command"})
		if c, ok := optValue(args, "c", "command"); ok && (name == "flock") {
			a.scriptTok(c, "flock -c", depth)
			return kindOther
		}
		if len(rest) > 0 {
			rest = rest[1:] // the mask, new root or lock file
		}
		return a.call(rest, assigns, st, depth+1)
	case name == "su" || name == "runuser" || name == "script":
		if c, ok := optValue(args, "c", "command"); ok {
			a.scriptTok(c, name+" -c", depth)
		}
		a.generic(name, argv, depth) // runuser -u USER -- PROGRAM ARGS
		return kindOther
	case name == "watch":
		rest := skipOpts(args, "nq", []string{"interval", "equexit"})
		if hasFlag(args, "x", "exec") {
			return a.call(rest, assigns, st, depth+1)
		}
		a.joined(rest, name, depth)
		return kindWrapper
	case name == "xargs" || name == "parallel":
		a.xargs(name, args, depth)
		return kindOther
	case name == "find" || name == "fd" || name == "fdfind":
		a.find(args, depth)
		return kindOther
	case name == "ssh":
		rest := skipOpts(args, "bcDEeFIiJLlmOopQRSWw", nil)
		if len(rest) > 1 {
			a.joined(rest[1:], "ssh", depth)
		}
		return kindOther
	case name == "docker" || name == "podman" || name == "nerdctl" || name == "kubectl" || name == "oc":
		a.container(args, depth)
		return kindOther
	case name == "go" && len(args) > 0 && args[0].s == "run":
		a.goRun(args[1:], depth)
		return kindOther
	case name == "tenv" && len(args) > 0:
		switch args[0].s {
		case "tf":
			return a.call(append([]tok{{s: "terraform"}}, args[1:]...), assigns, st, depth+1)
		case "tofu":
			return a.call(append([]tok{{s: "tofu"}}, args[1:]...), assigns, st, depth+1)
		case "tg":
			return a.call(append([]tok{{s: "terragrunt"}}, args[1:]...), assigns, st, depth+1)
		}
		return kindOther
	case name == "mise" || name == "rtx" || name == "aqua" || name == "asdf" || name == "nix":
		for i, t := range args {
			if t.s == "--" && !t.dyn {
				return a.call(args[i+1:], assigns, st, depth+1)
			}
		}
		if name == "asdf" && len(args) > 1 && args[0].s == "exec" {
			return a.call(args[1:], assigns, st, depth+1)
		}
		return kindOther
	case name == "source" || name == ".":
		if len(args) > 0 && args[0].dyn {
			a.refuse("`%s`: sources a script whose name or contents are computed at run time", quoteArgs(argv))
		}
		if len(args) > 0 && stdinPath(args[0]) {
			return a.stdinScript(argv, st, depth, false)
		}
		return kindOther
	case name == "alias":
		for _, t := range args {
			if k, v, ok := strings.Cut(t.s, "="); ok && !t.dyn {
				a.aliases[k] = v
			} else if t.dyn {
				a.refuse("`%s`: an alias with a computed value cannot be checked", quoteArgs(argv))
			}
		}
		return kindOther
	case name == "hash" && shortFlag(args, 'p'):
		a.refuse("`%s` makes a name run another program, which the hook could not recognise afterwards", quoteArgs(argv))
		return kindOther
	case (name == "mapfile" || name == "readarray") && hasCallback(args):
		if c, ok := optValue(args, "C", ""); ok {
			a.scriptTok(c, name+" -C", depth)
		} else {
			a.refuse("`%s`: a mapfile callback the hook cannot read", quoteArgs(argv))
		}
		fallthrough
	case name == "read" || name == "mapfile" || name == "readarray" || name == "getopts":
		// The variables they set hold whatever they read.
		vars := 0
		for i, t := range args {
			if strings.HasPrefix(t.s, "-") {
				if t.s == "-a" || t.s == "-d" || t.s == "-n" || t.s == "-N" || t.s == "-p" || t.s == "-t" || t.s == "-u" || t.s == "-C" || t.s == "-c" || t.s == "-O" || t.s == "-s" {
					if t.s == "-a" && i+1 < len(args) {
						a.setUnknown(args[i+1].s)
					}
				}
				continue
			}
			if isName(t.s) {
				a.setUnknown(t.s)
				vars++
			}
		}
		a.setUnknown("REPLY")
		a.setUnknown("MAPFILE")
		a.setUnknown("OPTARG")
		return kindOther
	case name == "printf":
		for i, t := range args {
			if t.s == "-v" && i+1 < len(args) {
				a.setUnknown(args[i+1].s)
			}
		}
		return kindBenign
	case name == "trap":
		if len(args) > 0 && !strings.HasPrefix(args[0].s, "-") {
			a.scriptTok(args[0], "trap", depth)
		}
		return kindOther
	case name == "git":
		a.gitAliases(args, depth)
		a.writes(name, argv)
		return kindOther
	case interpreters[name] || strings.HasPrefix(name, "python") || strings.HasPrefix(name, "pwsh") || strings.HasPrefix(name, "powershell"):
		a.inlineCode(argv)
		a.writes(name, argv)
		return kindOther
	case name == "echo" || name == "true" || name == ":" || name == "test" || name == "[":
		return kindBenign
	}
	a.generic(name, argv, depth)
	a.copiesTool(name, argv)
	a.writes(name, argv)
	return kindOther
}

// readers only read their arguments: naming terraform there is not a call.
var readers = map[string]bool{"grep": true, "egrep": true, "fgrep": true, "rg": true, "ag": true, "ack": true, "git": true,
	"ls": true, "cat": true, "bat": true, "less": true, "more": true, "head": true, "tail": true, "wc": true, "file": true,
	"stat": true, "diff": true, "man": true, "which": true, "whereis": true, "type": true, "info": true, "tldr": true}

// generic judges a program the hook does not know that may run its
// arguments as a command (aws-vault exec prod -- terraform destroy, op
// run --, direnv exec ., chrt, systemd-run, tmux new …): a Terraform-family
// program among its arguments followed by a refused subcommand is refused,
// and signing in the approval namespace too.
func (a *analyzer) generic(name string, argv []tok, depth int) {
	if readers[name] {
		return
	}
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		if t.dyn {
			continue
		}
		b := baseName(t.s)
		switch {
		case toolRe.MatchString(b):
			if w, ok := namesRefused(argv[i+1:]); ok {
				a.refuse("`%s` runs `%s %s` through %s: %s", truncateTok(argv), t.s, w, name, planOnly)
				return
			}
		case b == "planguard":
			if w, ok := namesRefused(argv[i+1:]); ok && (w == "approve" || w == "sign") {
				a.refuse("`%s` runs `planguard %s` through %s: an agent proposes approvals, a person signs them", truncateTok(argv), w, name)
				return
			}
		case b == "ssh-keygen":
			a.sshKeygen(argv[i:])
		}
	}
}

// skipOpts drops leading options from args and returns the rest: short
// options whose letter is in valued take a value (attached or next), long
// options named in long take a value (after = or next). "--" ends options.
// NAME=VALUE words (sudo, env) are skipped too.
func skipOpts(args []tok, valued string, long []string) []tok {
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.dyn && !strings.HasPrefix(t.s, "-") {
			return args[i:]
		}
		s := t.s
		switch {
		case s == "--":
			return args[i+1:]
		case strings.HasPrefix(s, "--"):
			n := strings.TrimPrefix(s, "--")
			if !strings.Contains(n, "=") && contains(long, n) {
				i++
			}
		case strings.HasPrefix(s, "-") && len(s) > 1:
			// A cluster: the first valued letter takes the rest or the next word.
			for j := 1; j < len(s); j++ {
				if strings.IndexByte(valued, s[j]) >= 0 {
					if j == len(s)-1 {
						i++
					}
					break
				}
			}
		default:
			return args[i:]
		}
	}
	return nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// optValue finds the value of -L or --long among leading options.
func optValue(args []tok, short, long string) (tok, bool) {
	for i, t := range args {
		if t.s == "--" {
			break
		}
		switch {
		case t.s == "-"+short || t.s == "--"+long:
			if i+1 < len(args) {
				return args[i+1], true
			}
			return tok{}, false
		case strings.HasPrefix(t.s, "--"+long+"="):
			return tok{s: strings.TrimPrefix(t.s, "--"+long+"="), dyn: t.dyn}, true
		case len(short) == 1 && len(t.s) > 2 && strings.HasPrefix(t.s, "-"+short) && !strings.HasPrefix(t.s, "--"):
			return tok{s: t.s[2:], dyn: t.dyn}, true // attached: -I{}
		case len(short) == 1 && strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "--") && strings.HasSuffix(t.s, short) && i+1 < len(args):
			return args[i+1], true // a cluster ending in the letter: -lc CMD
		}
	}
	return tok{}, false
}

// shortFlag reports whether a short option cluster (-sf, -al) holds c.
func shortFlag(args []tok, c byte) bool {
	for _, t := range args {
		if t.s == "--" {
			return false
		}
		if len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.IndexByte(t.s[1:], c) >= 0 {
			return true
		}
	}
	return false
}

func hasFlag(args []tok, short, long string) bool {
	for _, t := range args {
		if short != "" && t.s == "-"+short || long != "" && t.s == "--"+long {
			return true
		}
	}
	return false
}

// shellJoin quotes tokens back into shell words (dynamic ones as a
// variable, so they stay dynamic when parsed again).
func shellJoin(argv []tok) string {
	var parts []string
	for _, t := range argv {
		if t.dyn {
			parts = append(parts, `"$__planguard_unknown"`)
			continue
		}
		q, err := syntax.Quote(t.s, syntax.LangBash)
		if err != nil {
			q = `"$__planguard_unknown"`
		}
		parts = append(parts, q)
	}
	return strings.Join(parts, " ")
}

// scriptTok analyzes a script given as one argument.
func (a *analyzer) scriptTok(t tok, what string, depth int) {
	if t.dyn {
		a.refuse("`%s %s`: runs a script computed at run time, which the hook cannot see", what, t)
		return
	}
	a.script(t.s, depth+1)
}

// joined analyzes arguments a program joins with spaces and runs as a
// shell command (watch, ssh, eval).
func (a *analyzer) joined(args []tok, what string, depth int) {
	for _, t := range args {
		if t.dyn {
			if w, ok := namesRefused(args); ok {
				a.refuse("`%s %s`: runs a command computed at run time that names `%s`", what, quoteArgs(args), w)
				return
			}
			a.refuse("`%s %s`: runs a command computed at run time, which the hook cannot see", what, quoteArgs(args))
			return
		}
	}
	var parts []string
	for _, t := range args {
		parts = append(parts, t.s)
	}
	a.script(strings.Join(parts, " "), depth+1)
}

func (a *analyzer) evalArgs(argv []tok, depth int) {
	a.joined(argv[1:], "eval", depth)
}

// env runs its arguments after options and NAME=VALUE settings.
func (a *analyzer) env(argv []tok, assigns []string, st *syntax.Stmt, depth int) kind {
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		s := t.s
		switch {
		case s == "--":
			return a.call(args[i+1:], assigns, st, depth+1)
		case s == "-S" || s == "--split-string" || strings.HasPrefix(s, "--split-string=") || strings.HasPrefix(s, "-S") && len(s) > 2:
			var script tok
			switch {
			case strings.HasPrefix(s, "--split-string="):
				script = tok{s: strings.TrimPrefix(s, "--split-string="), dyn: t.dyn}
			case strings.HasPrefix(s, "-S") && len(s) > 2:
				script = tok{s: s[2:], dyn: t.dyn}
			case i+1 < len(args):
				i++
				script = args[i]
			}
			if script.dyn {
				a.refuse("`env -S %s`: runs a command computed at run time", script)
				return kindOther
			}
			a.script(script.s+" "+shellJoin(args[i+1:]), depth+1)
			return kindWrapper
		case s == "-u" || s == "-C" || s == "--unset" || s == "--chdir" || s == "-P" || s == "-a" || s == "--argv0":
			i++
		case strings.HasPrefix(s, "-") && !strings.HasPrefix(s, "--") && len(s) > 2:
			// A cluster (-iu X, -vS'…'): the first valued letter takes
			// the rest of the word or the next one.
			j := strings.IndexAny(s[1:], "uCSPa")
			if j < 0 {
				continue
			}
			if s[1+j] == 'S' {
				rest := s[2+j:]
				if rest == "" && i+1 < len(args) {
					i++
					rest, t = args[i].s, args[i]
				}
				if t.dyn {
					a.refuse("`env -S %s`: runs a command computed at run time", rest)
					return kindOther
				}
				a.script(rest+" "+shellJoin(args[i+1:]), depth+1)
				return kindWrapper
			}
			if j == len(s)-2 {
				i++
			}
		case strings.HasPrefix(s, "-") && len(s) > 1:
		case !t.dyn && strings.Contains(s, "=") && isName(strings.SplitN(s, "=", 2)[0]):
			k, v, _ := strings.Cut(s, "=")
			a.evalText(k, tok{s: v})
			assigns = append(assigns, k)
		default:
			return a.call(args[i:], assigns, st, depth+1)
		}
	}
	return kindBenign // env alone prints the environment
}

// shell judges sh/bash/zsh…: -c SCRIPT, a script on stdin (here-document,
// here-string, a pipe), or a script file (which the hook cannot see).
func (a *analyzer) shell(argv []tok, st *syntax.Stmt, depth int) kind {
	args := argv[1:]
	cflag, stdin := false, false
	i := 0
	for ; i < len(args); i++ {
		t := args[i]
		s := t.s
		if t.dyn && !strings.HasPrefix(s, "-") {
			break
		}
		if s == "--" || s == "-" {
			i++
			break
		}
		if strings.HasPrefix(s, "--") {
			if s == "--rcfile" || s == "--init-file" {
				i++
			}
			continue
		}
		if (strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+")) && len(s) > 1 {
			if s[0] == '-' && strings.ContainsRune(s[1:], 'c') {
				cflag = true
			}
			if s[0] == '-' && strings.ContainsRune(s[1:], 's') {
				stdin = true
			}
			if strings.ContainsAny(s[1:], "oO") {
				i++ // -o OPTION
			}
			continue
		}
		break
	}
	if i > len(args) {
		i = len(args) // an option's value was missing
	}
	rest := args[i:]
	if cflag {
		if len(rest) == 0 {
			a.refuse("`%s`: -c without a script", quoteArgs(argv))
			return kindOther
		}
		a.scriptTok(rest[0], argv[0].s+" -c", depth)
		if len(rest) > 1 {
			// Arguments become $0, $1…: a script that runs "$1" runs them.
			if w, ok := namesRefused(rest[1:]); ok {
				a.refuse("`%s`: passes `%s` to the script it runs", quoteArgs(argv), w)
			}
			for _, t := range rest[1:] {
				if !t.dyn && toolRe.MatchString(baseName(t.s)) {
					a.refuse("`%s`: passes the program `%s` to the script it runs", quoteArgs(argv), t.s)
				}
			}
		}
		return kindWrapper
	}
	if len(rest) > 0 && !stdin && !stdinPath(rest[0]) {
		if rest[0].dyn {
			a.refuse("`%s`: runs a script whose name is computed at run time (process substitution, a variable), which the hook cannot see", quoteArgs(argv))
		}
		return kindOther // a script file: out of the hook's sight (see the guide)
	}
	return a.stdinScript(argv, st, depth, true)
}

// stdinPath reports whether a script path is the shell's own stdin.
func stdinPath(t tok) bool {
	return !t.dyn && stdinRe.MatchString(t.s)
}

var stdinRe = regexp.MustCompile(`^/(dev/(stdin|fd/[0-9]+)|proc/(self|thread-self|[0-9]+)/fd/[0-9]+)$`)

// stdinScript judges a script a shell (or source) reads from stdin: a
// here-document, a here-string, echo/printf/cat piped in. interactive: with
// nothing on stdin the shell is interactive, which the agent cannot type into.
func (a *analyzer) stdinScript(argv []tok, st *syntax.Stmt, depth int, interactive bool) kind {
	if st != nil {
		for _, r := range st.Redirs {
			switch r.Op {
			case syntax.Hdoc, syntax.DashHdoc:
				a.script(heredocText(r.Hdoc), depth+1)
				return kindWrapper
			case syntax.WordHdoc:
				a.scriptTok(a.word(r.Word), argv[0].s+" <<<", depth)
				return kindWrapper
			case syntax.RdrIn:
				t := a.word(r.Word)
				if t.dyn {
					a.refuse("`%s`: reads a script computed at run time", quoteArgs(argv))
				}
				return kindOther // a script file
			case syntax.DplIn, syntax.RdrInOut:
				a.refuse("`%s`: reads a script from another file descriptor, which the hook cannot see", quoteArgs(argv))
				return kindOther
			}
		}
		if from, ok := a.pipeFrom[st]; ok {
			if text, ok := a.staticOutput(from); ok {
				a.script(text, depth+1)
				return kindWrapper
			}
			a.refuse("`%s` reads a script from a pipe the hook cannot see through: write the commands out instead", quoteArgs(argv))
			return kindOther
		}
	}
	if !interactive {
		a.refuse("`%s` reads a script from its standard input, which the hook cannot see", quoteArgs(argv))
	}
	return kindOther
}

// heredocText is a here-document's body as written.
func heredocText(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok {
			b.WriteString(l.Value)
			continue
		}
		_ = syntax.NewPrinter().Print(&b, p)
	}
	return b.String()
}

// staticOutput is the output of echo/printf/cat-with-here-doc when it can
// be known from the text.
func (a *analyzer) staticOutput(st *syntax.Stmt) (string, bool) {
	c, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(c.Args) == 0 {
		return "", false
	}
	argv := a.words(c.Args)
	for _, t := range argv {
		if t.dyn {
			return "", false
		}
	}
	switch baseName(argv[0].s) {
	case "echo":
		args := argv[1:]
		for len(args) > 0 && (args[0].s == "-n" || args[0].s == "-e" || args[0].s == "-E") {
			args = args[1:]
		}
		var parts []string
		for _, t := range args {
			parts = append(parts, t.s)
		}
		return strings.ReplaceAll(strings.Join(parts, " "), `\n`, "\n"), true
	case "printf":
		if len(argv) == 2 && !strings.Contains(argv[1].s, "%") {
			return strings.ReplaceAll(argv[1].s, `\n`, "\n"), true
		}
	case "cat":
		if len(argv) == 1 {
			for _, r := range st.Redirs {
				switch r.Op {
				case syntax.Hdoc, syntax.DashHdoc:
					return heredocText(r.Hdoc), true
				case syntax.WordHdoc:
					t := a.word(r.Word)
					return t.s, !t.dyn
				}
			}
		}
	}
	return "", false
}

// xargs runs a command with arguments read from stdin: those are unknown.
func (a *analyzer) xargs(name string, args []tok, depth int) {
	repl := ""
	if v, ok := optValue(args, "I", "replace"); ok {
		repl = v.s
	}
	if hasFlag(args, "i", "") {
		repl = "{}"
	}
	rest := skipOpts(args, "adEeILlnPsI", []string{"arg-file", "delimiter", "eof", "replace", "max-lines", "max-args", "max-procs", "max-chars", "process-slot-var", "jobs", "colsep"})
	if name == "parallel" {
		for i, t := range rest {
			if t.s == ":::" || t.s == "::::" {
				// The values after ::: fill {} or are appended.
				if w, ok := namesRefused(rest[i+1:]); ok {
					a.refuse("`parallel %s`: passes `%s` to the command it runs", quoteArgs(rest), w)
				}
				rest = rest[:i]
				break
			}
		}
	}
	if len(rest) == 0 {
		return // xargs echo
	}
	var cmd []tok
	for _, t := range rest {
		if repl != "" && strings.Contains(t.s, repl) {
			cmd = append(cmd, tok{s: strings.SplitN(t.s, repl, 2)[0], dyn: true})
			continue
		}
		cmd = append(cmd, t)
	}
	if repl == "" || name == "parallel" {
		cmd = append(cmd, tok{dyn: true}) // the arguments read from stdin
	}
	a.call(cmd, nil, nil, depth+1)
}

// find runs -exec/-execdir/-ok/-okdir commands with {} for each file.
func (a *analyzer) find(args []tok, depth int) {
	for i := 0; i < len(args); i++ {
		switch args[i].s {
		case "-exec", "-execdir", "-ok", "-okdir", "-x", "--exec", "-X", "--exec-batch":
			var cmd []tok
			j := i + 1
			for ; j < len(args) && args[j].s != ";" && args[j].s != "+" && args[j].s != `\;`; j++ {
				t := args[j]
				if strings.Contains(t.s, "{}") {
					t = tok{s: strings.SplitN(t.s, "{}", 2)[0], dyn: true}
				}
				cmd = append(cmd, t)
			}
			a.call(cmd, nil, nil, depth+1)
			i = j
		}
	}
}

// container finds a Terraform-family program run in a container
// (docker run hashicorp/terraform destroy, kubectl exec pod -- tofu apply).
func (a *analyzer) container(args []tok, depth int) {
	for i, t := range args {
		if t.dyn {
			continue
		}
		img := baseName(t.s)
		if j := strings.IndexAny(img, ":@"); j > 0 {
			img = img[:j]
		}
		if toolRe.MatchString(img) {
			prog := toolRe.FindStringSubmatch(img)[1]
			rest := args[i+1:]
			// An image runs its entrypoint; an exec'd program is itself.
			if len(rest) > 0 && toolRe.MatchString(baseName(rest[0].s)) {
				a.call(rest, nil, nil, depth+1)
				return
			}
			a.call(append([]tok{{s: prog}}, rest...), nil, nil, depth+1)
			return
		}
	}
}

// goRun judges `go run PKG ARGS` when PKG is planguard.
func (a *analyzer) goRun(args []tok, depth int) {
	rest := skipOpts(args, "C", []string{"exec", "tags", "ldflags", "gcflags", "mod", "o", "p"})
	if len(rest) == 0 {
		return
	}
	pkg := strings.TrimSuffix(strings.TrimSuffix(rest[0].s, "/"), "@latest")
	if pkg == "." || strings.HasSuffix(pkg, "/planguard") || strings.Contains(pkg, "/planguard@") || rest[0].dyn {
		a.call(append([]tok{{s: "planguard"}}, rest[1:]...), nil, nil, depth+1)
	}
}

// interpreters run code given inline (-c, -e): the hook cannot parse every
// language, so it refuses code that names a Terraform-family program with a
// refused subcommand.
var interpreters = map[string]bool{"perl": true, "ruby": true, "node": true, "nodejs": true, "deno": true, "bun": true, "php": true,
	"awk": true, "gawk": true, "mawk": true, "nawk": true, "lua": true, "tclsh": true, "expect": true, "osascript": true}

var inlineRe = regexp.MustCompile(`(?i)\b(terraform|tofu|opentofu|terragrunt)\b[^\n]*?\b(apply|destroy|import|taint|untaint|force-unlock|refresh|run-all|state\W+(rm|mv|push|replace-provider)|workspace\W+delete)\b`)

func (a *analyzer) inlineCode(argv []tok) {
	for _, t := range argv[1:] {
		if t.dyn {
			continue
		}
		if m := inlineRe.FindString(t.s); m != "" {
			a.refuse("`%s` runs code that calls `%s`: %s", truncateTok(argv), m, planOnly)
			return
		}
	}
}

func truncateTok(argv []tok) string {
	s := quoteArgs(argv)
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// gitAliases judges shell aliases defined on the git command line or in
// git config (alias.NAME=!COMMAND runs COMMAND in a shell).
func (a *analyzer) gitAliases(args []tok, depth int) {
	for i, t := range args {
		if t.dyn {
			continue
		}
		if k, v, ok := strings.Cut(t.s, "="); ok && strings.HasPrefix(strings.ToLower(k), "alias.") && strings.HasPrefix(v, "!") {
			a.script(v[1:], depth+1)
		}
		if strings.HasPrefix(strings.ToLower(t.s), "alias.") && !strings.Contains(t.s, "=") && i+1 < len(args) && strings.HasPrefix(args[i+1].s, "!") {
			if args[i+1].dyn {
				a.refuse("`git %s`: a git alias runs a command computed at run time", quoteArgs(args))
				continue
			}
			a.script(args[i+1].s[1:], depth+1)
		}
	}
}

var whichRe = regexp.MustCompile(`(which|command\s+-v|type\s+-P|whereis)\s+\S*(terraform|tofu|terragrunt)`)

// copiesTool refuses copying or linking a Terraform-family binary to a new
// name, which would run under a name the hook does not know.
func (a *analyzer) copiesTool(name string, argv []tok) {
	switch name {
	case "cp", "ln", "install", "mv", "rsync", "cat", "tee", "dd":
	default:
		return
	}
	for _, t := range argv[1:] {
		if !t.dyn && toolRe.MatchString(baseName(t.s)) && (strings.Contains(t.s, "/") || name != "cat") {
			a.refuse("`%s` copies or links a Terraform-family program to another name, which the hook could not recognise afterwards", quoteArgs(argv))
			return
		}
		if t.dyn && whichRe.MatchString(t.src) {
			a.refuse("`%s` copies or links a Terraform-family program to another name, which the hook could not recognise afterwards", quoteArgs(argv))
			return
		}
	}
}

// writes refuses common file-writing programs aimed at protected files.
func (a *analyzer) writes(name string, argv []tok) {
	if len(a.opts.Protected) == 0 {
		return
	}
	switch name {
	case "tee", "cp", "mv", "rm", "ln", "install", "truncate", "dd", "touch", "chmod", "chown", "rsync", "shred", "unlink", "sed", "perl", "ed", "ex", "vi", "vim", "nano", "patch", "git", "tar", "unzip", "curl", "wget", "sponge", "gsed":
	default:
		return
	}
	var positional []tok
	for _, t := range argv[1:] {
		if !strings.HasPrefix(t.s, "-") || t.dyn && t.s == "" {
			positional = append(positional, t)
		}
	}
	switch name {
	case "cp", "install", "ln", "rsync", "mv":
		// -t DIR / --target-directory=DIR: every source lands in DIR.
		if d, ok := optValue(argv[1:], "t", "target-directory"); ok && !d.dyn {
			for _, src := range positional {
				if p := a.protectedDir(src.s, d.s); p != "" && src.s != d.s {
					a.refuse("`%s` may overwrite %s, which holds the gate's trust", quoteArgs(argv), p)
					return
				}
			}
		}
	}
	switch name {
	case "cp", "install", "ln", "rsync":
		// A hard link to a protected file is the file under another name.
		hard := name == "ln" && !shortFlag(argv[1:], 's') && !hasFlag(argv[1:], "", "symbolic") || name == "cp" && (shortFlag(argv[1:], 'l') || hasFlag(argv[1:], "", "link"))
		if hard {
			for _, t := range positional {
				if p := a.protected(t.s); p != "" && !t.dyn {
					a.refuse("`%s` hard-links %s, which holds the gate's trust: writes through the link would change it", quoteArgs(argv), p)
					return
				}
			}
		}
		// Only the destination is written: a file, or a directory the
		// sources land in.
		if len(positional) >= 2 && !positional[len(positional)-1].dyn {
			dst := positional[len(positional)-1].s
			if p := a.protected(dst); p != "" {
				a.refuse("`%s` overwrites %s, which holds the gate's trust: a person changes it through review", quoteArgs(argv), p)
				return
			}
			for _, src := range positional[:len(positional)-1] {
				if p := a.protectedDir(src.s, dst); p != "" {
					a.refuse("`%s` may overwrite %s, which holds the gate's trust", quoteArgs(argv), p)
					return
				}
			}
		}
		return
	}
	for _, t := range argv[1:] {
		s := t.s
		if k, v, ok := strings.Cut(s, "="); ok && (k == "of" || strings.HasPrefix(k, "-")) {
			s = v // dd of=FILE, --output=FILE
		}
		if !t.dyn {
			if p := a.protected(s); p != "" {
				a.refuse("`%s` may write %s, which holds the gate's trust: a person changes it through review", quoteArgs(argv), p)
				return
			}
		}
	}
}

// hasCallback reports whether mapfile options name a -C callback, which
// bash evaluates as a command for every few lines read.
func hasCallback(args []tok) bool {
	for _, t := range args {
		if t.s == "--" {
			return false
		}
		if len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.Contains(t.s, "C") {
			return true
		}
	}
	return false
}
