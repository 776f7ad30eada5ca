package gate

import (
	"github.com/planguard/terraform-provider-planguard/internal/address"
	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// SubjectImpliedMove: the address a destroy-mode delete's object may have
// had before an implied move (count added to or removed from its resource
// block moves NAME to NAME[0] or NAME[0] to NAME, with no moved block).
const SubjectImpliedMove = "implied_move"

// impliedMove returns the other address an object deleted in destroy mode
// may have had: Terraform and OpenTofu apply the implied move of a resource
// whose count was added (NAME -> NAME[0]) or removed (NAME[0] -> NAME) in
// the refresh before a destroy plan, and list the delete under the new
// address with no previous_address; the configuration snapshot has no
// moved block to tell. Any other address has no implied move.
func impliedMove(pc plan.Change) (Subject, bool) {
	if !destroyMode(pc) {
		return Subject{}, false
	}
	a, err := address.Parse(pc.Address)
	if err != nil {
		// The policy fails closed on the change's own address.
		return Subject{}, false
	}
	switch k := a.Resource.Key.(type) {
	case nil:
		a.Resource.Key = int64(0)
	case int64:
		if k != 0 {
			return Subject{}, false
		}
		a.Resource.Key = nil
	default:
		return Subject{}, false
	}
	return Subject{Address: a.String(), Type: a.Type, Why: SubjectImpliedMove}, true
}
