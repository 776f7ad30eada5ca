package planformat

// This file holds the prior state's objects that the gate matches a change
// against (an import of a protected object's id elsewhere, a change of an
// object with the same id or identity). A plan of a large state can hold
// hundreds of thousands of them, so each is kept compactly: its address
// and id, and its identity as a SHA-256 digest, in large shared byte
// chunks (no pointer per object for the collector to follow), its type
// interned; the lookups are binary searches over two sorted index lists,
// with no map.

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"slices"
	"strings"
)

// PriorObject is one managed resource instance object of the prior state.
type PriorObject struct {
	// Address is the resource instance address.
	Address string
	// Type is the resource type.
	Type string
	// ID is values["id"] when it is a string, else "".
	ID string
	// Identity is the canonical form of the object's resource identity
	// (the state's "identity", Terraform 1.12+), or "". Prior keeps only its
	// digest, so the objects its lookups return have Identity "".
	Identity string
}

// Prior is a set of prior objects, for matching by id and identity. The
// nil *Prior is the empty set.
type Prior struct {
	chunks [][]byte   // the bytes of the objects, see priorRec
	types  []string   // the distinct types
	objs   []priorRec // sorted by address, id, identity digest and type
	// byID and byIdentity are indexes into objs of the objects that have
	// an id (an identity), sorted by it and then by index.
	byID, byIdentity []int32
}

// priorRec is one object: its address, its id and, when it has an
// identity, the identity's 32-byte SHA-256 digest, one after the other at
// chunks[chunk][off:]; its type is types[typ].
type priorRec struct {
	chunk, off, addrLen, idLen, typ uint32
	digest                          bool
}

// priorChunk is the size of the chunks the objects' bytes are kept in:
// filled one after the other and never grown, so that no copy is made; an
// object longer than that has a chunk of its own.
const priorChunk = 64 << 10

func (p *Prior) bytes(r *priorRec) []byte {
	n := r.addrLen + r.idLen
	if r.digest {
		n += sha256.Size
	}
	return p.chunks[r.chunk][r.off : r.off+n]
}

func (p *Prior) address(r *priorRec) []byte { return p.bytes(r)[:r.addrLen] }
func (p *Prior) id(r *priorRec) []byte      { return p.bytes(r)[r.addrLen : r.addrLen+r.idLen] }
func (p *Prior) digest(r *priorRec) []byte  { return p.bytes(r)[r.addrLen+r.idLen:] }

// PriorBuilder collects the objects of a Prior, for a reader.
type PriorBuilder struct {
	p     Prior
	typeN map[string]uint32
}

// Add records an object of the given address, id (or none), type and
// canonical identity (or ""); it copies address and id.
func (b *PriorBuilder) Add(address, id []byte, typ, identity string) {
	var digest []byte
	if identity != "" {
		sum := sha256.Sum256([]byte(identity))
		digest = sum[:]
	}
	n := len(address) + len(id) + len(digest)
	p := &b.p
	last := len(p.chunks) - 1
	if last < 0 || cap(p.chunks[last])-len(p.chunks[last]) < n {
		p.chunks = append(p.chunks, make([]byte, 0, max(n, priorChunk)))
		last++
	}
	c := p.chunks[last]
	r := priorRec{chunk: uint32(last), off: uint32(len(c)), addrLen: uint32(len(address)), idLen: uint32(len(id)), digest: digest != nil}
	c = append(c, address...)
	c = append(c, id...)
	p.chunks[last] = append(c, digest...)
	t, ok := b.typeN[typ]
	if !ok {
		if b.typeN == nil {
			b.typeN = map[string]uint32{}
		}
		t = uint32(len(p.types))
		b.typeN[typ] = t
		p.types = append(p.types, typ)
	}
	r.typ = t
	p.objs = append(p.objs, r)
}

// Build sorts and indexes the objects and returns the set (nil when
// there are none); the same objects in any order give equal sets.
func (b *PriorBuilder) Build() *Prior {
	if len(b.p.objs) == 0 {
		return nil
	}
	p := &b.p
	recs := p.objs
	slices.SortFunc(recs, func(x, y priorRec) int {
		return cmp.Or(bytes.Compare(p.address(&x), p.address(&y)), bytes.Compare(p.id(&x), p.id(&y)),
			bytes.Compare(p.digest(&x), p.digest(&y)), strings.Compare(p.types[x.typ], p.types[y.typ]))
	})
	for i := range recs {
		if recs[i].idLen > 0 {
			p.byID = append(p.byID, int32(i))
		}
		if recs[i].digest {
			p.byIdentity = append(p.byIdentity, int32(i))
		}
	}
	sortBy := func(idx []int32, key func(*priorRec) []byte) {
		slices.SortFunc(idx, func(x, y int32) int {
			return cmp.Or(bytes.Compare(key(&recs[x]), key(&recs[y])), cmp.Compare(x, y))
		})
	}
	sortBy(p.byID, p.id)
	sortBy(p.byIdentity, p.digest)
	return p
}

// NewPrior returns the set of objs (nil when there are none). Objects
// with neither an id nor an identity cannot be matched and are left out.
func NewPrior(objs []PriorObject) *Prior {
	var b PriorBuilder
	for _, o := range objs {
		if o.ID != "" || o.Identity != "" {
			b.Add([]byte(o.Address), []byte(o.ID), o.Type, o.Identity)
		}
	}
	return b.Build()
}

// Len returns the number of objects in p.
func (p *Prior) Len() int {
	if p == nil {
		return 0
	}
	return len(p.objs)
}

// Objects returns the objects of p sorted by address, then id (Identity
// left "": see PriorObject).
func (p *Prior) Objects() []PriorObject {
	if p == nil {
		return nil
	}
	out := make([]PriorObject, len(p.objs))
	for i := range p.objs {
		out[i] = p.object(int32(i))
	}
	return out
}

func (p *Prior) object(i int32) PriorObject {
	r := &p.objs[i]
	return PriorObject{Address: string(p.address(r)), Type: p.types[r.typ], ID: string(p.id(r))}
}

// Equal reports whether p and q hold the same objects (identities
// compared by digest), however they were built.
func (p *Prior) Equal(q *Prior) bool {
	if p.Len() != q.Len() {
		return false
	}
	for i := 0; i < p.Len(); i++ {
		a, b := &p.objs[i], &q.objs[i]
		if !bytes.Equal(p.bytes(a), q.bytes(b)) || a.addrLen != b.addrLen || a.idLen != b.idLen || a.digest != b.digest || p.types[a.typ] != q.types[b.typ] {
			return false
		}
	}
	return true
}

// ByID returns the objects whose id is id, sorted by address; none for "".
func (p *Prior) ByID(id string) []PriorObject {
	if p == nil || id == "" {
		return nil
	}
	return p.find(p.byID, []byte(id), p.id)
}

// ByIdentity returns the objects whose resource identity has the canonical
// form identity (see CanonicalIdentity), sorted by address; none for "".
func (p *Prior) ByIdentity(identity string) []PriorObject {
	if p == nil || identity == "" {
		return nil
	}
	sum := sha256.Sum256([]byte(identity))
	return p.find(p.byIdentity, sum[:], p.digest)
}

func (p *Prior) find(idx []int32, want []byte, key func(*priorRec) []byte) []PriorObject {
	i, _ := slices.BinarySearchFunc(idx, want, func(e int32, w []byte) int {
		return bytes.Compare(key(&p.objs[e]), w)
	})
	var out []PriorObject
	for ; i < len(idx) && bytes.Equal(key(&p.objs[idx[i]]), want); i++ {
		out = append(out, p.object(idx[i]))
	}
	return out
}
