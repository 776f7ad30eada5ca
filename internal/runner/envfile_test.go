package runner

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestParseEnvFile(t *testing.T) {
	env, err := ParseEnvFile("runner.env", []byte("# creds\n\nAWS_ACCESS_KEY_ID=AKIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY='abc def'\nREGION=\"eu-west-1\"\nEMPTY=\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"AWS_ACCESS_KEY_ID=AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY=abc def", "REGION=eu-west-1", "EMPTY="}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("%q", env)
	}
	secrets, short := SecretValues(append(env, "X=1"))
	if !reflect.DeepEqual(secrets, []string{"AKIAEXAMPLE", "abc def", "eu-west-1"}) || !reflect.DeepEqual(short, []string{"X"}) {
		t.Errorf("secrets %q short %q", secrets, short)
	}
	for src, want := range map[string]string{
		"TF_VAR_db_password=hunter2":   "TF_VAR_",
		"tf_var_x=1":                   "TF_VAR_",
		"TF_CLI_ARGS_apply=-destroy":   "arguments",
		"TF_CLI_CONFIG_FILE=/tmp/x":    "CLI configuration",
		"NOEQUALS":                     "KEY=VALUE",
		"1BAD=x":                       "KEY=VALUE",
		"A=1\nA=2":                     "already set",
		"TF_PLUGIN_CACHE_DIR=/tmp/p":   "CLI configuration",
		"SECRET=topsecret\nTF_VAR_x=1": "TF_VAR_",
	} {
		_, err := ParseEnvFile("runner.env", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") || err != nil && strings.Contains(err.Error(), "topsecret") {
			t.Errorf("the error shows a value: %v", err)
		}
	}
}

func TestChildEnv(t *testing.T) {
	env, err := ChildEnv([]string{"PATH=/bin", "TF_CLI_CONFIG_FILE=/agent/rc", "HOME=/h"}, []string{"AWS_X=y"}, "/runner/rc")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PATH=/bin", "HOME=/h", "AWS_X=y", "TF_CLI_CONFIG_FILE=/runner/rc", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1"}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("%q", env)
	}
	if _, err := ChildEnv([]string{"TF_VAR_x=1"}, nil, "/rc"); err == nil {
		t.Error("TF_VAR_ in the runner's own environment accepted")
	}
}

func TestRedactor(t *testing.T) {
	secrets := []string{"s3cr3t-value", "another-secret-longer"}
	text := "a s3cr3t-value b another-secret-longer c s3cr3t-value"
	want := "a " + Redacted + " b " + Redacted + " c " + Redacted
	// Every way of cutting the text into two writes, and byte by byte.
	for cut := 0; cut <= len(text); cut++ {
		var b bytes.Buffer
		r := newRedactor(&b, secrets)
		r.Write([]byte(text[:cut]))
		r.Write([]byte(text[cut:]))
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Fatalf("cut at %d: %q", cut, b.String())
		}
	}
	var b bytes.Buffer
	r := newRedactor(&b, secrets)
	for i := range len(text) {
		r.Write([]byte{text[i]})
	}
	r.Flush()
	if b.String() != want {
		t.Errorf("byte by byte: %q", b.String())
	}
	if got := redactString("no secrets here", secrets); got != "no secrets here" {
		t.Errorf("%q", got)
	}
	if got := redactString("x", nil); got != "x" {
		t.Errorf("%q", got)
	}
}

// TestEnvCannotChangeInitPlanApply: a variable that would change which
// workspace, data directory, providers or flags init, plan and apply use is
// refused in the runner's own environment and in the env file; the CLI
// configuration is always the runner's.
func TestEnvCannotChangeInitPlanApply(t *testing.T) {
	for _, kv := range []string{
		"TF_WORKSPACE=prod-copy", "TF_REATTACH_PROVIDERS={}", "TF_ENCRYPTION=key_provider \"external\" \"x\" { command = [\"sh\"] }", "TF_DATA_DIR=/tmp/x", "TF_PLUGIN_CACHE_DIR=/tmp/c",
		"TF_CLI_ARGS=-lock=false", "TF_CLI_ARGS_init=-backend-config=key=x", "TF_CLI_ARGS_plan=-refresh=false", "TF_CLI_ARGS_apply=-parallelism=1",
		"TERRAFORM_CONFIG=/agent/rc",
	} {
		if _, err := ParseEnvFile("runner.env", []byte(kv+"\n")); err == nil {
			t.Errorf("env file: %s accepted", kv)
		}
		if _, err := ChildEnv([]string{"PATH=/bin", kv}, nil, "/runner/rc"); err == nil && kv != "TERRAFORM_CONFIG=/agent/rc" {
			t.Errorf("the runner's environment: %s accepted", kv)
		}
	}
	env, err := ChildEnv([]string{"TF_CLI_CONFIG_FILE=/agent/rc", "TERRAFORM_CONFIG=/agent/rc2"}, nil, "/runner/rc")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(env, " "); strings.Contains(got, "/agent/") || !strings.Contains(got, "TF_CLI_CONFIG_FILE=/runner/rc") {
		t.Errorf("child environment %q", env)
	}
}
