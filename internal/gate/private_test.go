package gate

import (
	"errors"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
)

func TestCheckDeletePrivate(t *testing.T) {
	prior := &planfile.State{Objects: []planfile.StateObject{
		{Address: "sdkobj_file.tmp", ID: "/o/tmp", Managed: true, Private: "null"},
		{Address: "sdkobj_file.tmp", Deposed: "0001", ID: "/o/old", Managed: true, Private: `{"a":1}`},
		{Address: "sdkobj_file.rep", ID: "/o/rep", Managed: true, Private: "null", SchemaVersion: 1},
		{Address: "sdkobj_file.none", ID: "/o/none", Managed: true},
	}}
	attack := `{"schema_version":"0","_new_extra_shim":{"path":"/o/prod-db"}}`
	del := func(addr, deposed string, action int, private string) planfile.PlannedDelete {
		return planfile.PlannedDelete{Address: addr, Deposed: deposed, Action: action, Private: private}
	}
	dtc, ctd := planfile.ActionDeleteThenCreate, planfile.ActionCreateThenDelete
	for _, tc := range []struct {
		name    string
		d       planfile.PlannedDelete
		strict  bool
		wantErr error
		wantIn  string
	}{
		{"honest delete", del("sdkobj_file.tmp", "", planfile.ActionDelete, "null"), true, nil, ""},
		{"honest delete, no private", del("sdkobj_file.none", "", planfile.ActionDelete, ""), true, nil, ""},
		{"honest deposed delete", del("sdkobj_file.tmp", "0001", planfile.ActionDelete, `{"a":1}`), true, nil, ""},
		{"edited delete", del("sdkobj_file.tmp", "", planfile.ActionDelete, attack), false, plan.ErrEdited, "sdkobj_file.tmp"},
		{"private added", del("sdkobj_file.none", "", planfile.ActionDelete, "null"), false, plan.ErrEdited, "sdkobj_file.none"},
		{"deposed: the current object's", del("sdkobj_file.tmp", "0001", planfile.ActionDelete, "null"), false, plan.ErrEdited, "0001"},
		{"delete of no object", del("sdkobj_file.gone", "", planfile.ActionDelete, ""), false, plan.ErrEdited, "sdkobj_file.gone"},
		{"replace, prior's private", del("sdkobj_file.tmp", "", dtc, "null"), true, nil, ""},
		{"replace, SDKv2 empty shim", del("sdkobj_file.tmp", "", dtc, `{"_new_extra_shim":{}}`), true, nil, ""},
		{"replace, shim, schema version, timeouts", del("sdkobj_file.rep", "", ctd, `{"_new_extra_shim":{},"schema_version":"1","e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"delete":60000000000}}`), true, nil, ""},
		{"replace, attack under pin", del("sdkobj_file.tmp", "", dtc, attack), true, ErrReplacePrivateUnderPin, "sdkobj_file.tmp"},
		{"replace CBD, attack under pin", del("sdkobj_file.tmp", "", ctd, `{"_new_extra_shim":{"path":"/o/prod-db"}}`), true, ErrReplacePrivateUnderPin, "41 bytes"},
		{"replace, wrong schema version", del("sdkobj_file.rep", "", dtc, `{"_new_extra_shim":{},"schema_version":"0"}`), true, ErrReplacePrivateUnderPin, ""},
		{"replace, other key", del("sdkobj_file.tmp", "", dtc, `{"_new_extra_shim":{},"x":1}`), true, ErrReplacePrivateUnderPin, ""},
		{"replace, no shim", del("sdkobj_file.tmp", "", dtc, `{}`), true, ErrReplacePrivateUnderPin, ""},
		{"replace, null shim", del("sdkobj_file.tmp", "", dtc, `{"_new_extra_shim":null}`), true, ErrReplacePrivateUnderPin, ""},
		{"replace, duplicate shim", del("sdkobj_file.tmp", "", dtc, `{"_new_extra_shim":{"path":"/o/prod-db"},"_new_extra_shim":{}}`), true, ErrReplacePrivateUnderPin, ""},
		{"replace, nested duplicate", del("sdkobj_file.tmp", "", dtc, `{"_new_extra_shim":{},"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"delete":1,"delete":2}}`), true, ErrReplacePrivateUnderPin, ""},
		{"replace, trailing data", del("sdkobj_file.tmp", "", dtc, `{"_new_extra_shim":{}} {"_new_extra_shim":{"path":"x"}}`), true, ErrReplacePrivateUnderPin, ""},
		{"replace, not JSON", del("sdkobj_file.tmp", "", dtc, "\x00"), true, ErrReplacePrivateUnderPin, ""},
		{"replace, attack, no pin", del("sdkobj_file.tmp", "", dtc, attack), false, nil, ""},
		{"replace of no object", del("sdkobj_file.gone", "", dtc, ""), false, plan.ErrEdited, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDeletePrivate([]planfile.PlannedDelete{tc.d}, prior, tc.strict)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantIn) {
				t.Fatalf("err = %v, want %v naming %q", err, tc.wantErr, tc.wantIn)
			}
		})
	}
	if err := CheckDeletePrivate(nil, nil, true); err != nil {
		t.Errorf("no deletes: %v", err)
	}
	if err := CheckDeletePrivate([]planfile.PlannedDelete{del("a.b", "", 5, "")}, nil, true); err == nil {
		t.Error("no prior state: nil error")
	}
}

func TestHasDuplicateKey(t *testing.T) {
	for s, want := range map[string]bool{
		`{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}`: false,
		`{"a":1,"a":2}`:                     true,
		`{"a":{"b":1},"c":[{"d":1,"d":2}]}`: true,
		`{"a":["a","a"],"b":"a"}`:           false,
	} {
		if got := hasDuplicateKey(s); got != want {
			t.Errorf("hasDuplicateKey(%s) = %v", s, got)
		}
	}
}
