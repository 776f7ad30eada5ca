package main

import (
	"runtime/debug"
	"testing"
)

// TestVersionString: a stamped release version wins; a build from source
// says which module version, revision (dirty or not) and commit it is.
func TestVersionString(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	clone := &debug.BuildInfo{GoVersion: "go1.26.11", Main: debug.Module{Version: "v0.0.0-20261204160112-b84b9faab5c1+dirty"},
		Settings: settings("vcs", "git", "vcs.revision", "b84b9faab5c18c47ab46a0d16534821851b69aff", "vcs.time", "2026-12-04T16:01:12Z", "vcs.modified", "true")}
	for _, c := range []struct {
		name                  string
		stamped, commit, date string
		bi                    *debug.BuildInfo
		want                  string
	}{
		{"release", "v1.2.3", "", "", clone, "v1.2.3"},
		{"release with commit and date", "v1.2.3", "abc123", "2026-12-01T00:00:00Z", clone, "v1.2.3 (commit abc123, built 2026-12-01T00:00:00Z)"},
		{"clone with changes", "dev", "", "", clone, "v0.0.0-20261204160112-b84b9faab5c1+dirty (revision b84b9faab5c1 dirty, committed 2026-12-04T16:01:12Z, go1.26.11)"},
		{"go install at a commit", "dev", "", "", &debug.BuildInfo{GoVersion: "go1.26.11", Main: debug.Module{Version: "v0.0.0-20261204160112-b84b9faab5c1"}},
			"v0.0.0-20261204160112-b84b9faab5c1 (go1.26.11)"},
		{"devel build with vcs", "dev", "", "", &debug.BuildInfo{GoVersion: "go1.26.11", Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "b84b9faab5c1", "vcs.modified", "false")}, "dev (revision b84b9faab5c1, go1.26.11)"},
		{"nothing recorded", "dev", "", "", &debug.BuildInfo{GoVersion: "go1.26.11", Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"no build info", "dev", "", "", nil, "dev"},
	} {
		if got := versionString(c.stamped, c.commit, c.date, c.bi); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
