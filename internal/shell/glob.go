package shell

import (
	"strings"
	"unicode"
)

// Glob patterns as bash and find (fnmatch) read them, matched against a
// name and against each other (review hook30 F1, F4). path.Match is not
// used for the protected files: it knows neither [!…] nor the POSIX
// classes ([[:alpha:]]), so `rm ../[!x]languard.hcl` read as matching
// nothing while bash removed the policy.
//
// A '*' here matches any text, '/' included (find's -path without
// FNM_PATHNAME); callers that match a shell glob split it into
// components first. Matching folds case as an over-approximation: a
// character matches when any of its case variants does, since macOS file
// systems ignore case and the protected files' names are compared
// case-insensitively everywhere else.

// gtok is one element of a pattern: a star, a single character of a set
// (`?` is the set of every character), or a literal character.
type gtok struct {
	kind int       // gLit, gStar, gAny (?), gSet ([…])
	lit  rune      // gLit
	set  []runeRng // gSet
	neg  bool      // [!…], [^…]
}

type runeRng struct{ lo, hi rune }

const (
	gLit = iota
	gStar
	gAny
	gSet
)

// posixClasses are the ASCII ranges of the bracket classes [:NAME:].
var posixClasses = map[string][]runeRng{
	"alpha":  {{'a', 'z'}, {'A', 'Z'}},
	"digit":  {{'0', '9'}},
	"alnum":  {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}},
	"upper":  {{'A', 'Z'}},
	"lower":  {{'a', 'z'}},
	"space":  {{' ', ' '}, {'\t', '\r'}},
	"blank":  {{' ', ' '}, {'\t', '\t'}},
	"punct":  {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}},
	"xdigit": {{'0', '9'}, {'a', 'f'}, {'A', 'F'}},
	"print":  {{' ', '~'}},
	"graph":  {{'!', '~'}},
	"cntrl":  {{0, 0x1f}, {0x7f, 0x7f}},
	"word":   {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {'_', '_'}},
}

// parseGlob reads a pattern; ok is false for what it does not read
// ([=x=], [.x.], an unknown class), which callers take as "may match".
func parseGlob(p string) (toks []gtok, ok bool) {
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '*':
			if len(toks) == 0 || toks[len(toks)-1].kind != gStar {
				toks = append(toks, gtok{kind: gStar})
			}
		case '?':
			toks = append(toks, gtok{kind: gAny})
		case '\\':
			if i+1 < len(rs) {
				i++
			}
			toks = append(toks, gtok{kind: gLit, lit: rs[i]})
		case '[':
			t, n, good, closed := parseBracket(rs[i:])
			if !good {
				return nil, false
			}
			if !closed {
				toks = append(toks, gtok{kind: gLit, lit: '['}) // an unclosed [ is itself
				continue
			}
			toks = append(toks, t)
			i += n - 1
		default:
			toks = append(toks, gtok{kind: gLit, lit: c})
		}
	}
	return toks, true
}

// parseBracket reads a bracket expression at rs[0] == '['; n is its
// length; closed is false when no ] ends it.
func parseBracket(rs []rune) (t gtok, n int, good, closed bool) {
	t.kind = gSet
	i := 1
	if i < len(rs) && (rs[i] == '!' || rs[i] == '^') {
		t.neg = true
		i++
	}
	first := true
	for i < len(rs) {
		c := rs[i]
		if c == ']' && !first {
			return t, i + 1, true, true
		}
		first = false
		if c == '[' && i+1 < len(rs) && (rs[i+1] == ':' || rs[i+1] == '=' || rs[i+1] == '.') {
			end := -1
			for k := i + 2; k+1 < len(rs); k++ {
				if rs[k] == rs[i+1] && rs[k+1] == ']' {
					end = k
					break
				}
			}
			if end < 0 {
				t.set = append(t.set, runeRng{'[', '['}) // not a class: a literal [
				i++
				continue
			}
			r, ok := posixClasses[string(rs[i+2:end])]
			if rs[i+1] != ':' || !ok {
				return t, 0, false, false // [=a=], [.a.], an unknown class: not read
			}
			t.set = append(t.set, r...)
			i = end + 2
			continue
		}
		if c == '\\' && i+1 < len(rs) {
			i++
			c = rs[i]
		}
		lo := c
		i++
		if i+1 < len(rs) && rs[i] == '-' && rs[i+1] != ']' {
			hi := rs[i+1]
			i += 2
			if hi == '\\' && i < len(rs) {
				hi = rs[i]
				i++
			}
			t.set = append(t.set, runeRng{lo, hi})
			continue
		}
		t.set = append(t.set, runeRng{lo, lo})
	}
	return gtok{}, 0, true, false
}

// caseVariants are c and its other cases.
func caseVariants(c rune) []rune {
	out := []rune{c}
	for _, v := range []rune{unicode.ToLower(c), unicode.ToUpper(c)} {
		if v != c {
			out = append(out, v)
		}
	}
	return out
}

// accepts reports whether a single-character element matches c exactly.
func (t gtok) accepts(c rune) bool {
	switch t.kind {
	case gStar, gAny:
		return true
	case gLit:
		return t.lit == c
	}
	in := false
	for _, r := range t.set {
		if r.lo <= c && c <= r.hi {
			in = true
			break
		}
	}
	return in != t.neg
}

// acceptsFold: some case variant of c matches.
func (t gtok) acceptsFold(c rune, fold bool) bool {
	if !fold {
		return t.accepts(c)
	}
	for _, v := range caseVariants(c) {
		if t.accepts(v) {
			return true
		}
	}
	return false
}

// globMatch reports whether pattern matches name (fold: as an
// over-approximation over case). A pattern it cannot read matches.
func globMatch(pattern, name string, fold bool) bool {
	toks, ok := parseGlob(pattern)
	if !ok {
		return true
	}
	return toksMatch(toks, []rune(name), fold)
}

// globMatchExact is globMatch without case folding; ok is false for a
// pattern it cannot read.
func globMatchExact(pattern, name string) (match, ok bool) {
	toks, ok := parseGlob(pattern)
	if !ok {
		return false, false
	}
	return toksMatch(toks, []rune(name), false), true
}

func toksMatch(toks []gtok, s []rune, fold bool) bool {
	// cur[j]: toks[:i] can match s[:j].
	cur := make([]bool, len(s)+1)
	cur[0] = true
	for _, t := range toks {
		next := make([]bool, len(s)+1)
		if t.kind == gStar {
			seen := false
			for j := range cur {
				seen = seen || cur[j]
				next[j] = seen
			}
		} else {
			for j := 0; j < len(s); j++ {
				if cur[j] && t.acceptsFold(s[j], fold) {
					next[j+1] = true
				}
			}
		}
		cur = next
	}
	return cur[len(s)]
}

// globsMeet reports whether some text matches both patterns (folding
// case, an over-approximation). A pattern it cannot read meets any.
func globsMeet(p1, p2 string) bool {
	a, ok1 := parseGlob(p1)
	b, ok2 := parseGlob(p2)
	if !ok1 || !ok2 {
		return true
	}
	type st struct{ i, j int }
	seen := map[st]bool{}
	queue := []st{{0, 0}}
	push := func(s st) {
		if !seen[s] {
			seen[s] = true
			queue = append(queue, s)
		}
	}
	seen[st{0, 0}] = true
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s.i == len(a) && s.j == len(b) {
			return true
		}
		if s.i < len(a) && a[s.i].kind == gStar {
			push(st{s.i + 1, s.j})
		}
		if s.j < len(b) && b[s.j].kind == gStar {
			push(st{s.i, s.j + 1})
		}
		if s.i == len(a) || s.j == len(b) {
			continue
		}
		x, y := a[s.i], b[s.j]
		if x.kind == gStar && y.kind == gStar {
			continue
		}
		if !charsMeet(x, y) {
			continue
		}
		ni, nj := s.i+1, s.j+1
		if x.kind == gStar {
			ni = s.i
		}
		if y.kind == gStar {
			nj = s.j
		}
		push(st{ni, nj})
	}
	return false
}

// charsMeet reports whether one character (in some case) matches both
// single-character elements: membership changes only at the ends of the
// ranges, so those and their neighbours are the characters to try.
func charsMeet(x, y gtok) bool {
	var cands []rune
	add := func(t gtok) {
		switch t.kind {
		case gLit:
			cands = append(cands, caseVariants(t.lit)...)
		case gSet:
			for _, r := range t.set {
				for _, c := range []rune{r.lo, r.hi, r.lo - 1, r.hi + 1} {
					if c >= 0 {
						cands = append(cands, caseVariants(c)...)
					}
				}
			}
		}
	}
	add(x)
	add(y)
	cands = append(cands, 'a', 'Z', '0', '.', 0x01, 0x10FFFD)
	for _, c := range cands {
		if x.acceptsFold(c, true) && y.acceptsFold(c, true) {
			return true
		}
	}
	return false
}

// globEscape is s as a pattern that matches s only.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// allStars reports whether a pattern matches every text.
func allStars(p string) bool {
	return p != "" && strings.Trim(p, "*") == ""
}

// stateNameGlobs are the names of Terraform state files a pattern is
// compared with: the state, its backups (terraform state commands write
// NAME.tfstate.TIMESTAMP.backup) and the workspaces' directory. StateFile
// reads a literal name more widely (any *.tfstate.*); for a pattern that
// would take every *.EXT for a state file (x.tfstate.go), so the pattern
// is compared with the names Terraform writes.
var stateNameGlobs = []string{"?*.tfstate", "?*.tfstate.backup", "?*.tfstate.?*.backup", "?*.tfstate.d"}

// globStateName returns the state file name pattern a glob component
// may match, or "".
func globStateName(p string) string {
	for _, s := range stateNameGlobs {
		if globsMeet(p, s) {
			return s
		}
	}
	return ""
}
