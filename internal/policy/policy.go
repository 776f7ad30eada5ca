// Package policy reads planguard's policy file — the scope approvals must
// name, the trust file of allowed signers, and the protect rules — and
// answers which rules guard a change to a resource.
//
// The file format, the glob language of types and addresses, and the merging
// of several matching rules are documented for users in
// docs/guides/policy.md.
package policy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// The actions a rule can guard.
const (
	ActionDelete  = "delete"
	ActionReplace = "replace"
	ActionUpdate  = "update"
	ActionForget  = "forget"
)

// Policy is a parsed, validated policy file. Only Parse and Load make one
// that can match (a Policy or Rule built by hand panics in Match), and it
// must not be modified afterwards; its methods are then safe for concurrent
// use.
type Policy struct {
	// Filename is the name the policy was parsed under, as given.
	Filename string
	// SHA256 is the hex SHA-256 of the policy file's bytes.
	SHA256 string
	// Hash is the policy hash, what --policy-sha256 pins: the hex SHA-256
	// of HashManifest, which covers the policy file and every trust file
	// it names. Only Load fills it.
	Hash string
	// Scope is the scope every approval must name: [A-Za-z0-9._-]+.
	Scope string
	// AllowedSignersPath is trust.allowed_signers, cleaned; a relative path
	// is resolved against the directory of the policy file.
	AllowedSignersPath string
	// AllowedSigners is the content of the trust file. Only Load fills it.
	AllowedSigners []byte
	// RevokedKeysPath is trust.revoked_keys, resolved as AllowedSignersPath
	// is; "" when the policy names no revocation file.
	RevokedKeysPath string
	// RevokedKeys is the content of the revocation file (an OpenSSH KRL or
	// a list of public keys), or nil when the policy names none. Only Load
	// fills it.
	RevokedKeys []byte
	// Rules are the protect blocks, in file order.
	Rules []*Rule
	// ProtectImports (protect_imports, default true) protects every change
	// that imports an object and destroys, replaces or forgets it in the
	// same plan, with the strictest requirement of all rules, when the
	// imported id is no protected object's: the gate cannot tell which
	// real object such a change destroys. An import of a protected
	// object's id is that object's change whatever this says.
	ProtectImports bool
	// Providers are the provider source globs a plan may use; nil when the
	// policy sets no providers attribute (no restriction).
	Providers []string
	// ProviderExecs are the provider_exec blocks, in file order: the
	// command lines provider configurations may run.
	ProviderExecs []*ProviderExec
	// ProgramProviders is the program_providers attribute: provider
	// source globs whose data sources run programs, besides
	// DefaultProgramProviders; nil when unset.
	ProgramProviders []string
	// AllowApplyReads is the allow_apply_reads attribute: data source
	// address globs that may be read during the apply although their
	// provider runs programs; nil when unset.
	AllowApplyReads []string
	// AllowApplyFileReads is the allow_apply_file_reads attribute:
	// configuration address globs of blocks whose file-reading function
	// calls may read during the apply (see applycode.go); nil when unset.
	AllowApplyFileReads []string
	// AllowProviderFunctions is the allow_provider_functions attribute:
	// configuration address globs of blocks that may call functions of
	// providers that run programs; nil when unset.
	AllowProviderFunctions []string
	// HostWriters is the host_writers attribute: provider source globs
	// whose resources and data sources write files on the machine that
	// applies the plan, besides DefaultHostWriters; nil when unset.
	HostWriters []string
	// AllowHostWrites are the allow_host_writes blocks, in file order.
	AllowHostWrites []*HostWriteAllowance
	// AllowProvisioners are the allow_provisioners blocks, in file order.
	AllowProvisioners []*ProvisionerAllowance
	// ActionRules are the protect_actions blocks, in file order.
	ActionRules []*ActionRule
	// AllowActions are the allow_actions blocks, in file order.
	AllowActions []*ActionAllowance
	// State is the state block (the backend, configuration and workspace
	// a saved plan must record); nil when the policy has none.
	State *StatePin
	// RemoteStates are the remote_state blocks, in file order: the
	// terraform_remote_state data sources a plan may read (see
	// remotestate.go); nil when none.
	RemoteStates []*StatePin
	// LockFilePath is lock_file, cleaned and resolved like the trust file;
	// "" when the policy sets none.
	LockFilePath string
	// LockFile is the content of the lock file. Only Load fills it.
	LockFile []byte
	// Runner is the runner block (see runner.go).
	Runner RunnerSettings

	trustRange   hcl.Range // the allowed_signers attribute, for Load's messages
	trustRaw     string    // the allowed_signers attribute's value, as written
	revokedRange hcl.Range // the revoked_keys attribute
	revokedRaw   string    // its value, as written; "" when absent
	lockRange    hcl.Range // the lock_file attribute, for Load's messages
	lockRaw      string    // the lock_file attribute's value, as written
	index        index
	providers    []glob
	// programProviders: DefaultProgramProviders and ProgramProviders;
	// applyReads: AllowApplyReads, compiled.
	programProviders, applyReads []glob
	// fileReads, providerFunctions: AllowApplyFileReads and
	// AllowProviderFunctions, compiled.
	fileReads, providerFunctions []glob
	// hostWriters: DefaultHostWriters and HostWriters, compiled.
	hostWriters []glob
}

// Rule is one protect block.
type Rule struct {
	// Name is the block's label, unique in the policy.
	Name string
	// Types are resource type globs; empty means any type.
	Types []string
	// Addresses are resource address globs; empty means any address.
	Addresses []string
	// Actions are the guarded actions, a subset of delete, replace, update
	// and forget; by default delete, replace and forget. A move out of the
	// rule is always guarded, whatever the actions.
	Actions []string
	// Approvals is the number of distinct trusted principals that must sign;
	// at least 1, by default 1.
	Approvals int
	// MaxTTL, when not 0, rejects approvals valid for longer than this.
	MaxTTL time.Duration
	// RequireIdentity demands that approvals name the object's prior id.
	RequireIdentity bool
	// Attributes are the top-level attributes whose change makes an update
	// guarded. Set exactly when Actions holds "update".
	Attributes []string
	// IDs are globs over an object's id (and each value of its resource
	// identity): the rule protects a matching object under any address and
	// in any state, under any spelling of its id idspelling.go recognises.
	// A rule with IDs and types or addresses matches when either does.
	IDs []string
	// WrittenBy are resource type names, other than the protected
	// objects' own types, that can write (create over, overwrite) the
	// objects IDs protects, such as aws_s3_bucket_object for objects of
	// aws_s3_object: a create or replace of one of these types whose id is
	// unknown at plan and whose configuration sets an attribute unknown at
	// plan is judged as a possible takeover of every object of the prior
	// state that the rule protects by id, as one of the object's own type
	// is. Set only with IDs.
	WrittenBy []string
	// Range is the block's header (protect "NAME" {), for messages.
	Range hcl.Range

	pos     int // position in Policy.Rules
	actions actionSet
	types   []glob
	addrs   []*addrPattern
	ids     []idGlob
	idsOnly bool // the rule names ids alone: addresses and types never match it
}

// Error is the error Parse and Load return for a policy that does not parse
// or validate. It carries every problem found, each with its position.
type Error struct {
	Diagnostics hcl.Diagnostics
}

// Error formats one line per diagnostic:
// "policy.hcl:3,5-12: Summary; Detail".
func (e *Error) Error() string {
	var b strings.Builder
	for i, d := range e.Diagnostics {
		if i > 0 {
			b.WriteByte('\n')
		}
		if d.Subject != nil {
			b.WriteString(d.Subject.String())
			b.WriteString(": ")
		}
		b.WriteString(d.Summary)
		if d.Detail != "" {
			b.WriteString("; ")
			b.WriteString(d.Detail)
		}
	}
	return b.String()
}

// Parse parses and validates policy source. It does no I/O: filename names
// the source in messages, and the trust path is resolved against its
// directory. Any problem yields a nil policy and an *Error.
func Parse(src []byte, filename string) (*Policy, error) {
	p, diags := decode(src, filename)
	if diags.HasErrors() {
		return nil, &Error{Diagnostics: diags}
	}
	sum := sha256.Sum256(src)
	p.SHA256 = hex.EncodeToString(sum[:])
	p.index = buildIndex(p.Rules)
	return p, nil
}

// Load reads the policy file at path, parses it, and reads its trust file
// into AllowedSigners and its revocation file, if it names one, into
// RevokedKeys. A trust file that cannot be read, or that lists no signer
// (only blank and comment lines), is an error, and so is a revocation file
// that cannot be read.
//
// A relative trust path starts at the directory of the policy file itself,
// after following symbolic links: a link to a protected policy, placed in a
// directory someone else can write, cannot make it read a trust file placed
// next to the link. Both files must be regular files of at most MaxFileSize
// bytes (not a directory, FIFO or device).
func Load(path string) (*Policy, error) {
	src, err := readRegular(path)
	if err != nil {
		return nil, fmt.Errorf("read policy %s: %w", path, err)
	}
	p, err := Parse(src, path)
	if err != nil {
		return nil, err
	}
	// Relative file paths start at the policy file's real directory: one
	// resolution of its symbolic links serves every file it names.
	var resolved string
	for _, f := range []struct {
		raw  string
		path *string
	}{{p.trustRaw, &p.AllowedSignersPath}, {p.revokedRaw, &p.RevokedKeysPath}, {p.lockRaw, &p.LockFilePath}} {
		if f.raw == "" || filepath.IsAbs(f.raw) {
			continue
		}
		if resolved == "" {
			if resolved, err = filepath.EvalSymlinks(path); err != nil {
				return nil, fmt.Errorf("resolve policy path %s: %w", path, err)
			}
		}
		*f.path = resolveTrustPath(resolved, f.raw)
	}
	signers, err := readRegular(p.AllowedSignersPath)
	if err != nil {
		return nil, fmt.Errorf("%s: read trust file %s: %w; create it (OpenSSH allowed_signers format, one \"PRINCIPAL KEYTYPE KEY\" per line) or fix trust.allowed_signers, whose relative path starts at the policy file's directory",
			p.trustRange, p.AllowedSignersPath, err)
	}
	if !listsSigner(signers) {
		return nil, fmt.Errorf("%s: trust file %s lists no signer: every line is blank or a comment, so no approval could ever count; add one line per trusted key, e.g. \"alice@example.com ssh-ed25519 AAAAC3Nza...\"",
			p.trustRange, p.AllowedSignersPath)
	}
	p.AllowedSigners = signers
	if p.revokedRaw != "" {
		// An unreadable revocation file is an error, never "nothing is
		// revoked". Whether it parses is package trust's to say.
		revoked, err := readRegular(p.RevokedKeysPath)
		if err != nil {
			return nil, fmt.Errorf("%s: read revocation file %s: %w; fix trust.revoked_keys (an OpenSSH KRL made with ssh-keygen -k, or one public key per line), whose relative path starts at the policy file's directory",
				p.revokedRange, p.RevokedKeysPath, err)
		}
		p.RevokedKeys = revoked
	}
	if p.LockFilePath != "" {
		lock, err := readRegular(p.LockFilePath)
		if err != nil {
			return nil, fmt.Errorf("%s: read lock file %s: %w; copy the reviewed .terraform.lock.hcl there or fix lock_file, whose relative path starts at the policy file's directory",
				p.lockRange, p.LockFilePath, err)
		}
		p.LockFile = lock
	}
	p.Hash = hashOf(p)
	return p, nil
}

// MaxFileSize bounds the policy and trust files Load reads.
const MaxFileSize = 16 << 20

// readRegular reads a regular file of at most MaxFileSize bytes. It is
// opened without waiting (a FIFO would wait for a writer forever) and
// checked after opening, so that nothing swapped in meanwhile is read.
func readRegular(path string) ([]byte, error) {
	f, err := safefile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d a policy or trust file may have", path, fi.Size(), MaxFileSize)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("%s grew beyond %d bytes while read", path, MaxFileSize)
	}
	return b, nil
}

// listsSigner reports whether an allowed_signers file has a line that is
// neither blank nor a comment.
func listsSigner(b []byte) bool {
	for line := range bytes.Lines(b) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			return true
		}
	}
	return false
}

// resolveTrustPath resolves the trust file path against the directory of
// the policy file.
func resolveTrustPath(policyFile, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(filepath.Dir(policyFile), p)
}
