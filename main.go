// Command terraform-provider-planguard is the planguard Terraform and
// OpenTofu provider. Terraform starts it; it is not meant to be run by hand,
// except with -debug to attach a debugger.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/planguard/terraform-provider-planguard/provider"
)

// Format the examples and generate the documentation in docs/. Both tools
// come from `make tools` (scripts/tools.sh), which puts them on PATH.
//go:generate terraform fmt -recursive ./examples/
//go:generate tfplugindocs generate --provider-name planguard

// version is the provider's release version, set by goreleaser.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/planguard/planguard",
		Debug:   debug,
	}
	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err)
	}
}
