package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// On GitHub Actions the runner reads every line a step prints (after
// leading white space) that starts with "::" as a workflow command:
// ::add-mask:: hides what the job logs after it, ::error and ::notice forge
// annotations, ::stop-commands:: turns commands off. Text from the plan
// (the check's report quotes addresses and values) and Terraform's output
// during the apply (which prints output values the change wrote, a
// multi-line one as a heredoc, one log line per line) are written between
// ::stop-commands::TOKEN and ::TOKEN::, with a token nobody can guess, so
// that none of it is a command.

// onGitHub reports whether planguard runs in a GitHub Actions step.
func onGitHub(e *env) bool { return e.getenv("GITHUB_ACTIONS") == "true" }

// stopCommands writes ::stop-commands:: with a fresh random token to w and
// returns the function that turns workflow commands back on; outside
// GitHub Actions it writes nothing and resume does nothing.
func stopCommands(e *env, w io.Writer) (resume func(), err error) {
	if !onGitHub(e) {
		return func() {}, nil
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("make a token for ::stop-commands:: (GITHUB_ACTIONS is true): %w", err)
	}
	tok := "planguard-" + hex.EncodeToString(b[:])
	if _, err := fmt.Fprintf(w, "\n::stop-commands::%s\n", tok); err != nil {
		return nil, fmt.Errorf("write ::stop-commands:: (GITHUB_ACTIONS is true): %w", err)
	}
	return func() { fmt.Fprintf(w, "\n::%s::\n", tok) }, nil
}

// regularFile reports whether w is a regular file (stdout redirected to a
// file, which a later step may print as it likes), not the log.
func regularFile(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode().IsRegular()
}
