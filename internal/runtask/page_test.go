package runtask

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// artifacts is where tests leave files for people to look at:
// $PLANGUARD_TEST_ARTIFACTS, else the test's temporary directory.
func artifacts(t *testing.T) string {
	if d := os.Getenv("PLANGUARD_TEST_ARTIFACTS"); d != "" {
		d = filepath.Join(d, t.Name())
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// chromium finds a headless browser, or skips (fails when
// PLANGUARD_REQUIRE_TOOLS is set).
func chromium(t *testing.T) string {
	for _, name := range []string{os.Getenv("PLANGUARD_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("PLANGUARD_REQUIRE_TOOLS") != "" {
		t.Fatal("no chromium (set PLANGUARD_CHROMIUM); PLANGUARD_REQUIRE_TOOLS is set")
	}
	t.Skip("no chromium on PATH (apt-get install chromium, or set PLANGUARD_CHROMIUM)")
	return ""
}

func headless(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// hostile is a gate whose report carries markup in every string a plan
// controls.
type hostileGate struct{ *PolicyGate }

func (h hostileGate) Check(ctx context.Context, r io.Reader, author string) (*gate.Report, *policy.Policy, error) {
	rep, pol, err := h.PolicyGate.Check(ctx, r, author)
	if err != nil {
		return nil, pol, err
	}
	evil := `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`
	rep.Changes[0].Address = `terraform_data.x["` + evil + `"]`
	rep.Changes[0].Problems = append(rep.Changes[0].Problems, evil)
	rep.Warnings = append(rep.Warnings, evil)
	return rep, pol, nil
}

// TestDecisionPageInChromium renders the decision page of a blocked run in
// headless Chromium: the DOM shows each change, its approvals counted and
// missing, and the approve command; markup from the plan stays text; no
// script runs. A screenshot is saved with the test's artifacts.
func TestDecisionPageInChromium(t *testing.T) {
	bin := chromium(t)
	h := newHCP(t, testKey)
	g, _ := NewPolicyGate("testdata/planguard.hcl")
	now, _ := time.Parse(time.RFC3339, fixtureNow)
	g.Now = func() time.Time { return now }
	url, _ := inProcess(t, h, Config{Gate: hostileGate{g}, PublicURL: "https://planguard.example"})
	h.addRun("run-page", "tok", readFixture(t, "testdata/blocked.json"), "ok")
	h.send(url, h.request("run-page", "tok"), "")
	h.wait("taskrs-run-page", 1, 10*time.Second)

	resp, err := http.Get(url + "/runs/run-page")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q", csp)
	}

	dom := headless(t, bin, "--dump-dom", url+"/runs/run-page")
	doc, err := html.Parse(bytes.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	var rows, pres, scripts, imgs int
	var title, text strings.Builder
	var walk func(n *html.Node, inTitle bool)
	walk = func(n *html.Node, inTitle bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				scripts++
			case "img":
				imgs++
			case "pre":
				pres++
			case "tr":
				for _, a := range n.Attr {
					if a.Key == "class" && a.Val == "change" {
						rows++
					}
				}
			}
			inTitle = inTitle || n.Data == "title"
		}
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
			if inTitle {
				title.WriteString(n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inTitle)
		}
	}
	walk(doc, false)
	body := text.String()
	if scripts != 0 || imgs != 0 || strings.Contains(title.String(), "pwned") {
		t.Errorf("markup from the plan became elements: %d script, %d img, title %q", scripts, imgs, title.String())
	}
	for _, want := range []string{
		"BLOCKED: 2 of 2 protected destructive change(s) lack valid approval",
		`terraform_data.x["<img src=x onerror=`, // the hostile address, as text
		"terraform_data.prod_db_volume_backup",
		"Needs 2 distinct approver(s), bound to the object's identity; counted 0; missing 2.",
		"planguard approve --plan plan.json --target terraform_data.prod_db_volume_backup --action delete",
		"/api/v2/runs/run-page/plan/json-output -o plan.json",
		"provisioner removed-block", "--action provision",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
	if rows != 2 || pres < 5 {
		t.Errorf("%d change rows, %d pre blocks; want 2 rows, 2 commands and the download", rows, pres)
	}

	shot := filepath.Join(artifacts(t), "decision-page.png")
	headless(t, bin, "--screenshot="+shot, "--window-size=1280,1600", "--hide-scrollbars", url+"/runs/run-page")
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 10_000 {
		t.Fatalf("screenshot %s: %v", shot, err)
	}
	t.Logf("screenshot: %s", shot)
}
