package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Review hook80 H1 through the hook command: a FIFO named like a
// configuration file gives the hook one text and terraform another; the
// hook reads only regular files, does not block on a FIFO without a
// writer, and refuses init there.
func TestHook80InitFifo(t *testing.T) {
	w := newHookWorld(t)
	os.WriteFile(filepath.Join(w.dir, "terraform.tfstate"), []byte(`{"version":4,"serial":1,"lineage":"x","resources":[]}`), 0o644)
	if err := syscall.Mkfifo(filepath.Join(w.dir, "backend.tf"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, "terraform init -input=false"), nil)
	if code == 0 && out == "" {
		t.Error("init allowed beside a FIFO named backend.tf")
	}
}
