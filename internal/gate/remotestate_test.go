package gate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// TestRemoteStates: a terraform_remote_state data source blocks unless a
// remote_state block allows exactly its backend, configuration and
// workspace (found by an attacker's review: an s3 configuration with
// profile and shared_config_files = ["aws.tf"] ran the profile's
// credential_process, at plan and at apply); one whose settings are not
// constants never is allowed.
func TestRemoteStates(t *testing.T) {
	f := setup(t)
	pol := mustPolicy(t, idsPolicySrc+`
remote_state {
  backend = "s3"
  config  = { bucket = "acme-tf", key = "network/terraform.tfstate" }
}
`)
	allowed := plan.RemoteState{Address: "data.terraform_remote_state.net", Backend: "s3", Workspace: "default", Config: json.RawMessage(`{"bucket":"acme-tf","key":"network/terraform.tfstate"}`)}
	for _, tc := range []struct {
		name string
		rs   plan.RemoteState
		want string // "" = allowed
	}{
		{"allowed exactly", allowed, ""},
		{"a setting more", func() plan.RemoteState {
			rs := allowed
			rs.Config = json.RawMessage(`{"bucket":"acme-tf","key":"network/terraform.tfstate","profile":"x","shared_config_files":["aws.tf"]}`)
			return rs
		}(), `remote_state { backend = "s3", config = { bucket = "acme-tf", key = "network/terraform.tfstate", profile = "x", shared_config_files = ["aws.tf"] } }`},
		{"another workspace", func() plan.RemoteState { rs := allowed; rs.Workspace = "w-1"; return rs }(), `workspace = "w-1" }`},
		{"another backend", func() plan.RemoteState { rs := allowed; rs.Backend = "local"; return rs }(), `backend = "local"`},
		{"not constant", plan.RemoteState{Address: "module.m.data.terraform_remote_state.x", Backend: "s3", Unreadable: []string{"config: computed from var.c"}}, "no policy can allow it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Decide(Input{Plan: &plan.Plan{RemoteStates: []plan.RemoteState{tc.rs}}, Policy: pol, Trust: f.trust, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.RemoteStates) != 1 {
				t.Fatalf("remote states %+v", r.RemoteStates)
			}
			got := r.RemoteStates[0]
			if tc.want == "" {
				if !got.Allowed || r.Decision != Allow {
					t.Errorf("not allowed: %+v", got)
				}
				return
			}
			if got.Allowed || r.Decision != Block || !strings.Contains(got.Problem, tc.want) || !strings.Contains(got.Problem, tc.rs.Address) {
				t.Errorf("got %+v (decision %s), want a block saying %q", got, r.Decision, tc.want)
			}
		})
	}
	// Without remote_state blocks, every one blocks.
	r, err := Decide(Input{Plan: &plan.Plan{RemoteStates: []plan.RemoteState{allowed}}, Policy: mustPolicy(t, idsPolicySrc), Trust: f.trust, Now: now})
	if err != nil || r.Decision != Block || r.RemoteStates[0].Allowed {
		t.Errorf("no remote_state block: %v %+v", err, r)
	}
	// The block it proposes allows it.
	rs := plan.RemoteState{Address: "data.terraform_remote_state.y", Backend: "local", Workspace: "dns", Config: json.RawMessage(`{"path":"/srv/a b.tfstate","n":1.5,"o":{"k-1":[true,null]}}`)}
	blk := RemoteStateBlock(rs)
	blk = strings.NewReplacer("{ backend", "{\n  backend", ", config", "\n  config", ", workspace", "\n  workspace").Replace(blk)
	blk = strings.TrimSuffix(blk, " }") + "\n}\n"
	p2 := mustPolicy(t, idsPolicySrc+blk)
	if r, err := Decide(Input{Plan: &plan.Plan{RemoteStates: []plan.RemoteState{rs}}, Policy: p2, Trust: f.trust, Now: now}); err != nil || r.Decision != Allow {
		t.Errorf("the proposed block %s does not allow it: %v %+v", blk, err, r)
	}
}
