package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

const zipMagic = "PK\x03\x04"

// pinPlan copies a saved plan into a private directory, hashing it on the
// way: what is checked and applied is this copy, whatever happens to the
// original afterwards.
func pinPlan(path string) (copyPath, sum string, cleanup func(), err error) {
	// Stat before opening: opening a FIFO would wait for a writer.
	if fi, err := os.Stat(path); err != nil {
		return "", "", nil, fmt.Errorf("open plan: %w", err)
	} else if !fi.Mode().IsRegular() {
		return "", "", nil, withHint(fmt.Errorf("%s is not a regular file (%s)", path, fi.Mode().Type()), "apply needs the binary file written by 'terraform plan -out FILE'")
	}
	// O_NONBLOCK: a FIFO swapped in after the stat does not block either.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "", "", nil, fmt.Errorf("open plan: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return "", "", nil, fmt.Errorf("%s changed while it was opened", path)
	}
	head := make([]byte, len(zipMagic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != zipMagic {
		return "", "", nil, withHint(fmt.Errorf("%s is not a saved plan file", path), "apply needs the binary file written by 'terraform plan -out FILE', not JSON")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", "", nil, err
	}
	dir, err := os.MkdirTemp("", "planguard-apply-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	copyPath = filepath.Join(dir, "pinned.tfplan")
	out, err := os.OpenFile(copyPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o400)
	if err != nil {
		cleanup()
		return "", "", nil, err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), f)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		return "", "", nil, fmt.Errorf("copy plan: %w", err)
	}
	return copyPath, hex.EncodeToString(h.Sum(nil)), cleanup, nil
}

func runApply(e *env, args []string) (int, error) {
	fs := newFlags("apply", "planguard apply [check flags] PLANFILE [-- terraform apply flags]",
		`Check a saved plan and apply exactly that file when allowed. planguard pins the file
(copies and hashes it), checks the copy, refuses if the original changed meanwhile, and
runs 'terraform apply' on the pinned copy: no other plan can slip in between check and
apply. With --attestation it verifies an attestation from an earlier 'check --attest'
instead of checking again (for pipelines where check and apply run in separate jobs).
Exit status: 0 applied, 1 blocked (nothing applied), 2 error (nothing applied, or the
apply failed).

With --attestation, --policy-sha256 is required: the attestation must name that
policy hash ('planguard policy-hash' prints it).

After -- only flags that cannot change what is applied are passed to terraform,
each as one argument:
    `+allowedApplyArgs()+`.
Anything else (-auto-approve, -backup, -state, -destroy, -var, a path, ...) is
refused with exit 2 before terraform runs; so are TF_CLI_ARGS and
TF_CLI_ARGS_apply words outside that list.`,
		`  terraform plan -out tfplan
  planguard apply --policy planguard.hcl tfplan
  planguard apply --attestation check.att --attestation-signers gate_signers --policy-sha256 "$PIN" tfplan -- -parallelism=4
`)
	var cf checkFlags
	cf.register(fs)
	var a attestationCheck
	fs.StringVar(&a.path, "attestation", "", "apply on the strength of this attestation `FILE` instead of checking")
	a.register(fs)
	var extra []string
	for i, arg := range args {
		if arg == "--" {
			args, extra = args[:i], args[i+1:]
			break
		}
	}
	if err := parse(e, fs, args); err != nil {
		return exitError, err
	}
	if fs.NArg() != 1 {
		return exitError, &usageError{msg: "apply needs exactly one PLANFILE", hint: "run 'planguard apply tfplan'; terraform flags go after --"}
	}
	// Before anything else: no argument may change what is applied.
	if err := checkApplyArgs(extra, e.getenv); err != nil {
		return exitError, err
	}
	if a.path != "" {
		if a.signers == "" {
			return exitError, &usageError{msg: "--attestation needs --attestation-signers", hint: "pass the allowed_signers file that lists the gate's key"}
		}
		// With an attestation nothing is checked here: refuse the flags of a
		// check rather than ignore them.
		var ignored []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "policy", "format", "out", "author", "audit-log", "attest", "attest-key":
				ignored = append(ignored, "--"+f.Name)
			}
		})
		if len(ignored) > 0 {
			return exitError, &usageError{msg: fmt.Sprintf("--attestation applies on an earlier check's decision, so %s would have no effect", strings.Join(ignored, ", ")),
				hint: "pass those flags to the 'planguard check --attest' that wrote the attestation, or drop --attestation to check here"}
		}
		a.policySHA256 = cf.policySHA256
		if err := requireAttestationPin(a); err != nil {
			return exitError, err
		}
	}
	if a.path == "" {
		// An empty --author is refused before the plan is even copied.
		if _, err := cf.authorArg.resolve(e); err != nil {
			return exitError, err
		}
	}
	planPath := fs.Arg(0)
	pinned, sum, cleanup, err := pinPlan(planPath)
	if err != nil {
		return exitError, err
	}
	defer cleanup()

	if a.path != "" {
		if a.now, err = parseNow(cf.now); err != nil {
			return exitError, err
		}
		a.policySHA256 = cf.policySHA256
		p, err := verifyAttestation(a, sum)
		if err != nil {
			return exitError, err
		}
		if p.Decision != "allow" {
			fmt.Fprintf(e.stderr, "planguard: the attested check blocked this plan; nothing applied\n")
			return exitBlock, nil
		}
		fmt.Fprintf(e.stderr, "planguard: attestation verified for plan sha256 %s\n", sum)
	} else {
		renderer, err := cf.renderer(e, planPath)
		if err != nil {
			return exitError, err
		}
		res, err := cf.check(e, pinned)
		if err != nil {
			_ = cf.audit(e, nil, err) // the check's error is the one to report
			renderer.failed(e, err)
			return exitError, err
		}
		if res.report.Plan.SHA256 != sum {
			return exitError, fmt.Errorf("internal error: checked plan hash %s differs from pinned %s", res.report.Plan.SHA256, sum)
		}
		if err := cf.finish(e, res, renderer); err != nil {
			return exitError, err
		}
		if res.report.Decision != "allow" {
			fmt.Fprintln(e.stderr, "planguard: blocked; nothing applied")
			return exitBlock, nil
		}
	}
	if e.afterCheck != nil {
		e.afterCheck()
	}
	now, err := fileSHA256(planPath)
	if err != nil {
		return exitError, err
	}
	if now != sum {
		return exitError, withHint(fmt.Errorf("%s changed after it was checked (sha256 %s, now %s); nothing applied", planPath, sum, now), "plan and check again")
	}
	bin := cf.tfBin
	if bin == "" {
		bin = e.getenv("PLANGUARD_TERRAFORM")
	}
	if bin == "" {
		bin = "terraform"
	}
	cmdArgs := applyCommand(extra, pinned)
	fmt.Fprintf(e.stderr, "planguard: running %s %s\n", bin, strings.Join(cmdArgs, " "))
	cmd := exec.CommandContext(context.Background(), bin, cmdArgs...)
	cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return exitError, fmt.Errorf("%s apply failed with exit status %d", bin, ee.ExitCode())
		}
		return exitError, fmt.Errorf("run %s apply: %w", bin, err)
	}
	return exitAllow, nil
}
