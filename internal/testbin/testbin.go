// Package testbin builds this module's binaries for the tests that run them
// as processes: end to end, the GitHub Action and hook scripts, the
// integration examples.
package testbin

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Bin is a binary to build: the package Pkg, a path relative to the module
// root such as "./planguard", written as Name.
type Bin struct{ Name, Pkg string }

// Planguard is the gate's CLI.
var Planguard = Bin{Name: "planguard", Pkg: "./planguard"}

// Provider is the provider binary, as dev_overrides expects it.
var Provider = Bin{Name: "terraform-provider-planguard", Pkg: "."}

// Run is the body of a TestMain: it builds bins (with -trimpath, as the
// action's install.sh does, so that builds share compiled packages) into a
// new temporary directory, calls setup with the module root and that
// directory, runs the tests, removes the directory and exits with the tests'
// status. A failure to build exits with status 2 before any test runs.
func Run(m *testing.M, setup func(root, dir string), bins ...Bin) {
	code, err := run(m, setup, bins)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(code)
}

func run(m *testing.M, setup func(root, dir string), bins []Bin) (int, error) {
	root, err := moduleRoot()
	if err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp("", "planguard-test-bin-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	for _, b := range bins {
		cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, b.Name), b.Pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("go build %s: %w\n%s", b.Pkg, err, out)
		}
	}
	setup(root, dir)
	return m.Run(), nil
}

// moduleRoot is the nearest directory above the working directory (a
// package's, in a test) that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testbin: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Tool finds a real terraform or tofu binary for a test: $envVar, else
// NAME in the cache `make tools` fills (~/.cache/planguard/bin). Without an
// executable there the test is skipped, or fails when
// PLANGUARD_REQUIRE_TOOLS is set (as `make test` and CI set it).
func Tool(t testing.TB, envVar, name string) string {
	t.Helper()
	bin := os.Getenv(envVar)
	if bin == "" {
		if home, err := os.UserHomeDir(); err == nil {
			bin = filepath.Join(home, ".cache", "planguard", "bin", name)
		}
	}
	if fi, err := os.Stat(bin); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return bin
	}
	if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
		t.Fatalf("%s not found at %q (set %s or run make tools); PLANGUARD_REQUIRE_TOOLS is set", name, bin, envVar)
	}
	t.Skipf("%s not found at %q; run make tools (PLANGUARD_REQUIRE_TOOLS=1 makes this a failure)", name, bin)
	return ""
}
