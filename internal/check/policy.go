package check

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

// LoadPolicy reads the policy at path and the trust file it names
// (allowed_signers), and, when pin is not empty, refuses a policy whose
// policy hash (the policy and its trust files) is not pin. Every front door
// (check, apply, the hook, the runner, serve) loads its policy here; errors
// carry hints (package hint).
func LoadPolicy(path, pin string) (*policy.Policy, *trust.AllowedSigners, error) {
	pol, err := policy.Load(path)
	if err != nil {
		return nil, nil, hint.With(err, "fix the policy file; see docs/guides/policy.md")
	}
	signers, err := trust.ParseAllowedSigners(pol.AllowedSigners, pol.AllowedSignersPath, trust.ParseOptions{Location: time.Local, RevokedKeysName: pol.RevokedKeysPath, RevokedKeys: pol.RevokedKeys})
	if err != nil {
		return nil, nil, hint.With(fmt.Errorf("trust file named by %s: %w", path, err), "allowed_signers: each line is `PRINCIPAL [OPTIONS] KEYTYPE KEY`, as for ssh-keygen -Y verify; revoked_keys: a KRL made with ssh-keygen -k, or one public key per line")
	}
	if err := checkPin(path, pol, pin); err != nil {
		return nil, nil, err
	}
	return pol, signers, nil
}

// ErrProvidersNotPinned is the error (wrapped) for applying under a policy
// that neither pins provider builds (lock_file) nor restricts providers to
// named hosts and namespaces (providers).
var ErrProvidersNotPinned = errors.New("the policy does not pin providers")

// ProvidersPinned reports whether the policy chooses the providers a saved
// plan may run: their builds (lock_file) or at least their names, with a
// providers list each entry of which names its hostname and namespace
// without a wildcard. Without either, the plan's own lock file, which its
// author wrote, names any provider (registry.*/x/y matches a registry the
// author runs; registry.terraform.io/*/y a namespace anyone can publish
// under), and the check and the apply install and start it with the job's
// credentials.
func ProvidersPinned(pol *policy.Policy) bool {
	return providerPinProblem(pol) == ""
}

// providerPinProblem says why the policy does not pin providers, or "".
func providerPinProblem(pol *policy.Policy) string {
	if pol.LockFilePath != "" {
		return ""
	}
	if pol.Providers == nil {
		return "the policy has neither lock_file nor providers"
	}
	for _, g := range pol.Providers {
		parts := strings.SplitN(g, "/", 3)
		if len(parts) != 3 || strings.ContainsAny(parts[0]+"/"+parts[1], "*?") {
			return fmt.Sprintf("the policy has no lock_file, and its providers entry %q does not name a hostname and namespace without a wildcard (it lets the plan's lock file name a provider from any registry host or namespace, one the plan's author publishes)", g)
		}
	}
	return ""
}

// RequireProviderPin refuses, for a front door that applies (planguard
// apply), a policy that does not pin providers (ProvidersPinned).
func RequireProviderPin(pol *policy.Policy, path string) error {
	problem := providerPinProblem(pol)
	if problem == "" {
		return nil
	}
	return hint.With(fmt.Errorf("policy %s: %w: %s, so the providers the apply installs and starts with its credentials are whichever the saved plan's own lock file names, and the plan's author wrote that file (any provider, any build the job's CLI configuration can install); nothing applied", path, ErrProvidersNotPinned, problem),
		"add to "+path+" lock_file = \"FILE\" with a reviewed .terraform.lock.hcl (it pins names, versions and builds), or at least a providers list naming each provider your configuration uses by its exact hostname and namespace, e.g.\n"+
			"    providers = [\"registry.terraform.io/hashicorp/aws\", \"terraform.io/builtin/terraform\", \"registry.terraform.io/planguard/planguard\"]\n"+
			"  (docs/guides/policy.md, \"Pinning provider binaries\")")
}

// RequireProviderPinToAttest refuses, for a check that signs its decision
// (planguard check --attest, which holds the gate's key), a policy that does
// not pin providers (ProvidersPinned): the show would start provider builds
// the change's author chose beside the key, and planguard apply refuses
// such an attestation anyway (attest.RequireProvidersPinned).
func RequireProviderPinToAttest(pol *policy.Policy, path string) error {
	problem := providerPinProblem(pol)
	if problem == "" {
		return nil
	}
	return hint.With(fmt.Errorf("policy %s: %w: %s, so the providers the check's 'terraform show' starts, beside the gate's signing key, are whichever the saved plan's lock file names, and the plan's author wrote that file; nothing signed", path, ErrProvidersNotPinned, problem),
		"add to "+path+" lock_file = \"FILE\" with a reviewed .terraform.lock.hcl (it pins names, versions and builds), or at least a providers list naming each provider your configuration uses by its exact hostname and namespace "+
			"(docs/guides/policy.md, \"Pinning provider binaries\"); planguard apply --attestation refuses an attestation made without either")
}

// ValidPin reports whether s looks like a hex SHA-256 (a policy hash pin).
func ValidPin(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// checkPin refuses a policy whose hash is not the pinned one. An empty pin
// checks nothing.
func checkPin(path string, pol *policy.Policy, pin string) error {
	if pin == "" {
		return nil
	}
	if !ValidPin(pin) {
		return hint.With(fmt.Errorf("--policy-sha256 %q is not a hex SHA-256", pin), "run 'planguard policy-hash --policy "+path+"' where the policy is trusted, and pin what it prints")
	}
	pin = strings.ToLower(pin)
	if pol.Hash == "" {
		return fmt.Errorf("internal error: policy %s has no policy hash", path)
	}
	if pin == pol.Hash {
		return nil
	}
	if pin == pol.SHA256 {
		return hint.With(fmt.Errorf("--policy-sha256 is the SHA-256 of %s alone, but the pin covers the policy and its trust files (allowed_signers): its policy hash is %s", path, pol.Hash),
			"check that the trust files are the intended ones, then pin the value 'planguard policy-hash --policy "+path+"' prints")
	}
	return hint.With(fmt.Errorf("policy %s with its trust files has policy hash %s, not the pinned %s: the policy or a trust file it names (%s) changed", path, pol.Hash, pin, trustFileList(pol)),
		"if the change is intended, update the pin where CI sets --policy-sha256 to what 'planguard policy-hash --policy "+path+"' prints")
}

func trustFileList(pol *policy.Policy) string {
	var names []string
	for _, f := range pol.TrustFiles() {
		names = append(names, f.Path)
	}
	return strings.Join(names, ", ")
}

// Check's errors for an incomplete request.
var (
	errNoPolicy = errors.New("internal error: a check needs a policy and its trust (check.LoadPolicy)")
	errNoTime   = errors.New("internal error: a check needs the time to judge approvals at")
)

// ErrStateNotPinned is the error (wrapped) for applying under a policy
// without a state block.
var ErrStateNotPinned = errors.New("the policy has no state block")

// RequireStatePin refuses a policy without a state block for a front door
// that applies (planguard apply): the saved plan records the backend, its
// configuration and the workspace the apply writes, and the change's
// author chose them (the backend block, override files, -backend-config,
// the workspace). Pointed at a fresh state, a plan shows the gate none of
// the production objects it then changes. The hint shows the block to add
// (and lock_file, when the policy lacks it too).
func RequireStatePin(pol *policy.Policy, path string) error {
	if pol.State != nil {
		return nil
	}
	h := "add a state block to " + path + " naming the production state the apply may write, e.g.\n" +
		"    state {\n" +
		"      backend = \"s3\"\n" +
		"      config  = { bucket = \"acme-tf\", key = \"prod/terraform.tfstate\", region = \"eu-west-1\" }\n" +
		"    }\n" +
		"  (a local backend: backend = \"local\", config = { path = \"/abs/path/terraform.tfstate\" }, or no config for ./terraform.tfstate where planguard runs; docs/guides/policy.md, \"Pinning the state\")"
	if pol.LockFilePath == "" {
		h += "; and lock_file = \"FILE\" with a reviewed .terraform.lock.hcl, which pins the provider binaries the apply runs (\"Pinning provider binaries\")"
	}
	return hint.With(fmt.Errorf("policy %s: %w, so the state the apply writes is whatever backend, configuration and workspace the saved plan records, which the plan's author chooses (a backend block, an override file, -backend-config): a plan against another state shows the gate none of the objects the apply then changes; nothing applied", path, ErrStateNotPinned), h)
}
