package e2e

// The gate's judgement of the state a saved plan starts from, the honest
// cases beside the attacks of attack_r16b_test.go: under an http backend
// pin the state planguard pulls matches an honest plan, which is applied;
// a moved block is not taken for an edited state; an unprotected object
// the refresh lost is listed and allowed; a stale plan is refused.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestStateRefreshTerraform(t *testing.T) {
	stateRefresh(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestStateRefreshTerraformLatest(t *testing.T) {
	stateRefresh(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestStateRefreshOpenTofu(t *testing.T) {
	stateRefresh(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

// httpStateServer serves Terraform's http backend from memory (GET, POST
// and DELETE of a state; no locking) until t ends. It returns the server
// and a function that reads the state stored at a path ("" if none).
func httpStateServer(t *testing.T) (*httptest.Server, func(path string) string) {
	var mu sync.Mutex
	store := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.Method {
		case http.MethodGet:
			b, ok := store[r.URL.Path]
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			_, _ = w.Write(b)
		case http.MethodPost:
			b, _ := io.ReadAll(r.Body)
			store[r.URL.Path] = b
		case http.MethodDelete:
			delete(store, r.URL.Path)
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func(path string) string {
		mu.Lock()
		defer mu.Unlock()
		return string(store[path])
	}
}

func stateRefresh(t *testing.T, tf string) {
	l := newPinLab(t, tf)
	root := l.root
	l.trustLock()
	head := "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nlock_file = \"trusted.lock.hcl\"\n"
	protectDB := fmt.Sprintf("protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n  ids = [%q]\n}\n", l.prodObj)
	pg := filepath.Join(binDir, "planguard")
	scratch := filepath.Join(root, "objects", "scratch")
	dbSrc := fmt.Sprintf("resource \"planguardtest_object\" \"db\" {\n  path    = %q\n  content = \"customer data\"\n}\n", l.prodObj)

	// A local pin: db (protected) and scratch (not).
	prodSrc := localBackend(l.prodState) + dbSrc + object("scratch", scratch)
	prod := l.dir("prod", prodSrc)
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	writeFile(t, l.policy, head+protectDB+fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", l.prodState))

	t.Run("a moved block is judged, not taken for another state", func(t *testing.T) {
		a := l.dir("moved", localBackend(l.prodState)+dbSrc+object("scratch2", scratch)+"moved {\n  from = planguardtest_object.scratch\n  to   = planguardtest_object.scratch2\n}\n")
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		a.must(0, pg, "check", "--policy="+l.policy, "tfplan")
	})

	t.Run("an unprotected object the refresh lost is listed and allowed", func(t *testing.T) {
		a := l.dir("lostscratch", prodSrc)
		a.must(0, tf, "init", "-input=false", "-no-color")
		if err := os.Rename(scratch, scratch+".hidden"); err != nil {
			t.Fatal(err)
		}
		a.plan()
		if err := os.Rename(scratch+".hidden", scratch); err != nil {
			t.Fatal(err)
		}
		out := a.must(0, pg, "check", "--policy="+l.policy, "tfplan")
		if !strings.Contains(out, "planguardtest_object.scratch (lost by the plan's refresh)") {
			t.Errorf("the lost object is not reported:\n%s", out)
		}
		var rep struct {
			Changes []struct {
				Address, Action, Refresh string
				Protected                bool
			} `json:"changes"`
		}
		a.must(0, pg, "check", "--policy="+l.policy, "--out=json=report.json", "tfplan")
		js := readFile(t, filepath.Join(a.dir, "report.json"))
		if err := json.Unmarshal([]byte(js), &rep); err != nil {
			t.Fatalf("%v\n%s", err, js)
		}
		found := false
		for _, c := range rep.Changes {
			found = found || c.Address == "planguardtest_object.scratch" && c.Action == "forget" && c.Refresh == "gone" && !c.Protected
		}
		if !found {
			t.Errorf("the JSON report lacks the refresh's forget of scratch:\n%s", js)
		}
	})

	t.Run("http backend: the honest plan is checked against the pulled state and applied", func(t *testing.T) {
		srv, state := httpStateServer(t)
		addr := srv.URL + "/prod"
		backend := fmt.Sprintf("terraform {\n  backend \"http\" {\n    address = %q\n  }\n}\n", addr)
		obj := filepath.Join(root, "objects", "http-db")
		src := backend + fmt.Sprintf("resource \"planguardtest_object\" \"db\" {\n  path    = %q\n  content = \"customer data\"\n}\n", obj)
		p := l.dir("httpprod", src)
		p.must(0, tf, "init", "-input=false", "-no-color")
		p.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
		pol := filepath.Join(root, "policy", "http.hcl")
		writeFile(t, pol, head+fmt.Sprintf("protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n  ids = [%q]\n}\n", obj)+
			fmt.Sprintf("state {\n  backend = \"http\"\n  config  = { address = %q }\n}\n", addr))
		extra := filepath.Join(root, "objects", "http-extra")
		a := l.dir("httphonest", src+object("extra", extra))
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		a.must(0, pg, "check", "--policy="+pol, "tfplan")
		// The state moves on after the plan: the plan is stale, and the
		// gate says so before Terraform would.
		b := l.dir("httpother", src+object("other", filepath.Join(root, "objects", "http-other")))
		b.must(0, tf, "init", "-input=false", "-no-color")
		b.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
		if out := a.must(2, pg, "check", "--policy="+pol, "tfplan"); !strings.Contains(out, "pinned backend's state") {
			t.Errorf("a stale plan is not refused for its state:\n%s", out)
		}
		a.plan()
		a.must(0, pg, "apply", "--policy="+pol, "tfplan")
		if st := state("/prod"); !strings.Contains(st, `"extra"`) || !strings.Contains(st, `"db"`) {
			t.Errorf("the apply did not write the backend's state:\n%s", st)
		}
		if _, err := os.Stat(extra); err != nil {
			t.Errorf("the apply did not create extra: %v", err)
		}
	})
}
