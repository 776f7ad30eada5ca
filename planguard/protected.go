package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// stateObject is one managed resource instance in a state: its address,
// type, id and the leaf string values of its resource identity (what ids
// rules match).
type stateObject struct {
	address, typ, id string
	identity         []string
}

func runProtected(e *env, args []string) (int, error) {
	fs := newFlags("protected", "planguard protected [--policy FILE] STATE",
		`List what the policy protects among the objects of a state: each protected object with
the rules that cover it (by address and type, or by its id or resource identity: "(by id)"),
the approvals they require and the actions they guard; the objects no rule covers are
summarised. STATE is 'terraform show -json' of a state, a
state file (terraform.tfstate, format version 4, e.g. from 'terraform state pull'), or a
plan (JSON or a binary saved plan: its prior state). Exit 0 when it could read both.`,
		`  terraform show -json > state.json && planguard protected --policy ../policy/planguard.hcl state.json
  terraform state pull > current.tfstate && planguard protected current.tfstate
  planguard protected --policy ../policy/planguard.hcl tfplan
`)
	policyPath := fs.String("policy", defaultPolicy, "policy `FILE` (HCL)")
	tfBin := fs.String("terraform-bin", "", "terraform or tofu `BINARY` to read a binary saved plan (default $PLANGUARD_TERRAFORM, else terraform on PATH)")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 1 {
		return exitError, &usageError{msg: "protected needs exactly one STATE argument", hint: "run 'terraform show -json > state.json' and 'planguard protected state.json'"}
	}
	pol, _, err := loadPolicy(*policyPath)
	if err != nil {
		return exitError, err
	}
	objs, what, err := readObjects(e, fs.Arg(0), *tfBin)
	if err != nil {
		return exitError, err
	}
	printProtected(e.stdout, pol, objs, what)
	return exitAllow, nil
}

// readObjects reads the managed resource instances of a state, a state
// file or a plan's prior state; what says which it was.
func readObjects(e *env, path, tfBin string) ([]stateObject, string, error) {
	var src []byte
	var err error
	if path == "-" {
		src, err = io.ReadAll(io.LimitReader(e.stdin, policy.MaxFileSize*64))
	} else {
		src, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", path, err)
	}
	if bytes.HasPrefix(src, []byte("PK\x03\x04")) || bytes.Contains(src[:min(len(src), 4096)], []byte(`"resource_changes"`)) || bytes.Contains(src[:min(len(src), 4096)], []byte(`"planned_values"`)) {
		return planObjects(e, path, tfBin, src)
	}
	var top struct {
		Version       *int            `json:"version"`
		FormatVersion string          `json:"format_version"`
		Resources     json.RawMessage `json:"resources"`
		Values        json.RawMessage `json:"values"`
		PlannedValues json.RawMessage `json:"planned_values"`
	}
	if err := json.Unmarshal(src, &top); err != nil {
		return nil, "", withHint(fmt.Errorf("read %s: not JSON: %w", path, err), "pass 'terraform show -json' output, a terraform.tfstate file or a saved plan")
	}
	switch {
	case top.PlannedValues != nil:
		return planObjects(e, path, tfBin, src)
	case top.Version != nil && *top.Version == 4 && top.Resources != nil:
		objs, err := tfstateObjects(top.Resources)
		if err != nil {
			return nil, "", fmt.Errorf("read %s: %w", path, err)
		}
		return objs, "state file", nil
	case top.Version != nil:
		return nil, "", withHint(fmt.Errorf("read %s: state format version %d, not 4", path, *top.Version), "run 'terraform state pull' with Terraform 0.12 or later, or pass 'terraform show -json'")
	case top.FormatVersion != "":
		if top.Values == nil {
			return nil, "state (empty)", nil
		}
		var objs []stateObject
		if err := showObjects(top.Values, &objs); err != nil {
			return nil, "", fmt.Errorf("read %s: %w", path, err)
		}
		return objs, "state", nil
	}
	return nil, "", withHint(fmt.Errorf("read %s: neither a state nor a plan", path), "pass 'terraform show -json' output, a terraform.tfstate file or a saved plan")
}

// planObjects reads a plan's prior state with the plan reader.
func planObjects(e *env, path, tfBin string, src []byte) ([]stateObject, string, error) {
	// Prior keeps an identity's digest only: note its values on the way.
	identities := map[string][]string{}
	opts := plan.Options{TerraformBin: tfBin, Getenv: e.getenv, Logger: e.log, KeepPrior: func(address, _, _, identity string) bool {
		if identity != "" {
			identities[address] = plan.IdentityValues(identity)
		}
		return true
	}}
	if path == "-" {
		opts.Stdin = bytes.NewReader(src)
	}
	p, err := plan.Read(path, opts)
	if err != nil {
		return nil, "", err
	}
	objs := make([]stateObject, 0, p.Prior.Len())
	for _, o := range p.Prior.Objects() {
		objs = append(objs, stateObject{address: o.Address, typ: o.Type, id: o.ID, identity: identities[o.Address]})
	}
	return objs, "plan's prior state", nil
}

// showObjects collects the managed resources of `terraform show -json`
// values (a root_module with resources and child_modules).
func showObjects(values json.RawMessage, objs *[]stateObject) error {
	var v struct {
		RootModule *showModule `json:"root_module"`
	}
	if err := json.Unmarshal(values, &v); err != nil {
		return err
	}
	if v.RootModule != nil {
		v.RootModule.collect(objs)
	}
	return nil
}

type showModule struct {
	Resources []struct {
		Address  string                     `json:"address"`
		Mode     string                     `json:"mode"`
		Type     string                     `json:"type"`
		Values   map[string]json.RawMessage `json:"values"`
		Identity json.RawMessage            `json:"identity"`
	} `json:"resources"`
	ChildModules []*showModule `json:"child_modules"`
}

func (m *showModule) collect(objs *[]stateObject) {
	for _, r := range m.Resources {
		if r.Mode == "managed" {
			*objs = append(*objs, stateObject{address: r.Address, typ: r.Type, id: stringID(r.Values["id"]), identity: plan.IdentityValues(string(r.Identity))})
		}
	}
	for _, c := range m.ChildModules {
		c.collect(objs)
	}
}

// tfstateObjects collects the managed resource instances of a state file's
// resources (format version 4); deposed objects are left out.
func tfstateObjects(raw json.RawMessage) ([]stateObject, error) {
	var rs []struct {
		Module    string `json:"module"`
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			IndexKey   json.RawMessage            `json:"index_key"`
			Deposed    string                     `json:"deposed"`
			Attributes map[string]json.RawMessage `json:"attributes"`
			Identity   json.RawMessage            `json:"identity"`
		} `json:"instances"`
	}
	if err := json.Unmarshal(raw, &rs); err != nil {
		return nil, err
	}
	var objs []stateObject
	for _, r := range rs {
		if r.Mode != "managed" {
			continue
		}
		base := r.Type + "." + r.Name
		if r.Module != "" {
			base = r.Module + "." + base
		}
		for _, in := range r.Instances {
			if in.Deposed != "" {
				continue
			}
			addr := base
			if len(in.IndexKey) > 0 && string(in.IndexKey) != "null" {
				addr += "[" + string(in.IndexKey) + "]"
			}
			objs = append(objs, stateObject{address: addr, typ: r.Type, id: stringID(in.Attributes["id"]), identity: plan.IdentityValues(string(in.Identity))})
		}
	}
	return objs, nil
}

func stringID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// printProtected writes the listing.
func printProtected(w io.Writer, pol *policy.Policy, objs []stateObject, what string) {
	sort.Slice(objs, func(i, j int) bool { return objs[i].address < objs[j].address })
	var free []stateObject
	n := 0
	var b strings.Builder
	for _, o := range objs {
		rules := pol.RulesFor(o.address, o.typ)
		var byID []string // rules that match the object by id alone
		for _, r := range pol.RulesForID(append([]string{o.id}, o.identity...)) {
			if !slices.Contains(rules, r) {
				rules = append(rules, r)
				byID = append(byID, r.Name)
			}
		}
		slices.SortStableFunc(rules, func(x, y *policy.Rule) int {
			return slices.Index(pol.Rules, x) - slices.Index(pol.Rules, y)
		})
		if len(rules) == 0 {
			free = append(free, o)
			continue
		}
		n++
		req := policy.RequirementOf(rules)
		var actions []string
		for _, r := range rules {
			for _, a := range r.Actions {
				if !slices.Contains(actions, a) {
					actions = append(actions, a)
				}
			}
		}
		fmt.Fprintf(&b, "\n%s", o.address)
		if o.id != "" {
			fmt.Fprintf(&b, "  (id %s)", o.id)
		}
		names := make([]string, len(req.Rules))
		for i, n := range req.Rules {
			names[i] = n
			if slices.Contains(byID, n) {
				names[i] += " (by id)"
			}
		}
		fmt.Fprintf(&b, "\n  rules:     %s\n  approvals: %d", strings.Join(names, ", "), req.Approvals)
		if req.MaxTTL > 0 {
			fmt.Fprintf(&b, ", valid at most %s", req.MaxTTL)
		}
		if req.RequireIdentity {
			b.WriteString(", must name the object's identity")
		}
		fmt.Fprintf(&b, "\n  guards:    %s, and a move out of these rules\n", strings.Join(actions, ", "))
	}
	fmt.Fprintf(w, "Policy %s (scope %s): %d of %d objects in the %s protected.\n", pol.Filename, pol.Scope, n, len(objs), what)
	fmt.Fprint(w, b.String())
	if len(free) > 0 {
		byType := map[string]int{}
		var types []string
		for _, o := range free {
			if byType[o.typ] == 0 {
				types = append(types, o.typ)
			}
			byType[o.typ]++
		}
		sort.Strings(types)
		parts := make([]string, len(types))
		for i, t := range types {
			parts[i] = fmt.Sprintf("%s ×%d", t, byType[t])
		}
		fmt.Fprintf(w, "\nNot protected by any rule: %d object(s): %s\n", len(free), strings.Join(parts, ", "))
		for i, o := range free {
			if i == 10 {
				fmt.Fprintf(w, "  … and %d more\n", len(free)-10)
				break
			}
			fmt.Fprintf(w, "  %s\n", o.address)
		}
	}
	if len(pol.Rules) > 0 {
		s := pol.Strictest()
		fmt.Fprintf(w, "\nIn a destroy plan (terraform plan -destroy) every delete, protected or not, needs the strictest requirement: %d approval(s).\n", s.Approvals)
	}
}
