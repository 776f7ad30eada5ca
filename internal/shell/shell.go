// Package shell decides what a shell command line would run, for the agent
// hook: it parses the line with a real shell parser (mvdan.cc/sh/v3/syntax),
// finds every simple command wherever it stands (lists, pipes, subshells,
// command substitutions, bodies of if/for/while/functions, here-documents
// fed to a shell, `bash -c` and `eval` strings), sees through wrappers that
// run their arguments (env, sudo, xargs, find -exec, …) and refuses the ones
// that can change infrastructure or state, sign approvals, or write the
// files that hold the gate's trust.
//
// The package does no I/O: the caller passes the working directory and the
// protected files, and runs the gate itself on the saved plans that Analyze
// reports as allowed only if the gate allows them.
package shell

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/planguard/terraform-provider-planguard/internal/nesting"
)

// Options are the facts Analyze needs about where the command runs.
type Options struct {
	// Cwd is the absolute directory the command runs in; relative paths in
	// the command resolve against it.
	Cwd string
	// Home is the user's home directory, for `~`.
	Home string
	// Protected are absolute, clean paths of files the command must not
	// write (the policy, its allowed_signers, the agent's hook settings).
	Protected []string
	// States are the Protected files that are Terraform states named
	// otherwise than *.tfstate (a local backend's path = "state/prod.json"):
	// refused with the state's reason.
	States []string
	// IsState reports whether an absolute path is a Terraform state by
	// its content, whatever its name (nil: by name only).
	IsState func(string) bool
	// HeadState reports whether HEAD's commit in the repository a
	// directory is in tracks a path where a Terraform state lies in the
	// working tree (nil: not asked).
	HeadState func(string) bool
	// Glob returns the paths an absolute pattern (Go's path.Match syntax)
	// matches now (nil: globs are judged by their text only).
	Glob func(string) []string
	// ProtectedDirs are absolute, clean directories no file of which the
	// command may write (git hooks, the agents' settings directories).
	ProtectedDirs []string
	// CodeDirs are absolute, clean directories of the programs' own code
	// (/usr, /opt… but a project inside them): a write there is refused,
	// a cd into them and a path an unknown program is given there
	// (gcc -I/usr/include, --prefix=/usr/local) pass.
	CodeDirs []string
	// Policy is the absolute path of the policy the hook enforces: a
	// `planguard apply` in the command must use this one.
	Policy string
	// PolicyAliases are other absolute, clean paths of the same policy the
	// caller resolved (its real path after symlinks it trusts).
	PolicyAliases []string
	// Planguard lists the program names, as a command would spell them,
	// that run the planguard the hook vouches for (absolute paths of the
	// hook's own executable). `planguard apply` run by any other name (a
	// ./planguard the agent built, planguard found on PATH) is refused.
	Planguard []string
	// Resolve, when set, returns where an absolute path leads through the
	// symbolic links that exist now (of the path, or of its deepest
	// existing directory), so that a write through a link made earlier is
	// judged by the file it reaches. The hook passes one; tests may not.
	Resolve func(abs string) string
	// UserHome, when set, returns the home directory of the user a
	// `~NAME` names (from the password database, as bash reads it), or ""
	// when there is no such user. Without it, or for an unknown user, a
	// `~NAME` path is read as computed at run time.
	UserHome func(name string) string
	// HistFile is the HISTFILE the command's shell inherits ("" when it
	// is unset): `history -w` and `history -a` without a file write the
	// history list there, unless the line assigns HISTFILE (judged where
	// it is assigned). Unset, bash writes $HOME/.history (a non-interactive
	// shell) or $HOME/.bash_history (an interactive one), judged too.
	HistFile string
	// IsDir, when set, reports whether an absolute path is a directory
	// now (after symbolic links): a copy's sources land in it under
	// their own names (cp x/terraform.tfstate envs/prod).
	IsDir func(abs string) bool
	// HardLinked, when set, reports whether an absolute path is an
	// existing regular file with more than one hard link (review hook34
	// F11): another name of it may be a protected or state file, which a
	// write through this name rewrites; such writes are refused.
	HardLinked func(abs string) bool
	// StateUnder, when set, returns a Terraform state file in the
	// directory an absolute path names, at any depth, or "" (a file, no
	// directory, none found): removing or overwriting that directory
	// (rm -r envs/prod, tar -x -C, cp -r src/. DIR) changes the state.
	StateUnder func(abs string) string
	// GitDir, when set, reports whether an absolute directory is a git
	// directory now (a bare repository's): a file named config written
	// there is git's configuration (gitconfig.go).
	GitDir func(dir string) bool
	// Shell is the SHELL the agent's commands inherit: programs that run
	// command text with $SHELL (flock -c, sudo -s) are refused when it is
	// not bash or sh, whose grammar the hook reads (review hook75 H1).
	Shell string
	// InitMigrates, when set, reports whether terraform init in an
	// absolute directory may move its local state: the directory holds a
	// non-empty local state and its configuration declares a backend or
	// cloud block (or cannot be read). init then "migrates" a state it
	// takes for equal without asking and empties the local file (review
	// hook74 H1, hook76 H1, H2).
	InitMigrates func(dir string) bool
	// LocalState, when set, reports whether an absolute directory holds
	// a non-empty local Terraform state: init there must be the line's
	// only command (but cd), since a write anywhere in the line may run
	// before it, whatever the order of the text (review hook78 H1).
	LocalState func(dir string) bool
	// Readlink, when set, returns the target of an absolute path that is
	// a symbolic link now, as written in the link: an mv of it to another
	// directory makes a relative target lead elsewhere (review hook103 H1).
	Readlink func(abs string) (string, bool)
	// LinksUnder, when set, returns the symbolic links under an absolute
	// directory (their paths relative to it, and their targets as
	// written), ok false when there are more than it reads: an mv or cp of
	// the directory moves them, and a relative target leads elsewhere
	// (review hook106 H1).
	LinksUnder func(dir string) (links [][2]string, ok bool)
	// Worktrees, when set, returns the paths of the linked worktrees of
	// the git repository an absolute directory is in (its git directory's
	// worktrees/*/gitdir), ok false when they cannot be read: git worktree
	// remove and move find the worktree they are given by the end of its
	// path first, wherever it lies (review hook145 H3).
	Worktrees func(dir string) (paths []string, ok bool)
	// StagedState, when set, reports whether the git index of the
	// repository an absolute directory is in names a Terraform state file
	// (or cannot be read): git stash then takes the state out of the
	// working tree (review hook98 H1).
	StagedState func(dir string) bool
	// TreeState, when set, reports whether the working tree of the git
	// repository an absolute directory is in holds a Terraform state file
	// (ignored or untracked, or cannot be searched): a checkout of a
	// commit that tracks a file at its path, or at a directory above it,
	// replaces or removes it (review hook121 H1, H2).
	TreeState func(dir string) bool
	// Reparse, when set, returns bash's own reading of a command line
	// (package bashread: bash --pretty-print, which runs nothing). The
	// line is judged on that text as well, and refused when bash cannot
	// read it: a line the hook's parser reads otherwise than bash is then
	// judged on bash's reading too.
	Reparse func(line string) (string, error)
	// bashText: the line is bash's reading already (not read again; the
	// scripts inside it are).
	bashText bool
	// freshNames: variables that name a file or directory mktemp made, for
	// bash's reading of a script the line's own shell runs (a trap's).
	freshNames []string
	// bashReads counts the texts read by Reparse for one line, over the
	// fresh analyses of bash's readings too (shared).
	bashReads *int
	// posix: the line is read with the POSIX grammar (a script sh runs).
	posix bool
	// unrolled: the line is one with a loop unrolled (unroll.go).
	unrolled bool
}

// PlanApply is a `terraform apply PLANFILE` (or tofu) that may run only if
// the gate allows that saved plan now.
type PlanApply struct {
	Tool  string // "terraform" or "tofu"
	Chdir string // the -chdir directory as written ("" when absent)
	Plan  string // the plan file as written, relative to Chdir (then Cwd)
}

// Result is what a command line would do, as far as the hook cares.
type Result struct {
	// Refused lists, for each refused call, what it is and why. Empty means
	// nothing in the line is refused (Applies may still need the gate).
	Refused []string
	// Applies are saved-plan applies allowed only when the gate allows
	// their plan; the caller must run the gate on each.
	Applies []PlanApply
}

// Allowed reports whether nothing was refused.
func (r Result) Allowed() bool { return len(r.Refused) == 0 }

// MaxCommand is the longest command line Analyze reads; longer ones are
// refused, so that the analysis stays well inside the agents' hook timeouts.
const MaxCommand = 256 << 10

// maxBraces bounds the brace groups in one word the hook expands.
const maxBraces = 8

// maxBraceWords bounds the words the hook makes of one word's braces.
const maxBraceWords = 1024

// maxDepth bounds the nesting of `bash -c`, eval, aliases and here-docs.
const maxDepth = 8

// Analyze parses command as bash and judges every command it would run.
// A line that does not parse is refused.
func Analyze(command string, opts Options) Result {
	a := analyze(command, opts)
	if !a.res.Allowed() {
		if r, ok := unrolledResult(command, opts, a.unknownEnv); ok {
			return r // unroll.go
		}
	}
	return a.res
}

// analyze is Analyze's judgement, with what it learnt of the line.
func analyze(command string, opts Options) *analyzer {
	a := &analyzer{opts: opts, vars: map[string]string{}, aliases: map[string]string{}, staticLoop: map[string]bool{},
		numeric: map[string]bool{}, tainted: map[string]bool{}, redefined: map[string]bool{}, intVal: map[string]bool{},
		freshVars: map[string]bool{}, topAssign: map[*syntax.Assign]bool{}}
	if opts.Cwd != "" {
		a.vars["PWD"] = opts.Cwd // until the line changes directory (prepass)
	}
	for _, n := range opts.freshNames {
		a.freshVars[n] = true
	}
	if opts.Home != "" {
		// $HOME is ~; the line cannot set HOME (refused). ${HOME:0:0} is
		// then computed by the line, not taken from the environment
		// (review hook44 L1).
		a.vars["HOME"] = opts.Home
	}
	if strings.ContainsRune(command, 0) {
		// A shell stops reading a command string at a NUL; the parser does not.
		a.refuse("the command contains a NUL byte, where a shell and the hook's parser would read different commands")
		return a
	}
	if len(command) > MaxCommand {
		// Bounded work: an agent's hook gives up after a timeout, and some
		// agents then let the call through.
		a.refuse("the command is %d bytes, more than the %d the hook checks: write files with the agent's file tool and run shorter commands", len(command), MaxCommand)
		return a
	}
	if opts.Reparse != nil && opts.bashReads == nil {
		a.opts.bashReads = new(int)
	}
	a.line = command
	if a.shellNotBash() && shellVarUse.MatchString(command) {
		a.refuse("the agent's SHELL is %s, and the line runs or passes $SHELL, whose grammar the hook does not read (it reads bash): name the shell (bash -c '…')", opts.Shell)
	}
	a.script(command, 0)
	a.judgeArith()
	a.finishDeferred()
	a.finish()
	a.finishGit() // gitconfig.go
	if opts.Reparse != nil && !opts.bashText && a.res.Allowed() {
		a.asBashReadsIt(command)
	}
	return a
}

// posixReading judges a script a POSIX shell runs as that shell reads
// it, apart (a fresh analysis, like nestedAsBash): one the POSIX grammar
// does not parse is refused, since the shell runs the commands before the
// point it stops at.
func (a *analyzer) posixReading(src string) {
	if !a.res.Allowed() {
		return
	}
	if _, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(src), ""); err != nil {
		a.refuse("a POSIX shell (sh, dash, ash, ksh) runs the script `%s`, and reads it otherwise than bash: its grammar does not parse it (%v); run it with bash -c, or write it in POSIX sh", clipText(src), err)
		return
	}
	o := a.opts
	o.posix, o.bashText = true, true
	r := Analyze(src, o)
	for _, why := range r.Refused {
		a.refuse("a POSIX shell (sh, dash…) reads the script `%s` otherwise than bash, and there %s", clipText(src), why)
	}
}

// maxBashReads bounds the scripts one line asks bash to read.
const maxBashReads = 64

// nestedAsBash judges bash's reading of a script inside the line on its
// own, in a fresh analysis: the script's reading by the hook's parser was
// judged in the line's context already; this one catches a script bash
// reads otherwise than that parser.
func (a *analyzer) nestedAsBash(src string) {
	if !a.res.Allowed() {
		return
	}
	*a.opts.bashReads++
	if *a.opts.bashReads > maxBashReads {
		a.refuse("the line holds more than %d scripts (bash -c, eval, here-documents into a shell), more than the hook asks bash to read: split it", maxBashReads)
		return
	}
	text, err := a.opts.Reparse(src)
	if err != nil {
		a.refuse("the hook also asks bash how it reads the script `%s`, and bash's reading failed (%v): write it so that bash parses it", clipText(src), err)
		return
	}
	o := a.opts
	o.bashText, o.freshNames = true, nil
	if a.sameShellDepth != 0 && a.curDepth == a.sameShellDepth && !a.tmpdirSet {
		// trap 'rm -rf "$tmp"' EXIT: the line's shell runs it, where a
		// mktemp directory's variable still names it (review hook87).
		for n := range a.freshVars {
			o.freshNames = append(o.freshNames, n)
		}
	}
	r := Analyze(text, o)
	for _, why := range r.Refused {
		a.refuse("bash reads the script `%s` as `%s`, and there %s", clipText(src), clipText(text), why)
	}
}

func clipText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// asBashReadsIt judges bash's own printing of the line (Options.Reparse):
// every command there is judged as the line's own are, and a saved-plan
// apply must be the same in both readings.
func (a *analyzer) asBashReadsIt(command string) {
	text, err := a.opts.Reparse(command)
	if err != nil {
		a.refuse("the hook also asks bash how it reads the line, and bash's reading failed (%v): write the line so that bash parses it", err)
		return
	}
	o := a.opts
	o.bashText = true
	r := Analyze(text, o)
	shown := clipText(text)
	for _, why := range r.Refused {
		a.refuse("bash reads the line as `%s`, and there %s", shown, why)
	}
	if r.Allowed() && !sameApplies(a.res.Applies, r.Applies) {
		a.refuse("bash reads the line as `%s`, which applies another saved plan than the hook read", shown)
	}
}

func sameApplies(x, y []PlanApply) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

type kind int

const (
	kindOther   kind = iota
	kindBenign       // prints or checks only: echo, planguard check, terraform show…
	kindApply        // terraform apply PLANFILE
	kindPGApply      // planguard apply
	kindWrapper      // runs the commands judged inside it (bash -c, eval): not counted itself
)

type analyzer struct {
	opts      Options
	userHomes map[string]string // UserHome answers, by name
	res       Result
	vars      map[string]string // variables assigned a static value in the line
	unknown   map[string]bool
	aliases   map[string]string
	kinds     []kind
	// fed holds the calls whose standard input is a pipe, a file or a
	// here-document (theirs or an enclosing statement's).
	fed map[*syntax.CallExpr]bool
	// outer is the context of the call whose script is being judged
	// (its directory, per-input runner and standard input).
	outer call
	// cdComputed: a cd, pushd or popd in the line goes to a directory
	// the hook does not know (a variable, a glob, OLDPWD, the stack).
	cdComputed bool
	// cdTargets are the literal directories the line's cd/pushd enter;
	// wrote: the line has written a file before the call judged now.
	cdTargets []string
	// lineLinks are the symbolic links the line's ln -s makes, or mv
	// moves, followed by paths (writes.go).
	lineLinks []lineLink
	wrote     bool
	// calls counts the commands of the line and the scripts in it, cd,
	// pushd and popd aside (initBackend).
	calls int
	// histNext: the shell stdinScript judges next is interactive (-i),
	// and expands history in the script it reads.
	histNext bool
	// line is the command line judged (placeholderFill's words).
	line string
	// tmpdirSet: the line names TMPDIR (mktemp's directory).
	tmpdirSet bool
	// posixNext: the next script judged is run by a POSIX shell.
	posixNext bool
	applies   int // saved-plan applies allowed so far (terraform apply PLAN, planguard apply)
	// execStdin: an `exec` in the line redirects the shell's own standard
	// input (exec <<<'…'), which every later command then reads.
	execStdin bool
	// staticLoop: loop variables whose values the line spells out.
	staticLoop map[string]bool
	// deferred: the code being judged may run again, or later, after
	// assignments the walk reaches only after it (a loop, a function
	// body, a trap); deferredUses are the variables whose static value
	// such code was judged with, and where (finishDeferred).
	deferred     bool
	deferredUses map[string]string
	deferredNums map[string]bool // read as numbers there (computed.go)
	// lineNames: the names the line's text may set (setInLine);
	// deferredUnset: names deferred code read as the environment's though
	// the text does not spell them whole (X""Y), which the walk may find
	// set later all the same (finishDeferred).
	lineNames     map[string]bool
	deferredUnset map[string]bool
	// sameShellDepth: the depth of a script the line's own shell runs
	// (a trap's code), where its variables keep their values.
	sameShellDepth int
	// prefixSet: names a command's prefix assignment gives another value
	// (p=terraform f runs the function f with it): deferred.go.
	prefixSet map[string]bool
	// numVars: variables the line assigns once, a number only (or
	// nothing): x=$(nproc), computed.go.
	numVars map[string]bool
	// numeric: variables assigned a count (numericSubst); tainted: those
	// assigned anything else the line computes too. redefined: functions
	// and aliases the line defines.
	numeric, tainted, redefined map[string]bool
	// arithUses: the names bash evaluates as arithmetic (judgeArith);
	// arithStack: the nodes from the script's root to the one the
	// arithmetic walk stands on; arithDefs: names a for (( … )) header
	// assigned for the expression being judged. intVal: variables
	// assigned $(( … )), a number.
	arithUses  []arithUse
	arithStack []syntax.Node
	arithDefs  []string
	intVal     map[string]bool
	// unknownEnv: the line sets environment variables whose names it
	// computes (export $X, env "$X" cmd), which may be TF_CLI_ARGS.
	unknownEnv bool
	// condSpans, condSpan: the line's conditional code, and the span of
	// the first assignment of a name made there (conditional.go).
	condSpans [][2]syntax.Pos
	condSpan  map[string][2]syntax.Pos
	// makeVar is a variable the line sets whose value make would expand
	// as Makefile text ($(shell …), backquotes, computed), or MAKEFILES:
	// make imports the environment as variables (review hook34 F4).
	makeVar string
	// makeLine is the first make the line runs (make, cmake --build).
	makeLine string
	// arrays are names the line makes arrays (x=(…), x[i]=…, declare -a x):
	// a declaration of one re-parses a value starting with "(" (attrs.go).
	arrays map[string]bool
	// scalarDecls are the declarations of names not (yet) arrays whose
	// value bash would parse as an array assignment in one: refused when
	// the line makes the name an array after all (markArray).
	scalarDecls map[string]string
	// bareAssign: the assignments of a statement without a command, which
	// reach make only for a name the environment already exports.
	bareAssign bool
	// cwdUnknown: the line changes directory (cd, pushd), so relative
	// paths may name the protected files from elsewhere.
	cwdUnknown bool
	// sourced: the line has sourced a file the hook does not read
	// (builtins.go source). From there to the end of the line no
	// variable has a static value: any later command may be a function
	// of that file that assigns any variable (review hook139 H2), and a
	// readonly or nameref attribute it set makes a later assignment fail
	// or go elsewhere (H3).
	sourced bool
	// dotglob: the line may make a glob match names with a leading dot
	// (shopt -s dotglob, GLOBIGNORE, BASHOPTS in the environment).
	dotglob bool
	// looseGlob: a glob is an argument of a program the hook does not
	// place (looseArgs), not of a known writer.
	looseGlob bool
	// rmGlob: the glob is an operand of rm (1; 2 when rm is recursive),
	// whose literal last component alone names what it removes
	// (globState).
	rmGlob int
	// stmtCtx maps a call to its statement and, when it is the right side
	// of a pipe, the statement feeding it.
	expCfg   *expand.Config
	stmts    map[*syntax.CallExpr]*syntax.Stmt
	pipeFrom map[*syntax.Stmt]*syntax.Stmt
	// curDepth is the nesting of the script being walked (0: the line).
	curDepth int
	// wrapped counts the calls judged behind unknown programs (wrappers.go).
	wrapped int
	// freshVars: names a top-level `t=$(mktemp)` assigned (writes.go).
	freshVars map[string]bool
	topAssign map[*syntax.Assign]bool
	// unsets counts the unset calls (builtins.go): allowed only alone.
	unsets int
	// envTouched are the variables a program's options set or unset for
	// what it runs (env NAME=V, env -u NAME, strace -E NAME[=V]…);
	// pgApply is a planguard apply the line allows (finish: the two
	// together are refused, in whatever order they stand).
	envTouched []string
	pgApply    string
	// pathRelied: output the hook read from a program looked up on PATH
	// (cat | bash, $(mktemp)), which a PATH set in the line may change.
	pathRelied []string
	// funcs: the bodies of the functions the line defines; fedFuncs: those
	// being judged as fed; lineWritten: files the line's redirections
	// write (specialvars.go).
	funcs       map[string][]*syntax.Stmt
	fedFuncs    map[string]bool
	lineWritten map[string]bool
	// runsGit: the line runs git; gitAliases: the aliases it defines
	// (-c alias.NAME=…) with their values; configWrites: files it
	// writes named like a git directory's configuration (gitconfig.go).
	runsGit      bool
	gitAliases   map[string][]tok
	configWrites []string
	headWrites   []string
	// gitCreates: the line runs git init or clone (a new git directory,
	// maybe bare); hooksWrites: paths it writes with a `hooks` component
	// (review hook17b F6).
	gitCreates  bool
	hooksWrites []string
	// gitAdded: what a git add of the line covers that holds a state or
	// protected file; gitStashed: the line runs git stash (review
	// hook98 H1: the two together take a state out of the work tree).
	gitAdded   string
	gitStashed bool

	// gitIndexMoved: a git command of the line that points HEAD or the
	// index at another commit and leaves the working tree as it is (git
	// reset REV, read-tree REV: review hook131 H8); a later stash or move
	// of the tree then writes that commit's files over the state.
	gitIndexMoved string
	// gitFed: the statement piped into the git command being judged.
	gitFed *syntax.Stmt
	// gitArgs, gitRepoArg: judging git's arguments, and one that names
	// its repository (writesLoose).
	gitArgs, gitRepoArg bool
	// envPrefix: judging the prefix assignments of a command (X=1 cmd),
	// which set the environment of that command alone.
	envPrefix bool
}

func (a *analyzer) refuse(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, r := range a.res.Refused {
		if r == msg {
			return // judged twice (an argument of an unknown program, then its own call)
		}
	}
	a.res.Refused = append(a.res.Refused, msg)
}

// moduleVars are the variables that add to an interpreter's module path
// or startup code for every program written in its language.
var moduleVars = []string{"PYTHONPATH", "PYTHONUSERBASE", "PYTHONSTARTUP", "PYTHONHOME", "PERL5LIB", "PERLLIB", "PERL5OPT",
	"RUBYLIB", "RUBYOPT", "NODE_PATH"}

// moduleVarLang names the language a moduleVars variable serves.
func moduleVarLang(n string) string {
	switch {
	case strings.HasPrefix(n, "PYTHON"):
		return "python"
	case strings.HasPrefix(n, "PERL"):
		return "perl"
	case strings.HasPrefix(n, "RUBY"):
		return "ruby"
	}
	return "node"
}

// finish applies the rule that a saved-plan apply runs on its own: any
// other command in the same line could change the directory, rewrite the
// plan file after the hook checked it, or change what the apply reads.
func (a *analyzer) finish() {
	// Applies are counted where they are judged: one behind find -exec or
	// xargs is not a command of the line's own.
	applies, others := a.applies, 0
	for _, k := range a.kinds {
		if k == kindOther {
			others++
		}
	}
	for _, n := range moduleVars {
		// PYTHONPATH=. pip --version after writing sitecustomize.py,
		// PERL5LIB=. cpan -v after writing a .pm: every python or perl
		// program loads modules from the path (review hook130 H1).
		if _, set := a.vars[n]; !set && !a.unknown[n] && !a.prefixSet[n] && !contains(a.envTouched, n) {
			continue
		}
		for w := range a.lineWritten {
			if w != "/dev/null" && !dataFile(w) {
				a.refuse("`%s` is set in a line that writes %s, which any %s program the line runs may load as code from that path: write it with the agent's file tool, and set %s in a call of its own", n, w, moduleVarLang(n), n)
				break
			}
		}
	}
	if a.pgApply != "" {
		for _, n := range a.envTouched {
			if pgApplyReads(n) {
				a.refuse("`%s`: %s, set or unset by an option in this line, changes what planguard or terraform reads: run planguard apply directly", a.pgApply, n)
				break
			}
		}
	}
	if applies > 0 && (others > 0 || applies > 1) {
		a.refuse("an apply of a saved plan must be the only command in the line (found %d other commands): run it on its own, e.g. `terraform apply tfplan`", others+applies-1)
	}
	if a.unsets > 0 && len(a.kinds) > a.unsets {
		a.refuse("`unset` empties a variable or removes a function the rest of the line uses, so later words mean something else than the hook read (\"$d\"../x is ../x once d is unset): run unset in a command line of its own")
	}
	if _, set := a.vars["PATH"]; len(a.pathRelied) > 0 && (set || a.unknown["PATH"] || a.unknownEnv) {
		var progs []string
		for _, p := range a.pathRelied {
			if !contains(progs, p) {
				progs = append(progs, p)
			}
		}
		a.refuse("the line sets PATH (or variables whose names it computes), so %s may run another program than the one whose output the hook read", strings.Join(progs, ", "))
	}
}

// script parses and walks one shell program.
func (a *analyzer) script(src string, depth int) {
	defer func(d int) { a.curDepth = d }(a.curDepth)
	a.curDepth = depth
	if depth > maxDepth {
		a.refuse("commands nested more than %d levels deep (bash -c, eval, here-documents) cannot be checked", maxDepth)
		return
	}
	// The parser reads nesting by recursion: 100000 parentheses overflow
	// its stack, a crash rather than a refusal. Checked here, where every
	// script (the line, and each bash -c, eval or here-document in it) is
	// parsed.
	// Every script (the line, and each bash -c, eval or here-document in
	// it): the same text wrapped in bash -c $'…' is refused alike.
	// bash's reading (Options.bashText) holds the characters $'…' escapes
	// stand for, decoded (an ESC for \e), and bash doubles its own
	// marker \x01 there: the line as written was checked for them.
	if h := HiddenChar(src); h != "" && !a.opts.bashText {
		a.refuse("the command holds %s, which hides or reorders text for the person reading it (and bash reads some of them as its own markers): write it with printf or $'\\u…' escapes instead", h)
		return
	}
	if strings.Contains(src, "TMPDIR") {
		a.tmpdirSet = true // any spelling, before the line is judged (writes.go fresh)
	}
	if strings.Contains(src, "dotglob") || strings.Contains(src, "GLOBIGNORE") || strings.Contains(src, "BASHOPTS") {
		a.dotglob = true // before the line is judged: a function defined earlier may glob after it
	}
	if err := nesting.Shell(src); err != nil {
		a.refuse("the command has %v", err)
		return
	}
	if posix := a.posixNext; posix {
		// A POSIX shell (sh is dash on Debian) runs this script: judge
		// its POSIX reading too (review hook51 H5: dash reads `&>` as
		// `&` then `>`, and has no $'…').
		a.posixNext = false
		if depth > 0 && !a.opts.posix {
			defer a.posixReading(src)
		}
	}
	if depth > 0 && a.opts.Reparse != nil {
		// A script inside the line (bash -c, eval, a here-document into a
		// shell) is read by bash too, when it runs: judge bash's reading
		// of it as well, apart (see asBashReadsIt).
		defer a.nestedAsBash(src)
	}
	lang := syntax.LangBash
	if a.opts.posix && depth == 0 {
		lang = syntax.LangPOSIX
	}
	f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true)).Parse(strings.NewReader(src), "")
	if err != nil {
		a.refuse("the command does not parse as a shell command (%v): the hook refuses what it cannot read", err)
		return
	}
	// A comment starts only at the start of a word. The parser has been
	// seen to take `''#` inside ( … ) for a comment where bash runs what
	// follows: refuse any comment that does not start a word, rather than
	// judge text the shell would run as a comment.
	bad, translated, escape, hdocBad, misread := false, false, "", "", ""
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.SglQuoted:
			if n.Dollar && escape == "" {
				escape = ansiEscapeDiffers(n.Value)
			}
		case *syntax.CmdSubst:
			if (n.TempFile || n.ReplyVar) && hdocBad == "" {
				// ${ cmd; } and ${|cmd;}: mksh's and bash 5.3's; bash 5.2
				// reads the text otherwise (review hook41 H1).
				hdocBad = "${ … } substitution"
			}
			if n.Backquotes && hdocBad == "" {
				// bash gives a here-document opened inside backquotes no
				// body: the lines after it are commands, which the
				// parser reads as its body (review hook49 F1).
				syntax.Walk(n, func(m syntax.Node) bool {
					if r, ok := m.(*syntax.Redirect); ok && (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) {
						hdocBad = "inside backquotes (bash gives it no body, and runs the lines after it)"
					}
					return hdocBad == ""
				})
			}
		case *syntax.Redirect:
			if (n.Op == syntax.Hdoc || n.Op == syntax.DashHdoc) && n.Hdoc != nil && misread == "" && !quotedDelimiter(n.Word) && quotedParamSingles(n.Hdoc.Parts) {
				misread = sqInDQParam
			}
			if (n.Op == syntax.Hdoc || n.Op == syntax.DashHdoc) && n.Word != nil && hdocBad == "" {
				hdocBad = hereDocDiffers(src, n)
			}
		case *syntax.DblQuoted:
			translated = translated || n.Dollar
			if misread == "" && quotedParamSingles(n.Parts) {
				misread = sqInDQParam
			}
		case *syntax.Comment:
			if off := int(n.Hash.Offset()); off > 0 && off <= len(src) && !strings.ContainsRune(" \t\n;&|", rune(src[off-1])) {
				bad = true
			}
			// bash ends a comment at the newline, a backslash before it
			// too; the parser reads a backslash-newline there as a line
			// continuation, and the next line as more of the comment or
			// of the command before it (review hook49 F2).
			if off := int(n.Hash.Offset()); off >= 0 && off < len(src) {
				rest := src[off:]
				if i := strings.IndexByte(rest, '\n'); i > 0 && strings.HasSuffix(strings.TrimSuffix(rest[:i], "\r"), "\\") {
					misread = "a comment ending in a backslash: bash ends the comment at the newline and runs the next line, which the hook's parser reads as part of the line before; remove the backslash"
				}
			}
		case *syntax.ArrayElem:
			// a=(['$(…)']=1): bash evaluates an indexed array's subscript
			// as arithmetic after quote removal, running the command
			// substitution the quoted text holds (review hook51 H4).
			if n.Index != nil && misread == "" {
				syntax.Walk(n.Index, func(m syntax.Node) bool {
					switch m.(type) {
					case *syntax.SglQuoted, *syntax.DblQuoted, *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ParamExp:
						misread = "a quoted, expanded or substituted array subscript in a list (a=(['…']=v)): bash evaluates it as arithmetic, running the command substitutions its text holds; write the subscript as a number or a plain name"
					}
					return misread == ""
				})
			}
		case *syntax.LetClause:
			// bash reads let's words as any command's: an unquoted |, &,
			// ;, < or > there is the shell's own operator, which the
			// parser reads as arithmetic (review hook49 F5).
			if from, to := int(n.Pos().Offset()), int(n.End().Offset()); from >= 0 && to <= len(src) && from < to && letOperator(src[from:to]) {
				misread = "`let` with an unquoted |, &, ;, <, > or parenthesis: bash reads it as its pipe, list or redirection, where the hook's parser reads arithmetic; quote the expression (let 'x = a | b') or write (( … ))"
			}
		case *syntax.Word:
			// The same spelling where the parser got it right: refuse it
			// too, so that the verdict does not depend on where it stands.
			for i := 1; i < len(n.Parts); i++ {
				if l, ok := n.Parts[i].(*syntax.Lit); ok && strings.HasPrefix(l.Value, "#") {
					if _, lit := n.Parts[i-1].(*syntax.Lit); !lit {
						bad = true
					}
				}
			}
		}
		return true
	})
	if bad {
		a.refuse("the command has a `#` the parser reads as a comment where the shell may not (after a quote or inside a word): the hook refuses what it cannot read the way the shell does")
		return
	}
	if hdocBad == "${ … } substitution" {
		a.refuse("the command has a `${ …; }` or `${| …; }` substitution, which the hook's parser reads as a command substitution and bash 5.2 does not have: bash reads the text around it otherwise (review hook41 H1); use $(…)")
		return
	}
	if hdocBad != "" {
		a.refuse("the command has a here-document %s, where bash and the hook's parser may end it at different lines (review hook40 H2, H3): quote the delimiter (<<'EOF'), and write no backslash at a line's end", hdocBad)
		return
	}
	if misread != "" {
		a.refuse("the command has %s", misread)
		return
	}
	if escape != "" {
		a.refuse("the command has a `$'…'` string with the escape %s, which bash decodes otherwise than the hook's parser (an octal value past \\377 keeps its low 8 bits, \\c makes a control character: review hook39 H1): write the character itself", escape)
	}
	if translated {
		// $"…" is replaced by its translation, read from
		// $TEXTDOMAINDIR/<locale>/LC_MESSAGES/$TEXTDOMAIN.mo: a file the
		// line (or an earlier one) may write, and any text.
		a.refuse("the command has a `$\"…\"` string, which bash replaces with its translation from a message catalog ($TEXTDOMAINDIR, $TEXTDOMAIN: files the agent can write), not the text the hook read: write it as \"…\"")
	}
	if depth == 0 {
		a.topAssigns(f)
	}
	a.prepass(f)
	if a.stmts == nil {
		a.stmts = map[*syntax.CallExpr]*syntax.Stmt{}
		a.pipeFrom = map[*syntax.Stmt]*syntax.Stmt{}
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			if c, ok := n.Cmd.(*syntax.CallExpr); ok {
				a.stmts[c] = n
			}
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				a.pipeFrom[n.Y] = n.X
			}
		}
		return true
	})
	aliasNames := map[string]bool{} // the aliases the script defines (review hook69 H1)
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CoprocClause, *syntax.ProcSubst:
			// A coprocess reads what the line writes to ${COPROC[1]}; a
			// >(…) process substitution what the line writes to it.
			var body syntax.Node
			if cc, ok := n.(*syntax.CoprocClause); ok {
				// coproc NAME makes NAME an array of two descriptor
				// numbers, unset again when the coprocess ends (review
				// hook101 H1): whatever the line assigns it, its value
				// is bash's, anywhere in the line.
				name := "COPROC"
				if cc.Name != nil {
					name = cc.Name.Lit()
				}
				if name != "" {
					a.setUnknown(name)
					a.setUnknown(name + "_PID")
					a.markArray(name) // declare x="$(…)" after coproc x (review hook147)
				}
			}
			if cc, ok := n.(*syntax.CoprocClause); ok && cc.Stmt != nil {
				body = cc.Stmt
			} else if ps, ok := n.(*syntax.ProcSubst); ok && ps.Op == syntax.CmdOut {
				body = ps
			}
			if body != nil {
				syntax.Walk(body, func(m syntax.Node) bool {
					if c, ok := m.(*syntax.CallExpr); ok {
						if a.fed == nil {
							a.fed = map[*syntax.CallExpr]bool{}
						}
						a.fed[c] = true
					}
					return true
				})
			}
		case *syntax.Stmt:
			if c, ok := n.Cmd.(*syntax.CallExpr); ok && len(c.Args) > 0 && a.stdinOf(n) && mayExecRedirect(c) {
				a.execStdin = true
			}
		}
		return true
	})
	syntax.Walk(f, func(n syntax.Node) bool {
		if st, ok := n.(*syntax.Stmt); ok && a.stdinOf(st) {
			syntax.Walk(st, func(m syntax.Node) bool {
				if c, ok := m.(*syntax.CallExpr); ok {
					if a.fed == nil {
						a.fed = map[*syntax.CallExpr]bool{}
					}
					a.fed[c] = true
				}
				return true
			})
			return false
		}
		return true
	})
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ParamExp:
			if n.Exp != nil && (n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.AssignUnsetOrNull) && n.Param != nil {
				// ${NAME:=VALUE} assigns NAME (export it, and it is TF_CLI_ARGS_init).
				a.setUnknown(n.Param.Value)
				if n.Index != nil {
					// ${x[1]=a}, ${x[1]:=a} make x an array, as x[1]=a
					// does (review hook147 H2).
					a.markArray(n.Param.Value)
				}
			}
			if n.Exp != nil && n.Exp.Op == syntax.OtherParamOps && n.Exp.Word != nil && strings.Contains(printWord(n.Exp.Word), "P") {
				a.refuse("`%s` expands a value as a prompt, which runs the command substitutions in it", printWord(&syntax.Word{Parts: []syntax.WordPart{n}}))
			}
		case *syntax.CallExpr:
			if len(n.Args) > 1 && n.Args[0].Lit() == "alias" {
				for _, w := range n.Args[1:] {
					if k, _, ok := strings.Cut(printWord(w), "="); ok {
						aliasNames[strings.Trim(k, `'"`)] = true
					}
				}
			}
			if len(n.Args) > 0 {
				for i, w := range n.Args {
					// ln, link, mv, cp, also behind a program (command mv,
					// env mv, timeout 5 mv: review hook106 H2).
					if b := baseName(bareName(w)); b == "ln" || b == "mv" || b == "link" || b == "cp" {
						a.noteLineLink(b, a.words(n.Args[i+1:])) // writes.go
						break
					}
					if i >= 8 {
						break
					}
				}
				if w, args, ok := cdCall(n, f, depth > 0); ok {
					// cd in any spelling, behind builtin or command, or a
					// computed command word, which may be a cd (review
					// hook147 H3).
					a.cwdUnknown = true
					var toks []tok
					if w != "" {
						toks = a.words(args)
					} else {
						// A computed word: its arguments as written, not
						// judged here (the call is, with the values the
						// line gives them).
						for _, arg := range args {
							s, ok := staticName(arg)
							toks = append(toks, tok{s: s, dyn: !ok})
						}
					}
					ops := 0
					for _, t := range toks {
						if t.s == "--" && !t.dyn || strings.HasPrefix(t.s, "-") && t.s != "-" && !t.dyn {
							continue
						}
						ops++
						if t.dyn || t.s == "-" || strings.HasPrefix(t.s, "+") || strings.HasPrefix(t.s, "~+") || strings.HasPrefix(t.s, "~-") {
							a.cdComputed = true // a value, a glob, OLDPWD or the stack
						} else {
							a.cdTargets = append(a.cdTargets, t.s)
						}
					}
					if w != "cd" && ops == 0 {
						// pushd swaps, popd returns: the stack (a computed
						// word may be either).
						a.cdComputed = true
					}
					if w != "pushd" && w != "popd" && ops == 0 {
						a.cdTargets = append(a.cdTargets, "~") // cd alone: $HOME (found fixing review hook147)
					}
					for _, t := range toks {
						if d := a.inProtectedDir(t.s); w != "" && !t.dyn && d != "" && !strings.HasPrefix(t.s, "-") && !a.codeTree(t.s) {
							a.refuse("`%s %s` enters %s, a directory whose files run later on their own (git hooks, an agent's settings): the hook refuses writes there, and cannot follow relative paths after the cd", w, t.s, d)
						}
					}
				}
			}
		case *syntax.ExtGlob:
			a.zshGlob(n)
		case *syntax.Redirect:
			if (n.Op == syntax.RdrOut || n.Op == syntax.AppOut) && n.Word != nil && printWord(n.Word) == "!" {
				a.refuse("`%s!`: zsh reads `>!` as a redirection that overwrites the next word's file, bash as a write to a file named `!`: the hook reads bash only; write `>|` or `>`", n.Op)
			}
		case *syntax.Word:
			a.zshWord(n)
		case *syntax.FuncDecl:
			if n.Name != nil {
				a.redefined[n.Name.Value] = true
				a.redefinesRelied(n.Name.Value, "a function")
				if _, ok := a.aliases[n.Name.Value]; ok || aliasNames[n.Name.Value] {
					// dash and an interactive bash expand an alias in a
					// definition's name: alias t=echo; t() {…} defines
					// echo (review hook69 H1).
					a.refuse("the line defines a function `%s` and an alias of that name: dash and an interactive bash expand the alias in the definition, which then defines a function of another name: give the function its own name", n.Name.Value)
				}
			}
		}
		return true
	})
	if depth == 0 && a.condSpans == nil {
		a.condSpans = conditionalSpans(f) // conditional.go
	}
	spans, inherited := deferredSpans(f), a.deferred
	defer func() { a.deferred = inherited }()
	syntax.Walk(f, func(n syntax.Node) bool {
		if n != nil {
			a.deferred = inherited || inSpans(spans, n.Pos())
		}
		switch n := n.(type) {
		case *syntax.Stmt:
			a.redirects(n)
			for _, r := range n.Redirs {
				// {NAME}>file: bash assigns the descriptor's number.
				if r.N != nil && strings.HasPrefix(r.N.Value, "{") && strings.HasSuffix(r.N.Value, "}") {
					a.arithSet(strings.Trim(r.N.Value, "{}"))
				}
			}
		case *syntax.BinaryArithm:
			if arithAssignOps[n.Op] {
				a.arithSet(arithTarget(n.X))
			}
		case *syntax.UnaryArithm:
			if n.Op == syntax.Inc || n.Op == syntax.Dec {
				a.arithSet(arithTarget(n.X))
			}
		case *syntax.CallExpr:
			a.letCall(n)
			a.callExpr(n, depth)
		case *syntax.Assign:
			// arr=([y]=1): an indexed array's list keys are arithmetic,
			// and a name there is evaluated (its value may hold a[$(…)]:
			// review hook79 H3).
			if n.Array != nil && n.Name != nil {
				for _, el := range n.Array.Elems {
					if el.Index == nil {
						continue
					}
					if w, ok := el.Index.(*syntax.Word); ok && a.unknown[w.Lit()] {
						a.refuse("`%s=([%s]=…)`: %s's value is computed at run time, and bash evaluates a list key as arithmetic, running the command substitutions a value like a[$(…)] holds", n.Name.Value, w.Lit(), w.Lit())
					}
				}
			}
		case *syntax.DeclClause:
			// export/declare/typeset change the environment a later
			// apply runs in (export TF_CLI_ARGS_apply=-destroy).
			a.kinds = append(a.kinds, kindOther)
			a.declClause(n) // attributes: attrs.go
			nameref := n.Variant != nil && n.Variant.Value == "nameref"
			for _, as := range n.Args {
				if as.Naked && as.Name == nil && as.Value != nil {
					if o := printWord(as.Value); strings.HasPrefix(o, "-") && strings.Contains(o, "n") {
						nameref = true
					}
				}
			}
			for _, as := range n.Args {
				if nameref && as.Name != nil && as.Value != nil {
					// declare -n r=NAME: assigning r assigns NAME.
					t := a.word(as.Value)
					if t.dyn {
						a.unknownEnv = true
					} else {
						a.setUnknown(t.s)
					}
				}
				if w := declWord(as); w != nil && a.expandsBraces(w) {
					// declare p={,terraform}: bash expands the braces into
					// p= and p=terraform, and assigns both (review hook38
					// H3).
					a.refuse("`%s`: a declaration word with a brace expansion assigns each word it expands to, the last one winning: write the value out", printWord(w))
				}
				a.assign(as)
				if nameref && as.Name != nil {
					// $r is the value of the variable r names.
					a.setUnknown(as.Name.Value)
				}
			}
		case *syntax.ForClause:
			if wi, ok := n.Loop.(*syntax.WordIter); ok {
				was := a.unknown[wi.Name.Value]
				a.setUnknown(wi.Name.Value)
				// for i in 1 2 3: numbers the line spells out, safe in $((i+1)).
				static := !was && !a.sourced && len(wi.Items) > 0
				for _, t := range a.words(wi.Items) {
					if t.dyn || subscriptRe.MatchString(t.s) || !arithSafeText(t.s) {
						static = false
					}
				}
				if static {
					a.staticLoop[wi.Name.Value] = true
				}
			}
		}
		return true
	})
	// After the walk: every variable the line computes is known by now,
	// wherever it is assigned (a function body may use it before).
	a.arithmetic(f)
}

func (a *analyzer) setUnknown(name string) {
	a.tainted[name] = true
	a.computed(name)
}

// computed forgets a variable's static value: the line computes it.
func (a *analyzer) computed(name string) {
	a.arithVarComputed(name) // specialvars.go
	a.forget(name)
}

// forget forgets a variable's static value, judging the variables whose
// computed values the hook refuses, but not arithVars: the caller knows
// the value is a number, or that there is none (local OPTIND).
func (a *analyzer) forget(name string) {
	if a.freshVars[name] {
		a.refuse("`%s`, which held a file mktemp made, is assigned again: the hook judged writes to it as writes to that file", name)
		delete(a.freshVars, name)
	}
	if promptVars[name] {
		a.refuse("`%s` is set to a value computed at run time: the shell runs what a prompt variable holds", name)
	}
	if historyFileVars[name] {
		a.refuse("`%s` is set to a value computed at run time: bash writes its history to that file (history -w, and an interactive shell when it exits)", name)
	}
	if lineReadingVars[name] != "" {
		a.refuse("`%s` is set to a value computed at run time: %s", name, lineReadingVars[name])
	}
	a.computedSetting(name) // gitconfig.go
	a.fileVarComputed(name) // filevars.go
	a.ifsComputed(name)
	delete(a.vars, name)
	delete(a.staticLoop, name)
	delete(a.numVars, name)
	if a.unknown == nil {
		a.unknown = map[string]bool{}
	}
	a.unknown[name] = true
}

func (a *analyzer) assign(as *syntax.Assign) {
	if as != nil && as.Name == nil && as.Naked && as.Value != nil {
		t := a.word(as.Value)
		t.w = as.Value
		a.declared(t)
		return
	}
	if as == nil || as.Name == nil {
		return
	}
	name := as.Name.Value
	switch name {
	case "BASH_CMDS", "BASH_ALIASES":
		a.refuse("`%s=…` makes a name run another program or command, which the hook could not recognise afterwards", name)
		return
	case "histchars":
		// Any value, empty included, and as an array (review hook139
		// H1); `declare -p histchars`, `export histchars` set none.
		if as.Naked && as.Value == nil && as.Array == nil {
			break
		}
		a.refuse("`%s=…`: %s", name, lineReadingVars[name])
		return
	}
	if a.freshVars[name] {
		a.refuse("`%s`, which held a file mktemp made, is assigned again: the hook judged writes to it as writes to that file", name)
		delete(a.freshVars, name)
	}
	_, seen := a.vars[name]
	if !seen && !a.unknown[name] {
		a.condAssigned(name, as.Pos()) // conditional.go
	}
	fresh := !seen && !a.unknown[name] && !a.sourced && a.topAssign[as] && a.curDepth == 0 && a.mktempAssign(as)
	if fresh {
		defer func() { a.freshVars[name] = true }()
	}
	if as.Array != nil && promptVars[name] {
		// PROMPT_COMMAND=('cmd1' 'cmd2'): each element runs.
		for _, e := range as.Array.Elems {
			if e.Value != nil {
				a.evalText(name, a.word(e.Value))
			}
		}
	}
	if as.Value != nil {
		v := a.word(as.Value)
		a.evalText(name, v)
		a.envSet(name, v, 0)
	}
	if bashFilled[name] && !arithVars[name] || name == "PWD" {
		// bash sets these itself as the line runs ($_ after each
		// command, OLDPWD and PWD on cd, BASH_REMATCH on =~) or ignores
		// the assignment (FUNCNAME, BASH_SOURCE): the line's value is
		// not the one a later read sees (review hook101 H2-H5).
		a.setUnknown(name)
		return
	}
	if as.Array != nil || as.Index != nil {
		a.markArray(name)
	}
	if a.sourced && !(as.Naked && as.Value == nil) {
		// After a sourced file: a readonly from it keeps the old value, a
		// function of it may assign another (review hook139 H2, H3).
		a.setUnknown(name)
		return
	}
	if as.Value == nil || as.Append || as.Index != nil || as.Array != nil {
		if as.Value == nil && as.Array == nil && !as.Naked {
			if old, ok := a.vars[name]; ok && old != "" || a.unknown[name] {
				// p=echo; …; p=: two values (a loop or function may
				// have been judged with the first: deferred.go).
				a.setUnknown(name)
				return
			}
			a.vars[name] = ""
			return
		}
		if as.Naked {
			if a.makeVar == "" && (a.unknown[name] || a.tainted[name]) {
				a.makeVar = name // export x after x=$(<f): make reads it (inline.go)
				if a.makeLine != "" {
					a.makeRuns(a.makeLine)
				}
			}
			return // `export X` keeps X's value
		}
		a.setUnknown(name)
		return
	}
	if numericSubst(as.Value) {
		// n=$(wc -l <f): a count, safe in arithmetic (judgeArith), as
		// long as the wc that runs is the system's (review hook97 L1).
		a.forget(name)
		a.numeric[name] = true
		a.pathRelied = append(a.pathRelied, "`wc` (its output read as a number)")
		return
	}
	if arithValue(as.Value) {
		// i=$((i+1)): a number, whatever the expression (judged apart).
		a.forget(name)
		a.intVal[name] = true
		return
	}
	t := a.word(as.Value)
	if !t.dyn && arithVars[name] {
		// OPTIND=1: a number; anything else evaluates (specialvars.go).
		a.arithVarStatic(name, t.s)
		a.forget(name)
		return
	}
	if t.dyn || a.unknown[name] {
		_, seen := a.vars[name]
		first := !seen && !a.unknown[name]
		a.setUnknown(name)
		if cs, ok := solePart(as.Value).(*syntax.CmdSubst); ok && first && substNumber(cs) {
			if a.numVars == nil {
				a.numVars = map[string]bool{}
			}
			a.numVars[name] = true // until assigned again (forget)
			a.pathRelied = append(a.pathRelied, "a command whose output is read as a number")
		}
		return
	}
	if old, ok := a.vars[name]; ok && old != t.s {
		a.setUnknown(name) // assigned two values: which one holds is control flow
		return
	}
	a.vars[name] = t.s
}

// declared judges `export "NAME=VALUE"` and `export $X`: bash splits the
// expanded word at its first =, so a computed one may set any variable.
func (a *analyzer) declared(t tok) {
	k, v, ok := strings.Cut(t.s, "=")
	if t.dyn {
		// export "OPTIND=$x", export "$y": the name bash assigns.
		pk, _, pok := strings.Cut(quotedPrefix(t.w), "=")
		if !pok || !isName(pk) {
			a.refuse("`export %s`: the word is computed at run time and may assign OPTIND or RANDOM, whose values bash evaluates as arithmetic (running the command substitutions an array subscript holds): spell the NAME= part", srcOf(t))
		} else {
			a.arithVarComputed(pk)
		}
	}
	if !ok || !isName(k) {
		if t.dyn {
			a.unknownEnv = true
		} else {
			a.elementSet(k) // declare 'X[0]=…'
		}
		if ok && strings.Contains(k, "{") && strings.Contains(k, "}") {
			// export {TAR_OPTIONS,X}=…: bash expands the braces into
			// several NAME=VALUE words (review hook32 F6-F8).
			a.refuse("`%s`: a brace expansion in the name exports every variable it expands to, which the hook does not read: name each variable", t.s)
		}
		return
	}
	val := tok{s: v, dyn: t.dyn}
	if !val.dyn {
		a.arithVarStatic(k, v)
	}
	a.evalText(k, val)
	a.envSet(k, val, 0)
	if old, set := a.vars[k]; val.dyn || a.unknown[k] || set && old != v || a.sourced {
		a.setUnknown(k)
		return
	} else if !set {
		// builtin declare X=…, command export X=…: conditional.go.
		var pos syntax.Pos
		if t.w != nil {
			pos = t.w.Pos()
		}
		a.condAssigned(k, pos)
	}
	a.vars[k] = v
}

// tok is one argument: its static text, or, when dyn, the static prefix of
// a word whose value the hook cannot know (a variable, $(…), a glob).
type tok struct {
	s    string
	dyn  bool
	kind int          // for dynamic tokens: dynOutside…dynOutput
	src  string       // for dynamic tokens: the word as written
	w    *syntax.Word // for dynamic tokens: the word
	// found: a file find or fd finds ({}), judged by find's expression
	// (findexpr.go) rather than as a computed path.
	found bool
	// alts: the values a dynamic token stands for when the line spells
	// them out (parallel CMD ::: a b).
	alts []string
}

func (t tok) String() string {
	if t.dyn {
		return t.s + "…"
	}
	return t.s
}

func (a *analyzer) cfg() *expand.Config {
	if a.expCfg == nil {
		a.expCfg = &expand.Config{Env: env{a}}
	}
	return a.expCfg
}

// env is an expand.Environ over the variables assigned statically.
type env struct{ a *analyzer }

func (e env) Get(name string) expand.Variable {
	if v, ok := e.a.vars[name]; ok {
		e.a.usedStatic(name)
		return expand.Variable{Set: true, Kind: expand.String, Str: v}
	}
	if name == "HOME" {
		return expand.Variable{Set: true, Kind: expand.String, Str: e.a.opts.Home}
	}
	if name == "HOME +" {
		// ~+ is $PWD (tildeDynamic: once it is computed, ~+ is too).
		if v, ok := e.a.vars["PWD"]; ok {
			return expand.Variable{Set: true, Kind: expand.String, Str: v}
		}
	}
	if u, ok := strings.CutPrefix(name, "HOME "); ok {
		if h := e.a.userHome(u); h != "" {
			return expand.Variable{Set: true, Kind: expand.String, Str: h}
		}
		// Not known: the word is computed (tildeDynamic); this value is
		// never judged.
		return expand.Variable{Set: true, Kind: expand.String, Str: "/home/" + u}
	}
	return expand.Variable{}
}

func (e env) Each(func(string, expand.Variable) bool) {}

// words expands a command's words into tokens: static words as a shell
// would (quotes, escapes, $'…', braces, known variables, word splitting),
// the others as dynamic tokens.
func (a *analyzer) words(ws []*syntax.Word) []tok {
	return a.wordsBraced(ws, true)
}

// wordsBraced is words; braces: expand braces first, as bash does before
// any other expansion, so that a word with an expansion in it becomes the
// several words bash runs with (review hook37 H2: cp {../e.json,"$x"} is
// a copy between two paths), and an empty alternative no word (H3).
func (a *analyzer) wordsBraced(ws []*syntax.Word, braces bool) []tok {
	var out []tok
	for _, w := range ws {
		if braces {
			bws, ok, tooMany := a.braceWords(w)
			if tooMany {
				a.refuse("`%s`: its brace expansion makes more than %d words, more than the hook checks: name the words", truncateTok([]tok{{s: printWord(w)}}), maxBraceWords)
				out = append(out, tok{s: a.prefix(w), dyn: true, kind: dynLine, src: printWord(w), w: w})
				continue
			}
			if ok {
				out = append(out, a.wordsBraced(bws, false)...)
				continue
			}
		}
		w = a.inlineGlobVars(w)
		if a.opts.posix {
			w = quoteBraces(w) // no brace expansion in dash (expand.Fields would)
		}
		if len(w.Parts) == 1 {
			// Fast path: a plain word.
			if l, ok := w.Parts[0].(*syntax.Lit); ok && !strings.ContainsAny(l.Value, "\\{~*?[") {
				out = append(out, tok{s: l.Value})
				continue
			}
		}
		if k := a.dynKind(w); k != dynStatic {
			if k != dynGlob && unquoted(w) {
				// An unquoted word that expands to nothing is no word: the
				// words after it move up (review hook39 H3: python3 $! -c
				// CODE runs CODE when no job ran in the background).
				switch a.emptyShape(w) {
				case shapeEmpty:
					continue
				case shapeMaybeEmpty:
					a.refuse("`%s`: an unquoted word that may expand to nothing (a number that may be empty: $!, a failed command's output), which bash then drops, moving the words after it: quote it", printWord(w))
				}
			}
			out = append(out, tok{s: a.prefix(w), dyn: true, kind: k, src: printWord(w), w: w})
			continue
		}
		fields, err := expand.Fields(a.cfg(), w)
		if err != nil {
			out = append(out, tok{s: a.prefix(w), dyn: true})
			continue
		}
		for _, f := range fields {
			out = append(out, tok{s: f})
		}
	}
	return out
}

// declWord is a declare/export/local… argument as the word bash reads:
// NAME=VALUE, or the naked word.
func declWord(as *syntax.Assign) *syntax.Word {
	switch {
	case as == nil:
		return nil
	case as.Name == nil:
		return as.Value
	case as.Value == nil || as.Index != nil || as.Array != nil:
		return nil
	}
	parts := append([]syntax.WordPart{&syntax.Lit{ValuePos: as.Name.ValuePos, ValueEnd: as.Name.ValueEnd, Value: as.Name.Value + "="}}, as.Value.Parts...)
	return &syntax.Word{Parts: parts}
}

// expandsBraces reports whether bash's brace expansion changes w: more
// words, other words, or more than the hook expands.
func (a *analyzer) expandsBraces(w *syntax.Word) bool {
	bws, ok, tooMany := a.braceWords(w)
	if tooMany {
		return true
	}
	return ok && (len(bws) != 1 || printWord(bws[0]) != printWord(w))
}

// braceWords returns the words bash makes of w by brace expansion, without
// the empty ones (an unquoted null word is removed), or false when w has
// none; tooMany: it makes more words than the hook checks (review
// hook38 H1: nested empty groups cost bash nothing, so no count of groups
// bounds the words).
func (a *analyzer) braceWords(w *syntax.Word) (words []*syntax.Word, ok, tooMany bool) {
	groups := 0
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok {
			groups += strings.Count(l.Value, "{")
		}
	}
	if groups == 0 {
		return nil, false, false
	}
	if a.opts.posix {
		// dash has no brace expansion: {,} stays a word (review hook53 F5).
		return nil, false, false
	}
	cw := &syntax.Word{Parts: append([]syntax.WordPart(nil), w.Parts...)}
	if !syntax.SplitBraces(cw) {
		return nil, false, false
	}
	if why := braceMisread(cw); why != "" {
		a.refuse("`%s`: %s", printWord(w), why)
		return nil, false, false
	}
	var out []*syntax.Word
	for bw, err := range expand.BracesSeq(a.cfg(), cw) {
		if err != nil || len(out) >= maxBraceWords {
			return nil, false, true
		}
		empty := true
		for _, p := range bw.Parts {
			if l, ok := p.(*syntax.Lit); !ok || l.Value != "" {
				empty = false
			}
		}
		if !empty {
			out = append(out, bw)
		}
		if l, ok := firstLit(bw); ok && len(l) > 1 && l[0] == '~' && strings.ContainsRune("+-0123456789", rune(l[1])) {
			// {~,x}+/f is ~+/f: bash's tilde forms for the working and
			// the previous directory and the stack (review hook53 F3).
			a.refuse("`%s`: its brace expansion makes %s, a tilde form bash replaces with a directory ($PWD, $OLDPWD, the stack): write the path out", printWord(w), l[:2])
		}
	}
	return out, true, false
}

// inlineGlobVars returns w with each unquoted $NAME whose value the line
// assigned holds a glob character written as that value, unquoted: bash
// globs an unquoted expansion's value (p='../plang*'; tee $p writes the
// policy: review hook53 F1), and the glob is then judged as one written
// out. A value with blanks or backslashes stays an expansion (a glob of
// any name).
func (a *analyzer) inlineGlobVars(w *syntax.Word) *syntax.Word {
	var parts []syntax.WordPart
	for i, p := range w.Parts {
		pe, ok := p.(*syntax.ParamExp)
		if !ok || pe.Param == nil || pe.Excl || pe.Length || pe.Width || pe.Index != nil || pe.Slice != nil || pe.Repl != nil || pe.Names != 0 || pe.Exp != nil {
			continue
		}
		v, known := a.vars[pe.Param.Value]
		if !known || a.unknown[pe.Param.Value] || !strings.ContainsAny(v, "*?[") || extglobIn(v) || strings.ContainsAny(v, " \t\n\\") {
			continue
		}
		if parts == nil {
			parts = append([]syntax.WordPart(nil), w.Parts...)
		}
		parts[i] = &syntax.Lit{ValuePos: pe.Pos(), ValueEnd: pe.End(), Value: v}
	}
	if parts == nil {
		return w
	}
	return &syntax.Word{Parts: parts}
}

// quoteBraces returns w with each unquoted `{` quoted, so that no brace
// expansion happens: the POSIX reading, for dash, which has none (review
// hook53 F5: sh -c 'env -u {,} terraform destroy' runs terraform).
func quoteBraces(w *syntax.Word) *syntax.Word {
	var parts []syntax.WordPart
	changed := false
	for _, p := range w.Parts {
		l, ok := p.(*syntax.Lit)
		if !ok || !strings.Contains(l.Value, "{") {
			parts = append(parts, p)
			continue
		}
		changed = true
		for i, seg := range strings.Split(l.Value, "{") {
			if i > 0 {
				parts = append(parts, &syntax.SglQuoted{Left: l.Pos(), Right: l.Pos(), Value: "{"})
			}
			if seg != "" {
				parts = append(parts, &syntax.Lit{ValuePos: l.Pos(), ValueEnd: l.End(), Value: seg})
			}
		}
	}
	if !changed {
		return w
	}
	return &syntax.Word{Parts: parts}
}

// extglobIn reports whether a value holds an extended glob (@(…), +(…),
// !(…)), which bash matches when extglob is on (an interactive shell's
// default on Debian).
func extglobIn(v string) bool {
	return strings.Contains(v, "@(") || strings.Contains(v, "+(") || strings.Contains(v, "!(")
}

// firstLit is the literal text a word starts with (its leading literal
// parts, joined).
func firstLit(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		l, ok := p.(*syntax.Lit)
		if !ok {
			break
		}
		b.WriteString(l.Value)
	}
	return b.String(), b.Len() > 0
}

// elemText is a brace alternative's literal text ("" for an empty one):
// nested alternatives joined, any expansion as a NUL (not a name
// character, not a `$`). (The printer panics on some split words.)
func elemText(w *syntax.Word) string {
	if w == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.BraceExp:
			for _, e := range p.Elems {
				b.WriteString(elemText(e))
			}
		default:
			b.WriteByte(0)
		}
	}
	return b.String()
}

// braceMisread reports a brace expansion bash performs on the word's text
// before any other expansion, where the parser has already cut the word
// into parts (review hook53 F2): an alternative that starts with a name
// character right after an unbraced $name lengthens the name ($T{F,X} is
// $TF and $TX), and an alternative holding a `$` or a backquote makes a
// new expansion ({$,}{p@P} is ${p@P}).
func braceMisread(w *syntax.Word) string {
	for i, p := range w.Parts {
		b, ok := p.(*syntax.BraceExp)
		if !ok {
			continue
		}
		for _, e := range b.Elems {
			text := elemText(e)
			if strings.ContainsAny(text, "$`") {
				return "a brace alternative holds a $ or a backquote, which bash expands after the braces, making a new expansion: write the words out"
			}
			if i > 0 && text != "" && isNameByte(text[0]) {
				if pe, ok := w.Parts[i-1].(*syntax.ParamExp); ok && pe.Short {
					return "a brace group right after an unbraced $NAME: bash expands the braces first, so the name goes on into them ($T{F,X} is $TF and $TX); write ${NAME}"
				}
			}
		}
		if i+1 < len(w.Parts) {
			if l, ok := w.Parts[i+1].(*syntax.Lit); ok && l.Value != "" && isNameByte(l.Value[0]) && i > 0 {
				if pe, ok := w.Parts[i-1].(*syntax.ParamExp); ok && pe.Short {
					for _, e := range b.Elems {
						if elemText(e) == "" {
							return "a brace group right after an unbraced $NAME: bash expands the braces first, so the name goes on into them; write ${NAME}"
						}
					}
				}
			}
		}
	}
	// {$,}… before a literal: the first part a brace expansion with a
	// `$` alternative is caught above.
	return ""
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// word expands one word to a single token (no splitting; for assignments
// and redirection targets).
func (a *analyzer) word(w *syntax.Word) tok {
	if w == nil {
		return tok{}
	}
	w = a.inlineGlobVars(w)
	if k := a.dynKind(w); k != dynStatic {
		return tok{s: a.prefix(w), dyn: true, kind: k, w: w}
	}
	s, err := expand.Literal(a.cfg(), quoteEscapes(w))
	if err != nil {
		return tok{s: a.prefix(w), dyn: true}
	}
	return tok{s: s}
}

// globNamesProgram reports whether a glob read on a descriptor may name a
// shell's or another judged program's binary (B/ba?h after ln -s /bin B:
// review hook48 H3).
func (a *analyzer) globNamesProgram(prefix, src string) bool {
	last := src[strings.LastIndex(src, "/")+1:]
	for _, n := range []string{"bash", "sh", "dash", "zsh", "ksh", "git", "python3", "perl", "node", "env", "busybox"} {
		if globMatch(last, n, true) {
			return true
		}
	}
	return systemBinary(prefix)
}

// ansiEscapeDiffers returns the first escape of a $'…' string's text that
// the hook does not read as bash does, or "". Only the escapes mvdan's
// expand.Format decodes as bash 5.2 does pass: \a \b \e \E \f \n \r \t \v
// \\ \' \" \?, an octal value up to \377, \xHH, \uHHHH and \UHHHHHHHH.
// Others differ (review hook39 H1: \541 is "a" in bash, 0xff in Format;
// \cX; hook40 H4: \x{61} is "a" in bash, text in Format).
func ansiEscapeDiffers(s string) string {
	hex := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '\\' {
			continue
		}
		c := s[i+1]
		switch {
		case strings.IndexByte("abeEfnrtv\\'\"?", c) >= 0:
			i++
		case c >= '0' && c <= '7':
			j, v := i+1, 0
			for j < len(s) && j < i+4 && s[j] >= '0' && s[j] <= '7' {
				v = v*8 + int(s[j]-'0')
				j++
			}
			if v > 0o377 {
				return s[i:j]
			}
			i = j - 1
		case c == 'x' || c == 'u' || c == 'U':
			if i+2 >= len(s) || !hex(s[i+2]) {
				return s[i:min(i+3, len(s))]
			}
			i++
		default:
			return s[i : i+2]
		}
	}
	return ""
}

// hereDocDiffers says why a here-document may end elsewhere in bash than
// the parser reads: a delimiter written $'…' or $"…" (bash decodes it), or
// an unquoted body with a backslash at a line's end (bash joins the lines
// before it compares one with the delimiter); "" when neither.
func hereDocDiffers(src string, r *syntax.Redirect) string {
	for _, p := range r.Word.Parts {
		switch p := p.(type) {
		case *syntax.SglQuoted:
			if p.Dollar {
				return "whose delimiter is written $'…'"
			}
		case *syntax.DblQuoted:
			if p.Dollar {
				return `whose delimiter is written $"…"`
			}
		}
	}
	delim, ok := bashDelimiter(r.Word)
	if !ok {
		return "whose delimiter the hook cannot read as bash does (write it as a plain word or in single quotes)"
	}
	if r.Hdoc == nil {
		return ""
	}
	from, to := int(r.Hdoc.Pos().Offset()), int(r.Hdoc.End().Offset())
	if from < 0 || to > len(src) || from > to {
		return "the hook cannot place"
	}
	// bash ends the body at the first line that is the delimiter after
	// quote removal; the parser compares lines with the delimiter as
	// written, and parses an expansion in an unquoted body across lines
	// (review hook49 F3, F4). A line of the parser's body that is bash's
	// delimiter means bash ends the body earlier and runs what follows.
	// The range ends with the delimiter line the parser matched: not body.
	lines := strings.Split(strings.TrimSuffix(src[from:to], "\n"), "\n")
	for _, line := range lines[:len(lines)-1] {
		if r.Op == syntax.DashHdoc {
			line = strings.TrimLeft(line, "\t")
		}
		if line == delim {
			return fmt.Sprintf("whose body holds the line %q, where bash ends it and runs the lines after it", delim)
		}
	}
	if quotedDelimiter(r.Word) {
		return ""
	}
	if body := src[from:to]; strings.Contains(body, "\\\n") || strings.Contains(body, "\\\r\n") {
		return "with a backslash at a line's end and an unquoted delimiter"
	}
	return ""
}

// sqInDQParam says why quotedParamSingles refuses.
const sqInDQParam = "single quotes in the word of a ${NAME-…}, ${NAME:+…}, ${NAME=…} inside double quotes or an unquoted here-document, which bash reads as plain characters, so a $(…) or backquotes between them run (review hook59 H1); the hook's parser reads them as quotes: drop the single quotes, or quote the word otherwise"

// quotedParamSingles reports whether a ${NAME op WORD} among the parts of
// a double-quoted word (or an unquoted here-document's body) has single
// quotes in its WORD: there bash takes them as characters, not quotes.
func quotedParamSingles(parts []syntax.WordPart) bool {
	found := false
	for _, p := range parts {
		pe, ok := p.(*syntax.ParamExp)
		if !ok || pe.Exp == nil || pe.Exp.Word == nil {
			continue
		}
		switch pe.Exp.Op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AlternateUnset, syntax.AlternateUnsetOrNull,
			syntax.AssignUnset, syntax.AssignUnsetOrNull:
		default:
			continue // pattern operators (#, %): there bash does take them as quotes
		}
		syntax.Walk(pe.Exp.Word, func(n syntax.Node) bool {
			if _, ok := n.(*syntax.SglQuoted); ok {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// letOperator reports whether a let clause's text holds |, &, ;, <, > or
// a parenthesis outside quotes.
func letOperator(text string) bool {
	quote := byte(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
		case c == '\\':
			i++
		case quote == '"':
			if c == '"' {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case strings.IndexByte("|&;<>()", c) >= 0:
			return true
		}
	}
	return false
}

// bashDelimiter is a here-document's delimiter as bash compares it with
// the body's lines: the word after quote removal, nothing expanded.
// ok is false for a word with other parts than literal text and quotes.
func bashDelimiter(w *syntax.Word) (string, bool) {
	var b strings.Builder
	unescape := func(s string, special string) {
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' && i+1 < len(s) && (special == "" || strings.IndexByte(special, s[i+1]) >= 0) {
				i++
				if s[i] == '\n' {
					continue // a line continuation
				}
			}
			b.WriteByte(s[i])
		}
	}
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			unescape(p.Value, "")
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", false
			}
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				unescape(l.Value, "$`\"\\\n")
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// quoteEscapes returns w with each backslash escape outside quotes written
// as a single-quoted character: expand.Literal keeps those backslashes,
// where bash removes them (review hook37 H1: x=terr\aform is terraform,
// > ..\/planguard.hcl writes ../planguard.hcl); a backslash-newline is
// removed.
func quoteEscapes(w *syntax.Word) *syntax.Word {
	var parts []syntax.WordPart
	changed := false
	for _, p := range w.Parts {
		l, ok := p.(*syntax.Lit)
		if !ok || !strings.Contains(l.Value, "\\") {
			parts = append(parts, p)
			continue
		}
		changed = true
		v := l.Value
		for {
			i := strings.IndexByte(v, '\\')
			if i < 0 || i+1 >= len(v) {
				break
			}
			if i > 0 {
				parts = append(parts, &syntax.Lit{ValuePos: l.ValuePos, ValueEnd: l.ValueEnd, Value: v[:i]})
			}
			if v[i+1] != '\n' {
				parts = append(parts, &syntax.SglQuoted{Left: l.ValuePos, Right: l.ValueEnd, Value: v[i+1 : i+2]})
			}
			v = v[i+2:]
		}
		if v != "" {
			parts = append(parts, &syntax.Lit{ValuePos: l.ValuePos, ValueEnd: l.ValueEnd, Value: v})
		}
	}
	if !changed {
		return w
	}
	return &syntax.Word{Parts: parts}
}

// Why a word is dynamic, from most to least suspicious.
const (
	dynStatic  = iota
	dynOutside // a variable this line does not set ($EDITOR): the environment's
	dynGlob    // an unquoted glob
	dynLine    // a variable this line computes (read, $(…) assigned, a loop), or a positional parameter
	dynOutput  // command or process substitution: another program's output
	// dynInput stands for what xargs or parallel read, or the files find
	// finds ({}): any number of words (xargs splits its input), the
	// program to run among them. Only xargs(), parallel and find() make it.
	dynInput
)

// isLit reports whether a word part is the literal text s.
func isLit(p syntax.WordPart, s string) bool {
	lit, ok := p.(*syntax.Lit)
	return ok && lit.Value == s
}

func (a *analyzer) dynKind(w *syntax.Word) int {
	if len(w.Parts) == 1 && isLit(w.Parts[0], "[") {
		// A lone `[` matches nothing but itself: the test builtin, read
		// as test is (review hook35).
		return dynStatic
	}
	kind := dynStatic
	braces := 0
	up := func(k int) {
		if k > kind {
			kind = k
		}
	}
	var parts func(ps []syntax.WordPart, quoted bool)
	parts = func(ps []syntax.WordPart, quoted bool) {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				if !quoted && strings.ContainsAny(p.Value, "*?[") {
					up(dynGlob)
				}
				if !quoted {
					// Brace expansion multiplies words: past a few groups
					// the hook does not expand them (2^n words).
					if braces += strings.Count(p.Value, "{"); braces > maxBraces {
						up(dynLine)
					}
				}
			case *syntax.SglQuoted:
			case *syntax.DblQuoted:
				parts(p.Parts, true)
			case *syntax.ParamExp:
				if p.Param == nil || !isName(p.Param.Value) {
					up(dynLine) // $1, $@, $*, $#…
					continue
				}
				name := p.Param.Value
				switch {
				case a.unknown[name]:
					up(dynLine)
				case contains(a.outer.assigns, name) || contains(a.outer.assigns, "*"):
					// X=VALUE bash -c '$X', env X=VALUE sh -c …: the
					// script runs with the value the line gives X for
					// it, not one from an earlier call (review hook81
					// H1); "*": a wrapper set names the hook does not
					// know (envdir DIR, bwrap --setenv: review hook83).
					up(dynLine)
				case p.Names != 0:
					// ${!pre*}, ${!pre@}: the names of the variables the
					// line set (terraform=1; ${!terraf*}: review hook57 F1).
					up(dynLine)
				case p.Excl || p.Length || p.Width || p.Index != nil || p.Slice != nil || p.Repl != nil || p.Exp != nil:
					if _, ok := a.vars[name]; ok || a.deferred && a.setInLine(name) {
						up(dynLine)
					} else {
						a.readUnset(name)
						up(dynOutside)
					}
				default:
					v, ok := a.vars[name]
					if !ok && a.deferred && a.setInLine(name) {
						up(dynLine) // f() { $X; }; X=…; f (deferred.go)
					} else if !ok || a.maybeUnset(name, p.Pos()) {
						// Not set, or set only by code that may not have
						// run (conditional.go): the environment's.
						a.readUnset(name)
						up(dynOutside)
					} else if !quoted && (strings.ContainsAny(v, "*?[") || extglobIn(v)) {
						// bash globs an unquoted expansion's value:
						// p='../plang*'; tee $p (review hook53 F1).
						up(dynGlob)
					}
				}
			case *syntax.CmdSubst, *syntax.ProcSubst:
				up(dynOutput)
			default: // ArithmExp, ExtGlob, BraceExp…
				up(dynLine)
			}
		}
	}
	parts(w.Parts, false)
	if a.tildeDynamic(w) {
		up(dynLine) // ~-, ~N: the directory stack
	}
	return kind
}

func isName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// prefix is the static text a dynamic word starts with.
func (a *analyzer) prefix(w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			i := strings.IndexAny(p.Value, "*?[\\")
			if i >= 0 {
				b.WriteString(p.Value[:i])
				return b.String()
			}
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return b.String()
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			// "of=../x$y": the literal text inside the quotes counts
			// too (review hook37: dd {"of=…$!",…}).
			if p.Dollar {
				return b.String()
			}
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return b.String()
				}
				if i := strings.IndexByte(l.Value, '\\'); i >= 0 {
					b.WriteString(l.Value[:i])
					return b.String()
				}
				b.WriteString(l.Value)
			}
		default:
			return b.String()
		}
	}
	return b.String()
}

// redirects refuses writes to protected files and judges here-documents
// and here-strings fed to a shell (in call, where the shell is known).
func (a *analyzer) redirects(st *syntax.Stmt) {
	for _, r := range st.Redirs {
		if r.Word != nil && r.Op != syntax.Hdoc && r.Op != syntax.DashHdoc && r.Op != syntax.WordHdoc && a.expandsBraces(r.Word) {
			// > {../planguard.hcl,}: bash brace-expands a redirection's
			// target, and writes it when one word is left (review
			// hook38 H2).
			a.refuse("`%s %s`: bash expands the braces of a redirection's target, and opens the one file they leave: write the file name out", r.Op, printWord(r.Word))
		}
		if (r.Op == syntax.RdrIn || r.Op == syntax.RdrInOut) && r.Word != nil {
			if t := a.word(r.Word); !t.dyn && (strings.Contains(t.s, "/") || a.cwdUnknown) && a.namedProgram(baseName(path.Clean(t.s))) ||
				t.dyn && t.kind == dynGlob && t.w != nil && a.globNamesProgram(t.s, printWord(t.w)) ||
				t.dyn && (systemBinary(t.s) || t.w != nil && a.looksUpToolIn(t.w, procSubstOnly(t.w)) || t.w != nil && strings.Contains(printWord(t.w), "command -v")) {
				// tee x < /usr/bin/git copies git under another name;
				// 3</bin/bash then /dev/fd/3 runs the shell (review
				// hook45 M1, H2).
				a.refuse("`%s %s` opens the binary of a program the hook judges by its name: a copy of it under another name, or a descriptor run as a program, escapes the hook", r.Op, t.s)
			}
		}
		a.redirectOpens(r)
		switch r.Op {
		case syntax.DplOut:
			// >&WORD: a descriptor when WORD is digits or -, else a file
			// that gets stdout and stderr.
			if t := a.word(r.Word); !t.dyn && (t.s == "-" || isNumber(strings.TrimSuffix(t.s, "-"))) {
				continue
			}
			fallthrough
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrInOut, syntax.RdrAll, syntax.AppAll:
			t := a.word(r.Word)
			if t.dyn {
				ts := a.words([]*syntax.Word{r.Word})
				if len(ts) == 1 {
					t = ts[0]
				}
				t.dyn, t.w = true, r.Word
			}
			a.writeDest([]tok{{s: redirText(r)}}, t, false)
		}
	}
}

func printWord(w *syntax.Word) string {
	var b strings.Builder
	_ = syntax.NewPrinter().Print(&b, w)
	return b.String()
}

func redirText(r *syntax.Redirect) string {
	var b strings.Builder
	_ = syntax.NewPrinter().Print(&b, r.Word)
	return r.Op.String() + " " + b.String()
}

// resolve makes a path absolute against the working directory.
func (a *analyzer) resolve(p string) string {
	if strings.HasPrefix(p, "~/") && a.opts.Home != "" {
		p = path.Join(a.opts.Home, p[2:])
	}
	if !path.IsAbs(p) {
		p = path.Join(a.opts.Cwd, p)
	}
	return path.Clean(p)
}

// protected returns the protected file p names, or "".
func (a *analyzer) protected(p string) string {
	if p == "" {
		return ""
	}
	a.noteConfigWrite(p, false) // gitconfig.go
	if a.climbs(p) {
		return climbed(p)
	}
	if len(a.opts.Protected) > 0 && !a.gitRepoArg {
		for _, r := range append([]string{p}, a.paths(p)...) {
			if StateFile(r) {
				return r + stateFileWhy
			}
		}
		if a.opts.IsState != nil {
			for _, r := range a.paths(p) {
				if path.IsAbs(r) && a.opts.IsState(r) {
					return r + " (its content is a Terraform state)" + stateFileWhy
				}
			}
		}
	}
	abs := a.resolve(p)
	for _, q := range a.opts.Protected {
		// EqualFold: macOS and Windows file systems ignore case.
		for _, r := range a.paths(p) {
			if strings.EqualFold(r, q) {
				return q + a.stateWhy(q)
			}
		}
		// After cd, a relative path may name the file from anywhere.
		if a.cwdUnknown && !path.IsAbs(p) && strings.EqualFold(path.Base(abs), path.Base(q)) {
			return q + a.stateWhy(q)
		}
	}
	return a.inProtectedDir(p)
}

// stateWhy is stateFileWhy for a protected file that is a state named
// otherwise (Options.States), or "".
func (a *analyzer) stateWhy(q string) string {
	if slices.Contains(a.opts.States, q) {
		return stateFileWhy
	}
	return ""
}

// protectedDir returns a protected file that copying src into dir would
// overwrite, or "" (dirDest: dir is a directory, so a state file's name
// lands there as one).
func (a *analyzer) protectedDir(src, dir string, dirDest bool) string {
	if a.climbs(dir) {
		return climbed(dir)
	}
	j := path.Join(dir, path.Base(src))
	a.noteConfigWrite(j, false)
	if d := a.inProtectedDir(j); d != "" {
		return d
	}
	if len(a.opts.Protected) > 0 && !a.gitRepoArg && dirDest {
		// dir/basename(src): cp x/terraform.tfstate . overwrites the state.
		for _, r := range append([]string{j}, a.paths(j)...) {
			if StateFile(r) {
				return r + stateFileWhy
			}
		}
	}
	for _, d := range a.paths(dir) {
		for _, q := range a.opts.Protected {
			if strings.EqualFold(path.Dir(q), d) && strings.EqualFold(path.Base(q), path.Base(src)) {
				return q
			}
		}
	}
	return ""
}

func (a *analyzer) callExpr(c *syntax.CallExpr, depth int) {
	if len(c.Args) == 0 {
		a.bareAssign = true
		for _, as := range c.Assigns {
			a.assign(as)
		}
		a.bareAssign = false
		// An assignment to an exported variable (PATH) changes what a
		// later apply in the line runs.
		a.kinds = append(a.kinds, kindOther)
		return
	}
	// The environment names set for the wrapper that runs this script
	// (X=1 bash -c '…') are set for every command in it.
	assigns := append([]string{}, a.outer.assigns...)
	a.envPrefix = true
	defer func() { a.envPrefix = false }()
	special := false
	for i, w := range c.Args {
		n := bareName(w) // \declare, 'export' (review hook109 H6)
		// bash keeps a prefix assignment before declare -x/-r, typeset,
		// export, readonly of the name too (X=terraform declare -x X:
		// review hook103 H2), also behind builtin or command.
		special = specialBuiltins[n] || n == "declare" || n == "typeset" || n == "local"
		if i > 0 || n != "builtin" && n != "command" {
			break
		}
	}
	// A value is expanded with the names assigned before it in the prefix
	// set (X=… Y=$X cmd); a command setting (GIT_PAGER=…) runs later with
	// all of them (review hook81 H1).
	all := append([]string{}, a.outer.assigns...)
	for _, as := range c.Assigns {
		if as.Name != nil {
			all = append(all, as.Name.Value)
		}
	}
	orig := a.outer.assigns
	defer func() { a.outer.assigns = orig }()
	for _, as := range c.Assigns {
		a.outer.assigns = assigns
		if as.Name != nil {
			a.notePrefix(as) // deferred.go
			if special {
				// NAME=V : in POSIX mode (sh, dash, POSIXLY_CORRECT) the
				// assignment stays: read as one that does (review hook40
				// H5) for the builtin itself. Bash outside POSIX mode drops
				// it afterwards (p=echo :; $p terraform destroy runs
				// terraform: review hook118 H3), so after the command the
				// value is either: unknown.
				a.assign(as)
				name := as.Name.Value
				defer a.setUnknown(name)
			}
			assigns = append(assigns, as.Name.Value)
			if arithVars[as.Name.Value] {
				// OPTIND=$x cmd: bash 5.2 does not evaluate a prefix
				// assignment, but in POSIX mode one before a special
				// builtin stays, as a plain assignment (specialvars.go).
				if as.Value == nil || as.Array != nil || as.Index != nil || as.Append {
					a.arithVarComputed(as.Name.Value)
				} else if t := a.word(as.Value); t.dyn {
					a.arithVarComputed(as.Name.Value)
				} else {
					a.arithVarStatic(as.Name.Value, t.s)
				}
			}
			if as.Value != nil {
				// PS4='$(…)' bash -x, PROMPT_COMMAND=… bash -i: the prompt
				// variables reach the program's environment.
				v := a.word(as.Value)
				a.outer.assigns = all
				a.evalText(as.Name.Value, v)
				a.envSet(as.Name.Value, v, depth)
			} else if as.Array != nil && promptVars[as.Name.Value] {
				a.refuse("`%s=(…)` set for a command: the shell runs what a prompt variable holds", as.Name.Value)
			}
		}
	}
	a.envPrefix = false
	a.outer.assigns = orig
	argv := a.words(c.Args)
	a.prefixIFS(c, argv)
	st := a.stmts[c]
	k := a.run(call{argv: argv, assigns: assigns, st: st, depth: depth,
		chdir: a.outer.chdir, dir: a.outer.dir, each: a.outer.each, fed: a.fed[c] || a.outer.fed || a.execStdin})
	if k == kindBenign && st != nil && writesFile(st) {
		k = kindOther
	}
	a.kinds = append(a.kinds, k)
}

// specialBuiltins are POSIX's special builtins: in POSIX mode an
// assignment before one stays in the shell.
var specialBuiltins = map[string]bool{":": true, ".": true, "break": true, "continue": true, "eval": true, "exec": true,
	"exit": true, "export": true, "readonly": true, "return": true, "set": true, "shift": true, "times": true, "trap": true,
	"unset": true, "source": true}

// stdinOf reports whether a statement's standard input is fed: from a
// pipe, a file, another descriptor or a here-document.
func (a *analyzer) stdinOf(st *syntax.Stmt) bool {
	if _, ok := a.pipeFrom[st]; ok {
		return true
	}
	for _, r := range st.Redirs {
		// 0>&3 copies descriptor 3 onto standard input too (review of
		// the day's diff: ssh-keygen … 3<<<… 0>&3).
		if stdinRedirect(r) {
			return true
		}
	}
	return false
}

// assigned lists the variables the line has assigned so far.
func (a *analyzer) assigned() []string {
	var out []string
	for n := range a.vars {
		out = append(out, n)
	}
	for n := range a.unknown {
		out = append(out, n)
	}
	return out
}

func writesFile(st *syntax.Stmt) bool {
	for _, r := range st.Redirs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrInOut, syntax.RdrAll, syntax.AppAll:
			if r.Word == nil || len(r.Word.Parts) != 1 {
				return true
			}
			if l, ok := r.Word.Parts[0].(*syntax.Lit); !ok || l.Value != "/dev/null" {
				return true
			}
		}
	}
	return false
}

// shellVarUse is a use of $SHELL in a line.
var shellVarUse = regexp.MustCompile(`\$\{?[!#]?SHELL\b`)

// subscriptRe finds text bash may take for an array subscript holding a
// command substitution: in arithmetic ($((x)), [[ x -eq 1 ]], let), in
// printf -v, read, test -v, declare -n, bash expands it, running the
// command.
//
// The brackets are counted as bash counts them: in `a[ [0]+$(…)]` the
// substitution is inside the outer subscript (review hook75 H4).
var subscriptRe = subscriptMatcher{}

// subscriptMatcher reports whether a text holds `$(` or a backquote inside
// brackets, nested ones counted.
type subscriptMatcher struct{}

func (subscriptMatcher) MatchString(s string) bool {
	depth := 0
	var quote byte // inside a subscript, a quoted or escaped ] does not end it (review hook77 H6)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case depth > 0 && (c == '`' || c == '$' && i+1 < len(s) && s[i+1] == '('):
			return true
		case depth > 0 && c == '\\':
			i++
		case depth > 0 && quote != 0:
			if c == quote {
				quote = 0
			}
		case depth > 0 && (c == '\'' || c == '"'):
			quote = c
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		}
	}
	return false
}

// promptVars are the variables whose value bash runs or expands again:
// PROMPT_COMMAND is a command line an interactive shell runs before each
// prompt; the prompt strings (PS4 under set -x, PS0–PS2 in an interactive
// shell) and MAILPATH's messages are expanded, running their command
// substitutions. They are judged wherever they are set: a bare
// assignment, a command's prefix, env, export/declare/local; set by read,
// printf -v or a loop, they are refused.
var promptVars = map[string]bool{"PROMPT_COMMAND": true, "PS0": true, "PS1": true, "PS2": true, "PS3": true, "PS4": true, "MAILPATH": true}

// historyFileVars name the file bash writes its history list to.
var historyFileVars = map[string]bool{"HISTFILE": true}

// evalText refuses values bash may evaluate as code later: subscripts with
// command substitutions, prompt strings, and PROMPT_COMMAND, a command line.
func (a *analyzer) evalText(name string, t tok) {
	if !t.dyn && subscriptRe.MatchString(t.s) {
		a.refuse("`%s`: the value %q holds a command substitution in an array subscript, which bash runs when it evaluates the value", name, t.s)
		return
	}
	switch {
	case name == "PROMPT_COMMAND":
		if t.dyn {
			a.refuse("`%s`: a command line computed at run time, which an interactive shell runs before each prompt", name)
			return
		}
		a.script(t.s, a.curDepth+1)
	case historyFileVars[name]:
		// history -w/-a, and an interactive shell as it exits, write the
		// history list to $HISTFILE (truncated to $HISTFILESIZE lines).
		a.writeDest([]tok{{s: name + "=" + t.String()}}, t, false)
	case name == "PS3":
		if t.dyn || strings.ContainsAny(t.s, "`$") {
			a.refuse("`%s`: a prompt string is expanded (command substitutions run) each time the shell prints it", name)
		}
	case promptVars[name]:
		// Backslash escapes are decoded before the expansion (\044 is $).
		if t.dyn || strings.ContainsAny(t.s, "`$\\") {
			a.refuse("`%s`: a prompt string is expanded (command substitutions run) each time the shell prints it", name)
		}
	}
}

// evaluators are the builtins that evaluate a name they are given, with
// its array subscript (printf -v, read, test -v, let, unset, declare -n).
var evaluators = map[string]bool{"printf": true, "read": true, "test": true, "[": true, "let": true, "unset": true,
	"declare": true, "typeset": true, "local": true, "export": true, "readonly": true, "mapfile": true, "readarray": true,
	"wait": true, "getopts": true, "builtin": true, "command": true}

// wordsEval checks a call's static arguments for text bash may evaluate.
func (a *analyzer) wordsEval(argv []tok) {
	for _, t := range argv {
		s := t.s
		if t.dyn && t.kind == dynGlob {
			// A glob that matches nothing is passed on as written; in
			// `bash -c` the same text is static.
			s = t.src
		} else if t.dyn {
			continue
		}
		if subscriptRe.MatchString(s) {
			a.refuse("`%s`: the argument %q holds a command substitution in an array subscript, which bash may run", quoteArgs(argv), s)
			return
		}
	}
}

// mayName returns a protected file a computed path or glob (as written)
// may name: its last component matches the file's name.
func (a *analyzer) mayName(src string) string {
	last := src[strings.LastIndex(src, "/")+1:]
	for _, q := range a.opts.Protected {
		base := path.Base(q)
		if globMatch(last, base, true) || strings.EqualFold(last, base) {
			return q
		}
	}
	return ""
}

// stateFileWhy says why a Terraform state file is protected.
const stateFileWhy = " (a Terraform state file: changing it by hand forgets or alters resources, the state change the policy guards; use terraform state commands, which the gate judges)"

// StateFile reports whether p names a local Terraform state file or is in
// one's directory (review hook17b F10): a component named *.tfstate,
// *.tfstate.* (terraform.tfstate.backup, terraform.tfstate.d, the backend
// settings in .terraform/terraform.tfstate), matched case-insensitively.
func StateFile(p string) bool {
	for _, c := range strings.Split(strings.ReplaceAll(p, "\\", "/"), "/") {
		c = strings.ToLower(c)
		if i := strings.Index(c, ".tfstate"); i > 0 && (len(c) == i+len(".tfstate") || c[i+len(".tfstate")] == '.') {
			return true
		}
	}
	return false
}

// bareName is a word as bash runs it when it is literal but for quotes
// and backslashes ('mv', \declare), or the word as written.
func bareName(w *syntax.Word) string {
	if l := unquotedLit(w); l != "" {
		return strings.ReplaceAll(l, `\`, "")
	}
	return printWord(w)
}

// mayExecRedirect reports whether a call may be an `exec` with no
// command, whose redirections then stay for every later command of the
// shell: exec in any quoting (\exec, 'exec', ex\ec), behind command or
// builtin, with its own options (exec --, exec -l, command -p exec), or a
// command word computed at run time (review hook141 H1). An exec with a
// command after its options replaces the shell: nothing runs after it.
func mayExecRedirect(c *syntax.CallExpr) bool {
	seenExec := false
	for _, w := range c.Args {
		lit := strings.ReplaceAll(unquotedLit(w), `\`, "")
		switch {
		case lit == "" && !seenExec:
			return true // a computed word may be exec
		case lit == "":
			return false // exec "$prog": a command
		case !seenExec && lit == "exec":
			seenExec = true
		case !seenExec && (lit == "command" || lit == "builtin"):
		case strings.HasPrefix(lit, "-"):
			// command -p, exec -l, exec -c, exec -- (exec -a NAME takes
			// a value, and a command after it).
		case seenExec:
			return false // exec -a NAME …, exec CMD: a command
		default:
			return false
		}
	}
	return seenExec
}

// cdCall reports whether a call may be the shell's cd, pushd or popd,
// which change the directory of every later command: the builtin's name
// in any quoting (\cd, 'cd', "cd", $'cd', c\d), behind builtin or command
// and their options (builtin cd, command -p cd), or a command word
// computed at run time, which may be any of them (review hook147 H3).
// name is the builtin, "" for a computed word; args are the words after
// it.
func cdCall(c *syntax.CallExpr, f *syntax.File, inner bool) (name string, args []*syntax.Word, ok bool) {
	wrapper := ""
	for i, w := range c.Args {
		s, static := staticName(w)
		switch {
		case !static:
			return "", c.Args[i+1:], mayNameCd(w) && lineMayMakeCd(w, f, inner) || lineMayMakeCd(w, f, inner) && i+1 < len(c.Args)
		case s == "cd" || s == "pushd" || s == "popd":
			return s, c.Args[i+1:], true
		case s == "builtin" || s == "command":
			wrapper = s
		case wrapper == "command" && s != "--" && strings.HasPrefix(s, "-") && strings.ContainsAny(s, "vV"):
			return "", nil, false // command -v cd only prints
		case wrapper != "" && strings.HasPrefix(s, "-"):
			// command -p cd, builtin -- cd
		default:
			return "", nil, false
		}
	}
	return "", nil, false
}

// staticName is a word's text after quote removal when it is made of
// literal text and quotes only, with no glob or brace expansion (which
// may make any name: c? is cd where a file cd is).
func staticName(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if mayGlob(p.Value, printWord(w)) {
				return "", false
			}
			b.WriteString(shellUnescape(p.Value, false))
		case *syntax.SglQuoted:
			if !p.Dollar {
				b.WriteString(p.Value)
				continue
			}
			s, err := expand.Literal(nil, &syntax.Word{Parts: []syntax.WordPart{p}})
			if err != nil {
				return "", false
			}
			b.WriteString(s)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", false // $"…": a translation
			}
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(shellUnescape(l.Value, true))
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// mayGlob reports whether unquoted text of a word may be a glob or a
// brace expansion: a * or ?, a [ with a ] after it in the word, braces
// around a comma or "..". A lone [ or { is literal ([ -f x ]).
func mayGlob(lit, word string) bool {
	if strings.ContainsAny(lit, "*?") {
		return true
	}
	if i := strings.IndexByte(lit, '['); i >= 0 {
		j := strings.Index(word, lit)
		if j < 0 || strings.Contains(word[j+i:], "]") {
			return true
		}
	}
	return strings.Contains(lit, "{") && (strings.Contains(word, ",") || strings.Contains(word, "..")) && strings.Contains(word, "}")
}

// mayNameCd reports whether a computed command word may expand to cd,
// pushd or popd: not when literal text before any unquoted expansion
// (which may split the word, or make a glob of it) holds a slash (bash
// runs no builtin for a path) or a letter none of those names has
// (python$V, "$D/x").
// lineMayMakeCd reports whether the line f may give the computed command
// word w the value cd (or pushd, popd, or a word that runs its arguments in
// this shell: builtin, command, eval…): a brace or glob, a command
// substitution, an operator, an indirection, or a variable the line binds
// otherwise than to a plain literal that is none of them (read x, for x in,
// x=$(…), declare 'x=cd', v=' cd' split by IFS); $@ and $1… where the line
// defines a function or calls set; any computed word of a script run
// inside the line (eval, trap, bash -c: its variables come from around it,
// review hook153). A variable the line does not bind comes from the
// environment — the accepted class of a variable exported in an earlier
// call that names the program — and a plain literal is judged where the
// call is (cmd=ls; $cmd > out.txt).
func lineMayMakeCd(w *syntax.Word, f *syntax.File, inner bool) bool {
	if f == nil || inner {
		return true
	}
	var parts []syntax.WordPart
	for _, p := range w.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			parts = append(parts, dq.Parts...)
			continue
		}
		parts = append(parts, p)
	}
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "{*?[") {
				return true // {cd,}: brace expansion leaves cd
			}
		case *syntax.SglQuoted:
		case *syntax.ParamExp:
			if p.Param == nil || p.Exp != nil || p.Index != nil || p.Excl || p.Length || p.Width || p.Slice != nil || p.Repl != nil || p.Names != 0 {
				return true
			}
			if lineBindsCd(p.Param.Value, f) {
				return true
			}
			if len(parts) > 1 && lineSets(p.Param.Value, f) {
				return true // buil$v with v=tin: the line's value joins the text
			}
		default:
			return true
		}
	}
	return false
}

// lineSets reports whether the line f assigns the variable name.
func lineSets(name string, f *syntax.File) bool {
	set := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if as, ok := n.(*syntax.Assign); ok && as.Name != nil && as.Name.Value == name {
			set = true
		}
		return !set
	})
	return set
}

// plainCommandValue matches a literal value that is one word whatever IFS
// holds (letters, digits, . / _ + -).
var plainCommandValue = regexp.MustCompile(`^[A-Za-z0-9_./+-]+$`)

// thisShellWords run their arguments (or change the directory) in the
// shell itself: a computed word with one of these values may be a cd.
var thisShellWords = map[string]bool{"cd": true, "pushd": true, "popd": true, "builtin": true, "command": true,
	"eval": true, "exec": true, "source": true, ".": true, "trap": true, "enable": true}

// lineBindsCd reports whether the line f may bind the variable name to a
// value other than a plain literal that is none of thisShellWords.
func lineBindsCd(name string, f *syntax.File) bool {
	special := name == "@" || name == "*" || name != "" && name[0] >= '0' && name[0] <= '9'
	bound, ifs := false, false
	syntax.Walk(f, func(n syntax.Node) bool {
		if bound {
			return false
		}
		switch n := n.(type) {
		case *syntax.FuncDecl:
			bound = bound || special
		case *syntax.DeclClause:
			for _, a := range n.Args {
				if a.Name == nil {
					bound = true // declare 'v=cd': a name the parser does not see
				}
			}
		case *syntax.Assign:
			if n.Name != nil && n.Name.Value == "IFS" {
				ifs = true
			}
			if n.Name != nil && n.Name.Value == name {
				v := ""
				ok := n.Value == nil
				if n.Value != nil {
					v, ok = staticName(n.Value)
				}
				// A value made of cd's letters may join the word's other
				// parts into one (c=c; "${c}d"); one with blanks splits.
				bound = !ok || n.Append || n.Index != nil || n.Array != nil || strings.Trim(v, "cdpusho") == "" ||
					!plainCommandValue.MatchString(v) || thisShellWords[v]
			}
		case *syntax.WordIter:
			bound = n.Name != nil && n.Name.Value == name
		case *syntax.ParamExp:
			bound = n.Param != nil && n.Param.Value == name && n.Exp != nil &&
				(n.Exp.Op == syntax.AssignUnset || n.Exp.Op == syntax.AssignUnsetOrNull)
		case *syntax.CallExpr:
			for i, a := range n.Args {
				l, _ := staticName(a)
				if l == name || strings.HasPrefix(l, name+"=") || special && i == 0 && l == "set" ||
					i == 0 && (l == "eval" || l == "source" || l == ".") {
					bound = true // read x, printf -v x, export 'x=cd', set -- cd .., eval "x=cd"
				}
			}
		}
		return !bound
	})
	return bound || ifs
}

func mayNameCd(w *syntax.Word) bool {
	rules := func(s string) bool { return strings.Trim(s, "cdpusho") != "" } // a slash too
	split := false
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if !split && !mayGlob(p.Value, printWord(w)) && !strings.Contains(p.Value, "\\") && rules(p.Value) {
				return false
			}
		case *syntax.SglQuoted:
			if !split && !p.Dollar && rules(p.Value) {
				return false
			}
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok && !split && !strings.Contains(l.Value, "\\") && rules(l.Value) {
					return false
				}
			}
		default:
			split = true
		}
	}
	return true
}
