package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/planguard/terraform-provider-planguard/internal/shell"
)

// Bounds of the search for local states named otherwise than *.tfstate:
// the hook runs before every tool call, so it looks at a bounded part of
// the tree under the event's directories.
const (
	maxBackendSearch = 4000    // directory entries looked at per directory searched
	maxBackendDepth  = 4       // levels below it
	maxBackendFile   = 1 << 20 // bytes of one configuration or backend file
)

// backendStates returns the local states the configurations under dirs
// keep under a name that is not a state file's (shell.StateFile):
// `backend "local" { path = "state/prod.json" }` in a configuration file,
// or the backend settings terraform init recorded in .terraform (or in
// the data directory TF_DATA_DIR names), and their .backup files (review
// hook148 H2: `rm state/prod.json` lost the state). A configuration the
// hook cannot parse names none: its terraform init fails the same way.
func backendStates(getenv func(string) string, dirs ...string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(dir, p string) {
		if p == "" || shell.StateFile(p) {
			return
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		p = filepath.Clean(p)
		for _, q := range []string{p, p + ".backup"} {
			if !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	dataDir := getenv("TF_DATA_DIR")
	done := map[string]bool{}
	for _, root := range dirs {
		if done[root] {
			continue
		}
		done[root] = true
		if dataDir != "" {
			d := dataDir
			if !filepath.IsAbs(d) {
				d = filepath.Join(root, d)
			}
			add(root, recordedLocalPath(filepath.Join(d, "terraform.tfstate")))
		}
		walkConfigDirs(root, func(dir string, ents []os.DirEntry) {
			add(dir, recordedLocalPath(filepath.Join(dir, ".terraform", "terraform.tfstate")))
			for _, e := range ents {
				n := strings.ToLower(e.Name())
				if e.IsDir() || !(strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tofu") || strings.HasSuffix(n, ".tf.json") || strings.HasSuffix(n, ".tofu.json")) {
					continue
				}
				add(dir, configuredLocalPath(filepath.Join(dir, e.Name())))
			}
		})
	}
	return out
}

// walkConfigDirs calls f for root and the directories below it, breadth
// first to maxBackendDepth, without following symbolic links and without
// entering .git, node_modules and .terraform (read by f itself).
func walkConfigDirs(root string, f func(dir string, ents []os.DirEntry)) {
	type level struct {
		dir   string
		depth int
	}
	queue, seen := []level{{root, 0}}, 0
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		ents, err := os.ReadDir(d.dir)
		if err != nil {
			continue
		}
		if seen += len(ents); seen > maxBackendSearch {
			return
		}
		f(d.dir, ents)
		if d.depth >= maxBackendDepth {
			continue
		}
		for _, e := range ents {
			if n := e.Name(); e.IsDir() && n != ".git" && n != "node_modules" && n != ".terraform" {
				queue = append(queue, level{filepath.Join(d.dir, n), d.depth + 1})
			}
		}
	}
}

// readSmallRegular reads p when it is a regular file of at most
// maxBackendFile bytes, opened without blocking (a FIFO would block the
// hook), or returns nil.
func readSmallRegular(p string) []byte {
	fh, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxBackendFile {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(fh, maxBackendFile+1))
	if err != nil || len(b) > maxBackendFile {
		return nil
	}
	return b
}

// recordedLocalPath is the path of the local backend terraform init
// recorded in a data directory's terraform.tfstate, or "".
func recordedLocalPath(p string) string {
	b := readSmallRegular(p)
	if b == nil {
		return ""
	}
	var rec struct {
		Backend struct {
			Type   string `json:"type"`
			Config struct {
				Path *string `json:"path"`
			} `json:"config"`
		} `json:"backend"`
	}
	if json.Unmarshal(b, &rec) != nil || rec.Backend.Type != "local" || rec.Backend.Config.Path == nil {
		return ""
	}
	return *rec.Backend.Config.Path
}

// configuredLocalPath is the literal path of a `backend "local"` block in
// the configuration file p, or "".
func configuredLocalPath(p string) string {
	b := readSmallRegular(p)
	if b == nil || !strings.Contains(string(b), "local") || !strings.Contains(string(b), "backend") {
		return ""
	}
	parser := hclparse.NewParser()
	var f *hcl.File
	if strings.HasSuffix(strings.ToLower(p), ".json") {
		f, _ = parser.ParseJSON(b, p)
	} else {
		f, _ = parser.ParseHCL(b, p)
	}
	if f == nil {
		return ""
	}
	top, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "terraform"}}})
	if top == nil {
		return ""
	}
	for _, blk := range top.Blocks {
		in, _, _ := blk.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "backend", LabelNames: []string{"type"}}}})
		if in == nil {
			continue
		}
		for _, be := range in.Blocks {
			if be.Labels[0] != "local" {
				continue
			}
			attrs, _, _ := be.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "path"}}})
			if attrs == nil || attrs.Attributes["path"] == nil {
				continue
			}
			var s string
			if gohcl.DecodeExpression(attrs.Attributes["path"].Expr, nil, &s).HasErrors() {
				continue
			}
			return s
		}
	}
	return ""
}

// gitBins are where the hook looks for git: never the agent's PATH,
// where a program the agent wrote could answer for it.
var gitBins = []string{"/usr/bin/git", "/bin/git", "/usr/local/bin/git", "/opt/homebrew/bin/git"}

// configuredHooks returns the hooks directory git uses for the
// repository at root when its configuration moves it out of the git
// directory (core.hooksPath: .githooks, husky's .husky/_), as git itself
// reports it (`git rev-parse --git-path hooks`, which reads every
// configuration file and include), and for husky's `_` the directory
// above, whose scripts its hooks run (review hook148 H1). Nothing when
// root has no .git or git is not installed where the hook looks.
func configuredHooks(getenv func(string) string, root string) []string {
	if _, err := os.Lstat(filepath.Join(root, ".git")); err != nil {
		return nil
	}
	bin := ""
	for _, b := range gitBins {
		if fi, err := os.Stat(b); err == nil && fi.Mode().IsRegular() {
			bin = b
			break
		}
	}
	if bin == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-C", root, "rev-parse", "--git-path", "hooks")
	// git reads the configuration of the agent's environment, which the
	// hook runs with (tests give it apart from the process's).
	cmd.Env = os.Environ()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_DIR", "GIT_COMMON_DIR", "GIT_CONFIG_PARAMETERS"} {
		if x := getenv(v); x != "" {
			cmd.Env = append(cmd.Env, v+"="+x)
		}
	}
	cmd.Env = append(cmd.Env, "GIT_OPTIONAL_LOCKS=0")
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	p := strings.TrimSpace(string(out))
	if p == "" || strings.Contains(p, "\n") {
		return nil
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	p = filepath.Clean(p)
	for _, g := range gitDirs(root) {
		if p == filepath.Join(g, "hooks") {
			return nil // the default, protected with the git directory
		}
	}
	dirs := []string{p}
	if filepath.Base(p) == "_" {
		dirs = append(dirs, filepath.Dir(p))
	}
	return dirs
}
