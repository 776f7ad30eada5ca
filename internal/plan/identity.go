package plan

// This file reads resource identities (Terraform 1.12+): a change's
// before_identity, after_identity and importing.identity, and a prior_state
// resource's identity. Where an object has one, it is the object's identity
// for the gate (require_identity, and recognising the object under another
// address); its "id" attribute is the fallback.

import (
	"bytes"

	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

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
	if c.PriorIdentity, err = planformat.CanonicalIdentity(d.bytes(rc.beforeIdentity), func() string { return l.field(".change.before_identity") }); err != nil {
		return err
	}
	if c.AfterIdentity, err = planformat.CanonicalIdentity(d.bytes(rc.afterIdentity), func() string { return l.field(".change.after_identity") }); err != nil {
		return err
	}
	c.ImportIdentity, err = planformat.CanonicalIdentity(d.bytes(rc.importIdentity), func() string { return l.field(".change.importing.identity") })
	return err
}
