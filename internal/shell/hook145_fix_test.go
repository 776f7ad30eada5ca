package shell

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Review hook145 (on 9c3516e): tar --remove-files, zip -m and 7z -sdel
// deleting names they read from standard input or a list file (H1); tar
// --remove-files with its names relative to a -C/--directory in any
// spelling (H2); git worktree remove/move finding the worktree by the end
// of its path (H3: TestHook145Worktree, and planguard's
// TestHook145WorktreeSuffix); a symbolic link carried to another depth,
// where it leads to the policy, and a recursive copy (an extraction, rsync
// -K) into the directory holding it writing through it (H4).
var h145Refused = []h32Case{
	// H1: names from standard input, a list file, a substitution.
	{cmd: "echo terraform.tfstate | tar -cf ROOT/o.tar -T - --remove-files", victim: "statefile"},
	{cmd: "echo ../planguard.hcl | tar -cf ROOT/o.tar -T - --remove-files"},
	{cmd: "echo .claude/settings.json | tar -cf ROOT/o.tar -T - --remove-files"},
	{cmd: "echo /home/agent/.bashrc | tar -cf ROOT/o.tar -T - --remove-files"},
	{cmd: "echo .git/hooks | tar -cf ROOT/o.tar -T - --remove-files"},
	{cmd: "tar -cf ROOT/o.tar -T <(echo terraform.tfstate) --remove-files", victim: "statefile"},
	{cmd: "tar --remove-files -cf ROOT/o.tar -T /dev/stdin <<< terraform.tfstate", victim: "statefile"},
	{cmd: "echo terraform.tfstate > list; tar --create --file=ROOT/o.tar --remove-files --files-from=list", victim: "statefile"},
	{cmd: "tar --create --file=ROOT/o.tar --remove-files --files-from list", setup: "echo terraform.tfstate > list", victim: "statefile"},
	{cmd: "printf 'terraform.tfstate\\0' > l0; tar -cf ROOT/o.tar --null -T l0 --remove-files", victim: "statefile"},
	{cmd: "echo terraform.tfstate | tar --rem -cf ROOT/o.tar --files-f=-", victim: "statefile"},
	{cmd: "echo terraform.tfstate | tar -cT - -f ROOT/o.tar --remove-files", victim: "statefile"},
	{cmd: "echo terraform.tfstate | tar cfT ROOT/o.tar - --remove-files", victim: "statefile"},
	{cmd: "echo terraform.tfstate | zip -qm ROOT/o.zip -@", needs: "zip", victim: "statefile"},
	{cmd: "zip -qm ROOT/o.zip -@ < list", setup: "echo terraform.tfstate > list", needs: "zip", victim: "statefile"},
	{cmd: "echo terraform.tfstate | zip -qm --names-stdin ROOT/o.zip", needs: "zip", victim: "statefile"},
	{cmd: "echo terraform.tfstate | zip -q --move --names-s ROOT/o.zip", needs: "zip", victim: "statefile"},
	{cmd: "echo terraform.tfstate | zip -qm@ ROOT/o.zip", needs: "zip", victim: "statefile"},
	{cmd: "echo ../planguard.hcl | zip -m ROOT/o.zip -@"},
	{cmd: "7z a -sdel ROOT/o.7z @list"},
	{cmd: "7z a -sdel ROOT/o.7z -i@list"},
	{cmd: "7z a -sdel ROOT/o.7z ."},
	// H2: the names relative to the -C directories, composed in order.
	{cmd: "tar -C.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "tar --directory=.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "tar --dir=.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "t=$(mktemp -d); tar -C \"$t\" -C.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "t=$(mktemp -d); tar -C \"$t\" --directory=.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "tar --direc=.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "tar -C.. --remove-files -cf ROOT/o.tar tf", victim: "statefile"},
	{cmd: "tar --directory=.. --remove-files -cf ROOT/o.tar tf", victim: "statefile"},
	{cmd: "tar -cC.. --remove-files -f ROOT/o.tar tf", victim: "statefile"},
	// H4: a link carried to another depth, then a copy into its directory.
	{cmd: "mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p && mv a/b/c c && cp -r ROOT/ev/. c/", setup: "mkdir -p ../ev && cp ../e.json ../ev/p", victim: "policy"},
	{cmd: "mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p && mv a/b/c c && cp -a ROOT/ev/. c/", setup: "mkdir -p ../ev && cp ../e.json ../ev/p", victim: "policy"},
	{cmd: "mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p && mv a/b/c c && cp -RP ROOT/ev/. c", setup: "mkdir -p ../ev && cp ../e.json ../ev/p", victim: "policy"},
	{cmd: "mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p && mv a/b/c c && cp ROOT/ev/[p] c/", setup: "mkdir -p ../ev && cp ../e.json ../ev/p", victim: "policy"},
	{cmd: "mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p && mv -t . a/b/c && cp -r ROOT/ev/. c/", setup: "mkdir -p ../ev && cp ../e.json ../ev/p", victim: "policy"},
	{cmd: "mkdir -p a/b/c && ln -s ../../allowed_signers a/b/c/l && mv a/b/c c && cp -r ROOT/ev/. c/"},
	{cmd: "mkdir -p a/b/c/d && ln -s ../../../planguard.hcl a/b/c/d/p && mv a/b/c c && cp -r ROOT/ev/. c/"},
	// A link to a directory (from x, ../../tf is the working directory,
	// where the state is): an extraction and rsync -K write through it.
	{cmd: "mkdir -p a/b/x && ln -s ../../tf a/b/x/up && mv a/b/x x && tar -xf ROOT/ev.tar -C x",
		setup: "mkdir -p ../evt/up && cp ../e.json ../evt/up/terraform.tfstate && tar -cf ../ev.tar -C ../evt up/terraform.tfstate", victim: "statefile"},
	{cmd: "mkdir -p a/b/x && ln -s ../../tf a/b/x/up && mv a/b/x x && unzip -oq ROOT/ev.zip -d x",
		setup: "mkdir -p ../evt/up && cp ../e.json ../evt/up/terraform.tfstate && (cd ../evt && zip -q ../ev.zip up/terraform.tfstate)", needs: "zip unzip", victim: "statefile"},
	{cmd: "mkdir -p a/b/x && ln -s ../../tf a/b/x/up && mv a/b/x x && rsync -rK ROOT/evt/ x/",
		setup: "mkdir -p ../evt/up && cp ../e.json ../evt/up/terraform.tfstate", needs: "rsync", victim: "statefile"},
}

// h145Variants were refused before too (the value of a separate -C word
// is judged as an operand: `..` holds the policy; an attached value with
// `..` after a name; a computed one; the name of a state file; a glob that
// may copy a state file's name), kept with the spellings above.
var h145Variants = []h32Case{
	{cmd: "7z a -sdel ROOT/o.7z -r '*.tfstate'"},
	{cmd: "tar -C ROOT --remove-files -cf ROOT/o.tar tf", victim: "statefile"},
	{cmd: "tar -C ROOT/tf --remove-files -cf ROOT/o.tar terraform.tfstate", victim: "statefile"},
	{cmd: "tar --remove-files -cf ROOT/o.tar -C ROOT tf/main.tf tf", victim: "statefile"},
	{cmd: "mkdir -p sub; tar -C sub -C ../.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "tar -Csub -C../.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "t=$(mktemp -d); tar -C \"$t\" -C../.. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "d=$(cat dirname.txt); tar -C \"$d\" --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p && mv a/b/c c && cp ROOT/ev/p* c/", setup: "mkdir -p ../ev && cp ../e.json ../ev/p", victim: "policy"},
	{cmd: "mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p && mv a/b/c c && cp ROOT/ev/* c/", setup: "mkdir -p ../ev && cp ../e.json ../ev/p", victim: "policy"},
	{cmd: "tar --directory .. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "tar -C .. --remove-files -cf ROOT/o.tar allowed_signers"},
	{cmd: "tar cfC ROOT/o.tar .. --remove-files allowed_signers"},
	{cmd: "mkdir -p a/b/c && ln -s ../../planguard.hcl a/b/c/p && mv a/b/c c && echo x > c/p"},
}

var h145Allowed = []string{
	"tar -czf out.tgz src",
	"tar -xzf x.tgz -C build",
	"tar -czf out.tgz --remove-files src",
	"tar -C build --remove-files -czf out.tgz dist",
	"tar --directory=build -czf out.tgz .",
	"find . -name '*.txt' | tar -cf out.tar -T -",
	"tar -cf out.tar --files-from=list",
	"t=$(mktemp -d); tar -C \"$t\" --remove-files -cf out.tar data",
	"zip -r out.zip src",
	"zip -m out.zip notes.txt",
	"echo a.txt | zip x.zip -@",
	"ls | zip -@ out.zip",
	"zip -r out.zip src -i@include.lst",
	"7z a out.7z src",
	"7z a out.7z @list",
	"7z a -sdel out.7z build.log",
	"cp -r src/. build/",
	"cp -r src build",
	"cp -rn src/. build/",
	"cp src/*.txt build/",
	"rsync -a src/ build/",
	"rsync -rK src/ build/",
	"mkdir -p a/b/c && mv a/b/c c && cp -r src/. c/",
	"mkdir -p a/b/c && ln -s ../x a/b/c/p && mv a/b/c a/b/d && cp -r src/. a/b/d/",
	"git worktree list",
	"git worktree prune",
	"git worktree add ../wt",
}

func TestHook145Refused(t *testing.T) {
	hookRefused(t, h145Refused)
	hookRefused(t, h145Variants)
}

func TestHook145Allowed(t *testing.T) {
	hookAllowed(t, h145Allowed)
}

// TestHook145BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): the state file gone, or the policy overwritten.
func TestHook145BashRuns(t *testing.T) {
	hookBashRuns(t, append(append([]h32Case{}, h145Refused...), h145Variants...), bashRuns{line: h37Line})
}

// h145LinksUnder lists the symbolic links under a directory as the hook
// does (planguard's linksUnder).
func h145LinksUnder(dir string) ([][2]string, bool) {
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		return nil, true
	}
	var links [][2]string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if t, err := os.Readlink(p); err == nil {
				rel, _ := filepath.Rel(dir, p)
				links = append(links, [2]string{filepath.ToSlash(rel), t})
			}
		}
		return nil
	})
	return links, err == nil
}

// TestHook145LinkOnDisk: the three calls of H4 one by one, the link on
// disk between them (Options.LinksUnder). The move of the directory that
// carries it where it leads to the policy is refused; so is the copy into
// a directory holding such a link, made some other way (here by the test),
// which bash then shows writing the policy.
func TestHook145LinkOnDisk(t *testing.T) {
	root := t.TempDir()
	h32Write(t, filepath.Join(root, "planguard.hcl"), "policy\n")
	h32Write(t, filepath.Join(root, "ev", "p"), "evil\n")
	tf := filepath.Join(root, "tf")
	if err := os.MkdirAll(filepath.Join(tf, "a", "b", "c"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../planguard.hcl", filepath.Join(tf, "a", "b", "c", "p")); err != nil {
		t.Fatal(err)
	}
	opts := h32Opts(root)
	opts.LinksUnder = h145LinksUnder
	opts.Readlink = func(p string) (string, bool) {
		s, err := os.Readlink(p)
		return s, err == nil
	}
	judge := func(line string, allowed bool) {
		t.Helper()
		if r := Analyze(line, opts); r.Allowed() != allowed {
			t.Errorf("%q: allowed %v, want %v\n%q", line, r.Allowed(), allowed, r.Refused)
		}
	}
	judge("mv a/b/c c", false)
	judge("mv a/b/c a/b/d", true) // the same depth: the link leads where it did
	judge("cp -a a/b/c c", false)
	judge("cp -r "+root+"/ev/. a/b/c/", true) // a/b/c/p leads to a/planguard.hcl, nothing
	// The link at the place where it leads to the policy, made earlier.
	if err := os.MkdirAll(filepath.Join(tf, "c"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../planguard.hcl", filepath.Join(tf, "c", "p")); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"cp -r " + root + "/ev/. c/", "cp -R " + root + "/ev/. c", "cp -a " + root + "/ev/. c/",
		"cp " + root + "/ev/* c/", "cp -r " + root + "/ev/. .", "cp -rt c " + root + "/ev/."} {
		judge(line, false)
	}
	judge("cp -rn "+root+"/ev/. c/", true)
	judge("cp -r --remove-destination "+root+"/ev/. c/", true)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command(bash, "-c", "cp -r "+root+"/ev/. c/")
	cmd.Dir = tf
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "planguard.hcl")); string(b) != "evil\n" {
		t.Fatal("cp -r did not write through the link: the spelling is no attack")
	}
}

// TestHook145Worktree: git worktree remove/move NAME judged for every
// linked worktree whose path ends in NAME (Options.Worktrees).
func TestHook145Worktree(t *testing.T) {
	root := t.TempDir()
	h32Write(t, filepath.Join(root, "planguard.hcl"), "policy\n")
	h32Write(t, filepath.Join(root, "repo-wt", "infra", "terraform.tfstate"), "{}\n")
	h32Write(t, filepath.Join(root, "other-wt", "README"), "x\n")
	if err := os.MkdirAll(filepath.Join(root, "repo", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	opts := h32Opts(root)
	opts.Cwd = filepath.Join(root, "repo")
	readable := true
	opts.Worktrees = func(string) ([]string, bool) {
		return []string{filepath.Join(root, "repo-wt"), filepath.Join(root, "other-wt")}, readable
	}
	judge := func(line string, allowed bool) {
		t.Helper()
		if r := Analyze(line, opts); r.Allowed() != allowed {
			t.Errorf("%q: allowed %v, want %v\n%q", line, r.Allowed(), allowed, r.Refused)
		}
	}
	for _, line := range []string{"git worktree remove repo-wt", "git worktree remove --force repo-wt", "git worktree remove -f -f repo-wt",
		"git worktree move repo-wt /tmp/h145moved", "cd sub && git worktree remove repo-wt", "git -C sub worktree remove repo-wt",
		"git --git-dir=.git worktree remove other-wt", "d=$(pwd); git -C \"$d\" worktree remove other-wt"} {
		judge(line, false)
	}
	for _, line := range []string{"git worktree list", "git worktree prune", "git worktree remove other-wt", "git worktree move other-wt ../moved",
		"git worktree remove " + filepath.Join(root, "other-wt"), "git worktree lock repo-wt"} {
		judge(line, true)
	}
	readable = false
	judge("git worktree remove other-wt", false)
}
