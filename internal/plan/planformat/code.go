package planformat

// Code the configuration runs during the apply that the plan JSON does not
// show, found in a saved plan's configuration snapshot (package plan's
// snapshot_code.go): file-reading functions (evaluated again during the
// apply), ephemeral resources, and provider-defined functions.

// The kinds of ConfigCode.
const (
	// CodeFileRead is a call of a function that reads files on the host
	// that evaluates it (file, templatefile, fileset, …) anywhere in the
	// configuration, whose path is not a file of the configuration (or
	// whose template is not: templatefile, templatestring): Terraform
	// evaluates the configuration again during the apply, so it reads a
	// file of the apply's host whether or not its arguments are known at
	// plan.
	CodeFileRead = "file_read"
	// CodeEphemeral is an ephemeral block: Terraform opens it in every
	// plan and apply that needs it; it is in no resource_changes.
	CodeEphemeral = "ephemeral"
	// CodeProviderFunction is a call of a provider-defined function
	// (provider::NAME::FUNCTION), evaluated at plan and again at apply.
	CodeProviderFunction = "provider_function"
	// CodeUnreadable is a configuration file of the snapshot that
	// planguard cannot read for the above.
	CodeUnreadable = "unreadable"
)

// ConfigCode is one finding of the configuration snapshot.
type ConfigCode struct {
	// Kind is one of the Code* kinds.
	Kind string `json:"kind"`
	// Address is the configuration address of the block it is in, with
	// its module path and without instance keys: aws_instance.web,
	// data.x.y, ephemeral.x.y, module.a.output.o, module.a.local.n,
	// provider.aws.west, module.a (a module call's arguments).
	Address string `json:"address"`
	// File and Line say where: File relative to the root module (as the
	// module manifest records directories), Line from 1.
	File string `json:"file"`
	Line int    `json:"line"`
	// Function is the function called (file_read, provider_function), as
	// written without a core:: prefix.
	Function string `json:"function,omitempty"`
	// Provider is the provider source address of an ephemeral block or a
	// provider function (its module's required_providers, else the
	// implied hashicorp/NAME; see Implied).
	Provider string `json:"provider,omitempty"`
	// Implied is set when no required_providers entry names the
	// provider's source: Provider is then the plan's hashicorp/NAME
	// provider, or registry.terraform.io/hashicorp/NAME, and the
	// OpenTofu registry's address is as likely.
	Implied bool `json:"-"`
	// References are what the call's arguments refer to that may be
	// unknown at plan (resources, data sources, locals, module outputs,
	// a child module's variables set from them, each.value of a
	// for_each that does); empty when the arguments are known at plan.
	References []string `json:"references,omitempty"`
	// InProvider is set for a call in a provider block, which is
	// evaluated again when the provider is configured at apply.
	InProvider bool `json:"in_provider,omitempty"`
	// Unreadable, for CodeUnreadable, says why.
	Unreadable string `json:"unreadable,omitempty"`
}
