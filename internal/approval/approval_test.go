package approval

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/payload_vectors.json from the implementation")

// payloadVector is one entry of testdata/payload_vectors.json, a test kit
// other implementations can run: the statement, the exact payload, its SHA-256.
type payloadVector struct {
	Comment   string `json:"comment"`
	Scope     string `json:"scope"`
	Target    string `json:"target"`
	Action    string `json:"action"`
	Reason    string `json:"reason"`
	ExpiresAt string `json:"expires_at"`
	Identity  string `json:"identity"`
	From      string `json:"from,omitempty"`
	IssuedAt  string `json:"issued_at,omitempty"`
	Payload   string `json:"payload"`
	SHA256    string `json:"sha256"`
}

func (v payloadVector) statement() Statement {
	return Statement{Scope: v.Scope, Target: v.Target, Action: v.Action, Reason: v.Reason, ExpiresAt: v.ExpiresAt, Identity: v.Identity, From: v.From, IssuedAt: v.IssuedAt}
}

var vectorInputs = []payloadVector{
	{Comment: "minimal delete at the root", Scope: "prod", Target: "terraform_data.prod_db", Action: "delete", Reason: "CHG-1042: retire", ExpiresAt: "2026-12-01T00:00:00Z"},
	{Comment: "module path, string key, identity bound", Scope: "prod", Target: `module.data["eu"].aws_db_instance.legacy[0]`, Action: "replace", Reason: "engine upgrade", ExpiresAt: "2026-12-01T12:30:00+01:00", Identity: "legacy-db-1"},
	{Comment: "escapes: quote, backslash, control characters, DEL and non-ASCII kept raw", Scope: "eu-west_1.prod", Target: `terraform_data.x["a\"b"]`, Action: "forget", Reason: "tab\there \"q\" back\\slash \x01\x1f\x7f é 日本 \u2028 \U0001F600 \b\f\r\n", ExpiresAt: "2027-01-01T00:00:00.5Z", Identity: "<&>"},
	{Comment: "update", Scope: "staging", Target: "module.a.module.b.terraform_data.c", Action: "update", Reason: "rotate", ExpiresAt: "2026-11-30T23:59:59Z"},
	// Entries below carry the optional members from and issued_at; the ones
	// above must keep their exact payloads (an approval without them signs
	// the bytes it signed before they existed).
	{Comment: "move out of a protected address, with from, identity and issued_at", Scope: "prod", Target: "module.archive.terraform_data.prod_db", Action: "move", Reason: "CHG-2001: move the database into the archive module", ExpiresAt: "2026-12-01T00:00:00Z", Identity: "db-1", From: "terraform_data.prod_db", IssuedAt: "2026-11-24T09:30:00Z"},
	{Comment: "delete of an object moved in the same plan: from only, module key with quotes", Scope: "prod", Target: "aws_db_instance.legacy", Action: "delete", Reason: "retire after the rename", ExpiresAt: "2026-12-01T12:30:00+01:00", From: `module.data["eu"].aws_db_instance.legacy[0]`},
	{Comment: "provision with issued_at only, fractional seconds", Scope: "prod", Target: "terraform_data.housekeeping", Action: "provision", Reason: "nightly cleanup script, reviewed in PR 77", ExpiresAt: "2026-11-25T09:30:00Z", IssuedAt: "2026-11-24T09:30:00.250Z"},
}

func TestPayloadVectors(t *testing.T) {
	path := filepath.Join("testdata", "payload_vectors.json")
	if *update {
		var out []payloadVector
		for _, v := range vectorInputs {
			p, err := v.statement().Payload()
			if err != nil {
				t.Fatalf("%s: %v", v.Comment, err)
			}
			sum := sha256.Sum256(p)
			v.Payload, v.SHA256 = string(p), hex.EncodeToString(sum[:])
			out = append(out, v)
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var vs []payloadVector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) < len(vectorInputs) {
		t.Fatalf("%d vectors, want %d", len(vs), len(vectorInputs))
	}
	for _, v := range vs {
		p, err := v.statement().Payload()
		if err != nil {
			t.Fatalf("%s: %v", v.Comment, err)
		}
		if string(p) != v.Payload {
			t.Errorf("%s:\n got %s\nwant %s", v.Comment, p, v.Payload)
		}
		id, _ := v.statement().ID()
		if id != v.SHA256 {
			t.Errorf("%s: id %s, want %s", v.Comment, id, v.SHA256)
		}
		// The payload is valid JSON that decodes back to the same members.
		var m map[string]string
		if err := json.Unmarshal(p, &m); err != nil {
			t.Fatalf("%s: payload is not JSON: %v", v.Comment, err)
		}
		// Every member is the statement's field, "from" and "issued_at"
		// present exactly when not empty, nothing else.
		want := map[string]string{"type": PayloadType, "scope": v.Scope, "target": v.Target, "action": v.Action,
			"reason": v.Reason, "expires_at": v.ExpiresAt, "identity": v.Identity}
		if v.From != "" {
			want["from"] = v.From
		}
		if v.IssuedAt != "" {
			want["issued_at"] = v.IssuedAt
		}
		if len(m) != len(want) {
			t.Errorf("%s: payload has %d members, want %d: %v", v.Comment, len(m), len(want), m)
		}
		for k, w := range want {
			if g, ok := m[k]; !ok || g != w {
				t.Errorf("%s: member %s = %q (present %v), want %q", v.Comment, k, g, ok, w)
			}
		}
	}
}

func TestPayloadExact(t *testing.T) {
	st := Statement{Scope: "prod", Target: "terraform_data.prod_db", Action: "delete", Reason: "a\tb\x00\"", ExpiresAt: "2026-12-01T00:00:00Z"}
	p, err := st.Payload()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"action":"delete","expires_at":"2026-12-01T00:00:00Z","identity":"","reason":"a\tb\u0000\"","scope":"prod","target":"terraform_data.prod_db","type":"planguard.approval/v1"}`
	if string(p) != want {
		t.Fatalf("got  %s\nwant %s", p, want)
	}
}

func TestValidate(t *testing.T) {
	good := Statement{Scope: "prod", Target: "terraform_data.db", Action: "delete", Reason: "r", ExpiresAt: "2026-12-01T00:00:00Z"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		field string
		edit  func(*Statement)
	}{
		{"scope", func(s *Statement) { s.Scope = "" }},
		{"scope", func(s *Statement) { s.Scope = "pro d" }},
		{"scope", func(s *Statement) { s.Scope = "prød" }},
		{"scope", func(s *Statement) { s.Scope = strings.Repeat("a", 129) }},
		{"target", func(s *Statement) { s.Target = "" }},
		{"target", func(s *Statement) { s.Target = "terraform_data" }},
		{"target", func(s *Statement) { s.Target = "data.terraform_remote_state.x" }},
		{"target", func(s *Statement) { s.Target = "module.a" }},
		{"target", func(s *Statement) { s.Target = "terraform_data.db[\"x\"" }},
		{"target", func(s *Statement) { s.Target = "terraform_data.db ['x']" }},
		{"target", func(s *Statement) { s.Target = "terraform_data.db[ 0]" }},
		{"action", func(s *Statement) { s.Action = "destroy" }},
		{"action", func(s *Statement) { s.Action = "Delete" }},
		{"reason", func(s *Statement) { s.Reason = "  " }},
		{"reason", func(s *Statement) { s.Reason = "\xff" }},
		{"expires_at", func(s *Statement) { s.ExpiresAt = "2026-12-01" }},
		{"expires_at", func(s *Statement) { s.ExpiresAt = "tomorrow" }},
		{"identity", func(s *Statement) { s.Identity = "\xfe" }},
		{"from", func(s *Statement) { s.From = "terraform_data.db" }}, // equals target
		{"from", func(s *Statement) { s.From = "module.a" }},
		{"from", func(s *Statement) { s.From = "data.terraform_remote_state.x" }},
		{"from", func(s *Statement) { s.From = "terraform_data.db[ 0]" }},
		{"from", func(s *Statement) { s.Action = ActionMove }}, // move without from
		{"from", func(s *Statement) { s.Action = ActionProvision; s.From = "terraform_data.old" }},
		{"issued_at", func(s *Statement) { s.IssuedAt = "2026-11-24" }},
		{"issued_at", func(s *Statement) { s.IssuedAt = "2026-11-24T10:30:00+01:00" }}, // not UTC "Z"
		{"issued_at", func(s *Statement) { s.IssuedAt = "2026-11-24T09:30:00z" }},
		{"issued_at", func(s *Statement) { s.IssuedAt = "2026-12-01T00:00:00Z" }}, // not before expires_at
		{"issued_at", func(s *Statement) { s.IssuedAt = "2027-01-01T00:00:00Z" }},
		{"issued_at", func(s *Statement) { s.IssuedAt = "now" }},
	}
	for _, c := range cases {
		s := good
		c.edit(&s)
		err := s.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: got %v, want error on %s", s, err, c.field)
		}
		if _, perr := s.Payload(); perr == nil {
			t.Errorf("%+v: Payload accepted an invalid statement", s)
		}
	}
}

// TestValidateFromAndIssuedAt: the combinations the statement allows.
func TestValidateFromAndIssuedAt(t *testing.T) {
	base := Statement{Scope: "prod", Target: "module.new.terraform_data.db", Reason: "r", ExpiresAt: "2026-12-01T01:00:00+01:00"}
	for _, a := range []string{ActionDelete, ActionReplace, ActionUpdate, ActionForget, ActionMove} {
		s := base
		s.Action, s.From, s.IssuedAt = a, "terraform_data.db", "2026-11-30T23:59:59.5Z"
		if err := s.Validate(); err != nil {
			t.Errorf("%s with from and issued_at: %v", a, err)
		}
	}
	for _, a := range []string{ActionDelete, ActionProvision} {
		s := base
		s.Action = a
		if err := s.Validate(); err != nil {
			t.Errorf("%s without from: %v", a, err)
		}
	}
	// issued_at is compared as an instant with an expires_at in another zone:
	// 2026-12-01T01:00:00+01:00 is 2026-12-01T00:00:00Z.
	s := base
	s.Action, s.IssuedAt = ActionDelete, "2026-12-01T00:00:00Z"
	var fe *FieldError
	if err := s.Validate(); !errors.As(err, &fe) || fe.Field != "issued_at" {
		t.Errorf("issued_at equal to expires_at in another zone: %v", err)
	}
}

// TestPayloadOptionalMembers: from and issued_at change the signed bytes
// only when set; set, each is signed (so it cannot be dropped or altered).
func TestPayloadOptionalMembers(t *testing.T) {
	old := Statement{Scope: "prod", Target: "terraform_data.prod_db", Action: "delete", Reason: "CHG-1042: retire", ExpiresAt: "2026-12-01T00:00:00Z"}
	p, _ := old.Payload()
	// The first vector's payload, unchanged since before from and issued_at.
	if string(p) != `{"action":"delete","expires_at":"2026-12-01T00:00:00Z","identity":"","reason":"CHG-1042: retire","scope":"prod","target":"terraform_data.prod_db","type":"planguard.approval/v1"}` {
		t.Fatalf("payload without from/issued_at changed: %s", p)
	}
	withBoth := old
	withBoth.From, withBoth.IssuedAt = "terraform_data.old_db", "2026-11-24T09:30:00Z"
	p2, err := withBoth.Payload()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"action":"delete","expires_at":"2026-12-01T00:00:00Z","from":"terraform_data.old_db","identity":"","issued_at":"2026-11-24T09:30:00Z","reason":"CHG-1042: retire","scope":"prod","target":"terraform_data.prod_db","type":"planguard.approval/v1"}`
	if string(p2) != want {
		t.Fatalf("got  %s\nwant %s", p2, want)
	}
	ids := map[string]bool{}
	for _, st := range []Statement{old, withBoth, {Scope: old.Scope, Target: old.Target, Action: old.Action, Reason: old.Reason, ExpiresAt: old.ExpiresAt, From: withBoth.From},
		{Scope: old.Scope, Target: old.Target, Action: old.Action, Reason: old.Reason, ExpiresAt: old.ExpiresAt, IssuedAt: withBoth.IssuedAt}} {
		id, err := st.ID()
		if err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	if len(ids) != 4 {
		t.Fatalf("from/issued_at present or absent give %d distinct payloads, want 4", len(ids))
	}
}
