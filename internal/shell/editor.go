package shell

import (
	"regexp"
	"strings"
)

// Editors and pagers run commands of their own: vim's and ex's `:!cmd`
// (and `call system()`), ed's `!cmd` and `e !cmd`, emacs's `--eval`, less's
// `!cmd` and `|`. The agent edits files with its file tools, so an editor
// run non-interactively with commands — on its command line or on its
// standard input — is refused whatever the commands say; an editor with
// neither waits for keystrokes the agent cannot type.

// editorHint is the way forward for a refused editor.
const editorHint = "edit files with the agent's file tools (or `sed -i`), and run commands directly"

// vimCommandOpts are vim's options that run ex commands or read them from a file.
var vimCommandOpts = map[string]bool{
	"-c": true, "--cmd": true, "-S": true, "-s": true, "-u": true, "-U": true, "-l": true, "-ll": true,
	"-w": true, "-W": true, "--remote-send": true, "--remote-expr": true, "-i": true,
}

// emacsCommandOpts are emacs's options that evaluate Lisp or load it.
var emacsCommandOpts = []string{"-eval", "--eval", "-execute", "--execute", "-l", "-load", "--load", "-f", "-funcall",
	"--funcall", "-batch", "--batch", "-script", "--script", "-x", "-e", "-L", "-directory", "--directory", "-u", "-user", "--user"}

// editor judges vi/vim/ex/nvim, ed and emacs.
func (a *analyzer) editor(c call) kind {
	name := baseName(c.argv[0].s)
	args := c.argv[1:]
	line := truncateTok(c.argv)
	switch name {
	case "ed", "red":
		if c.fed {
			a.refuse("`%s`: ed reads its commands (`!cmd` runs a shell) from its standard input here: %s", line, editorHint)
			return kindOther
		}
		for _, t := range args {
			if t.dyn || strings.HasPrefix(t.s, "!") {
				a.refuse("`%s`: ed reads a file named `!cmd` from a command's output, or one computed at run time: %s", line, editorHint)
				return kindOther
			}
		}
		return kindOther
	case "emacs", "emacsclient", "xemacs":
		for _, t := range args {
			if t.s == "--" {
				break
			}
			for _, o := range emacsCommandOpts {
				if t.s == o || strings.HasPrefix(t.s, o+"=") || t.dyn && strings.HasPrefix(t.s, "-") {
					a.refuse("`%s`: emacs evaluates Lisp given or loaded on its command line (`shell-command` runs a shell): %s", line, editorHint)
					return kindOther
				}
			}
		}
		return kindOther
	}
	for _, t := range args {
		if t.s == "--" && !t.dyn {
			break
		}
		switch {
		case t.dyn && (strings.HasPrefix(t.s, "-") || strings.HasPrefix(t.s, "+") || t.s == ""):
			a.refuse("`%s`: an editor option computed at run time may run commands: %s", line, editorHint)
			return kindOther
		case strings.HasPrefix(t.s, "+") && !vimPlusRe.MatchString(t.s):
			a.refuse("`%s`: %s runs an ex command (`:!cmd` runs a shell): %s", line, t.s, editorHint)
			return kindOther
		case vimCommandOpts[t.s] || strings.HasPrefix(t.s, "--cmd=") ||
			// vim reads a word's letters one by one: -nc CMD is -n -c CMD,
			// -Nu FILE, -nS FILE, -esc (review hook116 H5).
			strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "--") && strings.ContainsAny(t.s[1:], "cSsuUlwWi"):
			a.refuse("`%s`: %s runs ex commands or reads them from a file (`:!cmd` runs a shell): %s", line, t.s, editorHint)
			return kindOther
		}
	}
	if c.fed {
		a.refuse("`%s`: %s reads keystrokes or ex commands from its standard input here (`:!cmd` runs a shell): %s", line, name, editorHint)
	}
	return kindOther
}

// vimPlusRe is a `+` argument that only moves the cursor: +, +NUM.
var vimPlusRe = regexp.MustCompile(`^\+[0-9]*$`)

// lessPlusRe is a less `+` command that only moves or searches: +NUM,
// +G, +F, +g, +/PATTERN, +?PATTERN, with no control characters.
var lessPlusRe = regexp.MustCompile(`^\+([0-9]*[gGF]?|[/?][^\x00-\x1f\x7f]*)$`)

// pager judges less and more: a `+` command or `LESS` setting may run
// a shell (`!cmd`, `|`), and -o/-O write a log file.
func (a *analyzer) pager(c call) kind {
	p := lookup(baseName(c.argv[0].s))
	if a.lesskeyOption(p, c.argv) { // filevars.go
		return kindOther
	}
	opts, ops := p.operands(c.argv[1:])
	for _, o := range opts {
		if contains(p.outs, o.name) {
			a.writeDest(c.argv, o.val, false)
		}
	}
	for _, t := range append(ops, c.argv[1:]...) {
		if strings.HasPrefix(t.s, "+") && (t.dyn || !lessPlusRe.MatchString(t.s)) {
			a.refuse("`%s`: %s is a less command that may run a shell (`!cmd`, `|`) or write a file", truncateTok(c.argv), t)
			return kindOther
		}
	}
	return kindOther
}
