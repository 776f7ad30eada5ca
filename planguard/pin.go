package main

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// authorArg is the --author flag: whether it was given matters, since an
// explicitly empty author is an error while an absent one is not.
type authorArg struct {
	value string
	set   bool
}

func (a *authorArg) register(fs *flags, usage string) {
	fs.Func("author", usage, func(s string) error {
		a.value, a.set = s, true
		return nil
	})
}

// resolve returns --author, else $PLANGUARD_AUTHOR, with surrounding white
// space trimmed; "" when neither is set. An author given but empty (or only
// white space) is an error: it would exclude nobody, silently, as when a CI
// variable did not resolve.
func (a *authorArg) resolve(e *env) (string, error) {
	v, from := a.value, "--author"
	if !a.set {
		v, from = e.getenv("PLANGUARD_AUTHOR"), "$PLANGUARD_AUTHOR"
		if v == "" {
			return "", nil // absent: nobody is excluded, as documented
		}
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", withHint(fmt.Errorf("%s is empty: the author's own signatures never count, and an empty author would exclude nobody", from),
			"pass the principal who proposed the change, as allowed_signers names them; where the pipeline cannot resolve the author, fail the job instead of passing an empty value")
	}
	return v, nil
}

// validPin reports whether s looks like a hex SHA-256.
func validPin(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// checkPolicyPin refuses a policy whose hash is not the pinned one. An
// empty pin checks nothing (check and apply without --policy-sha256).
func checkPolicyPin(path string, pol *policy.Policy, pin string) error {
	if pin == "" {
		return nil
	}
	if !validPin(pin) {
		return &usageError{msg: fmt.Sprintf("--policy-sha256 %q is not a hex SHA-256", pin), hint: "run 'planguard policy-hash --policy " + path + "' where the policy is trusted, and pin what it prints"}
	}
	pin = strings.ToLower(pin)
	if pol.Hash == "" {
		return fmt.Errorf("internal error: policy %s has no policy hash", path)
	}
	if pin == pol.Hash {
		return nil
	}
	if pin == pol.SHA256 {
		return withHint(fmt.Errorf("--policy-sha256 is the SHA-256 of %s alone, but the pin covers the policy and its trust files (allowed_signers): its policy hash is %s", path, pol.Hash),
			"check that the trust files are the intended ones, then pin the value 'planguard policy-hash --policy "+path+"' prints")
	}
	return withHint(fmt.Errorf("policy %s with its trust files has policy hash %s, not the pinned %s: the policy or a trust file it names (%s) changed", path, pol.Hash, pin, trustFileList(pol)),
		"if the change is intended, update the pin where CI sets --policy-sha256 to what 'planguard policy-hash --policy "+path+"' prints")
}

func trustFileList(pol *policy.Policy) string {
	var names []string
	for _, f := range pol.TrustFiles() {
		names = append(names, f.Path)
	}
	return strings.Join(names, ", ")
}

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
