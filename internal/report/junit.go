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
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

func (junitRenderer) Render(w io.Writer, r *gate.Report) error {
	s := junitSuite{Name: "planguard " + r.Scope, Cases: []junitCase{}}
	for _, c := range r.Changes {
		tc := junitCase{Name: c.Action + " " + c.Address, Classname: "planguard." + c.Action}
		if c.Blocked() {
			s.Failures++
			tc.Failure = &junitFailure{
				Message: fmt.Sprintf("%s lacks approval (%s)", Where(c), count(c)),
				Body:    strings.Join(c.Problems, "\n"),
			}
		}
		s.Cases = append(s.Cases, tc)
	}
	pcases, pfail := provisionJUnit(r)
	s.Cases, s.Failures = append(s.Cases, pcases...), s.Failures+pfail
	acases, afail := actionJUnit(r)
	s.Cases, s.Failures = append(s.Cases, acases...), s.Failures+afail
	s.Tests = len(s.Cases)
	if r.PolicySHA256 != "" {
		s.Props = &junitProps{Props: []junitProp{{Name: "policy_sha256", Value: r.PolicySHA256}}}
	}
	for _, w := range r.Warnings {
		s.SystemErr += "warning: " + w + "\n"
	}
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
