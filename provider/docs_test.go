package provider

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
)

// signingGuide is the hand-written signing guide. tfplugindocs copies it from
// templates/guides/ to docs/guides/.
const (
	signingGuideSource    = "../templates/guides/signing.md"
	signingGuideGenerated = "../docs/guides/signing.md"
)

// TestSigningGuideWorkedExample keeps the signing guide's worked example
// true: the payload it prints with printf, its length and its SHA-256 must be
// what approval.Statement.Payload computes for the fields the guide states.
func TestSigningGuideWorkedExample(t *testing.T) {
	doc, err := os.ReadFile(signingGuideSource)
	if err != nil {
		t.Fatal(err)
	}
	st := checkWorkedExample(t, between(t, string(doc), "## A worked example\n", "\n## "))
	if st.From != "" || st.IssuedAt != "" {
		t.Errorf("the first worked example should be the plain one, without from and issued_at: %+v", st)
	}
	// The second: the optional members, in their sorted places.
	st = checkWorkedExample(t, between(t, string(doc), "## A worked example with from and issued_at\n", "\n## "))
	if st.From == "" || st.IssuedAt == "" || st.Action != approval.ActionMove {
		t.Errorf("the second worked example should be a move with from and issued_at: %+v", st)
	}
	if !strings.Contains(string(doc), approval.PayloadType) {
		t.Errorf("the guide does not name the payload type %s", approval.PayloadType)
	}
}

// checkWorkedExample checks one worked example section and returns its statement.
func checkWorkedExample(t *testing.T, section string) approval.Statement {
	t.Helper()

	// The statement: the attribute lines of the first hcl block.
	hclBlock := between(t, section, "```hcl\n", "```")
	fields := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s*(\w+)\s*=\s*("(?:[^"\\]|\\.)*")\s*$`).FindAllStringSubmatch(hclBlock, -1) {
		v, err := strconv.Unquote(m[2])
		if err != nil {
			t.Fatalf("unquote %s: %v", m[2], err)
		}
		fields[m[1]] = v
	}
	st := approval.Statement{
		Scope:     fields["scope"],
		Target:    fields["target"],
		Action:    fields["action"],
		Reason:    fields["reason"],
		ExpiresAt: fields["expires_at"],
		Identity:  fields["identity"],
		From:      fields["from"],
		IssuedAt:  fields["issued_at"],
	}
	want, err := st.Payload()
	if err != nil {
		t.Fatalf("the guide's statement %+v is invalid: %v", st, err)
	}

	// The payload: printf '%s' '...' > payload.
	m := regexp.MustCompile(`(?m)^printf '%s' '([^']*)' > payload$`).FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("the worked example has no line: printf '%%s' '...' > payload")
	}
	if got := []byte(m[1]); !bytes.Equal(got, want) {
		t.Errorf("the guide's payload\n  %s\nis not the payload of its statement\n  %s", got, want)
	}

	// Its length and hash.
	if n := regexp.MustCompile(`payload is these (\d+) bytes`).FindStringSubmatch(section); n == nil || n[1] != strconv.Itoa(len(want)) {
		t.Errorf("the guide states the payload length as %v; it is %d bytes", n, len(want))
	}
	sum := sha256.Sum256(want)
	if !strings.Contains(section, hex.EncodeToString(sum[:])+"  payload") {
		t.Errorf("the guide lacks the payload's sha256sum line %s  payload", hex.EncodeToString(sum[:]))
	}
	if id, _ := st.ID(); id != hex.EncodeToString(sum[:]) {
		t.Errorf("Statement.ID() = %s, want the payload's SHA-256", id)
	}

	// The commands are the ones this package and the gate rely on.
	for _, cmd := range []string{
		"ssh-keygen -Y sign -n " + approval.Namespace + " -f alice payload",
		"ssh-keygen -Y verify -f allowed_signers -I alice@example.com -n " + approval.Namespace + " -s payload.sig < payload",
	} {
		if !strings.Contains(section, cmd) {
			t.Errorf("the worked example lacks the command %q", cmd)
		}
	}
	return st
}

// TestSigningGuideGenerated checks that docs/ holds the current guide:
// run `go generate` (make generate) after editing templates/.
func TestSigningGuideGenerated(t *testing.T) {
	src, err := os.ReadFile(signingGuideSource)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := os.ReadFile(signingGuideGenerated)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, gen) {
		t.Errorf("%s differs from %s: run `make generate`", signingGuideGenerated, signingGuideSource)
	}
}

// between returns the text of s after the first start and before the next end.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	_, after, ok := strings.Cut(s, start)
	if !ok {
		t.Fatalf("missing %q", start)
	}
	if i := strings.Index(after, end); i >= 0 {
		return after[:i]
	}
	return after
}
