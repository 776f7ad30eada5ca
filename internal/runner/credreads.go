package runner

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// The runner's credentials are its providers' environment: a data source
// that returns them, or a token made from them, hands them to the agent at
// plan time, before any approval (google_client_config's access_token is
// the provider's own OAuth token). Terraform marks most of these values
// sensitive, but the mark is not a boundary: nonsensitive() removes it,
// and a value printed in a plan, an output or an error message is read by
// the agent past any redaction of the env file's values (a token made
// from a credential is not in the env file; a substring or reversed
// string is no longer the value). So, before init, the runner refuses:
//
//   - every data source and ephemeral resource of a type in
//     DefaultDeniedDataSources or in the policy's runner block
//     deny_data_sources (the policy can only add);
//   - every call of nonsensitive(), in every file of every module.
//
// Other ways to strip the mark remain (can() and try() return values that
// are not marked; a provider's validation error may quote an argument):
// what keeps the credentials from the agent is that no data source the
// runner lets run returns them. A type this list does not know is the
// policy's to add.

// DefaultDeniedDataSources are the data source and ephemeral resource
// types the runner always refuses: each returns the credentials the
// provider runs with, or a credential or token it obtains with them.
var DefaultDeniedDataSources = []string{
	// hashicorp/google and google-beta.
	"google_client_config",                // access_token: the provider's own OAuth token
	"google_service_account_access_token", // an impersonated account's token
	"google_service_account_id_token",
	"google_service_account_jwt",
	"google_storage_object_signed_url", // a URL signed with the provider's credential (PUT, DELETE too)
	// hashicorp/aws.
	"aws_eks_cluster_auth", // a token for the cluster, as the runner
	"aws_ecr_authorization_token",
	"aws_ecrpublic_authorization_token",
	"aws_codeartifact_authorization_token",
	"aws_redshift_cluster_credentials",
	"aws_redshiftserverless_credentials",
	"aws_lambda_invocation", // invokes a function, with the runner's credentials, at plan time
	// hashicorp/azurerm: keys and credentials listed with the runner's
	// authority.
	"azurerm_kubernetes_cluster", // kube_config, kube_admin_config
	"azurerm_storage_account",    // primary_access_key, connection strings
	"azurerm_storage_account_sas",
	"azurerm_storage_account_blob_container_sas",
	"azurerm_container_registry", // admin_password
	"azurerm_eventhub_namespace", // default_primary_key, connection strings
	"azurerm_servicebus_namespace",
	"azurerm_cosmosdb_account", // primary_key, connection strings
	"azurerm_redis_cache",      // primary_access_key
	"azurerm_function_app_host_keys",
	"azurerm_app_service", // site_credential: the app's deployment password
	"azurerm_function_app",
	"azurerm_linux_web_app",
	"azurerm_windows_web_app",
	"azurerm_linux_function_app",
	"azurerm_windows_function_app",
	// hashicorp/vault: the provider's token (auth/token/lookup-self) and
	// credentials the secrets engines make.
	"vault_generic_secret",
	"vault_aws_access_credentials",
	"vault_azure_access_credentials",
	"vault_kubernetes_service_account_token",
	"vault_ldap_dynamic_credentials",
	"vault_ldap_static_credentials",
	"vault_nomad_access_token",
	"vault_identity_oidc_client_creds",
	// hashicorp/kubernetes: service account tokens are secrets.
	"kubernetes_secret",
	"kubernetes_secret_v1",
}

// unmaskFunction is Terraform's function that removes the sensitive mark.
var unmaskFunction = regexp.MustCompile(`^nonsensitive$`)

// unmaskCallText and unmaskNameText find it in a JSON string (templateCalls).
var (
	unmaskCallText = regexp.MustCompile(`\b(nonsensitive)\s*\(`)
	unmaskNameText = regexp.MustCompile(`\b(nonsensitive)\b`)
)

// deniedDataSources is the default list and the policy's, as a set.
func deniedDataSources(pol *policy.Policy) map[string]bool {
	set := map[string]bool{}
	for _, t := range DefaultDeniedDataSources {
		set[t] = true
	}
	for _, t := range pol.Runner.DenyDataSources {
		set[t] = true
	}
	return set
}

// CheckCredentialReads refuses the configuration (every module) when it
// calls nonsensitive() or has a data source or an ephemeral resource of a
// denied type (see the file comment). Each problem names its file and
// line.
func (c *Configuration) CheckCredentialReads(pol *policy.Policy) error {
	denied := deniedDataSources(pol)
	var problems []string
	for _, m := range c.modules {
		prefix := ""
		if m.dir != "." {
			prefix = "./" + m.dir + ": "
		}
		for _, f := range m.files {
			calls, err := functionCalls(f)
			if err != nil {
				return err
			}
			for _, fc := range calls {
				if unmaskFunction.MatchString(strings.TrimPrefix(fc.name, "core::")) {
					problems = append(problems, fmt.Sprintf("%s%s: nonsensitive(): it prints a value Terraform keeps sensitive (a provider's credential, a token) in the plan or an error the agent reads; the runner refuses it anywhere in the configuration; remove it (mark the output sensitive = true instead)", prefix, fc.where))
				}
			}
			blocks, err := planTimeBlocks(f)
			if err != nil {
				return err
			}
			for _, b := range blocks {
				if denied[b.Labels[0]] {
					problems = append(problems, fmt.Sprintf("%s%s: %s %q %q returns the runner's credentials or a token made with them, at plan time, before any approval; the runner refuses this type (its default list, or the policy's runner block deny_data_sources); remove it, or plan this configuration in CI where its code is reviewed", prefix, b.DefRange, b.Type, b.Labels[0], b.Labels[1]))
				}
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// planTimeBlocks lists the data blocks (top level, and those a check
// block nests) and the ephemeral blocks of one file.
func planTimeBlocks(f *configFile) ([]*hcl.Block, error) {
	content, _, diags := f.HCL.Body.PartialContent(fileSchema)
	if diags.HasErrors() {
		return nil, fmt.Errorf("read %s: %s", f.Path, diags.Error())
	}
	var blocks []*hcl.Block
	for _, b := range content.Blocks {
		switch b.Type {
		case "data", "ephemeral":
			blocks = append(blocks, b)
		case "check":
			cc, _, diags := b.Body.PartialContent(checkSchema)
			if diags.HasErrors() {
				return nil, fmt.Errorf("read %s: %s", f.Path, diags.Error())
			}
			blocks = append(blocks, cc.Blocks...)
		}
	}
	return blocks, nil
}
