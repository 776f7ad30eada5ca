package plan

import (
	"reflect"
	"strings"
	"testing"
)

// endpointsPlan has provider configurations as Terraform writes them:
// aws.west sets endpoints (a nested block) and a *_url from a reference,
// the module's vault sets address, the root aws sets only region.
const endpointsPlan = `{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"provider_config":{` +
	`"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","expressions":{"region":{"constant_value":"eu-west-1"}}},` +
	`"aws.west":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","alias":"west","expressions":{"region":{"constant_value":"us-west-2"},` +
	`"endpoints":[{"s3":{"constant_value":"http://localhost:4566"}}],"sts_url":{"references":["var.sts"]}}},` +
	`"module.m:vault":{"name":"vault","full_name":"registry.terraform.io/hashicorp/vault","module_address":"module.m","expressions":{"address":{"constant_value":"https://vault.example"}}}` +
	`},"root_module":{}}}`

// TestProviderEndpoints: both readers report the provider configurations
// that name where their provider connects, and only those.
func TestProviderEndpoints(t *testing.T) {
	p, err := sameAsFull(t, []byte(endpointsPlan))
	if err != nil {
		t.Fatal(err)
	}
	want := []ProviderEndpoint{
		{Provider: "aws", Name: "aws.west", Arguments: []string{"endpoints", "sts_url"}},
		{Provider: "vault", Name: "module.m:vault", Arguments: []string{"address"}},
	}
	if !reflect.DeepEqual(p.ProviderEndpoints, want) {
		t.Errorf("ProviderEndpoints = %+v, want %+v", p.ProviderEndpoints, want)
	}
	// None set: nil, so the JSON report omits the field.
	p, err = sameAsFull(t, []byte(`{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"x"}}}}}}`))
	if err != nil || p.ProviderEndpoints != nil {
		t.Errorf("no endpoint: %+v, %v", p.ProviderEndpoints, err)
	}
	// A duplicate argument is malformed, in both readers.
	if _, err := sameAsFull(t, []byte(strings.Replace(endpointsPlan, `"sts_url":{"references":["var.sts"]}`, `"sts_url":{},"sts_url":{}`, 1))); err == nil {
		t.Error("a duplicate provider argument was accepted")
	}
}
