package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// maxKeyFile bounds a key file.
const maxKeyFile = 1 << 20

// loadSigner finds the key to sign with: --key names a private key file (an
// encrypted one is used through ssh-agent), or a public key whose private
// half ssh-agent holds; with no --key, the agent must hold exactly one key.
func loadSigner(e *env, keyPath string) (ssh.Signer, error) {
	var want ssh.PublicKey
	if keyPath != "" {
		b, err := safefile.ReadFile(keyPath, maxKeyFile)
		if err != nil {
			return nil, withHint(fmt.Errorf("read key: %w", err), "pass --key with your private key file, e.g. ~/.ssh/id_ed25519")
		}
		s, err := ssh.ParsePrivateKey(b)
		if err == nil {
			return s, nil
		}
		var pm *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &pm) && pm.PublicKey != nil:
			want = pm.PublicKey
		default:
			pub, _, _, _, perr := ssh.ParseAuthorizedKey(b)
			if perr != nil {
				return nil, withHint(fmt.Errorf("key %s: %w", keyPath, err), "pass an OpenSSH private key, or a public key whose private key is in ssh-agent")
			}
			want = pub
		}
	}
	sock := e.getenv("SSH_AUTH_SOCK")
	if sock == "" {
		if want != nil {
			return nil, withHint(fmt.Errorf("key %s is encrypted or public, and no ssh-agent is running", keyPath), "start ssh-agent and run ssh-add, then try again")
		}
		return nil, withHint(errors.New("no --key given and no ssh-agent running"), "pass --key ~/.ssh/id_ed25519, or load the key into ssh-agent")
	}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		return nil, fmt.Errorf("connect to ssh-agent at %s: %w", sock, err)
	}
	signers, err := agent.NewClient(conn).Signers()
	if err != nil {
		return nil, fmt.Errorf("list ssh-agent keys: %w", err)
	}
	if want != nil {
		for _, s := range signers {
			if bytes.Equal(s.PublicKey().Marshal(), want.Marshal()) {
				return s, nil
			}
		}
		return nil, withHint(fmt.Errorf("ssh-agent does not hold the key %s", ssh.FingerprintSHA256(want)), "run ssh-add with that key")
	}
	if len(signers) != 1 {
		return nil, withHint(fmt.Errorf("ssh-agent holds %d keys; which one signs is ambiguous", len(signers)), "pass --key with the public or private key file to use")
	}
	return signers[0], nil
}
