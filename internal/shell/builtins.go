package shell

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Judges for shell builtins that change what later words of the line
// mean: they define names, or set variables to values the hook cannot know.

// source judges `source FILE` and `. FILE`: a script on stdin is read, a
// computed one refused, a file is out of the hook's sight.
func (a *analyzer) source(c call) kind {
	// The script may assign any variable and change directory: the
	// values the line gave before are not the ones after it (`P=echo;
	// . /etc/default/dbus; $P terraform destroy`, the file holding
	// `P=""`: review hook136 H1).
	defer a.sourcedUnknown()
	_, _, args := programs["source"].options(c.argv[1:])
	if len(args) > 0 && args[0].dyn {
		a.refuse("`%s`: sources a script whose name or contents are computed at run time", quoteArgs(c.argv))
	}
	if len(args) > 0 && stdinPath(args[0]) {
		k := a.stdinScript(c.argv, c.st, c.depth, false)
		if k != kindWrapper {
			a.sourced = true // source /dev/stdin < FILE: a file too
		}
		return k
	}
	if len(args) > 0 && procScript(args[0]) {
		a.refuse("`%s`: sources a script under /proc (%s), which may be its own standard input or another process's file: the hook cannot tell which", quoteArgs(c.argv), args[0].s)
	}
	if len(args) > 0 && !args[0].dyn {
		// A script the line writes (bash looks a bare name up in PATH
		// first: any file of that name counts).
		for w := range a.lineWritten {
			if w == a.resolve(args[0].s) || !strings.Contains(args[0].s, "/") && path.Base(w) == args[0].s {
				a.refuse("`%s` sources %s, which this command line writes: the hook cannot read it; write it with the agent's file tool and source it in a call of its own", quoteArgs(c.argv), args[0].s)
				break
			}
		}
	}
	// Not only the values the line gave before: the file may define
	// functions of any name (log_end_msg, ls) that assign any variable
	// when a later command calls them, and make a name readonly, so
	// that the line's later assignment to it fails (review hook139 H2,
	// H3). Every later assignment is read as computed (analyzer.sourced).
	a.sourced = true
	return kindOther
}

// sourcedUnknown forgets what a sourced script may change: every static
// value the line gave a variable (numbers included), and the working
// directory.
func (a *analyzer) sourcedUnknown() {
	names := map[string]bool{}
	for _, m := range []map[string]bool{a.numeric, a.intVal, a.numVars, a.staticLoop} {
		for n := range m {
			names[n] = true
		}
	}
	for n := range a.vars {
		// HOME is the hook's (the line cannot set it, a script it runs
		// is the accepted class).
		names[n] = n != "HOME"
	}
	for n, ok := range names {
		if ok {
			a.setUnknown(n)
		}
	}
	a.cwdUnknown = true
}

// relied are the programs whose output or effect the hook reads as the
// program's own: echo, printf and cat piped into a shell (staticOutput),
// the new path mktemp prints (fresh), the count wc prints (numericSubst),
// the numbers nproc, id and date print (substNumber). A function or alias
// of that name would print anything instead: refused wherever it is
// defined, in this line or, for a shell the agent keeps open between
// calls, for the lines after it.
var relied = map[string]bool{"echo": true, "printf": true, "cat": true, "mktemp": true, "wc": true,
	"nproc": true, "id": true, "date": true}

// redefinesRelied refuses a definition (how: a function, an alias) of a
// name in relied.
func (a *analyzer) redefinesRelied(name, how string) {
	if name == "command_not_found_handle" && how == "a function" {
		// bash runs it in place of a program it does not find: a missing
		// nproc or wc then prints what the function prints, which the hook
		// read as a number (review hook97 M1).
		a.refuse("the line defines `command_not_found_handle`, which bash runs in place of any program it does not find (whose output the hook may read: $(nproc), $(wc -l)): leave it undefined")
		return
	}
	if relied[name] {
		a.refuse("the line defines %s named `%s`, a program whose output the hook reads (echo … | bash, $(mktemp), $(wc -l)): give it another name", how, name)
		return
	}
	if lookup(name) != unknownProgram || toolName(name) != "" {
		// alias ls='cp ../e.json' in one call, ls ../planguard.hcl in the
		// next, in a shell the agent keeps open (review hook42 M1).
		a.refuse("the line defines %s named `%s`, a program the hook judges by its name: in a shell kept open between calls, a later call's `%s` would run it instead; give it another name", how, name, name)
	}
}

// bashReserved are bash's reserved words, and the other words it reads as
// syntax where a command starts.
var bashReserved = map[string]bool{"if": true, "then": true, "else": true, "elif": true, "fi": true, "case": true,
	"esac": true, "for": true, "select": true, "while": true, "until": true, "do": true, "done": true, "in": true,
	"function": true, "time": true, "{": true, "}": true, "!": true, "[[": true, "]]": true, "coproc": true}

// hasComment reports whether a parsed script holds a comment.
func hasComment(f *syntax.File) bool {
	found := len(f.Last) > 0
	syntax.Walk(f, func(n syntax.Node) bool {
		if _, ok := n.(*syntax.Comment); ok {
			found = true
		}
		return !found
	})
	return found
}

// alias records the aliases a line defines, to expand them where used.
func (a *analyzer) alias(c call) kind {
	for _, t := range c.argv[1:] {
		if k, v, ok := strings.Cut(t.s, "="); ok && !t.dyn {
			if strings.HasSuffix(v, " ") || strings.HasSuffix(v, "\t") {
				// alias x='echo ': bash expands the word after x as an
				// alias too, where the hook reads it as written (review
				// hook40 H6).
				a.refuse("`alias %s=%q`: a value that ends with a blank makes bash expand the next word as an alias too: end the value without a blank", k, v)
			}
			if bashReserved[k] {
				// bash expands an alias before it knows a keyword, so
				// alias if='terraform destroy; if' runs where the hook
				// reads an if statement (review hook65 H3).
				a.refuse("`alias %s=…`: an alias named like a bash keyword runs where the hook reads the keyword: give it another name", k)
			}
			if f, err := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true)).Parse(strings.NewReader(v), ""); err != nil || f == nil || strings.HasSuffix(v, "\\") || hasComment(f) {
				// bash pastes the value into the line as written: a quote
				// it leaves open takes in the text after the name
				// (review hook65 H1: alias A="echo '"), and so does a
				// comment (review hook67 H2: alias a='echo X #' makes
				// `a <<'E'` no here-document).
				a.refuse("`alias %s=%q`: the value is not a whole command on its own (an open quote, a comment, a trailing backslash), so bash reads it together with the text after the name: give the alias a value that parses alone, without a comment", k, v)
			} else {
				a.script(v, c.depth+1) // judged as defined too: a later call may use it
			}
			a.aliases[k] = v
			a.redefined[k] = true
			a.redefinesRelied(k, "an alias")
		} else if t.dyn {
			a.refuse("`%s`: an alias with a computed value cannot be checked", quoteArgs(c.argv))
		}
	}
	return kindOther
}

// hash -p makes a name run another program.
func (a *analyzer) hash(c call) kind {
	if shortFlag(c.argv[1:], 'p') {
		a.refuse("`%s` makes a name run another program, which the hook could not recognise afterwards", quoteArgs(c.argv))
		return kindOther
	}
	a.generic("hash", c)
	return kindOther
}

// read judges read, mapfile, readarray and getopts: the variables they set
// hold whatever they read; a mapfile -C callback is a command.
func (a *analyzer) read(c call) kind {
	name, args := baseName(c.argv[0].s), c.argv[1:]
	if (name == "mapfile" || name == "readarray") && hasCallback(args) {
		// bash runs the callback with the index and the line read
		// appended: `-C eval` makes the data code (review hook53 F4).
		a.refuse("`%s`: a mapfile callback runs with each line read as its arguments (`-C eval` runs the input), which the hook cannot see: read the lines, then run what you mean", quoteArgs(c.argv))
	}
	// The names it sets, its options read as bash's getopt does: in
	// read -raP the array is P, in read -ar X it is r (review hook87 H2).
	opts, operands := builtinOpts(args, map[string]string{"read": "adinNptu", "mapfile": "dnOsuCc", "readarray": "dnOsuCc"}[name])
	for _, t := range opts['a'] {
		if t.dyn {
			a.unknownEnv = true
			continue
		}
		a.setUnknown(t.s)
		a.markArray(t.s) // read -ra x: an array (attrs.go)
		a.elementSet(t.s)
	}
	for _, t := range operands {
		if t.dyn {
			a.unknownEnv = true // read "$n": a name computed at run time
			continue
		}
		if isName(t.s) {
			if name == "mapfile" || name == "readarray" {
				a.markArray(t.s)
			}
			a.setUnknown(t.s)
		} else if !t.dyn && arithVars[arithBase(t.s)] {
			a.arithVarComputed(t.s) // read 'OPTIND[0]': OPTIND (review hook34 F5)
		} else if !t.dyn {
			a.elementSet(t.s)
		}
	}
	a.setUnknown("REPLY")
	a.setUnknown("MAPFILE")
	if name == "mapfile" || name == "readarray" {
		a.markArray("MAPFILE")
	}
	a.setUnknown("OPTARG")
	return kindOther
}

// waitBuiltin judges wait: -p NAME unsets NAME before it waits, and sets
// it to a job's id (review hook41 H3).
func (a *analyzer) waitBuiltin(c call) kind {
	for _, t := range nameArgs("wait", c.argv[1:]) {
		if !t.dyn && isName(t.s) {
			a.setUnknown(t.s)
		}
	}
	return kindOther
}

// jobsBuiltin judges jobs: `jobs -x CMD ARGS` runs CMD through the shell
// itself (a builtin too: eval, source, alias), after replacing job specs
// in ARGS (review hook51 H2). Refused with -x in any spelling or a
// computed word; the listing forms print only.
func (a *analyzer) jobsBuiltin(c call) kind {
	for _, t := range c.argv[1:] {
		if t.s == "--" {
			break
		}
		if t.dyn || strings.HasPrefix(t.s, "-") && strings.Contains(t.s, "x") {
			a.refuse("`%s`: jobs -x runs a command (any builtin too, eval and source among them) the hook does not judge there: run the command itself", quoteArgs(c.argv))
			return kindOther
		}
		if !strings.HasPrefix(t.s, "-") {
			break
		}
	}
	return kindBenign
}

// renameProg refuses rename in its every form, unless it only prints its
// help or version: the names it writes are computed from its arguments.
func (a *analyzer) renameProg(c call) kind {
	if len(c.argv) == 2 && (c.argv[1].s == "--help" || c.argv[1].s == "--version" || c.argv[1].s == "-V") {
		return kindBenign
	}
	a.refuse("`%s`: rename computes the new names from an expression or a substitution in the path (and rename.ul -s rewrites where a link points), names the hook does not compute: use mv with both names spelled out", quoteArgs(c.argv))
	return kindOther
}

// editRenamer refuses the renamers that take the new names from an
// editor or from their standard input (vidir, qmv, imv, mmv: review
// hook132 H4), unless they only print their help or version: the hook
// sees neither the names nor what the editor, which may read keystrokes
// from the line's standard input, runs.
func (a *analyzer) editRenamer(c call) kind {
	if len(c.argv) == 2 && (c.argv[1].s == "--help" || c.argv[1].s == "--version" || c.argv[1].s == "-h" || c.argv[1].s == "-V") {
		return kindBenign
	}
	a.refuse("`%s`: %s renames, copies or removes files by names it takes from an editor, its standard input or a pattern (a line deleted in the editor removes the file), names the hook does not see: use mv, cp or rm with both names spelled out", quoteArgs(c.argv), baseName(c.argv[0].s))
	return kindOther
}

// dupLinker judges the programs that replace files of equal content with
// links to one (hardlink, jdupes -L/-l/-B, fdupes -d, rdfind -make…):
// after `cp terraform.tfstate x.json`, a write to x.json is one to the
// state (review hook68 H4), which the hook cannot see when it judges the
// line (the links are made as it runs). Listing and dry runs pass.
func (a *analyzer) dupLinker(c call) kind {
	name := baseName(c.argv[0].s)
	links := name == "hardlink"
	for _, t := range c.argv[1:] {
		w := t.s
		switch {
		case t.dyn:
			links = true
		case name == "hardlink" && (w == "-n" || w == "--dry-run" || w == "-h" || w == "--help" || w == "-V" || w == "--version"):
			return kindOther
		case name == "rdfind" && (strings.HasPrefix(w, "-make") || strings.HasPrefix(w, "-delete")):
			links = true
		case name != "hardlink" && name != "rdfind" && (strings.HasPrefix(w, "--link") || w == "--dedupe" || w == "--delete" ||
			len(w) > 1 && w[0] == '-' && w[1] != '-' && strings.ContainsAny(w[1:], "LlBdN")):
			links = true
		}
	}
	if links {
		a.refuse("`%s`: %s replaces files of equal content with links to one, so that a later write to a copy changes the original (a state file, the policy), which the hook cannot follow: list duplicates without linking them", truncateTok(c.argv), name)
	}
	return kindOther
}

// printf prints, or (-v NAME) sets a variable to a value the hook does not compute.
func (a *analyzer) printf(c call) kind {
	args := c.argv[1:]
	for i, t := range args {
		target := ""
		switch {
		case t.dyn:
		case t.s == "-v" && i+1 < len(args):
			target = args[i+1].s
		case strings.HasPrefix(t.s, "-v") && len(t.s) > 2:
			target = t.s[2:] // printf -vX
		}
		if target != "" {
			a.setUnknown(target)
			a.elementSet(target)
		}
		if t.s == "--" || !t.dyn && !strings.HasPrefix(t.s, "-") {
			break
		}
	}
	return kindBenign
}

// elementSet records that a builtin (printf -v, read, declare) sets an
// element of an array named NAME[SUB]: $NAME is ${NAME[0]}, so NAME is
// computed from then on (review hook85 H2: printf -v 'X[0]' terraform).
func (a *analyzer) elementSet(name string) {
	if base := arithBase(name); base != name && isName(base) {
		a.setUnknown(base)
		a.markArray(base)
	}
}

// unset judges unset: it empties a variable the hook judged by its value,
// or removes a function, so that later words of the line mean something
// else ("$d"../x is ../x once d is unset). It is allowed only in a line
// of unset calls alone (finish); a computed name is refused (bash
// evaluates a subscript in it, and it may be any variable).
func (a *analyzer) unset(c call) kind {
	for _, t := range c.argv[1:] {
		if t.dyn {
			a.refuse("`%s`: unsets a name computed at run time (bash evaluates an array subscript in it, running its command substitutions)", quoteArgs(c.argv))
			return kindOther
		}
	}
	a.unsets++
	return kindOther
}

// enable loads a builtin from a shared object (-f) or turns builtins off
// and on (-n, or names alone): either makes a name the hook reads (echo,
// printf, test) run other code. Only its listing forms are allowed.
func (a *analyzer) enable(c call) kind {
	for _, t := range c.argv[1:] {
		if t.dyn || !strings.HasPrefix(t.s, "-") || strings.ContainsAny(t.s, "fnd") {
			a.refuse("`%s` changes what a builtin's name runs (a builtin loaded from a file, or one turned off or on), which the hook could not follow", quoteArgs(c.argv))
			return kindOther
		}
	}
	return kindBenign
}

// set judges the shell's options: -k/-o keyword (NAME=VALUE arguments set
// the environment), and the options that change how bash reads the lines
// after it (lineOptions), are refused; -e, -u, -x, -o pipefail and the
// like are allowed.
func (a *analyzer) set(c call) kind {
	args := c.argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		switch {
		case t.s == "--" && !t.dyn || t.s == "-" && !t.dyn:
			return kindOther
		case t.dyn:
			a.refuse("`%s`: an option computed at run time may be the keyword option (-k), which makes NAME=VALUE arguments set the environment", quoteArgs(c.argv))
			return kindOther
		case strings.HasPrefix(t.s, "-") && strings.ContainsRune(t.s, 'k'):
			a.refuse("`%s`: the keyword option makes NAME=VALUE among any command's arguments set its environment (terraform init TF_CLI_ARGS_init=…), which the hook does not follow", quoteArgs(c.argv))
			return kindOther
		case strings.HasPrefix(t.s, "-") || strings.HasPrefix(t.s, "+"):
			for _, l := range t.s[1:] {
				if name := lineLetters[l]; name != "" {
					a.refuse("`%s`: %s", quoteArgs(c.argv), lineOptions[name])
					return kindOther
				}
			}
			if strings.ContainsRune(t.s[1:], 'o') && i+1 < len(args) {
				i++
				v := args[i]
				if v.dyn || v.s == "keyword" && t.s[0] == '-' {
					a.refuse("`%s`: -o %s makes NAME=VALUE among any command's arguments set its environment, which the hook does not follow", quoteArgs(c.argv), v)
					return kindOther
				}
				if why := lineOptions[v.s]; why != "" {
					a.refuse("`%s`: %s", quoteArgs(c.argv), why)
					return kindOther
				}
			}
		default:
			return kindOther // positional parameters
		}
	}
	return kindOther
}

// lineOptions are the shell options (set -o NAME, shopt -s/-u NAME) that
// change how bash reads or expands the lines after the one that sets them:
// the hook reads every line as a non-interactive bash with its defaults
// would (an interactive one, for agents whose shell is one, as far as
// history expansion and the terminal go).
var lineOptions = map[string]string{
	"histexpand":           "history expansion (!!, !:2) makes later lines run words taken from earlier ones, which the hook did not read there",
	"history":              "with the history list, history expansion (!!, !:2) makes later lines run words taken from earlier ones",
	"braceexpand":          "brace expansion decides which words a later line has; the hook reads them with bash's default",
	"posix":                "POSIX mode changes how bash reads and runs later lines (assignments before builtins persist, aliases expand)",
	"emacs":                "the line editor's mode decides what the keys typed into an interactive shell do",
	"vi":                   "the line editor's mode decides what the keys typed into an interactive shell do",
	"ignoreeof":            "it changes what an interactive shell does with the end of its input",
	"interactive-comments": "an interactive shell without comments runs the text after a `#` the hook read as a comment",
	"interactive_comments": "an interactive shell without comments runs the text after a `#` the hook read as a comment",
	"expand_aliases":       "aliases would make later words run other commands than the hook read",
	"extdebug":             "the DEBUG trap decides which later commands run and what their arguments are",
	"promptvars":           "prompt strings are expanded (running their command substitutions) as bash prints them",
	"histverify":           "it changes which line an interactive shell runs after a history expansion",
	"histreedit":           "it changes which line an interactive shell runs after a history expansion",
	"xpg_echo":             "echo then expands backslash escapes the hook read as text",
	"sourcepath":           "source and . then look the file up on PATH",
	"cdable_vars":          "cd then takes a variable's value for the directory",
	"progcomp":             "programmable completion runs functions and commands as keys are typed",
	"hostcomplete":         "completion changes what a tab types into an interactive shell",
}

// lineLetters are set's letters for lineOptions.
var lineLetters = map[rune]string{'H': "histexpand", 'B': "braceexpand"}

// shoptAllowed are the shopt options that change only globbing, matching
// and error handling, which the hook reads as computed anyway.
// nullglob is not among them: it removes a glob that matches nothing, and
// every word after it moves up one place, unseen (review hook39 H2).
var shoptAllowed = map[string]bool{"failglob": true, "dotglob": true, "globstar": true, "nocaseglob": true,
	"nocasematch": true, "globasciiranges": true, "extglob": true, "inherit_errexit": true, "lastpipe": true,
	"errexit": true, "nounset": true, "pipefail": true, "xtrace": true, "noclobber": true, "errtrace": true, "functrace": true}

// shopt judges bash's shell options: printing and testing them is allowed,
// setting or unsetting one is allowed only for shoptAllowed; the others
// (interactive_comments, expand_aliases, extdebug…) change how bash reads
// later lines.
func (a *analyzer) shopt(c call) kind {
	setting := false
	var names []tok
	for i, t := range c.argv[1:] {
		if t.dyn {
			a.refuse("`%s`: an option computed at run time may change how bash reads the lines after it", quoteArgs(c.argv))
			return kindOther
		}
		if t.s == "--" {
			names = append(names, c.argv[i+2:]...)
			break
		}
		if strings.HasPrefix(t.s, "-") && len(names) == 0 {
			setting = setting || strings.ContainsAny(t.s, "su")
			continue
		}
		names = append(names, t)
	}
	if !setting {
		return kindBenign
	}
	for _, n := range names {
		if n.s == "dotglob" {
			a.dotglob = true
		}
		if n.dyn || !shoptAllowed[n.s] {
			why := lineOptions[n.s]
			if why == "" {
				why = "an option the hook does not know to leave how bash reads later lines unchanged"
			}
			a.refuse("`%s`: %s", quoteArgs(c.argv), why)
			return kindOther
		}
	}
	return kindOther
}

// bind changes readline's key bindings: a macro types any text into an
// interactive shell (bind '"@": "…terraform destroy…\C-m"'), -x runs a
// command when a key is pressed, -f reads bindings from a file. Refused in
// every form: an agent has no use for it.
func (a *analyzer) bind(c call) kind {
	a.refuse("`%s` changes what keys do in the shell's line editor (a binding may type and run any command when the agent's input holds that key): the hook refuses bind", quoteArgs(c.argv))
	return kindOther
}

// stty changes the terminal's line discipline: which characters erase a
// line or a word, end it, or quote the next one, so that the text an
// interactive shell reads is not the text the hook read. Only printing
// the settings or the size is allowed.
func (a *analyzer) stty(c call) kind {
	for _, t := range c.argv[1:] {
		switch {
		case !t.dyn && (t.s == "-a" || t.s == "--all" || t.s == "-g" || t.s == "--save" || t.s == "size" || t.s == "speed"):
		default:
			a.refuse("`%s` changes the terminal's settings (which characters erase or end a line), so an interactive shell would read other text than the hook did: only `stty -a`, `stty -g` and `stty size`, which print, are allowed", quoteArgs(c.argv))
			return kindOther
		}
	}
	return kindBenign
}

// fc re-runs lines of the shell's history list (fc -s [PREFIX], fc -e -),
// or edits them with $FCEDIT and runs the result; a non-interactive bash
// keeps a list too, which `history -s LINE` or `history -r FILE` fills with
// any text: a line the hook read as data. Only listing (fc -l) is allowed.
func (a *analyzer) fc(c call) kind {
	args := c.argv[1:]
	list, runs := false, false
	for _, t := range args {
		if t.dyn || !strings.HasPrefix(t.s, "-") || t.s == "--" {
			runs = runs || t.dyn
			break
		}
		// Every option word counts: bash runs the -s form whenever -s is
		// given, -l too (fc -l -s 'echo =': review hook56 F5).
		list = list || strings.ContainsRune(t.s[1:], 'l')
		runs = runs || strings.ContainsAny(t.s[1:], "es")
	}
	if list && !runs {
		return kindBenign // fc -l, fc -lnr: lists
	}
	a.refuse("`%s` runs lines from the shell's history list (which `history -s` and `history -r` fill with any text), not what the hook read: write the command out in full", quoteArgs(c.argv))
	return kindOther
}

// history prints the history list, and changes it: -s LINE and -r/-n
// FILE put text into it that fc or a history expansion runs later
// (refused); -w and -a write it to a file, the one named (judged as a
// write) or $HISTFILE: the line's own assignments are judged where they
// stand (evalText), and the HISTFILE the shell inherits, or bash's
// defaults when it is unset, here (histFileWrites). Listing, -c, -d and
// -p (which only prints) are allowed.
func (a *analyzer) history(c call) kind {
	args := c.argv[1:]
	writes := false
	defer func() {
		if writes {
			a.histFileWrites(c.argv)
		}
	}()
	for i, t := range args {
		if t.s == "--" && !t.dyn {
			if writes && i+1 < len(args) {
				a.writeDest(c.argv, args[i+1], false)
				writes = false
			}
			break
		}
		switch {
		case t.dyn && strings.HasPrefix(t.s, "-") || !t.dyn && strings.HasPrefix(t.s, "-") && strings.ContainsAny(t.s[1:], "rns"):
			a.refuse("`%s` puts text into the shell's history list (or may: an option computed at run time), which fc and history expansion run: the hook cannot follow it", quoteArgs(c.argv))
			return kindOther
		case !t.dyn && strings.HasPrefix(t.s, "-") && strings.ContainsAny(t.s[1:], "aw"):
			writes = true
		case strings.HasPrefix(t.s, "-"):
		default:
			if writes {
				a.writeDest(c.argv, t, false) // history -w FILE
				writes = false
			}
			return kindOther
		}
	}
	return kindOther
}

// histFileWrites judges `history -w`/`-a` without a file: bash writes
// the history list to $HISTFILE, the one the shell inherited when the
// line does not assign it (an assignment the line may skip, in a branch,
// still leaves it), or, with HISTFILE unset (unset by the line too),
// $HOME/.history in a non-interactive shell and $HOME/.bash_history in
// an interactive one. Without a home or an inherited HISTFILE the hook
// cannot tell where it writes, and refuses.
func (a *analyzer) histFileWrites(argv []tok) {
	var files []string
	if a.opts.HistFile != "" {
		files = append(files, a.opts.HistFile)
	}
	if a.opts.Home != "" {
		files = append(files, path.Join(a.opts.Home, ".history"), path.Join(a.opts.Home, ".bash_history"))
	}
	if len(files) == 0 {
		a.refuse("`%s` writes the history list to $HISTFILE, which the hook does not know here (no HISTFILE nor HOME in its environment): name the file (history -w FILE)", quoteArgs(argv))
		return
	}
	for _, f := range files {
		if a.writeDest(argv, tok{s: f}, false) {
			return
		}
	}
}
