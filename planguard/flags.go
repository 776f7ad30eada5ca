package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

var errHelp = errors.New("help requested")

// flags is a flag set with a usage text that includes examples.
type flags struct {
	*flag.FlagSet
	synopsis, about, examples string
}

func newFlags(name, synopsis, about, examples string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, synopsis: synopsis, about: about, examples: examples}
}

func (f *flags) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", f.synopsis, f.about)
	hasFlags := false
	f.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
	if f.examples != "" {
		fmt.Fprintf(w, "\nExamples:\n%s", f.examples)
	}
}

// parse parses args, flags and positional arguments in any order ("--"
// ends flags); --help prints usage to stdout and returns errHelp.
func parse(e *env, f *flags, args []string) error {
	var positional []string
	for {
		err := f.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			f.usage(e.stdout)
			return errHelp
		}
		if err != nil {
			return &usageError{msg: err.Error(), hint: fmt.Sprintf("run 'planguard %s --help'", f.Name())}
		}
		rest := f.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	if err := f.Parse(append([]string{"--"}, positional...)); err != nil {
		return err
	}
	return emptyPin(f)
}

// emptyPin refuses --policy-sha256 given with an empty value, in every
// command that takes it: an empty pin would pin nothing, silently, as when
// a CI variable is unset, misnamed, or a secret read as a variable.
// Leaving the flag out still means no pin.
func emptyPin(f *flags) error {
	var err error
	f.Visit(func(fl *flag.Flag) {
		if fl.Name == "policy-sha256" && strings.TrimSpace(fl.Value.String()) == "" {
			err = withHint(errors.New("--policy-sha256 is empty: the pin is empty, so it would pin nothing and planguard would run under whatever policy it reads"),
				"pass the policy hash ('planguard policy-hash --policy FILE' prints it); where it comes from a CI variable (vars.PLANGUARD_POLICY_SHA256, $PLANGUARD_POLICY_SHA256), set the variable: an unset or misnamed variable, or a secret read as a variable, is empty. Leave the flag out to run without a pin")
		}
	})
	return err
}

// parseNow reads --now, defaulting to the current time.
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, withHint(fmt.Errorf("--now %q is not an RFC 3339 time", s), "write it like 2026-12-01T00:00:00Z")
	}
	return t, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
