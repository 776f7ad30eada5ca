package plan

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSnapshotScanDoesNotEvaluate (review hook152): the gate reads every
// attribute of a saved plan's configuration snapshot, in its own process
// (the runner's, for `runner plan` and `apply`); only literals are
// evaluated there, so an attribute Terraform never evaluated (a dynamic
// block's content over an empty for_each) holding a for expression over
// literal lists does not run for hours.
func TestSnapshotScanDoesNotEvaluate(t *testing.T) {
	items := make([]string, 300)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	list := "[" + strings.Join(items, ",") + "]"
	bomb := "1"
	for d := 0; d < 4; d++ {
		if d == 0 {
			bomb = fmt.Sprintf("[for v%d in %s: %s if false]", d, list, bomb)
		} else {
			bomb = fmt.Sprintf("[for v%d in %s: %s]", d, list, bomb)
		}
	}
	src := "resource \"aws_instance\" \"x\" {\n  dynamic \"ebs_block_device\" {\n    for_each = []\n    content {\n      tags = " + bomb + "\n    }\n  }\n}\n" +
		"provider \"aws\" {\n  alias = " + bomb + "\n}\n"
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := nativeBlocks([]byte(src), "main.tf"); err != nil {
			t.Error(err)
		}
		_, _ = nativeProviderDynamics([]byte(src), "main.tf")
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the snapshot scan evaluates a for expression")
	}
}
