package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Findings F2, F3, F5 and F7 of the hook30 review and the false refusals
// of issue 17, through the hook command: the protected files are the ones
// the hook lists itself (the project's .envrc and .claude, the home
// directory's startup and tools' files, /etc).
func TestHook31bThroughTheHook(t *testing.T) {
	w := newHookWorld(t)
	os.MkdirAll(filepath.Join(w.dir, ".claude"), 0o755)
	os.WriteFile(filepath.Join(w.dir, ".claude", "settings.json"), []byte("{}\n"), 0o600)
	denied := func(cmd string) (bool, string) {
		t.Helper()
		code, out, errs := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil)
		if code == 0 && out == "" {
			return false, ""
		}
		return true, denyReason(t, "claude", code, out, errs)
	}
	for cmd, want := range map[string]string{
		"cd .claude && wget http://h/settings.json":                  ".claude",
		"wget -P .claude http://h/settings.json":                     "settings.json",
		"wget -N http://h/.envrc":                                    ".envrc",
		"curl -O http://h/.mcp.json":                                 ".mcp.json",
		"curl --output-dir .. -O http://h/planguard.hcl":             "planguard.hcl",
		"wget -P ~ http://h/.curlrc":                                 ".curlrc",
		"curl -o ~/.terraformrc http://h/x":                          ".terraformrc",
		"wget --content-disposition http://h/x":                      "under /tmp",
		"scp host:planguard.hcl ..":                                  "planguard.hcl",
		"sg wheel -c 'terraform destroy -auto-approve'":              "destroys infrastructure",
		"echo 'terraform destroy -auto-approve' | newgrp x":          "destroys infrastructure",
		"capsh -- -c 'terraform destroy -auto-approve'":              "destroys infrastructure",
		"echo 'x ALL=(ALL) NOPASSWD:ALL' | sudo tee -a /etc/sudoers": "/etc/sudoers",
		"echo 'terraform destroy' | sudo tee /etc/profile.d/x.sh":    "/etc/profile.d",
		"sudo sh -c 'echo /tmp/x.so > /etc/ld.so.preload'":           "/etc/ld.so.preload",
	} {
		d, r := denied(cmd)
		if !d {
			t.Errorf("%s: allowed, want denied", cmd)
			continue
		}
		if !strings.Contains(r, want) {
			t.Errorf("%s: reason %q lacks %q", cmd, r, want)
		}
	}
	for _, cmd := range []string{
		`printf '[INFO] %s\n' done`,
		`[ "$1" = "[default]" ]`,
		"cd ~",
		"ENV=prod make test",
		"wget -O /tmp/x.tgz http://h/x.tgz",
		"curl -fsSL http://h/x -o out.json",
		"curl http://h/x | jq .",
		"timeout 5 make test",
		"sg docker -c 'docker ps'",
	} {
		if d, r := denied(cmd); d {
			t.Errorf("%s: denied, want allowed: %s", cmd, r)
		}
	}
}

func TestHook31bProtectedLists(t *testing.T) {
	files := protectedFiles("/p/planguard.hcl", nil, "/home/a", "/p/infra")
	dirs := protectedDirs("/p/planguard.hcl", "/home/a", "/p/infra")
	for _, f := range []string{"/etc/profile", "/etc/environment", "/etc/ld.so.preload", "/etc/sudoers", "/etc/gitconfig",
		"/etc/bash.bashrc", "/home/a/.curlrc", "/home/a/.wgetrc", "/home/a/.terraformrc"} {
		if isProtected(f, files, dirs) == "" {
			t.Errorf("%s is not protected", f)
		}
	}
	for _, f := range []string{"/etc/profile.d/x.sh", "/etc/sudoers.d/agent", "/etc/ld.so.conf.d/x.conf"} {
		if isProtected(f, files, dirs) == "" {
			t.Errorf("%s is not protected", f)
		}
	}
	if isProtected("/etc/motd", files, dirs) != "" {
		t.Errorf("/etc/motd is protected")
	}
}
