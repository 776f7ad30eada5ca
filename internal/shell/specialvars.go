package shell

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// Values the shell computes itself, which the hook must not take for the
// environment's: the word-splitting separator IFS when the line computes
// it, the variables bash fills from the line as it runs ($_, BASH_REMATCH,
// BASH_ARGV…), the directory-stack tildes (~+ is $PWD, ~- is $OLDPWD), and
// functions that read the standard input they are called with.

// bashFilled are the variables the shell sets as the line runs, from what
// the line itself does: the last argument of the previous command ($_),
// the groups of the last [[ =~ ]] (zsh: MATCH, match), the arguments of
// the calls on the stack (BASH_ARGV under extdebug), the command running,
// the directory before the last cd… A program named by one of them runs
// text of the line the hook read as data.
var bashFilled = map[string]bool{
	"_": true, "BASH_REMATCH": true, "BASH_ARGV": true, "BASH_ARGC": true, "BASH_ARGV0": true, "BASH_COMMAND": true,
	"BASH_SOURCE": true, "BASH_LINENO": true, "BASH_SUBSHELL": true, "BASH_EXECUTION_STRING": true, "BASHPID": true,
	"BASH_ALIASES": true, "BASH_CMDS": true, "BASH_VERSINFO": true, "BASH_VERSION": true, "BASH": true, "BASHOPTS": true,
	"FUNCNAME": true, "LINENO": true, "RANDOM": true, "SRANDOM": true, "SECONDS": true, "EPOCHREALTIME": true,
	"EPOCHSECONDS": true, "HISTCMD": true, "OLDPWD": true, "PIPESTATUS": true, "PPID": true, "UID": true, "EUID": true,
	"GROUPS": true, "DIRSTACK": true, "COPROC": true, "REPLY": true, "MAPFILE": true, "OPTARG": true, "OPTIND": true,
	"COMP_WORDS": true, "COMP_LINE": true, "COMP_CWORD": true, "COMP_POINT": true, "COMP_TYPE": true, "COMP_KEY": true,
	"COMPREPLY": true, "READLINE_LINE": true, "READLINE_POINT": true, "READLINE_MARK": true, "SHELLOPTS": true,
	"SHLVL": true, "HOSTNAME": true, "HOSTTYPE": true, "MACHTYPE": true, "OSTYPE": true,
	"MATCH": true, "match": true, "MBEGIN": true, "MEND": true, "mbegin": true, "mend": true,
}

// fillsWord returns the variable bash fills itself that w expands, or "".
func fillsWord(w *syntax.Word) string {
	found := ""
	syntax.Walk(w, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil && bashFilled[pe.Param.Value] && found == "" {
			found = pe.Param.Value
		}
		return found == ""
	})
	return found
}

// bashFilledProgram refuses a program whose name expands a variable the
// shell fills from the line ($_ after `: terraform`, ${BASH_REMATCH[1]}).
func (a *analyzer) bashFilledProgram(t tok, argv []tok) bool {
	if !t.dyn || t.w == nil {
		return false
	}
	if v := fillsWord(t.w); v != "" {
		a.refuse("`%s`: the program to run comes from $%s, which the shell fills from the line itself as it runs (the last argument, a [[ =~ ]] match, the arguments of a call…): the hook cannot follow it", truncateTok(argv), v)
		return true
	}
	return false
}

// ifsComputed refuses a line that sets IFS to a value it computes (read,
// printf -v, a loop, +=, $(…), two values): bash then splits every
// unquoted expansion at that separator, and the hook, which splits with
// the literal value only, would read other commands than bash runs.
func (a *analyzer) ifsComputed(name string) {
	if name == "IFS" {
		a.refuse("`IFS` is set to a value computed at run time (read, printf -v, a loop, +=, a substitution, or two different values): the shell then splits words where the hook cannot tell; set IFS to one literal value, or only for read (IFS=, read …)")
	}
}

// prefixIFS refuses IFS set for one command other than read: for eval,
// source, a function or an alias, the separator splits the words of the
// code they run, which the hook read with the default one.
func (a *analyzer) prefixIFS(c *syntax.CallExpr, argv []tok) {
	for _, as := range c.Assigns {
		if as.Name == nil || as.Name.Value != "IFS" {
			continue
		}
		if len(argv) > 0 && !argv[0].dyn {
			switch baseName(argv[0].s) {
			case "read", "mapfile", "readarray":
				continue
			}
		}
		a.refuse("`IFS=… %s`: a separator set for eval, a function, an alias or a shell changes how the code it runs is split into words, which the hook read with the default one; set IFS only for read", truncateTok(argv))
	}
}

// tildeDynamic reports whether a word starts with a directory-stack tilde
// the hook cannot resolve: ~- ($OLDPWD), ~N, ~+N, ~-N, and ~+ ($PWD) after
// the line changes directory.
func (a *analyzer) tildeDynamic(w *syntax.Word) bool {
	if w == nil || len(w.Parts) == 0 {
		return false
	}
	l, ok := w.Parts[0].(*syntax.Lit)
	if !ok || !strings.HasPrefix(l.Value, "~") {
		return false
	}
	name := l.Value[1:]
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[:i]
	} else if len(w.Parts) > 1 {
		return false // ~'x': no tilde expansion
	}
	switch {
	case name == "+":
		_, static := a.vars["PWD"]
		return !static
	case name == "-":
		return true
	case isNumber(strings.TrimLeft(name, "+-")):
		return true // ~2, ~+1, ~-1: the directory stack
	case name != "":
		// ~NAME: NAME's home directory, which may be the agent's own
		// (~root/.claude/settings.json); known only through UserHome.
		return a.userHome(name) == ""
	}
	return false
}

// userHome is the home directory of the user name, or "" when not known.
func (a *analyzer) userHome(name string) string {
	if a.opts.UserHome == nil {
		return ""
	}
	if a.userHomes == nil {
		a.userHomes = map[string]string{}
	}
	h, ok := a.userHomes[name]
	if !ok {
		h = a.opts.UserHome(name)
		if h != "" {
			h = path.Clean(h)
		}
		a.userHomes[name] = h
	}
	return h
}

// prepass notes, before a script's calls are judged, what later words
// depend on: the functions it defines (a call fed standard input feeds
// their bodies), the directory changes (after which $PWD is computed),
// and the files its redirections write (a program run from one of them
// is one the line made).
func (a *analyzer) prepass(f *syntax.File) {
	if a.funcs == nil {
		a.funcs = map[string][]*syntax.Stmt{}
		a.lineWritten = map[string]bool{}
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			if n.Name != nil && n.Body != nil {
				a.funcs[n.Name.Value] = append(a.funcs[n.Name.Value], n.Body)
			}
		case *syntax.Redirect:
			switch n.Op {
			case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll, syntax.RdrInOut:
				if t := a.word(n.Word); !t.dyn && t.s != "" {
					a.lineWritten[a.resolve(t.s)] = true
				}
			}
		case *syntax.CallExpr:
			if len(n.Args) > 0 {
				name, _, ok := cdCall(n, f, a.curDepth > 0)
				if ok {
					a.computed("PWD") // cd in any spelling, or a computed word (shell.go)
				}
				if name == "" {
					a.calls++ // a computed word may be any program
				}
			}
		}
		return true
	})
}

// fedFunction judges the body of a function the line defines, called with
// its standard input fed (f <<< …, … | f): the shell, interpreter or init
// inside reads that input.
func (a *analyzer) fedFunction(name string, c call) {
	bodies := a.funcs[name]
	if len(bodies) == 0 || c.depth >= maxDepth || a.fedFuncs[name] {
		return
	}
	if a.fedFuncs == nil {
		a.fedFuncs = map[string]bool{}
	}
	a.fedFuncs[name] = true
	defer delete(a.fedFuncs, name)
	defer func(old call) { a.outer = old }(a.outer)
	a.outer = call{chdir: c.chdir, dir: c.dir, each: c.each, fed: true, assigns: c.assigns}
	for _, body := range bodies { // defined more than once: each may be the one called
		syntax.Walk(body, func(n syntax.Node) bool {
			if ce, ok := n.(*syntax.CallExpr); ok {
				a.callExpr(ce, c.depth+1)
			}
			return true
		})
	}
}

// lineWrote reports whether a word names a file this line writes
// (lineWritten).
func (a *analyzer) lineWrote(t tok) bool {
	return !t.dyn && a.lineWritten[a.resolve(t.s)]
}

// writtenOperand returns the first argument, the value of an
// --opt=VALUE argument, or a short option's attached value (-fFILE, -nfFILE
// in a cluster) that names a file this line writes and that keep accepts
// (nil: any), or "": dc -f x.dc, gnuplot x.gp of a file the line wrote
// (review hook126 M1), dc -fx.dc (review hook131 H6).
func (a *analyzer) writtenOperand(args []tok, keep func(string) bool) string {
	for _, t := range args {
		vals := []string{t.s}
		if _, v, ok := strings.Cut(t.s, "="); ok && strings.HasPrefix(t.s, "-") {
			vals = []string{v}
		}
		if len(t.s) > 2 && t.s[0] == '-' && t.s[1] != '-' {
			// Which letters before the value are flags is not known: every
			// rest of the word may be the value.
			for k := 2; k < len(t.s); k++ {
				vals = append(vals, t.s[k:])
			}
		}
		for _, v := range vals {
			if v != "" && a.lineWrote(tok{s: v, dyn: t.dyn}) && (keep == nil || keep(v)) {
				return v
			}
		}
	}
	return ""
}

// writtenScript refuses a program that runs (verb) a script this line
// writes, which the hook cannot read.
func (a *analyzer) writtenScript(line, verb, file string) {
	a.refuse("`%s` %s %s, which this command line writes: the hook cannot read it; write it with the agent's file tool and run it in a call of its own", line, verb, file)
}

// binRunners are the package managers and runners that put a project
// directory of programs first on the PATH of what they run: npx, npm exec
// and npm's scripts ./node_modules/.bin, uv run and poetry run .venv/bin.
var binRunners = map[string][]string{"npx": {"node_modules"}, "npm": {"node_modules"}, "pnpm": {"node_modules"},
	"pnpx": {"node_modules"}, "yarn": {"node_modules"}, "yarnpkg": {"node_modules"}, "bun": {"node_modules"},
	"bunx": {"node_modules"}, "uv": {".venv", "venv"}, "poetry": {".venv", "venv"}, "pipenv": {".venv", "venv"},
	"hatch": {".venv", "venv"}, "pdm": {".venv", "venv"}, "rye": {".venv", "venv"}}

// runnerBinWritten refuses a package runner (npx cowsay, npm exec, pnpm
// exec, yarn, uv run) in a line that writes a file under the directory
// it runs programs from (node_modules/.bin/cowsay, .venv/bin/foo): the
// runner takes that file for the program (review hook131 H9). Any file
// under node_modules (or .venv) counts: a package's own code is what its
// .bin link runs.
func (a *analyzer) runnerBinWritten(name string, argv []tok) bool {
	segs := binRunners[name]
	if len(segs) == 0 {
		return false
	}
	var hit []string
	for w := range a.lineWritten {
		for _, part := range strings.Split(w, "/") {
			if slices.Contains(segs, part) {
				hit = append(hit, w)
				break
			}
		}
	}
	if len(hit) == 0 {
		return false
	}
	slices.Sort(hit)
	a.refuse("`%s` runs programs from %s first, and this command line writes %s there: the hook cannot tell what program runs; write it with the agent's file tool, or install the package, and run %s in a call of its own", truncateTok(argv), segs[0], hit[0], name)
	return true
}

// lineMade refuses running a program from a path the line itself writes
// (cat < terraform > tf; chmod +x tf; ./tf destroy): the hook cannot know
// what it is.
//
// A bare name is looked up in PATH: where the line sets PATH (d:$PATH ls,
// d/ls written first: review hook118 M1), any file of that name the line
// writes may be the one that runs.
func (a *analyzer) lineMade(cmd tok, argv []tok, assigns []string) bool {
	if cmd.dyn {
		return false
	}
	if !strings.Contains(cmd.s, "/") {
		_, set := a.vars["PATH"]
		if !set && !a.unknown["PATH"] && !a.unknownEnv && !contains(assigns, "PATH") && !contains(a.envTouched, "PATH") {
			return false
		}
		for w := range a.lineWritten {
			if path.Base(w) == cmd.s {
				a.refuse("`%s` runs %s from the PATH this line sets, and the line writes a file of that name (%s): the hook cannot tell what program it is", truncateTok(argv), cmd.s, w)
				return true
			}
		}
		return false
	}
	if !a.lineWritten[a.resolve(cmd.s)] {
		return false
	}
	a.refuse("`%s` runs %s, a file this command line writes: the hook cannot tell what program it is", truncateTok(argv), cmd.s)
	return true
}

// HistoryDesignator returns the first history expansion in command that an
// interactive bash would rewrite before running it (`!!`, `!#:1-3`, `!:2`,
// `!n`, `!-n`, `!str`, `^old^new` at the start of a line), or "". Single
// quotes and a backslash stop it; so do `! `, `!=`, `!(`, `$!`, `${!` and
// `[!`, which bash leaves alone. A hook for an agent whose shell may be
// interactive refuses any command holding one: the shell would run words
// the hook never read.
func HistoryDesignator(command string) string {
	single, double := false, false
	lineStart := true
	for i := 0; i < len(command); i++ {
		ch := command[i]
		if lineStart && !single && (ch == ' ' || ch == '\t') {
			continue
		}
		if lineStart && !single && ch == '^' {
			return lineOf(command, i)
		}
		lineStart = ch == '\n'
		switch {
		case single:
			if ch == '\'' {
				single = false
			}
		case ch == '\\':
			i++
		case ch == '\'' && !double:
			single = true
		case ch == '"':
			double = !double
		case ch == '!':
			if i+1 >= len(command) {
				continue
			}
			next := command[i+1]
			if strings.IndexByte(" \t\n=(", next) >= 0 || double && next == '"' {
				continue
			}
			if i > 0 && (command[i-1] == '$' || command[i-1] == '[') || i > 1 && command[i-2:i] == "${" {
				continue
			}
			return lineOf(command, i)
		}
	}
	return ""
}

// lineOf is a short excerpt of command from i.
func lineOf(command string, i int) string {
	s := command[i:]
	if j := strings.IndexByte(s, '\n'); j >= 0 {
		s = s[:j]
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// TerminalControl returns the first control character in command other
// than newline, spelled as a caret or escape (`\r`, `\t`, `^U`, `^?`),
// or "". A command an agent types into an interactive shell on a terminal
// passes through the terminal's line discipline and readline first: a
// carriage return ends the line there, ^U erases what came before it, ^A
// moves to the start of the line, ^? erases a character, ^V quotes the
// next one, and a tab asks readline to complete the word, inserting the
// completion (a file or command name from the disk) wherever the tab
// stands: inside quotes and here-document bodies too, since readline
// completes there as well. The shell then runs other text than the hook
// read. Tab is refused everywhere rather than where it matters: what a
// completion inserts depends on the files present when the line is typed.
func TerminalControl(command string) string {
	for i := 0; i < len(command); i++ {
		c := command[i]
		switch {
		case c == '\n':
		case c == '\r':
			return `\r`
		case c == '\t':
			return `\t (tab)`
		case c < 0x20:
			return "^" + string(rune(c+'@'))
		case c == 0x7f:
			return "^?"
		}
	}
	return ""
}

// HiddenChar returns the first character in command that a reader does
// not see as written, as "U+XXXX (what it is)", or "": C0 controls other
// than tab and newline, DEL, C1 controls (U+0080–U+009F, which terminals
// may act on as escape sequences), format characters (Unicode Cf:
// zero-width spaces and joiners U+200B–U+200F, bidirectional embeddings,
// overrides and isolates U+202A–U+202E and U+2066–U+2069, the byte order
// mark U+FEFF, soft hyphens, invisible tags), the line and paragraph
// separators U+2028/U+2029, and bytes that are not UTF-8. They hide text
// from the person who reads the command in the agent's prompt, reorder
// what a terminal shows, and bash keeps \x01 and \x7f as internal quoting
// markers: the hook refuses them for every agent.
func HiddenChar(command string) string {
	for i, r := range command {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(command[i:]); size <= 1 {
				return fmt.Sprintf("byte 0x%02X (not UTF-8)", command[i])
			}
		case r == '\t' || r == '\n':
		case r < 0x20 || r == 0x7f:
			return fmt.Sprintf("U+%04X (a control character)", r)
		case r >= 0x80 && r <= 0x9f:
			return fmt.Sprintf("U+%04X (a C1 control character)", r)
		case r == 0x2028 || r == 0x2029:
			return fmt.Sprintf("U+%04X (a line or paragraph separator)", r)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("U+%04X (an invisible format or bidirectional character)", r)
		}
	}
	return ""
}

// arithVars are bash's special variables whose assignment evaluates the
// value as arithmetic, as declare -i does (attrs.go): OPTIND, RANDOM,
// SRANDOM and HISTCMD always, MAILCHECK in an interactive shell (bash
// 5.2, checked with x='a[$(touch f)]'; V=$x). An array subscript in the
// value runs its command substitutions, and a name in it is evaluated in
// turn (OPTIND=b, b='a[$(…)]'). LINENO, SECONDS, EPOCH*, COLUMNS, LINES,
// HISTSIZE, TMOUT, BASH_ARGV0… do not evaluate; nor does bash when it
// imports any of them from the environment (review hook33 F1).
var arithVars = map[string]bool{"OPTIND": true, "RANDOM": true, "SRANDOM": true, "HISTCMD": true, "MAILCHECK": true}

// literalNumber reports whether s is a decimal number bash reads as one,
// with no name, subscript or expansion in it.
func literalNumber(s string) bool {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// arithVarComputed refuses an assignment to one of arithVars of a value
// the line computes (read, mapfile, printf -v, a loop, getopts, $x, $(…),
// ${V:=…}, +=, an array).
func (a *analyzer) arithVarComputed(name string) {
	name = arithBase(name)
	if arithVars[name] {
		a.refuse("`%s` is assigned a value computed at run time: bash evaluates what is assigned to %s as arithmetic, as for declare -i, and an array subscript in it runs its command substitutions (a[$(…)]): %s", name, name, arithVarHint)
	}
}

// arithVarStatic refuses a value the line spells out for one of arithVars
// that is not a plain number (OPTIND='a[$(…)]', OPTIND=b).
func (a *analyzer) arithVarStatic(name, value string) {
	name = arithBase(name)
	if arithVars[name] && !literalNumber(value) {
		a.refuse("`%s=%s`: bash evaluates what is assigned to %s as arithmetic, as for declare -i; a name or an array subscript in it runs the command substitutions it holds: %s", name, value, name, arithVarHint)
	}
}

// arithBase is the variable a target names: `OPTIND[0]` (read, printf -v,
// getopts) assigns OPTIND itself, still evaluated (review hook34 F5).
func arithBase(name string) string {
	if i := strings.IndexByte(name, '['); i > 0 {
		return strings.TrimSpace(name[:i])
	}
	return name
}

// arithVarHint is the way forward for a refused arithVars assignment.
const arithVarHint = "assign it a literal number (OPTIND=1), or $(( … )) over values the line spells out"

// quotedPrefix is the literal text a word starts with, inside double
// quotes too ("OPTIND=$x" starts with OPTIND=), or "" for a nil word.
func quotedPrefix(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	lit := func(parts []syntax.WordPart) bool {
		for _, p := range parts {
			switch p := p.(type) {
			case *syntax.Lit:
				if i := strings.IndexAny(p.Value, "*?[\\"); i >= 0 {
					b.WriteString(p.Value[:i])
					return false
				}
				b.WriteString(p.Value)
			case *syntax.SglQuoted:
				if p.Dollar {
					return false
				}
				b.WriteString(p.Value)
			default:
				return false
			}
		}
		return true
	}
	for _, p := range w.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			if !lit(dq.Parts) {
				break
			}
			continue
		}
		if !lit([]syntax.WordPart{p}) {
			break
		}
	}
	return b.String()
}
