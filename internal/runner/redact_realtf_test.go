package runner

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRealTerraformEncodedSecretRedacted: a configuration that prints an
// env-file value through base64encode (at each alignment, and in the URL
// alphabet), urlencode and jsonencode gets none of them back from real
// Terraform's plan output or from show. (How it would learn the value is
// not the point: serve refuses TF_VAR_*, and the credentials reach
// Terraform, not the configuration. A hash of the value is printed as is:
// no redaction can recognise it.)
func TestRealTerraformEncodedSecretRedacted(t *testing.T) {
	const secret = "AKIA/se+cret-Value~42"
	pinned := filepath.Join(t.TempDir(), "prod.tfstate")
	r := newRealRunner(t, basePolicy(localState(pinned)), "")
	r.svc.Reload(&ExecTerraform{Bin: r.tf, Env: r.env, StopGrace: 10 * time.Second}, []string{secret})
	res, out := r.plan(t, map[string]string{"main.tf": localBackend(pinned) + `
locals {
  s = "` + secret + `"
}
output "b64_0" { value = base64encode(local.s) }
output "b64_1" { value = base64encode("x${local.s}") }
output "b64_2" { value = base64encode("xy${local.s}tail") }
output "b64url" { value = replace(replace(base64encode("xyz${local.s}"), "+", "-"), "/", "_") }
output "url" { value = urlencode(local.s) }
output "json" { value = jsonencode({ k = local.s }) }
output "hash" { value = sha256(local.s) }
`})
	if res.Exit != ExitAllow {
		t.Fatalf("plan: exit %d %s\n%s", res.Exit, res.Error, out)
	}
	var show bytes.Buffer
	if sr := r.svc.Show(context.Background(), Peer{UID: 1000}, res.PlanID, false, &show); sr.Exit != ExitAllow {
		t.Fatalf("show: %+v\n%s", sr, show.String())
	}
	b64 := base64.StdEncoding.EncodeToString
	printed := map[string]string{
		"b64_0":  b64([]byte(secret)),
		"b64_1":  b64([]byte("x" + secret)),
		"b64_2":  b64([]byte("xy" + secret + "tail")),
		"b64url": base64.URLEncoding.EncodeToString([]byte("xyz" + secret)),
		"url":    url.QueryEscape(secret),
		"json":   `\"k\":\"` + secret,
	}
	for _, reply := range []string{out, show.String()} {
		if !strings.Contains(reply, "b64_0") || !strings.Contains(reply, Redacted) {
			t.Fatalf("the outputs are not in the reply, or nothing was redacted:\n%s", reply)
		}
		for name, v := range printed {
			if strings.Contains(reply, v) || strings.Contains(reply, v[:len(v)-4]) {
				t.Errorf("%s: %q is in the reply:\n%s", name, v, reply)
			}
		}
		if strings.Contains(reply, secret) {
			t.Errorf("the secret is in the reply:\n%s", reply)
		}
	}
	sum := sha256.Sum256([]byte(secret))
	t.Logf("a hash is not redacted (documented): present %v", strings.Contains(out, hex.EncodeToString(sum[:])))
}
