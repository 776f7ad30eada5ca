package planfile

// This file reads the tfplan record: a protocol buffers message, planproto.Plan
// in Terraform's internal/plans/planproto/planfile.proto (OpenTofu's is the
// same lineage, format version 3). Only these fields are read:
//
//	Plan         1 version (uint64), 13 backend (Backend), 14 terraform_version
//	             (string), 17 ui_mode (enum Mode: 0 normal, 1 destroy,
//	             2 refresh-only), 29 state_store (StateStore)
//	Backend      1 type, 2 config (DynamicValue), 3 workspace
//	StateStore   1 type, 2 config (DynamicValue), 3 workspace, 4 provider
//	Provider     1 source, 2 version, 3 config (DynamicValue)
//	DynamicValue 1 msgpack (bytes)
//	Plan         3 resource_changes (repeated ResourceInstanceChange)
//	ResourceInstanceChange 13 addr, 7 deposed_key, 9 change (Change),
//	             10 private (bytes)
//	Change       1 action (enum Action)
//
// Of the resource changes, only those whose action deletes an object
// (delete, and the replaces, whose delete half the apply runs with the
// same record) are kept, with their private data: the apply sends that to
// the provider as the delete's planned private data (see PlannedDelete).
//
// The record is read as a stream (the changes it also holds can be large)
// with protowire: every field's tag and wire type must be valid, the fields
// above must have their wire type and appear at most once (protocol
// buffers would merge or overwrite a repeated one: ambiguous), and other
// fields of Plan are skipped. In the backend's and the state store's
// messages, which say where the state lives, a field this reader does not
// know is an error.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// formatVersion is the only tfplan format version Terraform 1.x and
// OpenTofu 1.x write and read.
const formatVersion = 3

// Field numbers of planproto.Plan.
const (
	fieldVersion          = 1
	fieldBackend          = 13
	fieldTerraformVersion = 14
	fieldUIMode           = 17
	fieldStateStore       = 29
	fieldResourceChanges  = 3
)

// Field numbers of planproto.ResourceInstanceChange and planproto.Change.
const (
	rcFieldAddr    = 13
	rcFieldDeposed = 7
	rcFieldChange  = 9
	rcFieldPrivate = 10
	chFieldAction  = 1
)

// Actions of planproto.Action that delete an object.
const (
	ActionDelete           = 5
	ActionDeleteThenCreate = 6
	ActionCreateThenDelete = 7
)

// PlannedDelete is a resource change of the tfplan record whose action
// deletes an object: a delete, or a replace (whose delete half the apply
// runs with the same record). Terraform and OpenTofu send its Private to
// the provider as the delete's planned private data
// (ApplyResourceChangeRequest.PlannedPrivate), which `terraform show
// -json` does not show; terraform-plugin-sdk v2 reads attribute values of
// the delete from it (its "_new_extra_shim"), so it must be bound to the
// object's private data in the state.
type PlannedDelete struct {
	// Address is the resource instance's address (addr).
	Address string
	// Deposed is the deposed key, "" for the current object.
	Deposed string
	// Action is ActionDelete, ActionDeleteThenCreate or
	// ActionCreateThenDelete.
	Action int
	// Private is the change's private data ("" when absent).
	Private string
}

// Key is the change's address and deposed key, as StateObject.Key.
func (d PlannedDelete) Key() string {
	return StateObject{Address: d.Address, Deposed: d.Deposed}.Key()
}

// Replace says whether the change is a replace.
func (d PlannedDelete) Replace() bool {
	return d.Action != ActionDelete
}

// planFields are the fields of planproto.Plan read, with their wire types.
var planFields = map[protowire.Number]protowire.Type{
	fieldVersion: protowire.VarintType, fieldBackend: protowire.BytesType,
	fieldTerraformVersion: protowire.BytesType, fieldUIMode: protowire.VarintType,
	fieldStateStore: protowire.BytesType,
}

// errTooLong is returned by boundedReader past its limit.
var errTooLong = fmt.Errorf("longer than %d bytes", int64(maxTFPlan))

// boundedReader fails, rather than ending, after n bytes.
type boundedReader struct {
	r io.Reader
	n int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		var one [1]byte
		if k, err := b.r.Read(one[:]); k > 0 {
			return 0, errTooLong
		} else if err != nil {
			return 0, err
		}
		return 0, nil
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	k, err := b.r.Read(p)
	b.n -= int64(k)
	return k, err
}

// stream reads protowire values from a byte stream.
type stream struct {
	r   *bufio.Reader
	off int64
}

// varint reads a varint; at a clean end of input it returns io.EOF when
// eofOK.
func (s *stream) varint(eofOK bool) (uint64, error) {
	var v uint64
	for i := 0; i < binary64Max; i++ {
		c, err := s.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if i == 0 && eofOK {
					return 0, io.EOF
				}
				return 0, fmt.Errorf("truncated at byte %d", s.off)
			}
			return 0, err
		}
		s.off++
		if i == binary64Max-1 && c > 1 {
			return 0, fmt.Errorf("varint overflows 64 bits at byte %d", s.off)
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, fmt.Errorf("varint not in its shortest form at byte %d", s.off)
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("varint too long at byte %d", s.off)
}

// binary64Max is the most bytes a varint of 64 bits takes.
const binary64Max = 10

// bytes reads n bytes.
func (s *stream) bytes(n uint64) ([]byte, error) {
	b := make([]byte, n)
	k, err := io.ReadFull(s.r, b)
	s.off += int64(k)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated at byte %d", s.off)
		}
		return nil, err
	}
	return b, nil
}

// skip discards n bytes.
func (s *stream) skip(n uint64) error {
	k, err := io.CopyN(io.Discard, s.r, int64(n))
	s.off += k
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("truncated at byte %d", s.off)
		}
		return err
	}
	return nil
}

// readPlanRecord reads the tfplan record from r, through its end (so that
// the archive's checksum of it is verified).
func readPlanRecord(r io.Reader) (*File, error) {
	s := &stream{r: bufio.NewReaderSize(&boundedReader{r: r, n: maxTFPlan}, 64<<10)}
	f := &File{Mode: ModeNormal}
	seen := map[protowire.Number]bool{}
	var backend, store []byte
	for {
		tag, err := s.varint(true)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		num, typ := protowire.DecodeTag(tag)
		if num < protowire.MinValidNumber || num > protowire.MaxValidNumber {
			return nil, fmt.Errorf("invalid field number %d at byte %d", num, s.off)
		}
		want, known := planFields[num]
		if known {
			if typ != want {
				return nil, fmt.Errorf("field %d has wire type %d, want %d", num, typ, want)
			}
			if seen[num] {
				return nil, fmt.Errorf("field %d appears twice: which one applies is ambiguous", num)
			}
			seen[num] = true
		}
		switch typ {
		case protowire.VarintType:
			v, err := s.varint(false)
			if err != nil {
				return nil, err
			}
			switch num {
			case fieldVersion:
				f.FormatVersion = v
			case fieldUIMode:
				switch v {
				case 0:
					f.Mode = ModeNormal
				case 1:
					f.Mode = ModeDestroy
				case 2:
					f.Mode = ModeRefreshOnly
				default:
					return nil, fmt.Errorf("unknown planning mode %d; upgrade planguard", v)
				}
			}
		case protowire.Fixed64Type:
			if err := s.skip(8); err != nil {
				return nil, err
			}
		case protowire.Fixed32Type:
			if err := s.skip(4); err != nil {
				return nil, err
			}
		case protowire.BytesType:
			n, err := s.varint(false)
			if err != nil {
				return nil, err
			}
			if num == fieldResourceChanges {
				d, err := s.resourceChange(n)
				if err != nil {
					return nil, fmt.Errorf("resource change at byte %d: %w", s.off, err)
				}
				if d != nil {
					f.Deletes = append(f.Deletes, *d)
				}
				continue
			}
			if !known {
				if err := s.skip(n); err != nil {
					return nil, err
				}
				continue
			}
			if n > maxSubRecord {
				return nil, fmt.Errorf("field %d is %d bytes long (at most %d)", num, n, maxSubRecord)
			}
			b, err := s.bytes(n)
			if err != nil {
				return nil, err
			}
			switch num {
			case fieldBackend:
				backend = b
			case fieldStateStore:
				store = b
			case fieldTerraformVersion:
				if !utf8.Valid(b) {
					return nil, errors.New("terraform_version is not valid UTF-8")
				}
				f.TerraformVersion = string(b)
			}
		default:
			// Groups (wire types 3 and 4) are not in planproto.
			return nil, fmt.Errorf("field %d has wire type %d, which planproto does not use", num, typ)
		}
	}
	if f.FormatVersion != formatVersion {
		return nil, fmt.Errorf("format version %d (planguard reads version %d, which Terraform 1.x and OpenTofu 1.x write)", f.FormatVersion, formatVersion)
	}
	if f.TerraformVersion == "" {
		return nil, errors.New("no terraform_version")
	}
	var err error
	switch {
	case backend == nil && store == nil:
		return nil, errors.New("neither a backend nor a state_store")
	case backend != nil && store != nil:
		return nil, errors.New("both a backend and a state_store")
	case backend != nil:
		f.Backend, err = readBackend(backend, false)
	default:
		f.Backend, err = readBackend(store, true)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// fields reads a whole message of length-delimited fields, each at most
// once, into their bytes by field number; known gives the field numbers
// allowed (an unknown one is an error) and whether each is a string.
func fields(b []byte, what string, known map[protowire.Number]bool) (map[protowire.Number][]byte, error) {
	out := map[protowire.Number][]byte{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, fmt.Errorf("%s: %w", what, protowire.ParseError(n))
		}
		b = b[n:]
		isString, ok := known[num]
		if !ok {
			return nil, fmt.Errorf("%s: field %d, which planguard does not know; upgrade planguard", what, num)
		}
		if typ != protowire.BytesType {
			return nil, fmt.Errorf("%s: field %d has wire type %d, want %d", what, num, typ, protowire.BytesType)
		}
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return nil, fmt.Errorf("%s: field %d: %w", what, num, protowire.ParseError(n))
		}
		b = b[n:]
		if _, dup := out[num]; dup {
			return nil, fmt.Errorf("%s: field %d appears twice: which one applies is ambiguous", what, num)
		}
		if isString && !utf8.Valid(v) {
			return nil, fmt.Errorf("%s: field %d is not valid UTF-8", what, num)
		}
		out[num] = v
	}
	return out, nil
}

// readBackend reads a Backend or a StateStore message.
func readBackend(b []byte, stateStore bool) (Backend, error) {
	what := "backend"
	known := map[protowire.Number]bool{1: true, 2: false, 3: true}
	if stateStore {
		what = "state_store"
		known[4] = false
	}
	m, err := fields(b, what, known)
	if err != nil {
		return Backend{}, err
	}
	be := Backend{StateStore: stateStore, Type: string(m[1]), Workspace: string(m[3])}
	if be.Type == "" {
		return Backend{}, fmt.Errorf("%s: no type", what)
	}
	if be.Workspace == "" {
		return Backend{}, fmt.Errorf("%s: no workspace", what)
	}
	if be.Config, err = dynamicValue(m[2], what+".config"); err != nil {
		return Backend{}, err
	}
	if !stateStore {
		return be, nil
	}
	raw, ok := m[4]
	if !ok {
		return Backend{}, errors.New("state_store: no provider")
	}
	pm, err := fields(raw, "state_store.provider", map[protowire.Number]bool{1: true, 2: true, 3: false})
	if err != nil {
		return Backend{}, err
	}
	be.Provider = &StoreProvider{Source: string(pm[1]), Version: string(pm[2])}
	if be.Provider.Source == "" {
		return Backend{}, errors.New("state_store.provider: no source")
	}
	if be.Provider.Config, err = dynamicValue(pm[3], "state_store.provider.config"); err != nil {
		return Backend{}, err
	}
	return be, nil
}

// dynamicValue reads a DynamicValue message (absent is an error) and
// returns its msgpack value as canonical JSON.
func dynamicValue(b []byte, what string) (string, error) {
	if b == nil {
		return "", fmt.Errorf("%s: absent", what)
	}
	m, err := fields(b, what, map[protowire.Number]bool{1: false})
	if err != nil {
		return "", err
	}
	mp, ok := m[1]
	if !ok || len(mp) == 0 {
		return "", fmt.Errorf("%s: no msgpack value", what)
	}
	j, err := configJSON(mp)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return j, nil
}

// resourceChange reads a ResourceInstanceChange of n bytes from the
// stream, returning it when its action deletes an object (else nil). Its
// values may be large: they are skipped, not read. A field read appearing
// twice is an error (protocol buffers would take the last, or merge).
func (s *stream) resourceChange(n uint64) (*PlannedDelete, error) {
	end := s.off + int64(n)
	var d PlannedDelete
	seen := map[protowire.Number]bool{}
	for s.off < end {
		num, typ, err := s.tag()
		if err != nil {
			return nil, err
		}
		switch num {
		case rcFieldAddr, rcFieldDeposed, rcFieldChange, rcFieldPrivate:
			if typ != protowire.BytesType {
				return nil, fmt.Errorf("field %d has wire type %d, want %d", num, typ, protowire.BytesType)
			}
			if seen[num] {
				return nil, fmt.Errorf("field %d appears twice: which one applies is ambiguous", num)
			}
			seen[num] = true
			k, err := s.varint(false)
			if err != nil {
				return nil, err
			}
			if k > uint64(end-s.off) {
				return nil, fmt.Errorf("field %d runs past the end of its message", num)
			}
			if num == rcFieldChange {
				if d.Action, err = s.changeAction(k); err != nil {
					return nil, fmt.Errorf("change: %w", err)
				}
				continue
			}
			if k > maxSubRecord {
				return nil, fmt.Errorf("field %d is %d bytes long (at most %d)", num, k, maxSubRecord)
			}
			b, err := s.bytes(k)
			if err != nil {
				return nil, err
			}
			switch num {
			case rcFieldAddr, rcFieldDeposed:
				if !utf8.Valid(b) {
					return nil, fmt.Errorf("field %d is not valid UTF-8", num)
				}
				if num == rcFieldAddr {
					d.Address = string(b)
				} else {
					d.Deposed = string(b)
				}
			case rcFieldPrivate:
				d.Private = string(b)
			}
		default:
			if err := s.skipValue(typ, end); err != nil {
				return nil, fmt.Errorf("field %d: %w", num, err)
			}
		}
	}
	if s.off != end {
		return nil, errors.New("its fields run past the end of the message")
	}
	switch d.Action {
	case ActionDelete, ActionDeleteThenCreate, ActionCreateThenDelete:
	default:
		return nil, nil
	}
	if d.Address == "" {
		return nil, errors.New("a change that deletes has no address")
	}
	return &d, nil
}

// changeAction reads a Change of n bytes, returning its action.
func (s *stream) changeAction(n uint64) (int, error) {
	end := s.off + int64(n)
	action, seen := 0, false
	for s.off < end {
		num, typ, err := s.tag()
		if err != nil {
			return 0, err
		}
		if num != chFieldAction {
			if err := s.skipValue(typ, end); err != nil {
				return 0, fmt.Errorf("field %d: %w", num, err)
			}
			continue
		}
		if typ != protowire.VarintType {
			return 0, fmt.Errorf("action has wire type %d, want %d", typ, protowire.VarintType)
		}
		if seen {
			return 0, errors.New("action appears twice: which one applies is ambiguous")
		}
		seen = true
		v, err := s.varint(false)
		if err != nil {
			return 0, err
		}
		if v > 1<<20 {
			return 0, fmt.Errorf("unknown action %d", v)
		}
		action = int(v)
	}
	if s.off != end {
		return 0, errors.New("its fields run past the end of the message")
	}
	return action, nil
}

// tag reads a field tag inside a message.
func (s *stream) tag() (protowire.Number, protowire.Type, error) {
	t, err := s.varint(false)
	if err != nil {
		return 0, 0, err
	}
	num, typ := protowire.DecodeTag(t)
	if num < protowire.MinValidNumber || num > protowire.MaxValidNumber {
		return 0, 0, fmt.Errorf("invalid field number %d at byte %d", num, s.off)
	}
	return num, typ, nil
}

// skipValue skips a value of wire type typ, which must end by end.
func (s *stream) skipValue(typ protowire.Type, end int64) error {
	var n uint64
	switch typ {
	case protowire.VarintType:
		_, err := s.varint(false)
		return err
	case protowire.Fixed64Type:
		n = 8
	case protowire.Fixed32Type:
		n = 4
	case protowire.BytesType:
		var err error
		if n, err = s.varint(false); err != nil {
			return err
		}
	default:
		return fmt.Errorf("wire type %d, which planproto does not use", typ)
	}
	if n > uint64(end-s.off) {
		return errors.New("runs past the end of its message")
	}
	return s.skip(n)
}
