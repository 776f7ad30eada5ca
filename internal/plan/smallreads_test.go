package plan

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// TestLargeValueInTinyReads: a resource change whose values are larger
// than the read window, arriving one byte per Read (a slow pipe), decodes
// exactly as when read whole. (Before the window was filled in place, each
// tiny read copied the whole kept value: quadratic, minutes for 1 MB.)
func TestLargeValueInTinyReads(t *testing.T) {
	big := strings.Repeat("x", 1200<<10)
	in := `{"format_version":"1.2","terraform_version":"1.8.5","planned_values":{},` +
		`"resource_changes":[{"address":"terraform_data.db","mode":"managed","type":"terraform_data","name":"db","provider_name":"terraform.io/builtin/terraform",` +
		`"change":{"actions":["update"],"before":{"id":"a","input":"` + big + `"},"after":{"id":"a","input":"` + big + `y"},"after_unknown":{}}}],` +
		`"prior_state":{"values":{"root_module":{"resources":[{"address":"terraform_data.db","mode":"managed","type":"terraform_data","values":{"input":"` + big + `","id":"a"}}]}}}}`
	want, err := Decode(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Changes) != 1 || want.Changes[0].Kind != KindUpdate || !reflect.DeepEqual(want.Changes[0].ChangedAttributes, []string{"input"}) || want.Changes[0].PriorID != "a" {
		t.Fatalf("whole read: %+v", want.Changes)
	}
	got, err := Decode(iotest.OneByteReader(bytes.NewReader([]byte(in))))
	if err != nil {
		t.Fatal(err)
	}
	if !samePlan(got, want) {
		t.Errorf("one-byte reads: %+v\nwhole: %+v", got, want)
	}
}
