package planformat

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"fmt"
	"slices"
)

// A saved plan holds each change's prior value twice: as the change's
// Before (in the tfplan record; `terraform show -json` renders it as the
// change's before) and as the object of the refreshed state (tfstate,
// rendered as prior_state). Terraform writes both from one state object
// and renders both with the object's schema, so in an honest plan they are
// the same JSON value. The apply uses the first: for a delete (and the
// delete half of a replace) Terraform sends the change's Before to the
// provider as the object's prior state, and most providers delete what its
// id (or name, path, …) names, without reading the state again. The plan
// file is the author's to edit, so every managed change's before must be
// the prior state's object at its address and deposed key: compared as
// digests (canonjson.Digest) of the two values, so that a large plan costs
// two 32-byte sums per object.

// BeforeDigest is the digest of a managed resource change's non-null
// before value.
type BeforeDigest struct {
	Address, Deposed string
	Sum              [32]byte
}

// PriorDigests are the digests of prior_state's managed objects, by
// address and deposed key.
type PriorDigests struct {
	objs []priorDigest
}

type priorDigest struct{ key, sum [32]byte }

func priorKey(address, deposed []byte) [32]byte {
	h := sha256.New()
	h.Write(address)
	h.Write([]byte{0})
	h.Write(deposed)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// Add records the digest of the values of the managed object at address
// (and deposed key, "" for the current object).
func (p *PriorDigests) Add(address, deposed []byte, sum [32]byte) {
	p.objs = append(p.objs, priorDigest{priorKey(address, deposed), sum})
}

// Check returns an error wrapping ErrEdited, naming the first change of
// befores (in plan order) whose before value is not prior_state's object
// at its address and deposed key, or an error wrapping ErrMalformed when
// prior_state lists one object twice.
func (p *PriorDigests) Check(befores []BeforeDigest) error {
	objs := p.objs
	slices.SortFunc(objs, func(a, b priorDigest) int { return bytes.Compare(a.key[:], b.key[:]) })
	for i := 1; i < len(objs); i++ {
		if objs[i-1].key == objs[i].key {
			return fmt.Errorf("%w: prior_state lists one managed object (address and deposed key) twice; write the plan JSON again with `terraform show -json PLANFILE`", ErrMalformed)
		}
	}
	for _, b := range befores {
		k := priorKey([]byte(b.Address), []byte(b.Deposed))
		i, found := slices.BinarySearchFunc(objs, k, func(o priorDigest, k [32]byte) int { return cmp.Compare(string(o.key[:]), string(k[:])) })
		why := ""
		switch {
		case !found:
			why = "prior_state holds no object there"
		case objs[i].sum != b.Sum:
			why = "prior_state holds another value there"
		default:
			continue
		}
		name := b.Address
		if b.Deposed != "" {
			name += fmt.Sprintf(" (deposed object %s)", b.Deposed)
		}
		return fmt.Errorf("%w: the change of %s has a before value that is not the prior state's object at that address (%s). "+
			"Terraform writes both from one state object, and the apply sends the change's before value to the provider as the object's prior state "+
			"(a delete deletes what it names), so the plan file was edited after Terraform wrote it: plan again, and apply only the plan file the plan job wrote",
			ErrEdited, name, why)
	}
	return nil
}
