// Command genplan scales a real `terraform show -json` plan fixture to N
// resource changes, for planguard's benchmark (see package gen and
// scripts/bench/run).
//
//	go run ./scripts/bench/genplan -n 100000 -o /tmp/plan.json -dir /tmp/bench
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/planguard/terraform-provider-planguard/scripts/bench/gen"
)

func main() {
	fixture := flag.String("fixture", "internal/plan/testdata/terraform/destroy.json", "real plan JSON to take the header and shape from")
	n := flag.Int("n", 1000, "number of resource changes")
	out := flag.String("o", "-", "output `FILE` (- for stdout)")
	dir := flag.String("dir", "", "also write planguard.hcl and allowed_signers into `DIR`")
	approvals := flag.Int("approvals", 5, "number of signed planguard_approval resources")
	flag.Parse()
	if err := run(*fixture, *n, *out, *dir, *approvals); err != nil {
		fmt.Fprintln(os.Stderr, "genplan:", err)
		os.Exit(2)
	}
}

func run(fixture string, n int, out, dir string, approvals int) error {
	raw, err := os.ReadFile(fixture)
	if err != nil {
		return err
	}
	if dir != "" {
		if err := gen.WritePolicy(dir); err != nil {
			return fmt.Errorf("write policy: %w", err)
		}
	}
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
		if err := gen.Plan(w, raw, n, approvals); err != nil {
			return err
		}
		return f.Close()
	}
	return gen.Plan(w, raw, n, approvals)
}
