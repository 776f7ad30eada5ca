package planformat

import (
	"reflect"
	"testing"
)

// TestApprovalStringsCoverStatement: the reader fills every field of the
// signed statement from the planned attributes, so that a field added to
// approval.Statement cannot be signed by the provider yet left empty here.
func TestApprovalStringsCoverStatement(t *testing.T) {
	var a Approval
	for _, f := range approvalStrings(&a) {
		*f.dst = f.name
	}
	v := reflect.ValueOf(a.Statement)
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).String() == "" {
			t.Errorf("approval.Statement.%s is not read from any planned attribute: add it to approvalStrings", v.Type().Field(i).Name)
		}
	}
}
