package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var allFormats = []string{"text", "json", "markdown", "sarif", "junit", "github"}

// TestCheckOutWritesEveryFormat: --out FORMAT=FILE, repeated, writes each
// report of the one run to its file, the same bytes --format writes to
// stdout, and stdout keeps --format.
func TestCheckOutWritesEveryFormat(t *testing.T) {
	dir := t.TempDir()
	base := []string{"check", "--policy", qsPolicy, "--now", "2026-11-25T12:00:00Z", "--author", "agent@example.com"}
	args := append([]string{}, base...)
	for _, f := range allFormats {
		args = append(args, "--out", f+"="+filepath.Join(dir, "report."+f))
	}
	code, out, errs := runCLI(t, "", nil, append(args, "--format", "json", qsPlan)...)
	if code != exitBlock {
		t.Fatalf("exit %d, want 1\n%s", code, errs)
	}
	for _, f := range allFormats {
		_, want, _ := runCLI(t, "", nil, append(append([]string{}, base...), "--format", f, qsPlan)...)
		got, err := os.ReadFile(filepath.Join(dir, "report."+f))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("--out %s= wrote:\n%s\nwant what --format %s writes:\n%s", f, got, f, want)
		}
		if f == "json" && out != want {
			t.Errorf("stdout is not the --format json report:\n%s", out)
		}
	}
}

func TestCheckOutRefusesBadValues(t *testing.T) {
	for _, v := range []string{"sarif", "=f", "sarif=", "xml=report.xml"} {
		code, _, errs := runCLI(t, "", nil, "check", "--policy", qsPolicy, "--out", v, qsPlan)
		if code != exitError || !strings.HasPrefix(errs, "planguard: error: ") {
			t.Errorf("--out %s: exit %d %s", v, code, errs)
		}
	}
}

// sarifLogShape is what a SARIF 2.1.0 consumer reads of a failed run.
type sarifLogShape struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        *bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []json.RawMessage `json:"results"`
	} `json:"runs"`
}

type junitShape struct {
	XMLName xml.Name `xml:"testsuites"`
	Suites  []struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Cases    []struct {
			Name  string `xml:"name,attr"`
			Error *struct {
				Message string `xml:"message,attr"`
				Body    string `xml:",chardata"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestCheckFailedWritesValidDocuments: when the check fails (exit 2),
// every machine format still writes a valid document that says so, on
// stdout and in every --out file; text on stdout stays empty (stderr
// says it).
func TestCheckFailedWritesValidDocuments(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.json")
	args := []string{"check", "--policy", qsPolicy}
	for _, f := range allFormats {
		args = append(args, "--out", f+"="+filepath.Join(dir, "report."+f))
	}
	code, out, errs := runCLI(t, "", nil, append(args, missing)...)
	if code != exitError || out != "" || !strings.HasPrefix(errs, "planguard: error: ") {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errs)
	}
	for _, f := range allFormats {
		fromFile, err := os.ReadFile(filepath.Join(dir, "report."+f))
		if err != nil {
			t.Fatal(err)
		}
		code, fromStdout, _ := runCLI(t, "", nil, "check", "--policy", qsPolicy, "--format", f, missing)
		if code != exitError {
			t.Errorf("%s: exit %d, want 2", f, code)
		}
		doc := string(fromFile)
		if f != "text" && doc != fromStdout {
			t.Errorf("%s: --out wrote %q, --format %q", f, doc, fromStdout)
		}
		if !strings.Contains(doc, "nope.json") {
			t.Errorf("%s: the document does not say what failed:\n%s", f, doc)
		}
		switch f {
		case "text":
			if !strings.HasPrefix(doc, "ERROR: the check failed") || strings.Count(doc, "\n") != 1 {
				t.Errorf("text: %q", doc)
			}
		case "json":
			var r map[string]any
			if err := json.Unmarshal(fromFile, &r); err != nil || r["version"] != 1.0 || r["decision"] != "error" || len(r) != 3 {
				t.Errorf("json: %v %v", r, err)
			} else if msg, _ := r["error"].(string); !strings.Contains(msg, "nope.json") {
				t.Errorf("json error %q", msg)
			}
		case "sarif":
			var l sarifLogShape
			if err := json.Unmarshal(fromFile, &l); err != nil {
				t.Fatalf("sarif: %v", err)
			}
			if l.Version != "2.1.0" || !strings.Contains(l.Schema, "sarif-2.1.0") || len(l.Runs) != 1 {
				t.Fatalf("sarif log: %+v", l)
			}
			run := l.Runs[0]
			if run.Tool.Driver.Name != "planguard" || run.Tool.Driver.Version != version || run.Results == nil || len(run.Results) != 0 {
				t.Errorf("sarif run: %+v", run)
			}
			if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful == nil || *run.Invocations[0].ExecutionSuccessful ||
				len(run.Invocations[0].ToolExecutionNotifications) != 1 || run.Invocations[0].ToolExecutionNotifications[0].Level != "error" ||
				!strings.Contains(run.Invocations[0].ToolExecutionNotifications[0].Message.Text, "nope.json") {
				t.Errorf("sarif invocations: %+v", run.Invocations)
			}
		case "junit":
			var s junitShape
			if err := xml.Unmarshal(fromFile, &s); err != nil {
				t.Fatalf("junit: %v", err)
			}
			if len(s.Suites) != 1 || s.Suites[0].Tests != 1 || s.Suites[0].Errors != 1 || s.Suites[0].Failures != 0 ||
				len(s.Suites[0].Cases) != 1 || s.Suites[0].Cases[0].Error == nil || !strings.Contains(s.Suites[0].Cases[0].Error.Body, "nope.json") {
				t.Errorf("junit: %+v", s)
			}
		case "github":
			if !strings.HasPrefix(doc, "::error title=planguard::ERROR: the check failed") || strings.Count(doc, "\n") != 1 {
				t.Errorf("github: %q", doc)
			}
		case "markdown":
			if !strings.HasPrefix(doc, "### :no_entry: planguard: ERROR: the check failed") {
				t.Errorf("markdown: %q", doc)
			}
		}
	}
}

// TestSARIFNamesTheRun: a successful run's SARIF says so and names the
// tool's version.
func TestSARIFNamesTheRun(t *testing.T) {
	_, out, _ := runCLI(t, "", nil, "check", "--policy", qsPolicy, "--format", "sarif", "--author", "agent@example.com", qsPlan)
	var l sarifLogShape
	if err := json.Unmarshal([]byte(out), &l); err != nil || len(l.Runs) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	run := l.Runs[0]
	if run.Tool.Driver.Version != version || len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful == nil || !*run.Invocations[0].ExecutionSuccessful {
		t.Errorf("%+v", run)
	}
}

// TestCheckWarnsWithoutAuthor: with neither --author nor
// $PLANGUARD_AUTHOR, nobody's signatures are excluded; check says so on
// stderr, naming --author.
func TestCheckWarnsWithoutAuthor(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		args []string
		warn bool
	}{
		{nil, nil, true},
		{nil, []string{"--author", "agent@example.com"}, false},
		{map[string]string{"PLANGUARD_AUTHOR": "agent@example.com"}, nil, false},
	} {
		args := append(append([]string{"check", "--policy", qsPolicy}, tt.args...), qsPlan)
		code, _, errs := runCLI(t, "", tt.env, args...)
		if code != exitBlock {
			t.Fatalf("%v %v: exit %d %s", tt.env, tt.args, code, errs)
		}
		if got := strings.Contains(errs, "warning: no --author"); got != tt.warn {
			t.Errorf("%v %v: warned %v, want %v:\n%s", tt.env, tt.args, got, tt.warn, errs)
		}
	}
}

// TestSARIFPointsAtTheConfiguration: a SARIF result is located at the
// resource's block in the working directory's .tf files, else at the plan
// file; and carries partialFingerprints.
func TestSARIFPointsAtTheConfiguration(t *testing.T) {
	policy, _ := filepath.Abs(qsPolicy)
	plan, _ := filepath.Abs(qsPlan)
	type physical struct {
		ArtifactLocation struct{ URI string } `json:"artifactLocation"`
		Region           *struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	}
	results := func(dir string) map[string]physical {
		t.Chdir(dir)
		_, out, errs := runCLI(t, "", nil, "check", "--policy", policy, "--format", "sarif", "--author", "agent@example.com", plan)
		var l struct {
			Runs []struct {
				Results []struct {
					PartialFingerprints map[string]string `json:"partialFingerprints"`
					Locations           []struct {
						PhysicalLocation *physical `json:"physicalLocation"`
						LogicalLocations []struct {
							FullyQualifiedName string `json:"fullyQualifiedName"`
						} `json:"logicalLocations"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &l); err != nil {
			t.Fatalf("%v\n%s%s", err, out, errs)
		}
		got := map[string]physical{}
		for _, r := range l.Runs[0].Results {
			if len(r.PartialFingerprints["planguard/v1"]) != 64 {
				t.Errorf("partialFingerprints %v", r.PartialFingerprints)
			}
			if p := r.Locations[0].PhysicalLocation; p != nil {
				got[r.Locations[0].LogicalLocations[0].FullyQualifiedName] = *p
			}
		}
		return got
	}
	inConfig := results("../examples/quickstart/config")
	if p := inConfig["terraform_data.prod_db"]; p.ArtifactLocation.URI != "base.tf" || p.Region == nil || p.Region.StartLine != 2 {
		t.Errorf("in the configuration directory: %+v", inConfig)
	}
	elsewhere := results(t.TempDir())
	if p := elsewhere["terraform_data.prod_db"]; p.ArtifactLocation.URI != "file://"+filepath.ToSlash(plan) || p.Region != nil {
		t.Errorf("elsewhere: %+v", elsewhere)
	}
}
