// Package idnorm holds the normal form of a resource id that planguard
// compares ids in: a provider often accepts one object under more than one
// spelling of its id (see internal/policy's idspelling.go).
package idnorm

import (
	"path"
	"strings"
)

// Norm is the normal form of an id (or of an id glob): white space around
// removed, lower case, backslashes read as slashes, and as a path: repeated
// slashes collapsed, "." segments dropped, ".." resolved, a trailing slash
// dropped. "objects//prod-db", "Objects/prod-db/" and "objects/./prod-db"
// are one id.
func Norm(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "\\", "/")
	if strings.Contains(s, "/") {
		s = path.Clean(s)
	}
	return s
}
