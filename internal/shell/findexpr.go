package shell

import (
	"fmt"
	"path"
	"strings"
)

// find's expression, read the way find evaluates it (review hook30 F1):
// a find that deletes (-delete) or hands each file to a program that may
// change it (-exec rm {} +, -execdir, -ok, -okdir) is judged against
// every protected file and every Terraform state file its starting
// points may hold. For each, the expression is evaluated in three values
// (true, false, either): a test the hook can decide on that file (-name,
// -iname, -path, -ipath, -wholename, -iwholename, a literal pattern) is
// decided; any other (-type, -newer, a computed pattern) is either. A
// find whose evaluation may reach its destructive action for one of them
// is refused, and so is one whose expression the hook cannot read (a
// primary it does not know, an unbalanced parenthesis).
//
// -regex and -iregex are read through the literal text their pattern must
// end with (find matches the whole path): `.*\.go` cannot match
// settings.json; `.*hcl` may match the policy; a pattern with no such
// text (or with an alternation) may match anything.

// findNode is one element of a find expression.
type findNode struct {
	op   string // "and", "or", "not", ","; "" for a primary
	x, y *findNode
	prim string // the primary (-name, -delete, -exec…)
	val  tok    // the pattern of a pattern test
	// destroys: an action that removes or changes the file (-delete, a
	// program given {} that the hook does not know to only read it).
	destroys bool
}

// findArity is the number of words each primary takes after it; -1 for
// the -exec family (up to ; or +).
var findArity = map[string]int{
	// Tests.
	"-name": 1, "-iname": 1, "-path": 1, "-ipath": 1, "-wholename": 1, "-iwholename": 1, "-regex": 1, "-iregex": 1,
	"-lname": 1, "-ilname": 1, "-newer": 1, "-anewer": 1, "-cnewer": 1, "-samefile": 1, "-type": 1, "-xtype": 1,
	"-user": 1, "-group": 1, "-uid": 1, "-gid": 1, "-perm": 1, "-size": 1, "-mtime": 1, "-atime": 1, "-ctime": 1,
	"-mmin": 1, "-amin": 1, "-cmin": 1, "-used": 1, "-links": 1, "-inum": 1, "-fstype": 1, "-context": 1,
	"-empty": 0, "-executable": 0, "-readable": 0, "-writable": 0, "-nogroup": 0, "-nouser": 0, "-true": 0, "-false": 0,
	// Actions.
	"-delete": 0, "-print": 0, "-print0": 0, "-ls": 0, "-prune": 0, "-quit": 0,
	"-fprint": 1, "-fprint0": 1, "-fls": 1, "-printf": 1, "-fprintf": 2,
	"-exec": -1, "-execdir": -1, "-ok": -1, "-okdir": -1,
	// Options.
	"-depth": 0, "-d": 0, "-xdev": 0, "-mount": 0, "-noleaf": 0, "-ignore_readdir_race": 0, "-noignore_readdir_race": 0,
	"-daystart": 0, "-follow": 0, "-warn": 0, "-nowarn": 0, "-help": 0, "--help": 0, "-version": 0, "--version": 0,
	"-maxdepth": 1, "-mindepth": 1, "-regextype": 1, "-files0-from": 1,
}

// findParser reads find's expression: alternatives of conjunctions of
// (negated) primaries and parenthesised expressions, joined by commas.
type findParser struct {
	a    *analyzer
	args []tok
	i    int
	err  string
}

func (p *findParser) peek() (tok, bool) {
	if p.i < len(p.args) {
		return p.args[p.i], true
	}
	return tok{}, false
}

func (p *findParser) comma() *findNode {
	n := p.or()
	for {
		t, ok := p.peek()
		if !ok || t.dyn || t.s != "," {
			return n
		}
		p.i++
		n = &findNode{op: ",", x: n, y: p.or()}
	}
}

func (p *findParser) or() *findNode {
	n := p.and()
	for {
		t, ok := p.peek()
		if !ok || t.dyn || t.s != "-o" && t.s != "-or" {
			return n
		}
		p.i++
		n = &findNode{op: "or", x: n, y: p.and()}
	}
}

func (p *findParser) and() *findNode {
	n := p.unary()
	for {
		t, ok := p.peek()
		if !ok || !t.dyn && (t.s == "-o" || t.s == "-or" || t.s == "," || t.s == ")") {
			return n
		}
		if !t.dyn && (t.s == "-a" || t.s == "-and") {
			p.i++
		}
		n = &findNode{op: "and", x: n, y: p.unary()}
	}
}

func (p *findParser) unary() *findNode {
	t, ok := p.peek()
	if !ok {
		p.fail("an operator without an operand")
		return &findNode{prim: "-true"}
	}
	p.i++
	switch {
	case t.dyn:
		p.fail(fmt.Sprintf("%s is computed at run time", srcOf(t)))
		return &findNode{prim: "?"}
	case t.s == "!" || t.s == "-not":
		return &findNode{op: "not", x: p.unary()}
	case t.s == "(":
		n := p.comma()
		if c, ok := p.peek(); !ok || c.dyn || c.s != ")" {
			p.fail("an unbalanced parenthesis")
			return n
		}
		p.i++
		return n
	}
	name := t.s
	arity, known := findArity[name]
	if !known && strings.HasPrefix(name, "-newer") && len(name) == 8 {
		arity, known = 1, true // -newerXY REF
	}
	if !known {
		p.fail(fmt.Sprintf("%s, which the hook does not know", name))
		return &findNode{prim: "?"}
	}
	n := &findNode{prim: name}
	if arity < 0 {
		var cmd []tok
		for ; p.i < len(p.args); p.i++ {
			w := p.args[p.i]
			if !w.dyn && (w.s == ";" || w.s == `\;` || w.s == "+" && len(cmd) > 0 && cmd[len(cmd)-1].s == "{}") {
				break
			}
			cmd = append(cmd, w)
		}
		if p.i >= len(p.args) {
			p.fail(name + " without its ; or +")
		}
		p.i++
		n.destroys = !p.a.execOnlyReads(name, cmd)
		return n
	}
	if p.i+arity > len(p.args) {
		p.fail(name + " without its value")
		p.i = len(p.args)
		return n
	}
	if arity > 0 {
		n.val = p.args[p.i]
	}
	p.i += arity
	n.destroys = name == "-delete"
	return n
}

func (p *findParser) fail(why string) {
	if p.err == "" {
		p.err = why
	}
}

// execOnlyReads reports whether a command find runs on each file only
// reads it: a program the hook knows as a reader (cat, grep, wc, ls…),
// given {} (or not given it: it does not name the file, and is judged
// as a command of its own, in an unknown directory for -execdir). fd
// gives every command the file (action "fd").
func (a *analyzer) execOnlyReads(action string, cmd []tok) bool {
	named := action == "fd"
	for _, t := range cmd {
		if strings.Contains(t.s, "{}") || t.dyn {
			named = true
		}
	}
	if !named {
		return true
	}
	if len(cmd) == 0 || cmd[0].dyn {
		return false
	}
	name := baseName(cmd[0].s)
	if inspectOnly[name] && name != "command" {
		return true
	}
	p := lookup(name)
	return p.reader && !p.writes && !p.interp && p.judge == nil && len(p.outs) == 0
}

// findCand is a file a find may reach: a protected file or a Terraform
// state file, by its name and by the path find prints for it, each
// known (name, path) or only as a pattern of the names it may have
// (nameGlob, pathGlob).
type findCand struct {
	what               string
	name, path         string
	nameGlob, pathGlob string
}

// findTri is what evaluating an expression on a file may give: true,
// false, and whether a destructive action may have run.
type findTri struct{ t, f, reach bool }

func (a *analyzer) findEval(n *findNode, c findCand) findTri {
	switch n.op {
	case "and":
		x := a.findEval(n.x, c)
		if !x.t {
			return x
		}
		y := a.findEval(n.y, c)
		return findTri{t: y.t, f: x.f || y.f, reach: x.reach || y.reach}
	case "or":
		x := a.findEval(n.x, c)
		if !x.f {
			return x
		}
		y := a.findEval(n.y, c)
		return findTri{t: x.t || y.t, f: y.f, reach: x.reach || y.reach}
	case "not":
		x := a.findEval(n.x, c)
		return findTri{t: x.f, f: x.t, reach: x.reach}
	case ",":
		x := a.findEval(n.x, c)
		y := a.findEval(n.y, c)
		return findTri{t: y.t, f: y.f, reach: x.reach || y.reach}
	}
	switch n.prim {
	case "-true", "-print", "-print0", "-ls", "-prune", "-quit", "-fprint", "-fprint0", "-fls", "-printf", "-fprintf",
		"-depth", "-d", "-xdev", "-mount", "-noleaf", "-ignore_readdir_race", "-noignore_readdir_race", "-daystart",
		"-follow", "-warn", "-nowarn", "-maxdepth", "-mindepth", "-regextype", "-files0-from", "-help", "--help",
		"-version", "--version":
		return findTri{t: true}
	case "-false":
		return findTri{f: true}
	case "-delete", "-exec", "-execdir", "-ok", "-okdir":
		return findTri{t: true, f: true, reach: n.destroys}
	case "-name", "-iname":
		return findMatch(n, c.name, c.nameGlob)
	case "-path", "-ipath", "-wholename", "-iwholename":
		return findMatch(n, c.path, c.pathGlob)
	case "-regex", "-iregex":
		tail := regexTail(n.val.s)
		if n.val.dyn || tail == "" {
			return findTri{t: true, f: true}
		}
		suffix := "*" + globEscape(tail)
		may := false
		if c.path != "" {
			may = globMatch(suffix, c.path, true)
		} else {
			may = globsMeet(suffix, c.pathGlob)
		}
		return findTri{t: may, f: true}
	}
	return findTri{t: true, f: true} // -type, -newer, -size…: not decided here
}

// findMatch decides a glob test on a file known by its text (exactly,
// unless its case decides: a file system that ignores case may hold it
// under other cases) or by a pattern of its texts.
func findMatch(n *findNode, text, glob string) findTri {
	if n.val.dyn {
		return findTri{t: true, f: true}
	}
	pat := n.val.s
	fold := strings.HasPrefix(n.prim, "-i")
	if text == "" {
		return findTri{t: globsMeet(pat, glob), f: !allStars(pat)}
	}
	folded := globMatch(pat, text, true)
	if fold {
		return findTri{t: folded, f: !folded}
	}
	exact, ok := globMatchExact(pat, text)
	if !ok || exact != folded {
		return findTri{t: true, f: true}
	}
	return findTri{t: exact, f: !exact}
}

// regexTail is the literal text a find regular expression must end with
// (its last ordinary characters), or "" when it has none or may
// alternate (| or \|).
func regexTail(re string) string {
	if strings.Contains(re, "|") {
		return ""
	}
	escaped := func(i int) bool { // re[i] follows an odd number of backslashes
		n := 0
		for j := i - 1; j >= 0 && re[j] == '\\'; j-- {
			n++
		}
		return n%2 == 1
	}
	end := len(re)
	if end > 0 && re[end-1] == '$' && !escaped(end-1) {
		end--
	}
	var out []byte
	for i := end - 1; i >= 0; i-- {
		c := re[i]
		switch {
		case escaped(i):
			if c != '.' && c != '/' && c != '-' {
				return reverse(out)
			}
			out = append(out, c)
			i-- // its backslash
		case isAlnum(c) || strings.IndexByte("/_-,=@%:~#", c) >= 0:
			out = append(out, c)
		default:
			return reverse(out)
		}
	}
	return reverse(out)
}

func reverse(b []byte) string {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return string(out)
}

// findStarts reads find's leading options and starting points; rest is
// the expression. follow: -L (or -follow) makes find descend through
// symbolic links, to anywhere.
func findStarts(args []tok) (starts []tok, rest []tok, follow bool) {
	i := 0
	for ; i < len(args); i++ {
		t := args[i]
		if t.dyn {
			break
		}
		switch {
		case t.s == "-L":
			follow = true
		case t.s == "-H" || t.s == "-P" || t.s == "-E" || t.s == "-X" || t.s == "-s" || t.s == "-x":
		case t.s == "-D":
			i++
		case strings.HasPrefix(t.s, "-O") && len(t.s) > 2:
		case t.s == "-f" && i+1 < len(args):
			i++
			starts = append(starts, args[i]) // BSD find -f PATH
		default:
			goto operands
		}
	}
operands:
	for ; i < len(args); i++ {
		t := args[i]
		if !t.dyn && (strings.HasPrefix(t.s, "-") && len(t.s) > 1 || t.s == "(" || t.s == "!") {
			break
		}
		starts = append(starts, t)
	}
	if i > len(args) {
		i = len(args)
	}
	return starts, args[i:], follow
}

// findCands lists the protected files and Terraform state files the
// starting points may hold.
func (a *analyzer) findCands(starts []tok, unknown bool) []findCand {
	var out []findCand
	files := append(append([]string{}, a.opts.Protected...), a.opts.ProtectedDirs...)
	if len(starts) == 0 {
		starts = []tok{{s: "."}}
	}
	for _, s := range starts {
		if unknown || s.dyn || a.climbs(s.s) || a.cwdUnknown && !path.IsAbs(s.s) && !strings.HasPrefix(s.s, "~") {
			// Anywhere: each file by its name, under any path.
			for _, q := range files {
				out = append(out, findCand{what: q, name: path.Base(q), pathGlob: "*" + globEscape(path.Base(q))})
			}
			for _, g := range stateNameGlobs {
				out = append(out, findCand{what: "a Terraform state file (" + g + ")", nameGlob: g, pathGlob: "*" + g})
			}
			continue
		}
		text := s.s
		for _, q := range files {
			for _, r := range a.paths(text) {
				rel, ok := "", strings.EqualFold(q, r)
				if !ok && (r == "/" || len(q) > len(r) && strings.EqualFold(q[:len(r)+1], r+"/")) {
					rel, ok = strings.TrimPrefix(q[len(r):], "/"), true
				}
				if !ok {
					continue
				}
				printed, name := text, path.Base(text)
				if rel != "" {
					printed, name = strings.TrimSuffix(text, "/")+"/"+rel, path.Base(q)
					if strings.HasSuffix(text, "/") {
						printed = text + rel
					}
				}
				out = append(out, findCand{what: q, name: name, path: printed})
				break
			}
		}
		prefix := text
		if !strings.HasSuffix(prefix, "/") {
			prefix += "/"
		}
		inState := false
		for _, r := range append([]string{text}, a.paths(text)...) {
			inState = inState || StateFile(r)
		}
		if inState {
			out = append(out, findCand{what: text + " (a Terraform state file, or in a state directory)", name: path.Base(text), path: text},
				findCand{what: "the files in " + text + " (a Terraform state directory)", nameGlob: "*", pathGlob: globEscape(prefix) + "*"})
		}
		for _, g := range stateNameGlobs {
			out = append(out, findCand{what: "a Terraform state file (" + g + ") under " + text, nameGlob: g, pathGlob: globEscape(prefix) + g})
		}
	}
	return out
}

// findDeletes refuses a find that may delete, or hand to a program that
// may change, a protected file or a Terraform state file (see above).
func (a *analyzer) findDeletes(argv []tok) {
	if len(a.opts.Protected) == 0 && len(a.opts.ProtectedDirs) == 0 {
		return
	}
	starts, expr, follow := findStarts(argv[1:])
	p := &findParser{a: a, args: expr}
	var root *findNode
	if len(expr) > 0 {
		root = p.comma()
		if p.i < len(p.args) {
			p.fail(fmt.Sprintf("%s out of place", p.args[p.i]))
		}
	}
	destroys := false
	unknownStarts := follow
	for _, t := range expr {
		switch {
		case t.dyn:
		case t.s == "-delete":
			destroys = true
		case t.s == "-follow" || t.s == "-files0-from":
			unknownStarts = true
		}
	}
	var walk func(n *findNode)
	walk = func(n *findNode) {
		if n == nil {
			return
		}
		destroys = destroys || n.destroys
		walk(n.x)
		walk(n.y)
	}
	walk(root)
	if !destroys {
		return
	}
	line := truncateTok(argv)
	if p.err != "" {
		a.refuse("`%s` deletes or changes the files it finds, and its expression holds %s: the hook cannot tell whether it matches the policy, its trust files, the agent's settings or a Terraform state file; write the tests out (-name '*.pyc')", line, p.err)
		return
	}
	cands := a.findCands(starts, unknownStarts)
	if unknownStarts {
		// Through symbolic links, a file is reached under any name.
		cands = append(cands, findCand{what: "any protected file (find follows symbolic links: -L, -follow, or reads its starting points from a file)", nameGlob: "*", pathGlob: "*"})
	}
	for _, c := range cands {
		if a.findEval(root, c).reach {
			a.refuse("`%s` may delete or change %s, which holds the gate's trust: its tests may match it; name what to delete so that they cannot (-name '*.pyc'), or name the files outright", line, c.what)
			return
		}
	}
}
