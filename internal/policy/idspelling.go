package policy

import (
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/idnorm"
)

// A provider often accepts one object under more than one spelling of its
// id, and keeps the id as it was imported: a path with a doubled or a
// trailing slash ("objects//prod-db"), a name in another case (AWS names,
// Azure resource ids), an ARN or a full resource path for a short name
// ("arn:aws:rds:…:db:prod-db", "projects/p/…/instances/prod-db") or the
// name for them. A rule by ids compared as strings misses every other
// spelling, and an import under one brings the protected object under an
// address and an id no rule guards (attack r16e). So ids rules fail
// closed over the class:
//
//   - both the glob and the object's id are normalised (normID): white
//     space around removed, lower case, backslashes read as slashes, and
//     as a path: repeated slashes collapsed, "." segments dropped, ".."
//     resolved, a trailing slash dropped;
//   - a glob then matches an id whose normalised form it matches, or any
//     tail of it after a "/" or ":" (the id is an ARN or a longer path
//     ending in the protected name), and a tail of the glob after a "/"
//     or ":" matches the whole normalised id (the id is the short name of
//     the protected ARN or path).
//
// It may protect other objects than the one meant (any object whose id
// ends in the protected name): a rule by ids is for objects that matter.

// idGlob is one glob of a rule's ids in the forms matchID compares.
type idGlob struct {
	full  glob   // the normalised glob
	tails []glob // its tails after a "/" or ":"
	// paths are the tails that still hold a "/" or ":" (two segments or
	// more): what a relative path or a partial ARN in an attribute value
	// ends in when it names the protected object (namedBy).
	paths []glob
}

// normID is the normal form of an id, or of an id glob, that ids rules
// compare (see above).
func normID(s string) string { return idnorm.Norm(s) }

// idTails returns the tails of a normalised id after each "/" or ":", those
// with more than wildcards and separators in them.
func idTails(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '/' && s[i] != ':' {
			continue
		}
		if t := s[i+1:]; strings.Trim(t, "*?/:") != "" {
			out = append(out, t)
		}
	}
	return out
}

// compileIDGlob compiles one glob of a rule's ids.
func compileIDGlob(s string) idGlob {
	n := normID(s)
	g := idGlob{full: compileGlob(n)}
	for _, t := range idTails(n) {
		c := compileGlob(t)
		g.tails = append(g.tails, c)
		if strings.ContainsAny(t, "/:") {
			g.paths = append(g.paths, c)
		}
	}
	return g
}

// match reports whether the glob matches id under the rule above.
func (g idGlob) match(id string) bool {
	n := normID(id)
	return n != "" && g.matchNorm(n, idTails(n))
}

// matchNorm is match of an id in normal form n, with its tails.
func (g idGlob) matchNorm(n string, tails []string) bool {
	if g.full.match(n) {
		return true
	}
	for _, t := range tails {
		if g.full.match(t) {
			return true
		}
	}
	for _, t := range g.tails {
		if t.match(n) {
			return true
		}
	}
	return false
}

// namedBy reports whether an attribute value in normal form n (with its
// tails) names the id the glob protects as a whole, for a new object whose
// own id is unknown at plan (Policy.MatchNamedID): the glob matches n or a
// tail of n (the value is the id, or a longer path or ARN ending in it),
// or a tail of the glob that still holds a "/" or ":" matches n or a tail
// of n (a relative path or a partial ARN: "../../lab/objects/prod-db" for
// "/lab/objects/prod-db"). Unlike match, a one-segment tail of the glob
// (the short name "prod-db" of "/lab/objects/prod-db", or "prod-*" of
// "arn:aws:rds:*:*:db:prod-*") does not count: attribute values are full
// of short names (names, tags, descriptions), and a create is not the
// protected object's own id.
func (g idGlob) namedBy(n string, tails []string) bool {
	if g.full.match(n) {
		return true
	}
	for _, t := range tails {
		if g.full.match(t) {
			return true
		}
	}
	for _, p := range g.paths {
		if p.match(n) {
			return true
		}
		for _, t := range tails {
			if p.match(t) {
				return true
			}
		}
	}
	return false
}
