package gate

import (
	"fmt"

	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// warnings are the report's non-blocking findings about the input.
func warnings(in Input) []string {
	var w []string
	for _, a := range in.authors() {
		if s := AuthorWarning(in.Trust, a); s != "" {
			w = append(w, s)
		}
	}
	return w
}

// AuthorWarning is the warning for an author whom no allowed_signers line
// names (matching as separation of duties does, ignoring case), or "" when
// some line does or no author is set. It is not an error: an agent's
// identity is rightly absent from the trust file. But a login where the
// file names e-mails excludes nobody, so that author could approve their
// own change.
func AuthorWarning(trust *trust.AllowedSigners, author string) string {
	if author == "" || len(trust.KeysOf(author)) > 0 {
		return ""
	}
	return fmt.Sprintf("author %q matches no principal in allowed_signers, so no signature is excluded as the author's own; if the author can approve, pass --author as allowed_signers names them (e.g. their e-mail)", author)
}
