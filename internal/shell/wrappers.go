package shell

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Programs the hook does not know, in front of programs it does: setarch,
// prlimit, chrt, aws-vault exec and their like exec their arguments, so an
// argument that names a program the hook judges (terraform, git, env,
// xargs, ssh, tar, make, vim, su, watch, a shell, an interpreter…) starts
// a command judged as if it stood there.

// shellOnly are builtins no wrapper can exec: named among an unknown
// program's arguments they are data.
var shellOnly = map[string]bool{"alias": true, "hash": true, "read": true, "mapfile": true, "readarray": true,
	"getopts": true, "source": true, ".": true, "eval": true, "trap": true, "compgen": true, "complete": true,
	"bind": true, "exec": true, "builtin": true, "noglob": true, "nocorrect": true, "-": true, "fc": true, "history": true}

// maxWrapped bounds the words of the calls judged behind unknown programs
// in one line: each argument naming a program starts one, over the words
// that follow it, and those may do the same.
const maxWrapped = 1 << 15

// wraps reports whether an argument of an unknown program names a program
// the hook judges by what it runs: a Terraform-family program, planguard,
// a shell or interpreter, a program that runs a command, code in an
// option, or has a judge of its own.
func (a *analyzer) wraps(s string) bool {
	b := baseName(s)
	if toolName(b) != "" || b == "planguard" || contains(a.opts.Planguard, s) {
		return true
	}
	if shellOnly[b] {
		return false
	}
	p := lookup(b)
	if p == unknownProgram {
		return false
	}
	switch p.runs {
	case runsCommand, runsLine, runsFirst, runsDashDash:
		return true
	}
	return p.judge != nil || p.guarded || p.interp ||
		len(p.code)+len(p.opaque)+len(p.keyed)+len(p.split)+len(p.again)+len(p.argv) > 0
}

// optionProgram is a program an option word of a program the hook does
// not know names in its value: --opt=PROGRAM (any program the hook
// judges), or -xPROGRAM, a short option's attached value (a
// Terraform-family program, planguard or a shell: the letters before it
// cannot be told apart from a value otherwise).
func (a *analyzer) optionProgram(s string) (string, bool) {
	if !strings.HasPrefix(s, "-") {
		return "", false
	}
	if strings.HasPrefix(s, "--") {
		_, v, ok := strings.Cut(s, "=")
		return v, ok && v != "" && a.wraps(v)
	}
	if _, v, ok := strings.Cut(s, "="); ok {
		// mvn -Dexec.executable=terraform: a property's value naming a
		// Terraform-family program or planguard (cmake
		// -DPython3_EXECUTABLE=python3 is a path cmake records).
		b := baseName(v)
		return v, v != "" && (toolName(b) != "" || b == "planguard")
	}
	for k := 2; k < len(s); k++ {
		if b := baseName(s[k:]); toolName(b) != "" || b == "planguard" || optionShells[b] {
			return s[k:], true
		}
	}
	return "", false
}

// optionShells are the shells optionProgram finds in a short option's
// attached value.
var optionShells = map[string]bool{"bash": true, "sh": true, "dash": true, "rbash": true, "ash": true, "zsh": true,
	"ksh": true, "mksh": true, "busybox": true, "env": true}

// dataOnly are programs the hook does not know that start no other
// program, whatever their arguments: a word of theirs that names one (tr
// -d r, cut -d r, jq --arg env dev) is data.
var dataOnly = map[string]bool{"tr": true, "cut": true, "paste": true, "column": true, "jq": true}

// unknownRuns judges a program the hook does not know (or one whose
// operands it does not place: su, script, scp, docker exec…): the files
// its arguments may name (looseArgs), a Terraform-family binary it reads,
// and every argument that names a program the hook judges, from there on.
func (a *analyzer) unknownRuns(name string, c call) {
	argv := c.argv
	// A writer's row judges its operands (mv x y > y); a program with no
	// row at all is judged here first.
	if lookup(name) == unknownProgram {
		for _, t := range argv[1:] {
			if strings.HasPrefix(t.s, "--kubeconfig") {
				// helm --kubeconfig FILE: its exec plugin runs (review
				// hook130 H2), as KUBECONFIG names.
				a.refuse("`%s`: --kubeconfig names a kubeconfig, whose exec credential plugin the client runs, which the hook does not read: use the configuration in place", truncateTok(argv))
				return
			}
		}
		// It may read a file the line wrote as code (review hook126 M1);
		// data files (plan.json, out.txt) pass.
		// A program that runs code from files reads any name as code
		// (racket s.txt, cmake -P CMakeLists.txt: review hook143 H3).
		runsCode := codeRunners[strings.ToLower(baseName(argv[0].s))]
		if v := a.writtenOperand(argv[1:], func(v string) bool { return runsCode || !dataFile(v) }); v != "" {
			a.refuse("`%s` reads %s, which this command line writes, and may run it as code (a script of its own language): write it with the agent's file tool and run the program in a call of its own", truncateTok(argv), v)
			return
		}
		if files := buildFiles[strings.ToLower(baseName(argv[0].s))]; len(files) > 0 {
			// mvn reads pom.xml unnamed, as make its Makefile.
			for w := range a.lineWritten {
				if slices.Contains(files, strings.ToLower(path.Base(w))) || strings.HasSuffix(w, ".cmake") {
					a.refuse("`%s` reads its build file %s, which this command line writes, and runs what it says: write it with the agent's file tool and build in a call of its own", truncateTok(argv), path.Base(w))
					return
				}
			}
		}
		if runsCode {
			// Its code from standard input or a pipe: /dev/stdin, -,
			// /dev/fd/N, <(…) (cmake -P /dev/stdin <<'EOF').
			for _, t := range argv[1:] {
				if strings.Contains(t.s, "/") && (stdinPath(t) || otherFD(t)) || t.w != nil && hasProcSubst(t.w) || !t.dyn && t.s == "-" && c.fed {
					a.refuse("`%s` runs code, and reads it here from standard input or a pipe (%s), which the hook does not read: write the code to a file with the agent's file tool and run that", truncateTok(argv), srcOf(t))
					return
				}
			}
		}
	}
	// After the check above: the files the program's own options write
	// (uudecode -o out.bin) are recorded here.
	a.commandStrings(name, c)
	prog, _ := execProgram(name, argv)
	if !lookup(name).writes {
		// A writer's own row places what it writes. An exec wrapper's
		// own words are judged here, the program it runs as if it
		// stood there (setarch x86_64 grep -r "$x" .).
		switch {
		case prog > 0 && argv[prog].dyn:
			a.looseArgs(append(append([]tok{}, argv[:prog]...), argv[prog+1:]...))
		case prog > 0:
			a.looseArgs(argv[:prog])
		default:
			a.looseArgs(argv)
		}
	}
	if a.execWrapperComputed(name, c) {
		return
	}
	// A program the hook does not know may connect what it starts to
	// input the line feeds it (nc -e sh, -e vim -E, -e sqlite3: a socket
	// the line writes into: review hook116 H7, hook119 H5): judged as fed,
	// but for a Terraform-family program (whose fed input is a yes to a
	// question, judged apart). And the program may keep a `--` after it
	// for itself (start-stop-daemon -x /bin/sh -- -c CMD runs sh -c CMD:
	// review hook116 H1): judged without it too.
	inner := func(at int, args []tok) {
		if packageRunners[name] && !args[0].dyn {
			// npx tflocal@1, uvx pkg==2.0: the package's program, without
			// its version (review hook124 H1).
			args = append([]tok{{s: packageProgram(args[0].s)}}, args[1:]...)
		}
		ic := wrapperScope(name, argv[:at], c.inner(args))
		if b := baseName(args[0].s); args[0].dyn || toolName(b) == "" && b != "ssh" {
			// ssh's own input goes to the other host (nc %h %p in a
			// ProxyCommand filled with `ssh` is no ssh reading a socket).
			ic.fed, ic.linked = true, true
		}
		a.run(ic)
		if len(args) > 1 && args[1].s == "--" && !args[1].dyn {
			a.run(wrapperScope(name, argv[:at], c.inner(append([]tok{args[0]}, args[2:]...))))
		}
	}
	if prog > 0 && !argv[prog].dyn {
		if b := baseName(argv[prog].s); !a.wraps(argv[prog].s) && !(lookup(b).writes && lookup(b).dests != destUnknown) {
			inner(prog, argv[prog:])
		}
	}
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		if t.dyn {
			a.unknownDynArg(name, c, i)
			continue
		}
		b := baseName(t.s)
		if dataOnly[name] || name == "sort" && (argv[i-1].s == "-t" || argv[i-1].s == "--field-separator") && !argv[i-1].dyn {
			// tr -d '\r', cut -d r, sort -t r: a character, not the R
			// interpreter (review hook156 F1); only a binary read as a
			// file is judged.
			if toolPath(t) != "" && !inspectOnly[name] && !tfSubcommandFollows(argv[i+1:]) {
				a.refuse("`%s` reads %s, a Terraform-family program's binary, and could copy it to a name the hook does not know", truncateTok(argv), t.s)
				return
			}
			continue
		}
		if v, ok := a.optionProgram(t.s); ok && !a.wraps(t.s) {
			// start-stop-daemon --startas=terraform, -aterraform: a
			// program named bare in an option's value (review hook99 H4),
			// judged as if it stood there with the words after it.
			if a.wrapped += len(argv) - i; a.wrapped > maxWrapped {
				a.refuse("the line names more programs behind programs the hook does not know than it checks (%d words): split it into shorter commands", maxWrapped)
				return
			}
			if !strings.HasPrefix(t.s, "--") && strings.Contains(t.s, "=") {
				// mvn -Dexec.executable=terraform -Dexec.args=destroy: a
				// property naming the program, its arguments in another.
				a.refuse("`%s`: %s names %s in a property, whose arguments the program takes from properties the hook does not read: run %s in a call of its own", truncateTok(argv), t.s, v, v)
				return
			}
			inner(i, append([]tok{{s: v}}, argv[i+1:]...))
			continue
		}
		switch {
		case toolPath(t) != "" && !inspectOnly[name] && !tfSubcommandFollows(argv[i+1:]):
			// gzip -c /usr/local/bin/terraform: the binary as a file.
			a.refuse("`%s` reads %s, a Terraform-family program's binary, and could copy it to a name the hook does not know", truncateTok(argv), t.s)
			return
		case subcommandWord(name, t.s):
			// gh pr view 12, npm view react, gh run watch: a subcommand
			// of a command-line client, not the editor or wrapper of
			// that name (review hook142 false refusals).
		case proxyTools[b] != "" && !tfSubcommandFollows(argv[i+1:]):
			// tar tf x.tar, jar tf x.jar: tenv's proxy names are common
			// words; one is the program only before a Terraform
			// subcommand (x tf destroy).
		case (a.wraps(t.s) || judgedUnknown[b] && name != b) && !((copier(name) || pathOperands[name]) && toolName(b) == "" && b != "planguard"):
			// cp a.txt st: a copier's operand is a file, not the terminal
			// emulator st (review hook33); so are mkdir's and chmod's
			// (mkdir -p src/parallel: review hook81); a Terraform-family
			// name still is.
			if toolName(b) != "" {
				for _, o := range argv[1:i] {
					// systemd-run --setenv=TF_CLI_ARGS_init=-force-copy terraform init
					if !o.dyn && strings.Contains(o.s, "TF_CLI_ARGS") {
						a.refuse("`%s`: %s may set %s for %s, which adds arguments the hook does not see", truncateTok(argv), name, o.s, t.s)
						return
					}
				}
			}
			if a.wrapped += len(argv) - i; a.wrapped > maxWrapped {
				a.refuse("the line names more programs behind programs the hook does not know than it checks (%d words): split it into shorter commands", maxWrapped)
				return
			}
			inner(i, argv[i:])
		case treeWriter(b):
			// chrt -o 0 gzip -r ., valgrind -q unzip x.zip: a wrapper whose
			// program the hook does not place; the extractor's, the
			// compressor's or the clearer's own rules, from that word on
			// (review hook86 H1).
			s := wrapperScope(name, argv[:i], c)
			func() {
				defer func(o call, u bool) { a.outer, a.cwdUnknown = o, u }(a.outer, a.cwdUnknown)
				a.outer.chdir, a.outer.dir = s.chdir, s.dir
				a.cwdUnknown = a.cwdUnknown || s.chdir != ""
				a.looseArgs(argv[i:])
			}()
		case lookup(b).writes && wrapperScope(name, argv[:i], c).chdir != c.chdir:
			// unshare -w .. rm -rf tf, start-stop-daemon --chdir ..
			// --exec /bin/rm: the writer runs in a directory the hook
			// does not place (review hook83 H2).
			a.run(wrapperScope(name, argv[:i], c.inner(argv[i:])))
		case lookup(b).writes && lookup(b).dests != destUnknown:
			// aws-vault exec prod -- cp x ../planguard.hcl: the writer's
			// destinations, as its own row places them.
			a.writes(lookup(b), b, argv[i:])
			a.derivedWrites(lookup(b), b, argv[i:])
		}
	}
}

// tfSubcommandFollows reports whether the words after a Terraform-family
// binary's path run it (global options, then a subcommand), rather than
// name it as a file.
func tfSubcommandFollows(rest []tok) bool {
	for _, t := range rest {
		if t.dyn {
			return true
		}
		if strings.HasPrefix(t.s, "-") {
			continue
		}
		w := strings.ToLower(t.s)
		return safeSubcommands[w] || refusedWords[w] || w == "test" || w == "init"
	}
	return false
}

// unknownDynArg judges an argument of an unknown program computed at run
// time, which may be the program it runs: one bash fills from the line,
// one whose last path component names a program the hook judges
// ("$DIR"/terraform), one a lookup prints ($(which terraform)), or one
// followed by a refused subcommand.
func (a *analyzer) unknownDynArg(name string, c call, i int) {
	argv := c.argv
	t := argv[i]
	if t.w != nil {
		if v := fillsWord(t.w); v != "" {
			a.refuse("`%s` passes $%s, which the shell fills from the line itself, to %s, which may run it: the hook cannot follow it", truncateTok(argv), v, name)
			return
		}
		if b := staticBase(t.w); b != "" && a.wraps(b) {
			alt := append([]tok{{s: b}}, argv[i+1:]...)
			a.run(c.inner(alt))
			return
		}
		if t.kind == dynOutput && a.looksUpTool(t.w) {
			a.refuse("`%s` passes %s, which may print a Terraform-family program's path, to %s, which may run it", truncateTok(argv), t.src, name)
			return
		}
	}
	if w, ok := namesRefused(argv[i+1:]); ok {
		a.refuse("`%s`: %s may run a program computed at run time (%s), and its arguments name `%s`", truncateTok(argv), name, srcOf(t), w)
	}
}

// staticBase is the last path component of a word when it is literal
// ("$PWD"/terraform, ${d}/bin/tofu, $HOME/bin/planguard), else "".
func staticBase(w *syntax.Word) string {
	var flat []syntax.WordPart
	for _, p := range w.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			flat = append(flat, dq.Parts...)
			continue
		}
		flat = append(flat, p)
	}
	suffix := ""
	for k := len(flat) - 1; k >= 0; k-- {
		text := ""
		switch p := flat[k].(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "*?[") {
				return ""
			}
			text = shellUnescape(p.Value, quotedPart(w, p)) // ${x}r\m is rm (review hook44 L1)
		case *syntax.SglQuoted:
			text = p.Value
			if p.Dollar {
				s, err := expand.Literal(nil, &syntax.Word{Parts: []syntax.WordPart{p}})
				if err != nil {
					return ""
				}
				text = s
			}
		default:
			return suffix // "$X"terraform: the computed part may end with a slash
		}
		suffix = text + suffix
		if j := strings.LastIndexByte(suffix, '/'); j >= 0 {
			return suffix[j+1:]
		}
	}
	return ""
}

// quotedPart reports whether a literal part of w stands inside double
// quotes.
func quotedPart(w *syntax.Word, lit *syntax.Lit) bool {
	for _, p := range w.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			for _, q := range dq.Parts {
				if q == syntax.WordPart(lit) {
					return true
				}
			}
		}
	}
	return false
}

// valgrindEnvName refuses valgrind's %q{NAME} in an option (review
// hook132 M3: F=terraform.tfstate valgrind --log-file=%q{F} true): valgrind
// puts the value of the environment variable NAME into the file name it
// writes (--log-file, --xml-file, a tool's --*-out-file), a value the hook
// reads as data.
func (a *analyzer) valgrindEnvName(argv []tok) bool {
	for _, t := range argv[1:] {
		if !strings.HasPrefix(t.s, "-") {
			break // the program valgrind runs, and its arguments
		}
		if strings.Contains(t.s, "%q{") || t.dyn && strings.Contains(t.s, "%q") {
			a.refuse("`%s`: %%q{NAME} in %s puts an environment variable's value into the name of the file valgrind writes, a value the hook reads as data: spell the file name out", truncateTok(argv), t.s)
			return true
		}
	}
	return false
}

// execWrappers are programs the hook has no row for that run their
// arguments as a command (prlimit, setarch, unshare, systemd-run…), with
// the number of operands they take before it (setarch ARCH CMD, chrt
// PRIO CMD, gosu USER CMD); a number above the real one only makes the
// rule stricter. runnerSubs are the subcommands of the runners that do
// the same (uv run CMD, aws-vault exec PROFILE CMD).
var execWrappers = map[string]int{
	"prlimit": 0, "setarch": 1, "linux32": 0, "linux64": 0, "i386": 0, "x86_64": 0, "uname26": 0, "arch": 0,
	"unshare": 0, "nsenter": 0, "chrt": 1, "numactl": 0, "hwloc-bind": 1, "firejail": 0, "bwrap": 0,
	"systemd-run": 0, "systemd-nspawn": 0, "cgexec": 0, "valgrind": 0, "catchsegv": 0, "heaptrack": 0,
	"memusage": 0, "uftrace": 0, "torsocks": 0, "torify": 0, "proxychains": 0, "proxychains4": 0, "tsocks": 0,
	"faketime": 1, "fakeroot": 0, "fakechroot": 0, "eatmydata": 0, "nocache": 0, "cpulimit": 0, "trickle": 0,
	"schedtool": 0, "runcon": 1, "setpriv": 0, "gosu": 1, "su-exec": 1, "setuidgid": 1, "envuidgid": 1,
	"softlimit": 0, "envdir": 1, "pgrphack": 0, "setlock": 1, "lckdo": 1, "with-lock-ex": 1, "chronic": 0,
	"ifne": 0, "dumb-init": 0, "tini": 0, "daemonize": 0, "xvfb-run": 0, "dbus-run-session": 0,
	"dbus-launch": 0, "ssh-agent": 0, "mpirun": 0, "mpiexec": 0, "srun": 0, "box64": 0, "box86": 0,
	"wine": 0, "sandbox-exec": 0, "flatpak-spawn": 0, "pkexec": 0, "entr": 0, "retry": 0, "sem": 0,
	"s6-setuidgid": 1, "s6-envdir": 1, "s6-softlimit": 0, "s6-applyuidgid": 0, "npx": 0, "bunx": 0,
	"pnpx": 0, "uvx": 0, "pipx": 1, "dotenv": 0, "env-cmd": 0, "cross-env": 0, "summon": 0, "ld.so": 0,
	"perf": 1, "rr": 1, "toolbox": 1, "distrobox": 1, "lxc-attach": 0, "ld-linux.so.2": 0, "schroot": 0,
	"run0": 0, "proot": 0, "ksu": 0, "please": 0, "nsjail": 0, "minijail0": 0, "aa-exec": 0, "sandbox": 0,
	"systemd-inhibit": 0, "systemd-cat": 0, "gamemoderun": 0, "prime-run": 0, "optirun": 0, "primusrun": 0,
	"vglrun": 0, "mangohud": 0, "likwid-pin": 0, "tsp": 0, "nq": 0, "watchexec": 0, "nodemon": 0,
	// hyperfine runs each argument as a command line: no literal word
	// makes a computed one an argument.
	"hyperfine": 1 << 20,
}

// packageRunners fetch a package and run its program (npx PKG@VERSION).
var packageRunners = map[string]bool{"npx": true, "bunx": true, "pnpx": true, "uvx": true, "pipx": true}

// packageProgram is the program a package runner's package word runs:
// its base name, without a version, a tag or extras (@jahed/terraform@1.11.4
// is terraform, tflocal==0.1 is tflocal).
func packageProgram(s string) string {
	b := s
	if i := strings.LastIndex(b, "/"); i >= 0 {
		b = b[i+1:]
	}
	if i := strings.IndexAny(b, "@=[<>~!"); i > 0 {
		b = b[:i]
	}
	return b
}

var runnerSubs = map[string]map[string]int{
	"uv": {"run": 0}, "poetry": {"run": 0}, "pipenv": {"run": 0}, "hatch": {"run": 0}, "pdm": {"run": 0},
	"rye": {"run": 0}, "conda": {"run": 0}, "mamba": {"run": 0}, "micromamba": {"run": 0},
	"pixi": {"run": 0, "exec": 0}, "devbox": {"run": 0}, "bundle": {"exec": 0}, "pnpm": {"exec": 0, "dlx": 0},
	"yarn": {"exec": 0, "dlx": 0}, "aws-vault": {"exec": 1}, "op": {"run": 0}, "direnv": {"exec": 1},
	"doppler": {"run": 0}, "infisical": {"run": 0}, "dotenvx": {"run": 0}, "chamber": {"exec": 1 << 20},
	"berglas": {"exec": 0}, "teller": {"run": 0}, "saml2aws": {"exec": 0}, "nix-shell": {}, "rbenv": {"exec": 0},
	"pyenv": {"exec": 0}, "nodenv": {"exec": 0}, "goenv": {"exec": 0}, "asdf": {"exec": 0}, "mise": {"exec": 0, "x": 0},
}

// execWrapperArity reports whether a program runs its arguments as a
// command, and where that command starts: after skip words of the
// arguments (a subcommand) and n operands.
func execWrapperArity(name string, argv []tok) (skip, n int, ok bool) {
	if strings.HasPrefix(name, "ld-linux") || strings.HasPrefix(name, "ld-musl") || strings.HasPrefix(name, "qemu-") {
		return 0, 0, true // the dynamic loader and user-mode emulators run the program named first
	}
	if n, ok := execWrappers[name]; ok {
		return 0, n, true
	}
	subs, ok := runnerSubs[name]
	if !ok {
		if lookup(name).runs == runsDashDash {
			return 0, 0, true // mise, nix, aqua without a `--`
		}
		return 0, 0, false
	}
	for i, t := range argv[1:] {
		if t.dyn {
			return i, 0, true // uv $x: the subcommand itself is computed
		}
		if strings.HasPrefix(t.s, "-") {
			continue
		}
		if n, ok := subs[t.s]; ok {
			return i + 1, n, true
		}
		return 0, 0, false // uv pip install …: not a command runner
	}
	return 0, 0, false
}

// execWrapperComputed refuses a program the hook has no row for that runs
// its arguments as a command (prlimit, setarch x86_64, systemd-run, uv
// run…), given a word this line computes ($x set from $(…), ${x//X/},
// $(…), the words xargs reads) where the command's program may stand:
// bash splits it into the program and its arguments, as it would for
// `nice $x`, which is refused (review hook32 F1, F3). The program is known
// to stand before a computed word only when it is a literal word after
// the wrapper's operands and no option before it but NAME=VALUE ones (an
// option may take the words after it as values: systemd-run -p make $x,
// bwrap --bind / / $x), or the first after a `--`: an option-shaped
// word quoted whole ("--nofile=$n") cannot be the program. Words from the environment the
// line does not set ($CMD) and globs are judged as elsewhere.
func (a *analyzer) execWrapperComputed(name string, c call) bool {
	if _, bad := execProgram(name, c.argv); bad > 0 {
		a.refuse("`%s`: %s runs its arguments as a command, and %s, computed at run time, may be that command's program and its arguments, which the hook cannot follow: write the program to run as literal text before it", truncateTok(c.argv), name, srcOf(c.argv[bad]))
		return true
	}
	return false
}

// execProgram returns where in argv the program an exec wrapper runs
// stands (-1: not an exec wrapper, or no program), and bad: where a word
// computed by the line stands that may be the program (0: none).
func execProgram(name string, argv []tok) (prog, bad int) {
	skip, n, ok := execWrapperArity(name, argv)
	if !ok {
		return -1, 0
	}
	afterOpt, dashes := false, false
	for i := 1 + skip; i < len(argv); i++ {
		t := argv[i]
		if t.dyn && (t.kind == dynLine || t.kind == dynOutput || t.kind == dynInput) {
			if !dashes && t.w != nil && optionWord(t.w) {
				continue
			}
			return -1, i
		}
		switch {
		case !t.dyn && t.s == "--" && !dashes:
			dashes, afterOpt = true, false
		case !t.dyn && !dashes && strings.HasPrefix(t.s, "-") && len(t.s) > 1:
			// An option the hook has no table for may take the words
			// after it as values, any number (bwrap --bind SRC DEST):
			// the program is known only after a `--`.
			afterOpt = afterOpt || !strings.Contains(t.s, "=")
		case afterOpt && !dashes:
			// maybe an option's value
		case !t.dyn && isAssignment(t.s):
			// cross-env FOO=1 CMD, env-like operands
		case n > 0:
			n--
		default:
			return i, 0 // the program: what follows is its arguments
		}
	}
	return -1, 0
}

// optionWord reports whether a word is one word that starts with a
// literal dash: no part of it is split ("--nofile=$n", -j"$(nproc)").
func optionWord(w *syntax.Word) bool {
	first := ""
	for i, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if i == 0 {
				first = p.Value
			}
		case *syntax.SglQuoted:
			if p.Dollar {
				return false
			}
			if i == 0 {
				first = p.Value
			}
		case *syntax.DblQuoted:
			if i == 0 && len(p.Parts) > 0 {
				if l, ok := p.Parts[0].(*syntax.Lit); ok {
					first = l.Value
				}
			}
		default:
			return false // unquoted $x, $(…): split into words
		}
	}
	return strings.HasPrefix(first, "-") && len(first) > 1
}

// isAssignment reports whether a word is NAME=VALUE.
func isAssignment(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	return ok && isName(k)
}

// copier reports whether name is a program that copies or links files to
// the destinations its row places (cp, mv, ln, install, link): it runs
// none of its operands.
// wrapperScope is the call an unknown wrapper makes, given the wrapper's
// own words before the program: a directory option (unshare --wd DIR,
// nsenter -w, start-stop-daemon --chdir, srun -D, pnpm -C) runs it in a
// directory the hook does not place, and an environment option (bwrap
// --setenv X V, firejail --env=X=V, mpirun -x, envdir DIR) sets variables
// the hook does not know for it (review hook83 H2, M1).
func wrapperScope(name string, words []tok, c call) call {
	if envWrappers[name] {
		c.assigns = append(append([]string{}, c.assigns...), "*")
	}
	dirLetters, envLetters := "C"+wrapperDirLetters[name], "E"+wrapperEnvLetters[name]
	for _, t := range words[1:] {
		if !t.dyn && (strings.Contains(t.s, "WorkingDirectory=") || strings.Contains(t.s, "RootDirectory=")) {
			// systemd-run -p WorkingDirectory=DIR (review hook94 M1).
			c.chdir, c.dir = name+" "+t.s, ""
		}
		if !t.dyn && t.s == "chdir" {
			// cmake -E chdir DIR CMD (review hook92 H5).
			c.chdir, c.dir = name+" chdir", ""
		}
		if t.dyn || !strings.HasPrefix(t.s, "-") {
			continue
		}
		opt, _, _ := strings.Cut(strings.TrimLeft(t.s, "-"), "=")
		// Open MPI reads -wdir DIR as --wdir (review hook92 H4).
		long := strings.HasPrefix(t.s, "--") || singleDashLong[name] && len(opt) > 1
		if long && optionPrefixOf(opt, dirOptions) || !long && strings.ContainsAny(opt, dirLetters) {
			// A short cluster may hold the letter anywhere (unshare -fw
			// DIR: review hook85 H3); a long option may be abbreviated
			// (--chd DIR, --w=DIR: review hook86 H2).
			c.chdir, c.dir = name+" "+t.s, ""
		}
		if long && optionPrefixOf(opt, envOptions) || !long && strings.ContainsAny(opt, envLetters) {
			c.assigns = append(append([]string{}, c.assigns...), "*")
		}
	}
	return c
}

// optionPrefixOf reports whether a long option's name (getopt takes any
// unambiguous prefix) may stand for one of names.
func optionPrefixOf(opt string, names map[string]bool) bool {
	if opt == "" {
		return false
	}
	for n := range names {
		if strings.HasPrefix(n, opt) {
			return true
		}
	}
	return false
}

// wrapperDirLetters and wrapperEnvLetters are the short options by which
// the wrappers the hook knows of name a directory (unshare -w DIR -R ROOT,
// nsenter -w/-W/-r, start-stop-daemon -d/-r, srun -D) or set a variable
// (mpirun -x NAME); -C and -E count for every wrapper.
var (
	wrapperDirLetters = map[string]string{"unshare": "wR", "nsenter": "wWr", "start-stop-daemon": "dr", "srun": "D",
		"salloc": "D", "sbatch": "D", "proot": "wrRS", "chroot": "", "pnpm": "C", "bwrap": "", "schroot": "d"}
	wrapperEnvLetters = map[string]string{"mpirun": "x", "mpiexec": "x", "orterun": "x"}
)

// rootWrapperValued are the options of unshare and nsenter that take the
// next word as their value (short and long), besides the root's.
var rootWrapperValued = map[string]map[string]bool{
	"unshare": {"S": true, "G": true, "w": true, "setuid": true, "setgid": true, "wd": true, "propagation": true,
		"setgroups": true, "map-user": true, "map-group": true, "map-users": true, "map-groups": true, "monotonic": true,
		"boottime": true, "load-interp": true},
	"nsenter": {"t": true, "S": true, "G": true, "target": true, "setuid": true, "setgid": true},
}

// singleDashLong are the wrappers that take long options after one dash.
var singleDashLong = map[string]bool{"mpirun": true, "mpiexec": true, "orterun": true, "oshrun": true}

// mpiNames are the MPI launchers under Debian's alternatives' names
// (mpirun.openmpi, mpiexec.hydra: review hook94 H3), read as mpirun.
var mpiNames = []string{"mpirun.openmpi", "mpiexec.openmpi", "orterun.openmpi", "mpirun.mpich", "mpiexec.mpich",
	"mpiexec.hydra", "mpirun.hydra", "oshrun.openmpi", "shmemrun", "shmemrun.openmpi"}

func init() {
	for _, n := range mpiNames {
		execWrappers[n], singleDashLong[n], wrapperEnvLetters[n] = 0, true, "x"
	}
}

// dirOptions are long options by which wrappers name the directory they
// run a program in.
var dirOptions = map[string]bool{"wd": true, "cwd": true, "chdir": true, "dir": true, "directory": true, "workdir": true,
	"work-dir": true, "working-directory": true, "wdir": true, "cd": true, "root": true, "chroot": true, "rootfs": true,
	"pwd": true, "wdns": true,
	// MPICH's -gwdir, Open MPI's --set-cwd-to-session-dir, firejail's
	// --private-cwd (review hook96 M1).
	"gwdir": true, "set-cwd-to-session-dir": true, "private-cwd": true}

// envOptions are long options by which wrappers set the environment of
// the program they run.
var envOptions = map[string]bool{"setenv": true, "env": true, "env-file": true, "envfile": true, "environment": true,
	"dotenv": true, "export": true, "preserve-env": true}

// envWrappers set variables from files or directories (envdir DIR reads
// one variable per file).
var envWrappers = map[string]bool{"envdir": true, "envuidgid": true, "dotenv": true, "dotenvx": true, "env-cmd": true,
	"with-env": true, "direnv": true, "sops": true, "chamber": true, "aws-vault": true, "op": true, "doppler": true}

// pathOperands are programs whose operands are only paths, which they
// never run: a word naming a program is a file or directory there.
var pathOperands = map[string]bool{"mkdir": true, "rmdir": true, "rm": true, "unlink": true, "touch": true,
	"chmod": true, "chown": true, "chgrp": true, "mkfifo": true, "truncate": true}

func copier(name string) bool {
	p := lookup(name)
	return p != unknownProgram && p.copies && p.writes && p.dests != destUnknown
}

// commandStrings judges the arguments that programs which run command
// lines through a shell take as text (review hook104 M1, M2): hyperfine's
// commands and the values of its --prepare, --setup, --cleanup,
// --conclude and --reference; entr -s's command; nodemon's --exec (-x);
// watchexec's command. Every such word is judged as a script (a value of
// another option judged so too only makes the rule stricter).
func (a *analyzer) commandStrings(name string, c call) {
	args := c.argv[1:]
	judge := func(t tok) { a.scriptTok(t, name, c.depth) }
	switch name {
	case "hyperfine", "watchexec":
		for i := 0; i < len(args); i++ {
			t := args[i]
			if name == "hyperfine" && !t.dyn {
				// The values of the options that take no command
				// (hyperfine -r 3: review hook109 L2), and the parameters
				// that fill {NAME} in the commands (-L x terraform,true
				// '{x} destroy': review hook109 H9).
				if n := hyperfineValues[t.s]; n > 0 {
					if t.s == "-L" || t.s == "--parameter-list" || t.s == "-P" || t.s == "--parameter-scan" {
						a.refuse("`%s`: %s fills the commands' {NAME} placeholders with its values, which the hook does not substitute: write each command out", truncateTok(c.argv), t.s)
						return
					}
					i += n
					continue
				}
			}
			if !t.dyn && strings.HasPrefix(t.s, "-") && t.s != "-" {
				if _, v, ok := strings.Cut(t.s, "="); ok {
					judge(tok{s: v})
				} else if !strings.HasPrefix(t.s, "--") && len(t.s) > 2 {
					// -p'cmd': a short option's attached value (review
					// hook106 M1).
					judge(tok{s: t.s[2:]})
				}
				continue
			}
			judge(t)
		}
	case "entr":
		shell := false
		for _, t := range args {
			if t.dyn || !strings.HasPrefix(t.s, "-") || t.s == "--" {
				if shell && t.s != "--" {
					judge(t)
					return
				}
				if t.s != "--" {
					return
				}
				continue
			}
			shell = shell || !strings.HasPrefix(t.s, "--") && strings.ContainsRune(t.s, 's')
		}
	case "scriptlive", "systemd-tmpfiles":
		// scriptlive types its input log into a shell; systemd-tmpfiles
		// creates, writes and removes what its rules name, read from
		// files or standard input (review hook113 H1, H2).
		a.refuse("`%s` runs a shell on the input it replays, or creates, writes and removes the paths its rules name, which the hook does not read: run the commands themselves", truncateTok(c.argv))
	case "groff", "nroff", "troff", "pic", "eqn", "tbl", "grog", "soelim", "refer", "grn", "chem":
		for _, t := range args {
			if t.dyn || strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "--") && strings.ContainsRune(t.s, 'U') {
				// Unsafe mode: .sy and pic's sh run commands (review
				// hook113 H3, H4).
				a.refuse("`%s`: -U (unsafe mode) runs the commands the document holds (.sy, sh): format without -U", truncateTok(c.argv))
				return
			}
		}
	case "ssh-copy-id":
		for _, t := range args {
			if t.dyn || strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "--") && strings.ContainsRune(t.s, 'o') {
				// ssh options: ProxyCommand, LocalCommand run commands
				// (review hook113 H6).
				a.refuse("`%s`: -o passes options to ssh (ProxyCommand, LocalCommand run commands), which the hook judges on ssh only: run ssh-copy-id without -o", truncateTok(c.argv))
				return
			}
		}
	case "prove":
		for i := 0; i < len(args); i++ {
			t := args[i]
			l, v, ok := strings.Cut(t.s, "=")
			exec := strings.HasPrefix(l, "--") && len(l) >= 5 && strings.HasPrefix("--exec", l) ||
				!strings.HasPrefix(l, "--") && strings.HasPrefix(l, "-") && strings.ContainsRune(l, 'e') // -ve (review hook114 H14, H15)
			if t.dyn || !exec {
				continue
			}
			if !ok && i+1 < len(args) {
				v = args[i+1].s
				i++
			}
			judge(tok{s: v}) // the command it runs each test with (review hook113 M7)
		}
	case "memusage":
		for _, t := range args {
			if !strings.HasPrefix(t.s, "-") {
				break
			}
			if t.dyn || strings.HasPrefix(t.s, "-d") || strings.HasPrefix(t.s, "-n") || strings.HasPrefix(t.s, "--data") ||
				strings.HasPrefix(t.s, "--progname") || strings.HasPrefix(t.s, "-p") || strings.HasPrefix(t.s, "--png") {
				// memusage evals these values in its shell (review hook113
				// M8) and writes -p/-d files.
				a.refuse("`%s`: memusage evaluates its -d/-n/-p values in a shell and writes the files they name: run it without them", truncateTok(c.argv))
				return
			}
		}
	case "pee", "mispipe":
		for _, t := range args {
			judge(t) // each argument runs with sh -c (moreutils)
		}
	case "hub":
		// hub passes every git subcommand to git: judged as git, but for
		// hub's own commands.
		if len(args) == 0 || args[0].dyn || !hubOwn[args[0].s] {
			a.run(c.inner(append([]tok{{s: "git"}}, args...)))
		}
	case "gh", "glab", "tea":
		// gh pr checkout 42, glab mr checkout: git checkout of another
		// commit, judged as git's moves of the tree are (review hook142:
		// allowed while git checkout was refused).
		if len(args) >= 2 && !args[0].dyn && !args[1].dyn && (args[0].s == "pr" || args[0].s == "mr" || args[0].s == "pulls") &&
			(args[1].s == "checkout" || args[1].s == "co") {
			a.gitMovesTree(truncateTok(c.argv), true)
		}
	case "sqlite3", "sqlite":
		a.sqliteArgs(c)
	case "rustup", "rustc", "rustdoc", "rustfmt", "cargo-clippy", "clippy-driver", "rust-analyzer", "rust-gdb", "rls":
		a.rustToolchain(name, c)
	case "npm", "npx", "pnpm", "yarn", "pip", "pip3", "cargo", "pnpx", "bunx":
		if name == "cargo" {
			a.rustToolchain(name, c)
		}
		if name != "pnpx" && name != "bunx" {
			a.packageManagerFlags(name, c)
		}
		if name == "npm" || name == "npx" || name == "pnpm" || name == "pnpx" {
			a.npmCommandText(name, c)
		}
		// npx -y cdktf-cli destroy, npm exec cdktf-cli -- deploy: CDK
		// for Terraform runs terraform apply and destroy (review hook115
		// H2; pnpx, bunx: hook117 H4).
		if cdktfNamed(args) {
			a.tfWrapperArgs(c)
		}
	case "socat":
		for _, t := range args {
			if l := strings.ToLower(t.s); t.dyn || strings.Contains(l, "exec:") || strings.Contains(l, "system:") {
				// EXEC:PROG, SYSTEM:CMD: a program whose input is the
				// other address (a socket the line may write into:
				// review hook116 H7).
				a.refuse("`%s`: socat runs a program (EXEC:, SYSTEM:) that reads from the other address, out of the hook's sight: run the command directly", truncateTok(c.argv))
				return
			}
		}
	case "ncat", "nc", "netcat", "nc.traditional", "nc.openbsd":
		for _, t := range args {
			if t.dyn || t.s == "-c" || strings.HasPrefix(t.s, "--sh-exec") || strings.HasPrefix(t.s, "--lua-exec") {
				a.refuse("`%s`: -c/--sh-exec runs a command line that reads from the connection, out of the hook's sight: run the command directly", truncateTok(c.argv))
				return
			}
		}
	case "uudecode":
		// uudecode writes the file its input's begin line names, unless
		// -o names one (review hook116 H6).
		for i, t := range args {
			if t.dyn {
				a.refuse("`%s`: an argument computed at run time", truncateTok(c.argv))
				return
			}
			if v, ok := strings.CutPrefix(t.s, "-o"); ok {
				if v == "" && i+1 < len(args) {
					a.writeDest(c.argv, args[i+1], false)
				} else if v != "" {
					a.writeDest(c.argv, tok{s: v}, false)
				}
				return
			}
			if strings.HasPrefix(t.s, "--output-file") {
				_, v, ok := strings.Cut(t.s, "=")
				if !ok && i+1 < len(args) {
					v = args[i+1].s
				}
				a.writeDest(c.argv, tok{s: v}, false)
				return
			}
		}
		a.refuse("`%s` writes the file its input names (the begin line), which the hook does not read: give the output file with -o", truncateTok(c.argv))
	case "gio", "kioclient", "kioclient5", "kioclient6":
		// gio move/remove/rename/trash/copy/save, kioclient move/remove/
		// copy: their operands judged as a remover's (the working
		// directory or one above it included, which the rule for unknown
		// programs lets pass).
		for i, t := range args {
			if t.dyn || strings.HasPrefix(t.s, "-") {
				continue
			}
			switch t.s {
			case "move", "mv", "remove", "rm", "rename", "trash", "copy", "cp", "save", "set":
				a.run(c.inner(append([]tok{{s: "trash"}}, args[i+1:]...)))
			}
			break
		}
	case "proot", "bwrap", "firejail", "systemd-nspawn", "apptainer", "singularity", "nsjail":
		// Binds that show a host directory under another name: the
		// wrapped command's writes there are not judged at the host path
		// (proot -b ..:/w rm /w/planguard.hcl: review hook121 H4). The
		// source of a writable bind is judged as a directory written.
		for i := 0; i < len(args); i++ {
			t := args[i]
			var src tok
			// value: the option's value, after its `=` or the next word.
			value := func() tok {
				if _, v, ok := strings.Cut(t.s, "="); ok {
					return tok{s: v, dyn: t.dyn}
				}
				if i+1 < len(args) {
					i++
					return args[i]
				}
				return tok{s: "", dyn: t.dyn}
			}
			switch {
			case name == "proot" && (t.s == "-b" || t.s == "--bind" || t.s == "-m" || t.s == "--mount" || t.s == "-r" || t.s == "--rootfs" || t.s == "-R" || t.s == "-S"):
				// -S DIR is -0 -r DIR with binds, a root as -r and -R are
				// (review hook131 H2).
				if i+1 < len(args) {
					i++
					src = args[i]
				}
			case name == "proot" && (strings.HasPrefix(t.s, "--bind=") || strings.HasPrefix(t.s, "--mount=") || strings.HasPrefix(t.s, "--rootfs=")):
				_, v, _ := strings.Cut(t.s, "=")
				src = tok{s: v, dyn: t.dyn}
			case name == "bwrap" && strings.HasPrefix(t.s, "--") && strings.HasSuffix(t.s, "-fd"):
				// --bind-fd FD DEST binds the directory a descriptor holds
				// (3<.. opened by a redirection), which the hook judged as
				// a path named "3" (review hook131 H1); --ro-bind-fd and
				// the other -fd options take descriptors alike.
				a.refuse("`%s`: %s takes a file descriptor, which the hook does not follow to the file or directory it holds (--bind-fd 3 DEST … 3<.. binds the directory above under another name): bind directories by path (--bind SRC DEST), without descriptor options", truncateTok(c.argv), t.s)
				return
			case name == "bwrap" && (t.s == "--bind" || t.s == "--bind-try" || t.s == "--dev-bind" || t.s == "--dev-bind-try"):
				if i+2 < len(args) {
					src = args[i+1]
					i += 2
				}
			case name == "bwrap" && (t.s == "--ro-bind" || t.s == "--ro-bind-try" || t.s == "--symlink" || t.s == "--chmod"):
				i += 2
				continue
			case name == "bwrap" && (t.s == "--args" || t.s == "--overlay-src" || t.s == "--overlay" || t.s == "--tmp-overlay"):
				// --args FD reads more options from a descriptor; an
				// overlay's source shows a directory under another name
				// (review hook122 H8, M4).
				a.refuse("`%s`: %s takes options from a descriptor or shows a directory under another name, which the hook does not follow", truncateTok(c.argv), t.s)
				return
			case (name == "apptainer" || name == "singularity" || name == "nsjail") && (t.s == "-B" || t.s == "--bind" || strings.HasPrefix(t.s, "--bind=")):
				src = value()
				src.s, _, _ = strings.Cut(src.s, ":")
				src.s, _, _ = strings.Cut(src.s, ",")
			case name == "firejail" && strings.HasPrefix(t.s, "--bind="):
				v := strings.TrimPrefix(t.s, "--bind=")
				v, _, _ = strings.Cut(v, ",")
				src = tok{s: v, dyn: t.dyn}
			case name == "systemd-nspawn" && (strings.HasPrefix(t.s, "--bind=") || t.s == "--bind" || t.s == "-D" || strings.HasPrefix(t.s, "--directory")):
				src = value()
				src.s, _, _ = strings.Cut(strings.TrimPrefix(src.s, "+"), ":")
			default:
				continue
			}
			if name == "proot" {
				src.s, _, _ = strings.Cut(src.s, ":")
			}
			if src.dyn {
				a.refuse("`%s`: binds a host directory computed at run time (%s) under another name, where the hook does not follow the writes", truncateTok(c.argv), srcOf(src))
				return
			}
			if src.s != "" && a.writeDest(c.argv, src, true) {
				return
			}
		}
	case "ctr", "lxc", "incus", "minikube":
		// Binds in other container tools: ctr run --mount
		// type=bind,src=DIR; an lxc or incus disk device's source=DIR;
		// minikube mount DIR:DST. The host directory is judged as one
		// written, as a docker bind's is.
		mount := false
		for i, t := range args {
			var src tok
			switch {
			case t.dyn && (name == "ctr" || mount):
				a.refuse("`%s`: a mount computed at run time (%s), where the hook does not follow the writes", truncateTok(c.argv), srcOf(t))
				return
			case name == "minikube" && t.s == "mount":
				mount = true
				continue
			case mount && !strings.HasPrefix(t.s, "-"):
				src.s, _, _ = strings.Cut(t.s, ":")
				mount = false
			case name == "ctr" && (t.s == "--mount" && i+1 < len(args) || strings.HasPrefix(t.s, "--mount=")):
				v := strings.TrimPrefix(t.s, "--mount=")
				if t.s == "--mount" {
					v = args[i+1].s
					if args[i+1].dyn {
						a.refuse("`%s`: a mount computed at run time (%s), where the hook does not follow the writes", truncateTok(c.argv), srcOf(args[i+1]))
						return
					}
				}
				for _, f := range strings.Split(v, ",") {
					if k, x, _ := strings.Cut(f, "="); k == "src" || k == "source" {
						src.s = x
					}
				}
			case name != "ctr" && name != "minikube" && strings.Contains(t.s, "source="):
				_, v, _ := strings.Cut(t.s, "source=")
				src.s, _, _ = strings.Cut(v, ",")
				src.dyn = t.dyn
			}
			if src.dyn {
				a.refuse("`%s`: a mount computed at run time (%s), where the hook does not follow the writes", truncateTok(c.argv), srcOf(src))
				return
			}
			if src.s != "" && a.writeDest(c.argv, src, true) {
				return
			}
		}
	case "unshare", "nsenter", "systemd-run":
		// unshare -R DIR, nsenter --root=DIR: the program runs with DIR
		// as its root, where absolute paths are DIR's (as chroot's are:
		// review hook122 M3); systemd-run -p RootDirectory=DIR and
		// BindPaths=SRC:DST likewise show SRC under another name. The
		// root or source is judged as a directory written.
		// Every word is read (a valued option's value is not told from
		// the program here); a word computed at run time counts while the
		// options last: up to the first plain word that is no value.
		opts := true
		for i := 0; i < len(args); i++ {
			t := args[i]
			if !t.dyn && t.s == "--" {
				break
			}
			if !t.dyn && !strings.HasPrefix(t.s, "-") {
				opts = false
				continue
			}
			if !t.dyn && opts && i+1 < len(args) && !strings.Contains(t.s, "=") && rootWrapperValued[name][strings.TrimLeft(t.s, "-")] {
				i++ // unshare -w DIR, nsenter -t PID: the value
				continue
			}
			var srcs []tok
			opt, val, hasVal := strings.Cut(strings.TrimLeft(t.s, "-"), "=")
			long := strings.HasPrefix(t.s, "--")
			next := func() tok {
				if hasVal {
					return tok{s: val, dyn: t.dyn}
				}
				if i+1 < len(args) {
					i++
					return args[i]
				}
				return tok{}
			}
			switch {
			case t.dyn && !opts:
				continue // the program's own arguments
			case t.dyn && name != "systemd-run":
				a.refuse("`%s`: an option computed at run time (%s) may name the root the program runs in, where the hook does not follow its paths", truncateTok(c.argv), srcOf(t))
				return
			case name != "systemd-run" && long && len(opt) >= 2 && strings.HasPrefix("root", opt):
				srcs = append(srcs, next())
			case name == "unshare" && !long && strings.Contains(opt, "R"):
				if v := opt[strings.Index(opt, "R")+1:]; v != "" {
					srcs = append(srcs, tok{s: v})
				} else if i+1 < len(args) {
					i++
					srcs = append(srcs, args[i])
				}
			case name == "nsenter" && !long && strings.Contains(opt, "r"):
				// -r takes its directory attached only (-r alone: the
				// target's root).
				if v := opt[strings.Index(opt, "r")+1:]; v != "" {
					srcs = append(srcs, tok{s: v})
				}
			case name == "systemd-run" && (opt == "p" || long && len(opt) >= 2 && strings.HasPrefix("property", opt) || !long && strings.HasPrefix(opt, "p")):
				var v tok
				if !long && len(opt) > 1 {
					v = tok{s: strings.TrimLeft(t.s, "-")[1:], dyn: t.dyn} // -pKEY=VALUE
				} else {
					v = next()
				}
				if v.dyn {
					a.refuse("`%s`: a property computed at run time (%s) may bind a directory or set the root, where the hook does not follow the paths", truncateTok(c.argv), srcOf(v))
					return
				}
				key, list, _ := strings.Cut(v.s, "=")
				switch key {
				case "RootDirectory", "BindPaths", "RootImage", "MountImages", "ExtensionDirectories", "ExtensionImages":
					for _, f := range strings.Fields(list) {
						f, _, _ = strings.Cut(strings.TrimLeft(f, "-+"), ":")
						srcs = append(srcs, tok{s: f})
					}
				}
			}
			for _, src := range srcs {
				if src.dyn {
					a.refuse("`%s`: names a root or bind computed at run time (%s), where the hook does not follow the paths", truncateTok(c.argv), srcOf(src))
					return
				}
				if src.s != "" && path.Clean(a.resolve(src.s)) != "/" && a.writeDest(c.argv, src, true) {
					return
				}
			}
		}
	case "sdiff":
		for _, t := range args {
			if t.dyn || strings.HasPrefix(t.s, "-o") || strings.HasPrefix(t.s, "--output") || strings.HasPrefix(t.s, "--o") && len(t.s) > 3 && strings.HasPrefix("--output", t.s) {
				// sdiff -o merges interactively: its `e` command starts ed
				// on the rest of the input (`!` runs a shell: review
				// hook126 H3).
				a.refuse("`%s`: -o merges interactively, and its e command runs an editor (ed's ! runs a shell) on the input the line feeds: use diff", truncateTok(c.argv))
				return
			}
		}
	case "docker-compose", "podman-compose":
		for _, t := range args {
			if t.s == "-" || t.dyn || stdinPath(t) || strings.HasSuffix(t.s, "=-") || t.s == "-f-" || strings.HasSuffix(t.s, "=/dev/stdin") {
				a.refuse("`%s` reads its compose file (volumes, commands) from standard input, which the hook does not read: write it to a file", truncateTok(c.argv))
				return
			}
		}
	case "mount":
		// mount --bind SRC DST shows SRC under another name, where the
		// writes of what runs next are not judged at the host path
		// (unshare -rm sh -c 'mount --bind .. /mnt && rm /mnt/…': review
		// hook122 H7): every operand is judged as a directory written.
		for i, t := range args {
			if !strings.HasPrefix(t.s, "-") && a.writeDest(c.argv, t, true) {
				return
			}
			// --source=DIR, --target=DIR, --target-prefix=DIR, and
			// getopt's unique prefixes of them (--sou=..): the value is
			// an operand too (review hook131 H3).
			if n, v, ok := strings.Cut(strings.TrimPrefix(t.s, "--"), "="); ok && strings.HasPrefix(t.s, "--") && len(n) >= 2 &&
				(strings.HasPrefix("source", n) || strings.HasPrefix("target-prefix", n)) && a.writeDest(c.argv, tok{s: v, dyn: t.dyn}, true) {
				return
			}
			// -o upperdir=..,workdir=…: an overlay's directories (review
			// hook125 H8).
			v, ok := strings.CutPrefix(t.s, "-o")
			if !ok {
				v, ok = strings.CutPrefix(t.s, "--options=")
			}
			if t.s == "--options" || t.s == "-o" {
				if i+1 >= len(args) {
					continue
				}
				v, ok = args[i+1].s, true
			}
			if !ok {
				continue
			}
			for _, f := range strings.Split(v, ",") {
				k, d, _ := strings.Cut(f, "=")
				if !strings.HasSuffix(k, "dir") {
					continue
				}
				for _, p := range strings.Split(d, ":") {
					if p != "" && a.writeDest(c.argv, tok{s: p, dyn: t.dyn}, true) {
						return
					}
				}
			}
		}
	case "flox":
		for i, t := range args {
			if (t.s == "-c" || t.s == "--command") && i+1 < len(args) {
				a.scriptTok(args[i+1], "flox -c", c.depth) // review hook124 M2
			}
			if v, ok := strings.CutPrefix(t.s, "--command="); ok {
				a.scriptTok(tok{s: v, dyn: t.dyn}, "flox --command", c.depth) // review hook125 M3
			}
		}
	case "rclone":
		for _, t := range args {
			if l := strings.ToLower(t.s); t.dyn || strings.HasPrefix(l, ":") || strings.Contains(l, "ssh=") || strings.HasPrefix(l, "--sftp-ssh") {
				// :local:PATH is this machine's file system, and an sftp
				// remote's ssh= runs any program (review hook119 M1).
				a.refuse("`%s`: an on-the-fly remote (:local:, :sftp,ssh=…) writes this machine's files or runs the program it names, which the hook does not judge: name local paths plainly, and remotes from rclone's configuration", truncateTok(c.argv))
				return
			}
		}
	case "nuke":
		// BusyBox's nuke DIR… is rm -rf DIR… (review hook116 H8).
		a.run(c.inner(append([]tok{{s: "rm"}, {s: "-rf"}, {s: "--"}}, args...)))
	case "cdktf", "tflocal", "tfenv", "terraspace", "tofuenv", "tgenv", "tfmigrate":
		// tofuenv and tgenv exec run tofu and terragrunt; tfmigrate apply
		// runs terraform state mv and rm (review hook117 M3).
		a.tfWrapperArgs(c)
	case "nodemon":
		for i := 0; i < len(args); i++ {
			t := args[i]
			l, v, ok := strings.Cut(t.s, "=")
			if t.dyn || l != "--exec" && l != "-x" {
				continue
			}
			if ok {
				judge(tok{s: v})
			} else if i+1 < len(args) {
				judge(args[i+1])
				i++
			}
		}
	}
}

// dataFile reports whether a file name says it holds data, not code.
// hubOwn are hub's own commands (the rest it passes to git).
var hubOwn = map[string]bool{"pull-request": true, "browse": true, "compare": true, "create": true, "fork": true,
	"ci-status": true, "issue": true, "release": true, "sync": true, "api": true, "pr": true, "gist": true, "delete": true}

// subcommandClients are command-line clients whose subcommands share
// names with editors and wrappers (gh pr view, gh run watch, npm view,
// kubectl config view: review hook151, a false refusal).
var subcommandClients = map[string]bool{"gh": true, "glab": true, "hub": true, "tea": true, "npm": true, "pnpm": true,
	"yarn": true, "az": true, "gcloud": true, "aws": true, "doctl": true, "heroku": true, "fly": true, "flyctl": true,
	"kubectl": true, "oc": true}

// subcommandWord reports whether a word given to such a client is one of
// those subcommands (view, watch), which run nothing of that name.
func subcommandWord(client, w string) bool {
	return subcommandClients[client] && (w == "view" || w == "watch")
}

// codeRunners are programs the hook has no row for that run the code of
// the files they are given, whatever the files' names: interpreters of
// other languages and the build tools that read their build files as code.
var codeRunners = map[string]bool{"cmake": true, "ctest": true, "cpack": true, "mvn": true, "ant": true, "gradle": true,
	"jimsh": true, "tclsh": true, "wish": true, "expect": true, "racket": true, "sbcl": true, "clisp": true, "ecl": true,
	"guile": true, "swipl": true, "gprolog": true, "ocaml": true, "groovy": true, "tcc": true, "escript": true,
	"erl": true, "raku": true, "rakudo": true, "perl6": true, "julia": true, "octave": true, "R": true, "r": true, "Rscript": true,
	"rscript": true, "scala": true, "kotlin": true, "kotlinc": true, "jshell": true, "java": true, "elixir": true, "iex": true,
	"gforth": true, "pike": true, "newlisp": true, "picolisp": true, "chicken": true, "csi": true, "gosh": true, "chibi-scheme": true,
	"scheme": true, "mit-scheme": true, "gst": true, "io": true, "falcon": true, "nim": true, "crystal": true, "v": true,
	"zig": true, "dart": true, "swift": true, "runghc": true, "runhaskell": true, "ghci": true, "stack": true, "cabal": true,
	"mono": true, "csharp": true, "dotnet": true, "pwsh": true, "powershell": true, "osascript": true, "qjs": true,
	"rhino": true, "jjs": true, "nashorn": true, "ruby": true, "irb": true, "php": true, "lua": true, "luajit": true,
	"tcl": true, "bc": true, "dc": true, "m4": true, "gnuplot": true, "maxima": true, "gp": true, "sage": true, "psql": true,
	"mysql": true, "sqlite3": true, "duckdb": true, "gdb": true, "lldb": true, "make": true, "ninja": true, "meson": true,
	"bazel": true, "buck": true, "scons": true, "rake": true, "just": true, "task": true, "earthly": true}

// buildFiles are the files build tools read without being told (by
// default, from the directory given or the working one).
var buildFiles = map[string][]string{"cmake": {"cmakelists.txt"}, "ctest": {"ctesttestfile.cmake", "cmakelists.txt"},
	"mvn": {"pom.xml", "extensions.xml", "maven.config", "jvm.config"}, "ant": {"build.xml"},
	"gradle": {"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties", "init.gradle"},
	"meson":  {"meson.build", "meson_options.txt"}, "ninja": {"build.ninja"}, "bazel": {"build", "build.bazel", "workspace", "module.bazel", ".bazelrc"},
	"rake": {"rakefile", "rakefile.rb"}, "just": {"justfile", ".justfile"}, "task": {"taskfile.yml", "taskfile.yaml"},
	"scons": {"sconstruct", "sconscript"}, "earthly": {"earthfile"}}

func dataFile(name string) bool {
	switch b := strings.ToLower(path.Base(name)); {
	case b == "cmakelists.txt" || b == "pom.xml" || b == "build.xml" || b == "ivy.xml" || strings.HasSuffix(b, ".cmake"):
		return false // the build files cmake, maven and ant run (review hook143 H3)
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".json", ".txt", ".log", ".csv", ".tsv", ".xml", ".md", ".html", ".out", ".tfplan", ".plan",
		".tar", ".gz", ".tgz", ".zip", ".png", ".svg", ".pdf", ".diff", ".patch":
		// Not .sql (psql -f runs \! commands: review hook128 M1), .yaml
		// (compose and pod files run commands). A .zip on PYTHONPATH is
		// judged by the interpreter's rule.
		return true
	}
	return false
}

// cdktfNamed reports whether arguments name CDK for Terraform's CLI: the
// package (cdktf-cli, @cdktf/…, deno's npm:cdktf-cli) or a path into it
// (node node_modules/cdktf-cli/bundle/bin/cdktf: review hook117 H4, L1).
func cdktfNamed(args []tok) bool {
	for _, t := range args {
		b := strings.TrimPrefix(strings.ToLower(t.s), "npm:")
		if strings.HasPrefix(b, "cdktf") || strings.HasPrefix(b, "@cdktf/") || strings.Contains(b, "/cdktf") {
			return true
		}
	}
	return false
}

// npmCommandText judges the command text npm and pnpm run through a
// shell: npm explore PKG -- WORDS… (joined with spaces, run with sh -c:
// review hook117 M1), npx/npm exec -c/--call TEXT, pnpm dlx/exec -c
// (--shell-mode: the words joined).
func (a *analyzer) npmCommandText(name string, c call) {
	args := c.argv[1:]
	what := truncateTok(c.argv)
	for i := 0; i < len(args); i++ {
		t := args[i]
		switch {
		case t.dyn:
			continue
		case (name == "npm" || name == "npx") && (t.s == "-c" || t.s == "--call"):
			if i+1 < len(args) {
				a.scriptTok(args[i+1], what, c.depth)
				i++
			}
		case (name == "npm" || name == "npx") && strings.HasPrefix(t.s, "--call="):
			a.script(strings.TrimPrefix(t.s, "--call="), c.depth+1)
		case (name == "pnpm" || name == "pnpx") && (t.s == "-c" || t.s == "--shell-mode"):
			var words []tok
			for _, w := range args[i+1:] {
				if !w.dyn && strings.HasPrefix(w.s, "-") && len(words) == 0 {
					continue
				}
				words = append(words, w)
			}
			a.joined(words, what, c.depth)
			return
		case name == "npm" && t.s == "explore":
			for j := i + 1; j < len(args); j++ {
				if !args[j].dyn && args[j].s == "--" {
					a.joined(args[j+1:], what, c.depth)
					return
				}
			}
			return
		}
	}
}

// hyperfineValues are hyperfine's options with the number of values each
// takes, other than commands.
var hyperfineValues = map[string]int{"-r": 1, "--runs": 1, "-w": 1, "--warmup": 1, "-m": 1, "--min-runs": 1, "-M": 1,
	"--max-runs": 1, "-n": 1, "--command-name": 1, "-u": 1, "--time-unit": 1, "--style": 1, "--sort": 1, "-D": 1,
	"--parameter-step-size": 1, "--export-json": 1, "--export-csv": 1, "--export-markdown": 1, "--export-asciidoc": 1,
	"--export-orgmode": 1, "--output": 1, "--input": 1, "-L": 2, "--parameter-list": 2, "-P": 3, "--parameter-scan": 3,
	"-i": 0}

// sqliteDotSafe are the dot-commands that only print or set the output's
// form, spelled out whole (sqlite3 app.db .tables).
var sqliteDotSafe = regexp.MustCompile(`^\.(tables|schema|indexes|indices|databases|headers|mode|help|show|dbinfo|fullschema|stats|width|timer|changes|nullvalue|separator|explain|dump|quit|exit)( [A-Za-z0-9_ %,-]*)?$`)

// sqliteRisky finds SQL that writes a file, runs an editor or loads code,
// by the names alone (quoted, bracketed or followed by a comment:
// "writefile"(, [edit](, writefile/**/(: review hook112 H8-H10).
var sqliteRisky = regexp.MustCompile(`\b(writefile|load_extension|edit|fts3_tokenizer)\b\W*\(|\battach\b|\bvacuum\b`)

// sqliteArgs judges sqlite3's arguments: a dot-command of any kind (sqlite3
// skips blanks after the dot, strips quotes and takes prefixes: .o, '.
// shell', .'shell': review hook112 H1-H7) and SQL that writes files, runs
// an editor or loads code are refused; without SQL in its arguments it
// reads standard input, allowed only from a file the line does not write
// (sqlite3 DB < schema.sql).
func (a *analyzer) sqliteArgs(c call) {
	line := truncateTok(c.argv)
	args := c.argv[1:]
	ops := 0
	for i := 0; i < len(args); i++ {
		t := args[i]
		sql := ops > 0 // an operand after the database: SQL or a dot-command
		cmd := false   // -cmd's value, no operand
		switch {
		case t.dyn:
			a.refuse("`%s`: %s is computed at run time, and sqlite3 runs it as SQL or a dot-command (.shell, .once FILE): write it out", line, srcOf(t))
			return
		case t.s == "-init" || t.s == "--init" || sqliteArchive(t.s):
			// -init reads commands from a file; -A (archive mode) extracts
			// files (review hook114 H6).
			a.refuse("`%s` reads SQL and dot-commands from a file (-init) or extracts files (-A): give the SQL as an argument", line)
			return
		case t.s == "-cmd" || t.s == "--cmd":
			if i+1 < len(args) {
				i++
				t, sql, cmd = args[i], true, true // judged as SQL, wherever it stands (review hook114 H5)
				if t.dyn {
					a.refuse("`%s`: %s is computed at run time, and sqlite3 runs it as SQL or a dot-command: write it out", line, srcOf(t))
					return
				}
			}
		case strings.HasPrefix(t.s, "-"):
			// -separator , : the value is no operand (review hook114
			// H4); -lookaside and -pagecache take two (review hook117
			// H5). An option not in sqlite3's list is refused: counting
			// its values wrong makes SQL of a database name.
			n, known := sqliteValues[strings.TrimLeft(t.s, "-")]
			if !known {
				a.refuse("`%s`: %s is no sqlite3 option the hook knows, so it cannot tell the database and the SQL apart: leave it out", line, t.s)
				return
			}
			i += n
			continue
		}
		if sql && strings.HasPrefix(strings.TrimLeft(t.s, " \t\n\v\f\r"), ".") && !sqliteDotSafe.MatchString(t.s) {
			a.refuse("`%s`: sqlite3 dot-commands (%s) run commands, write files and read them, and sqlite3 reads their names its own way: use SQL", line, strings.Fields(t.s + " x")[0])
			return
		}
		if sql && sqliteRisky.MatchString(strings.ToLower(t.s)) {
			a.refuse("`%s`: the SQL writes a file (writefile, ATTACH, VACUUM), runs an editor (edit) or loads code (load_extension): use plain queries", line)
			return
		}
		if !cmd {
			ops++
		}
	}
	if ops >= 2 {
		return // DB and SQL: standard input is not read
	}
	if c.linked {
		// Behind a program that connects its input to something else
		// (nc -e sqlite3: review hook119 H5).
		a.refuse("`%s` reads SQL and dot-commands (.shell runs a command) from an input the line feeds it, which the hook does not read: give the SQL as an argument", line)
		return
	}
	// Standard input is the last redirection of descriptor 0: allowed
	// only as a file the line does not write, outside /dev and /proc
	// (review hook114 H1-H3: < /dev/stdin, a here-string after it, 3<).
	if _, piped := a.pipeFrom[c.st]; c.st != nil && !piped {
		var last *syntax.Redirect
		for _, r := range c.st.Redirs {
			if r.N != nil && r.N.Value != "0" {
				continue
			}
			switch r.Op {
			case syntax.RdrIn, syntax.RdrInOut, syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc, syntax.DplIn:
				last = r
			}
		}
		if last != nil && last.Op == syntax.RdrIn && last.Word != nil {
			if w := a.word(last.Word); !w.dyn {
				if f := a.resolve(w.s); !a.lineWritten[f] && !strings.HasPrefix(f, "/dev/") && !strings.HasPrefix(f, "/proc/") {
					return // a file the agent wrote earlier: the accepted class
				}
			}
		}
	}
	a.refuse("`%s` reads SQL and dot-commands from standard input (.shell runs a command, .once FILE writes a file), which the hook does not read: give the SQL as an argument", line)
}

// sqliteValues are sqlite3's options (shell.c's main, one dash or two)
// with the number of values each takes; -cmd, -init and -A are judged
// apart.
var sqliteValues = map[string]int{"separator": 1, "nullvalue": 1, "newline": 1, "vfs": 1, "maxsize": 1,
	"mmap": 1, "lookaside": 2, "pagecache": 2, "heap": 1, "escape": 1, "nonce": 1, "threadsafe": 1, "sorterref": 1,
	"append": 0, "ascii": 0, "bail": 0, "batch": 0, "box": 0, "column": 0, "csv": 0, "deserialize": 0, "echo": 0,
	"header": 0, "noheader": 0, "help": 0, "html": 0, "interactive": 0, "json": 0, "line": 0, "list": 0,
	"markdown": 0, "memtrace": 0, "pcachetrace": 0, "nofollow": 0, "quote": 0, "readonly": 0, "safe": 0,
	"stats": 0, "table": 0, "tabs": 0, "version": 0, "zip": 0, "utf8": 0, "no-utf8": 0, "multiplex": 0,
	"vfstrace": 0, "unsafe-testing": 0, "no-rowid-in-view": 0, "quiet": 0}

// sqliteArchive reports whether a sqlite3 option is archive mode (-A,
// -Ax, --archive), which creates and extracts files.
func sqliteArchive(s string) bool {
	return strings.HasPrefix(s, "-A") || strings.HasPrefix(s, "--A") || strings.HasPrefix(strings.ToLower(s), "-archive") ||
		strings.HasPrefix(strings.ToLower(s), "--archive")
}

// packageManagerFlags refuses the command-line twins of the settings the
// hook refuses in the environment (npm --editor=CMD, --userconfig=FILE,
// --node-options=…: review hook111 H1-H3), the subcommands that write the
// tools' configuration or run its editor (npm config set/edit, pip config
// set/edit: H4, H5), and cargo's --config KEY=VALUE (a target runner, a
// rustc wrapper: H6).
func (a *analyzer) packageManagerFlags(name string, c call) {
	args := c.argv[1:]
	line := truncateTok(c.argv)
	prog := name
	switch name {
	case "npx", "pnpm":
		prog = "npm"
	case "pip3":
		prog = "pip"
	}
	var words []string
	for _, t := range args {
		if t.dyn && strings.HasPrefix(t.s, "-") {
			a.refuse("`%s`: an option computed at run time may set a command or a configuration file (--editor, --userconfig, --config): write the options out", line)
			return
		}
		if t.s == "--" {
			break
		}
		if strings.HasPrefix(t.s, "--") || prog == "npm" && strings.HasPrefix(t.s, "-") && len(t.s) > 3 {
			// npm also reads -name=value as --name=value, and takes a
			// unique prefix of an option (--edit, --script-sh, --userconf:
			// review hook112 H16).
			k, _, _ := strings.Cut(strings.TrimLeft(t.s, "-"), "=")
			k = strings.ToLower(strings.ReplaceAll(k, "_", "-"))
			if prog == "npm" && len(k) >= 3 {
				// Every setting k abbreviates is refused alike; the
				// first in order names it in the message.
				var full []string
				for _, s := range settingVars {
					for key := range s.keys {
						if s.prog == "npm" && strings.HasPrefix(key, k) && !pathSettings[key] {
							full = append(full, key)
						}
					}
				}
				if len(full) > 0 && !slices.Contains(full, k) {
					slices.Sort(full)
					k = full[0]
				}
			}
			if name == "cargo" && (k == "config" || strings.HasPrefix("config", k) && len(k) >= 3) {
				a.refuse("`%s`: --config sets cargo configuration (a target runner, a rustc wrapper, a linker: commands cargo runs), which the hook does not judge: use the project's configuration through review", line)
				return
			}
			for _, s := range settingVars {
				// A directory or file setting given on the command line
				// (npm --prefix web, pip --target DIR, --log FILE) is a path
				// the hook judges as one; the others run programs or read
				// configuration.
				if s.prog == prog && s.keys[k] && !pathSettings[k] {
					a.refuse("`%s`: --%s sets %s's `%s` setting, which runs a program or names a file it writes or reads as configuration", line, k, prog, k)
					return
				}
			}
			continue
		}
		if !strings.HasPrefix(t.s, "-") {
			words = append(words, t.s)
		}
	}
	if len(words) >= 1 && (prog == "npm" || prog == "pip" || name == "yarn") {
		sub, op := words[0], ""
		if len(words) >= 2 {
			op = words[1]
		}
		switch {
		case sub == "config" || prog == "npm" && sub != "" && strings.HasPrefix("config", sub):
			if op != "get" && op != "list" && op != "ls" && op != "debug" && op != "fix" {
				a.refuse("`%s` writes %s's configuration or opens it in the editor the configuration names (a command): a person changes it", line, prog)
			}
		case sub == "set" && prog == "npm":
			a.refuse("`%s` writes npm's configuration (~/.npmrc): a person changes it", line)
		}
	}
}

// pathSettings are the npm and pip settings whose command-line values are
// paths, judged where they are written (looseArgs).
var pathSettings = map[string]bool{"prefix": true, "target": true, "root": true, "src": true, "logs-dir": true,
	"log": true, "log-file": true, "report": true}

// tfWrapperArgs refuses the subcommands of programs that run terraform
// apply or destroy themselves (CDK for Terraform's deploy and destroy,
// tflocal's and tfenv's terraform commands, terraspace up and down:
// review hook115 H2): they apply without the gate.
func (a *analyzer) tfWrapperArgs(c call) {
	for _, t := range c.argv[1:] {
		switch strings.ToLower(t.s) {
		case "deploy", "destroy", "apply", "up", "down", "import", "taint", "untaint", "refresh", "exec", "state", "force-unlock", "workspace", "test":
			a.refuse("`%s` runs terraform %s itself, which changes infrastructure or state without the gate: %s", truncateTok(c.argv), t.s, planOnly)
			return
		}
		if t.dyn {
			a.refuse("`%s`: %s is computed at run time and may be deploy or destroy, which run terraform itself: write the arguments out", truncateTok(c.argv), srcOf(t))
			return
		}
	}
}

// rustToolchain refuses a rustup toolchain named by a path, which the
// proxies (cargo, rustc…) run the programs of: `cargo +/tmp/tc`, `rustup
// run /tmp/tc cargo`, and a toolchain linked or set as an override
// (`rustup toolchain link NAME DIR`, `rustup override set DIR`: review
// hook137 H1).
func (a *analyzer) rustToolchain(name string, c call) {
	args := c.argv[1:]
	if len(args) > 0 && (args[0].dyn && strings.HasPrefix(args[0].src, "+") || !args[0].dyn && strings.HasPrefix(args[0].s, "+") && strings.ContainsAny(args[0].s, "/\\")) {
		a.refuse("`%s`: the toolchain %s is computed or a path, whose programs the rustup proxy runs: name an installed toolchain (+stable, +nightly)", truncateTok(c.argv), srcOf(args[0]))
		return
	}
	if name != "rustup" {
		return
	}
	var ops []tok
	for _, t := range args {
		if t.dyn || !strings.HasPrefix(t.s, "-") {
			ops = append(ops, t)
		}
	}
	word := func(i int) string {
		if i < len(ops) && !ops[i].dyn {
			return ops[i].s
		}
		return ""
	}
	switch {
	case word(0) == "toolchain" && word(1) == "link", word(0) == "override" && word(1) == "set",
		word(0) == "set" && word(1) == "default-host":
		a.refuse("`%s` makes a toolchain of a directory, whose programs the proxies (cargo, rustc) then run: a person installs toolchains", truncateTok(c.argv))
	case word(0) == "run" && len(ops) > 1 && (ops[1].dyn || strings.ContainsAny(ops[1].s, "/\\")):
		a.refuse("`%s`: the toolchain %s is computed or a path, whose programs rustup runs: name an installed toolchain", truncateTok(c.argv), srcOf(ops[1]))
	}
}
