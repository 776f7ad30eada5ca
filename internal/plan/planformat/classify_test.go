package planformat

import (
	"errors"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		actions []string
		kind    Kind
	}{
		{[]string{"create"}, KindCreate},
		{[]string{"delete"}, KindDelete},
		{[]string{"delete", "create"}, KindReplace},
		{[]string{"create", "delete"}, KindReplace},
		{[]string{"update"}, KindUpdate},
		{[]string{"forget"}, KindForget},
		{[]string{"create", "forget"}, KindForget},
		{[]string{"no-op"}, KindNoOp},
		{[]string{"read"}, KindRead},
		{nil, ""},
		{[]string{}, ""},
		{[]string{"Delete"}, ""},
		{[]string{"replace"}, ""},
		{[]string{"forget", "create"}, ""},
		{[]string{"delete", "forget"}, ""},
		{[]string{"update", "update"}, ""},
		{[]string{"no-op", "delete"}, ""},
		{[]string{"read", "create"}, ""},
	}
	for _, tt := range tests {
		k, err := Classify(tt.actions)
		if k != tt.kind || (err == nil) != (tt.kind != "") {
			t.Errorf("Classify(%q) = %q, %v; want %q", tt.actions, k, err, tt.kind)
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Errorf("Classify(%q) error %v does not wrap ErrMalformed", tt.actions, err)
		}
	}
}

func TestDestructive(t *testing.T) {
	for k, want := range map[Kind]bool{
		KindCreate: false, KindDelete: true, KindReplace: true, KindUpdate: false,
		KindForget: true, KindNoOp: false, KindRead: false, Kind("other"): false,
	} {
		if k.Destructive() != want {
			t.Errorf("%q.Destructive() = %v", k, !want)
		}
	}
}
