package shell

import (
	"regexp"
	"strings"
)

// Interpreters: the hook reads shell, and no other language. Inline code
// in a general-purpose language (python -c, perl -e, node -e, ruby -e,
// php -r…) is refused whatever it says: every one of them can start a
// process under a name built at run time ("terra" "form"). awk and sed
// programs are read, since the ways they reach a process are few and
// spelled one way: awk's system(), pipes and @-calls; sed's e command and
// s///e flag.

// interpreter judges a general-purpose language's command line.
func (a *analyzer) interpreter(c call) kind {
	name := baseName(c.argv[0].s)
	p := lookup(name)
	args := c.argv[1:]
	if strings.HasPrefix(name, "pwsh") || strings.HasPrefix(name, "powershell") {
		// PowerShell: -c, -Command, -EncodedCommand, any case, any prefix.
		for _, t := range args {
			if l := strings.ToLower(t.s); t.dyn || strings.HasPrefix(l, "-c") || strings.HasPrefix(l, "-e") || strings.HasPrefix(l, "/c") {
				a.refuse("`%s` runs inline code the hook cannot read: %s", truncateTok(c.argv), inlineHint)
				return kindOther
			}
		}
	}
	if a.unknownInterpOption(p, name, c.argv) || a.interpModes(p, name, c.argv) || a.inlineOptions(p, name, c.argv) {
		return kindOther
	}
	defer a.looseArgs(c.argv) // a script or module may write the files it is given
	opts, _, rest := p.options(args)
	for _, o := range opts {
		if contains(p.code, o.name) {
			a.refuse("`%s` runs inline %s code (%s) the hook cannot read: %s", truncateTok(c.argv), name, dashed(o.name), inlineHint)
			return kindOther
		}
		if (o.name == "f" || o.name == "file") && a.lineWrote(o.val) {
			// expect -f x.exp, php -f x.php of a file the line wrote
			// (review hook128 H1, hook129 H2, M1).
			a.writtenScript(truncateTok(c.argv), "runs the script", o.val.s)
			return kindOther
		}
	}
	if p.sub != nil && len(rest) > 0 {
		if _, ok := p.sub[rest[0].s]; ok {
			a.refuse("`%s` runs inline %s code the hook cannot read: %s", truncateTok(c.argv), name, inlineHint)
			return kindOther
		}
	}
	if len(rest) > 0 && a.lineWrote(rest[0]) && !(p == programs["python"] && hasOpt(opts, "m")) {
		// echo '…' > x.py; python3 x.py: the script is the line's own
		// (after python -m MOD, the word is MOD's argument).
		a.writtenScript(truncateTok(c.argv), "runs the script", rest[0].s)
		return kindOther
	}
	if len(a.lineWritten) > 0 && a.interpLoads(name, c) {
		// node -r ./x.txt, NODE_OPTIONS=--require=./x.txt: node loads a
		// file of any name as JavaScript (review hook125 H5), python a
		// zip of any name on PYTHONPATH (hook128 H4); otherwise python,
		// perl and ruby load only their own kinds (interpSources, below:
		// .pyc, .zip, .pmc… H6, H7). The call's own output is no module.
		own := map[string]bool{}
		if c.st != nil {
			for _, r := range c.st.Redirs {
				if t := a.word(r.Word); r.Word != nil && !t.dyn {
					own[a.resolve(t.s)] = true
				}
			}
		}
		for w := range a.lineWritten {
			if w != "/dev/null" && !own[w] {
				a.refuse("`%s` loads modules or preloads (an option or a path variable) in a line that writes %s, which it may load as code: write it with the agent's file tool and run %s in a call of its own", truncateTok(c.argv), w, name)
				return kindOther
			}
		}
	}
	if exts := interpSources(name); len(exts) > 0 {
		// python3 -m evil, node -r ./x.js, perl -I. -Mx, PYTHONPATH=. with
		// a sitecustomize.py: the interpreter loads a module the line
		// wrote by a name the hook does not resolve to the file (review
		// hook123 H2).
		for w := range a.lineWritten {
			for _, e := range exts {
				if strings.HasSuffix(strings.ToLower(w), e) {
					a.refuse("`%s` runs in a line that writes %s, which %s may load as code (a module, a preload, a startup file): write it with the agent's file tool and run %s in a call of its own", truncateTok(c.argv), w, name, name)
					return kindOther
				}
			}
		}
	}
	if (len(rest) == 0 || rest[0].s == "-" && !rest[0].dyn || stdinPath(rest[0])) && c.fed && !versionOnly(p, opts) {
		a.refuse("`%s` reads %s code from its standard input, which the hook cannot read: %s", truncateTok(c.argv), name, inlineHint)
	}
	return kindOther
}

// unknownInterpOption refuses an option the interpreter's row does not
// list (the rows are closed): the interpreter may take the next word as
// its value, and the hook would read that word as the script and miss the
// inline code after it (node --title x -e CODE, python3
// --check-hash-based-pycs always -c CODE). PowerShell is read apart.
func (a *analyzer) unknownInterpOption(p *program, name string, argv []tok) bool {
	if !p.closed || strings.HasPrefix(name, "pwsh") || strings.HasPrefix(name, "powershell") {
		return false
	}
	opts, _, _ := p.options(argv[1:])
	for _, o := range opts {
		if contains(p.code, o.name) || p == programs["python"] && o.name == "m" {
			break // python -c/-m end the options; inline code is refused below
		}
		if !p.knows(o.name) {
			a.refuse("`%s`: %s is not an option of %s the hook knows, so it cannot read the command line past it (the option may take the next word as its value, and inline code may follow): spell the options as %s --help lists them, in full, or run a script file", truncateTok(argv), dashed(o.name), name, name)
			return true
		}
	}
	return false
}

// awkOutRe finds awk output redirections to a literal file name, escapes
// included (judged as awk decodes them: review hook154 H2).
var awkOutRe = regexp.MustCompile(`>>?\s*"((?:[^"\\\n]|\\.)*)"`)

// inlineHint is the way forward for refused inline code.
const inlineHint = "write the code to a file and run the file, or do it in shell"

// awk judges an awk program: refused when it can reach a process.
func (a *analyzer) awk(c call) kind {
	p := lookup(baseName(c.argv[0].s))
	argv, bad := awkW(p, c.argv)
	if bad != "" {
		a.refuse("`%s`: %s", truncateTok(c.argv), bad)
		return kindOther
	}
	if a.inlineCodeFile(p, "awk", argv) {
		return kindOther
	}
	for _, t := range argv[1:] {
		if t.s == "--" {
			break
		}
		// gawk takes a unique prefix of a long option: --dump=FILE is
		// --dump-variables=FILE (review hook126 H2), which mawk's -W dump
		// flag hid; -D/--debug reads debugger commands (eval runs awk
		// code) from standard input or a file (H1).
		n, v, hasV := strings.Cut(strings.TrimPrefix(t.s, "--"), "=")
		switch {
		case t.dyn:
			continue // awk -F"$d": judged by the option table below
		case strings.HasPrefix(t.s, "-D") && !strings.HasPrefix(t.s, "--") || strings.HasPrefix(t.s, "--") && len(n) >= 3 && strings.HasPrefix("debug", n):
			a.refuse("`%s` runs gawk's debugger, which reads commands (eval runs awk code: system()) from its input or a file the hook does not read", truncateTok(c.argv))
			return kindOther
		case strings.HasPrefix(t.s, "--") && len(n) >= 2 && hasV && (strings.HasPrefix("dump-variables", n) || strings.HasPrefix("pretty-print", n) || strings.HasPrefix("profile", n)):
			if a.writeDest(c.argv, tok{s: v}, false) {
				return kindOther
			}
		}
	}
	opts, _, rest := p.options(argv[1:])
	var progs []tok
	file, inplace := false, false
	for _, o := range opts {
		switch o.name {
		case "d", "dump-variables", "o", "pretty-print", "p", "profile":
			// gawk writes its variables, program or profile to the file.
			if (o.val.s != "" || o.val.dyn) && a.writeDest(c.argv, o.val, false) {
				return kindOther
			}
		case "e", "source":
			progs = append(progs, o.val)
		case "f", "file", "E", "exec", "i", "include":
			file = true // a program in a file: out of sight, like a script
		case "l", "load":
			a.refuse("`%s` loads a compiled extension, which the hook cannot read", truncateTok(c.argv))
			return kindOther
		}
		// gawk's in-place mode is its library inplace.awk, loaded by -i or
		// as a program file: -f, -E (also found along AWKPATH, .awk
		// added: review hook154 H4).
		if (o.name == "i" || o.name == "include") && (o.val.dyn || strings.Contains(o.val.s, "inplace")) ||
			(o.name == "f" || o.name == "file" || o.name == "E" || o.name == "exec") && (o.val.dyn || awkInplaceFile(o.val.s)) {
			a.looseArgs(c.argv) // gawk -i inplace rewrites its file operands
			inplace = true
		}
	}
	files := rest
	if len(progs) == 0 && !file && len(rest) > 0 {
		progs = append(progs, rest[0])
		files = rest[1:]
	}
	if inplace {
		// Its operands, globs too (./*), are written as sed -i's are
		// (review hook86 H7).
		for _, t := range files {
			if !t.dyn && strings.Contains(t.s, "=") {
				continue // VAR=VALUE operands assign
			}
			if a.writeDest(c.argv, t, false) {
				return kindOther
			}
		}
	}
	for _, t := range progs {
		switch {
		case t.dyn:
			a.refuse("`%s`: the awk program is computed at run time, which the hook cannot read", truncateTok(c.argv))
			return kindOther
		case strings.Contains(t.s, "system") || strings.ContainsAny(t.s, "|@"):
			a.refuse("`%s`: the awk program can run commands (system(), a pipe to or from a command, an @ call), which the hook does not read: %s", truncateTok(c.argv), inlineHint)
			return kindOther
		}
		if a.awkWrites(c.argv, t.s) {
			return kindOther
		}
		// print > "FILE", printf >> "FILE": awk writes the file. Read
		// over the whole program, whatever the statement reader made of
		// it: a name the hook cannot decode may be any file.
		for _, m := range awkOutRe.FindAllStringSubmatch(t.s, -1) {
			if a.awkTarget(c.argv, `"`+m[1]+`"`) {
				return kindOther
			}
		}
	}
	return kindOther
}

// awkInplaceFile reports whether a program file gawk loads may be its
// in-place library: a base name inplace or inplace.awk.
func awkInplaceFile(f string) bool {
	b := baseName(f)
	return b == "inplace" || b == "inplace.awk"
}

// awkW rewrites gawk's -W spelling of its long options (-W NAME[=VALUE],
// -WNAME[=VALUE], also at the end of a cluster: -bWsource=…) to
// --NAME[=VALUE], which gawk reads them as (abbreviations included); bad
// says why a -W option is refused (computed, or not one the row knows).
func awkW(p *program, argv []tok) (out []tok, bad string) {
	out = append(out, argv[0])
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		s := t.s
		switch {
		case s == "--" && !t.dyn, !strings.HasPrefix(s, "-") || s == "-":
			return append(out, args[i:]...), ""
		case strings.HasPrefix(s, "--"):
			out = append(out, t)
			n, _, has := strings.Cut(s[2:], "=")
			if c, _ := p.resolveLong(n); !has && p.takesValue(c) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
			continue
		}
		// A cluster: find a -W, or the first letter that takes a value.
		j := 1
		for ; j < len(s); j++ {
			l := s[j : j+1]
			if l == "W" || p.takesValue(l) || strings.Contains(p.opt, l) {
				break
			}
		}
		if j >= len(s) || s[j] != 'W' {
			out = append(out, t)
			if j < len(s) && j == len(s)-1 && p.takesValue(s[j:j+1]) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
			continue
		}
		if t.dyn {
			return nil, "a -W option computed at run time may be --source, --exec or --include, which the hook cannot read"
		}
		if j > 1 {
			out = append(out, tok{s: s[:j]})
		}
		v := s[j+1:]
		if v == "" {
			if i+1 >= len(args) {
				return append(out, tok{s: "--"}), ""
			}
			i++
			if args[i].dyn {
				return nil, "a -W option computed at run time may be --source, --exec or --include, which the hook cannot read"
			}
			v = args[i].s
		}
		n, _, has := strings.Cut(v, "=")
		c, cands := p.resolveLong(n)
		if len(cands) > 0 || !contains(p.longNames(), c) {
			return nil, "-W " + v + " is not an option of awk the hook knows (gawk reads -W NAME as --NAME): spell the options as --help lists them, in full"
		}
		out = append(out, tok{s: "--" + v})
		if !has && p.takesValue(c) && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out, ""
}

// sed judges sed scripts: the e command and the s///e flag run commands
// (refused), w files are writes (refused on protected files); a script
// the hook cannot read through is refused.
func (a *analyzer) sed(c call) kind {
	p := lookup(baseName(c.argv[0].s))
	// GNU sed permutes: -e/-f after a file name count (review hook34 F2).
	opts, rest := p.operands(c.argv[1:])
	var scripts []tok
	file := false
	for _, o := range opts {
		switch o.name {
		case "e", "expression":
			scripts = append(scripts, o.val)
		case "f", "file":
			file = true
		}
	}
	if len(scripts) == 0 && !file && len(rest) > 0 {
		scripts = append(scripts, rest[0])
	}
	for _, t := range scripts {
		if t.dyn {
			a.refuse("`%s`: the sed script is computed at run time, which the hook cannot read (GNU sed's e command runs what it holds)", truncateTok(c.argv))
			return kindOther
		}
		runs, writes, ok := sedScript(t.s)
		switch {
		case !ok:
			a.refuse("`%s`: the hook cannot read the sed script %q, so it cannot tell whether it runs commands", truncateTok(c.argv), t.s)
			return kindOther
		case runs:
			a.refuse("`%s`: the sed script runs a command (the e command or the s///e flag): %s", truncateTok(c.argv), inlineHint)
			return kindOther
		}
		for _, w := range writes {
			if q := a.protected(w); q != "" {
				a.refuse("`%s` writes %s, which holds the gate's trust", truncateTok(c.argv), q)
				return kindOther
			}
		}
	}
	return kindOther
}

// sedScript reads a sed script as GNU sed does, as far as commands go:
// runs reports an e command or an s///e flag, writes the files w and W
// name; ok is false for a script it does not understand.
func sedScript(s string) (runs bool, writes []string, ok bool) {
	i := 0
	eol := func() string { // the rest of the line
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			j = len(s) - i
		}
		v := s[i : i+j]
		i += j
		return strings.TrimSpace(v)
	}
	// delimited reads text up to an unescaped delimiter d. In a regex
	// (regex true), GNU sed reads a bracket expression whole: the
	// delimiter inside it (s/[/]/X/), or inside its [:class:], [.sym.]
	// or [=equiv=], does not end the regex, and a backslash there is a
	// character (review hook99 H1: s/[/]/w x/e runs the pattern space).
	delimited := func(d byte, regex bool) bool {
		for ; i < len(s); i++ {
			switch s[i] {
			case '[':
				if !regex || d == '[' {
					if d == '[' {
						i++
						return true // s[b[X[: the delimiter first
					}
					break
				}
				j := i + 1
				if j < len(s) && s[j] == '^' {
					j++
				}
				if j < len(s) && s[j] == ']' {
					j++ // a ] first is a character of the set
				}
				for j < len(s) && s[j] != ']' {
					if s[j] == '[' && j+1 < len(s) && strings.IndexByte(":.=", s[j+1]) >= 0 {
						end := strings.Index(s[j+2:], string(s[j+1])+"]")
						if end < 0 {
							return false
						}
						j += 2 + end + 2
						continue
					}
					if s[j] == '\n' {
						return false
					}
					j++
				}
				if j >= len(s) {
					return false
				}
				i = j // the closing ]
			case '\\':
				i++
			case d:
				i++
				return true
			case '\n':
				if d != '\n' {
					return false
				}
			}
		}
		return false
	}
	address := func() bool {
		switch {
		case i < len(s) && s[i] >= '0' && s[i] <= '9':
			for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '~') {
				i++
			}
		case i < len(s) && s[i] == '$':
			i++
		case i < len(s) && s[i] == '/':
			i++
			if !delimited('/', true) {
				return false
			}
			for i < len(s) && (s[i] == 'I' || s[i] == 'M') {
				i++
			}
		case i+1 < len(s) && s[i] == '\\':
			d := s[i+1]
			i += 2
			if !delimited(d, true) {
				return false
			}
		}
		return true
	}
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', ';', '}':
			i++
			continue
		case '#':
			eol()
			continue
		}
		if !address() {
			return false, nil, false
		}
		if i < len(s) && s[i] == ',' {
			i++
			if i < len(s) && (s[i] == '+' || s[i] == '~') {
				i++
			}
			if !address() {
				return false, nil, false
			}
		}
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '!') {
			i++
		}
		if i >= len(s) {
			return false, nil, false
		}
		cmd := s[i]
		i++
		switch cmd {
		case '{', '=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F':
		case 'l', 'L', 'q', 'Q':
			for i < len(s) && (s[i] == ' ' || s[i] >= '0' && s[i] <= '9') {
				i++
			}
		case ':', 'b', 't', 'T', 'v':
			// GNU sed 4.9 skips the blanks before a label (v's version)
			// and ends it at a blank as well as at ;, a newline, } or #:
			// `:a w FILE` and `bx e CMD` hold a command after the label
			// (review hook154 H1).
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
			for i < len(s) && strings.IndexByte(" \t\n\r\v\f;}#", s[i]) < 0 {
				i++
			}
		case 'a', 'i', 'c':
			// Text to the end of the line; a backslash continues it.
			for i < len(s) && s[i] != '\n' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
		case 'r', 'R':
			eol()
		case 'w', 'W':
			writes = append(writes, eol())
		case 'e':
			return true, writes, true
		case 's', 'y':
			if i >= len(s) || s[i] == '\n' || s[i] == '\\' {
				return false, nil, false
			}
			d := s[i]
			i++
			// Two parts: the pattern and the replacement (or y's two sets).
			for part := 0; part < 2; part++ {
				if !delimited(d, cmd == 's' && part == 0) {
					return false, nil, false
				}
			}
			if cmd == 'y' {
				continue
			}
			for i < len(s) && s[i] != ';' && s[i] != '\n' && s[i] != '}' {
				switch f := s[i]; {
				case f == 'e':
					return true, writes, true
				case f == 'w':
					i++
					writes = append(writes, eol())
					continue
				case f == 'g' || f == 'p' || f == 'i' || f == 'I' || f == 'm' || f == 'M' || f == ' ' || f >= '0' && f <= '9':
				default:
					return false, nil, false
				}
				i++
			}
		default:
			return false, nil, false
		}
	}
	return false, writes, true
}

// interpSources are the file name suffixes of the code an interpreter
// loads as modules or preloads.
func interpSources(name string) []string {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "python") || strings.HasPrefix(n, "pypy"):
		return []string{".py", ".pth", ".pyc", ".zip", ".so", ".egg"}
	case n == "node" || n == "nodejs" || n == "deno" || n == "bun":
		return []string{".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".node"}
	case strings.HasPrefix(n, "perl"):
		return []string{".pm", ".pl", ".pmc", ".so"}
	case strings.HasPrefix(n, "ruby"):
		return []string{".rb", ".so"}
	case strings.HasPrefix(n, "php"):
		return []string{".php", ".ini"}
	case strings.HasPrefix(n, "lua"):
		return []string{".lua"}
	}
	return nil
}

// interpLoads reports whether an interpreter's call may load a file of
// any name as code: node, deno or bun preloading a file (-r, --require,
// --import, --loader, --preload; a package name is none) or run with
// NODE_OPTIONS or NODE_PATH set in the line, python with a module path
// variable set in the line (a zip of any name on PYTHONPATH).
func (a *analyzer) interpLoads(name string, c call) bool {
	n := strings.ToLower(name)
	var opts, vars []string
	switch {
	case n == "node" || n == "nodejs" || n == "deno" || n == "bun":
		opts, vars = []string{"-r", "--require", "--import", "--loader", "--experimental-loader", "--preload"}, []string{"NODE_OPTIONS", "NODE_PATH"}
	case strings.HasPrefix(n, "python") || strings.HasPrefix(n, "pypy"):
		// A zip on PYTHONPATH is imported whatever its name (lib.dat:
		// review hook128 H4).
		vars = []string{"PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONUSERBASE"}
	default:
		return false
	}
	for _, v := range vars {
		if _, set := a.vars[v]; set || a.unknown[v] || contains(c.assigns, v) || contains(a.envTouched, v) {
			return true
		}
	}
	for ti, t := range c.argv[1:] {
		if t.s == "--" {
			break
		}
		for _, o := range opts {
			// The module: attached (--require=./x, -r./x) or the next
			// word; a package name (-r dotenv/config) is no file the line
			// wrote.
			v, attached := "", false
			switch {
			case strings.HasPrefix(t.s, o+"="):
				v, attached = strings.TrimPrefix(t.s, o+"="), true
			case len(o) == 2 && strings.HasPrefix(t.s, o) && len(t.s) > 2 && !strings.HasPrefix(t.s, "--"):
				v, attached = t.s[2:], true
			case t.s != o:
				continue
			}
			if !attached && ti+2 < len(c.argv) {
				v = c.argv[ti+2].s
			}
			if t.dyn || v == "" || localModule(v) {
				return true
			}
		}
	}
	return false
}

// versionOnly reports whether an interpreter's options make it print its
// version and exit, reading no code: python -V/--version, node
// -v/--version, --version of the others (ruby -v runs on, verbose; perl
// -v prints and exits). docker run IMAGE python -V is fed as any program
// an unknown program starts is (review hook156 F11).
func versionOnly(p *program, opts []opt) bool {
	for _, o := range opts {
		switch {
		case o.name == "version",
			o.name == "V" && p == programs["python"],
			o.name == "v" && (p == programs["node"] || p == programs["perl"]):
			return true
		}
	}
	return false
}
