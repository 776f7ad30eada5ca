package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEmptyPolicyPin: --policy-sha256 given empty (an unset CI variable)
// is an error, exit 2, in every command that takes it; leaving it out is
// no pin.
func TestEmptyPolicyPin(t *testing.T) {
	for name, args := range map[string][]string{
		"check":                {"check", "--policy", qsPolicy, "--policy-sha256", "", qsPlan},
		"check, flag last":     {"check", "--policy", qsPolicy, qsPlan, "--policy-sha256="},
		"check, white space":   {"check", "--policy", qsPolicy, "--policy-sha256", "  ", qsPlan},
		"apply":                {"apply", "--policy", qsPolicy, "--policy-sha256", "", "tfplan"},
		"apply, attested":      {"apply", "--attestation", "a.att", "--attestation-signers", "s", "--policy-sha256", "", "tfplan"},
		"verify-plan-approval": {"verify-plan-approval", "--plan", "tfplan", "--policy", qsPolicy, "--policy-sha256", "", "--approval", "a.json"},
		"verify-attestation":   {"verify-attestation", "--attestation", "a.att", "--attestation-signers", "s", "--policy-sha256", "", "tfplan"},
	} {
		code, out, errs := runCLI(t, "", nil, args...)
		if code != exitError || !strings.Contains(errs, "--policy-sha256 is empty: the pin is empty") || !strings.Contains(errs, "set the variable") {
			t.Errorf("%s: exit %d, want 2 with the empty pin named\n%s%s", name, code, out, errs)
		}
	}
	if code, out, errs := runCLI(t, "", nil, "check", "--policy", qsPolicy, "--now", "2026-11-25T12:00:00Z", qsPlan); code != exitBlock {
		t.Errorf("no --policy-sha256: exit %d, want 1 (no pin)\n%s%s", code, out, errs)
	}
}

// TestCheckTextOnGitHub: on GitHub Actions the text report, which quotes
// the plan, is printed with workflow commands off, under a fresh random
// token each run; elsewhere, and for other formats, nothing is added.
func TestCheckTextOnGitHub(t *testing.T) {
	gh := map[string]string{"GITHUB_ACTIONS": "true"}
	args := []string{"check", "--policy", qsPolicy, "--now", "2026-11-25T12:00:00Z", qsPlan}
	code, out, errs := runCLI(t, "", gh, args...)
	if code != exitBlock {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	re := regexp.MustCompile(`(?m)^::stop-commands::(planguard-[0-9a-f]{32})$`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no ::stop-commands:: with a random token:\n%s", out)
	}
	start, end := strings.Index(out, m[0]), strings.LastIndex(out, "\n::"+m[1]+"::\n")
	if end < start || !strings.Contains(out[start:end], "BLOCKED: 2 of 2") || strings.TrimSpace(out[end:]) != "::"+m[1]+"::" {
		t.Errorf("the report is not wholly inside the block:\n%s", out)
	}
	_, again, _ := runCLI(t, "", gh, args...)
	if m2 := re.FindStringSubmatch(again); m2 == nil || m2[1] == m[1] {
		t.Errorf("the token is not fresh: %q then %q", m[1], m2)
	}
	for _, env := range []map[string]string{nil, {"GITHUB_ACTIONS": "false"}} {
		if _, out, _ := runCLI(t, "", env, args...); strings.Contains(out, "::") {
			t.Errorf("outside GitHub Actions (%v) the report has workflow markers:\n%s", env, out)
		}
	}
	if _, out, _ := runCLI(t, "", gh, "check", "--policy", qsPolicy, "--format", "json", qsPlan); strings.Contains(out, "stop-commands") {
		t.Errorf("the JSON report has workflow markers:\n%s", out)
	}
}

// TestErrorsAndWarningsOnGitHub (review ci32 F2): errors and warnings can
// quote the plan (a type, an address, a path), and were printed raw on
// stderr: on GitHub Actions a newline in such a string made the next line a
// workflow command (::add-mask::, ::error) in the apply job's log. Now they
// are written with workflow commands off, with a fresh token.
func TestErrorsAndWarningsOnGitHub(t *testing.T) {
	gh := map[string]string{"GITHUB_ACTIONS": "true"}
	forged := filepath.Join(t.TempDir(), "x\n::add-mask::Destroying\n::error title=planguard::approved")
	raw := func(log string) []string {
		var cmds []string
		stop := ""
		for _, l := range strings.Split(log, "\n") {
			l = strings.TrimLeft(l, " \t")
			switch {
			case stop != "":
				if l == "::"+stop+"::" {
					stop = ""
				}
			case strings.HasPrefix(l, "::stop-commands::planguard-") && len(l) == len("::stop-commands::planguard-")+32:
				stop = strings.TrimPrefix(l, "::stop-commands::")
			case strings.HasPrefix(l, "::"):
				cmds = append(cmds, l)
			}
		}
		if stop != "" {
			cmds = append(cmds, "(never turned back on)")
		}
		return cmds
	}
	code, out, errs := runCLI(t, "", gh, "check", "--policy", forged, qsPlan)
	if code != exitError || !strings.Contains(errs, "::add-mask::Destroying") {
		t.Fatalf("exit %d: the error does not quote the path (the test would show nothing)\n%s%s", code, out, errs)
	}
	if cmds := raw(errs); len(cmds) > 0 {
		t.Errorf("workflow commands on stderr outside ::stop-commands::: %q\n%s", cmds, errs)
	}
	_, _, plain := runCLI(t, "", nil, "check", "--policy", forged+"\x1b[32m", qsPlan)
	if strings.Contains(plain, "stop-commands") {
		t.Errorf("outside GitHub Actions the error has workflow markers:\n%s", plain)
	}
	// Review ci33 L2: what the error quotes cannot pass for a line of
	// planguard's own, nor recolour the log.
	for _, l := range strings.Split(strings.TrimRight(plain, "\n"), "\n") {
		if !strings.HasPrefix(l, "planguard: ") && !strings.HasPrefix(l, "  ") {
			t.Errorf("a line of the error is not planguard's nor indented: %q\n%s", l, plain)
		}
	}
	if strings.Contains(plain, "\x1b") || !strings.Contains(plain, `\x1b[32m`) {
		t.Errorf("the escape sequence is not shown escaped:\n%q", plain)
	}
	// Warnings: the no --author warning is printed by the CLI; the report's
	// warnings (a saved plan's, here none) go through the same block.
	_, _, errs = runCLI(t, "", gh, "check", "--policy", qsPolicy, "--now", "2026-11-25T12:00:00Z", qsPlan)
	if cmds := raw(errs); len(cmds) > 0 {
		t.Errorf("workflow commands on stderr: %q\n%s", cmds, errs)
	}
}
