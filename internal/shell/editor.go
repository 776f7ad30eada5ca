package shell

import (
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
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

// Programs that start the user's editor (review hook132 H1, H4): git
// commit, tag -a, rebase -i…, kubectl edit, systemctl edit, sudoedit. The
// editor inherits the program's standard input, and one such as vim reads
// its keystrokes from there when the line feeds it (`:!cmd` runs a shell),
// whichever setting names it (GIT_EDITOR, core.editor, VISUAL, EDITOR) or
// when none does (git's default vi, Debian's editor alternative). So a
// program that may start an editor, with its standard input fed, is
// refused unless the command itself names an editor that reads nothing
// (GIT_EDITOR=true set on it): the hook cannot see the user's settings.

// inertEditors are the editor commands that read no keystrokes.
var inertEditors = map[string]bool{"true": true, ":": true, "cat": true}

// inertEditor reports whether every one of vars is set, on the command's
// own statement (GIT_EDITOR=true git commit: nearer than any setting the
// hook cannot see), to an editor that reads no keystrokes. A program run
// through a wrapper (env, sudo, which may reset the environment) does not
// count.
func inertEditor(c call, prog string, vars ...string) bool {
	if c.st == nil {
		return false
	}
	ce, ok := c.st.Cmd.(*syntax.CallExpr)
	if !ok || len(ce.Args) == 0 || baseName(bareName(ce.Args[0])) != prog {
		return false
	}
	for _, v := range vars {
		val, set := "", false
		for _, as := range ce.Assigns {
			if as.Name == nil || as.Name.Value != v {
				continue
			}
			val, set = "", as.Value == nil && as.Array == nil && as.Index == nil && !as.Append
			if as.Value != nil && as.Array == nil && as.Index == nil && !as.Append {
				val, set = as.Value.Lit(), true
			}
		}
		if !set || !inertEditors[baseName(val)] {
			return false
		}
	}
	return true
}

// gitOpts is how a git subcommand's parse-options reads its words:
// valued, the letters that take a value (the rest of the word, or the next
// word); attached, the letters whose value is only attached; flags, the
// letters without one; long, the long options that take the next word
// when not given one with `=`; longFlags, those that do not.
type gitOpts struct {
	valued, attached, flags string
	long, longFlags         []string
}

// gitWords is what gitOpts read from a subcommand's words: the options
// seen (a letter, or a long name), the values of the valued ones, the
// operands; unsure when a word could not be placed (an option the table
// does not know, which may take the next word, or a computed one), and
// computed when a word that may be an option is computed at run time.
type gitWords struct {
	seen     map[string]bool
	vals     map[string]string
	unknown  []string // long options the table does not know
	operands []tok
	unsure   bool
	computed bool
}

func (o gitOpts) read(rest []tok) gitWords {
	w := gitWords{seen: map[string]bool{}, vals: map[string]string{}}
	for i := 0; i < len(rest); i++ {
		t := rest[i]
		switch {
		case t.s == "--" && !t.dyn:
			w.operands = append(w.operands, rest[i+1:]...)
			return w
		case t.dyn && (t.s == "" || strings.HasPrefix(t.s, "-")):
			w.unsure, w.computed = true, true
		case strings.HasPrefix(t.s, "--"):
			n, v, eq := strings.Cut(t.s[2:], "=")
			w.seen[n] = true
			switch {
			case contains(o.long, n):
				if !eq && i+1 < len(rest) {
					i++
					v = rest[i].s
				}
				w.vals[n] = v
			case contains(o.longFlags, n):
			default:
				w.unknown = append(w.unknown, n)
				w.unsure = w.unsure || !eq
			}
		case strings.HasPrefix(t.s, "-") && len(t.s) > 1:
			for j := 1; j < len(t.s); j++ {
				l := t.s[j : j+1]
				w.seen[l] = true
				if strings.Contains(o.valued, l) {
					v := t.s[j+1:]
					if v == "" && i+1 < len(rest) {
						i++
						v = rest[i].s
					}
					w.vals[l] = v
					break
				}
				if strings.Contains(o.attached, l) {
					break
				}
				if !strings.Contains(o.flags, l) {
					w.unsure = true
				}
			}
		default:
			w.operands = append(w.operands, t)
		}
	}
	return w
}

// any reports whether one of names was seen, or a long option the table
// does not know that abbreviates one of them (git takes --ed for --edit).
func (w gitWords) any(names ...string) bool {
	for _, n := range names {
		if w.seen[n] {
			return true
		}
		for _, u := range w.unknown {
			if len(n) > 1 && u != "" && strings.HasPrefix(n, u) {
				return true
			}
		}
	}
	return false
}

// gitEditorRows are the git subcommands that start an editor only when
// asked to (or, merge, when GIT_MERGE_AUTOEDIT says so): the options that
// ask. Starting one anyway, fed: the editor reads the keystrokes.
var gitEditorRows = map[string]struct {
	opts   gitOpts
	forces []string
}{
	"merge":       {gitOpts{valued: "msXF", attached: "S"}, []string{"e", "edit", "continue"}},
	"revert":      {gitOpts{valued: "mX", attached: "S"}, []string{"e", "edit", "continue"}},
	"cherry-pick": {gitOpts{valued: "mX", attached: "S"}, []string{"e", "edit", "continue"}},
	"config":      {gitOpts{valued: "ft", long: []string{"file", "blob", "type", "default", "comment", "value"}}, []string{"e", "edit"}},
	"add":         {gitOpts{long: []string{"pathspec-from-file"}}, []string{"e", "edit", "p", "patch", "i", "interactive"}},
	"checkout":    {gitOpts{valued: "bB", attached: "t", long: []string{"conflict", "orphan", "pathspec-from-file"}}, []string{"p", "patch"}},
	"reset":       {gitOpts{long: []string{"pathspec-from-file"}}, []string{"p", "patch"}},
	"restore":     {gitOpts{valued: "s", long: []string{"source", "conflict", "pathspec-from-file"}}, []string{"p", "patch"}},
	"stash":       {gitOpts{valued: "m", long: []string{"message", "pathspec-from-file"}}, []string{"p", "patch"}},
	"am":          {gitOpts{valued: "Cp", attached: "S"}, []string{"i", "interactive"}},
	"branch":      {gitOpts{valued: "u", long: []string{"set-upstream-to", "contains", "no-contains", "merged", "no-merged", "sort", "points-at", "format"}}, []string{"edit-description"}},
	"replace":     {gitOpts{long: []string{"format"}}, []string{"e", "edit"}},
	"send-email":  {gitOpts{}, []string{"compose", "annotate"}},
}

// gitEditor refuses a git subcommand that may start the user's editor
// while the line feeds its standard input (review hook132 H1).
func (a *analyzer) gitEditor(c call, line string, sub tok, rest []tok) {
	if !c.fed {
		return
	}
	name := strings.ToLower(sub.s)
	opens, vars := false, []string{"GIT_EDITOR"}
	switch {
	case sub.dyn:
		return // refused by the caller
	case len(a.gitAliases[name]) > 0:
		opens, vars = true, []string{"GIT_EDITOR", "GIT_SEQUENCE_EDITOR"}
	case name == "mergetool" || name == "difftool":
		// The merge tool (vimdiff, often) reads the keystrokes, and the
		// prompts before it read their answers.
		a.refuse("`%s` starts a merge or diff tool (vimdiff, often) and prompts on the line's standard input, and the tool reads keystrokes from it (`:!cmd` runs a shell): resolve or read the differences with the agent's file tools and `git diff`", line)
		return
	case name == "commit":
		w := gitOpts{valued: "mFCct", attached: "Su", flags: "qvseaiponz",
			long: []string{"message", "file", "reedit-message", "reuse-message", "template", "author", "date", "cleanup",
				"trailer", "fixup", "squash", "pathspec-from-file"},
			longFlags: []string{"all", "include", "only", "amend", "allow-empty", "allow-empty-message", "no-verify", "verify",
				"signoff", "no-signoff", "quiet", "verbose", "dry-run", "short", "branch", "porcelain", "long", "null", "status",
				"no-status", "reset-author", "no-gpg-sign", "gpg-sign", "no-post-rewrite", "pathspec-file-nul", "no-edit",
				"edit", "patch", "interactive", "untracked-files"}}.read(rest)
		fix := strings.HasPrefix(w.vals["fixup"], "amend:") || strings.HasPrefix(w.vals["fixup"], "reword:")
		gives := w.any("m", "message", "F", "file", "C", "reuse-message", "no-edit") || w.seen["fixup"] && !fix
		opens = w.unsure || fix || !gives || w.any("e", "edit", "c", "reedit-message", "p", "patch", "interactive")
	case name == "tag":
		w := gitOpts{valued: "mFu", attached: "n", flags: "ldvasefi",
			long: []string{"message", "file", "local-user", "contains", "no-contains", "points-at", "merged", "no-merged",
				"sort", "format", "cleanup", "trailer"},
			longFlags: []string{"list", "delete", "verify", "annotate", "sign", "no-sign", "force", "ignore-case",
				"create-reflog", "edit", "color", "column", "omit-empty"}}.read(rest)
		lists := w.any("l", "list", "d", "delete", "v", "verify", "n", "contains", "no-contains", "points-at", "merged", "no-merged")
		// A tag without a message is annotated, and so edited, when the
		// user's configuration signs tags (tag.gpgSign).
		opens = w.any("e", "edit") || w.computed || len(w.operands) > 0 && !lists && (w.unsure || !w.any("m", "message", "F", "file"))
	case name == "notes":
		i := 0
		for i < len(rest) && strings.HasPrefix(rest[i].s, "-") && !rest[i].dyn {
			if rest[i].s == "--ref" {
				i++
			}
			i++
		}
		if i >= len(rest) {
			return
		}
		switch s := rest[i]; {
		case s.dyn || s.s == "edit":
			opens = true
		case s.s == "add" || s.s == "append":
			w := gitOpts{valued: "mFCc", flags: "fe", long: []string{"message", "file", "reuse-message", "reedit-message", "separator"},
				longFlags: []string{"force", "allow-empty", "no-stripspace", "stripspace", "edit", "no-separator"}}.read(rest[i+1:])
			opens = w.unsure || !w.any("m", "message", "F", "file", "C", "reuse-message") || w.any("e", "edit", "c", "reedit-message")
		}
	case name == "rebase" || name == "pull":
		// pull rebases interactively when the user's configuration says
		// so (pull.rebase=interactive): read as rebase -i.
		vars = []string{"GIT_EDITOR", "GIT_SEQUENCE_EDITOR"}
		w := gitOpts{valued: "xsXC", attached: "Sr", long: []string{"exec", "strategy", "strategy-option", "onto", "whitespace"}}.read(rest)
		opens = name == "pull" || w.computed || w.any("i", "interactive", "edit-todo", "continue", "autosquash")
	default:
		row, ok := gitEditorRows[name]
		if !ok {
			return
		}
		w := row.opts.read(rest)
		opens = w.computed || w.any(row.forces...)
		if name == "config" && len(w.operands) > 0 && w.operands[0].s == "edit" {
			opens = true
		}
		if name == "merge" {
			// GIT_MERGE_AUTOEDIT=yes makes merge edit its message with
			// no terminal.
			_, set := a.vars["GIT_MERGE_AUTOEDIT"]
			opens = opens || set || a.unknown["GIT_MERGE_AUTOEDIT"] || contains(c.assigns, "GIT_MERGE_AUTOEDIT") || contains(a.envTouched, "GIT_MERGE_AUTOEDIT")
		}
	}
	if !opens || inertEditor(c, "git", vars...) {
		return
	}
	set := "GIT_EDITOR=true on the command"
	if len(vars) > 1 {
		set = "GIT_EDITOR=true GIT_SEQUENCE_EDITOR=true on the command"
	}
	a.refuse("`%s` may start the user's editor (GIT_EDITOR, core.editor, VISUAL, EDITOR, or git's default vi) with the line's standard input, and an editor such as vim reads keystrokes from it (`:!cmd` runs a shell): give the message with -m or -F (or --no-edit), or set %s", line, set)
}

// editorVerbs are the programs that start the user's editor for a verb
// (kubectl edit, systemctl edit, pass edit).
var editorVerbs = map[string][]string{
	"kubectl": {"edit", "edit-last-applied", "--edit", "--edit=true"}, "oc": {"edit", "edit-last-applied", "--edit", "--edit=true"},
	"systemctl": {"edit"}, "networkctl": {"edit"}, "machinectl": {"edit"}, "pass": {"edit"}, "gopass": {"edit", "create", "new"},
	"ansible-vault": {"edit", "create"}, "npm": {"edit"}, "chezmoi": {"edit"},
}

// launchesEditor refuses a program other than git that may start the
// user's editor while the line feeds its standard input (review hook132
// H4): sudoedit, visudo, vipw, kubectl edit, hg commit, svn commit.
func (a *analyzer) launchesEditor(c call, name string) bool {
	if !c.fed {
		return false
	}
	args := c.argv[1:]
	// has: one of words is among the arguments, or a computed one before
	// the first literal operand (the verb) may be; for kubectl create
	// (--edit), a computed one anywhere.
	has := func(words ...string) bool {
		verb, dyn := "", false
		for _, t := range args {
			if t.s == "--" && !t.dyn {
				break
			}
			if t.dyn {
				dyn = true
				if verb == "" {
					return true
				}
				continue
			}
			if contains(words, t.s) {
				return true
			}
			if verb == "" && !strings.HasPrefix(t.s, "-") {
				verb = t.s
			}
		}
		return dyn && verb == "create" && contains(words, "--edit")
	}
	opens := false
	switch name {
	case "sudoedit", "vipw", "vigr":
		opens = true
	case "visudo":
		opens = !literal(args, "-c", "--check", "-h", "--help", "-V", "--version")
	case "edquota":
		opens = !literal(args, "-p", "--prototype")
	case "sudo":
		// sudo -e FILE is sudoedit (as getopt reads its clusters: a
		// valued letter takes the rest of the word or the next one).
	words:
		for i := 0; i < len(args); i++ {
			t := args[i]
			if t.dyn || !strings.HasPrefix(t.s, "-") || t.s == "--" {
				break
			}
			if t.s == "--edit" {
				opens = true
				break
			}
			if strings.HasPrefix(t.s, "--") {
				continue
			}
			for j := 1; j < len(t.s); j++ {
				if t.s[j] == 'e' {
					opens = true
					break words
				}
				if strings.IndexByte("CDghpRrtTUu", t.s[j]) >= 0 {
					if j+1 == len(t.s) {
						i++
					}
					break
				}
			}
		}
	case "hg", "chg":
		opens = vcsCommit(args, []string{"commit", "ci", "fold"}, []string{"-m", "--message", "-l", "--logfile"},
			[]string{"histedit", "split"}, "-R", "--repository", "--cwd", "--config")
	case "svn":
		opens = vcsCommit(args, []string{"commit", "ci", "import", "mkdir", "copy", "cp", "move", "mv", "rename", "ren",
			"delete", "del", "remove", "rm", "propedit", "pedit", "pe"},
			[]string{"-m", "--message", "-F", "--file"}, []string{"propedit", "pedit", "pe"}, "--config-dir", "--config-option", "--username", "--password")
	default:
		if verbs, ok := editorVerbs[name]; ok {
			opens = has(verbs...)
		}
	}
	if !opens {
		return false
	}
	a.refuse("`%s` may start the user's editor (VISUAL, EDITOR, or the system's default vi) with the line's standard input, and an editor such as vim reads keystrokes from it (`:!cmd` runs a shell): edit files with the agent's file tools, and run the program without feeding it", truncateTok(c.argv))
	return true
}

// literal reports whether one of words is among args, written out.
func literal(args []tok, words ...string) bool {
	for _, t := range args {
		if !t.dyn && contains(words, t.s) {
			return true
		}
	}
	return false
}

// vcsCommit reports whether an hg or svn command may start the editor:
// its command (the first word after the global options, valued ones
// skipped) is one that asks for a message, given no message option, or
// one that always edits; or it is asked to (-e, --edit, --editor-cmd).
func vcsCommit(args []tok, cmds, msgOpts, always []string, valued ...string) bool {
	i := 0
	for i < len(args) && strings.HasPrefix(args[i].s, "-") && !args[i].dyn {
		if contains(valued, args[i].s) {
			i++
		}
		i++
	}
	if i >= len(args) {
		return false
	}
	if args[i].dyn {
		return true
	}
	cmd := args[i].s
	gives := false
	for _, t := range args[i+1:] {
		n, _, _ := strings.Cut(t.s, "=")
		switch {
		case t.dyn && (t.s == "" || strings.HasPrefix(t.s, "-")), n == "-e", n == "--edit", n == "--editor-cmd":
			return true
		case contains(msgOpts, n) || len(n) > 2 && n[1] != '-' && contains(msgOpts, n[:2]):
			gives = true
		}
	}
	if contains(always, cmd) {
		return true
	}
	// hg takes a command's unique prefix (hg comm is commit).
	for _, c := range cmds {
		if cmd == c || len(cmd) >= 3 && strings.HasPrefix(c, cmd) && c != "ci" {
			return !gives
		}
	}
	return false
}
