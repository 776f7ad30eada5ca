package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/planguard/terraform-provider-planguard/internal/safefile"
)

// maxKeyFile bounds a key file.
const maxKeyFile = 1 << 20

// loadSigner finds the key to sign with: --key names a private key file (an
// encrypted one is used through ssh-agent), a public key whose private
// half ssh-agent holds, or a user certificate (KEY-cert.pub) to sign with
// together with its private key; with no --key, the agent must hold
// exactly one key.
func loadSigner(e *env, keyPath string) (ssh.Signer, error) {
	var want ssh.PublicKey
	if keyPath != "" {
		b, err := safefile.ReadFile(keyPath, maxKeyFile)
		if err != nil {
			return nil, withHint(fmt.Errorf("read key: %w", err), "pass --key with your private key file, e.g. ~/.ssh/id_ed25519")
		}
		if cert := parseCertificate(b); cert != nil {
			return certSigner(e, keyPath, cert)
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
	signers, err := agentSigners(e, keyPath, want != nil)
	if err != nil {
		return nil, err
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

// parseCertificate is the OpenSSH certificate in b (a KEY-cert.pub file),
// or nil.
func parseCertificate(b []byte) *ssh.Certificate {
	pub, _, _, _, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		return nil
	}
	cert, _ := pub.(*ssh.Certificate)
	return cert
}

// certSigner signs with a certificate, as ssh-keygen -Y sign -f
// KEY-cert.pub does: with the private key beside it (KEY), or else with
// the key ssh-agent holds for it (the certificate itself, or its plain key).
func certSigner(e *env, certPath string, cert *ssh.Certificate) (ssh.Signer, error) {
	if cert.CertType != ssh.UserCert {
		return nil, withHint(fmt.Errorf("certificate %s (%q, serial %d) is a host certificate", certPath, cert.KeyId, cert.Serial),
			"sign with a user certificate (ssh-keygen -s without -h)")
	}
	if privPath, ok := strings.CutSuffix(certPath, "-cert.pub"); ok {
		if b, err := safefile.ReadFile(privPath, maxKeyFile); err == nil {
			if s, err := ssh.ParsePrivateKey(b); err == nil {
				if !bytes.Equal(s.PublicKey().Marshal(), cert.Key.Marshal()) {
					return nil, withHint(fmt.Errorf("certificate %s certifies key %s, not the key in %s", certPath, ssh.FingerprintSHA256(cert.Key), privPath),
						"pass the certificate issued for this key")
				}
				return ssh.NewCertSigner(cert, s)
			}
		}
	}
	signers, err := agentSigners(e, certPath, true)
	if err != nil {
		return nil, err
	}
	for _, s := range signers {
		if bytes.Equal(s.PublicKey().Marshal(), cert.Key.Marshal()) {
			return ssh.NewCertSigner(cert, s)
		}
	}
	for _, s := range signers {
		// The agent holds the certificate itself; its PublicKey is an
		// *agent.Key, so present the parsed certificate.
		if bytes.Equal(s.PublicKey().Marshal(), cert.Marshal()) {
			if as, ok := s.(ssh.AlgorithmSigner); ok {
				return agentCertSigner{as, cert}, nil
			}
			return nil, fmt.Errorf("ssh-agent's signer for certificate %s cannot choose its signature algorithm", certPath)
		}
	}
	return nil, withHint(fmt.Errorf("no private key for certificate %s (key %s): none beside it unencrypted, and ssh-agent does not hold it", certPath, ssh.FingerprintSHA256(cert.Key)),
		"put the private key beside the certificate (KEY for KEY-cert.pub), or run ssh-add with it")
}

// agentSigners lists ssh-agent's keys; keyPath and forKey only shape the
// message when no agent runs.
func agentSigners(e *env, keyPath string, forKey bool) ([]ssh.Signer, error) {
	sock := e.getenv("SSH_AUTH_SOCK")
	if sock == "" {
		if forKey {
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
	return signers, nil
}

// agentCertSigner is ssh-agent's signer for a certificate it holds, whose
// PublicKey is the parsed certificate.
type agentCertSigner struct {
	ssh.AlgorithmSigner
	cert *ssh.Certificate
}

func (s agentCertSigner) PublicKey() ssh.PublicKey { return s.cert }
