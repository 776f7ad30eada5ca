package runner

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/plan/planformat"
)

// This file refuses, before `terraform init`, the provider settings that
// decide where a provider's requests go or which server it trusts:
// `terraform plan` configures every provider, and a provider then sends
// requests signed with (or carrying) the runner's credentials. Through the
// runner the agent writes the provider blocks and shares the runner's host:
// an `http_proxy = "http://127.0.0.1:PORT"` on the aws provider hands the
// agent's listener an STS AssumeRole request signed with the runner's key
// (SigV4 does not sign the scheme: the listener can relay it to STS and read
// the role's credentials in the reply); an `endpoints { sts = … }`, a
// kubernetes `host` or a vault `address` sends the credentials themselves;
// `custom_ca_bundle` or `insecure` lets the agent's TLS endpoint stand in
// for the real one. There is no allowance in the policy: an allowed
// argument would route wherever the agent says. An operator who needs one
// sets it in the runner's env file (AWS_ENDPOINT_URL_*, HTTPS_PROXY,
// KUBE_HOST, VAULT_ADDR, …), which the agent does not write.

// RouteArgument reports whether a provider argument (or nested block)
// name routes the provider's requests or sets which servers it trusts: the
// gate's planformat.EndpointArgument (endpoint, endpoints, address, host,
// *_url, and names with a word such as proxy, url, host, domain, server(s),
// insecure, tls, ca, certificate, bundle), so that what the runner refuses
// and what the gate reports are one list.
func RouteArgument(name string) bool {
	return planformat.EndpointArgument(name)
}

// routeSettings lists the route-like settings of one provider block (its
// expressions in the plan JSON's form), as paths: endpoints, assume_role.sts_endpoint.
// A nested block is walked, and so are the keys of an object constant (a
// JSON file may write a block as an object argument).
func routeSettings(exprs map[string]any) []string {
	var out []string
	walkRoute(exprs, "", &out)
	sort.Strings(out)
	return slices.Compact(out)
}

func walkRoute(m map[string]any, prefix string, out *[]string) {
	for k, v := range m {
		path := prefix + k
		if RouteArgument(k) {
			*out = append(*out, path)
			continue
		}
		switch t := v.(type) {
		case []any: // nested blocks
			for i, b := range t {
				if bm, ok := b.(map[string]any); ok {
					p := path
					if len(t) > 1 {
						p += "[" + strconv.Itoa(i) + "]"
					}
					walkRoute(bm, p+".", out)
				}
			}
		case map[string]any: // {constant_value, references}
			walkConstant(t["constant_value"], path+".", out)
			keys, _ := t[objectKeysField].([]string)
			for _, k := range keys {
				if RouteArgument(k) {
					*out = append(*out, path+"."+k)
				}
			}
		}
	}
}

// walkConstant finds route-like keys in an argument's constant value.
func walkConstant(v any, prefix string, out *[]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if RouteArgument(k) {
				*out = append(*out, prefix+k)
				continue
			}
			walkConstant(e, prefix+k+".", out)
		}
	case []any:
		for _, e := range t {
			walkConstant(e, prefix, out)
		}
	}
}

// routeProblem is the refusal of one provider block's route settings.
func routeProblem(where, key string, settings []string) string {
	return fmt.Sprintf("%s: provider %q sets %s: a setting that decides where the provider sends its requests, or which server it trusts; the provider sends requests signed with, or carrying, the runner's credentials at plan time (an http_proxy or endpoint on a listener the agent runs on this host receives them, and can relay a signed STS AssumeRole for the role's credentials); the runner refuses these settings in every provider block, whatever the policy says; remove them, and if the provider needs one, set it in the runner's env file (AWS_ENDPOINT_URL_STS, HTTPS_PROXY, KUBE_HOST, VAULT_ADDR, …)", where, key, strings.Join(settings, ", "))
}
