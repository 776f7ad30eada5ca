package shell

import (
	"regexp"
	"strings"
)

// Programs that take options, or a command, from an environment variable
// (review hook32 F6–F8): GNU tar prepends TAR_OPTIONS to its arguments
// (--checkpoint-action=exec=CMD, --to-command, -I PROG), zip ZIPOPT and
// ZIP (-TT CMD), rsync runs RSYNC_RSH and RSYNC_CONNECT_PROG, GNU parallel
// prepends PARALLEL (--ssh CMD), npm and pip take every setting from
// npm_config_* and PIP_* (script-shell, editor, log files). The command
// line the hook reads is only part of what such a program does, so an
// assignment of one of these variables — prefix (VAR=… cmd), export,
// declare -x, env VAR=…, or a plain shell variable that a later export or
// set -a may export — is judged here:
//   - commandVars (settings.go) hold a command: RSYNC_RSH, RSYNC_CONNECT_PROG,
//     GIT_SSH_COMMAND, the pagers, editors and browsers; the value is
//     judged as a command line (ssh -p 2222 passes, sh -c '…' is read);
//   - optionVars hold options: the value is allowed only when every word
//     is an option that neither runs a program nor writes a file (or, for
//     zip, an archive name judged as a write), as if it were written on
//     the command line; anything else — quotes (the program splits the
//     value itself), an option the list does not know, a value computed
//     at run time — is refused;
//   - optionRefused are options carriers refused whatever the value.
// An UPPERCASE variable outside these tables (NODE_ENV, CI, AWS_REGION,
// ZSTD_CLEVEL) is allowed: it is data to the programs that read it.

// optionVar is one variable a program reads as its options.
type optionVar struct {
	prog string
	// ok reports whether one word of the value is harmless.
	ok func(word string) bool
	// archive: a word that is not an option is the archive the program
	// writes (zip's ZIP and ZIPOPT), judged as a write destination.
	archive bool
}

func wordRe(res ...string) func(string) bool {
	re := regexp.MustCompile(`^(?:` + strings.Join(res, "|") + `)$`)
	return re.MatchString
}

var optionVars = map[string]optionVar{
	// GNU tar: listing, ownership and reproducibility options.
	"TAR_OPTIONS": {prog: "GNU tar", ok: wordRe(`-v+`, `--verbose`, `--no-same-owner`, `--no-same-permissions`, `--numeric-owner`,
		`--same-owner`, `-p`, `--preserve-permissions`, `--same-permissions`, `--exclude-vcs`, `--exclude-vcs-ignores`,
		`--exclude-caches(-all|-under)?`, `--wildcards`, `--no-wildcards`, `--anchored`, `--no-anchored`, `--ignore-zeros`, `-i`,
		`--delay-directory-restore`, `--no-overwrite-dir`, `--keep-old-files`, `-k`, `--skip-old-files`, `--totals`,
		`--hard-dereference`, `--dereference`, `-h`, `--acls`, `--no-acls`, `--xattrs`, `--no-xattrs`, `--selinux`, `--no-selinux`,
		`--clamp-mtime`, `--full-time`, `--utc`, `--quiet`, `--no-recursion`, `--recursion`, `--sparse`, `-S`,
		`--(sort|owner|group|mode|mtime|warning|format|exclude|pax-option|blocking-factor|record-size|checkpoint|occurrence)=[^'"\\]*`)},
	// zip 3.0 reads ZIPOPT, and ZIP, before its arguments.
	"ZIPOPT": {prog: "zip", ok: zipWord, archive: true},
	"ZIP":    {prog: "zip", ok: zipWord, archive: true},
	// unzip and zipinfo: -d DIR, -o (overwrite) and the like write files.
	"UNZIP":      {prog: "unzip", ok: wordRe(`-[qvlntCLaZjU]+`)},
	"UNZIPOPT":   {prog: "unzip", ok: wordRe(`-[qvlntCLaZjU]+`)},
	"ZIPINFO":    {prog: "zipinfo", ok: wordRe(`-[12hlmMstTvz]+`)},
	"ZIPINFOOPT": {prog: "zipinfo", ok: wordRe(`-[12hlmMstTvz]+`)},
	// Compressors: a level, quiet, verbose; not -S SUFFIX, -r, --files.
	"GZIP":        {prog: "gzip", ok: wordRe(`-[1-9nNqvk]+`, `--(fast|best|rsyncable|no-name|name|quiet|verbose|keep)`)},
	"BZIP2":       {prog: "bzip2", ok: wordRe(`-[1-9qvsk]+`, `--(fast|best|quiet|verbose|keep|small)`)},
	"BZIP":        {prog: "bzip2", ok: wordRe(`-[1-9qvsk]+`, `--(fast|best|quiet|verbose|keep|small)`)},
	"XZ_OPT":      {prog: "xz", ok: xzWord},
	"XZ_DEFAULTS": {prog: "xz", ok: xzWord},
	"LZOP":        {prog: "lzop", ok: wordRe(`-[1-9qv]+`, `--(fast|best|quiet|verbose)`)},
	// less: -k/--lesskey-* read key files whose #env sets LESSOPEN (a
	// command), -o/-O a log file, -t/-T tags; `+` (an initial command) is
	// refused in envSet.
	"LESS": {prog: "less", ok: lessWord},
	// go reads GOFLAGS as options of every build: -toolexec and -exec
	// name programs it runs (review hook68 H1).
	// cgo hands these to the C compiler unread: -wrapper, -B, -fplugin,
	// -specs run programs (review hook70 H1). Optimisation, debug,
	// warnings, defines, include and library paths pass.
	"CGO_CFLAGS": {prog: "go (cgo)", ok: cgoFlagWord}, "CGO_CPPFLAGS": {prog: "go (cgo)", ok: cgoFlagWord},
	"CGO_CXXFLAGS": {prog: "go (cgo)", ok: cgoFlagWord}, "CGO_FFLAGS": {prog: "go (cgo)", ok: cgoFlagWord},
	"CGO_LDFLAGS": {prog: "go (cgo)", ok: cgoFlagWord},
	"GOFLAGS": {prog: "go", ok: wordRe(`-(mod=(mod|readonly|vendor)|modcacherw|trimpath|race|msan|asan|v|x|a|n|` +
		`buildvcs=(true|false|auto)|tags=[A-Za-z0-9_,.]+|p=[0-9]+|count=[0-9]+|short|failfast|timeout=[0-9a-z.]+|cover|json|` +
		`buildmode=[a-z-]+|ldflags=-[sw]+)`)},
}

// cgoFlagWord: a C compiler flag that runs nothing and loads nothing.
func cgoFlagWord(w string) bool {
	return wordRe(`-O[0-3sgz]?`, `-g[0-3]?`, `-D[A-Za-z_][A-Za-z0-9_]*(=[A-Za-z0-9_.]*)?`, `-U[A-Za-z_][A-Za-z0-9_]*`,
		`-[IL][A-Za-z0-9_./+-]+`, `-l[A-Za-z0-9_+.-]+`, `-W(all|extra|error|pedantic|no-[a-z0-9-]+|[a-z][a-z0-9-]*)`,
		`-std=[a-z0-9+]+`, `-f(PIC|pic|PIE|pie|no-[a-z-]+|stack-protector(-strong|-all)?)`, `-m(64|32|arch=[a-z0-9-]+)`, `-pthread`)(w)
}

func zipWord(w string) bool {
	return wordRe(`-[0-9qrRXyDjvgufSkl]+`, `--(quiet|recurse-paths|symlinks|no-dir-entries|junk-paths|verbose)`)(w)
}

func xzWord(w string) bool {
	return wordRe(`-[0-9]e?`, `-[evqk]+`, `-T[0-9]+`, `--(threads=[0-9]+|extreme|verbose|quiet|keep|memlimit(-compress|-decompress)?=[0-9A-Za-z%]+|block-size=[0-9A-Za-z]+)`)(w)
}

// lessWord: a short cluster without k, o, O, t or T (their value is a
// file), or a long option that names no file.
func lessWord(w string) bool {
	if strings.HasPrefix(w, "--") {
		n, _, _ := strings.Cut(strings.ToLower(w[2:]), "=")
		return n != "" && !strings.Contains(n, "lesskey") && !strings.Contains(n, "log") && !strings.Contains(n, "tag") &&
			!strings.Contains(n, "hist") && !strings.Contains(n, "save") && !strings.Contains(n, "edit") && !strings.ContainsAny(w, `'"\`)
	}
	return wordRe(`-[^kKoOtT+'"\\ ]*`)(w) && !strings.ContainsAny(w, "koOtT") || w == "-"
}

// optionRefused are variables a program reads as options or a command
// line the hook does not read word by word: refused whatever the value.
var optionRefused = map[string]string{
	"PARALLEL":       "GNU parallel reads its options from it (--ssh, --results, --joblog run commands or write files)",
	"SCREENRC":       "screen reads its startup commands from the file it names (screen CMD, exec run programs: review hook116 M2)",
	"COMPOSE_FILE":   "docker compose reads the compose files it names (binds of host directories, commands) in place of -f: name the file with -f",
	"DOCKER_CONFIG":  "docker reads its config.json there, whose cliPluginsExtraDirs and credential helpers are programs it runs (review hook130 H3)",
	"SYSSCREENRC":    "screen reads its startup commands from the file it names (screen CMD, exec run programs: review hook116 M2)",
	"PARALLEL_SHELL": "GNU parallel runs its commands with the shell it names",
	"PARALLEL_HOME":  "GNU parallel reads its config there, whose words it puts before every command (review hook79 H5)",
	"PARALLEL_CSH":   "GNU parallel runs its commands with the csh it names",
	"MANOPT":         "man reads its options from it (-P PAGER, -H BROWSER, -C FILE run commands or read configuration)",
	"MANROFFOPT":     "man passes it to groff as options (-U runs commands)",
	"LD_PRELOAD":     "the dynamic loader runs the code of the libraries it names in every program",
	"LD_AUDIT":       "the dynamic loader runs the code of the libraries it names in every program",
	"LD_LIBRARY_PATH": "the dynamic loader loads every program's libraries from the directories it names first " +
		"(set it in a script, or install the library where the loader looks)",
	"DYLD_INSERT_LIBRARIES": "the dynamic loader runs the code of the libraries it names in every program",
	"DYLD_LIBRARY_PATH":     "the dynamic loader loads every program's libraries from the directories it names first",
	"PYTHONSTARTUP":         "python runs the file it names before an interactive session",
	"SIMPLE_BACKUP_SUFFIX":  "cp, mv, ln, install and patch name their backups FILE+SUFFIX after it (.hcl: a backup of planguard is planguard.hcl)",
	// valgrind's options (--log-file, --xml-file: review hook113 M10).
	"VALGRIND_OPTS": "valgrind reads its options from it, and --log-file writes the file it names",
	// libmount's fstab and table of mounts: mount -a or mount DIR binds
	// the sources its lines name (review hook131 H4).
	"LIBMOUNT_FSTAB": "mount reads the file it names as its fstab, whose lines bind directories under other names: give mount its source and target",
	"LIBMOUNT_MTAB":  "mount reads the file it names as its table of mounts: give mount its source and target",
	// cargo's commands from the environment (review hook111 H7).
	"RUSTC_WRAPPER":                       "cargo runs every rustc through the program it names",
	"RUSTC_WORKSPACE_WRAPPER":             "cargo runs rustc through the program it names",
	"CARGO_BUILD_RUSTC_WRAPPER":           "cargo runs every rustc through the program it names",
	"CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER": "cargo runs rustc through the program it names",
	"CARGO_BUILD_RUSTC":                   "cargo runs the program it names as rustc",
	"RUSTC":                               "cargo runs the program it names as rustc",
	"RUSTDOC":                             "cargo runs the program it names as rustdoc",
	"CARGO_HOME":                          "cargo reads its configuration (runners, wrappers) there",
}

// settingVars are environment twins of settings files: npm takes every
// setting from npm_config_KEY (any case, - or _), pip from PIP_KEY. The
// keys listed run a program or name a file the program writes or reads
// as configuration.
var settingVars = []struct {
	prefix string
	prog   string
	keys   map[string]bool
}{
	{"npm_config_", "npm", map[string]bool{"script-shell": true, "shell": true, "editor": true, "browser": true, "git": true,
		"node-options": true, "userconfig": true, "globalconfig": true, "prefix": true, "init-module": true, "viewer": true,
		"onload-script": true, "logs-dir": true, "call": true}},
	{"pip_", "pip", map[string]bool{"log": true, "log-file": true, "target": true, "prefix": true, "root": true, "src": true,
		"config-file": true, "report": true}},
	{"yarn_", "yarn", map[string]bool{"rc-filename": true, "global-folder": true, "prefix": true, "yarn-path": true}},
}

// settingVar returns the program and key when name is a listed setting.
func settingVar(name string) (string, string) {
	l := strings.ToLower(name)
	for _, s := range settingVars {
		if k, ok := strings.CutPrefix(l, s.prefix); ok {
			k = strings.ReplaceAll(k, "_", "-")
			if s.keys[k] {
				return s.prog, k
			}
		}
	}
	return "", ""
}

// nodeWriters are NODE_OPTIONS options that write files or read
// configuration (node accepts _ for -).
var nodeWriters = []string{"redirect-warnings", "report-", "diagnostic-dir", "cpu-prof", "heap-prof", "env-file",
	"experimental-config-file", "trace-event-file-pattern", "localstorage-file", "openssl-config", "openssl-shared-config",
	"snapshot-blob", "prof", "inspect-publish-uid", "watch", "experimental-sea-config", "tls-keylog", "secure-heap"}

// jvmVars: the JVM reads options from JAVA_TOOL_OPTIONS, _JAVA_OPTIONS
// and JDK_JAVA_OPTIONS; launch scripts pass JAVA_OPTS, MAVEN_OPTS,
// GRADLE_OPTS to it. -XX:OnError=CMD and -XX:OnOutOfMemoryError=CMD run
// commands; agents load code; log and dump options write files.
var jvmVars = map[string]bool{"JAVA_TOOL_OPTIONS": true, "_JAVA_OPTIONS": true, "JDK_JAVA_OPTIONS": true,
	"JAVA_OPTS": true, "MAVEN_OPTS": true, "GRADLE_OPTS": true, "SBT_OPTS": true, "ANT_OPTS": true}

var jvmDanger = []string{"onerror", "onoutofmemoryerror", "file=", "path=", "-xlog", "errorfile", "javaagent", "-agentlib",
	"-agentpath", "@", "heapdump", "-xx:flags", "-xx:vmoptionsfile", "jfr", "-xshare", "sharedarchivefile"}

// cargoHarmless are the CARGO_ variables an agent's command may set: the
// output's form, jobs, the network, logging.
var cargoHarmless = map[string]bool{"CARGO_TERM_COLOR": true, "CARGO_TERM_VERBOSE": true, "CARGO_TERM_QUIET": true,
	"CARGO_TERM_PROGRESS_WHEN": true, "CARGO_TERM_PROGRESS_WIDTH": true, "CARGO_TERM_HYPERLINKS": true, "CARGO_TERM_UNICODE": true,
	"CARGO_INCREMENTAL": true, "CARGO_NET_OFFLINE": true, "CARGO_NET_RETRY": true, "CARGO_BUILD_JOBS": true, "CARGO_LOG": true,
	"CARGO_HTTP_TIMEOUT": true, "CARGO_HTTP_MULTIPLEXING": true, "CARGO_HTTP_DEBUG": true}

// localModule reports whether a node module specifier names a file (./x,
// ../x, /x, file:…) rather than a package.
func localModule(v string) bool {
	return strings.HasPrefix(v, ".") || strings.HasPrefix(v, "/") || strings.HasPrefix(strings.ToLower(v), "file:") || strings.HasPrefix(v, "~")
}

// optionEnv judges an assignment of a variable a program reads as options
// (optionVars, optionRefused, settingVars, NODE_OPTIONS writers, the JVM's
// options, TF_CLI_ARGS); it reports whether it refused.
func (a *analyzer) optionEnv(name string, val tok) bool {
	refuse := func(why string) bool {
		a.refuse("`%s=%s`: %s, which the hook does not judge: do not set %s in an agent's command (give a program's options on its command line, where the hook reads them)", name, val, why, name)
		return true
	}
	if why := optionRefused[name]; why != "" {
		return refuse(why)
	}
	if strings.HasPrefix(name, "CARGO_TARGET_") && (strings.HasSuffix(name, "_RUNNER") || strings.HasSuffix(name, "_LINKER") || strings.HasSuffix(name, "_RUSTFLAGS")) {
		return refuse("cargo runs the program it names (a target runner or linker) for that target")
	}
	if name == "RSYNC_RSH" && (val.dyn || !sshCommand(val.s) || strings.ContainsAny(val.s, `\'"`)) {
		// rsync runs its other side through it: env rsync --server runs
		// here (review hook116 H2).
		return refuse("rsync runs its other side through the program it names, which, other than ssh, runs it on this machine")
	}
	if strings.HasPrefix(name, "CARGO_") && !cargoHarmless[name] {
		// Cargo reads every CARGO_KEY as its configuration's key: a
		// rustdoc, a credential provider, a host linker, a target
		// directory (review hook117 M4). Only the keys that change
		// output, jobs and the network pass.
		return refuse("cargo reads it as a configuration key (CARGO_BUILD_RUSTDOC, CARGO_REGISTRY_CREDENTIAL_PROVIDER run programs; CARGO_TARGET_DIR names where it writes: use --target-dir, which the hook judges)")
	}
	if name == "RUSTFLAGS" || name == "CARGO_ENCODED_RUSTFLAGS" || name == "CARGO_BUILD_RUSTFLAGS" || name == "RUSTDOCFLAGS" {
		if l := strings.ToLower(val.s); val.dyn || strings.Contains(l, "link") || strings.Contains(l, "codegen-backend") || strings.Contains(l, "-z") || strings.Contains(l, "plugin") {
			return refuse("rustc runs the linker or loads the code its flags name (-C linker=, -C link-arg=, -Z codegen-backend=)")
		}
	}
	if strings.HasPrefix(name, "TF_CLI_ARGS") {
		return refuse("terraform and tofu add its words to the arguments of every command (TF_CLI_ARGS_apply=-auto-approve), wherever they run (a Makefile, a script)")
	}
	if prog, key := settingVar(name); prog != "" {
		return refuse(prog + " reads its `" + key + "` setting from it, which runs a program, or names a file it writes or reads as configuration")
	}
	if jvmVars[name] {
		l := strings.ToLower(val.s)
		for _, d := range jvmDanger {
			if val.dyn || strings.Contains(l, d) {
				return refuse("the JVM reads its options from it, and -XX:OnError/OnOutOfMemoryError run commands, agents load code, log and dump options write files")
			}
		}
		return false
	}
	if name == "NODE_OPTIONS" && !val.dyn {
		fs := strings.Fields(val.s)
		for i, f := range fs {
			// --require ./x.txt: every node program (npm, npx, any CLI
			// written in node) preloads a file, of any name, as code
			// (review hook128 H3); a package name (-r dotenv/config) passes.
			if n, v, eq := strings.Cut(f, "="); n == "-r" || n == "--require" || n == "--import" || n == "--loader" || n == "--experimental-loader" || strings.HasPrefix(f, "-r") && len(f) > 2 && !strings.HasPrefix(f, "--") {
				if !eq {
					v = ""
					if strings.HasPrefix(f, "-r") && len(f) > 2 && !strings.HasPrefix(f, "--") {
						v = f[2:]
					} else if i+1 < len(fs) {
						v = fs[i+1]
					}
				}
				if localModule(v) {
					return refuse("node preloads the file " + v + " as code, in every program written in node that the line runs")
				}
			}
		}
		for _, f := range fs {
			n := strings.ReplaceAll(strings.TrimLeft(strings.ToLower(f), "-"), "_", "-")
			for _, w := range nodeWriters {
				if strings.HasPrefix(n, w) {
					return refuse("node reads " + f + " from it, which writes a file or reads settings from one")
				}
			}
		}
		return false
	}
	if name == "RUBYOPT" && (val.dyn || strings.Contains(val.s, "/dev/") || strings.Contains(val.s, "/proc/")) {
		return refuse("ruby loads the libraries -r names, here one the line computes or fills")
	}
	ov, ok := optionVars[name]
	if !ok {
		return false
	}
	if val.dyn {
		return refuse(ov.prog + " reads its options from it, and this value is computed at run time")
	}
	if strings.ContainsAny(val.s, `'"\`) {
		return refuse(ov.prog + " reads its options from it and splits them with its own quoting rules")
	}
	for _, w := range strings.Fields(val.s) {
		switch {
		case ov.ok(w):
		case ov.archive && !strings.HasPrefix(w, "-"):
			// The archive zip writes: judged as a write, resolved in the
			// directory zip runs in.
			if a.fileVarWrite(name, tok{s: w}) {
				return true
			}
		default:
			return refuse(ov.prog + " reads its options from it, and " + w + " is not one the hook knows to neither run a program nor write a file")
		}
	}
	return false
}

// optionEnvComputed refuses a computed value (read, printf -v, a loop)
// for the variables optionEnv judges.
func (a *analyzer) optionEnvComputed(name string) {
	_, ov := optionVars[name]
	prog, _ := settingVar(name)
	if ov || optionRefused[name] != "" || prog != "" || strings.HasPrefix(name, "TF_CLI_ARGS") || jvmVars[name] ||
		name == "NODE_OPTIONS" || name == "RUBYOPT" {
		a.refuse("`%s` is set to a value computed at run time: a program reads its options from it", name)
	}
}

func init() {
	// Commands programs take from the environment, besides settings.go's.
	for _, v := range []string{"RSYNC_RSH", "RSYNC_CONNECT_PROG", "PARALLEL_SSH", "FCEDIT", "KUBE_EDITOR", "KUBECTL_EXTERNAL_DIFF",
		"GH_EDITOR", "GH_BROWSER", "GH_PAGER", "GLAB_PAGER", "SYSTEMD_PAGER", "SYSTEMD_EDITOR", "AWS_PAGER", "PSQL_PAGER",
		"PSQL_EDITOR", "HGEDITOR", "SVN_EDITOR", "DELTA_PAGER", "GIT_SEQUENCE_EDITOR", "SELECTED_EDITOR", "LESSEDIT"} {
		commandVars[v] = settingRun
	}
}
