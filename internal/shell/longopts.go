package shell

import (
	"sort"
	"strings"
	"sync"
)

// GNU getopt_long (and the parsers that copy it: Perl's Getopt::Long,
// less, gawk) accepts any unambiguous prefix of a long option: env
// --split-s and env --sp are --split-string, tar --checkpoint-act is
// --checkpoint-action, sort --outp is --output. An exact name wins over
// longer names it is a prefix of (tar --checkpoint is not
// --checkpoint-action). The table names options in full; a word is read
// as the option getopt resolves it to. A prefix of several names is an
// error in the program, and refused when one of them is an option the
// hook reads (code, a directory, an output): the table need not list
// every option of the program, so the program may resolve it otherwise.

// longNames are the long options the row knows, each once (computed once:
// rows do not change after init).
func (p *program) longNames() []string {
	p.namesOnce.Do(func() { p.names = p.collectLongNames() })
	return p.names
}

func (p *program) collectLongNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range [][]string{p.long, p.optLong, p.flags, p.code, p.opaque, p.again, p.keyed, p.chdir, p.moves,
		p.split, p.argv, p.outs, p.pipes, p.progs, p.danger} {
		for _, n := range l {
			if len(n) > 1 && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	for _, n := range p.prints {
		if s, ok := strings.CutPrefix(n, "--"); ok && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// resolveLong is the long option a name (without dashes) is to getopt:
// the name itself when the row knows it or knows nothing it begins, the
// one option it is a prefix of, or, when it is a prefix of several, the
// name unchanged with those candidates.
func (p *program) resolveLong(n string) (string, []string) {
	if n == "" {
		return n, nil
	}
	names := p.longNames()
	var cands []string
	for _, c := range names {
		if c == n {
			return n, nil
		}
		if strings.HasPrefix(c, n) {
			cands = append(cands, c)
		}
	}
	switch len(cands) {
	case 0:
		return n, nil
	case 1:
		return cands[0], nil
	}
	sort.Strings(cands)
	return n, cands
}

// dangerous reports whether a long option is one the hook reads for what
// it runs or writes (not a plain valued option nor a flag).
func (p *program) dangerous(n string) bool {
	for _, l := range [][]string{p.code, p.opaque, p.again, p.keyed, p.chdir, p.moves, p.split, p.argv, p.outs,
		p.pipes, p.progs, p.danger, p.optLong} {
		if contains(l, n) {
			return true
		}
	}
	return false
}

// canonArgs rewrites the long options among a command line's options to
// the full names getopt resolves them to (--sp=X is --split-string=X), so
// that every reader of the table, and of literal option names, sees them
// as the program does. It stops where the options end ("--", the first
// operand unless the program permutes). ambiguous is a prefix of several
// options one of which the hook reads, as written, or "".
func (p *program) canonArgs(args []tok) (out []tok, ambiguous string) {
	out = args
	copied := false
	// After an operand, a wrapper's words may be its command's (flock
	// LOCK CMD…): read for ambiguity only, not rewritten. A writer or a
	// judged program permutes for real (tar, make, install).
	rewrite := true
	set := func(i int, t tok) {
		if !rewrite {
			return
		}
		if !copied {
			out = append([]tok(nil), args...)
			copied = true
		}
		out[i] = t
	}
	for i := 0; i < len(args); i++ {
		t := args[i]
		s := t.s
		switch {
		case s == "--" && !t.dyn:
			return out, ambiguous
		case strings.HasPrefix(s, "--") && len(s) > 2:
			n, v, has := strings.Cut(s[2:], "=")
			if t.dyn && !has {
				continue // the name may go on at run time
			}
			c, cands := p.resolveLong(n)
			for _, x := range cands {
				if p.dangerous(x) && ambiguous == "" {
					ambiguous = "--" + n + " (" + strings.Join(cands, ", ") + ")"
				}
			}
			if c != n {
				nt := t
				nt.s = "--" + c
				if has {
					nt.s += "=" + v
				}
				set(i, nt)
			}
			if !has && p.takesValue(c) {
				i++
			}
		case strings.HasPrefix(s, "-") && len(s) > 1 && !t.dyn:
			if p.clusterTakesNext(s) {
				i++
			}
		case p.assigns && !t.dyn && strings.Contains(s, "="):
		default:
			if !p.permute {
				return out, ambiguous
			}
			rewrite = p.writes || p.judge != nil
		}
	}
	return out, ambiguous
}

// clusterTakesNext reports whether a short option cluster (-fo, -xvf)
// ends in an option that takes the next word as its value.
func (p *program) clusterTakesNext(s string) bool {
	for j := 1; j < len(s); j++ {
		l := s[j : j+1]
		if strings.Contains(p.opt, l) {
			return false
		}
		if strings.Contains(p.optDigits, l) {
			j += len(optDigitsAt(s[j], s[j+1:]))
			continue
		}
		if p.takesValue(l) {
			return j == len(s)-1
		}
	}
	return false
}

// optDigitsAt is the optional numeric value at the start of the rest of
// a cluster, after a letter of optDigits (perl -l012, -0777, -0x1ff): octal
// or decimal digits; after -0 also x and hex digits.
func optDigitsAt(letter byte, rest string) string {
	if letter == '0' && len(rest) > 1 && (rest[0] == 'x' || rest[0] == 'X') {
		j := 1
		for j < len(rest) && strings.IndexByte("0123456789abcdefABCDEF", rest[j]) >= 0 {
			j++
		}
		return rest[:j]
	}
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	return rest[:j]
}

// longCache holds a row's long option names, computed on first use.
type longCache struct {
	namesOnce sync.Once
	names     []string
}
