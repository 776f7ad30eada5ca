package planfile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/planfile/planfiletest"
)

// withChanges is a tfplan record of the local backend holding the given
// resource change messages (field 3).
func withChanges(t *testing.T, changes ...[]byte) []byte {
	var b []byte
	b = planfiletest.Varint(b, 1, 3)
	for _, c := range changes {
		b = planfiletest.Bytes(b, 3, c)
	}
	b = planfiletest.Bytes(b, 13, localBackend(t, "a.tfstate", "default"))
	return planfiletest.Bytes(b, 14, []byte("1.11.4"))
}

// TestPlannedDeletes: the changes that delete an object are kept with
// their private data (absent, empty and set told apart only by bytes);
// creates, updates, no-ops, reads and forgets are not.
func TestPlannedDeletes(t *testing.T) {
	chg := planfiletest.Change
	f, err := read(savedPlan(t, withChanges(t,
		chg("a.create", "", 1, "", false),
		chg("a.update", "", 3, `{"x":1}`, true),
		chg("a.noop", "", 0, "", false),
		chg("a.forget", "", 8, "p", true),
		chg("a.del", "", 5, "", false),
		chg("a.del", "00000001", 5, "null", true),
		chg("a.dtc", "", 6, `{"_new_extra_shim":{}}`, true),
		chg(`a.ctd["k"]`, "", 7, "\x00bin", true),
	)))
	if err != nil {
		t.Fatal(err)
	}
	want := []PlannedDelete{
		{Address: "a.del", Action: ActionDelete},
		{Address: "a.del", Deposed: "00000001", Action: ActionDelete, Private: "null"},
		{Address: "a.dtc", Action: ActionDeleteThenCreate, Private: `{"_new_extra_shim":{}}`},
		{Address: `a.ctd["k"]`, Action: ActionCreateThenDelete, Private: "\x00bin"},
	}
	if !reflect.DeepEqual(f.Deletes, want) {
		t.Errorf("Deletes = %+v\nwant %+v", f.Deletes, want)
	}
	if f.Deletes[1].Key() != "a.del (deposed 00000001)" && !strings.Contains(f.Deletes[1].Key(), "00000001") {
		t.Errorf("Key = %q", f.Deletes[1].Key())
	}
	if f.Deletes[0].Replace() || !f.Deletes[2].Replace() || !f.Deletes[3].Replace() {
		t.Error("Replace() wrong")
	}
}

// TestPlannedDeletesRefused: a change record that is ambiguous or corrupt
// is refused (protocol buffers would take the last of a repeated field).
func TestPlannedDeletesRefused(t *testing.T) {
	bs, vi := planfiletest.Bytes, planfiletest.Varint
	good := func() []byte { return planfiletest.Change("a.b", "", 5, "p", true) }
	action := func(v ...uint64) []byte {
		var ch []byte
		for _, a := range v {
			ch = vi(ch, 1, a)
		}
		return ch
	}
	for _, tc := range []struct {
		name, want string
		change     []byte
	}{
		{"private twice", "field 10 appears twice", bs(good(), 10, []byte("q"))},
		{"address twice", "field 13 appears twice", bs(good(), 13, []byte("a.c"))},
		{"deposed twice", "field 7 appears twice", bs(bs(good(), 7, []byte("1")), 7, []byte("2"))},
		{"change twice", "field 9 appears twice", bs(good(), 9, action(5))},
		{"action twice", "action appears twice", bs(bs(nil, 13, []byte("a.b")), 9, action(5, 1))},
		{"private as varint", "wire type", vi(bs(nil, 13, []byte("a.b")), 10, 1)},
		{"no address", "no address", bs(nil, 9, action(5))},
		{"bad address", "UTF-8", bs(bs(nil, 13, []byte{0xff}), 9, action(5))},
		{"truncated field", "past the end", append(bs(nil, 13, []byte("a.b")), 0x52, 0x7f)},
		{"group", "wire type", append(bs(nil, 13, []byte("a.b")), 0x0b)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := read(savedPlan(t, withChanges(t, tc.change)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one with %q", err, tc.want)
			}
		})
	}
}
