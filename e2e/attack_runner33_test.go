package e2e

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

// TestR33ProviderRouteRefused (runner33 M2): the agent points the allowed
// aws provider through a proxy it runs on the runner's host (and trusts a
// file of its choice as a CA bundle). The runner refuses the configuration
// before init, naming the settings; the agent's listener receives nothing.
func TestR33ProviderRouteRefused(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			got <- c.RemoteAddr().String()
			_ = c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	l := newR2Lab(t, r2Options{tf: tf, extraProviders: []string{`"registry.terraform.io/hashicorp/aws"`}})
	for name, c := range map[string]struct{ provider, want string }{
		"proxy": {fmt.Sprintf(`
  http_proxy = "http://127.0.0.1:%d"
  endpoints {
    sts = "http://sts.amazonaws.com"
  }
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/terraform-deploy"
  }`, port), "sets endpoints, http_proxy"},
		"ca bundle": {`
  custom_ca_bundle = "/proc/self/environ"`, "sets custom_ca_bundle"},
	} {
		dir := l.config(strings.ReplaceAll(name, " ", ""), map[string]string{"main.tf": l.backend + `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true` + c.provider + `
}
data "aws_caller_identity" "me" {}
`})
		code, out := l.client(nil, "plan", dir)
		if code != 2 || !strings.Contains(out, c.want) || !strings.Contains(out, "env file") {
			t.Errorf("%s: exit %d, want 2 naming %q and the env file:\n%s", name, code, c.want, out)
		}
		if strings.Contains(out, "plan id") {
			t.Errorf("%s: a plan was made:\n%s", name, out)
		}
	}
	select {
	case from := <-got:
		t.Errorf("the agent's listener got a connection from %s", from)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestR33UnknownListed (runner33 M1): content the configuration fixes but
// makes unknown at plan ("${local.evil}${salt}") is listed in the plan
// reply and in the reviewer's show, with the warning to read the
// configuration; the reviewer's show --config prints it (the agent's own
// show --config too: they are its files).
func TestR33UnknownListed(t *testing.T) {
	tf := testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest")
	reviewer := ensureUser(t, agent2User)
	l := newR2Lab(t, r2Options{tf: tf, extraAllowUID: []int{reviewer.uid}, extraArgs: []string{"--reviewer-uid", strconv.Itoa(reviewer.uid)}})
	dir := l.config("unknown", map[string]string{"main.tf": l.backend + `
locals {
  evil = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*", Principal = "agent" }] })
}
resource "terraform_data" "salt" {
  input = ""
}
resource "terraform_data" "iam_policy" {
  input = "${local.evil}${terraform_data.salt.output}"
}
`})
	code, out := l.client(nil, "plan", dir)
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, out)
	}
	id := l.planID(out)
	warn := "the configuration sets are unknown at plan"
	if !strings.Contains(out, warn) || !strings.Contains(out, "  terraform_data.iam_policy: input\n") {
		t.Errorf("the plan reply does not list the unknown input:\n%s", out)
	}
	code, show := l.client(&reviewer, "show", id)
	if code != 0 || !strings.Contains(show, warn) || !strings.Contains(show, "  terraform_data.iam_policy: input\n") || !strings.Contains(show, "runner show --config "+id) {
		t.Errorf("the reviewer's show: exit %d\n%s", code, show)
	}
	for _, u := range []*unixUser{&reviewer, nil} {
		code, cfg := l.client(u, "show", "--config", id)
		if code != 0 || !strings.Contains(cfg, `Principal = "agent"`) || !strings.Contains(cfg, "==== main.tf (") {
			t.Errorf("show --config: exit %d\n%s", code, cfg)
		}
	}
	if code, _ := l.client(&reviewer, "show", "--config", "--reveal", id); code != 2 {
		t.Errorf("show --config --reveal: exit %d, want 2", code)
	}
}
