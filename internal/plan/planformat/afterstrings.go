package planformat

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// AfterString is one known string value of a change's after object (see
// Change.AfterStrings).
type AfterString struct {
	// Attribute is where the value is in after, in Terraform's notation:
	// path, tags["Name"], rule[0].target (see PathStep).
	Attribute string
	// Value is the string.
	Value string
}

// WantsAfterStrings reports whether a reader with a filter collects the
// AfterStrings of a change: a create or a replace (managed) whose new
// object's id and identity the plan does not know. A known after id or
// identity is matched as such (the gate's takenIDs).
func WantsAfterStrings(kind Kind, afterID, afterIdentity string) bool {
	return (kind == KindCreate || kind == KindReplace) && afterID == "" && afterIdentity == ""
}

// PathStep is one step of an Attribute: an object member's name, or a
// list element's index when IsIndex.
type PathStep struct {
	Key     string
	Index   int
	IsIndex bool
}

// AttributePath renders steps as an Attribute: the first member's name as
// it is, each later one as .name, a name that is not an identifier as
// ["name"] (Go quoting), an index as [i].
func AttributePath(steps []PathStep) string {
	var b strings.Builder
	for i, s := range steps {
		switch {
		case s.IsIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.Index))
			b.WriteByte(']')
		case identifier(s.Key):
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Key)
		default:
			b.WriteByte('[')
			b.WriteString(strconv.Quote(s.Key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// identifier reports whether s is written bare in an Attribute: a letter
// or underscore, then letters, digits, underscores and dashes.
func identifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range []byte(s) {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && (c == '-' || '0' <= c && c <= '9'):
		default:
			return false
		}
	}
	return true
}

// SortAfterStrings sorts a change's AfterStrings by Attribute, then Value,
// so that every reader lists them alike whatever the order it met them in.
func SortAfterStrings(s []AfterString) {
	slices.SortFunc(s, func(a, b AfterString) int {
		return cmp.Or(cmp.Compare(a.Attribute, b.Attribute), cmp.Compare(a.Value, b.Value))
	})
}
