package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/planfile"
)

// The apply of a change that deletes an object sends the provider, with
// the prior object (the change's before, which the plan reader binds to
// the prior state), the change record's private data as the delete's
// planned private data (ApplyResourceChangeRequest.PlannedPrivate), for a
// delete and for the delete half of a replace. `terraform show -json`
// does not show it and Terraform checks nothing about it, and
// terraform-plugin-sdk v2 reads attribute values of the delete from it:
// its "_new_extra_shim" map becomes the diff's NewExtra, which d.Get
// returns. An edited private data of an unprotected object's delete makes
// an SDKv2 provider delete the object it names.
//
// Terraform (1.8, 1.11) and OpenTofu (1.6) plan a delete with the state
// object's private data, byte for byte: so a delete's private data must
// be the plan's state's (tfstate, which is tfstate-prev's, which under a
// state pin is the pinned state's). A replace carries the private data the
// provider planned for the new object (terraform-plugin-sdk v2 writes
// {"_new_extra_shim":{}}, or that map with the values of attributes that
// have a StateFunc), which planguard cannot reproduce: where the state is
// pinned and the plan was not made by planguard runner, a replace's
// private data must be the state object's or SDKv2's empty form (see
// inertReplacePrivate); otherwise it is refused.

// ErrReplacePrivateUnderPin is the error for a saved plan, under a state
// pin and not made by planguard runner, with a replace whose private data
// is neither the state object's nor inert.
var ErrReplacePrivateUnderPin = errors.New("a replace's planned private data cannot be checked")

// sdkTimeoutsKey is the key terraform-plugin-sdk v2 keeps a resource's
// timeouts under in its private data.
const sdkTimeoutsKey = "e2bfb730-ecaa-11e6-8f88-34363bc7c4c0"

// CheckDeletePrivate checks the private data of the saved plan's changes
// that delete an object (deletes) against the plan's state after its
// refresh (prior, the tfstate entry): a delete's must be its object's; a
// replace's too, or inert, when strictReplace (the state is pinned and the
// plan's refresh is not trusted). Errors wrap plan.ErrEdited (a delete) or
// ErrReplacePrivateUnderPin, and name the change's address.
func CheckDeletePrivate(deletes []planfile.PlannedDelete, prior *planfile.State, strictReplace bool) error {
	if len(deletes) == 0 {
		return nil
	}
	if prior == nil {
		return errors.New("internal error: the saved plan's prior state (tfstate) was not read")
	}
	objs := map[string]planfile.StateObject{}
	for _, o := range prior.Objects {
		objs[o.Key()] = o
	}
	for _, d := range deletes {
		o, ok := objs[d.Key()]
		if !ok {
			return hint.With(fmt.Errorf("%w: the saved plan deletes %s, which its prior state (tfstate) does not hold: Terraform plans deletes only of the state's objects, so the plan file was edited after Terraform wrote it",
				plan.ErrEdited, d.Key()), "plan again, and check and apply only the plan file the plan job wrote, unedited")
		}
		if d.Private == o.Private {
			continue
		}
		if !d.Replace() {
			return hint.With(fmt.Errorf("%w: the saved plan's delete of %s (id %q) carries private data (%d bytes) that is not its object's in the plan's state (%d bytes): the apply sends it to the provider, which may read from it what to delete (terraform-plugin-sdk v2 does), and Terraform plans a delete with the object's own private data, so the plan file was edited after Terraform wrote it",
				plan.ErrEdited, d.Key(), o.ID, len(d.Private), len(o.Private)), "plan again, and check and apply only the plan file the plan job wrote, unedited")
		}
		if !strictReplace || inertReplacePrivate(d.Private, o.SchemaVersion) {
			continue
		}
		return hint.With(fmt.Errorf("%w: the saved plan replaces %s (id %q), and the delete of the old object is sent the private data the provider planned for the new one (%d bytes), not the object's in the pinned state (%d bytes) and not a form planguard knows to be inert; "+
			"a provider may read from it what to delete (terraform-plugin-sdk v2 does), and planguard cannot tell the provider's value from an edit of the plan file",
			ErrReplacePrivateUnderPin, d.Key(), o.ID, len(d.Private), len(o.Private)),
			"make the plan with 'planguard runner', which plans and applies in one job; or have a person with the production credentials apply the replace")
	}
	return nil
}

// inertReplacePrivate says whether a replace's private data is the form
// terraform-plugin-sdk v2 plans for a new object with no hidden values: a
// JSON object holding "_new_extra_shim" as an empty object, and at most
// "schema_version" (the object's, as a string) and the SDK's timeouts (an
// object of numbers), nothing else. The SDK reads from the first the
// delete's attribute values (empty: none), and from the timeouts only how
// long the delete may take. A provider built otherwise that read these
// keys would see nothing that names an object.
func inertReplacePrivate(private string, schemaVersion uint64) bool {
	dec := json.NewDecoder(bytes.NewReader([]byte(private)))
	dec.UseNumber()
	var m map[string]json.RawMessage
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return false
	}
	if _, err := dec.Token(); err == nil {
		return false // trailing data
	}
	if hasDuplicateKey(private) {
		return false // the SDK would take the last: ambiguous
	}
	shim, ok := m["_new_extra_shim"]
	if !ok {
		return false
	}
	for k, v := range m {
		switch k {
		case "_new_extra_shim":
			var s map[string]json.RawMessage
			if json.Unmarshal(v, &s) != nil || s == nil || len(s) != 0 {
				return false
			}
		case "schema_version":
			var s string
			if json.Unmarshal(v, &s) != nil || s != fmt.Sprint(schemaVersion) {
				return false
			}
		case sdkTimeoutsKey:
			var t map[string]json.Number
			if json.Unmarshal(v, &t) != nil || t == nil {
				return false
			}
		default:
			return false
		}
	}
	return shim != nil
}

// hasDuplicateKey says whether some JSON object in s (which parses) has a
// key twice.
func hasDuplicateKey(s string) bool {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	type frame struct {
		obj  bool
		keys map[string]bool
		key  bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		isKey := top != nil && top.obj && top.key
		if top != nil && top.obj {
			top.key = !top.key
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{obj: true, keys: map[string]bool{}, key: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].key = true
				}
			}
		case string:
			if isKey {
				if top.keys[t] {
					return true
				}
				top.keys[t] = true
			}
		}
	}
}
