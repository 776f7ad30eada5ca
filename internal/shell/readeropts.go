package shell

import "strings"

// Options of "readers" and archivers that run a program or write a file
// (review hook17b F3, F8): the reader rows have no option tables, so these
// are read here, by name, anywhere before a `--`.
//   - rg --pre PROG runs PROG FILE for each file searched (its content on
//     standard input); ag/ack/bat --pager, and bat's BAT_PAGER, run a pager
//     with the output on its standard input: refused (rg --pre) or
//     judged as a command line (a pager);
//   - info -o FILE, --output=FILE, --dribble=FILE write FILE: judged as
//     writes;
//   - zip -TT CMD, --unzip-command CMD run CMD through a shell to test the
//     archive: refused.
//
// The variables that name these programs' configuration files
// (RIPGREP_CONFIG_PATH, BAT_CONFIG_PATH: a file holding --pre=…/--pager=…)
// are refused wherever the line sets them (settings.go's commandVars).
func (a *analyzer) readerOptions(name string, argv []tok, depth int) {
	line := truncateTok(argv)
	args := argv[1:]
	// value returns the option's value (attached after `=` or the next word).
	value := func(i int, opt string) (tok, bool) {
		s := args[i].s
		if v, ok := strings.CutPrefix(s, opt+"="); ok {
			return tok{s: v, dyn: args[i].dyn}, true
		}
		if s == opt {
			if i+1 < len(args) {
				return args[i+1], true
			}
			return tok{}, true
		}
		return tok{}, false
	}
	for i, t := range args {
		if t.s == "--" && !t.dyn {
			return
		}
		if t.dyn && strings.HasPrefix(t.s, "-") && (name == "rg" || name == "zip" || name == "info") {
			a.refuse("`%s`: an option computed at run time may be one that runs a program or writes a file (%s)", line, t.s)
			return
		}
		switch name {
		case "rg":
			if _, ok := value(i, "--pre"); ok {
				a.refuse("`%s`: rg --pre runs a program on each file it searches (with the file on its standard input), a command the hook does not read as one: search without --pre", line)
				return
			}
		case "ag", "ack", "bat", "batcat":
			if v, ok := value(i, "--pager"); ok {
				if v.dyn {
					a.refuse("`%s`: the pager is computed at run time", line)
					return
				}
				a.script(v.s, depth+1)
			}
		case "info":
			for _, opt := range []string{"--output", "--dribble", "-o"} {
				if v, ok := value(i, opt); ok {
					a.writeDest(argv, v, false)
				} else if opt == "-o" && strings.HasPrefix(t.s, "-o") && len(t.s) > 2 && !strings.HasPrefix(t.s, "--") {
					a.writeDest(argv, tok{s: t.s[2:], dyn: t.dyn}, false)
				}
			}
		case "zip":
			_, unzip := value(i, "--unzip-command")
			if t.s == "-TT" || strings.HasPrefix(t.s, "-TT") || unzip {
				a.refuse("`%s`: zip -TT/--unzip-command runs a command through a shell to test the archive: test it with `unzip -t` instead", line)
				return
			}
		}
	}
}
