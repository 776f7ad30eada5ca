package planformat

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestEndpointPaths (review gate34 L1): the gate's endpoint report names
// what the runner refuses: proxies, CA bundles, metadata hosts, custom
// endpoints, and endpoint-like arguments of nested blocks (helm's
// kubernetes { host }), not only top-level endpoint/address/host/*_url.
func TestEndpointPaths(t *testing.T) {
	var exprs map[string]any
	if err := json.Unmarshal([]byte(`{
		"region": {"constant_value": "eu-west-1"},
		"http_proxy": {"constant_value": "http://127.0.0.1:8080"},
		"custom_ca_bundle": {"references": ["var.ca"]},
		"storage_custom_endpoint": {"constant_value": "https://x"},
		"kubernetes": [{"host": {"constant_value": "https://k"}, "token": {"references": ["var.t"]}}],
		"assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::1:role/r"}}],
		"default_tags": {"constant_value": {"host": "not a block"}}
	}`), &exprs); err != nil {
		t.Fatal(err)
	}
	got := EndpointPaths(exprs)
	want := []string{"custom_ca_bundle", "http_proxy", "kubernetes.host", "storage_custom_endpoint"}
	if !slices.Equal(got, want) {
		t.Errorf("EndpointPaths = %q, want %q", got, want)
	}
	for _, n := range []string{"endpoint", "endpoints", "address", "host", "base_url", "metadata_host", "insecure", "bootstrap_servers", "HTTPS_PROXY"} {
		if !EndpointArgument(n) {
			t.Errorf("EndpointArgument(%q) = false", n)
		}
	}
	for _, n := range []string{"region", "role_arn", "project", "alias", "max_retries", "default_tags"} {
		if EndpointArgument(n) {
			t.Errorf("EndpointArgument(%q) = true", n)
		}
	}
}
