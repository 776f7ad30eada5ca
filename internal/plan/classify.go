package plan

import (
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// Classify maps the raw actions of a resource change to its Kind:
//
//	["create"]                                  create
//	["delete"]                                  delete
//	["delete","create"], ["create","delete"]    replace
//	["update"]                                  update
//	["forget"], ["create","forget"]             forget
//	["no-op"]                                   no-op
//	["read"]                                    read
//
// An empty list, an unknown action name or any other combination is an
// error wrapping ErrMalformed.
func Classify(actions []string) (Kind, error) {
	if len(actions) == 0 {
		return "", fmt.Errorf("%w: empty actions list", ErrMalformed)
	}
	for _, a := range actions {
		switch tfjson.Action(a) {
		case tfjson.ActionNoop, tfjson.ActionCreate, tfjson.ActionRead,
			tfjson.ActionUpdate, tfjson.ActionDelete, tfjson.ActionForget:
		default:
			return "", fmt.Errorf("%w: unknown action %q (this planguard does not know it; upgrade planguard)", ErrMalformed, a)
		}
	}
	switch len(actions) {
	case 1:
		switch tfjson.Action(actions[0]) {
		case tfjson.ActionCreate:
			return KindCreate, nil
		case tfjson.ActionDelete:
			return KindDelete, nil
		case tfjson.ActionUpdate:
			return KindUpdate, nil
		case tfjson.ActionForget:
			return KindForget, nil
		case tfjson.ActionNoop:
			return KindNoOp, nil
		case tfjson.ActionRead:
			return KindRead, nil
		}
	case 2:
		a, b := tfjson.Action(actions[0]), tfjson.Action(actions[1])
		switch {
		case a == tfjson.ActionDelete && b == tfjson.ActionCreate,
			a == tfjson.ActionCreate && b == tfjson.ActionDelete:
			return KindReplace, nil
		case a == tfjson.ActionCreate && b == tfjson.ActionForget:
			return KindForget, nil
		}
	}
	return "", fmt.Errorf("%w: unknown combination of actions [%s]", ErrMalformed, strings.Join(actions, ","))
}
