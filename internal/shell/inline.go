package shell

import (
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Code handed to a program in an option the interpreter rows do not list
// as code: perl -M (compiled as `use …;`), node --import of a data: URL,
// python -m timeit's statements, make --eval; the same through the
// environment (PERL5OPT, NODE_OPTIONS, MAKEFLAGS). And the Terraform
// family under names the hook cannot read: terragrunt fed standard input,
// a computed program fed an init's answers.

func init() {
	// The option table only resolves abbreviations (make --ev is --eval,
	// longopts.go); makeJudge reads the line itself.
	mk := &program{judge: (*analyzer).makeJudge, permute: true, short: "CfIoWE",
		long:   []string{"directory", "file", "makefile", "include-dir", "old-file", "assume-old", "new-file", "assume-new", "what-if", "eval"},
		danger: []string{"eval", "file", "makefile"},
		flags: []string{"always-make", "environment-overrides", "debug", "help", "ignore-errors", "jobs", "keep-going", "load-average",
			"max-load", "check-symlink-times", "just-print", "dry-run", "recon", "output-sync", "print-directory", "print-data-base",
			"question", "no-builtin-rules", "no-builtin-variables", "silent", "quiet", "no-silent", "stop", "no-keep-going", "touch",
			"trace", "version", "no-print-directory", "warn-undefined-variables", "shuffle"}}
	for _, n := range []string{"make", "gmake", "bmake"} {
		programs[n] = mk
	}
}

// perlModuleRe is a plain module name for -M/-m, with an import list of
// plain words: anything else is Perl code (`-MPOSIX;system …`).
var perlModuleRe = regexp.MustCompile(`^-?[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z0-9_]+)*(=[A-Za-z0-9_,:.-]*)?$`)

// perlBackendOutput reports whether a -M/-m module with its import list
// runs a compiler backend (O, B::…) given an output file: B::Xref's
// -oFILE (-MO=Xref,-oterraform.tfstate,-r: review hook99 H3) and the
// other backends' -o.
func perlBackendOutput(spec string) bool {
	name, list, _ := strings.Cut(strings.TrimPrefix(spec, "-"), "=")
	if name != "O" && !strings.HasPrefix(name, "B::") {
		return false
	}
	for _, item := range strings.Split(list, ",") {
		if strings.HasPrefix(item, "-o") {
			return true
		}
	}
	return false
}

// codeModules are Python modules whose arguments are Python code or
// debugger commands: timeit's statements, pdb's and IPython's -c, idle's -c.
// Also the modules that run another module or a callable named in their
// arguments (runpy, trace --module, cProfile/profile -m, unittest
// code.interact — with arguments that name no test module of the
// project's own), doctest), read code from standard input (asyncio's REPL)
// or load pickles, which are code (review hook56 F1).
var codeModules = map[string]bool{"timeit": true, "pdb": true, "ipdb": true, "code": true, "IPython": true, "idlelib": true, "idlelib.idle": true,
	"runpy": true, "trace": true, "cProfile": true, "profile": true, "doctest": true, "asyncio": true, "pickle": true}

// warningImports reports whether a python warning filter
// (action:message:category:module:line) names its category in a module,
// which python imports to find it (review hook56 F6:
// ignore::unittest.__main__.X runs unittest's main).
func warningImports(v tok) bool {
	if v.dyn {
		return true
	}
	for _, f := range strings.Split(v.s, ",") {
		parts := strings.Split(f, ":")
		if len(parts) > 2 && strings.Contains(parts[2], ".") {
			return true
		}
	}
	return false
}

// urlCode reports whether a module specifier is code in the line itself or
// fetched (data:, http:, https:), not a file.
func urlCode(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(l, "data:") || strings.HasPrefix(l, "http:") || strings.HasPrefix(l, "https:")
}

// inlineOptions refuses inline code in options the interpreter rows read
// as values: perl -M/-m with code, node --import/--require/--loader of a
// data: or http(s): URL, python -m of a module that runs its arguments.
func (a *analyzer) inlineOptions(p *program, name string, argv []tok) bool {
	opts, _, rest := p.options(argv[1:])
	line := truncateTok(argv)
	for _, o := range opts {
		switch {
		case p == programs["perl"] && (o.name == "M" || o.name == "m"):
			if o.val.dyn || !perlModuleRe.MatchString(o.val.s) {
				a.refuse("`%s`: -%s %q is compiled as Perl code (`use %s;`): %s", line, o.name, o.val.s, o.val.s, inlineHint)
				return true
			}
			if perlBackendOutput(o.val.s) {
				a.refuse("`%s`: -%s %s runs a compiler backend that writes its output to the file its -o option names (which may be the state or a protected file): print to standard output", line, o.name, o.val.s)
				return true
			}
		case p == programs["python"] && o.name == "W" && warningImports(o.val):
			a.refuse("`%s`: -W %s names a warning category in a module, which python imports (runs) at start-up: name a built-in category (ignore::DeprecationWarning)", line, o.val)
			return true
		case p == programs["python"] && o.name == "X" && (o.val.dyn || strings.HasPrefix(strings.TrimSpace(o.val.s), "pycache_prefix")):
			// -X pycache_prefix=DIR is PYTHONPYCACHEPREFIX: python loads
			// compiled modules from DIR in place of the standard library's
			// sources (review hook149 H2).
			a.refuse("`%s`: -X %s makes python load compiled modules from the tree it names in place of their sources, code the hook cannot read: leave python's cache where it is", line, o.val)
			return true
		case p == programs["python"] && o.name == "m":
			if o.val.dyn || codeModules[o.val.s] {
				a.refuse("`%s`: python -m %s runs the code or commands its arguments hold: %s", line, o.val, inlineHint)
				return true
			}
			if o.val.s == "unittest" {
				// unittest NAME calls NAME when it is a callable: a
				// standard module's (code.interact) runs what stdin holds.
				for _, t := range rest {
					if t.dyn || strings.Contains(t.s, ".") && !strings.HasPrefix(t.s, "-") && !strings.HasSuffix(t.s, ".py") && !strings.HasPrefix(t.s, "test") {
						a.refuse("`%s`: python -m unittest calls what its arguments name (code.interact reads code from the input): name test files (tests/test_x.py) or use discover", line)
						return true
					}
				}
			}
		}
	}
	if p == programs["node"] || p == programs["deno"] || p == programs["bun"] {
		args := argv[1:]
		for i, t := range args {
			// deno run npm:@jahed/terraform@1 destroy, bun x terraform@1
			// destroy: the package's program with the words after it
			// (review hook125 M2).
			pkg, npm := strings.CutPrefix(t.s, "npm:")
			if !npm && !(p == programs["bun"] && i > 0 && args[i-1].s == "x" && !args[i-1].dyn) || t.dyn {
				continue
			}
			if prog := packageProgram(pkg); toolName(prog) != "" || judgedUnknown[prog] {
				n := len(a.res.Refused)
				a.run(call{argv: append([]tok{{s: prog}}, args[i+1:]...), depth: 1})
				return len(a.res.Refused) > n
			}
		}
		if cdktfNamed(args) {
			// bun x cdktf-cli destroy, deno run npm:cdktf-cli destroy,
			// node node_modules/cdktf-cli/…/cdktf destroy (review hook117
			// H4, L1).
			n := len(a.res.Refused)
			if a.tfWrapperArgs(call{argv: argv}); len(a.res.Refused) > n {
				return true
			}
		}
		for i := 0; i < len(args); i++ {
			t := args[i]
			n, v, has := strings.Cut(t.s, "=")
			switch n {
			case "-r", "--require", "--import", "--loader", "--experimental-loader", "--experimental-default-type", "--test-reporter":
			default:
				continue
			}
			val := tok{s: v, dyn: t.dyn}
			if !has && i+1 < len(args) {
				i++
				val = args[i]
			}
			if val.dyn || urlCode(val.s) || stdinPath(val) || otherFD(val) {
				// --test-reporter=data:… and -r /dev/stdin too (review
				// hook56 F2).
				a.refuse("`%s`: %s %s loads code from the line itself, its input or the network, which the hook cannot read: %s", line, n, val, inlineHint)
				return true
			}
		}
		if len(rest) > 0 && (rest[0].dyn && strings.HasPrefix(rest[0].s, "data") || urlCode(rest[0].s)) {
			a.refuse("`%s` runs code from a URL, which the hook cannot read: %s", line, inlineHint)
			return true
		}
	}
	return false
}

// makeJudge judges make: --eval/-E text is Makefile code whose recipes run
// commands (refused); a command-line variable whose value expands
// ($(shell …), backquotes) or that sets the shell or make's own flags is
// refused; -f - or a makefile the line fills is refused by inlineCodeFile.
// The recipes of a Makefile on disk are out of the hook's sight, like a
// script's lines.
func (a *analyzer) makeJudge(c call) kind {
	args := c.argv[1:]
	line := truncateTok(c.argv)
	if a.makeRuns(line) {
		return kindOther
	}
	afterDash := false
	for _, t := range args {
		if t.s == "--" && !t.dyn && !afterDash {
			// GNU make reads NAME=VALUE words after -- as variables too
			// (review hook100 H5); only options end there.
			afterDash = true
			continue
		}
		s := t.s
		if afterDash && strings.HasPrefix(s, "-") && !t.dyn {
			s = "./" + s // a target named like an option: no option
		}
		switch {
		case t.dyn && a.numberOption(t, "-j", "-l", "--jobs=", "--load-average="):
			// make -j$(nproc): a number (review hook91 false refusal 1).
		case t.dyn && strings.HasPrefix(s, "-"):
			a.refuse("`%s`: a make option computed at run time may be --eval with Makefile code", line)
			return kindOther
		case t.dyn && !strings.Contains(s, "="):
			// make "$(cat v)" x.o: the word may be a variable, whatever
			// its name (COMPILE.c=…), whose value make's recipes run
			// (review hook99 H5).
			a.refuse("`%s`: %s is computed at run time and may be a variable assignment (COMPILE.c=…) or an option, which make's recipes run: write make's arguments out", line, srcOf(t))
			return kindOther
		case s == "--eval" || strings.HasPrefix(s, "--eval="):
			a.refuse("`%s`: --eval is Makefile code whose recipes run commands: %s", line, inlineHint)
			return kindOther
		case len(s) > 1 && s[0] == '-' && s[1] != '-':
			for j := 1; j < len(s); j++ {
				if s[j] == 'E' {
					a.refuse("`%s`: -E is Makefile code whose recipes run commands: %s", line, inlineHint)
					return kindOther
				}
				if strings.IndexByte("CfIoW", s[j]) >= 0 {
					break // the rest is the option's value
				}
			}
		case !strings.HasPrefix(s, "-"):
			k, v, ok := strings.Cut(s, "=")
			k = strings.TrimRight(k, ":+?!")
			if !ok || k == "" && !t.dyn {
				continue
			}
			// Any word with = is a variable to make, whatever its name:
			// COMPILE.c, LINK.o are the ones its built-in rules start
			// their recipes with (review hook99 H5).
			switch {
			case t.dyn || strings.ContainsAny(v, "$`"):
				a.refuse("`%s`: the make variable %s holds an expansion, which make may run ($(shell …)) where it is used", line, k)
				return kindOther
			case k == "SHELL" || k == ".SHELLFLAGS" || k == "MAKEFLAGS" || k == "MAKEFILES" || k == "GNUMAKEFLAGS":
				a.refuse("`%s`: %s changes the shell make runs its recipes with, or the makefiles and flags it reads", line, k)
				return kindOther
			case makeShellText(v):
				// make CC='terraform destroy;' x: make's built-in rules
				// (and any recipe) put the value in a /bin/sh command line
				// (review hook56 F3).
				a.refuse("`%s`: the make variable %s holds shell syntax (%s), and make puts variables into the command lines its rules run with /bin/sh: give it a plain value (CC=clang, CFLAGS=-O2)", line, k, v)
				return kindOther
			case strings.HasSuffix(strings.TrimSuffix(strings.SplitN(s, "=", 2)[0], ":"), "!"):
				// TEX!=CMD: make runs CMD with the shell and takes its
				// output as the value (review hook125 H3).
				a.refuse("`%s`: %s runs a shell command whose output becomes the variable, which a recipe may run: give a plain value", line, k)
				return kindOther
			case makeCommandWords(v) && (len(strings.Fields(v)) > 1 || makeArgsGiven(args, t)):
				// make YACC=terraform YFLAGS='destroy …' foo.c: the
				// built-in rules join variables into one command (review
				// hook125 H1, H2), so a value naming a program the hook
				// judges by name, a wrapper or a writer is refused whole.
				a.refuse("`%s`: the make variable %s names %s, and make's rules put variables together into the command lines they run: give it a plain value (CC=clang, CFLAGS=-O2)", line, k, v)
				return kindOther
			default:
				// make TEX='terraform destroy -auto-approve -backup'
				// foo.dvi: the built-in rules start recipes with $(TEX),
				// $(CC)… (review hook123 H1): the value is judged as the
				// command line it may be (a single word is a value or a
				// program name, judged above: V=1).
				if strings.ContainsAny(v, " \t") {
					a.script(v, c.depth+1)
				}
			}
		}
	}
	return kindOther
}

// makeShellText reports whether a make variable's value holds text
// /bin/sh reads as more than words: ; & | < > ( ) a newline, quotes, a
// backslash or a # (a comment that swallows the rest of the recipe line:
// review hook68 H3, make CC='terraform destroy #' x.o).
func makeShellText(v string) bool {
	return strings.ContainsAny(v, ";&|<>()\n'\"\\#")
}

// makeRuns notes a make the line runs (make, cmake --build) and refuses it
// when the line sets a variable make would expand (makeVar); envSet
// refuses a later one (a function defined before, `make & CC=…`).
func (a *analyzer) makeRuns(line string) bool {
	if a.makeLine == "" {
		a.makeLine = line
	}
	if a.makeVar == "" {
		return false
	}
	a.refuse("`%s`: %s, set in this line, reaches make through the environment, and make expands it as Makefile text (running $(shell …) and backquotes where it is used, or reading the makefiles MAKEFILES names) and puts it into the /bin/sh lines its rules run: give make literal values without `$`, backquotes or shell syntax (; & | # quotes)", line, a.makeVar)
	return true
}

// makeExpands reports whether make, importing a variable's value from the
// environment, may run code it holds: $(…)/${…} or backquotes in the text,
// or a value the line computes from a file, another program's output or
// a variable it set (a variable the environment holds, $HOME, is not).
// local: a shell variable (x=$(nproc)) that make sees only if exported
// before, which a lower-case name is taken not to be.
func makeExpands(val tok, local bool) bool {
	if strings.Contains(val.s, "$(") || strings.Contains(val.s, "${") || strings.Contains(val.s, "`") {
		return true
	}
	if !local && makeCommandWords(val.s) {
		// TEX='terraform destroy -auto-approve -backup' make foo.dvi: a
		// command line a built-in rule starts a recipe with (review
		// hook123 H1), also behind a wrapper (TEX='env terraform …':
		// review hook125 H4).
		return true
	}
	if !local && makeShellText(val.s) {
		// CC='terraform destroy;' make x.o: make's rules put an
		// environment variable in their /bin/sh lines as a command-line
		// one (review hook68 H3).
		return true
	}
	return val.dyn && !local && (val.kind == dynLine || val.kind == dynOutput || val.kind == dynInput)
}

// makeCommandWords reports whether a make variable's value names, in any
// of its words, a program the hook judges by name (Terraform's family, a
// shell, planguard, git), a wrapper that runs its arguments, a writer or
// an interpreter: make's rules put the value into their command lines.
func makeCommandWords(v string) bool {
	for _, w := range strings.Fields(v) {
		b := baseName(w)
		p := lookup(b)
		if toolName(b) != "" || shellProgram(b) || b == "planguard" || b == "git" || p.writes || p.interp || p.judge != nil || judgedUnknown[b] ||
			p.runs == runsCommand || p.runs == runsLine || p.runs == runsFirst || p.runs == runsDashDash {
			return true
		}
		if _, ok := execWrappers[b]; ok {
			return true
		}
	}
	return false
}

// makeArgsGiven reports whether another make variable on the command line
// than self holds arguments a built-in rule may put after a program one
// names (YACC=find YFLAGS='./ -name … -delete': review hook128 H2): a
// value with a blank or starting with a dash. PYTHON=python3 alone gives
// the program nothing but the project's own recipe's words.
func makeArgsGiven(args []tok, self tok) bool {
	for _, t := range args {
		if t.s == self.s || t.dyn || strings.HasPrefix(t.s, "-") {
			continue
		}
		if _, v, ok := strings.Cut(t.s, "="); ok && (strings.ContainsAny(v, " \t") || strings.HasPrefix(v, "-")) {
			return true
		}
	}
	return false
}

// codeEnv judges environment variables that hand a program code: perl's
// PERL5OPT (-M code) and PERL5DB, node's NODE_OPTIONS (--import data:…),
// make's MAKEFLAGS (--eval).
func (a *analyzer) codeEnv(name string, val tok) {
	switch name {
	case "PYTHONWARNINGS":
		if warningImports(val) {
			a.refuse("`%s=%s`: a warning category in a module, which python imports (runs) at start-up", name, val)
		}
	case "PERL5DB":
		a.refuse("`%s=…`: the Perl debugger runs the code it holds", name)
	case "PERL5OPT":
		ok := !val.dyn
		for _, f := range strings.Fields(val.s) {
			// perl reads a word without its dash as if it had one
			// (MPOSIX;system… is -MPOSIX;…: review hook56 F8); -d runs
			// the debugger.
			f = "-" + strings.TrimPrefix(f, "-")
			if strings.HasPrefix(f, "-M") || strings.HasPrefix(f, "-m") {
				ok = ok && perlModuleRe.MatchString(f[2:]) && !perlBackendOutput(f[2:])
			}
			if strings.HasPrefix(f, "-d") {
				ok = false
			}
		}
		if !ok {
			a.refuse("`%s=%s`: perl compiles -M text as code: %s", name, val, inlineHint)
		}
	case "NODE_OPTIONS":
		// node strips quotes in NODE_OPTIONS itself (--import=da"ta:…:
		// review hook56 F2): judged without them; a module read from
		// standard input or a descriptor too.
		unq := strings.ToLower(strings.NewReplacer(`"`, "", `'`, "", `\`, "").Replace(val.s))
		if val.dyn || strings.Contains(unq, "data:") || strings.Contains(unq, "http") || strings.Contains(unq, "/dev/") || strings.Contains(unq, "/proc/") {
			a.refuse("`%s=%s`: node loads modules it names from the line itself or the network: %s", name, val, inlineHint)
		}
	case "MAKEFLAGS", "GNUMAKEFLAGS", "MFLAGS":
		// make takes any unambiguous abbreviation there (--ev=…: review
		// hook56 F7).
		if val.dyn || strings.Contains(val.s, "--ev") || strings.Contains(val.s, "E") || strings.ContainsAny(val.s, "$`") {
			a.refuse("`%s=%s`: make reads Makefile code (--eval) from it", name, val)
		}
	}
}

// initMigrates returns the init flag that copies state into another
// backend (-migrate-state, -force-copy, with any dashes or a value), or a
// glob that may expand to one.
func initMigrates(args []tok) string {
	for _, t := range args {
		if t.dyn && t.w != nil && t.kind == dynGlob && mayStartWithDash(globPattern(t.w)) {
			return srcOf(t) // -[f]orce-copy: a file of that name makes it the flag
		}
		if t.dyn || !strings.HasPrefix(t.s, "-") {
			continue
		}
		f := strings.ToLower(strings.TrimLeft(t.s, "-"))
		if strings.HasPrefix(f, "migrate-state") || strings.HasPrefix(f, "force-copy") {
			return t.s
		}
	}
	return ""
}

// terragruntEnv refuses what terragrunt passes on to the terraform it
// runs that the hook cannot see: standard input (init's migration prompt,
// apply's approval; terragrunt also runs init by itself), TF_CLI_ARGS set
// in the line, and environment names the line computes.
func (a *analyzer) terragruntEnv(c call) bool {
	line := quoteArgs(c.argv)
	if a.unknownEnv {
		a.refuse("`%s`: the line sets environment variables whose names it computes, which may add arguments to the terraform it runs (TF_CLI_ARGS)", line)
		return true
	}
	for _, n := range append(append([]string{}, c.assigns...), a.assigned()...) {
		if strings.HasPrefix(n, "TF_CLI_ARGS") {
			a.refuse("`%s`: %s, set in this line, adds arguments the hook does not see to the terraform terragrunt runs", line, n)
			return true
		}
	}
	if c.fed {
		a.refuse("`%s` passes its standard input to the terraform it runs (init answers yes to a state migration from it): run terragrunt without a pipe, file or here-string on its input", line)
		return true
	}
	return false
}

// computedExtra judges a call whose program name is computed: a variable
// the shell fills from the line is refused; a literal last path component
// ("$DIR"/terraform) is judged as that program; standard input fed to an
// init under such a name is refused.
func (a *analyzer) computedExtra(c call) bool {
	argv, cmd := c.argv, c.argv[0]
	if a.bashFilledProgram(cmd, argv) {
		return true
	}
	if cmd.w != nil && c.depth < maxDepth {
		if b := staticBase(cmd.w); b != "" && a.wraps(b) {
			a.run(c.inner(append([]tok{{s: b}}, argv[1:]...)))
		}
	}
	if c.fed {
		for _, t := range argv[1:] {
			if !t.dyn && strings.EqualFold(t.s, "init") {
				a.refuse("`%s`: a program with a computed name runs init with its standard input fed, which may answer yes to a state migration", truncateTok(argv))
				return true
			}
		}
	}
	return false
}

// Other interpreters the hook does not read, whose code an argument or
// standard input may hold: inline code is refused whatever it says, as
// python -c is (F12 of the hook17 review). Any program not listed here
// given code in an argument is the accepted class of "a quoted string
// handed to a program the hook does not know" (see the guide).
func init() {
	add := func(code []string, names ...string) {
		for _, n := range names {
			programs[n] = &program{judge: (*analyzer).inlineArgs, interp: true, code: code}
		}
	}
	// IPython's -c, and its traitlets spellings of the same.
	add([]string{"-c", "--c", "--code-to-run", "--InteractiveShellApp.code_to_run", "--InteractiveShellApp.exec_lines",
		"--InteractiveShellApp.exec_files", "--InteractiveShellApp.extra_extension", "--InteractiveShellApp.extensions", "-m"}, "ipython", "ipython3")
	add([]string{"-e", "--expr"}, "rscript", "r")
	add([]string{"-e", "-E", "--eval", "--print"}, "julia")
	add([]string{"-c", "--eval", "-e", "-x"}, "guile")
	add([]string{"-eval", "-run", "-s", "-extra"}, "erl")
	add([]string{"-e", "--eval", "-r", "--rpc-eval"}, "elixir", "iex")
	add([]string{"-e"}, "gnuplot")
	add([]string{"-e", "--expression"}, "dc")
	// m4's syscmd and esyscmd run commands; its input is the code.
	add([]string{"-D", "--define"}, "m4", "gm4")
}

// inlineArgs judges an interpreter the hook knows only by its code
// options: any of them, attached or not, is refused, as is code on
// standard input or an option computed at run time.
func (a *analyzer) inlineArgs(c call) kind {
	name := baseName(c.argv[0].s)
	p := programs[strings.ToLower(name)]
	line := truncateTok(c.argv)
	defer a.looseArgs(c.argv) // a script may write the files it is given
	if p == nil {
		a.refuse("`%s`: the hook has no option table for %s: %s", line, name, inlineHint)
		return kindOther
	}
	for _, t := range c.argv[1:] {
		if t.dyn && strings.HasPrefix(t.s, "-") || t.dyn && t.s == "" {
			a.refuse("`%s`: an option computed at run time may hand %s code the hook cannot read: %s", line, name, inlineHint)
			return kindOther
		}
		for _, o := range p.code {
			switch {
			case t.s == o,
				strings.HasPrefix(o, "--") && strings.HasPrefix(t.s, o+"="),
				len(o) == 2 && o[0] == '-' && o[1] != '-' && strings.HasPrefix(t.s, o) && !strings.HasPrefix(t.s, "--"):
				a.refuse("`%s` runs inline %s code (%s) the hook cannot read: %s", line, name, o, inlineHint)
				return kindOther
			}
		}
	}
	if c.fed {
		a.refuse("`%s` reads %s code from its standard input, which the hook cannot read: %s", line, name, inlineHint)
		return kindOther
	}
	// dc -f x.dc, gnuplot x.gp, Rscript x.R of a file the line wrote,
	// whatever its name says: dc in.txt runs in.txt (review hook126 M1).
	if v := a.writtenOperand(c.argv[1:], nil); v != "" {
		a.refuse("`%s` reads %s, which this command line writes, as %s code the hook cannot read: write it with the agent's file tool and run %s in a call of its own", line, v, name, name)
	}
	return kindOther
}

// numberOption reports whether t is one of the options given, written
// out, followed by nothing but a number the line computes: $(nproc) (and
// the other substNumber programs) or a variable the line gives only
// numbers, quoted or not.
func (a *analyzer) numberOption(t tok, opts ...string) bool {
	if t.w == nil || len(t.w.Parts) < 2 {
		return false
	}
	l, ok := t.w.Parts[0].(*syntax.Lit)
	if !ok {
		return false
	}
	found := false
	for _, o := range opts {
		found = found || l.Value == o
	}
	if !found {
		return false
	}
	var number func(p syntax.WordPart) bool
	number = func(p syntax.WordPart) bool {
		switch p := p.(type) {
		case *syntax.CmdSubst:
			return substNumber(p) && !a.numbersRedefined()
		case *syntax.ParamExp:
			return p.Param != nil && simpleParam(p) && a.numberVar(p.Param.Value)
		case *syntax.DblQuoted:
			return len(p.Parts) == 1 && number(p.Parts[0])
		}
		return false
	}
	for _, p := range t.w.Parts[1:] {
		if !number(p) {
			return false
		}
	}
	return true
}
