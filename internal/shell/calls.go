package shell

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// refusedWords are the Terraform/Terragrunt subcommands and planguard
// commands that a call of an unknown program may not name.
var refusedWords = map[string]bool{
	"apply": true, "destroy": true, "import": true, "taint": true, "untaint": true,
	"force-unlock": true, "refresh": true, "apply-all": true, "destroy-all": true,
	"approve": true, "sign": true, "approve-plan": true,
	"test": true, // terraform test applies real infrastructure
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
		if w == "init" {
			if f := initMigrates(argv[i+1:]); f != "" {
				return t.s + " " + f, true
			}
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

// run judges one simple command (already expanded into tokens).
func (a *analyzer) run(c call) kind {
	argv := c.argv
	if len(argv) == 0 {
		return kindBenign
	}
	if c.depth > maxDepth {
		a.refuse("commands nested more than %d levels deep cannot be checked", maxDepth)
		return kindOther
	}
	cmd := argv[0]
	if cmd.dyn {
		return a.computedProgram(c)
	}
	if n := baseName(cmd.s); n == "gsutil" || n == "gcloud" {
		c.argv = a.fileURLArgs(argv) // downloads.go
		argv = c.argv
	}
	if strings.ContainsAny(cmd.s, " \t\n;|&") {
		// A program name with spaces is a command line to a wrapper that
		// joins its arguments (sudo -s 'terraform destroy').
		a.joined(argv, "the command", c.depth)
		return kindOther
	}
	if v, ok := a.aliases[cmd.s]; ok && c.depth < maxDepth {
		delete(a.aliases, cmd.s) // an alias does not expand inside itself
		old := a.outer
		a.outer = call{chdir: c.chdir, dir: c.dir, each: c.each, fed: c.fed, assigns: c.assigns} // b <<< …: its input
		a.script(v+" "+shellJoin(argv[1:]), c.depth+1)
		a.outer = old
		a.aliases[cmd.s] = v
		// bash expands an alias only from the next line it reads, and a
		// non-interactive shell not at all: the command as written runs
		// (alias terraform=echo; terraform destroy). Judged as written too.
	}
	if a.lineMade(cmd, argv, c.assigns) {
		return kindOther
	}
	if c.fed {
		a.fedFunction(cmd.s, c) // f <<< …: the body reads it
	}
	if procProgram(cmd.s) {
		// /proc/self/exe is the running shell, /proc/PID/exe any
		// process's program (review hook43 H3).
		a.refuse("`%s` runs a program named under /proc (the shell itself, or another process's binary), which the hook cannot tell", truncateTok(argv))
		return kindOther
	}
	if stdinPath(cmd) {
		// exec of /dev/fd/N, /dev/stdin: a file the line may fill.
		a.refuse("`%s` runs code from %s, which the line fills: the hook cannot read it", truncateTok(argv), cmd.s)
		return kindOther
	}
	name := baseName(cmd.s)
	if len(name) > 1 && name[0] == '=' {
		name = name[1:] // zsh: =terraform is the path of terraform
	}
	if a.runnerBinWritten(name, argv) {
		return kindOther
	}
	if canon, ok := otherNames[name]; ok && c.depth < maxDepth {
		// editor, pager, slogin, pdb3, sem: Debian's other names for
		// programs the hook judges (review hook45 H1).
		return a.run(c.inner(append(append([]tok{}, canon...), argv[1:]...)))
	}
	launcher, launcherAt := name, 0
	if startsShell(name) || name == "." || name == "source" {
		// sh [-e|--|+x…] /usr/bin/sensible-editor: the launcher script
		// (review hook47 M1, hook48 H4).
		for i := 1; i < len(argv); i++ {
			if t := argv[i]; !t.dyn && (strings.HasPrefix(t.s, "-") || strings.HasPrefix(t.s, "+")) {
				continue
			} else if !t.dyn && launchers[baseName(t.s)] {
				launcher, launcherAt = baseName(t.s), i
			}
			break
		}
	}
	if launchers[launcher] {
		for _, v := range launcherVars {
			if _, set := a.vars[v]; set || a.unknown[v] || contains(c.assigns, v) || a.unknownEnv {
				a.refuse("`%s` runs the command $%s names, with the line's arguments added, and the line sets %s: run the program itself", truncateTok(argv), v, v)
				return kindOther
			}
		}
		if as, ok := launcherAs[launcher]; ok && c.depth < maxDepth {
			// The user's editor or pager, most likely vim or less: its
			// arguments are judged as theirs.
			rest := argv[1:]
			if launcherAt > 0 {
				rest = argv[launcherAt+1:]
			}
			return a.run(c.inner(append([]tok{{s: as}}, rest...)))
		}
	}
	if sub, ok := strings.CutPrefix(name, "git-"); ok && sub != "" && c.depth < maxDepth {
		// git-clean ARGS is git clean ARGS: git takes its command from
		// its name (a link made in the line, ld.so --argv0: review
		// hook42 H4).
		return a.run(c.inner(append([]tok{{s: "git"}, {s: sub}}, argv[1:]...)))
	}
	if (strings.HasPrefix(name, "ld-linux") || strings.HasPrefix(name, "ld-musl") || strings.HasPrefix(name, "ld.so")) && hasArgv0(argv) {
		a.refuse("`%s`: the loader's --argv0 sets the program's name, which git (git-clean) and others read as the command to run", truncateTok(argv))
		return kindOther
	}
	if contains(c.assigns, "ENV") && startsShell(name) {
		// ENV=FILE set for a shell (directly, or through the wrappers
		// that pass the environment on): an interactive one sources FILE.
		a.refuse("`%s`: an interactive shell expands ENV, set for it, and sources the file it names first, code the hook cannot read: do not set ENV for a shell", truncateTok(argv))
		return kindOther
	}
	if evaluators[name] {
		a.wordsEval(argv) // printf -v 'a[$(…)]'
		a.namesEval(name, argv)
	}
	p := lookup(name)
	if contains(a.opts.Planguard, strings.TrimPrefix(cmd.s, "=")) {
		p = programs["planguard"] // the hook's own binary, whatever its name
	}
	if !p.reader && !globFlagsOnly[name] && toolName(name) == "" && a.globOptions(ownWords(p, name, argv)) {
		return kindOther // (the Terraform family's globs: globOption)
	}
	if p.writes && !p.reader {
		for _, t := range argv[1:] {
			if a.mayBeSeveral(t) {
				// cp ${x-../e.json ../planguard.hcl}, cp "$@": one word to
				// the hook, a source and a destination to the writer
				// (review hook42 H1).
				a.refuse("`%s`: %s is computed at run time and may be several words (a source and a destination, an option and its value): %s writes a file its words name; write them out", truncateTok(argv), srcOf(t), name)
				return kindOther
			}
		}
	}
	// Abbreviated long options, as the program resolves them (longopts.go).
	if args, amb := p.canonArgs(argv[1:]); amb != "" {
		a.refuse("`%s`: %s is an abbreviation of several options of %s, one of which runs code or writes files: spell the option out in full", truncateTok(argv), amb, name)
		return kindOther
	} else if len(args) > 0 && &args[0] != &argv[1] {
		argv = append([]tok{argv[0]}, args...)
		c.argv = argv
	}
	if a.inlineCodeFile(p, name, argv) {
		return kindOther
	}
	a.readerOptions(name, argv, c.depth) // readeropts.go
	if p.guarded && c.each != "" {
		a.refuse("`%s` runs `%s` once per input it finds or reads (%s): the hook cannot tell what each run reads; run it on its own", truncateTok(argv), name, c.each)
		return kindOther
	}
	// The scripts this call runs read the same standard input.
	// The scripts this call runs (bash -c, eval, a here-document) run in
	// its directory, once per its input, on its standard input.
	defer func(old call) { a.outer = old }(a.outer)
	a.outer = call{chdir: c.chdir, dir: c.dir, each: c.each, fed: c.fed, assigns: c.assigns}
	if c.chdir != "" {
		// env -C DIR, sudo -D DIR, find -execdir: relative paths are
		// read from another directory, which may be any one.
		defer func(was bool) { a.cwdUnknown = was || a.sourced }(a.cwdUnknown) // a file sourced there (review hook139 H2)
		a.cwdUnknown = true
	}
	if name == "cmake" && len(argv) > 1 && !argv[1].dyn && strings.HasPrefix(argv[1].s, "--build") {
		a.makeRuns(truncateTok(argv)) // cmake --build runs make in the same environment (inline.go)
	}
	if why := a.viaShellVar(name, argv); why != "" {
		a.refuse("`%s`: %s", truncateTok(argv), why)
		return kindOther
	}
	if a.configInstaller(name, c) { // installers.go
		return kindOther
	}
	if a.launchesEditor(c, name) { // editor.go
		return kindOther
	}
	if (name == "valgrind" || name == "valgrind.bin") && a.valgrindEnvName(argv) { // wrappers.go
		return kindOther
	}
	if a.mailx(c) { // downloads.go
		return kindOther
	}
	if shellWithoutCommand[name] && a.stdinFed(c) && noProgram(argv[1:]) {
		// unshare, chroot /… with no program start a shell, which reads
		// what the line feeds them (review hook78 H3).
		return a.asShell(c, tok{}, nil)
	}
	var k kind
	if p.judge != nil {
		k = p.judge(a, c)
	} else {
		k = a.walk(p, name, c)
	}
	if p.copies {
		a.copiesTool(name, argv)
	}
	if p.writes {
		a.writes(p, name, argv)
	}
	if name == "patch" || name == "git" && len(argv) > 1 && (argv[1].s == "apply" || argv[1].s == "am") {
		a.inlinePatch(c)
	}
	a.derivedWrites(p, name, argv)
	if name == "dpkg" {
		// dpkg -x is dpkg-deb -x, which the row of dpkg's hooks does not
		// place (review hook70 L2).
		if q := a.treeRemoval(argv); q != "" {
			a.refuse("`%s` extracts into a directory that holds %s, which holds the gate's trust or Terraform's state: extract into a directory of its own", truncateTok(argv), q)
		}
	}
	a.readsTool(p, name, argv)
	return k
}

// startsShell reports whether a program is a shell or starts an
// interactive one with the environment it was given (script, su, tmux…).
func startsShell(name string) bool {
	switch name {
	case "script", "su", "runuser", "sg", "newgrp", "tmux", "screen", "byobu", "zellij", "expect", "login", "sudo", "doas", "pkexec":
		return true
	}
	return lookup(name) == programs["bash"]
}

// computedProgram judges a call whose program name is not known: refused
// when the arguments name something refused, when the name is computed by
// this very line (another program's output, a variable it reads or
// computes); arguments that may be scripts are read ($SHELL -c '…').
func (a *analyzer) computedProgram(c call) kind {
	argv, cmd := c.argv, c.argv[0]
	if cmd.kind == dynInput {
		// xargs env, find -exec {} +, xargs -I{} nice {}: the program is a
		// word xargs reads or find finds (find /usr/local/bin/terraform
		// destroy -exec {} + runs `terraform destroy`).
		a.refuse("`%s`: the program to run is a word %s reads or finds at run time, which the hook cannot see: name the program in the command", quoteArgs(argv), orWord(c.each, "xargs or find"))
		return kindOther
	}
	if a.computedExtra(c) {
		return kindOther
	}
	if cmd.kind == dynGlob && !evaluators[baseName(cmd.src)] {
		// /usr/bin/gi[t] clean …: any program the pattern matches, git or
		// the loader too (review hook43 H2).
		a.refuse("`%s`: the program to run is a glob (%s), which may match any program: name it", quoteArgs(argv), cmd.src)
		return kindOther
	}
	if cmd.w != nil && c.depth < maxDepth {
		if known, ok := a.knownText(cmd.w); ok && known != "" {
			// r${FOO:+}m is rm whatever FOO holds (review hook45 L1).
			return a.run(c.inner(append([]tok{{s: known}}, argv[1:]...)))
		}
		if b := staticBase(cmd.w); b != "" {
			// ${HOME:0:0}rm, "$D"/git: the literal end names the program
			// whatever the rest is (review hook43 L1).
			a.run(c.inner(append([]tok{{s: b}}, argv[1:]...)))
		}
	}
	a.wordsEval(argv) // it may be printf -v
	if cmd.kind == dynGlob && evaluators[baseName(cmd.src)] {
		a.namesEval(baseName(cmd.src), argv) // [ -v "$k" ]: `[` reads as a glob
	}
	// ${x:-terraform} ${y:-destroy}: the line spells out the values bash
	// runs when the variables are unset; judge the call with them too.
	if alt, ok := a.withDefaults(argv); ok && c.depth < maxDepth {
		a.run(c.inner(alt))
	} else if w, ok := namesRefused(alt[1:]); ok {
		a.refuse("`%s`: the program name is computed at run time and its arguments name `%s`", quoteArgs(argv), w)
	}
	switch cmd.kind {
	case dynOutput:
		a.refuse("`%s`: the program to run comes from another command's output (%s), which the hook cannot see", quoteArgs(argv), cmd.src)
	case dynLine:
		a.refuse("`%s`: the program to run is computed by this command line (%s), which the hook cannot follow", quoteArgs(argv), cmd.src)
	}
	if w, ok := namesRefused(argv[1:]); ok {
		a.refuse("`%s`: the program name is computed at run time and its arguments name `%s`", quoteArgs(argv), w)
	}
	if b := baseName(cmd.s); b != "" && toolName(b) != "" {
		a.refuse("`%s`: a Terraform-family program with a computed name cannot be checked", quoteArgs(argv))
	}
	// A computed program ($WRAP, /usr/bin/en?) may be a wrapper (env, nice,
	// sudo) that runs its first written argument as a program: judge that
	// call as written too, as the same call behind a known wrapper is.
	if c.depth < maxDepth {
		for i, t := range argv[1:] {
			if !t.dyn {
				a.run(c.inner(argv[i+1:]))
				break
			}
		}
	}
	for _, t := range argv[1:] {
		if !t.dyn && strings.ContainsAny(t.s, " \t\n;|&") {
			a.script(t.s, c.depth+1)
		}
	}
	return kindOther
}

// inputTok returns the first of argv that stands for words xargs reads
// or find finds (dynInput).
func inputTok(argv []tok) (tok, bool) {
	for _, t := range argv {
		if t.dyn && t.kind == dynInput {
			return t, true
		}
	}
	return tok{}, false
}

func orWord(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

// withDefaults replaces each token that is a parameter expansion with a
// static default, alternate or assigned value (${x:-V}, ${x-V}, ${x:+V},
// ${x:=V}, also inside double quotes and beside literal text) by that
// value; ok when it replaced the program's name.
func (a *analyzer) withDefaults(argv []tok) ([]tok, bool) {
	out := make([]tok, len(argv))
	copy(out, argv)
	for i, t := range argv {
		if !t.dyn || t.w == nil {
			continue
		}
		replaced := false
		if v, ok := a.defaultText(t.w.Parts, &replaced); ok && replaced {
			out[i] = tok{s: v}
		}
	}
	return out, !out[0].dyn && argv[0].dyn
}

func (a *analyzer) defaultText(parts []syntax.WordPart, replaced *bool) (string, bool) {
	var b strings.Builder
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "*?[\\") {
				return "", false // a glob or an escape: not read here
			}
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			v, ok := a.defaultText(p.Parts, replaced)
			if !ok {
				return "", false
			}
			b.WriteString(v)
		case *syntax.ParamExp:
			if p.Exp == nil || p.Exp.Word == nil {
				return "", false
			}
			switch p.Exp.Op {
			case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AlternateUnset, syntax.AlternateUnsetOrNull,
				syntax.AssignUnset, syntax.AssignUnsetOrNull:
			default:
				return "", false
			}
			v := a.word(p.Exp.Word)
			if v.dyn {
				return "", false
			}
			*replaced = true
			b.WriteString(v.s)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// codeFileOpts are the options whose value is a file of code a program
// runs: awk -f, sed -f, make -f, bash --rcfile.
var codeFileOpts = map[string][]string{
	"awk": {"-f", "--file", "-E", "--exec", "-i", "--include"}, "sed": {"-f", "--file"},
	"make": {"-f", "--file", "--makefile"}, "bash": {"--rcfile", "--init-file"},
}

// inlineCodeFile refuses code handed to a program as a file the line
// itself fills: a process substitution, a descriptor other than standard
// input (exec 3<<<'…'), or standard input (-f -, -f /dev/stdin). A script
// file on disk stays out of sight (see the guide); these are the line's own
// text, which the hook cannot read as code.
func (a *analyzer) inlineCodeFile(p *program, name string, argv []tok) bool {
	inline := func(t tok) bool {
		return t.dyn && t.w != nil && hasProcSubst(t.w) || !t.dyn && (otherFD(t) || stdinPath(t) || t.s == "-")
	}
	key := name
	switch {
	case p == programs["awk"]:
		key = "awk"
	case p == programs["sed"]:
		key = "sed"
	case name == "gmake" || name == "bmake":
		key = "make"
	case p == programs["bash"]:
		key = "bash"
	}
	if key == "make" || key == "sed" || key == "awk" {
		if a.codeFileWritten(key, argv) {
			return true
		}
	}
	if opts := codeFileOpts[key]; opts != nil {
		for i, t := range argv[1:] {
			for _, o := range opts {
				var v tok
				switch {
				case t.s == o && i+2 < len(argv):
					v = argv[i+2]
				case strings.HasPrefix(t.s, o+"=") && strings.HasPrefix(o, "--"):
					v = tok{s: strings.TrimPrefix(t.s, o+"="), dyn: t.dyn, w: t.w}
				case len(o) == 2 && strings.HasPrefix(t.s, o) && len(t.s) > 2 && !strings.HasPrefix(t.s, "--"):
					v = tok{s: t.s[2:], dyn: t.dyn, w: t.w}
				default:
					continue
				}
				if inline(v) || !v.dyn && a.lineWritten[a.resolve(v.s)] {
					// <(…), or a file the line writes (printf … > mk; make
					// -f mk: review hook111).
					a.refuse("`%s`: %s reads code from %s, which the line fills: the hook cannot read it", truncateTok(argv), o, v)
					return true
				}
			}
		}
	}
	if p.interp && p.judge != nil && key != "awk" && key != "sed" {
		// The interpreter's script operand (python3 <(…), node /dev/fd/3).
		opts, _, rest := p.options(argv[1:])
		if len(rest) > 0 && p == programs["python"] && hasOpt(opts, "m") && a.moduleNumber(rest[0]) {
			// python3 -m http.server 8000, -m pytest -n 4: the number is
			// the module's argument, a file of that name in the working
			// directory at most, not a descriptor (review hook156 F2).
			return false
		}
		if len(rest) > 0 && (rest[0].dyn && rest[0].w != nil && hasProcSubst(rest[0].w) || otherFD(rest[0])) {
			a.refuse("`%s` runs code from %s, which the line fills: the hook cannot read it", truncateTok(argv), rest[0])
			return true
		}
	}
	return false
}

// moduleNumber reports whether a word after python's -m MODULE is a bare
// number naming no descriptor: devCanonical takes one for /dev/fd/N only
// where a cd may have gone to /dev/fd, and this line has none, nor does
// its working directory lie under /dev or /proc.
func (a *analyzer) moduleNumber(t tok) bool {
	if t.dyn || !isNumber(t.s) || a.cwdUnknown || a.cdComputed {
		return false
	}
	c := path.Clean(a.opts.Cwd)
	return c != "/dev" && c != "/proc" && !strings.HasPrefix(c, "/dev/") && !strings.HasPrefix(c, "/proc/")
}

func hasProcSubst(w *syntax.Word) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		if _, ok := n.(*syntax.ProcSubst); ok {
			found = true
		}
		return !found
	})
	return found
}

// opt is one option as a program reads it: its name (a letter, or a long
// name without the dashes) and its value, when it takes one.
type opt struct {
	name string
	val  tok
}

// options reads a command line's leading options as the row describes
// them and returns them with the operands that follow. "--" ends the
// options; a split option (env -S) ends them too, its operands are the
// words after it.
func (p *program) options(args []tok) (opts []opt, sets []string, operands []tok) {
	for i := 0; i < len(args); i++ {
		t := args[i]
		s := t.s
		switch {
		case t.dyn && !strings.HasPrefix(s, "-"):
			return opts, sets, args[i:]
		case s == "--":
			return opts, sets, args[i+1:]
		case strings.HasPrefix(s, "--"):
			n, v, hasValue := strings.Cut(s[2:], "=")
			if !t.dyn || hasValue {
				n, _ = p.resolveLong(n) // --sp is --split-string (longopts.go)
			}
			o := opt{name: n}
			if hasValue {
				o.val = tok{s: v, dyn: t.dyn}
			} else if p.takesValue(n) && i+1 < len(args) {
				i++
				o.val = args[i]
			}
			opts = append(opts, o)
			if contains(p.split, n) {
				return opts, sets, args[i+1:]
			}
		case strings.HasPrefix(s, "-") && len(s) > 1:
			// A cluster: the first valued letter takes the rest of the
			// word or the next one.
			for j := 1; j < len(s); j++ {
				o := opt{name: s[j : j+1]}
				if strings.Contains(p.optDigits, o.name) {
					// perl -l012e: digits, then more options.
					d := optDigitsAt(s[j], s[j+1:])
					if d != "" {
						o.val = tok{s: d}
					}
					opts = append(opts, o)
					j += len(d)
					continue
				}
				if strings.Contains(p.opt, o.name) {
					// An optional value: only the rest of this word (which
					// may be computed: sed -i"$S").
					if j < len(s)-1 || t.dyn {
						o.val = tok{s: s[j+1:], dyn: t.dyn}
					}
					opts = append(opts, o)
					break
				}
				if p.takesValue(o.name) {
					if j < len(s)-1 {
						o.val = tok{s: s[j+1:], dyn: t.dyn}
					} else if i+1 < len(args) {
						i++
						o.val = args[i]
					}
					opts = append(opts, o)
					if contains(p.split, o.name) {
						return opts, sets, args[i+1:]
					}
					break
				}
				opts = append(opts, o)
			}
		case p.assigns && !t.dyn && strings.Contains(s, "=") && (isName(strings.SplitN(s, "=", 2)[0]) || strings.HasPrefix(s, "BASH_FUNC_")):
			sets = append(sets, s)
		default:
			return opts, sets, args[i:]
		}
	}
	return opts, sets, nil
}

// takesValue reports whether an option (a letter or a long name) takes
// a value: it is listed as valued, or its value is code, a directory, a
// setting.
func (p *program) takesValue(name string) bool {
	if len(name) == 1 && strings.Contains(p.opt, name) || contains(p.optLong, name) {
		return false
	}
	if len(name) == 1 && strings.Contains(p.short, name) || contains(p.long, name) {
		return true
	}
	if len(name) == 1 && strings.Contains(p.optDigits, name) {
		return false
	}
	for _, l := range [][]string{p.code, p.opaque, p.chdir, p.split, p.again, p.keyed, p.outs, p.pipes, p.progs, p.filters} {
		if contains(l, name) {
			return true
		}
	}
	return false
}

// permuted reads options the way GNU getopt does by default: between
// operands too, up to a "--".
func (p *program) permuted(args []tok) []opt {
	var all []opt
	for len(args) > 0 {
		opts, _, rest := p.options(args)
		all = append(all, opts...)
		if n := len(args) - len(rest); len(rest) == 0 || n > 0 && args[n-1].s == "--" {
			break
		}
		args = rest[1:]
	}
	return all
}

// reentered moves the options OpenSSH reads after the host (ssh.c parses
// its options again there: `ssh HOST -o ProxyCommand=… CMD`) before it,
// so the row reads them (review hook34 F3).
func (p *program) reentered(args []tok) []tok {
	_, _, rest := p.options(args)
	n := len(args) - len(rest)
	if len(rest) < 2 || n > 0 && args[n-1].s == "--" && !args[n-1].dyn {
		return args
	}
	_, _, after := p.options(rest[1:])
	more := rest[1 : len(rest)-len(after)]
	if len(more) == 0 {
		return args
	}
	out := append(append([]tok{}, args[:n]...), more...)
	out = append(out, rest[0])
	return append(out, after...)
}

// walk judges a call by its row: the options it runs as code, the
// directory it changes to, and what its operands run.
func (a *analyzer) walk(p *program, name string, c call) kind {
	if p.reenter {
		c.argv = append([]tok{c.argv[0]}, p.reentered(c.argv[1:])...)
	}
	args := c.argv[1:]
	opts, sets, rest := p.options(args)
	if p.permute {
		opts = p.permuted(args)
	}
	if a.unknownOption(p, name, c, opts) {
		return kindOther
	}
	for _, o := range opts {
		if prog, ok := p.becomes[o.name]; ok {
			// sudo -e FILE…: sudoedit FILE…, a writer of its operands.
			return a.run(c.inner(append([]tok{{s: prog}}, rest...)))
		}
	}
	if p.assigns && len(rest) > 0 && rest[0].dyn && rest[0].kind != dynGlob {
		a.unknownEnv = true // env "$X" cmd: X may be NAME=VALUE
	}
	for _, s := range sets {
		k, v, _ := strings.Cut(s, "=")
		a.evalText(k, tok{s: v})
		a.envSet(k, tok{s: v}, c.depth)
		c.assigns = append(c.assigns, k)
	}
	// Where the command runs, first: the code options run there too.
	for _, o := range opts {
		if contains(p.chdir, o.name) || contains(p.moves, o.name) {
			// env -C DIR, sudo -D DIR, mise --cd DIR: the directory, from
			// the one before (unknown after an unknown one, a chroot).
			dir, known := "", c.chdir == "" || c.dir != ""
			if v := o.val; (o.name == "C" || o.name == "chdir" || o.name == "D" || o.name == "cd") && name != "chpst" &&
				!v.dyn && v.s != "" && !strings.HasPrefix(v.s, "~") && (known || path.IsAbs(v.s)) {
				dir = path.Join(c.dir, v.s)
				if path.IsAbs(v.s) {
					dir = path.Clean(v.s)
				}
			}
			c.chdir, c.dir = name+" "+dashed(o.name), dir
		}
	}
	if contains(p.moves, "-") && len(rest) > 0 && rest[0].s == "-" && !rest[0].dyn {
		c.chdir, c.dir, rest = name+" -", "", rest[1:] // su - USER: a login shell, in USER's home
	}
	if p.newDir && len(rest) > 0 {
		c.chdir, c.dir = name+" "+rest[0].String(), ""
		if name == "chroot" && (rest[0].dyn || path.Clean(a.resolve(rest[0].s)) != "/") && a.writeDest(c.argv, rest[0], true) {
			// chroot .. /bb rm /planguard.hcl: absolute paths inside are
			// the new root's (review hook122 M3): a root holding a
			// protected file is refused.
			return kindOther
		}
	}
	a.outer.chdir, a.outer.dir = c.chdir, c.dir
	line := false
	for _, o := range opts {
		if name == "mv" && o.name == "exchange" {
			// mv --exchange swaps two trees: the destination moves too,
			// as a source does (review hook129 M2).
			a.refuse("`%s`: --exchange swaps the source and the destination, so the destination (which may hold the state, the policy or the home directory) moves too: move files one way", truncateTok(c.argv))
			return kindOther
		}
		if p == programs["env"] && (o.name == "u" || o.name == "unset") {
			a.envTouched = append(a.envTouched, o.val.s) // read by finish, whatever its form ($'\x65nv' -u NAME)
		}
		switch {
		case contains(p.prints, "-"+o.name) || contains(p.prints, "--"+o.name):
			return kindBenign
		case contains(p.argv, o.name):
			line = true
		case contains(p.opaque, o.name):
			a.refuse("`%s`: %s runs code the hook cannot read", truncateTok(c.argv), dashed(o.name))
		case contains(p.pipes, o.name) && !o.val.dyn && (strings.HasPrefix(o.val.s, "|") || strings.HasPrefix(o.val.s, "!")):
			// strace -o '|CMD': the output goes to a shell command line.
			a.script(o.val.s[1:], c.depth+1)
		case contains(p.progs, o.name):
			a.runsOnWritten(p, name, c, o)
		case contains(p.filters, o.name):
			a.filterProgram(c, o)
		case contains(p.envs, o.name):
			if k, _, ok := strings.Cut(o.val.s, "="); !ok && !o.val.dyn {
				a.envTouched = append(a.envTouched, k) // strace -E NAME unsets it (review hook117 H1)
			}
			if k, v, ok := strings.Cut(o.val.s, "="); ok || o.val.dyn {
				if o.val.dyn && !ok || !isName(k) {
					a.refuse("`%s`: %s sets an environment variable the hook cannot read (%s)", truncateTok(c.argv), dashed(o.name), o.val)
				} else {
					a.envSet(k, tok{s: v, dyn: o.val.dyn}, c.depth)
				}
			}
		case contains(p.envNames, o.name):
			if o.val.dyn || !isName(o.val.s) {
				a.refuse("`%s`: %s names a variable computed at run time", truncateTok(c.argv), dashed(o.name))
			} else {
				a.envSet(o.val.s, tok{s: "0", dyn: true}, c.depth)
			}
		case contains(p.jump, o.name):
			a.setting(truncateTok(c.argv), "ProxyJump", o.val, settingJump, c.depth)
		case contains(p.keyed, o.name):
			k, v, ok := strings.Cut(o.val.s, "=")
			if !ok {
				k, v, _ = strings.Cut(strings.TrimSpace(o.val.s), " ")
			}
			if len(p.jump) > 0 {
				k, v = sshOption(o.val.s) // ssh, scp, sftp -o
			}
			how := lookupSetting(p.keys, strings.ToLower(strings.TrimSpace(k)))
			if o.val.dyn && how == "" && !strings.Contains(o.val.s, "=") {
				how = settingRefuse // the key itself is computed
			}
			a.setting(truncateTok(c.argv), k, tok{s: strings.TrimSpace(v), dyn: o.val.dyn}, how, c.depth)
			a.keyedWrite(p, c.argv, k, tok{s: strings.TrimSpace(v), dyn: o.val.dyn}) // filevars.go
		case contains(p.again, o.name):
			if o.val.dyn {
				a.refuse("`%s`: %s expands a value computed at run time, running what it holds", truncateTok(c.argv), dashed(o.name))
			} else {
				a.script(": "+o.val.s, c.depth+1)
			}
		case contains(p.split, o.name):
			if o.val.dyn {
				a.refuse("`%s -%s %s`: runs a command computed at run time", name, o.name, o.val)
				return kindOther
			}
			if strings.ContainsAny(o.val.s, "\\$#\n\r\t\v\f") {
				// env -S: a # ends the string only (the words after it
				// still go to the program), a newline is a space (review
				// hook62 H1: env -S '#' terraform destroy).
				// env -S has escapes of its own (\_ is a space) and ${VAR}:
				// the shell would read the text otherwise.
				a.refuse("`%s -%s %q`: the string holds escapes, variables, a # or a line break, which env reads otherwise than a shell (a # ends only the string; the words after it still run)", name, o.name, o.val.s)
				return kindOther
			}
			// env puts the split words back among its own arguments and
			// goes on reading options: judged as env given them (review
			// hook63 H3: env -S-S 'terraform destroy' splits twice).
			a.script("env "+o.val.s+" "+shellJoin(rest), c.depth+1)
			return kindWrapper
		case contains(p.code, o.name):
			// A program's command option runs the text with /bin/sh
			// (git's --exec, --upload-pack…; flock and script with $SHELL,
			// /bin/sh when unset): judged in the POSIX reading too (review
			// hook61 H2, M1).
			a.posixNext = true
			a.scriptTok(o.val, name+" -"+o.name, c.depth)
			a.posixNext = false
		}
	}
	if name == "tar" && (hasOpt(opts, "rsh-command") || hasOpt(opts, "rmt-command")) {
		a.tarRemote(c, opts)
	}
	if len(rest) >= p.skip {
		rest = rest[p.skip:]
	} else {
		rest = nil
	}
	if p.sub != nil && (p.runs == runsCommand || p.runs == runsDashDash) && len(rest) > 0 && rest[0].dyn && (rest[0].kind == dynLine || rest[0].kind == dynOutput || rest[0].kind == dynInput) {
		// tenv $x, echo tf destroy | xargs tenv: the subcommand, which
		// may run terraform, is computed.
		a.refuse("`%s`: the subcommand of %s is computed at run time (%s) and may run a Terraform-family program, which the hook cannot follow: write it as literal text", truncateTok(c.argv), name, srcOf(rest[0]))
		return kindOther
	}
	if p.sub != nil && len(rest) > 0 && !rest[0].dyn {
		if prog, ok := p.sub[rest[0].s]; ok {
			next := rest[1:]
			if prog != "" {
				next = append([]tok{{s: prog}}, next...)
			}
			return a.run(c.inner(next))
		}
	}
	runs := p.runs
	if line {
		runs = runsCommand
	}
	switch runs {
	case runsCommand:
		if p.sub != nil {
			return kindOther // tenv list: not a program
		}
		if len(rest) == 0 {
			if t, ok := inputTok(args); ok {
				// xargs timeout, xargs sudo -u: the words read fill the
				// wrapper's own operand, and the next ones are the program.
				a.refuse("`%s`: %s runs a program, and the words %s reads at run time fill its operands (%s) and may name that program, which the hook cannot see: name the program in the command", truncateTok(c.argv), name, orWord(c.each, "xargs or find"), srcOf(t))
				return kindOther
			}
			if len(p.shellOpts) > 0 && hasOpt(opts, p.shellOpts...) {
				return a.asShell(c, tok{}, nil) // echo CMD | sudo -s
			}
			if shellWithoutCommand[name] && a.stdinFed(c) {
				// unshare, chroot… with no program start $SHELL, which
				// reads what the line feeds them (review hook78 H3).
				return a.asShell(c, tok{}, nil)
			}
			return kindBenign // env, sudo -l: prints
		}
		if p.assigns && rest[0].dyn {
			// env "$X" terraform init: $X may be a NAME=VALUE, and what
			// follows the program.
			i := 0
			for i < len(rest) && rest[i].dyn {
				if rest[i].kind == dynInput {
					// xargs env -i PATH="$PATH": the words read follow.
					return a.run(c.inner(rest[i:]))
				}
				i++
			}
			a.run(c.inner(rest[i:]))
		}
		return a.run(c.inner(rest))
	case runsDashDash:
		if name == "nix" {
			a.nixRun(c, args)
		}
		for i, t := range args {
			if (t.s == "--" || contains(p.then, t.s)) && !t.dyn {
				return a.run(c.inner(args[i+1:]))
			}
		}
		// nix shell P --command CMD, mise x -- …: without a `--`, judged as
		// an unknown program's arguments are.
		a.generic(name, c)
	case runsLine:
		if len(rest) > 0 {
			// watch runs its command with /bin/sh -c, ssh with the remote
			// login shell: the POSIX reading too (review hook61 H3); eval
			// is bash's own.
			a.posixNext = name != "eval"
			a.joined(rest, name, c.depth)
			a.posixNext = false
		} else if p.stdinShell != nil && !hasOpt(opts, p.stdinShell...) {
			// ssh HOST <<<CMD: a shell there (maybe this machine) reads it.
			a.asShell(c, tok{}, nil)
		}
	case runsFirst:
		if len(rest) > 0 {
			if name == "trap" {
				// The trap's code runs later, with the values the line
				// leaves (deferred.go), in this shell: a file mktemp made
				// is still the one its variable names (trap 'rm -rf
				// "$tmp"' EXIT: review hook85).
				defer func(was bool, d int) { a.deferred, a.sameShellDepth = was, d }(a.deferred, a.sameShellDepth)
				a.deferred, a.sameShellDepth = true, c.depth+1
			}
			a.scriptTok(rest[0], name, c.depth)
		}
	case runsArgs:
		if !p.reader {
			a.generic(name, c)
		}
	}
	return p.kind
}

// unknownOption refuses an option a closed row does not list: the
// program may read a value after it, and the command it runs then starts
// at another word than the hook's (sudo --attr X terraform …), or the
// option may do what the hook does not see. It reports whether it refused.
func (a *analyzer) unknownOption(p *program, name string, c call, opts []opt) bool {
	if !p.closed {
		return false
	}
	for _, o := range opts {
		if !p.knows(o.name) {
			a.refuse("`%s`: %s is not an option of %s the hook knows (it may take a value, and then the command %s runs starts at another word): spell the options as %s --help lists them, in full", truncateTok(c.argv), dashed(o.name), name, name, name)
			return true
		}
	}
	return false
}

// knows reports whether a row lists an option (a letter, or a long name
// as resolveLong left it).
func (p *program) knows(name string) bool {
	if name == "" {
		return false
	}
	if p.digits && strings.Trim(name, "0123456789+-") == "" {
		return true // nice -5, --5, -+5
	}
	if len(name) == 1 && strings.Contains(p.short+p.opt+p.optDigits+p.shortFlags, name) {
		return true
	}
	if len(name) > 1 {
		return contains(p.longNames(), name)
	}
	for _, l := range [][]string{p.code, p.opaque, p.again, p.keyed, p.chdir, p.moves, p.split, p.argv, p.outs, p.pipes, p.progs, p.filters} {
		if contains(l, name) {
			return true
		}
	}
	return false
}

// dashed is an option's name as written: -C, --chdir.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// generic judges a program the hook does not know that may run its
// arguments as a command (aws-vault exec prod -- terraform destroy, op
// run --, direnv exec ., chrt, systemd-run, tmux new …): a Terraform-family
// program among its arguments followed by a refused subcommand is refused,
// and signing in the approval namespace too.
//
// A shell or an interpreter among its arguments (prlimit --nofile=1024
// sh -c '…', unshare -r sh -c '…') is judged from there on, as the
// program it most likely runs.
func (a *analyzer) generic(name string, c call) {
	a.unknownRuns(name, c) // wrappers.go
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

// runsOnWritten judges an option whose value is a program the command
// runs on each file it writes (install --strip-program=PROG runs
// `PROG DEST`): each such call is judged as written there.
// plainCompressors are the programs a filter option (sort
// --compress-program) may name: they compress, or with -d decompress,
// their standard input and run none of it.
var plainCompressors = map[string]bool{"gzip": true, "bzip2": true, "xz": true, "zstd": true, "lz4": true, "lzop": true, "pigz": true}

// ownWords are the words of argv a program reads as its own: a wrapper's
// up to the word where the command it runs starts (a glob there may be an
// option: env [-]S…), the command being judged apart.
func ownWords(p *program, name string, argv []tok) []tok {
	switch p.runs {
	case runsCommand, runsDashDash, runsLine, runsFirst:
		_, _, rest := p.options(argv[1:])
		return argv[:min(len(argv), len(argv)-len(rest)+1)]
	}
	if i, _ := execProgram(name, argv); i > 0 {
		return argv[:i+1]
	}
	return argv
}

// otherNames are other names of programs the hook judges, as the program
// and words it stands for.
var otherNames = map[string][]tok{
	"editor": {{s: "vim"}}, "vim.basic": {{s: "vim"}}, "vim.tiny": {{s: "vim"}},
	"vim.nox": {{s: "vim"}}, "vim.gtk3": {{s: "vim"}}, "nvim.appimage": {{s: "nvim"}},
	"pager": {{s: "less"}}, "slogin": {{s: "ssh"}}, "gdbtui": {{s: "gdb"}}, "gdb-multiarch": {{s: "gdb"}},
	"pdb": {{s: "python3"}, {s: "-m"}, {s: "pdb"}}, "pdb3": {{s: "python3"}, {s: "-m"}, {s: "pdb"}},
	"sem": {{s: "parallel"}, {s: "--semaphore"}},
}

// launchers run the command an environment variable names, with the
// line's arguments added (review hook46 H2).
var launchers = map[string]bool{"sensible-editor": true, "sensible-pager": true, "sensible-browser": true, "xdg-open": true,
	"open": true, "see": true, "edit": true, "run-mailcap": true, "x-www-browser": true, "www-browser": true, "select-editor": true}

// launcherAs are the programs a launcher's arguments are judged for.
var launcherAs = map[string]string{"sensible-editor": "vim", "edit": "vim", "select-editor": "vim", "sensible-pager": "less"}

// launcherVars are the variables launchers read their command from.
var launcherVars = []string{"VISUAL", "EDITOR", "SELECTED_EDITOR", "PAGER", "BROWSER", "MANPAGER", "GIT_EDITOR"}

// procProgram reports whether a program path may name a process's binary
// through /proc: /proc/self/exe is the running shell, reached also by a
// relative path, a cd, /dev/fd/../exe or PATH (review hook43 H3, hook44
// H1).
func procProgram(s string) bool {
	switch b := baseName(s); {
	case b == "exe", b == "stdin", b == "stdout", b == "stderr", isNumber(b):
		// /dev/fd/3 after 3</bin/bash, PATH=/dev stdin (review hook45 H2).
		return true
	}
	if c := path.Clean(s); strings.HasPrefix(c, "/dev/") || strings.Contains(s, "/dev/fd") || strings.Contains(s, "/dev/std") {
		return true
	}
	for _, c := range strings.Split(s, "/") {
		if c == "proc" {
			return true
		}
	}
	return false
}

// hasArgv0 reports whether the dynamic loader is given --argv0.
func hasArgv0(argv []tok) bool {
	for _, t := range argv[1:] {
		if t.dyn || t.s == "--argv0" || strings.HasPrefix(t.s, "--argv0=") {
			return true
		}
	}
	return false
}

// globMatchesDots reports whether a component of a glob pattern may match
// `.` or `..` in a shell that does not skip them (review hook42 H3).
func globMatchesDots(pattern string) bool {
	for _, c := range strings.Split(pattern, "/") {
		// A leading period is matched only by a literal one.
		if !strings.HasPrefix(c, ".") || !strings.ContainsAny(c, "*?[") {
			continue
		}
		for _, d := range []string{".", ".."} {
			if ok, _ := path.Match(c, d); ok {
				return true
			}
		}
	}
	return false
}

// globFlagsOnly are programs whose options are flags that change nothing
// the hook judges for the names a pattern matches (rm -f *.log: a file
// named -rf.log is no option rm has, and an option it has, -r, reaches
// only what the pattern matched).
var globFlagsOnly = map[string]bool{"rm": true, "rmdir": true, "unlink": true, "mkdir": true}

// globOptions refuses a glob that may expand to an option where one may
// stand (review hook40 H1): bash expands [-]c to -c when a file named -c
// exists, and the line may make it (touch ./-c; python3 [-]c CODE). After
// a literal `--` it names files only. A reader's options read no code and
// write nothing (ls *, grep x *).
func (a *analyzer) globOptions(argv []tok) bool {
	for _, t := range argv[1:] {
		if t.s == "--" && !t.dyn {
			return false
		}
		if t.dyn && t.kind == dynGlob && t.w != nil && mayStartWithDash(globPattern(t.w)) {
			a.refuse("`%s`: %s may expand to an option (a file named like -c or -o makes it one, and the line may create it): write ./ before the pattern, or put it after --", truncateTok(argv), srcOf(t))
			return true
		}
		if t.dyn && t.kind == dynGlob && t.w != nil && globMatchesDots(globPattern(t.w)) {
			a.refuse("`%s`: %s has a part that may match `..` (dash, bash before 5.2, or without globskipdots: .?/planguard.hcl is ../planguard.hcl): name the directory", truncateTok(argv), srcOf(t))
			return true
		}
	}
	return false
}

// tarRemote judges tar's remote archive programs (review hook35): for
// an archive HOST:PATH, tar runs --rsh-command (rsh, which is ssh on most
// systems) as `PROG HOST [-l USER] RMT`, where RMT is --rmt-command (/etc/rmt), the
// command that shell runs on HOST, which may be this machine. It is judged
// as that command line; a computed program or command is refused.
func (a *analyzer) tarRemote(c call, opts []opt) {
	prog, host, user, rmt := "ssh", "HOST", "", "/etc/rmt"
	for _, o := range opts {
		switch o.name {
		case "rsh-command", "rmt-command":
			if o.val.dyn {
				a.refuse("`%s`: %s is computed at run time, and tar runs it for a remote archive: spell it out", truncateTok(c.argv), dashed(o.name))
				return
			}
			if o.name == "rsh-command" {
				prog = o.val.s
			} else {
				rmt = o.val.s
			}
		case "f", "file":
			if h, _, ok := strings.Cut(o.val.s, ":"); ok && !o.val.dyn && h != "" && !strings.Contains(h, "/") {
				host = h[strings.LastIndex(h, "@")+1:]
				if i := strings.LastIndex(h, "@"); i >= 0 {
					user = h[:i] // USER@HOST: RSH HOST -l USER RMT
				}
			}
		}
	}
	argv := []tok{{s: prog}, {s: host}}
	if user != "" {
		argv = append(argv, tok{s: "-l"}, tok{s: user})
	}
	a.run(c.inner(append(argv, tok{s: rmt})))
}

// filterProgram refuses a filter option's program unless it is a plain
// compressor named by its bare name or in a system directory: sort -S1
// --compress-program=bash pipes each chunk of the data it sorts into
// bash, which runs it (hook35 F1), and a program the agent wrote or a
// name computed at run time may do the same.
func (a *analyzer) filterProgram(c call, o opt) {
	if o.val.dyn {
		a.refuse("`%s`: %s runs a program computed at run time (%s) on the data, which may run it as code: name a compressor (gzip, zstd, xz…)", truncateTok(c.argv), dashed(o.name), srcOf(o.val))
		return
	}
	dir, base := path.Split(o.val.s)
	switch strings.TrimSuffix(dir, "/") {
	case "", "/bin", "/usr/bin", "/usr/local/bin", "/opt/homebrew/bin":
		if plainCompressors[base] {
			return
		}
	}
	a.refuse("`%s`: %s runs %s with the data on its standard input, and a shell or interpreter there runs the data as code: name a compressor (gzip, bzip2, xz, zstd, lz4, lzop, pigz)", truncateTok(c.argv), dashed(o.name), o.val.s)
}

func (a *analyzer) runsOnWritten(p *program, name string, c call, o opt) {
	if o.val.dyn {
		a.refuse("`%s`: %s runs a program computed at run time (%s)", truncateTok(c.argv), dashed(o.name), srcOf(o.val))
		return
	}
	opts, ops := p.operands(c.argv[1:])
	dir := ""
	for _, x := range opts {
		if x.name == "d" || x.name == "directory" {
			return // install -d makes directories
		}
		if x.name == "t" || x.name == "target-directory" {
			dir = x.val.s
			if x.val.dyn {
				dir = "\x00"
			}
		}
	}
	var dsts []tok
	join := func(d string, src tok) tok {
		if src.dyn || d == "\x00" {
			return tok{s: "", dyn: true, src: "a path computed at run time"}
		}
		return tok{s: path.Join(d, path.Base(src.s))}
	}
	switch {
	case dir != "":
		for _, s := range ops {
			dsts = append(dsts, join(dir, s))
		}
	case len(ops) >= 2:
		last := ops[len(ops)-1]
		if len(ops) == 2 {
			dsts = append(dsts, last) // a file, or a directory:
		}
		for _, s := range ops[:len(ops)-1] {
			if last.dyn {
				dsts = append(dsts, last)
			} else {
				dsts = append(dsts, join(last.s, s))
			}
		}
	}
	for _, d := range dsts {
		a.run(c.inner([]tok{o.val, d}))
	}
}

// noProgram reports whether a wrapper's arguments name no program: only
// options, numbers and the root directory (chroot /).
func noProgram(args []tok) bool {
	for _, t := range args {
		if t.dyn {
			return false
		}
		if !strings.HasPrefix(t.s, "-") && !isNumber(t.s) && t.s != "/" {
			return false
		}
	}
	return true
}

// shellWithoutCommand are the wrappers that, given no program, start a
// shell (unshare, chroot: $SHELL or /bin/sh; fakeroot, firejail…).
var shellWithoutCommand = map[string]bool{"unshare": true, "chroot": true, "fakeroot": true, "firejail": true,
	"pkexec": true, "nsenter": true, "setpriv": true, "proot": true, "bwrap": true, "systemd-run": true,
	"sudo": true, "doas": true, "su": true, "runuser": true, "sg": true, "newgrp": true, "machinectl": true}

// sshOption splits an ssh -o value as OpenSSH's configuration reader does
// (review hook68 H2): the keyword ends at the first blank or `=` and loses
// its double quotes ("ProxyCommand"=…, `ProxyCommand CMD`, a tab); then
// blanks, one `=` and blanks, and the rest is the value.
func sshOption(s string) (key, val string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t=")
	if i < 0 {
		return strings.ReplaceAll(s, `"`, ""), ""
	}
	key, rest := strings.ReplaceAll(s[:i], `"`, ""), strings.TrimLeft(s[i:], " \t")
	rest = strings.TrimPrefix(rest, "=")
	return key, strings.TrimLeft(rest, " \t")
}

// shellNotBash reports whether the SHELL the agent's commands inherit
// (Options.Shell) is a shell whose grammar the hook does not read: zsh,
// fish… (review hook75 H1).
func (a *analyzer) shellNotBash() bool {
	if a.opts.Shell == "" {
		return false
	}
	switch baseName(a.opts.Shell) {
	case "bash", "sh", "dash", "rbash", "ash":
		return false
	}
	return true
}

// viaShellVar says why a program that hands command text to $SHELL is
// refused when the inherited SHELL is not bash or sh: flock -c, script
// -c, split --filter, entr -s, sudo -s, su/runuser keeping the
// environment (-m, -p) — the hook reads the text as bash, SHELL runs it.
func (a *analyzer) viaShellVar(name string, argv []tok) string {
	if !a.shellNotBash() {
		return ""
	}
	var letters string
	var longs []string
	switch name {
	case "flock", "script":
		letters, longs = "c", []string{"--command", "--c"}
	case "split":
		longs = []string{"--filter", "--fil", "--filt", "--filte"}
	case "entr", "sudo":
		letters, longs = "s", []string{"--shell"}
	case "su", "runuser":
		letters, longs = "mp", []string{"--preserve-environment"}
	case "ssh", "scp", "sftp":
		// OpenSSH runs ProxyCommand, LocalCommand… with $SHELL (review
		// hook78 H4).
		for _, t := range argv[1:] {
			l := strings.ToLower(t.s)
			if t.dyn || strings.Contains(l, "command") {
				return "the agent's SHELL is " + a.opts.Shell + ", and " + name + " runs its command settings (ProxyCommand, LocalCommand) with $SHELL, whose grammar the hook does not read (it reads bash): use ssh -J, or no command setting"
			}
		}
		return ""
	default:
		return ""
	}
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.s == "--" {
			break
		}
		if (name == "sudo" || name == "entr") && !strings.HasPrefix(t.s, "-") {
			break // the command: its own options are not sudo's (sudo apt-get -s)
		}
		if name == "sudo" && len(t.s) == 2 && strings.ContainsRune("ugpChDrtTUR", rune(t.s[1])) {
			i++ // -u USER: a value
			continue
		}
		for _, l := range longs {
			if t.s == l || strings.HasPrefix(t.s, l+"=") {
				return "the agent's SHELL is " + a.opts.Shell + ", and " + name + " runs its command text with $SHELL, whose grammar the hook does not read (it reads bash): run the command directly"
			}
		}
		if len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsAny(t.s[1:], letters) && letters != "" {
			return "the agent's SHELL is " + a.opts.Shell + ", and " + name + " runs its command text with $SHELL, whose grammar the hook does not read (it reads bash): run the command directly"
		}
	}
	return ""
}

// codeFileWritten refuses make, sed or awk reading as code a file the line
// writes, however the option is spelled: in a cluster (sed -nf F, make
// -sf F), gawk's -W e / -We F, or make's default makefile (review
// hook112 H18-H20, M1).
func (a *analyzer) codeFileWritten(key string, argv []tok) bool {
	letters := map[string]string{"make": "f", "sed": "f", "awk": "fEil"}[key]
	longs := map[string][]string{"make": {"file", "makefile"}, "sed": {"file"}, "awk": {"file", "include", "exec", "load"}}[key]
	refuse := func(f string) bool {
		a.refuse("`%s` reads code from %s, which the line writes: the hook cannot read it", truncateTok(argv), f)
		return true
	}
	written := func(t tok) bool {
		if t.dyn {
			return false
		}
		if a.lineWritten[a.resolve(t.s)] {
			return true
		}
		if key != "awk" {
			return false
		}
		// gawk looks a bare name up in AWKPATH (default .:/usr/share/awk,
		// or what the line sets, also as a prefix) and AWKLIBPATH, and
		// tries NAME.awk and NAME.so (review hook117 H6): a bare name
		// matches a file of that name the line writes anywhere.
		if !strings.Contains(t.s, "/") {
			for w := range a.lineWritten {
				if b := path.Base(w); b == t.s || b == t.s+".awk" || b == t.s+".so" {
					return true
				}
			}
			return false
		}
		for _, suf := range []string{".awk", ".so"} {
			if a.lineWritten[a.resolve(t.s+suf)] {
				return true
			}
		}
		return false
	}
	named := false
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		if !t.dyn && strings.HasPrefix(t.s, "--") && len(t.s) > 3 {
			// --file=F, --include F and getopt's unique prefixes (--inc).
			n, v, hasVal := strings.Cut(t.s[2:], "=")
			for _, l := range longs {
				if len(n) < 2 || !strings.HasPrefix(l, n) {
					continue
				}
				named = named || l == "file" || l == "makefile"
				val := tok{s: v}
				if !hasVal && i+1 < len(argv) {
					val = argv[i+1]
				}
				if written(val) {
					return refuse(val.s)
				}
				break
			}
			continue
		}
		if t.dyn || !strings.HasPrefix(t.s, "-") || strings.HasPrefix(t.s, "--") || len(t.s) < 2 {
			continue
		}
		if key == "awk" && strings.HasPrefix(t.s, "-W") {
			// gawk -W exec F, -We F, -Wexec=F, -W file F.
			v := strings.TrimPrefix(t.s, "-W")
			if v == "" && i+1 < len(argv) {
				i++
				v = argv[i].s
			}
			name, val, hasVal := strings.Cut(v, "=")
			if name != "" && (strings.HasPrefix("exec", name) || strings.HasPrefix("file", name) || strings.HasPrefix("include", name)) {
				named = true
				if !hasVal && i+1 < len(argv) {
					val = argv[i+1].s
				}
				if written(tok{s: val}) {
					return refuse(val)
				}
			}
			continue
		}
		for j := 1; j < len(t.s); j++ {
			if strings.IndexByte(letters, t.s[j]) < 0 {
				continue
			}
			named = named || t.s[j] == 'f'
			v := tok{s: t.s[j+1:]}
			if v.s == "" && i+1 < len(argv) {
				v = argv[i+1]
			}
			if written(v) {
				return refuse(v.s)
			}
			break
		}
	}
	if key == "make" && !named {
		// The default makefile in the directory make runs in: after a cd,
		// or -C DIR (review hook114 H7, H8).
		// -C in a cluster (-sCd, -wC d) and --directory's unique
		// prefixes (--dir d) as make reads them (review hook131 H5); each
		// -C is also taken relative to the ones before it (-C a -C b is
		// a/b).
		dirs := []string{"."}
		cur := "."
		addDir := func(d string) {
			dirs = append(dirs, d)
			if path.IsAbs(d) {
				cur = d
			} else {
				cur = path.Join(cur, d)
			}
			dirs = append(dirs, cur)
		}
		for i := 1; i < len(argv); i++ {
			t := argv[i]
			if t.s == "--" {
				break
			}
			if n, v, hasVal := strings.Cut(strings.TrimPrefix(t.s, "--"), "="); strings.HasPrefix(t.s, "--") && len(n) >= 2 && strings.HasPrefix("directory", n) {
				if !hasVal && i+1 < len(argv) {
					i++
					v = argv[i].s
				}
				addDir(v)
				continue
			}
			if len(t.s) < 2 || t.s[0] != '-' || t.s[1] == '-' {
				continue
			}
			for j := 1; j < len(t.s); j++ {
				if t.s[j] != 'C' {
					if strings.IndexByte("fIoW", t.s[j]) >= 0 {
						break // the rest is another option's value
					}
					continue
				}
				v := t.s[j+1:]
				if v == "" && i+1 < len(argv) {
					i++
					v = argv[i].s
				}
				addDir(v)
				break
			}
		}
		for _, base := range a.cdDirs("") {
			for _, d := range dirs {
				for _, m := range []string{"GNUmakefile", "makefile", "Makefile"} {
					p := path.Join(d, m)
					if !path.IsAbs(p) {
						p = path.Join(base, p)
					}
					if a.lineWritten[path.Clean(p)] {
						return refuse(p)
					}
				}
			}
		}
	}
	return false
}

// nixRun judges nix run INSTALLABLE [--] ARGS: the installable's program
// (nixpkgs#opentofu is tofu, .#terraform terraform) with the words after
// it (review hook124 M1).
func (a *analyzer) nixRun(c call, args []tok) {
	for i, t := range args {
		if t.dyn || t.s != "run" {
			continue
		}
		for j := i + 1; j < len(args); j++ {
			u := args[j]
			if u.dyn {
				a.refuse("`%s`: the installable is computed at run time, and nix runs its program", truncateTok(c.argv))
				return
			}
			if u.s == "--expr" || u.s == "--file" || u.s == "-f" || strings.HasPrefix(u.s, "--expr=") {
				a.refuse("`%s`: nix run of an expression or file, whose program the hook cannot name: run the program by its installable", truncateTok(c.argv))
				return
			}
			if strings.HasPrefix(u.s, "-") {
				continue
			}
			prog := u.s
			if k := strings.LastIndex(prog, "#"); k >= 0 {
				prog = prog[k+1:]
			}
			// nixpkgs#terraform.out, #terraform^out: an output of the
			// package (review hook125 M3).
			if k := strings.IndexAny(prog, ".^"); k > 0 {
				prog = prog[:k]
			}
			rest := args[j+1:]
			if len(rest) > 0 && rest[0].s == "--" && !rest[0].dyn {
				rest = rest[1:]
			}
			a.run(c.inner(append([]tok{{s: packageProgram(prog)}}, rest...)))
			return
		}
		return
	}
}
