package planformat

import (
	"bytes"
	"fmt"

	"github.com/planguard/terraform-provider-planguard/internal/canonjson"
)

// CanonicalIdentity returns the canonical form of a resource identity given
// as raw JSON: "" when absent (nil), null or an empty object; else the RFC
// 8785 JSON of the object (canonjson.Transform), e.g.
// {"account_id":"123456789012","id":"db-1","region":"eu-west-1"}. That
// string is what an approval's identity names. Anything but an object or
// null, or an object without a canonical form (duplicate member names, an
// integer a double does not hold), is an error wrapping ErrMalformed; what
// names the value.
func CanonicalIdentity(raw []byte, what func() string) (string, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return "", nil
	}
	if t[0] != '{' {
		return "", fmt.Errorf("%w: %s must be an object (a resource identity) or null", ErrMalformed, what())
	}
	c, err := canonjson.Transform(t)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrMalformed, what(), err)
	}
	if string(c) == "{}" {
		return "", nil
	}
	return string(c), nil
}
