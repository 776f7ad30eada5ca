package planformat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

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

// IdentityValues returns the leaf string values of a resource identity in
// canonical form (see CanonicalIdentity), depth first with members in name
// order: what a policy's ids globs are matched against besides the
// object's id. It returns nil for "" (and for anything that is not JSON,
// which a canonical form always is).
func IdentityValues(canonical string) []string {
	if canonical == "" {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(canonical), &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k])
			}
		}
	}
	walk(v)
	return out
}
