package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing/format/index"

	"github.com/planguard/terraform-provider-planguard/internal/shell"
)

// maxIndexSize bounds the git index stagedState reads.
const maxIndexSize = 64 << 20

// stagedState reports whether the git index of the repository dir is in
// names a Terraform state file (shell.Options.StagedState): git stash takes
// what is staged or tracked out of the working tree, a state among it
// (review hook98 H1). An index that cannot be read or decoded (a split
// index, an unknown extension, another hash) counts as naming one (fail
// closed); no repository, or one with no index, names none.
func stagedState(dir string) bool {
	gitDir, ok := findGitDir(dir)
	if !ok {
		return true
	}
	if gitDir == "" {
		return false
	}
	// Opened without blocking and checked on the open file (a FIFO would
	// block the hook, or give it other bytes than git).
	fh, err := os.OpenFile(filepath.Join(gitDir, "index"), os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if os.IsNotExist(err) {
		return false
	}
	if err != nil {
		return true
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxIndexSize {
		return true
	}
	var idx index.Index
	if err := index.NewDecoder(bufio.NewReader(io.LimitReader(fh, maxIndexSize))).Decode(&idx); err != nil {
		return true
	}
	for _, e := range idx.Entries {
		if shell.StateFile(e.Name) {
			return true
		}
	}
	return false
}

// findGitDir returns the git directory of the repository dir is in: the
// first .git upward (a directory, or a file `gitdir: PATH`, a worktree's
// or a submodule's), or "" when there is none; ok false when a .git is
// there but cannot be read.
func findGitDir(dir string) (gitDir string, ok bool) {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		p := filepath.Join(d, ".git")
		fi, err := os.Lstat(p)
		switch {
		case os.IsNotExist(err):
		case err != nil:
			return "", false
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return "", false
			}
			return gitdirFile(d, b)
		default:
			// A directory, or a link followed as git does.
			if st, err := os.Stat(p); err != nil || !st.IsDir() {
				return "", false
			}
			if gitDirValid(p) {
				return p, true
			}
			// git passes over a .git that is no git directory (an empty
			// one) and looks further up (review hook100 M2).
		}
		if d == filepath.Dir(d) {
			return "", true
		}
	}
}

// gitdirFile is the git directory a .git file in root names ("gitdir:
// PATH", relative to root), ok false when it names none.
func gitdirFile(root string, b []byte) (string, bool) {
	g, found := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
	if !found {
		return "", false
	}
	g = strings.TrimSpace(g)
	if !filepath.IsAbs(g) {
		g = filepath.Join(root, g)
	}
	return filepath.Clean(g), true
}

// gitDirValid reports whether a directory looks like a git directory to
// git (setup.c's is_git_directory): a HEAD, and objects and refs
// directories or a commondir file naming where they are.
func gitDirValid(p string) bool {
	exists := func(n string) bool {
		_, err := os.Stat(filepath.Join(p, n))
		return err == nil
	}
	return exists("HEAD") && (exists("objects") && exists("refs") || exists("commondir"))
}

// treeState reports whether the working tree of the git repository dir is
// in holds a Terraform state file, git-ignored or not, or cannot be
// searched (shell.Options.TreeState): a checkout of a commit tracking a
// file at its path, or at a directory above it, replaces or removes it.
// The work tree is the directory holding .git (a repository whose
// .git is a file or outside is searched from there too).
func treeState(dir string) bool {
	gitDir, ok := findGitDir(dir)
	if !ok {
		return true
	}
	if gitDir == "" {
		return false
	}
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return stateUnder(d) != ""
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// linkedWorktrees returns the paths of the linked worktrees of the git
// repository dir is in (shell.Options.Worktrees), as git's
// get_linked_worktree reads them: each worktrees/ID/gitdir of the common
// git directory names the worktree's .git file (a relative one from
// worktrees/ID). ok is false when a git directory is there but cannot be
// read.
func linkedWorktrees(dir string) ([]string, bool) {
	gitDir, ok := findGitDir(dir)
	if !ok {
		return nil, false
	}
	if gitDir == "" {
		return nil, true
	}
	common := gitDir
	switch b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); {
	case err == nil:
		c := strings.TrimSpace(string(b))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		common = filepath.Clean(c)
	case !os.IsNotExist(err):
		return nil, false
	}
	ents, err := os.ReadDir(filepath.Join(common, "worktrees"))
	if os.IsNotExist(err) {
		return nil, true
	}
	if err != nil {
		return nil, false
	}
	var out []string
	for _, e := range ents {
		id := filepath.Join(common, "worktrees", e.Name())
		b, err := os.ReadFile(filepath.Join(id, "gitdir"))
		if os.IsNotExist(err) {
			continue // git passes over it too
		}
		if err != nil {
			return nil, false
		}
		p := strings.TrimSpace(string(b))
		if !filepath.IsAbs(p) {
			p = filepath.Join(id, p)
		}
		p = filepath.Clean(p)
		if filepath.Base(p) == ".git" {
			p = filepath.Dir(p)
		}
		out = append(out, filepath.ToSlash(p))
	}
	return out, true
}
