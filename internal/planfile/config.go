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

// configJSON decodes a backend's msgpack configuration, which must be an
// object, and returns it as canonical JSON.
func configJSON(mp []byte) (string, error) {
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
