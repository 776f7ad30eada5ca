package planformat

import "errors"

// Errors that plan readers wrap, for errors.Is. Every error they return
// wraps one of these, except errors of the underlying reader or file system
// (such as an *fs.PathError), which are wrapped as they are.
var (
	// ErrNotAPlan: the input is not the JSON of a plan (empty, not an
	// object, a state instead of a plan, or a file that is neither JSON nor
	// a saved plan).
	ErrNotAPlan = errors.New("not a plan")
	// ErrMalformed: the input is not valid JSON, is truncated, has trailing
	// data or duplicate keys, or does not have the structure of a plan.
	ErrMalformed = errors.New("malformed plan JSON")
	// ErrUnsupportedFormat: the format_version is not one the readers
	// understands (0.x with x >= 1, or 1.x).
	ErrUnsupportedFormat = errors.New("unsupported plan format")
	// ErrErrored: the plan is marked errored, so planning failed and it
	// cannot be applied.
	ErrErrored = errors.New("errored plan")
	// ErrEdited: the plan's parts disagree in a way Terraform never
	// writes them (a change's before value is not the prior state's
	// object), so the plan file or its JSON was edited.
	ErrEdited = errors.New("edited plan")
)
