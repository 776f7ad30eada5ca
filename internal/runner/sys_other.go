//go:build !unix

package runner

import "os/exec"

const syscallNoFollow = 0

func detach(*exec.Cmd) {}

func withUmask(_ int, fn func() error) error { return fn() }
