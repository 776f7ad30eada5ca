// Command fulldecode decodes a plan JSON file the way planguard's streaming
// reader is measured against, for the benchmark's "full decode" columns:
//
//	fulldecode FILE            planref.DecodeFull: the whole file in memory, the
//	                           strictness walk, tfjson.Plan, then the Plan
//	fulldecode -tfjson FILE    only json.Unmarshal into a tfjson.Plan
//
// It prints the number of changes, so that the work cannot be skipped.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/planguard/terraform-provider-planguard/internal/plan/planref"
)

func main() {
	tfOnly := flag.Bool("tfjson", false, "only decode into a tfjson.Plan with encoding/json")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: fulldecode [-tfjson] FILE")
		os.Exit(2)
	}
	n, err := run(flag.Arg(0), *tfOnly)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fulldecode:", err)
		os.Exit(2)
	}
	fmt.Println(n, "resource changes")
}

func run(path string, tfOnly bool) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if tfOnly {
		data, err := io.ReadAll(f)
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", path, err)
		}
		var p tfjson.Plan
		if err := json.Unmarshal(data, &p); err != nil {
			return 0, fmt.Errorf("decode %s: %w", path, err)
		}
		return len(p.ResourceChanges), nil
	}
	p, err := planref.DecodeFull(f)
	if err != nil {
		return 0, fmt.Errorf("decode %s: %w", path, err)
	}
	return len(p.Changes), nil
}
