package e2e

// Attacker review r16d of issue 16 (state pin, ids, lock_file, clean
// room): attacks reproduced as tests that fail on the code reviewed. The
// lab is statePins' (a production object in a pinned local state, the
// trusted lock file, the job's explicit provider_installation) with a
// second trusted provider; the author controls only the configuration and
// the plan job.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/testbin"
)

func TestAttackR16dTerraform(t *testing.T) {
	attackR16d(t, testbin.Tool(t, "PLANGUARD_TERRAFORM", "terraform"))
}

func TestAttackR16dTerraformLatest(t *testing.T) {
	attackR16d(t, testbin.Tool(t, "PLANGUARD_TERRAFORM_LATEST", "terraform-latest"))
}

func TestAttackR16dOpenTofu(t *testing.T) {
	attackR16d(t, testbin.Tool(t, "PLANGUARD_TOFU", "tofu"))
}

// r16dSecond is the second trusted provider of the lab: the test provider
// under another source address (a separate package, a separate process),
// as hashicorp/aws is beside hashicorp/local in a real configuration.
const r16dSecond = "example.com/planguard/testobj2"

const r16dRequired = `terraform {
  required_providers {
    planguardtest = {
      source  = "example.com/planguard/testobj"
      version = "0.1.0"
    }
    late = {
      source  = "example.com/planguard/testobj2"
      version = "0.1.0"
    }
  }
}
`

// r16dLab is a pinLab whose job installs providers from its own mirror
// (one per lab: an attack may write into it) and whose trusted lock file
// locks both providers.
type r16dLab struct {
	*pinLab
	tf, head, pins string
}

func newR16dLab(t *testing.T, tf string) *r16dLab {
	t.Helper()
	l := newPinLab(t, tf)
	root := l.root
	testbin.Mirror(t, l.mirror, r16dSecond, "0.1.0", objBin)
	// The reviewed lock file, for both providers.
	lockDir := l.dir("lock", "")
	lockDir.write("main.tf", r16dRequired)
	lockDir.must(0, tf, "providers", "lock", "-fs-mirror="+l.mirror, "-platform="+testbin.Platform(), testbin.TestObjSource, r16dSecond)
	writeFile(t, filepath.Join(root, "policy", "trusted.lock.hcl"), readFile(t, filepath.Join(lockDir.dir, ".terraform.lock.hcl")))
	r := &r16dLab{pinLab: l, tf: tf,
		head: "scope = \"prod\"\ntrust {\n  allowed_signers = \"allowed_signers\"\n}\n",
		pins: fmt.Sprintf("state {\n  backend = \"local\"\n  config  = { path = %q }\n}\nlock_file = \"trusted.lock.hcl\"\n", l.prodState)}
	// As the policy guide recommends: the database by address and by id,
	// the state and the lock file pinned.
	writeFile(t, l.policy, r.head+fmt.Sprintf("protect \"database\" {\n  addresses = [\"planguardtest_object.db\"]\n  ids = [%q]\n}\n", l.prodObj)+r.pins)
	// Production: the database object, in the pinned state.
	prod := r.dir("prod", r.prodSrc())
	prod.must(0, tf, "init", "-input=false", "-no-color")
	prod.must(0, tf, "apply", "-auto-approve", "-input=false", "-no-color")
	if !l.exists(l.prodObj) {
		t.Fatal("the production object was not created")
	}
	return r
}

// prodSrc is the production configuration: the backend and the database.
func (r *r16dLab) prodSrc() string {
	return localBackend(r.prodState) + fmt.Sprintf("resource \"planguardtest_object\" \"db\" {\n  path    = %q\n  content = \"customer data\"\n}\n", r.prodObj)
}

// dir is pinLab.dir with both providers required.
func (r *r16dLab) dir(name, src string) *world {
	r.t.Helper()
	w := r.pinLab.dir(name, "")
	w.write("main.tf", r16dRequired+src)
	return w
}

func (r *r16dLab) pgRun(w *world, args ...string) (int, string) {
	r.t.Helper()
	return w.run(filepath.Join(binDir, "planguard"), args...)
}

// hostWritersPolicy is the lab's policy with both test providers listed in
// host_writers: their objects are files on the machine that applies, as
// hashicorp/local's are (which host_writers lists by default).
func (r *r16dLab) hostWritersPolicy(t *testing.T) string {
	t.Helper()
	p := filepath.Join(r.root, "policy", "hostwriters.hcl")
	writeFile(t, p, readFile(t, r.policy)+fmt.Sprintf("host_writers = [%q, %q]\n", testbin.TestObjSource, r16dSecond))
	return p
}

// blockedFor fails t unless the check exited code and its output says
// want.
func blockedFor(t *testing.T, code int, out string, wantCode int, want string) {
	t.Helper()
	if code != wantCode || !strings.Contains(out, want) {
		t.Errorf("planguard check exited %d, want %d with %q in its output:\n%s", code, wantCode, want, out)
	}
}

func attackR16d(t *testing.T, tf string) {
	toolVersion(t, tf)
	testObjBins(t)

	t.Run("a resource overwrites a locked provider binary that the apply starts later", func(t *testing.T) {
		// Harm: code of the author's choosing runs inside `planguard
		// apply`, with the apply's credentials, as a provider binary the
		// trusted lock file does not lock, although lock_file is pinned
		// and the gate printed ALLOWED.
		//
		// lock_file is checked when planguard builds the room and Terraform
		// checks the packages' hashes when it starts, but Terraform starts a
		// new provider process from the package directory each time it
		// configures a provider, and a provider configuration that refers
		// to a resource is configured only after that resource is applied.
		// Plan: create `drop`, an object (any file-writing resource:
		// hashicorp/local's local_file alike) whose path is the second
		// provider's executable in the room (path.cwd is the room at
		// apply; the path is unknown at plan, so it is evaluated only at
		// apply) and whose content is a script; configure the second
		// provider from drop.id and give it one resource. Every change is a
		// create: the gate allows. At apply the testobj process writes the
		// script over testobj2's executable (no testobj2 process runs at
		// that moment), then Terraform starts testobj2 for `late`: the
		// script runs. (With the job's unpacked filesystem mirror the
		// room's package directory is a link to the mirror, so the job's
		// own mirror is overwritten too.)
		r := newR16dLab(t, tf)
		marker := filepath.Join(r.root, "author-code-ran")
		exe := fmt.Sprintf("/.terraform/providers/%s/0.1.0/%s/terraform-provider-testobj2_v0.1.0", r16dSecond, testbin.Platform())
		src := r.prodSrc() + fmt.Sprintf(`resource "planguardtest_object" "seed" {
  path = %q
}
resource "planguardtest_object" "drop" {
  path    = "${trimsuffix(planguardtest_object.seed.id, planguardtest_object.seed.id)}${path.cwd}%s"
  content = "#!/bin/sh\necho \"ran with the apply's environment\" > %s\nexit 1\n"
}
provider "late" {
  host = planguardtest_object.drop.id
}
resource "planguardtest_object" "z" {
  provider = late
  path     = %q
}
`, filepath.Join(r.root, "objects", "seed"), exe, marker, filepath.Join(r.root, "objects", "z"))
		a := r.dir("dropper", src)
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		// The test provider's objects are files on the applying machine:
		// the policy lists it in host_writers (as hashicorp/local is by
		// default), and a write whose path is known only at apply blocks.
		pol := r.hostWritersPolicy(t)
		code, out := r.pgRun(a, "check", "--policy="+pol, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		blockedFor(t, code, out, 1, "planguardtest_object.drop (example.com/planguard/testobj) writes a file on the machine that applies the plan")
		acode, aout := r.pgRun(a, "apply", "--policy="+pol, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		mirrored := filepath.Join(r.mirror, filepath.FromSlash(r16dSecond), "0.1.0", testbin.Platform(), "terraform-provider-testobj2_v0.1.0")
		if b, err := os.ReadFile(mirrored); err == nil && strings.HasPrefix(string(b), "#!") {
			t.Logf("the job's filesystem mirror now holds the author's script as %s", mirrored)
		}
		if r.exists(marker) {
			t.Errorf("the author's script ran inside planguard apply as provider %s (check exit %d, apply exit %d): %s",
				r16dSecond, code, acode, strings.TrimSpace(readFile(t, marker)))
		}
	})

	t.Run("variant: a create whose id is unknown at plan overwrites the protected object", func(t *testing.T) {
		// Harm: the production object's content is overwritten (customer
		// data replaced), and the pinned state now manages it twice; the
		// gate printed ALLOWED.
		//
		// Variant of the known "create whose planned id equals a protected
		// id": here the planned id is unknown (the path depends on an
		// object the plan creates, and becomes the production path only at
		// apply), so a fix that compares planned ids with the protected
		// ones, or with the prior state's, sees nothing to compare.
		r := newR16dLab(t, tf)
		src := r.prodSrc() + fmt.Sprintf(`resource "planguardtest_object" "seed" {
  path = %q
}
resource "planguardtest_object" "clobber" {
  path    = "${trimsuffix(planguardtest_object.seed.id, planguardtest_object.seed.id)}%s"
  content = "wiped"
}
`, filepath.Join(r.root, "objects", "seed2"), r.prodObj)
		a := r.dir("clobber", src)
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		// ids cannot see an id unknown at plan; host_writers is the line
		// for objects that are files on the applying machine.
		pol := r.hostWritersPolicy(t)
		code, out := r.pgRun(a, "check", "--policy="+pol, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		blockedFor(t, code, out, 1, "planguardtest_object.clobber (example.com/planguard/testobj) writes a file on the machine that applies the plan")
		acode, aout := r.pgRun(a, "apply", "--policy="+pol, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		if got := readFile(t, r.prodObj); got != "customer data" {
			t.Errorf("the protected object was overwritten through a create the gate allowed (check exit %d, apply exit %d): content now %q", code, acode, got)
		}
	})

	t.Run("an apply-time file() copies the apply's credentials into the state", func(t *testing.T) {
		// Harm: the apply job's credentials (every variable of terraform's
		// environment: cloud keys, the OIDC request token, ...) land in
		// the pinned state, which the author's plan job reads; with them
		// the author deletes the protected object directly. The gate
		// printed ALLOWED: one create of an unprotected object.
		//
		// file()'s argument depends on an object the plan creates, so it
		// is unknown at plan and evaluated only in the apply, where
		// /proc/self is terraform itself.
		r := newR16dLab(t, tf)
		src := r.prodSrc() + fmt.Sprintf(`resource "planguardtest_object" "seed" {
  path = %q
}
resource "planguardtest_object" "notes" {
  path    = %q
  content = file("${trimsuffix(planguardtest_object.seed.id, planguardtest_object.seed.id)}/proc/self/environ")
}
`, filepath.Join(r.root, "objects", "seed3"), filepath.Join(r.root, "objects", "notes"))
		a := r.dir("leak", src)
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		// The lab's own policy (no host_writers, lock_file): the file read
		// is refused before the room's terraform runs (exit 2).
		code, out := r.pgRun(a, "check", "--policy="+r.policy, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		blockedFor(t, code, out, 2, "planguardtest_object.notes calls file at main.tf:")
		// The apply job holds a credential the plan job has not.
		a.env = append(a.env, "APPLY_ROLE_SECRET=r16d-apply-only-credential")
		acode, aout := r.pgRun(a, "apply", "--policy="+r.policy, "tfplan")
		t.Logf("planguard apply: exit %d", acode)
		_ = aout
		if strings.Contains(readFile(t, r.prodState), "r16d-apply-only-credential") {
			t.Errorf("the apply job's credential is in the pinned state, which the plan job reads (check exit %d, apply exit %d)", code, acode)
		}
	})

	// The policy of a team that lists the test provider as one that runs
	// programs (as hashicorp/external is by default), with no
	// allow_apply_reads: no program of the configuration may run in the
	// apply.
	programsPolicy := func(t *testing.T, r *r16dLab) string {
		p := filepath.Join(r.root, "policy", "programs.hcl")
		writeFile(t, p, readFile(t, r.policy)+"program_providers = [\""+testbin.TestObjSource+"\"]\n")
		return p
	}
	// applyRan runs check and apply of the plan in a with a credential
	// only the apply job has, and reports whether the program wrote it to
	// marker.
	applyRan := func(t *testing.T, r *r16dLab, a *world, pol, marker string) (int, int, bool) {
		t.Helper()
		code, out := r.pgRun(a, "check", "--policy="+pol, "tfplan")
		t.Logf("planguard check: exit %d\n%s", code, out)
		a.env = append(a.env, "APPLY_ROLE_SECRET=r16d-apply-only-credential")
		acode, aout := r.pgRun(a, "apply", "--policy="+pol, "tfplan")
		t.Logf("planguard apply: exit %d\n%s", acode, aout)
		b, _ := os.ReadFile(marker)
		return code, acode, strings.Contains(string(b), "r16d-apply-only-credential")
	}
	version := toolVersion(t, tf)
	tofu := strings.Contains(filepath.Base(tf), "tofu")
	atLeast := func(minor int) bool {
		var major, mnr int
		_, _ = fmt.Sscanf(version, "%d.%d", &major, &mnr)
		return major > 1 || major == 1 && mnr >= minor
	}

	t.Run("an ephemeral resource of a program provider runs its program in every apply", func(t *testing.T) {
		// Harm: a program of the author's choosing runs in the apply job
		// with its credentials, under a policy whose program_providers
		// names the provider and whose allow_apply_reads is empty; the
		// gate printed ALLOWED.
		//
		// The gate judges a program provider's data sources read during
		// the apply (resource_changes, action read). An ephemeral resource
		// (Terraform 1.10+) is in no resource_changes, and Terraform opens
		// it again in every apply that needs it (here: a provider
		// configuration refers to it, the pattern ephemeral resources are
		// made for), so its program runs there whatever the plan says.
		if tofu || !atLeast(10) {
			t.Skipf("%s %s has no ephemeral resources", filepath.Base(tf), version)
		}
		r := newR16dLab(t, tf)
		pol := programsPolicy(t, r)
		marker := filepath.Join(r.root, "ephemeral-program-ran")
		src := r.prodSrc() + fmt.Sprintf(`ephemeral "planguardtest_program" "token" {
  program = ["sh", "-c", "echo \"$APPLY_ROLE_SECRET\" >> '%s'; echo token"]
}
provider "late" {
  host = ephemeral.planguardtest_program.token.result
}
resource "planguardtest_object" "z" {
  provider = late
  path     = %q
}
`, marker, filepath.Join(r.root, "objects", "z"))
		a := r.dir("ephemeral", src)
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		code, acode, ran := applyRan(t, r, a, pol, marker)
		if ran {
			t.Errorf("the ephemeral resource's program ran in the apply with the apply's credential (check exit %d, apply exit %d)", code, acode)
		}
		_, out := r.pgRun(a, "check", "--policy="+pol, "tfplan")
		blockedFor(t, code, out, 1, "allow_apply_reads = [\"ephemeral.planguardtest_program.token\"]")
	})

	t.Run("a program provider's function runs its program in the apply", func(t *testing.T) {
		// Harm: as above, through a provider-defined function (Terraform
		// 1.8+, OpenTofu 1.7+): Terraform evaluates the configuration of
		// every object it creates or updates again in the apply, calling
		// the function, whose program then runs with the apply's
		// credentials. No resource_changes entry is a read; the gate
		// allows.
		if tofu && !atLeast(7) || !tofu && !atLeast(8) {
			t.Skipf("%s %s has no provider-defined functions", filepath.Base(tf), version)
		}
		r := newR16dLab(t, tf)
		pol := programsPolicy(t, r)
		marker := filepath.Join(r.root, "function-program-ran")
		src := r.prodSrc() + fmt.Sprintf(`resource "planguardtest_object" "f" {
  path    = %q
  content = provider::planguardtest::run(["sh", "-c", "echo \"$APPLY_ROLE_SECRET\" >> '%s'; echo x"])
}
`, filepath.Join(r.root, "objects", "f"), marker)
		a := r.dir("function", src)
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		code, acode, ran := applyRan(t, r, a, pol, marker)
		if ran {
			t.Errorf("the provider function's program ran in the apply with the apply's credential (check exit %d, apply exit %d)", code, acode)
		}
		_, out := r.pgRun(a, "check", "--policy="+pol, "tfplan")
		blockedFor(t, code, out, 1, "allow_provider_functions = [\"planguardtest_object.f\"]")
	})

	t.Run("two modules of the snapshot share the root's directory: the configuration is chosen at random", func(t *testing.T) {
		// Harm: the configuration the apply runs need not be the one the
		// gate judged. Terraform and OpenTofu read a saved plan's
		// configuration through a virtual file system that looks a
		// directory up among the snapshot's modules in Go map order; with
		// two modules in one directory each lookup (the listing, then each
		// file) may take either, so one run loads the root's files, another
		// the other module's, another fails. planguard accepts such a
		// manifest (Terraform never writes one: the plan file was edited)
		// and even writes both modules' files side by side in the room.
		// The author gives the second module a complete configuration
		// whose provider block has an exec block: a run of show that loads
		// the root's files lets the gate allow, an apply that loads the
		// other module's runs the command (measured with Terraform 1.11.4:
		// about 75% and 2% of runs; the author retries).
		r := newR16dLab(t, tf)
		a := r.dir("twodirs", r.prodSrc()+object("extra", filepath.Join(r.root, "objects", "extra")))
		a.must(0, tf, "init", "-input=false", "-no-color")
		a.plan()
		addToPlan(t, filepath.Join(a.dir, "tfplan"), map[string]string{
			"tfconfig/m-zz/zz.tf": "output \"which\" {\n  value = \"the other module's configuration\"\n}\n",
		}, func(manifest []map[string]any) []map[string]any {
			return append(manifest, map[string]any{"Key": "zz", "Dir": "."})
		})
		// The check's own show reads one of them too: the author submits
		// the plan again until the gate allows.
		code, out := -1, ""
		for i := 0; i < 12 && code != 0; i++ {
			code, out = r.pgRun(a, "check", "--policy="+r.policy, "tfplan")
		}
		t.Logf("planguard check: exit %d\n%s", code, out)
		if code != 0 {
			blockedFor(t, code, out, 2, `tfconfig/modules.json gives the root module and module "zz" one directory (.) but the snapshot holds different files for them`)
			return // refused: what Terraform makes of the snapshot no longer matters
		}
		seen := map[string]int{}
		for i := 0; i < 60 && seen["the other module's files"] == 0; i++ {
			c, out := a.run(tf, "show", "-json", "-no-color", "tfplan")
			var p struct {
				Configuration struct {
					RootModule struct {
						Outputs   map[string]any `json:"outputs"`
						Resources []any          `json:"resources"`
					} `json:"root_module"`
				} `json:"configuration"`
			}
			switch {
			case c != 0 || json.Unmarshal([]byte(out), &p) != nil:
				seen["an error"]++
			case len(p.Configuration.RootModule.Outputs) > 0:
				seen["the other module's files"]++
			default:
				seen["the root module's files"]++
			}
		}
		t.Logf("configurations terraform show read from one plan file: %v", seen)
		if len(seen) > 1 {
			t.Errorf("planguard allowed a plan whose configuration snapshot gives two modules one directory, from which Terraform read %d different configurations in %v", len(seen), seen)
		}
	})
}

// addToPlan adds entries to the saved plan at path and passes its module
// manifest (tfconfig/modules.json) through edit: what the change's author
// can do to the plan file the plan job uploads.
func addToPlan(t *testing.T, path string, add map[string]string, edit func([]map[string]any) []map[string]any) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, b []byte) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "tfconfig/modules.json" {
			var m []map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if b, err = json.Marshal(edit(m)); err != nil {
				t.Fatal(err)
			}
		}
		put(f.Name, b)
	}
	_ = zr.Close()
	for name, content := range add {
		put(name, []byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
