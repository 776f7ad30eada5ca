package runner

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

func TestRequiredProviders(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string
		err   string
	}{
		{"builtin", map[string]string{"main.tf": `resource "terraform_data" "x" {}`}, []string{tfsource.BuiltinTerraform}, ""},
		{"implied", map[string]string{"main.tf": `data "aws_caller_identity" "me" {}`}, []string{"registry.terraform.io/hashicorp/aws"}, ""},
		{"required source and alias", map[string]string{"main.tf": `
terraform {
  required_providers {
    cloud = { source = "Example.com/Acme/Cloud", version = "1.0" }
    aws   = "~> 5.0"
  }
}
provider "cloud" { alias = "x" }
resource "cloud_thing" "t" { provider = cloud.x }
data "http" "h" { url = "https://example.com" }
`}, []string{"example.com/acme/cloud", "registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/http"}, ""},
		{"check block data source", map[string]string{"main.tf": `
check "c" {
  data "external" "e" { program = ["sh"] }
  assert {
    condition = true
    error_message = "x"
  }
}`}, []string{"registry.terraform.io/hashicorp/external"}, ""},
		{"local module, names local to it", map[string]string{
			"main.tf": `module "m" { source = "./mod" }`,
			"mod/m.tf": `
terraform {
  required_providers {
    aws = { source = "evil/aws" }
  }
}
data "aws_s3_bucket" "b" {}`,
		}, []string{"registry.terraform.io/evil/aws"}, ""},
		{"json", map[string]string{"main.tf.json": `{"data": {"external": {"e": {"program": ["sh"]}}}, "resource": {"null_resource": {"n": {"provider": "null.x"}}}}`},
			[]string{"registry.terraform.io/hashicorp/external", "registry.terraform.io/hashicorp/null"}, ""},
		{"import to", map[string]string{"main.tf": `
import {
  to = module.m.google_thing.x
  id = "1"
}`}, []string{"registry.terraform.io/hashicorp/google"}, ""},
		{"ephemeral", map[string]string{"main.tf": `ephemeral "vault_token" "t" {}`}, []string{"registry.terraform.io/hashicorp/vault"}, ""},
		{"provider for_each instance (OpenTofu)", map[string]string{"main.tf": `
terraform {
  required_providers {
    cloud = { source = "example.com/acme/cloud" }
  }
}
provider "cloud" {
  alias    = "by_region"
  for_each = toset(["a", "b"])
}
resource "thing_x" "t" {
  for_each = toset(["a", "b"])
  provider = cloud.by_region[each.key]
}`}, []string{"example.com/acme/cloud"}, ""},
		{"index over a call", map[string]string{"main.tf": `resource "thing_x" "t" { provider = tolist([cloud.x])[each.key] }`}, nil, "provider must be a reference"},
		{"registry module", map[string]string{"main.tf": `module "m" { source = "hashicorp/consul/aws" }`}, nil, "only local modules"},
		{"git module", map[string]string{"main.tf": `module "m" { source = "git::https://example.com/m.git" }`}, nil, "only local modules"},
		{"module out of the directory", map[string]string{"main.tf": `module "m" { source = "../m" }`}, nil, "outside"},
		{"computed source", map[string]string{"main.tf": `module "m" { source = var.x }`}, nil, "literal"},
		{"syntax error", map[string]string{"main.tf": `resource "x" {`}, nil, "read"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, s := range c.files {
				write(t, filepath.Join(dir, p), s)
			}
			got, err := RequiredProviders(dir, TerraformRegistry)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), `data "aws_region" "r" {}`)
	if got, _ := RequiredProviders(dir, OpenTofuRegistry); !reflect.DeepEqual(got, []string{"registry.opentofu.org/hashicorp/aws"}) {
		t.Errorf("OpenTofu default host: %v", got)
	}
}

func TestLockedProviders(t *testing.T) {
	dir := t.TempDir()
	if got, err := LockedProviders(filepath.Join(dir, "none")); err != nil || got != nil {
		t.Errorf("missing lock file: %v %v", got, err)
	}
	p := filepath.Join(dir, lockFileName)
	write(t, p, `provider "registry.terraform.io/hashicorp/aws" {
  version = "5.0.0"
  hashes = ["h1:x"]
}
provider "registry.terraform.io/Evil/X" {
  version = "1.0.0"
}
`)
	got, err := LockedProviders(p)
	if err != nil || !reflect.DeepEqual(got, []string{"registry.terraform.io/hashicorp/aws", "registry.terraform.io/evil/x"}) {
		t.Errorf("%v %v", got, err)
	}
}
