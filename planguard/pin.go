package main

import (
	"fmt"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/check"
	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// authorArg is the --author flag, repeatable: a plan of a branch can carry
// several merges not yet applied, each with its own author. Whether it was
// given matters, since an explicitly empty author is an error while an
// absent one is not.
type authorArg struct {
	values []string
	set    bool
}

func (a *authorArg) register(fs *flags, usage string) {
	fs.Func("author", usage, func(s string) error {
		a.values, a.set = append(a.values, s), true
		return nil
	})
}

// resolve returns every --author, else $PLANGUARD_AUTHOR (one principal),
// with surrounding white space trimmed and case-folded duplicates dropped;
// nil when neither is set. An author given but empty (or only white space)
// is an error: it would exclude nobody, silently, as when a CI variable did
// not resolve.
func (a *authorArg) resolve(e *env) ([]string, error) {
	vs, from := a.values, "--author"
	if !a.set {
		v := e.getenv("PLANGUARD_AUTHOR")
		if v == "" {
			return nil, nil // absent: nobody is excluded, as documented
		}
		vs, from = []string{v}, "$PLANGUARD_AUTHOR"
	}
	var out []string
	for _, v := range vs {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil, withHint(fmt.Errorf("%s is empty: the author's own signatures never count, and an empty author would exclude nobody", from),
				"pass the principal who proposed the change, as allowed_signers names them; where the pipeline cannot resolve the author, fail the job instead of passing an empty value")
		}
		out = append(out, v)
	}
	return gate.AuthorList("", out), nil
}

// validPin reports whether s looks like a hex SHA-256.
func validPin(s string) bool { return check.ValidPin(s) }

func runPolicyHash(e *env, args []string) (int, error) {
	fs := newFlags("policy-hash", "planguard policy-hash [--policy FILE] [--manifest]",
		`Print the policy hash that --policy-sha256 (and the GitHub Action's policy-sha256) pins:
the SHA-256 of a short manifest that names the policy file and every trust file it
names (allowed_signers; revocation files when the policy names them), each with its
SHA-256. A byte changed in any of them changes the hash. The policy and its trust
files must load, as for check. --manifest prints the manifest instead; its SHA-256 is
the hash (see the security guide for the sha256sum commands that reproduce it).`,
		`  planguard policy-hash --policy policy/planguard.hcl
  planguard policy-hash --policy policy/planguard.hcl --manifest | sha256sum
`)
	path := fs.String("policy", defaultPolicy, "policy `FILE` (HCL)")
	manifest := fs.Bool("manifest", false, "print the manifest that is hashed, not the hash")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 0 {
		return exitError, &usageError{msg: "policy-hash takes no arguments", hint: "run 'planguard policy-hash --policy FILE'"}
	}
	pol, _, err := loadPolicy(*path)
	if err != nil {
		return exitError, err
	}
	if *manifest {
		m, err := pol.HashManifest()
		if err != nil {
			return exitError, err
		}
		_, err = e.stdout.Write(m)
		return exitAllow, err
	}
	fmt.Fprintln(e.stdout, pol.Hash)
	return exitAllow, nil
}
