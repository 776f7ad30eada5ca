package plan

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// remoteStatePlan has terraform_remote_state data sources as Terraform
// writes them in the configuration: constant settings, a setting from a
// reference, one in a module (a check block's data source is among the
// module's resources), and one whose expressions come before its type.
const remoteStatePlan = `{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"root_module":{"resources":[` +
	`{"address":"data.terraform_remote_state.net","mode":"data","type":"terraform_remote_state","name":"net","provider_config_key":"terraform",` +
	`"expressions":{"backend":{"constant_value":"s3"},"config":{"constant_value":{"key":"net.tfstate","bucket":"acme","profile":"x","shared_config_files":["aws.tf"]}}},"schema_version":0},` +
	`{"address":"data.terraform_remote_state.dyn","mode":"data","type":"terraform_remote_state","name":"dyn",` +
	`"expressions":{"backend":{"constant_value":"local"},"config":{"references":["var.path"]},"workspace":{"references":["terraform.workspace"]}}},` +
	`{"address":"terraform_data.x","mode":"managed","type":"terraform_data","name":"x","expressions":{"input":{"constant_value":"terraform_remote_state"}}}],` +
	`"module_calls":{"m":{"source":"./m","module":{"resources":[` +
	`{"expressions":{"backend":{"constant_value":"local"},"config":{"constant_value":{"path":"/srv/a.tfstate"}},"workspace":{"constant_value":"dns"}},"address":"data.terraform_remote_state.x","mode":"data","type":"terraform_remote_state","name":"x"},` +
	`{"address":"data.terraform_remote_state.bare","mode":"data","type":"terraform_remote_state","name":"bare"}` +
	`]}}}}}}`

// TestRemoteStates: both readers list every terraform_remote_state data
// source of the configuration, with its constant settings or why they are
// not constant.
func TestRemoteStates(t *testing.T) {
	p, err := sameAsFull(t, []byte(remoteStatePlan))
	if err != nil {
		t.Fatal(err)
	}
	want := []RemoteState{
		{Address: "data.terraform_remote_state.dyn", Backend: "local", Workspace: "", Unreadable: []string{"workspace: computed from terraform.workspace", "config: computed from var.path"}},
		{Address: "data.terraform_remote_state.net", Backend: "s3", Workspace: "default", Config: json.RawMessage(`{"bucket":"acme","key":"net.tfstate","profile":"x","shared_config_files":["aws.tf"]}`)},
		{Address: "module.m.data.terraform_remote_state.bare", Workspace: "default", Config: json.RawMessage(`{}`), Unreadable: []string{"backend: not set"}},
		{Address: "module.m.data.terraform_remote_state.x", Backend: "local", Workspace: "dns", Config: json.RawMessage(`{"path":"/srv/a.tfstate"}`)},
	}
	if !reflect.DeepEqual(p.RemoteStates, want) {
		t.Errorf("RemoteStates =\n%+v\nwant\n%+v", p.RemoteStates, want)
	}
	// A duplicate member in its configuration is malformed; a case
	// variant of a key the readers interpret too.
	for _, bad := range []string{
		strings.Replace(remoteStatePlan, `"key":"net.tfstate"`, `"key":"net.tfstate","key":"other"`, 1),
		strings.Replace(remoteStatePlan, `"name":"net","provider_config_key"`, `"name":"net","Expressions":{},"provider_config_key"`, 1),
	} {
		if _, err := sameAsFull(t, []byte(bad)); err == nil {
			t.Errorf("accepted: %s", bad)
		}
	}
}
