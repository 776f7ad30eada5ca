package policy

import "testing"

// TestIDSpellings: an ids glob matches the other spellings of the id it
// names that idspelling.go recognises (r16e: an import as
// "objects//prod-db" escaped "objects/prod-db"), and not other ids.
func TestIDSpellings(t *testing.T) {
	for _, tc := range []struct {
		glob, id string
		want     bool
	}{
		{"/lab/objects/prod-db", "/lab/objects/prod-db", true},
		{"/lab/objects/prod-db", "/lab/objects//prod-db", true},
		{"/lab/objects/prod-db", "/lab//objects///prod-db/", true},
		{"/lab/objects/prod-db", "/lab/./objects/x/../prod-db", true},
		{"/lab/objects/prod-db", "/LAB/Objects/PROD-DB", true},
		{"/lab/objects/prod-db", " \\lab\\objects\\prod-db\t", true},
		{"/lab/objects/prod-db", "objects/prod-db", true}, // a relative spelling: a tail of the glob
		{"/lab/objects/prod-db", "prod-db", true},
		{"/lab/objects/prod-db", "/lab/objects/prod-db2", false},
		{"/lab/objects/prod-db", "/lab/objects", false},
		{"/lab/objects/prod-db", "/other/prod-db-x", false},
		{"prod-db", "arn:aws:rds:eu-west-1:1:db:prod-db", true}, // an ARN for a name
		{"prod-db", "projects/p/instances/Prod-DB", true},
		{"prod-db", "prod-db-2", false},
		{"prod-db", "xprod-db", false},
		{"arn:aws:rds:*:*:db:prod-*", "prod-main", true}, // a name for an ARN
		{"arn:aws:rds:*:*:db:prod-*", "staging-main", false},
		{"projects/*", "anything", false}, // a tail of only wildcards is no tail
		{"prod-db-?", "prod-db-17", false},
		{"Z123ABC", "/hostedzone/Z123ABC", true}, // a prefix before a separator
		{"/hostedzone/Z123ABC", "z123abc", true},
		{"prod-db", "", false},
	} {
		if got := compileIDGlob(tc.glob).match(tc.id); got != tc.want {
			t.Errorf("ids glob %q on id %q: %v, want %v", tc.glob, tc.id, got, tc.want)
		}
	}
}

// TestNamedID: a value of a new object's attributes names a protected id
// when it is the id (in any spelling match recognises), a longer path or
// ARN ending in it, or a relative path or partial ARN of two segments or
// more; a short name alone (a one-segment tail of the glob) does not.
func TestNamedID(t *testing.T) {
	for _, tc := range []struct {
		glob, value string
		want        bool
	}{
		{"/lab/objects/prod-db", "/lab/objects/prod-db", true},
		{"/lab/objects/prod-db", "/lab//objects/./prod-db/", true},
		{"/lab/objects/prod-db", "/LAB/objects/PROD-DB", true},
		{"/lab/objects/prod-db", "../../lab/objects/prod-db", true}, // relative to the apply's directory
		{"/lab/objects/prod-db", "objects/prod-db", true},
		{"/lab/objects/prod-db", "/mnt/lab/objects/prod-db", true},
		{"/lab/objects/prod-db", "prod-db", false}, // a short name
		{"/lab/objects/prod-db", "/other/prod-db", false},
		{"/lab/objects/prod-db", "/lab/objects/prod-db2", false},
		{"/lab/objects/prod-db", "pwned", false},
		{"prod-db-1", "prod-db-1", true},
		{"prod-db-1", "arn:aws:rds:eu-west-1:1:db:prod-db-1", true},
		{"prod-db-1", "prod-db-10", false},
		{"arn:aws:rds:*:*:db:prod-*", "prod-web", false}, // "prod-*" alone is a short name
		{"arn:aws:rds:*:*:db:prod-*", "arn:aws:rds:eu-west-1:1:db:prod-main", true},
		{"arn:aws:rds:*:*:db:prod-*", "db:prod-main", true},
		{"arn:aws:s3:::prod-bucket/reports/*", "prod-bucket/reports/q1.csv", true},
		{"arn:aws:s3:::prod-bucket/reports/*", "q1.csv", false},
		{"prod-db-1", "", false},
	} {
		p := &Policy{Rules: []*Rule{{Name: "r", ids: []idGlob{compileIDGlob(tc.glob)}, actions: actDelete | actReplace}}}
		if got := p.NamesProtectedID(tc.value); got != tc.want {
			t.Errorf("ids glob %q named by value %q: %v, want %v", tc.glob, tc.value, got, tc.want)
		}
		if _, ok := p.RequireNamedID(tc.value, ActionUpdate); ok {
			t.Errorf("glob %q value %q: a rule without update matched update", tc.glob, tc.value)
		}
	}
}
