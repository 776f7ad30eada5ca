package shell

import "strings"

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

// alias records the aliases a line defines, to expand them where used.
func (a *analyzer) alias(c call) kind {
	for _, t := range c.argv[1:] {
		if k, v, ok := strings.Cut(t.s, "="); ok && !t.dyn {
			a.aliases[k] = v
			a.redefined[k] = true
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
