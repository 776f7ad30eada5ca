package e2e

// Attacker review gate16b of issue 16 (G1, G2), with the reviewer's
// provider: e2e/sdkprov, on terraform-plugin-sdk v2, whose objects are
// files and whose Delete removes d.Get("path").
//
//   - G1: the apply sends a delete's planned private data (the tfplan
//     change's private, field 10) to the provider; SDKv2 reads d.Get from
//     its "_new_extra_shim". The unprotected tmp dropped (a delete) or
//     given a new path (a replace), its private data edited to name the
//     protected object's path: the provider deleted the production object.
//     Now a delete's private data must be its object's in the state (exit
//     2, edited plan), and under a state pin a replace's must be its
//     object's or SDKv2's empty form (exit 2 otherwise). Honest deletes
//     and replaces of the SDKv2 provider pass and apply.
//   - G2: an imported object's values (every attribute but its id, and its
//     private data) come only from the plan file, and the apply wrote them
//     into the pinned state, where a later honest plan's delete acted on
//     them. Now, under a state pin, a saved plan that imports is refused
//     (exit 2) unless planguard runner made it — an honest import too.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestAttackR16iTerraform(t *testing.T) {
	attackR16i(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAttackR16iTerraformLatest(t *testing.T) {
	attackR16i(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestAttackR16iOpenTofu(t *testing.T) {
	attackR16i(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

const sdkObjSource = "example.com/planguard/sdkobj"

const sdkRequired = `terraform {
  required_providers {
    sdkobj = {
      source  = "example.com/planguard/sdkobj"
      version = "0.1.0"
    }
  }
}
`

var (
	sdkOnce sync.Once
	sdkErr  error
	sdkBin  string
)

// sdkObjBin builds e2e/sdkprov once.
func sdkObjBin(t *testing.T) string {
	t.Helper()
	sdkOnce.Do(func() {
		sdkBin = filepath.Join(binDir, "sdkobj")
		cmd := exec.Command("go", "build", "-trimpath", "-o", sdkBin, "./e2e/sdkprov")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			sdkErr = fmt.Errorf("go build sdkprov: %v\n%s", err, out)
		}
	})
	if sdkErr != nil {
		t.Fatal(sdkErr)
	}
	return sdkBin
}

func sdkObject(name, path string) string {
	return fmt.Sprintf("resource \"sdkobj_file\" %q {\n  path = %q\n}\n", name, path)
}

// setPrivate sets the private data (field 10) of the tfplan record's
// change of the current object at addr.
func setPrivate(t *testing.T, rec []byte, addr string, private []byte) []byte {
	t.Helper()
	var out []byte
	found := false
	for b := rec; len(b) > 0; {
		num, typ, n := protowire.ConsumeField(b)
		if n < 0 {
			t.Fatalf("tfplan: %v", protowire.ParseError(n))
		}
		field := b[:n]
		b = b[n:]
		if num == 3 && typ == protowire.BytesType {
			_, _, tn := protowire.ConsumeTag(field)
			msg, _ := protowire.ConsumeBytes(field[tn:])
			var keep []byte
			isAddr, deposed := false, false
			for m := msg; len(m) > 0; {
				fnum, _, fn := protowire.ConsumeField(m)
				if fn < 0 {
					t.Fatalf("change: %v", protowire.ParseError(fn))
				}
				f := m[:fn]
				m = m[fn:]
				_, _, ftn := protowire.ConsumeTag(f)
				v, _ := protowire.ConsumeBytes(f[ftn:])
				switch fnum {
				case 13:
					isAddr = string(v) == addr
				case 7:
					deposed = len(v) > 0
				case 10:
					continue
				}
				keep = append(keep, f...)
			}
			if isAddr && !deposed {
				found = true
				keep = protowire.AppendBytes(protowire.AppendTag(keep, 10, protowire.BytesType), private)
				field = protowire.AppendBytes(protowire.AppendTag(nil, 3, protowire.BytesType), keep)
			}
		}
		out = append(out, field...)
	}
	if !found {
		t.Fatalf("no change of %s in tfplan", addr)
	}
	return out
}

func attackR16i(t *testing.T, tf string) {
	toolVersion(t, tf)
	bin := sdkObjBin(t)
	w, root := newWorld(t, tf, "prod", "agent@example.com")
	l := &pinLab{world: w, root: root, mirror: filepath.Join(root, "mirror"), rc: filepath.Join(root, "job.tfrc"),
		prodState: filepath.Join(root, "state", "prod.tfstate"), prodObj: filepath.Join(root, "objects", "prod-db"), policy: filepath.Join(root, "policy", "planguard.hcl")}
	for _, d := range []string{"state", "objects", "policy"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	testbin.Mirror(t, l.mirror, sdkObjSource, "0.1.0", bin)
	writeFile(t, l.rc, fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", l.mirror))
	obj := func(name string) string { return filepath.Join(root, "objects", name) }
	tmp1 := obj("tmp-obj1")
	db := sdkObject("db", l.prodObj)
	prodSrc := localBackend(l.prodState) + db + sdkObject("tmp", tmp1)
	dir := func(t *testing.T, name, src string) *world {
		w := l.dir(name, "")
		w.t = t
		w.write("main.tf", sdkRequired+src)
		w.must(0, tf, "init", "-input=false", "-no-color")
		return w
	}
	prod := dir(t, "prod", prodSrc)
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	lockDir := l.dir("lock", "")
	lockDir.write("main.tf", sdkRequired)
	writeFile(t, filepath.Join(root, "policy", "trusted.lock.hcl"), string(testbin.LockFrom(t, tf, lockDir.dir, l.mirror, sdkObjSource, lockDir.env)))
	writeFile(t, filepath.Join(root, "policy", "allowed_signers"), "alice@example.com "+readFile(t, w.key("alice")+".pub"))
	writeFile(t, l.policy, "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\nlock_file = \"trusted.lock.hcl\"\n"+
		fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\n", l.prodState)+
		fmt.Sprintf("protect \"database\" {\n  addresses = [\"sdkobj_file.db\"]\n  ids       = [%q]\n}\n", l.prodObj))
	pg := filepath.Join(binDir, "planguard")
	wantState := readFile(t, l.prodState)
	unchanged := func(t *testing.T, paths ...string) {
		t.Helper()
		if got := readFile(t, l.prodState); got != wantState {
			t.Errorf("the pinned state changed:\n%s", got)
		}
		for _, p := range append([]string{l.prodObj}, paths...) {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("object %s: %v", p, err)
			}
		}
	}
	// refused runs check and apply (in a directory holding only the plan
	// file, as the apply job does): both exit 2 naming wants.
	refused := func(t *testing.T, w *world, wants ...string) {
		t.Helper()
		code, out := w.run(pg, "check", "--policy="+l.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		if code != 2 {
			t.Fatalf("planguard check: exit %d, want 2", code)
		}
		contains(t, out, wants...)
		job := *w
		job.dir = filepath.Join(w.dir, "applyjob")
		if err := os.MkdirAll(job.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(job.dir, "tfplan"), readFile(t, filepath.Join(w.dir, "tfplan")))
		code, out = job.run(pg, "apply", "--policy="+l.policy, "tfplan")
		if code != 2 {
			t.Errorf("planguard apply: exit %d, want 2\n%s", code, out)
		}
		contains(t, out, wants...)
	}
	attack := []byte(fmt.Sprintf(`{"schema_version":"0","_new_extra_shim":{"path":%q}}`, l.prodObj))
	editPrivate := func(t *testing.T, w *world) {
		rewritePlan(t, filepath.Join(w.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfplan" {
				return setPrivate(t, b, "sdkobj_file.tmp", attack)
			}
			return b
		})
	}

	t.Run("G1: a delete's private data edited", func(t *testing.T) {
		a := dir(t, "g1", localBackend(l.prodState)+db)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		editPrivate(t, a)
		refused(t, a, "sdkobj_file.tmp", "private data", "edited after Terraform wrote it")
		unchanged(t, tmp1)
	})

	t.Run("G1r: a replace's private data edited", func(t *testing.T) {
		a := dir(t, "g1r", localBackend(l.prodState)+db+sdkObject("tmp", obj("tmp-obj2")))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		editPrivate(t, a)
		refused(t, a, "sdkobj_file.tmp", "private data", "cannot tell the provider's value from an edit", "planguard runner")
		unchanged(t, tmp1)
		if _, err := os.Stat(obj("tmp-obj2")); err == nil {
			t.Error("the refused replace created tmp-obj2")
		}
	})

	t.Run("honest replace and delete of the SDKv2 provider apply", func(t *testing.T) {
		a := dir(t, "honest", localBackend(l.prodState)+db+sdkObject("tmp", obj("tmp-obj2")))
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		out := a.must(0, pg, "check", "--policy="+l.policy, "tfplan")
		contains(t, out, "sdkobj_file.tmp")
		a.must(0, pg, "apply", "--policy="+l.policy, "tfplan")
		if _, err := os.Stat(obj("tmp-obj2")); err != nil {
			t.Errorf("the honest replace did not create tmp-obj2: %v", err)
		}
		a.write("main.tf", sdkRequired+localBackend(l.prodState)+db)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		a.must(0, pg, "check", "--policy="+l.policy, "tfplan")
		a.must(0, pg, "apply", "--policy="+l.policy, "tfplan")
		if _, err := os.Stat(obj("tmp-obj2")); err == nil {
			t.Error("the honest delete left tmp-obj2")
		}
		if _, err := os.Stat(l.prodObj); err != nil {
			t.Errorf("the protected object: %v", err)
		}
		wantState = readFile(t, l.prodState)
	})

	spare := obj("spare-01")
	writeFile(t, spare, "x")
	importSrc := localBackend(l.prodState) + db + sdkObject("imp", spare) + fmt.Sprintf("import {\n  to = sdkobj_file.imp\n  id = %q\n}\n", spare)
	editImp := func(t *testing.T, w *world, edit func(inst map[string]any)) {
		rewritePlan(t, filepath.Join(w.dir, "tfplan"), func(name string, b []byte) []byte {
			if name == "tfstate" || name == "tfstate-prev" {
				return editInstance(t, b, "imp", edit)
			}
			return b
		})
	}
	importWants := []string{"imports objects into the pinned state", "sdkobj_file.imp", "cannot check against anything"}

	t.Run("G2: an imported object's path edited in both states", func(t *testing.T) {
		a := dir(t, "g2", importSrc)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		editImp(t, a, func(inst map[string]any) {
			inst["attributes"].(map[string]any)["path"] = filepath.Join(root, "objects") + "//prod-db"
		})
		refused(t, a, importWants...)
		unchanged(t, spare)
	})

	t.Run("G2b: an imported object's private data edited in both states", func(t *testing.T) {
		a := dir(t, "g2b", importSrc)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		editImp(t, a, func(inst map[string]any) {
			inst["private"] = base64.StdEncoding.EncodeToString(attack)
		})
		refused(t, a, importWants...)
		unchanged(t, spare)
	})

	t.Run("an honest import under the pin is refused too, naming the way out", func(t *testing.T) {
		a := dir(t, "import", importSrc)
		a.must(0, tf, "plan", "-input=false", "-no-color", "-out=tfplan")
		refused(t, a, append(importWants, "planguard runner", "production credentials")...)
		unchanged(t, spare)
		var st map[string]any
		if err := json.Unmarshal([]byte(readFile(t, l.prodState)), &st); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(readFile(t, l.prodState), "spare-01") {
			t.Error("the refused import is in the pinned state")
		}
	})
}
