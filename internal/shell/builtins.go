package shell

import (
	"path"
	"strings"
)

// Judges for shell builtins that change what later words of the line
// mean: they define names, or set variables to values the hook cannot know.

// source judges `source FILE` and `. FILE`: a script on stdin is read, a
// computed one refused, a file is out of the hook's sight.
func (a *analyzer) source(c call) kind {
	_, _, args := programs["source"].options(c.argv[1:])
	if len(args) > 0 && args[0].dyn {
		a.refuse("`%s`: sources a script whose name or contents are computed at run time", quoteArgs(c.argv))
	}
	if len(args) > 0 && stdinPath(args[0]) {
		return a.stdinScript(c.argv, c.st, c.depth, false)
	}
	return kindOther
}

// relied are the programs whose output or effect the hook reads as the
// program's own: echo, printf and cat piped into a shell (staticOutput),
// the new path mktemp prints (fresh), the count wc prints (numericSubst).
// A function or alias of that name would print anything instead: refused
// wherever it is defined, in this line or, for a shell the agent keeps
// open between calls, for the lines after it.
var relied = map[string]bool{"echo": true, "printf": true, "cat": true, "mktemp": true, "wc": true}

// redefinesRelied refuses a definition (how: a function, an alias) of a
// name in relied.
func (a *analyzer) redefinesRelied(name, how string) {
	if relied[name] {
		a.refuse("the line defines %s named `%s`, a program whose output the hook reads (echo … | bash, $(mktemp), $(wc -l)): give it another name", how, name)
	}
}

// alias records the aliases a line defines, to expand them where used.
func (a *analyzer) alias(c call) kind {
	for _, t := range c.argv[1:] {
		if k, v, ok := strings.Cut(t.s, "="); ok && !t.dyn {
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
		if cb, ok := optValue(args, "C", ""); ok {
			a.scriptTok(cb, name+" -C", c.depth)
		} else {
			a.refuse("`%s`: a mapfile callback the hook cannot read", quoteArgs(c.argv))
		}
	}
	for i, t := range args {
		if strings.HasPrefix(t.s, "-") {
			if t.s == "-a" && i+1 < len(args) {
				a.setUnknown(args[i+1].s)
			}
			continue
		}
		if isName(t.s) {
			a.setUnknown(t.s)
		}
	}
	a.setUnknown("REPLY")
	a.setUnknown("MAPFILE")
	a.setUnknown("OPTARG")
	return kindOther
}

// printf prints, or (-v NAME) sets a variable to a value the hook does not compute.
func (a *analyzer) printf(c call) kind {
	args := c.argv[1:]
	for i, t := range args {
		if t.s == "-v" && i+1 < len(args) {
			a.setUnknown(args[i+1].s)
		}
	}
	return kindBenign
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

// set judges the set builtin: the keyword option (-k, -o keyword) makes
// NAME=VALUE anywhere among a command's arguments set its environment
// (terraform init TF_CLI_ARGS_init=-force-copy), which the hook reads as
// arguments; an option computed at run time may be it. Options after
// `--` or the first operand are positional parameters.
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
		case (strings.HasPrefix(t.s, "-") || strings.HasPrefix(t.s, "+")) && strings.HasSuffix(t.s, "o") && i+1 < len(args):
			i++
			if v := args[i]; v.dyn || v.s == "keyword" && t.s[0] == '-' {
				a.refuse("`%s`: -o %s makes NAME=VALUE among any command's arguments set its environment, which the hook does not follow", quoteArgs(c.argv), v)
				return kindOther
			}
		case !strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "+"):
			return kindOther // positional parameters
		}
	}
	return kindOther
}

// fc re-runs lines of the shell's history list (fc -s [PREFIX], fc -e -),
// or edits them with $FCEDIT and runs the result; a non-interactive bash
// keeps a list too, which `history -s LINE` or `history -r FILE` fills with
// any text: a line the hook read as data. Only listing (fc -l) is allowed.
func (a *analyzer) fc(c call) kind {
	args := c.argv[1:]
	for _, t := range args {
		if t.dyn || !strings.HasPrefix(t.s, "-") || t.s == "--" {
			break
		}
		if strings.ContainsRune(t.s[1:], 'l') && !strings.ContainsAny(t.s[1:], "es") {
			return kindBenign // fc -l, fc -lnr: lists
		}
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
