package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

type junitRenderer struct{}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr,omitempty"`
	Props    *junitProps `xml:"properties,omitempty"`
	Cases    []junitCase `xml:"testcase"`
	// SystemErr holds the report's warnings, one a line.
	SystemErr string `xml:"system-err,omitempty"`
}

type junitProps struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// Render writes one suite whose test cases are the sections in order; a
// new section is one function here.
func (junitRenderer) Render(w io.Writer, r *gate.Report) error {
	s := junitSuite{Name: "planguard " + r.Scope, Cases: []junitCase{}}
	for _, section := range []func(*gate.Report) []junitCase{junitChanges, junitProvisioners, junitProviders, junitEndpoints, junitProviderCode, junitActions} {
		s.Cases = append(s.Cases, section(r)...)
	}
	for _, c := range s.Cases {
		if c.Failure != nil {
			s.Failures++
		}
	}
	s.Tests = len(s.Cases)
	if r.PolicySHA256 != "" {
		s.Props = &junitProps{Props: []junitProp{{Name: "policy_sha256", Value: r.PolicySHA256}}}
	}
	for _, w := range r.Warnings {
		s.SystemErr += "warning: " + w + "\n"
	}
	return writeJUnit(w, s)
}

// writeJUnit writes the document of one suite.
func writeJUnit(w io.Writer, s junitSuite) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{s}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitChanges(r *gate.Report) []junitCase {
	var cases []junitCase
	for _, c := range r.Changes {
		tc := junitCase{Name: c.Action + " " + c.Address, Classname: "planguard." + c.Action}
		if c.Blocked() {
			tc.Failure = &junitFailure{
				Message: fmt.Sprintf("%s lacks approval (%s)", Where(c), count(c)),
				Body:    strings.Join(c.Problems, "\n"),
			}
		}
		cases = append(cases, tc)
	}
	return cases
}

func junitProvisioners(r *gate.Report) []junitCase {
	var cases []junitCase
	for _, p := range r.Provisioners {
		tc := junitCase{Name: "provision " + p.Address + " " + p.Type + " (" + p.When + ")", Classname: "planguard.provision"}
		if p.Blocked() {
			tc.Failure = &junitFailure{
				Message: fmt.Sprintf("%s provisioner of %s runs %s without approval (%d/%d)", p.Type, p.Address, provisionCommand(p), len(p.ApprovedBy), p.RequiredApprovals),
				Body:    strings.Join(p.Problems, "\n"),
			}
		}
		cases = append(cases, tc)
	}
	return cases
}

// junitProviders: only disallowed providers are cases; an allowed one is
// no check a reader needs to see (a policy without providers allows all).
func junitProviders(r *gate.Report) []junitCase {
	var cases []junitCase
	for _, p := range r.Providers {
		if !p.Allowed {
			cases = append(cases, junitCase{Name: "provider " + provider(p.Source), Classname: "planguard.provider",
				Failure: &junitFailure{Message: provider(p.Source) + " is not in the policy's providers list"}})
		}
	}
	return cases
}

// junitEndpoints: each provider configuration that names its endpoint is a
// passing case, for the record.
func junitEndpoints(r *gate.Report) []junitCase {
	var cases []junitCase
	for _, e := range r.ProviderEndpoints {
		cases = append(cases, junitCase{Name: "provider configuration " + endpointText(e), Classname: "planguard.provider_endpoint"})
	}
	return cases
}

func junitActions(r *gate.Report) []junitCase {
	var cases []junitCase
	for _, iv := range r.Invocations {
		tc := junitCase{Name: "invoke " + iv.Address + " (" + invocationTrigger(iv) + ")", Classname: "planguard.action"}
		if iv.Blocked() {
			tc.Failure = &junitFailure{
				Message: fmt.Sprintf("action %s is invoked without approval (%d/%d)", iv.Address, len(iv.ApprovedBy), iv.RequiredApprovals),
				Body:    strings.Join(iv.Problems, "\n"),
			}
		}
		cases = append(cases, tc)
	}
	return cases
}

// Failed writes a suite with one errored test case, the check itself.
func (junitRenderer) Failed(w io.Writer, err error) error {
	return writeJUnit(w, junitSuite{Name: "planguard", Tests: 1, Errors: 1, Cases: []junitCase{{
		Name: "check", Classname: "planguard.check", Error: &junitFailure{Message: "the check failed, so the plan is blocked", Body: err.Error()},
	}}})
}
