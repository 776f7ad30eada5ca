package approval

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// PlanApprovalCount is the outcome of counting plan approvals.
type PlanApprovalCount struct {
	// Principals are the distinct trusted principals counted, in order.
	Principals []string
	// Problems say why each other approval did not count.
	Problems []string
}

// CountPlanApprovals counts the plan approval files that name exactly
// scope and planSHA256, have not expired at now, and carry a signature
// trust accepts; each principal counts once, and so does each key (two
// principals sharing a key are one signer). The author's approvals never
// count, by principal (case folded), by a key allowed_signers lists for the
// author, or by a certificate that names the author — as in the gate.
// Each of authors is excluded so (a plan can carry several authors'
// changes); empty names are ignored, and no authors excludes nobody.
func CountPlanApprovals(files [][]byte, scope, planSHA256 string, authors []string, signers *trust.AllowedSigners, now time.Time) PlanApprovalCount {
	var c PlanApprovalCount
	principals, keys := map[string]bool{}, map[string]bool{}
	authorKeys := map[string]string{} // fingerprint → the author it is listed for
	isAuthor := func(p string) (string, bool) {
		for _, a := range authors {
			if a != "" && strings.EqualFold(p, a) {
				return a, true
			}
		}
		return "", false
	}
	for _, a := range authors {
		if a == "" {
			continue
		}
		for fp := range signers.KeysOf(a) {
			if _, ok := authorKeys[fp]; !ok {
				authorKeys[fp] = a
			}
		}
	}
	for i, raw := range files {
		f, err := ParsePlanApprovalFile(raw)
		if err != nil {
			c.Problems = append(c.Problems, fmt.Sprintf("approval %d: %v", i+1, err))
			continue
		}
		who := fmt.Sprintf("approval %d (%s)", i+1, f.Principal)
		switch exp, _ := ParseExpiry(f.ExpiresAt); {
		case f.Scope != scope:
			c.Problems = append(c.Problems, fmt.Sprintf("%s: names scope %q, not %q", who, f.Scope, scope))
			continue
		case f.PlanSHA256 != planSHA256:
			c.Problems = append(c.Problems, fmt.Sprintf("%s: approves plan %s, not this plan %s", who, f.PlanSHA256, planSHA256))
			continue
		case !now.Before(exp):
			c.Problems = append(c.Problems, fmt.Sprintf("%s: expired at %s", who, f.ExpiresAt))
			continue
		case slices.ContainsFunc(authors, func(a string) bool { return a != "" && strings.EqualFold(f.Principal, a) }):
			c.Problems = append(c.Problems, fmt.Sprintf("%s: %s is the change's author and cannot approve it", who, f.Principal))
			continue
		}
		v, err := VerifyPlanApproval(f.Statement(), f.Principal, f.Signature, signers, now)
		if err != nil {
			var se *SignatureError
			if errors.As(err, &se) {
				err = se.Err
			}
			c.Problems = append(c.Problems, fmt.Sprintf("%s: %v", who, err))
			continue
		}
		if author, ok := authorKeys[v.Fingerprint]; ok {
			c.Problems = append(c.Problems, fmt.Sprintf("%s: signed with key %s, which allowed_signers lists for the change's author %s", who, v.Fingerprint, author))
			continue
		}
		if v.Certificate != nil {
			author := ""
			for _, p := range v.Certificate.Principals {
				if a, ok := isAuthor(p); ok {
					author = a
					break
				}
			}
			if author != "" {
				c.Problems = append(c.Problems, fmt.Sprintf("%s: signed with a certificate that also names the change's author %s", who, author))
				continue
			}
		}
		if principals[v.Principal] {
			c.Problems = append(c.Problems, fmt.Sprintf("%s: %s is counted already", who, v.Principal))
			continue
		}
		if keys[v.Fingerprint] {
			c.Problems = append(c.Problems, fmt.Sprintf("%s: key %s signed another counted approval already", who, v.Fingerprint))
			continue
		}
		principals[v.Principal], keys[v.Fingerprint] = true, true
		c.Principals = append(c.Principals, v.Principal)
	}
	return c
}
