package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// HashHeader is the first line of the policy hash manifest. A later change
// to the construction changes this line, so that two constructions never
// yield the same manifest.
const HashHeader = "planguard policy-hash v1"

// TrustFile is one file the policy names in its trust block, as covered by
// the policy hash.
type TrustFile struct {
	// Name is the trust attribute that names the file: "allowed_signers"
	// or "revoked_keys".
	Name string
	// Path is where the file was read from.
	Path string
	// SHA256 is the hex SHA-256 of the bytes read.
	SHA256 string
}

// TrustFiles lists the files the policy names, in the fixed order of the
// manifest: allowed_signers, then (when present) revocation files. Only a
// policy made by Load has them.
func (p *Policy) TrustFiles() []TrustFile {
	if p.AllowedSigners == nil {
		return nil
	}
	sum := sha256.Sum256(p.AllowedSigners)
	files := []TrustFile{{Name: "allowed_signers", Path: p.AllowedSignersPath, SHA256: hex.EncodeToString(sum[:])}}
	// The policy's own bytes, hashed first, say whether it names a
	// revocation file.
	if p.RevokedKeys != nil {
		sum := sha256.Sum256(p.RevokedKeys)
		files = append(files, TrustFile{Name: "revoked_keys", Path: p.RevokedKeysPath, SHA256: hex.EncodeToString(sum[:])})
	}
	if p.LockFilePath != "" {
		sum := sha256.Sum256(p.LockFile)
		files = append(files, TrustFile{Name: "lock_file", Path: p.LockFilePath, SHA256: hex.EncodeToString(sum[:])})
	}
	return files
}

// HashManifest is the text the policy hash is the SHA-256 of: the header
// line, then one line "NAME SHA256" for the policy file itself (NAME
// "policy") and for each trust file in the order of TrustFiles, each line
// ended by a newline, hashes in lower-case hex. Names, not paths, are
// hashed: the same files checked out in another directory have the same
// hash, and the policy's bytes already pin the paths it names. The
// construction is documented in docs/guides/security.md, with the
// sha256sum commands that reproduce it.
func (p *Policy) HashManifest() ([]byte, error) {
	files := p.TrustFiles()
	if len(files) == 0 || p.SHA256 == "" {
		return nil, fmt.Errorf("policy %s: its trust files were not read (the policy hash needs policy.Load)", p.Filename)
	}
	var b strings.Builder
	b.WriteString(HashHeader + "\n")
	b.WriteString("policy " + p.SHA256 + "\n")
	for _, f := range files {
		b.WriteString(f.Name + " " + f.SHA256 + "\n")
	}
	return []byte(b.String()), nil
}

// hashOf computes the policy hash, or "" when the trust files were not read.
func hashOf(p *Policy) string {
	m, err := p.HashManifest()
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(m)
	return hex.EncodeToString(sum[:])
}
