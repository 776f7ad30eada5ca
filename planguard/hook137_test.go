package main

import (
	"strings"
	"testing"
)

// Review hook137 (on 26aef5e), the hook command's lists: files the package
// managers and toolchains load from the project on every command
// (rust-toolchain.toml, .pnpmfile.cjs, .yarnrc.yml, .corepack.env, .mvn/:
// H1, H2, H8), and the system code directories an agent running as root
// could rewrite (/usr, /opt…: H6), which a cd may still enter.
func TestHook137ProjectAndSystemCode(t *testing.T) {
	w := newHookWorld(t)
	denied := func(cmd string) bool {
		t.Helper()
		code, out, _ := w.hook(t, "claude", shellEvent("claude", w.dir, cmd), nil)
		return code != 0 || strings.TrimSpace(out) != ""
	}
	for _, cmd := range []string{
		`printf '[toolchain]\npath = "/tmp/tc"\n' > rust-toolchain.toml; cargo --version`,
		`printf '[toolchain]\npath = "/tmp/tc"\n' > rust-toolchain; cargo fmt --check`,
		`echo 'require("child_process").execSync("terraform destroy")' > .pnpmfile.cjs; pnpm list`,
		`echo 'yarnPath: /tmp/y.cjs' > .yarnrc.yml; yarn -v`,
		`echo 'COREPACK_HOME=/tmp/x' > .corepack.env; corepack pnpm -v`,
		`mkdir -p .mvn && echo '-XX:OnOutOfMemoryError=/tmp/m.sh' > .mvn/jvm.config; mvn --version`,
		`echo '-Dmaven.ext.class.path=/tmp/x.jar' > .mvn/maven.config`,
		`echo 'python path:/tmp/py' > .tool-versions`,
		`echo 'import os' >> /usr/lib/python3.11/argparse.py; yq --version`,
		`echo x >> /usr/lib/node_modules/pnpm/dist/pnpm.cjs; pnpm --version`,
		`printf '#!/bin/sh\n' > /usr/local/go/pkg/tool/linux_amd64/vet; go vet ./...`,
		`cp /tmp/x /usr/lib/git-core/git-difftool--helper`,
		`cd /usr/lib/python3.11 && echo x > argparse.py`,
	} {
		if !denied(cmd) {
			t.Errorf("allowed, want denied: %s", cmd)
		}
	}
	for _, cmd := range []string{
		"cd /usr/local/src && ls",
		"cd /usr/lib && ls",
		"gcc -I/usr/include/foo -o x x.c",
		"./configure --prefix=/usr/local",
		"rm -rf __pycache__",
		"cd /opt && ls",
		"ls /usr/lib/python3",
		"cat /usr/share/doc/git/README.md",
		"cd ~/.cache && ls",
		"cargo build",
		"pnpm install",
	} {
		if denied(cmd) {
			t.Errorf("denied, want allowed: %s", cmd)
		}
	}
	for _, cmd := range []string{"cd ~/.claude && ls", "cd .git/hooks && ls"} {
		if !denied(cmd) {
			t.Errorf("allowed, want denied: %s", cmd)
		}
	}
}

// A project inside a system code directory (a container's /usr/src/app)
// stays writable; the rest of that directory stays protected.
func TestHook137ProjectUnderSystemDir(t *testing.T) {
	dirs := outsideRoots("/usr", []string{"/usr/src/app"}, 0)
	for _, d := range dirs {
		if d == "/usr" || d == "/usr/src" || d == "/usr/src/app" || strings.HasPrefix("/usr/src/app/", d+"/") {
			t.Errorf("outsideRoots gave %s, which holds the project", d)
		}
	}
	found := false
	for _, d := range dirs {
		found = found || d == "/usr/lib" || d == "/usr/bin"
	}
	if !found {
		t.Errorf("outsideRoots left /usr/lib and /usr/bin out: %v", dirs)
	}
	if got := outsideRoots("/opt", []string{"/work/infra"}, 0); len(got) != 1 || got[0] != "/opt" {
		t.Errorf("outsideRoots(/opt) with the project elsewhere = %v, want [/opt]", got)
	}
}
