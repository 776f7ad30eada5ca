package planfile

import "github.com/planguard/terraform-provider-planguard/internal/planfile/planfiletest"

// The hand-built saved plans of package planfiletest, under short names.
type entry = planfiletest.Entry

const lockFile = planfiletest.LockFile

func ent(name string, data []byte) entry { return entry{Name: name, Data: data} }

var (
	archive       = planfiletest.Archive
	storedArchive = planfiletest.Stored
	msgpackObject = planfiletest.MsgpackObject
	dynamic       = planfiletest.Dynamic
	str           = planfiletest.Bytes
	varint        = planfiletest.Varint
	localBackend  = planfiletest.LocalBackend
	tfplanRecord  = planfiletest.Record
	savedPlan     = planfiletest.SavedPlan
)
