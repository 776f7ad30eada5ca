package planformat

// This file holds the prior state's objects that the gate matches a change
// against (an import of a protected object's id elsewhere, a change of an
// object with the same id or identity). A plan of a large state can hold
// hundreds of thousands of them, so each is kept compactly: its instance
// key, id and identity (as a SHA-256 digest) in large shared byte chunks
// (no pointer per object for the collector to follow), the rest of its
// address shared with the object before it when they are instances of one
// resource, its type interned; the lookups are binary searches over two
// sorted index lists, with no map.

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"slices"

	"github.com/planguard/terraform-provider-planguard/internal/idnorm"
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
	bases  []span     // the resource parts of the addresses
	objs   []priorRec // in the order the reader met them
	// byID and byIdentity are indexes into objs of the objects that have
	// an id (an identity), sorted by it (the id in normal form,
	// idnorm.Norm) and then by index.
	byID, byIdentity []int32
}

// span is where bytes are in the chunks.
type span struct{ chunk, off, n uint32 }

// priorRec is one object. Its address is bases[base] followed by its key
// (the instance key, "[0]" or ["a"], or "" for a resource without one);
// its type is types[typ]; the rest is at chunks[chunk][off:]: a flags
// byte (hasDigest), the key's and the id's lengths as uvarints before
// each, then, when it has an identity, the identity's 32-byte SHA-256
// digest.
type priorRec struct{ base, chunk, off, typ uint32 }

const hasDigest = 1

// priorChunk is the size of the chunks the objects' bytes are kept in:
// filled one after the other and never grown, so that no copy is made; a
// longer run of bytes has a chunk of its own.
const priorChunk = 64 << 10

// parts returns the key, id and digest (nil when none) of r.
func (p *Prior) parts(r *priorRec) (key, id, digest []byte) {
	b := p.chunks[r.chunk][r.off:]
	flags := b[0]
	b = b[1:]
	n, k := binary.Uvarint(b)
	key, b = b[k:k+int(n)], b[k+int(n):]
	n, k = binary.Uvarint(b)
	id, b = b[k:k+int(n)], b[k+int(n):]
	if flags&hasDigest != 0 {
		digest = b[:sha256.Size]
	}
	return key, id, digest
}

func (p *Prior) base(r *priorRec) []byte {
	b := p.bases[r.base]
	return p.chunks[b.chunk][b.off : b.off+b.n]
}

func (p *Prior) id(r *priorRec) []byte {
	_, id, _ := p.parts(r)
	return id
}

func (p *Prior) digest(r *priorRec) []byte {
	_, _, d := p.parts(r)
	return d
}

// address returns the object's address (a new string).
func (p *Prior) address(r *priorRec) string {
	key, _, _ := p.parts(r)
	return string(p.base(r)) + string(key)
}

// PriorBuilder collects the objects of a Prior, for a reader.
type PriorBuilder struct {
	p     Prior
	typeN map[string]uint32
}

// put copies the bytes of parts into the chunks, one after the other.
func (b *PriorBuilder) put(parts ...[]byte) span {
	n := 0
	for _, x := range parts {
		n += len(x)
	}
	p := &b.p
	last := len(p.chunks) - 1
	if last < 0 || cap(p.chunks[last])-len(p.chunks[last]) < n {
		p.chunks = append(p.chunks, make([]byte, 0, max(n, priorChunk)))
		last++
	}
	c := p.chunks[last]
	at := span{chunk: uint32(last), off: uint32(len(c)), n: uint32(n)}
	for _, x := range parts {
		c = append(c, x...)
	}
	p.chunks[last] = c
	return at
}

// Add records an object of the given address, id (or none), type and
// canonical identity (or ""); it copies address and id.
func (b *PriorBuilder) Add(address, id []byte, typ, identity string) {
	p := &b.p
	// The resource part of the address: shared with the object before
	// when both are instances of one resource (the state lists them
	// together). Where the split falls does not matter to correctness,
	// only to how much is shared: the address is the two parts again.
	base, key := address, []byte(nil)
	if n := len(address); n > 0 && address[n-1] == ']' {
		if i := bytes.LastIndexByte(address, '['); i >= 0 {
			base, key = address[:i], address[i:]
		}
	}
	var r priorRec
	if last := len(p.objs) - 1; last >= 0 && bytes.Equal(p.base(&p.objs[last]), base) {
		r.base = p.objs[last].base
	} else {
		r.base = uint32(len(p.bases))
		p.bases = append(p.bases, b.put(base))
	}
	var flags [1]byte
	var digest []byte
	if identity != "" {
		sum := sha256.Sum256([]byte(identity))
		digest, flags[0] = sum[:], hasDigest
	}
	var lk, li [binary.MaxVarintLen64]byte
	nk, ni := binary.PutUvarint(lk[:], uint64(len(key))), binary.PutUvarint(li[:], uint64(len(id)))
	at := b.put(flags[:], lk[:nk], key, li[:ni], id, digest)
	r.chunk, r.off = at.chunk, at.off
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

// Build indexes the objects and returns the set (nil when there are none).
func (b *PriorBuilder) Build() *Prior {
	if len(b.p.objs) == 0 {
		return nil
	}
	p := &b.p
	recs := p.objs
	for i := range recs {
		_, id, digest := p.parts(&recs[i])
		if len(id) > 0 {
			p.byID = append(p.byID, int32(i))
		}
		if digest != nil {
			p.byIdentity = append(p.byIdentity, int32(i))
		}
	}
	sortBy := func(idx []int32, key func(*priorRec) []byte) {
		slices.SortFunc(idx, func(x, y int32) int {
			return cmp.Or(bytes.Compare(key(&recs[x]), key(&recs[y])), cmp.Compare(x, y))
		})
	}
	// The ids in normal form, while sorting only: a lookup normalises the
	// few it compares.
	norm := make(map[int32]string, len(p.byID))
	for _, i := range p.byID {
		norm[i] = idnorm.Norm(string(p.id(&recs[i])))
	}
	slices.SortFunc(p.byID, func(x, y int32) int { return cmp.Or(cmp.Compare(norm[x], norm[y]), cmp.Compare(x, y)) })
	sortBy(p.byIdentity, p.digest)
	b.typeN = nil
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

// Objects returns the objects of p sorted by address, then id and type
// (Identity left "": see PriorObject).
func (p *Prior) Objects() []PriorObject {
	if p == nil {
		return nil
	}
	out := make([]PriorObject, len(p.objs))
	for i := range p.objs {
		out[i] = p.object(int32(i))
	}
	sortObjects(out)
	return out
}

func sortObjects(objs []PriorObject) {
	slices.SortFunc(objs, func(a, b PriorObject) int {
		return cmp.Or(cmp.Compare(a.Address, b.Address), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Identity, b.Identity))
	})
}

func (p *Prior) object(i int32) PriorObject {
	r := &p.objs[i]
	return PriorObject{Address: p.address(r), Type: p.types[r.typ], ID: string(p.id(r))}
}

// Equal reports whether p and q hold the same objects (identities
// compared by digest), however they were built and in whatever order.
func (p *Prior) Equal(q *Prior) bool {
	if p.Len() != q.Len() {
		return false
	}
	all := func(p *Prior) []PriorObject {
		out := make([]PriorObject, p.Len())
		for i := range out {
			out[i] = p.object(int32(i))
			out[i].Identity = string(p.digest(&p.objs[i]))
		}
		sortObjects(out)
		return out
	}
	return slices.Equal(all(p), all(q))
}

// ByID returns the objects whose id is id in normal form (idnorm.Norm:
// "objects//prod-db" and "objects/prod-db" are one id, as for ids rules),
// sorted by address; none for "" (or an id whose normal form is "").
func (p *Prior) ByID(id string) []PriorObject {
	if p == nil {
		return nil
	}
	want := idnorm.Norm(id)
	if want == "" {
		return nil
	}
	normAt := func(e int32) string { return idnorm.Norm(string(p.id(&p.objs[e]))) }
	i, _ := slices.BinarySearchFunc(p.byID, want, func(e int32, w string) int { return cmp.Compare(normAt(e), w) })
	var out []PriorObject
	for ; i < len(p.byID) && normAt(p.byID[i]) == want; i++ {
		out = append(out, p.object(p.byID[i]))
	}
	sortObjects(out)
	return out
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
	sortObjects(out)
	return out
}
