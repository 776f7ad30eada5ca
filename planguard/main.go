// Command planguard is the plan gate: it blocks a Terraform or OpenTofu plan
// that deletes, replaces or forgets a protected resource unless enough
// trusted principals signed an approval for exactly that change.
//
// Exit status of `planguard check`: 0 allowed, 1 blocked, 2 error (which
// also blocks).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/planguard/terraform-provider-planguard/internal/hint"
	"github.com/planguard/terraform-provider-planguard/internal/report"
)

// version, commit and date are set by the release build (-X main.version=…);
// without them, versionString reads what the Go toolchain recorded.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// Exit codes, a contract.
const (
	exitAllow = 0
	exitBlock = 1
	exitError = 2
)

// env is the process environment, injected so tests run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     func(io.Writer) bool
	log            hclog.Logger
	// afterCheck, when set, runs between check and apply (tests use it to
	// change the plan file in that window).
	afterCheck func()
}

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, isTerminal: isTerminal}
	os.Exit(run(e, os.Args[1:]))
}

// usageError is a command-line mistake: the message plus the command's usage hint.
type usageError struct{ msg, hint string }

func (u *usageError) Error() string { return u.msg }

// withHint attaches advice on what to do to an error (see internal/hint).
func withHint(err error, h string) error { return hint.With(err, h) }

type command struct {
	name, summary string
	run           func(e *env, args []string) (int, error)
}

func commands() []command {
	return []command{
		{"check", "check a plan against the policy (exit 0 allow, 1 block, 2 error)", runCheck},
		{"apply", "check a saved plan and apply exactly that file when allowed", runApply},
		{"verify-attestation", "verify a signed check attestation for a saved plan", runVerifyAttestation},
		{"approve", "write a signed planguard_approval block for one change", runApprove},
		{"sign", "add a co-signature to an existing planguard_approval block", runSign},
		{"payload", "print the exact bytes an approver signs", runPayload},
		{"policy-hash", "print the policy hash that --policy-sha256 pins (policy and trust files)", runPolicyHash},
		{"keygen", "make an ed25519 signing key and print its allowed_signers line", runKeygen},
		{"init", "write a first commented policy and allowed_signers file", runInit},
		{"protected", "list what the policy protects in a state or plan, with its rules", runProtected},
		{"verify", "check the approvals in .tf files against the policy, without a plan", runVerify},
		{"hook", "answer a coding agent's pre-tool-call hook (deny destructive terraform calls)", runHook},
		{"runner", "plan and apply through a local runner that holds the credentials (serve, plan, apply, show)", runRunner},
		{"approve-plan", "sign a plan approval for one saved plan (its sha256) that planguard runner applies", runApprovePlan},
		{"verify-plan-approval", "check the plan approvals of one saved plan file (for an apply wrapper)", runVerifyPlanApproval},
		{"serve", "serve the gate as an HCP Terraform / Terraform Enterprise run task", runServe},
		{"version", "print the version", runVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `planguard %s — a plan gate for Terraform and OpenTofu.

Usage: planguard COMMAND [flags]

Commands:
`, version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-21s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'planguard COMMAND --help' for a command's flags and examples.
Set PLANGUARD_LOG=debug for logs on stderr.

In CI, between plan and apply (docs/guides/ci.md):
  terraform plan -out tfplan                      # the plan job
  planguard apply --author "$CHANGE_AUTHOR" tfplan  # the apply job: checks, then applies exactly tfplan
`)
}

func run(e *env, args []string) int {
	level := hclog.LevelFromString(e.getenv("PLANGUARD_LOG"))
	if level == hclog.NoLevel {
		level = hclog.Off
	}
	e.log = hclog.New(&hclog.LoggerOptions{Name: "planguard", Level: level, Output: e.stderr})
	if len(args) == 0 {
		usage(e.stderr)
		return exitError
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		usage(e.stdout)
		return exitAllow
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		code, err := c.run(e, args[1:])
		if errors.Is(err, errHelp) {
			return exitAllow
		}
		if err != nil {
			printError(e, err)
			if code == exitAllow {
				code = exitError
			}
		}
		return code
	}
	printError(e, withHint(fmt.Errorf("unknown command %q", name), "run 'planguard --help' for the list of commands"))
	return exitError
}

// printError prints an error the way age does: one line, then a hint.
func printError(e *env, err error) {
	if errors.Is(err, errHelp) {
		return
	}
	// An error can quote the plan (an address, a type, a path it names): on
	// GitHub Actions, with workflow commands off (ghcommands.go).
	if resume, serr := stopCommands(e, e.stderr); serr == nil {
		defer resume()
	} else {
		fmt.Fprintf(e.stderr, "planguard: error: %s\n", serr)
	}
	// Errors and hints quote what planguard read (a plan's strings, a
	// path): printable, continuation lines indented (review ci33 L2).
	fmt.Fprintf(e.stderr, "planguard: error: %s\n", report.PrintableLines(strings.TrimSpace(err.Error())))
	var u *usageError
	if h, ok := hint.Of(err); ok {
		fmt.Fprintf(e.stderr, "planguard: hint: %s\n", report.PrintableLines(h))
	} else if errors.As(err, &u) && u.hint != "" {
		fmt.Fprintf(e.stderr, "planguard: hint: %s\n", report.PrintableLines(u.hint))
	}
}

func runVersion(e *env, args []string) (int, error) {
	fs := newFlags("version", "planguard version", `Print planguard's version: the release version, or for a build from source the module
version and VCS revision (with "dirty" for uncommitted changes) and commit time that Go
recorded in the binary.`, "")
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintf(e.stdout, "planguard %s\n", versionString(version, commit, date, bi))
	return exitAllow, nil
}

// buildVersion is this binary's version as versionString says it: what
// reports and audit records name.
func buildVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return versionString(version, commit, date, bi)
}

// versionString is the version to print: a stamped release version (with
// its stamped commit and date), else what the build info holds — the
// module version (a pseudo-version for a go install at a commit), the VCS
// revision and whether the tree was modified, the commit time and the Go
// version — else "dev".
func versionString(stamped, stampedCommit, stampedDate string, bi *debug.BuildInfo) string {
	if stamped != "dev" && stamped != "" {
		var extra []string
		if stampedCommit != "" {
			extra = append(extra, "commit "+stampedCommit)
		}
		if stampedDate != "" {
			extra = append(extra, "built "+stampedDate)
		}
		if len(extra) == 0 {
			return stamped
		}
		return stamped + " (" + strings.Join(extra, ", ") + ")"
	}
	if bi == nil {
		return "dev"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	var rev, at string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	var extra []string
	if rev != "" {
		r := "revision " + rev[:min(12, len(rev))]
		if dirty {
			r += " dirty"
		}
		extra = append(extra, r)
	}
	if at != "" {
		extra = append(extra, "committed "+at)
	}
	if bi.GoVersion != "" {
		extra = append(extra, bi.GoVersion)
	}
	if v == "dev" && rev == "" {
		return v
	}
	return v + " (" + strings.Join(extra, ", ") + ")"
}
