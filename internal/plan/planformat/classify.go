package planformat

import (
	"fmt"
	"strings"
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
		switch a {
		case "no-op", "create", "read",
			"update", "delete", "forget":
		default:
			return "", fmt.Errorf("%w: unknown action %q (this planguard does not know it; upgrade planguard)", ErrMalformed, a)
		}
	}
	switch len(actions) {
	case 1:
		switch actions[0] {
		case "create":
			return KindCreate, nil
		case "delete":
			return KindDelete, nil
		case "update":
			return KindUpdate, nil
		case "forget":
			return KindForget, nil
		case "no-op":
			return KindNoOp, nil
		case "read":
			return KindRead, nil
		}
	case 2:
		a, b := actions[0], actions[1]
		switch {
		case a == "delete" && b == "create",
			a == "create" && b == "delete":
			return KindReplace, nil
		case a == "create" && b == "forget":
			return KindForget, nil
		}
	}
	return "", fmt.Errorf("%w: unknown combination of actions [%s]", ErrMalformed, strings.Join(actions, ","))
}
