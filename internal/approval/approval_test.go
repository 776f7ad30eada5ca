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
	Payload   string `json:"payload"`
	SHA256    string `json:"sha256"`
}

func (v payloadVector) statement() Statement {
	return Statement{Scope: v.Scope, Target: v.Target, Action: v.Action, Reason: v.Reason, ExpiresAt: v.ExpiresAt, Identity: v.Identity}
}

var vectorInputs = []payloadVector{
	{Comment: "minimal delete at the root", Scope: "prod", Target: "terraform_data.prod_db", Action: "delete", Reason: "CHG-1042: retire", ExpiresAt: "2026-12-01T00:00:00Z"},
	{Comment: "module path, string key, identity bound", Scope: "prod", Target: `module.data["eu"].aws_db_instance.legacy[0]`, Action: "replace", Reason: "engine upgrade", ExpiresAt: "2026-12-01T12:30:00+01:00", Identity: "legacy-db-1"},
	{Comment: "escapes: quote, backslash, control characters, DEL and non-ASCII kept raw", Scope: "eu-west_1.prod", Target: `terraform_data.x["a\"b"]`, Action: "forget", Reason: "tab\there \"q\" back\\slash \x01\x1f\x7f é 日本 \u2028 \U0001F600 \b\f\r\n", ExpiresAt: "2027-01-01T00:00:00.5Z", Identity: "<&>"},
	{Comment: "update", Scope: "staging", Target: "module.a.module.b.terraform_data.c", Action: "update", Reason: "rotate", ExpiresAt: "2026-11-30T23:59:59Z"},
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
		if m["type"] != PayloadType || m["reason"] != v.Reason || m["target"] != v.Target || len(m) != 7 {
			t.Errorf("%s: payload decodes to %v", v.Comment, m)
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
