package planfile

// A DynamicValue of a saved plan holds a msgpack value in cty's encoding
// (github.com/zclconf/go-cty/cty/msgpack), typed by a schema the plan does
// not record (the backend's). It is decoded with the type its structure
// implies, and must encode back to exactly the same bytes: Terraform and
// OpenTofu write the canonical encoding, so anything else (a duplicate
// attribute, a wider integer than needed, an unknown value) is refused
// rather than read one way here and perhaps another by the apply.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	ctyjson "github.com/zclconf/go-cty/cty/json"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
)

// Bounds of a configuration: a backend's is a few hundred bytes, a few
// levels deep; cty's decoder recurses once per level.
const (
	maxConfig      = 64 << 10
	maxConfigDepth = 32
)

// configJSON decodes a backend's msgpack configuration, which must be an
// object, and returns it as canonical JSON.
func configJSON(mp []byte) (string, error) {
	if len(mp) > maxConfig {
		return "", fmt.Errorf("%d bytes (at most %d)", len(mp), maxConfig)
	}
	if err := checkShape(mp); err != nil {
		return "", err
	}
	ty, err := ctymsgpack.ImpliedType(mp)
	if err != nil {
		return "", fmt.Errorf("not a msgpack value: %w", err)
	}
	if !ty.IsObjectType() {
		return "", fmt.Errorf("a %s, not an object", ty.FriendlyName())
	}
	v, err := ctymsgpack.Unmarshal(mp, ty)
	if err != nil {
		return "", fmt.Errorf("not a msgpack value: %w", err)
	}
	if !v.IsWhollyKnown() {
		return "", errors.New("holds unknown values")
	}
	again, err := ctymsgpack.Marshal(v, ty)
	if err != nil || !bytes.Equal(again, mp) {
		return "", errors.New("not in the canonical msgpack encoding Terraform writes (a duplicate attribute, or an edited value)")
	}
	j, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return "", err
	}
	if !json.Valid(j) {
		return "", errors.New("holds a value JSON cannot represent")
	}
	return string(j), nil
}

// checkShape walks one msgpack value without recursion and refuses one
// nested deeper than maxConfigDepth, truncated, or followed by more bytes,
// before cty's recursive decoder sees it.
func checkShape(b []byte) error {
	// pending[i] is how many values are still due at depth i.
	pending := []uint64{1}
	for len(pending) > 0 {
		if pending[len(pending)-1] == 0 {
			pending = pending[:len(pending)-1]
			continue
		}
		pending[len(pending)-1]--
		if len(b) == 0 {
			return errors.New("truncated msgpack value")
		}
		c := b[0]
		b = b[1:]
		var skip, children uint64
		switch {
		case c <= 0x7f, c >= 0xe0, c == 0xc0, c == 0xc2, c == 0xc3: // fixint, nil, bool
		case c >= 0xa0 && c <= 0xbf: // fixstr
			skip = uint64(c & 0x1f)
		case c >= 0x90 && c <= 0x9f: // fixarray
			children = uint64(c & 0x0f)
		case c >= 0x80 && c <= 0x8f: // fixmap
			children = 2 * uint64(c&0x0f)
		default:
			n, size, ok := msgpackLength(c, b)
			if !ok {
				return fmt.Errorf("msgpack code %#x", c)
			}
			b = b[size:]
			switch c {
			case 0xdc, 0xdd: // array 16, 32
				children = n
			case 0xde, 0xdf: // map 16, 32
				children = 2 * n
			default:
				skip = n
			}
		}
		if skip > uint64(len(b)) {
			return errors.New("truncated msgpack value")
		}
		b = b[skip:]
		if children > 0 {
			if children > uint64(maxConfig) {
				return errors.New("msgpack collection longer than the value")
			}
			if len(pending) >= maxConfigDepth {
				return fmt.Errorf("msgpack value nested deeper than %d levels", maxConfigDepth)
			}
			pending = append(pending, children)
		}
	}
	if len(b) > 0 {
		return errors.New("bytes after the msgpack value")
	}
	return nil
}

// msgpackLength returns, for a msgpack code other than the fix formats,
// the length it announces (bytes to skip, or elements), how many bytes
// announce it, and whether the code is known.
func msgpackLength(c byte, b []byte) (n uint64, size int, ok bool) {
	be := func(k int) (uint64, bool) {
		if len(b) < k {
			return 0, false
		}
		var v uint64
		for _, x := range b[:k] {
			v = v<<8 | uint64(x)
		}
		return v, true
	}
	var fixed uint64
	switch c {
	case 0xcc, 0xd0: // uint8, int8
		fixed = 1
	case 0xcd, 0xd1: // uint16, int16
		fixed = 2
	case 0xca, 0xce, 0xd2: // float32, uint32, int32
		fixed = 4
	case 0xcb, 0xcf, 0xd3: // float64, uint64, int64
		fixed = 8
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16 (type byte, data)
		fixed = 1 + 1<<(c-0xd4)
	case 0xc4, 0xd9: // bin8, str8
		v, ok := be(1)
		return v, 1, ok
	case 0xc5, 0xda, 0xdc, 0xde: // bin16, str16, array16, map16
		v, ok := be(2)
		return v, 2, ok
	case 0xc6, 0xdb, 0xdd, 0xdf: // bin32, str32, array32, map32
		v, ok := be(4)
		return v, 4, ok
	case 0xc7, 0xc8, 0xc9: // ext 8, 16, 32 (length, type byte, data)
		k := 1 << (c - 0xc7)
		v, ok := be(k)
		return v + 1, k, ok
	default:
		return 0, 0, false
	}
	return fixed, 0, true
}
