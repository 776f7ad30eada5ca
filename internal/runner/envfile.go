package runner

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// MaxEnvFile bounds the env file.
const MaxEnvFile = 1 << 20

var envKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseEnvFile reads KEY=VALUE lines: blank lines and lines starting with
// '#' are skipped, an optional "export " prefix is allowed, and a value in
// matching single or double quotes loses them (no escapes are read). A
// line without '=' or with a bad key is an error naming the line (never the
// value). Refused keys (see RefuseEnv) are errors too.
func ParseEnvFile(name string, data []byte) ([]string, error) {
	if len(data) > MaxEnvFile {
		return nil, fmt.Errorf("%s is more than %d bytes", name, MaxEnvFile)
	}
	var env []string
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), MaxEnvFile)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || !envKey.MatchString(k) {
			return nil, fmt.Errorf("%s:%d: want KEY=VALUE with KEY of letters, digits and '_'", name, n)
		}
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		if first, dup := seen[k]; dup {
			return nil, fmt.Errorf("%s:%d: %s is already set on line %d", name, n, k, first)
		}
		seen[k] = n
		if err := RefuseEnv(k); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		env = append(env, k+"="+v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return env, nil
}

// RefuseEnv says why a variable must not reach the runner's Terraform, or
// nil. TF_VAR_* would hand a value to the configuration, which can print
// it (nonsensitive(), an output, a resource attribute); TF_CLI_ARGS* would
// add flags to init, plan and the apply of a judged plan;
// TF_CLI_CONFIG_FILE, TERRAFORM_CONFIG, TF_DATA_DIR and TF_PLUGIN_CACHE_DIR
// would replace the runner's own CLI configuration and data directory;
// TF_WORKSPACE would choose another state than the policy's pin;
// TF_REATTACH_PROVIDERS would run providers no init installed.
func RefuseEnv(key string) error {
	up := strings.ToUpper(key)
	switch {
	case strings.HasPrefix(up, "TF_VAR_"):
		return fmt.Errorf("%s: a TF_VAR_ variable reaches the configuration, which the agent writes and which can print it with nonsensitive(); give credentials in the variables providers and the backend read (e.g. AWS_ACCESS_KEY_ID), never as input variables", key)
	case strings.HasPrefix(up, "TF_CLI_ARGS"):
		return fmt.Errorf("%s: extra command-line arguments would change what the runner plans and applies", key)
	case up == "TF_CLI_CONFIG_FILE" || up == "TERRAFORM_CONFIG" || up == "TF_DATA_DIR" || up == "TF_PLUGIN_CACHE_DIR":
		return fmt.Errorf("%s: the runner sets Terraform's CLI configuration and data directory itself (--cli-config)", key)
	case up == "TF_WORKSPACE":
		return fmt.Errorf("%s: the runner selects the workspace the policy's state block pins (state.workspace)", key)
	case up == "TF_ENCRYPTION":
		return fmt.Errorf("%s: OpenTofu's state and plan encryption configuration can run a command (key_provider \"external\") and choose keys; the runner refuses it (encryption is not supported in the runner)", key)
	case up == "TF_REATTACH_PROVIDERS":
		return fmt.Errorf("%s: Terraform would use provider processes already running instead of the providers it installs", key)
	}
	return nil
}

// SecretValues are the values of env, longest first, that a reply must not
// contain: every value at least minSecret bytes long. Shorter ones are not
// redacted (serve logs their keys): a value of a few bytes, such as a
// region flag "1" or "eu", would redact ordinary words and numbers
// everywhere, and is no credential.
func SecretValues(env []string) (secrets, short []string) {
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if len(v) >= minSecret {
			secrets = append(secrets, v)
		} else if v != "" {
			short = append(short, k)
		}
	}
	return secrets, short
}

// minSecret is the shortest env-file value redacted from replies.
const minSecret = 6
