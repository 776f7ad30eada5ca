package plan

// This file reads resource identities (Terraform 1.12+): a change's
// before_identity, after_identity and importing.identity, and a prior_state
// resource's identity. Where an object has one, it is the object's identity
// for the gate (require_identity, and recognising the object under another
// address); its "id" attribute is the fallback.

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

// valueSpan reads one value of any kind and returns where it is. Its bytes
// stay available only while the caller keeps the buffer (see scanner.keep).
func (d *decoder) valueSpan() (span, error) {
	s := d.s
	if _, err := s.next(); err != nil {
		return span{}, err
	}
	start := s.offset()
	if err := s.skipValue(); err != nil {
		return span{}, err
	}
	return span{start, s.offset()}, nil
}

// rawValue reads one value and returns a copy of its bytes.
func (d *decoder) rawValue() ([]byte, error) {
	s := d.s
	if _, err := s.next(); err != nil {
		return nil, err
	}
	prev := s.keep
	if start := s.offset(); prev < 0 || prev > start {
		s.keep = start
	}
	defer func() { s.keep = prev }()
	sp, err := d.valueSpan()
	if err != nil {
		return nil, err
	}
	return bytes.Clone(d.bytes(sp)), nil
}

// identities sets the identities of c from the spans read by
// resourceChange.
func (d *decoder) identities(c *Change, rc *change, l loc) error {
	var err error
	if c.PriorIdentity, err = CanonicalIdentity(d.bytes(rc.beforeIdentity), func() string { return l.field(".change.before_identity") }); err != nil {
		return err
	}
	if _, err = CanonicalIdentity(d.bytes(rc.afterIdentity), func() string { return l.field(".change.after_identity") }); err != nil {
		return err
	}
	c.ImportIdentity, err = CanonicalIdentity(d.bytes(rc.importIdentity), func() string { return l.field(".change.importing.identity") })
	return err
}
