package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The reader on plans of Terraform versions newer than the 1.8.5 fixtures:
// the held-out fixtures of planguard/testdata/heldout-<version> (`make
// fixtures-heldout` writes them with the Terraform on PATH, whatever its
// version). No version is listed here: a new directory is tested as soon as
// it is written.

// heldOutDirs returns the held-out fixture directories by version, newest
// last.
func heldOutDirs(t *testing.T) map[string]string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "..", "planguard", "testdata", "heldout-*", "terraform"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range dirs {
		out[strings.TrimPrefix(filepath.Base(filepath.Dir(d)), "heldout-")] = d
	}
	return out
}

// versionLess orders dotted versions numerically ("1.9.1" < "1.11.4").
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// newest returns the newest held-out version at or above 1.9 (what the
// Terraform on PATH wrote), failing when there is none.
func newest(t *testing.T) (string, string) {
	t.Helper()
	dirs := heldOutDirs(t)
	var vs []string
	for v := range dirs {
		if !versionLess(v, "1.9") {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		t.Fatal("no held-out fixtures of Terraform >= 1.9 in planguard/testdata; run make fixtures-heldout with a newer terraform on PATH")
	}
	sort.Slice(vs, func(i, j int) bool { return versionLess(vs[i], vs[j]) })
	v := vs[len(vs)-1]
	t.Logf("newest held-out Terraform: %s", v)
	return v, dirs[v]
}

// TestHeldOutNewerFixtures reads every held-out plan of Terraform >= 1.9
// and expects the changes fixtureWants expects of 1.8.5's (and of the
// scenarios only newer versions can plan).
func TestHeldOutNewerFixtures(t *testing.T) {
	wants, errs := fixtureWants(), fixtureErrors()
	n := 0
	for v, dir := range heldOutDirs(t) {
		if versionLess(v, "1.9") {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, file := range files {
			name := strings.TrimSuffix(filepath.Base(file), ".json")
			n++
			t.Run(v+"/"+name, func(t *testing.T) {
				f, err := os.Open(file)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				p, err := Decode(f)
				if wantErr, ok := errs[name]; ok {
					if !errors.Is(err, wantErr) {
						t.Fatalf("Decode error = %v, want %v", err, wantErr)
					}
					return
				}
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if p.TerraformVersion != v && p.TerraformVersion != v+"-dev" {
					t.Errorf("TerraformVersion = %q, want %s", p.TerraformVersion, v)
				}
				w, ok := wants[name]
				if !ok {
					t.Fatalf("no expectation for scenario %s", name)
				}
				checkChanges(t, p.Changes, w)
			})
		}
	}
	if n == 0 {
		t.Fatal("no held-out plans of Terraform >= 1.9; run make fixtures-heldout")
	}
}

// keyPaths collects the object key paths of a JSON value, with array
// indexes and the names of map-like objects (resources, variables, …) left
// out, so that plans of the same scenario compare by shape.
func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := prefix + "." + k
			switch prefix {
			case ".variables", ".configuration.root_module.variables", ".output_changes", ".configuration.root_module.outputs", ".configuration.provider_config", ".configuration.root_module.module_calls":
				p = prefix + ".*"
			}
			if strings.HasSuffix(prefix, ".before") || strings.HasSuffix(prefix, ".after") || strings.HasSuffix(prefix, "_unknown") || strings.HasSuffix(prefix, "_sensitive") || strings.HasSuffix(prefix, ".values") || strings.HasSuffix(prefix, ".expressions") {
				p = prefix + ".*"
			}
			out[p] = true
			keyPaths(e, p, out)
		}
	case []any:
		for _, e := range x {
			keyPaths(e, prefix+"[]", out)
		}
	}
}

func unmarshalFile(t *testing.T, file string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestNewerPlanKeysReadPast: keys a newer plan has that the reader was not
// written for are read past. It lists the key paths of the newest held-out
// plans that no 1.8.5 plan of the same scenario has (Terraform 1.11.4 adds
// none to these scenarios' plans: its format_version is still 1.2), then
// adds keys no version writes yet — at the top level, in a resource change,
// in a change, with a new action_reason — to each real plan, and expects
// the same changes, action_reason aside.
func TestNewerPlanKeysReadPast(t *testing.T) {
	v, dir := newest(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	errs := fixtureErrors()
	newKeys := map[string]bool{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		if _, ok := errs[name]; ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			if old := filepath.Join("testdata", "terraform", name+".json"); fileExists(old) {
				a, b := map[string]bool{}, map[string]bool{}
				keyPaths(unmarshalFile(t, old), "", a)
				keyPaths(unmarshalFile(t, file), "", b)
				for k := range b {
					if !a[k] {
						newKeys[k] = true
						t.Logf("Terraform %s writes %s, 1.8.5 does not", v, k)
					}
				}
			}
			orig, err := Read(file, Options{})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			m := unmarshalFile(t, file)
			m["planguard_future_top_level"] = map[string]any{"nested": []any{1, "x", nil}}
			m["deferred_changes"] = []any{}
			rcs, _ := m["resource_changes"].([]any)
			for _, rc := range rcs {
				rc := rc.(map[string]any)
				rc["planguard_future_key"] = true
				ch := rc["change"].(map[string]any)
				ch["planguard_future_change_key"] = map[string]any{"a": "b"}
				if _, ok := rc["action_reason"]; ok {
					rc["action_reason"] = "delete_because_of_a_reason_from_the_future"
				}
			}
			got := decodeValue(t, m)
			if len(got.Changes) != len(orig.Changes) {
				t.Fatalf("with unknown keys: %d changes, want %d", len(got.Changes), len(orig.Changes))
			}
			for i := range got.Changes {
				g, o := got.Changes[i], orig.Changes[i]
				if o.ActionReason != "" {
					if g.ActionReason != "delete_because_of_a_reason_from_the_future" {
						t.Errorf("change %d: ActionReason = %q", i, g.ActionReason)
					}
					g.ActionReason = o.ActionReason
				}
				if !reflect.DeepEqual(g, o) {
					t.Errorf("change %d with unknown keys = %+v\nwant %+v", i, g, o)
				}
			}
		})
	}
	t.Logf("key paths Terraform %s writes that no 1.8.5 plan of the same scenario has: %d", v, len(newKeys))
}

// TestNewerPlanUnknownsRefused edits real plans of the newest held-out
// Terraform: an action, a mode or a major format version this reader does
// not know is an error, never read past.
func TestNewerPlanUnknownsRefused(t *testing.T) {
	_, dir := newest(t)
	for _, name := range []string{"delete", "removed_destroy", "import_delete", "targeted_destroy"} {
		file := filepath.Join(dir, name+".json")
		if !fileExists(file) {
			t.Fatalf("%s is missing; run make fixtures-heldout", file)
		}
		edits := []struct {
			what string
			edit func(m map[string]any)
			want error
		}{
			{"unknown action", func(m map[string]any) {
				firstDestructive(t, m)["change"].(map[string]any)["actions"] = []any{"obliterate"}
			}, ErrMalformed},
			{"unknown action beside delete", func(m map[string]any) {
				firstDestructive(t, m)["change"].(map[string]any)["actions"] = []any{"delete", "archive"}
			}, ErrMalformed},
			{"unknown mode", func(m map[string]any) {
				firstDestructive(t, m)["mode"] = "ephemeral"
			}, ErrMalformed},
			{"format 2.0", func(m map[string]any) { m["format_version"] = "2.0" }, ErrUnsupportedFormat},
			{"format 2.1", func(m map[string]any) { m["format_version"] = "2.1" }, ErrUnsupportedFormat},
		}
		for _, e := range edits {
			t.Run(name+"/"+e.what, func(t *testing.T) {
				m := unmarshalFile(t, file)
				e.edit(m)
				b, err := json.Marshal(m)
				if err != nil {
					t.Fatal(err)
				}
				p, err := Decode(bytes.NewReader(b))
				if !errors.Is(err, e.want) {
					t.Fatalf("Decode = %+v, %v; want %v", p, err, e.want)
				}
			})
		}
	}
}

// firstDestructive returns the first resource change that deletes.
func firstDestructive(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	rcs, _ := m["resource_changes"].([]any)
	for _, rc := range rcs {
		rc := rc.(map[string]any)
		for _, a := range rc["change"].(map[string]any)["actions"].([]any) {
			if a == "delete" {
				return rc
			}
		}
	}
	t.Fatal("no deleting resource change")
	return nil
}

func decodeValue(t *testing.T, m map[string]any) *Plan {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Decode with unknown keys: %v", err)
	}
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
