package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/planguard/terraform-provider-planguard/internal/shell"
	"github.com/planguard/terraform-provider-planguard/internal/tfsource"
)

// Bounds of the search for local states named otherwise than *.tfstate:
// the hook runs before every tool call, so it looks at a bounded part of
// the tree under the event's directories.
const (
	maxBackendSearch = 20000   // directory entries looked at below each root
	maxBackendDepth  = 4       // levels below it
	maxBackendFile   = 1 << 20 // bytes of one configuration or backend file
	// maxParsedConfigs and scanBudget bound the configuration files
	// parsed (those naming a local backend) and the time of the search.
	maxParsedConfigs = 64
	scanBudget       = 300 * time.Millisecond
)

// projectScan is what the hook finds under the event's directories (and
// the project's and the policy's): the local states configurations keep
// under a name that is not a state file's, and the git repositories below
// them, whose hooks directory git is asked for.
type projectScan struct {
	states []string // with their .backup files, as found and after links
	repos  []string // directories holding a .git below the roots
}

// maxScanRepos bounds the repositories below the roots git is asked about.
const maxScanRepos = 16

// scanProject searches each root (and the directories below it, bounded)
// for the local states the configurations keep under a name that is not a
// state file's (shell.StateFile): `backend "local" { path =
// "state/prod.json" }` in a configuration file, or the backend settings
// terraform init recorded in .terraform (or in the data directory
// TF_DATA_DIR names), and their .backup files (review hook148 H2: `rm
// state/prod.json` lost the state); and for the git repositories below the
// roots (review hook150 H3). A configuration the hook cannot parse names
// none: its terraform init fails the same way. A state is also known by
// its content wherever it is (stateContent), which this search adds the
// globs and a renamed state's links to.
func scanProject(getenv func(string) string, roots ...string) projectScan {
	var out projectScan
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
			forms := []string{q}
			if r := resolveLinks(q); r != "" && r != q {
				forms = append(forms, r) // state -> ../data (review hook150 H5)
			}
			for _, f := range forms {
				if !seen[f] {
					seen[f] = true
					out.states = append(out.states, f)
				}
			}
		}
	}
	dataDir := getenv("TF_DATA_DIR")
	done, repos, visited := map[string]bool{}, map[string]bool{}, map[string]bool{}
	// The agent writes the tree: a bound on what is parsed and on the
	// time spent keeps every call fast (review code157 H2: 50 large
	// configuration files made each call take 22 s).
	deadline, parsed := time.Now().Add(scanBudget), 0
	for _, root := range roots {
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
		walkConfigDirs(root, visited, func(dir string, ents []os.DirEntry) {
			if time.Now().After(deadline) {
				return
			}
			add(dir, recordedLocalPath(filepath.Join(dir, ".terraform", "terraform.tfstate")))
			for _, e := range ents {
				n := strings.ToLower(e.Name())
				if n == ".git" && dir != root && !repos[dir] && len(out.repos) < maxScanRepos {
					repos[dir] = true
					out.repos = append(out.repos, dir)
				}
				if e.IsDir() || !(strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tofu") || strings.HasSuffix(n, ".tf.json") || strings.HasSuffix(n, ".tofu.json")) {
					continue
				}
				if parsed >= maxParsedConfigs || time.Now().After(deadline) {
					continue // the bound: the states' content still protects them
				}
				if p, read := configuredLocalPath(filepath.Join(dir, e.Name())); read {
					parsed++
					add(dir, p)
				}
			}
		})
	}
	return out
}

// walkConfigDirs calls f for root and the directories below it, breadth
// first to maxBackendDepth, without entering .git, node_modules and
// .terraform (read by f itself). Symbolic links to directories are
// followed (infra -> ../tf: review hook150 H6), each real directory once.
// root itself is always read whole; the bound on entries stops the descent
// below it (padding a directory with files cannot hide root's own
// configuration: review hook150 H4).
func walkConfigDirs(root string, visited map[string]bool, f func(dir string, ents []os.DirEntry)) {
	type level struct {
		dir   string
		depth int
	}
	queue, seen := []level{{root, 0}}, 0
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		resolved, err := filepath.EvalSymlinks(d.dir)
		if err != nil || visited[resolved] {
			continue
		}
		visited[resolved] = true
		ents, err := os.ReadDir(d.dir)
		if err != nil {
			continue
		}
		if d.depth > 0 {
			if seen += len(ents); seen > maxBackendSearch {
				return
			}
		}
		f(d.dir, ents)
		if d.depth >= maxBackendDepth {
			continue
		}
		for _, e := range ents {
			n := e.Name()
			if n == ".git" || n == "node_modules" || n == ".terraform" {
				continue
			}
			isDir := e.IsDir()
			if e.Type()&os.ModeSymlink != 0 {
				fi, err := os.Stat(filepath.Join(d.dir, n))
				isDir = err == nil && fi.IsDir()
			}
			if isDir {
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
func configuredLocalPath(p string) (string, bool) {
	b := readSmallRegular(p)
	if b == nil || !strings.Contains(string(b), "local") || !strings.Contains(string(b), "backend") {
		return "", false
	}
	return localPathIn(p, b), true
}

// localPathIn is the literal path of a `backend "local"` block in the
// configuration file p holding b, or "".
func localPathIn(p string, b []byte) string {
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
			// Only a literal is evaluated: a template of nested %{for}
			// directives over literal lists has no references either, and
			// would keep the hook busy past its time-out (review hook152).
			v, err := tfsource.LiteralValue(attrs.Attributes["path"].Expr)
			if err != nil {
				continue
			}
			if s, ok := tfsource.LiteralString(v); ok {
				return s
			}
		}
	}
	return ""
}

// gitDeadline (Unix nanoseconds; 0: none) bounds the time all of a hook
// call's git runs take together (review code157 M3: a repository whose
// configuration includes a FIFO held each run for its whole timeout);
// hookDecide sets it. A git run past it answers nothing.
var gitDeadline atomic.Int64

// gitBudget is the time a hook call's git runs may take together.
const gitBudget = 3 * time.Second

// gitBins are where the hook looks for git: never the agent's PATH,
// where a program the agent wrote could answer for it.
var gitBins = []string{"/usr/bin/git", "/bin/git", "/usr/local/bin/git", "/opt/homebrew/bin/git"}

// runGit runs git (from gitBins) with the configuration of the agent's
// environment, which the hook runs with (tests give it apart from the
// process's), and returns its output's one line, or "" when git is not
// installed where the hook looks, fails, or prints more than one line.
func runGit(getenv func(string) string, args ...string) string {
	out, err := gitOutput(getenv, args...)
	if err != nil {
		return ""
	}
	line := strings.TrimSpace(out)
	if strings.Contains(line, "\n") {
		return ""
	}
	return line
}

// gitBin is the first of gitBins installed, or "".
func gitBin() string {
	for _, b := range gitBins {
		if fi, err := os.Stat(b); err == nil && fi.Mode().IsRegular() {
			return b
		}
	}
	return ""
}

// gitOutput runs git as runGit describes and returns its standard output.
func gitOutput(getenv func(string) string, args ...string) (string, error) {
	bin := gitBin()
	if bin == "" {
		return "", os.ErrNotExist
	}
	timeout := 2 * time.Second
	if d := gitDeadline.Load(); d != 0 {
		left := time.Until(time.Unix(0, d))
		if left <= 0 {
			return "", context.DeadlineExceeded
		}
		timeout = min(timeout, left)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = os.Environ()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_DIR", "GIT_COMMON_DIR", "GIT_CONFIG_PARAMETERS"} {
		if x := getenv(v); x != "" {
			cmd.Env = append(cmd.Env, v+"="+x)
		}
	}
	cmd.Env = append(cmd.Env, "GIT_OPTIONAL_LOCKS=0")
	out, err := cmd.Output()
	return string(out), err
}

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
	p := runGit(getenv, "-C", root, "rev-parse", "--git-path", "hooks")
	if p == "" {
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
	return huskyParent(p)
}

// globalHooks returns the hooks directory the user's and the system's git
// configuration name for every repository (a repository made later too:
// git init /tmp/x && git -C /tmp/x commit: review hook150 H2), when it is
// absolute or under the home directory; a relative one is each
// repository's own, found by configuredHooks.
func globalHooks(getenv func(string) string, home string) []string {
	var out []string
	for _, scope := range []string{"--global", "--system"} {
		p := runGit(getenv, "config", scope, "--includes", "--get", "core.hooksPath")
		switch {
		case p == "":
			continue
		case p == "~" || strings.HasPrefix(p, "~/"):
			if home == "" {
				continue
			}
			p = filepath.Join(home, strings.TrimPrefix(p[1:], "/"))
		case !filepath.IsAbs(p):
			continue
		}
		out = append(out, huskyParent(filepath.Clean(p))...)
	}
	return out
}

// huskyParent is the hooks directory p and, for husky's `_`, the
// directory above, whose scripts its hooks run.
func huskyParent(p string) []string {
	if filepath.Base(p) == "_" {
		return []string{p, filepath.Dir(p)}
	}
	return []string{p}
}

// stateContent reports whether p is a regular file that holds a Terraform
// state whatever its name (shell.Options.IsState): JSON whose first
// kilobyte names a "lineage" and a "serial", as every state version and
// OpenTofu's encrypted states do. The backend record terraform init keeps
// in .terraform/terraform.tfstate is no state (rm -rf .terraform passes).
func stateContent(p string) bool {
	if strings.EqualFold(filepath.Base(p), "terraform.tfstate") && filepath.Base(filepath.Dir(p)) == ".terraform" {
		return false
	}
	fh, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() < 20 {
		return false
	}
	b := make([]byte, 1024)
	n, _ := io.ReadFull(fh, b)
	head := strings.TrimLeft(string(b[:n]), " \t\r\n\ufeff")
	return strings.HasPrefix(head, "{") && strings.Contains(head, `"lineage"`) && strings.Contains(head, `"serial"`)
}

// globNow is the paths an absolute pattern matches now
// (shell.Options.Glob); none for a pattern Go's matcher does not read.
func globNow(pattern string) []string {
	m, err := filepath.Glob(pattern)
	if err != nil {
		return nil
	}
	return m
}

// headState reports whether HEAD's commit in the git repository dir is in
// tracks a path where a Terraform state lies in the working tree, by its
// name or its content (shell.Options.HeadState): a git stash resets the
// tracked files to HEAD and brings that commit's file back over the state
// (a HEAD moved in an earlier call with git update-ref, symbolic-ref or
// replace: review hook155 H2). A repository git cannot list (no commit
// yet, git not where the hook looks) has no such path.
func headState(getenv func(string) string, dir string) bool {
	gitDir, ok := findGitDir(dir)
	if !ok {
		return true
	}
	if gitDir == "" {
		return false
	}
	top := runGit(getenv, "-C", dir, "rev-parse", "--show-toplevel")
	if top == "" {
		return true // a git directory git cannot read in time (or no git where the hook looks): it cannot tell
	}
	out, err := gitOutput(getenv, "-C", top, "ls-tree", "-r", "-z", "--name-only", "HEAD")
	if err != nil || len(out) > 16<<20 {
		// No commit yet lists nothing; a listing cut short or too long
		// cannot tell (review code157 M5).
		return runGit(getenv, "-C", top, "rev-parse", "--verify", "-q", "HEAD") != "" || err == nil
	}
	for _, name := range strings.Split(out, "\x00") {
		if name == "" {
			continue
		}
		p := filepath.Join(top, filepath.FromSlash(name))
		if shell.StateFile(name) {
			if _, err := os.Lstat(p); err == nil {
				return true
			}
			continue
		}
		if stateContent(p) {
			return true
		}
	}
	return false
}
