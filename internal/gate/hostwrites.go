package gate

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
)

// A file the apply writes on the machine it runs on can become code before
// the apply ends, with the apply's credentials: a provider configured later
// in the same apply reads it (an AWS shared config file's
// credential_process), Terraform launches it (a provider binary under
// .terraform/providers, after the lock file was checked), or a later step
// of the job runs it (a GitHub Actions post-step script). So every change
// of a resource, and every apply-time read of a data source, of a provider
// that writes files there (policy.WritesHost) blocks unless an
// allow_host_writes block names its address and the absolute path it
// writes, known at plan time and outside the directories the apply and its
// job use (HostDirs, SystemDirs).

// HostDir is a directory of the machine that applies the plan in which no
// write may be allowed, and why: the apply's working directory, the home
// directory, the runner's temporary and tool directories, the plugin
// cache, and more.
type HostDir struct {
	Path string `json:"path"`
	Why  string `json:"why"`
}

// SystemDirs are the directories no write may be allowed in on any machine
// (besides Input.HostDirs): the system's programs, libraries and
// configuration, home directories, the state of services, and the
// directories GitHub Actions container jobs mount (/__w, /__t, /__e) and
// GitLab's Docker executor uses (/builds, /cache).
var SystemDirs = []string{
	"/Applications", "/Library", "/System", "/Users",
	"/__e", "/__t", "/__w",
	"/bin", "/boot", "/builds", "/cache", "/dev", "/etc", "/github", "/home", "/lib", "/lib32", "/lib64", "/libx32",
	"/nix", "/opt", "/private", "/proc", "/root", "/run", "/sbin", "/snap", "/srv/gitlab-runner", "/sys", "/usr", "/var",
}

// HostWrite is a change that may write a file on the machine that applies
// the plan (plan.HostWrite), and its verdict.
type HostWrite struct {
	plan.HostWrite
	// Allowed is set when allow_host_writes blocks of the policy allow
	// every file it writes or removes.
	Allowed bool `json:"allowed"`
	// AllowedBy names those blocks.
	AllowedBy []string `json:"allowed_by,omitempty"`
	// Problem, for a write not allowed, says why and how to allow it.
	Problem string `json:"problem,omitempty"`
}

// Blocked reports whether the write blocks the apply.
func (w HostWrite) Blocked() bool { return !w.Allowed }

// BlockedByHostWrites reports whether a host write blocks the apply.
func (r *Report) BlockedByHostWrites() bool {
	for _, w := range r.HostWrites {
		if w.Blocked() {
			return true
		}
	}
	return false
}

// judgeHostWrites fills r.HostWrites and r.ApplyTimeProviders.
func judgeHostWrites(in Input, r *Report) {
	r.ApplyTimeProviders = in.Plan.ApplyTimeProviders
	for _, w := range in.Plan.HostWrites {
		if !in.Policy.WritesHost(w.ProviderName) {
			continue
		}
		hw := HostWrite{HostWrite: w}
		hw.AllowedBy, hw.Problem = judgeHostWrite(in, w)
		hw.Allowed = hw.Problem == ""
		r.HostWrites = append(r.HostWrites, hw)
	}
}

// hostWriteVerb says what a change does to the file it names.
func hostWriteVerb(w plan.HostWrite) string {
	switch w.Action {
	case plan.KindDelete:
		return "removes"
	case plan.KindReplace:
		return "removes and writes again"
	case plan.KindUpdate:
		return "rewrites"
	case plan.KindRead:
		return "is read during the apply, and writes (or reads)"
	}
	return "writes"
}

// judgeHostWrite returns the allow_host_writes blocks that allow w, or
// why it blocks.
func judgeHostWrite(in Input, w plan.HostWrite) ([]string, string) {
	what := fmt.Sprintf("%s (%s) %s a file on the machine that applies the plan", w.Address, w.ProviderName, hostWriteVerb(w))
	risk := "during the apply, with the apply's credentials at hand; a file written there can become code before the job ends (a provider binary under .terraform/providers, a shared config file whose credential_process a provider configured later runs, a CI step's script)"
	allow := fmt.Sprintf("allow_host_writes \"NAME\" { addresses = [%s], paths = [\"/ABSOLUTE/PATH\"] }", hclString(w.Address))
	switch {
	case w.PathAttribute == "":
		return nil, fmt.Sprintf("%s %s, and planguard cannot tell which: it reads the file from %s, which %s does not set; no policy can allow it: remove it from the configuration, or write the file outside the apply",
			what, risk, strings.Join(plan.HostWritePathAttributes, " or "), w.Type)
	case w.PathUnknown && w.Action == plan.KindDelete:
		return nil, fmt.Sprintf("%s %s, and its prior %s is not a path planguard can read; no policy can allow it", what, risk, w.PathAttribute)
	case w.PathUnknown:
		return nil, fmt.Sprintf("%s %s, and which file (%s) is known only during the apply; no policy can allow it: write %s as a value known at plan time (a literal, or input variables), then allow it with %s",
			what, risk, w.PathAttribute, w.PathAttribute, allow)
	}
	var files []string
	if w.Action != plan.KindDelete {
		files = append(files, w.Path)
	}
	if w.PriorPath != "" {
		files = append(files, w.PriorPath)
	}
	var by []string
	for _, f := range files {
		if why := forbiddenFile(in, f); why != "" {
			return nil, fmt.Sprintf("%s (%s = %s) %s; no policy can allow it: %s; write the file at an absolute path outside the directories the apply and its job use, and allow exactly that path with %s, or remove %s from the configuration",
				what, w.PathAttribute, hclString(f), risk, why, allow, w.Address)
		}
		names := in.Policy.AllowingHostWrite(w.Address, f)
		if len(names) == 0 {
			return nil, fmt.Sprintf("%s (%s = %s) %s; no allow_host_writes block of the policy allows it; to allow exactly this file, add to the policy: allow_host_writes \"NAME\" { addresses = [%s], paths = [%s] }",
				what, w.PathAttribute, hclString(f), risk, hclString(w.Address), hclString(f))
		}
		for _, n := range names {
			if !slices.Contains(by, n) {
				by = append(by, n)
			}
		}
	}
	return by, ""
}

// forbiddenFile says why no policy may allow a write of file, "" when one
// may: it must be an absolute, clean path outside SystemDirs and
// in.HostDirs.
func forbiddenFile(in Input, file string) string {
	switch {
	case !strings.HasPrefix(file, "/"):
		return "a relative path is written in Terraform's working directory, the directory planguard apply builds and where the providers it launches are installed"
	case path.Clean(file) != file || strings.ContainsAny(file, "\\\x00"):
		return fmt.Sprintf("the path is not clean (it would be %s), so what it names depends on the links and directories of the machine", hclString(path.Clean(file)))
	}
	for _, d := range SystemDirs {
		if under(file, d) {
			return fmt.Sprintf("it lies under %s, a directory of the system, of home directories or of CI that programs run from", d)
		}
	}
	for _, d := range in.HostDirs {
		if under(file, d.Path) {
			return fmt.Sprintf("it lies under %s (%s)", d.Path, d.Why)
		}
	}
	return ""
}

// under reports whether file is dir or lies below it.
func under(file, dir string) bool {
	dir = path.Clean(dir)
	if dir == "/" || dir == "." {
		return true
	}
	return file == dir || strings.HasPrefix(file, dir+"/")
}
