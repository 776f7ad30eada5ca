package shell

import (
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// A program is what the hook knows about one program's command line, as
// shellcheck and shfmt keep their builtin tables: which options take a
// value, which option or operand it runs as code, which option changes
// the directory, and what its operands are. One walker (analyzer.walk)
// reads every row; a new wrapper is one row.
//
// A program with a grammar of its own (terraform, git, find, a shell)
// names a judge instead, which reads its whole command line.
type program struct {
	short string   // short option letters that take a value (-n 10, -n10, -qn 10)
	long  []string // long options that take a value (--signal TERM, --signal=TERM)
	// opt and optLong take a value only when it is attached (xargs -l2,
	// sed -i.bak, git grep -Oless, --open-files-in-pager=less): the next
	// word is never theirs.
	opt     string
	optLong []string
	// optDigits take an optional numeric value attached (perl -l012,
	// -0777): the letters after it are further options (-le is -l -e).
	optDigits string
	// flags are long options that take no value, listed so that their
	// abbreviations resolve as getopt_long resolves them (longopts.go):
	// install --strip is not --strip-program.
	flags []string
	// closed: the row lists every option the program has (shortFlags the
	// letters that take no value, flags the long ones, digits a -NUM):
	// an option it does not list is refused, since it may take a value
	// and so move where the command starts, or do what the hook cannot
	// see (fail closed). Rows of wrappers that run a command are closed.
	closed     bool
	shortFlags string
	digits     bool
	// becomes: options that make the program another one (sudo -e is
	// sudoedit, which writes the files it is given).
	becomes map[string]string

	code   []string // options whose value is a shell command line (flock -c CMD)
	opaque []string // options whose value runs code the hook cannot read: refused
	again  []string // options whose value the shell expands again, running its substitutions (compgen -W)
	keyed  []string // options whose value is a setting, KEY=VALUE or KEY VALUE (ssh -o)
	jump   []string // options whose value is ssh's ProxyJump (ssh -J), which ssh puts into a command it runs
	// envs: options whose value NAME=VALUE sets the environment of the
	// command run (strace -E); envNames: options whose value is a NAME
	// the program sets to a number (xargs --process-slot-var). Judged as
	// the line's own assignments (review hook54 F5, F6).
	envs     []string
	envNames []string
	keys     map[string]string // the settings that run a command (see settings.go)
	chdir    []string          // options whose value is the directory the command runs in
	moves    []string          // options (no value) that run the command elsewhere: sudo -i, su - (the home directory)
	newDir   bool              // the first skipped operand is where the command runs (chroot NEWROOT)
	split    []string          // options whose value is split into words that start the command (env -S)
	argv     []string          // options after which the operands are a program, not a line (watch -x)
	then     []string          // words after which the rest is the command, like a `--` (nix shell P --command CMD)
	prints   []string          // options after which the program only prints (command -v)
	// shellOpts: options that, without a command, start a shell reading
	// standard input (sudo -s, sudo -i, doas -s): judged as `sh` fed it.
	shellOpts []string
	// stdinShell: without a command, the program starts a shell reading
	// standard input (ssh HOST), unless one of these options is given
	// (ssh -N: no command at all).
	stdinShell []string

	assigns bool // NAME=VALUE operands before the command set its environment (env)
	permute bool // options may follow operands (GNU getopt): code options count anywhere before --
	reenter bool // ssh: options are read again after the first operand (the host), up to the command

	runs runs // what the operands after the options are
	skip int  // operands before the command: a duration, a new root, a lock file, a host
	// sub maps a first operand to the program the rest runs under ("" = the
	// rest is the command itself): tenv tf ARGS, asdf exec CMD.
	sub map[string]string

	kind kind // the call's own kind, when what it runs is judged apart (or it runs nothing)

	// guarded: a Terraform-family program, planguard or a shell, refused
	// when run once per input (find -exec, xargs, parallel): the hook
	// cannot tell what each run reads, nor count them.
	guarded bool

	interp bool // a shell or an interpreter: runs the code it reads

	reader bool     // only reads its arguments: naming terraform there is not a call
	copies bool     // copies or links files: a Terraform-family program must keep its name
	writes bool     // writes the files it names: refused on protected files
	dests  dests    // which operands it writes (see writes.go); destUnknown: any argument, read loosely
	outs   []string // options whose value is a file it writes (sort -o, less -o)
	// pipes: options whose value, when it starts with | or !, is a shell
	// command line the program runs (strace -o '|CMD'); else a file it writes.
	pipes []string
	// progs: options whose value is a program run on each file the
	// command writes (install --strip-program=PROG: PROG DEST).
	progs []string
	// filters: options whose value is a program run with the data on its
	// standard input (sort --compress-program=PROG): only a plain
	// compressor is allowed.
	filters []string
	// danger: long options a judge reads by name (make --eval, gawk
	// --source): an ambiguous abbreviation of one is refused.
	danger []string

	judge func(a *analyzer, c call) kind

	longCache // the long option names, for abbreviations (longopts.go)
}

// runs says what a program's operands are.
type runs int

const (
	runsArgs     runs = iota // not known: may run its arguments (aws-vault exec, op run --); the generic rule
	runsNothing              // reads, prints or tests only
	runsCommand              // a program and its arguments (env, sudo, nice)
	runsLine                 // joined with spaces, a shell command line (eval, ssh HOST CMD, watch)
	runsFirst                // the first is a shell command line, the rest are not (trap CMD SIGNAL)
	runsDashDash             // the command follows a `--` (mise exec tool@1 -- CMD)
)

// call is one simple command to judge, with what the words around it
// already established.
type call struct {
	argv    []tok
	assigns []string     // environment names set for it (FOO=1 cmd, env FOO=1 cmd, FOO=1 bash -c 'cmd')
	st      *syntax.Stmt // its statement, when it has one of its own
	depth   int
	chdir   string // the wrapper that runs it in another directory (env -C, sudo -D, find -execdir)
	dir     string // that directory, when the wrapper spells it out (env -C DIR)
	each    string // the wrapper that runs it once per input (find -exec, xargs, parallel)
	fed     bool   // its standard input is a pipe, a file or a here-document
	// linked: its standard input is what a program the hook does not
	// know connects to it (nc -e PROG: a socket), not a file the line names
	linked bool
}

// inner is the call a wrapper makes: argv, in the same statement,
// environment and directory.
func (c call) inner(argv []tok) call {
	c.argv, c.depth = argv, c.depth+1
	return c
}

// programs is the table. Names are base names, lower-cased, without .exe.
var programs = map[string]*program{}

func init() {
	add := func(p *program, names ...string) {
		for _, n := range names {
			programs[n] = p
		}
	}
	// Wrappers that run a program with its arguments. Option arities are
	// from the tools' own --help (GNU coreutils, util-linux, findutils,
	// sudo's getopt string, OpenSSH's); TestWrapperRowsJudgeTheirProgram
	// runs a sample of each row.
	add(&program{runs: runsCommand}, "noglob", "nocorrect", "-", "busybox", "builtin", "unbuffer")
	add(&program{runs: runsCommand, closed: true, flags: []string{"help", "version"}}, "nohup")
	// sudo and doas take NAME=VALUE operands before the command, as env
	// does: judged as env's (and as prefix assignments) are.
	// doas: "a:C:Lnsu:" (OpenBSD, and OpenDoas).
	add(&program{runs: runsCommand, short: "auC", shortFlags: "Lns", closed: true, assigns: true, shellOpts: []string{"s"}}, "doas")
	add(&program{runs: runsCommand, shortFlags: "cfwhV", closed: true, flags: []string{"ctty", "fork", "wait", "help", "version"}}, "setsid")
	add(&program{runs: runsCommand, shortFlags: "pvV", closed: true, prints: []string{"-v", "-V"}}, "command")
	// exec -a NAME sets the program's argv[0], which git (git-clean runs
	// git clean) and others read as the command to run (review hook41 H2).
	add(&program{runs: runsCommand, short: "a", shortFlags: "cl", closed: true, opaque: []string{"a"}}, "exec")
	// env: GNU coreutils (-a/--argv0 since 9.6) and BSD (-P altpath, -L/-U login class).
	add(&program{runs: runsCommand, short: "uCSPaLU", shortFlags: "i0v", closed: true, long: []string{"unset", "chdir", "split-string", "argv0"},
		split: []string{"S", "split-string"}, chdir: []string{"C", "chdir"}, assigns: true, opaque: []string{"a", "argv0"},
		flags: []string{"ignore-environment", "null", "block-signal", "default-signal", "ignore-signal", "list-signal-handling", "debug",
			"help", "version"}}, "env")
	// sudo: "+Aa:BbC:c:D:Eeg:Hh::iKklNnPp:R:r:SsT:t:U:u:Vv" (-h takes only an attached host); --preserve-env[=LIST]
	// takes only an attached list. -e/--edit is sudoedit.
	add(&program{runs: runsCommand, short: "aCcDgprRtTUu", opt: "h", shortFlags: "ABbEeHiKklNnPSsVv", closed: true, optLong: []string{"preserve-env"},
		long: []string{"user", "group", "close-from", "chdir", "host", "prompt", "role", "type", "other-user", "command-timeout", "chroot", "auth-type", "login-class"},
		flags: []string{"askpass", "background", "bell", "edit", "set-home", "help", "remove-timestamp", "reset-timestamp", "list", "no-update",
			"non-interactive", "preserve-groups", "stdin", "shell", "version", "validate"},
		chdir: []string{"D", "chdir", "R", "chroot"}, moves: []string{"i", "login"}, assigns: true,
		becomes: map[string]string{"e": "sudoedit", "edit": "sudoedit"}, shellOpts: []string{"s", "shell", "i", "login"}}, "sudo")
	// GNU time -o FILE writes its report there.
	add(&program{runs: runsCommand, short: "fo", shortFlags: "papvqV", closed: true, long: []string{"format", "output"}, writes: true, dests: destNone, outs: []string{"o", "output"},
		flags: []string{"portability", "append", "verbose", "quiet", "help", "version"}}, "time")
	// nice -N, --N, -+N: the obsolete spelling of -n N.
	add(&program{runs: runsCommand, short: "n", closed: true, digits: true, long: []string{"adjustment"}, flags: []string{"help", "version"}}, "nice")
	add(&program{runs: runsCommand, short: "cnpPu", shortFlags: "thV", closed: true, long: []string{"class", "classdata", "pid", "pgid", "uid"},
		flags:  []string{"ignore", "help", "version"},
		prints: []string{"-p", "-P", "-u", "--pid", "--pgid", "--uid"}}, "ionice")
	add(&program{runs: runsCommand, short: "ioe", closed: true, long: []string{"input", "output", "error"}, flags: []string{"help", "version"}}, "stdbuf")
	add(&program{runs: runsCommand, short: "tw"}, "caffeinate")
	// strace: closed, each long option's value as strace 6 reads it
	// (tested by running it): --quiet, --decode-fds… take a value only
	// when it is attached (review hook50 H4).
	// --argv0 NAME runs the program under another name (review hook149 M1).
	add(&program{runs: runsCommand, closed: true, short: "abeEIoOpPsSuUX", shortFlags: "AcCdDfFhiknqrtTvVwxyYzZ",
		envs: []string{"E", "env"}, opaque: []string{"argv0"},
		long: []string{"output", "trace", "signal", "attach", "user", "env",
			"abbrev", "verbose", "raw", "read", "write", "fault", "inject", "status", "string-limit",
			"columns", "trace-path", "summary-columns", "summary-sort-by", "const-print-style", "interruptible", "argv0", "kvm",
			"detach-on", "decode-pids", "summary-syscall-overhead"},
		optLong: []string{"absolute-timestamps", "quiet", "silence", "silent", "decode-fds", "daemonize", "relative-timestamps",
			"timestamps", "syscall-times", "strings-in-hex", "stack-trace", "stack-traces", "tips", "secontext"},
		// -o FILE writes the trace; -o '|CMD' and -o '!CMD' pipe it to a shell command line.
		writes: true, dests: destNone, outs: []string{"o", "output"}, pipes: []string{"o", "output"},
		flags: []string{"output-separately", "output-append-mode", "summary", "summary-only", "summary-wall-clock", "follow-forks",
			"no-abbrev", "successful-only", "failed-only", "seccomp-bpf", "debug", "help", "version", "instruction-pointer",
			"syscall-number"}}, "strace")
	add(&program{runs: runsCommand, short: "aADeFlnopsuwx", long: []string{"output", "library", "align", "indent", "config"},
		writes: true, dests: destNone, outs: []string{"o", "output"}}, "ltrace")
	add(&program{runs: runsCommand, skip: 1, short: "sk", shortFlags: "fpv", closed: true, long: []string{"signal", "kill-after"},
		flags: []string{"foreground", "preserve-status", "verbose", "help", "version"}}, "timeout")
	// taskset [-a] [-c] MASK|LIST CMD; with -p it changes a running process.
	add(&program{runs: runsCommand, skip: 1, prints: []string{"-p", "--pid"}}, "taskset")
	// chpst: -e DIR sets the environment from files the hook cannot read.
	// chpst -b NAME runs the program under the name NAME, as exec -a
	// does (review hook149 H1).
	add(&program{runs: runsCommand, short: "uUbnlLmdofpct", chdir: []string{"C", "/"}, opaque: []string{"e", "b"}}, "chpst")
	add(&program{runs: runsCommand, skip: 1, newDir: true, closed: true, long: []string{"userspec", "groups"}, flags: []string{"skip-chdir", "help", "version"}}, "chroot")
	add(&program{runs: runsCommand, skip: 1, short: "wE", long: []string{"timeout", "wait", "conflict-exit-code"},
		code: []string{"c", "command"}, permute: true}, "flock")
	add(&program{runs: runsArgs, code: []string{"c", "command", "C", "session-command"}, permute: true, short: "gGswu",
		long: []string{"user", "group", "shell", "supp-group", "whitelist-environment"}, moves: []string{"-", "l", "login"},
		judge: (*analyzer).su}, "su", "runuser")
	// script [FILE]: the typescript, and the -I/-O/-B/-T logs, are files it writes.
	add(&program{runs: runsArgs, code: []string{"c", "command"}, permute: true, short: "IOBTmEo", opt: "t",
		long:   []string{"log-in", "log-out", "log-io", "log-timing", "logging-format", "echo", "output-limit"},
		flags:  []string{"append", "return", "flush", "force", "quiet", "timing", "help", "version"},
		writes: true, dests: destAll, outs: []string{"I", "O", "B", "T", "t", "log-in", "log-out", "log-io", "log-timing", "timing"},
		judge: (*analyzer).scriptProg}, "script")
	// Programs that start a shell for a command, or for standard input
	// (runners.go).
	add(&program{judge: (*analyzer).sg}, "sg")
	add(&program{judge: (*analyzer).newgrp}, "newgrp")
	add(&program{judge: (*analyzer).capsh}, "capsh")
	add(&program{judge: (*analyzer).atJob}, "at", "batch")
	add(&program{judge: (*analyzer).crontab}, "crontab")
	add(&program{judge: (*analyzer).debugger}, "gdb", "lldb", "cgdb")
	add(&program{judge: (*analyzer).machinectl}, "machinectl")
	add(&program{judge: (*analyzer).multiplexer}, "tmux", "screen")
	add(&program{judge: (*analyzer).terminalEmulator}, "xterm", "uxterm", "rxvt", "urxvt", "gnome-terminal", "konsole",
		"xfce4-terminal", "alacritty", "kitty", "wezterm", "foot", "terminator", "tilix", "st", "x-terminal-emulator")
	add(&program{runs: runsCommand, sub: map[string]string{"tf": "terraform", "tofu": "tofu", "tg": "terragrunt"}}, "tenv")
	add(&program{runs: runsDashDash, short: "CE", long: []string{"cd", "env"}, chdir: []string{"C", "cd"}}, "mise", "rtx")
	add(&program{runs: runsDashDash}, "aqua")
	add(&program{runs: runsDashDash, then: []string{"--command", "-c"}}, "nix")
	add(&program{runs: runsArgs, permute: true, short: "pAIE", long: []string{"attr", "arg", "argstr", "include", "expr", "packages"},
		code: []string{"run", "command"}}, "nix-shell")
	add(&program{runs: runsDashDash, sub: map[string]string{"exec": ""}}, "asdf")
	// Wrappers that run a command line.
	add(&program{runs: runsLine, kind: kindWrapper}, "eval")
	// watch: closed; -d takes a value only when attached (-dn is -d=n:
	// review hook50 H3).
	add(&program{runs: runsLine, kind: kindWrapper, closed: true, short: "nq", long: []string{"interval", "equexit"},
		opt: "d", optLong: []string{"differences"}, shortFlags: "bceghptwxv",
		flags: []string{"beep", "color", "no-color", "errexit", "chgexit", "precise", "no-title", "no-wrap", "exec", "help", "version"},
		argv:  []string{"x", "exec"}}, "watch")
	add(&program{runs: runsLine, skip: 1, short: "BbcDEeFIiJLlmOoPpQRSWw", keyed: []string{"o"}, keys: sshKeys, jump: []string{"J"}, opaque: []string{"F", "I"},
		writes: true, dests: destNone, outs: []string{"E"}, stdinShell: []string{"N", "W", "O", "s"}, reenter: true}, "ssh")
	// scp -O is a flag (the legacy protocol); -S and -D name programs it runs.
	add(&program{runs: runsArgs, short: "cFiJlPX", keyed: []string{"o"}, keys: sshKeys, jump: []string{"J"}, code: []string{"S", "D"}, opaque: []string{"F"},
		judge: (*analyzer).scp}, "scp")
	// sftp -b FILE runs its `!command` lines.
	// sftp -s SUBSYSTEM takes a value (review hook50 H6).
	add(&program{runs: runsArgs, short: "BcFiJlPRsX", keyed: []string{"o"}, keys: sshKeys, jump: []string{"J"}, code: []string{"S", "D"}, opaque: []string{"b", "F"},
		judge: (*analyzer).sftp}, "sftp")
	// apt's hooks (-o APT::Update::Pre-Invoke::=CMD, DPkg::Post-Invoke)
	// and dpkg's (--post-invoke=CMD) run shell commands (review hook50 L1).
	add(&program{runs: runsNothing, permute: true, short: "tah", long: []string{"target-release", "host-architecture"},
		keyed: []string{"o", "option"}, keys: aptKeys, opaque: []string{"c", "config-file"}}, "apt-get", "apt", "apt-cache", "aptitude")
	add(&program{runs: runsNothing, permute: true, long: []string{"admindir", "root", "instdir", "log", "status-fd", "path-exclude",
		"path-include", "ignore-depends", "abort-after", "debug"},
		code: []string{"pre-invoke", "post-invoke", "status-logger"},
		// --log=FILE: dpkg appends a line to it on every action (review hook54 F7).
		writes: true, dests: destNone, outs: []string{"log"}}, "dpkg")
	add(&program{runs: runsFirst}, "trap")
	// Builtins that keep a command to run later.
	// compgen/complete -C CMD: CMD runs with the word and its neighbours
	// as arguments (-C eval runs them: review hook53 F4), refused.
	add(&program{short: "oAGWFCXPS", opaque: []string{"C"}, again: []string{"W"}, runs: runsNothing}, "compgen", "complete")
	// Builtins and programs that change how the shell reads later lines.
	add(&program{judge: (*analyzer).bind}, "bind")
	add(&program{judge: (*analyzer).stty}, "stty")
	add(&program{judge: (*analyzer).shopt}, "shopt")
	// Builtins that change the directory (judged in the prepass: entering a
	// protected directory is refused, and relative paths after them are
	// matched by name): they write nothing, so the home directory, which
	// holds the shell's startup files, is not a write (`cd ~`).
	add(&program{runs: runsNothing}, "cd", "pushd", "popd", "dirs")
	// Programs that only print or test.
	add(&program{runs: runsNothing, kind: kindBenign}, "echo", "true", ":", "test", "[")
	// split runs --filter's command with $SHELL for each piece; split and
	// csplit name their outputs PREFIX+SUFFIX (derivedWrites).
	add(&program{runs: runsNothing, permute: true, short: "abClnt", long: []string{"suffix-length", "additional-suffix", "bytes",
		"line-bytes", "lines", "number", "separator", "filter"}, optLong: []string{"numeric-suffixes", "hex-suffixes"},
		flags: []string{"elide-empty-files", "unbuffered", "verbose", "help", "version"}, code: []string{"filter"}}, "split", "gsplit")
	add(&program{runs: runsNothing, permute: true, short: "bfn", long: []string{"suffix-format", "prefix", "digits"},
		flags: []string{"keep-files", "suppress-matched", "quiet", "silent", "elide-empty-files", "help", "version"}}, "csplit", "gcsplit")
	// Programs with a grammar of their own.
	add(&program{judge: (*analyzer).terraform, guarded: true}, "terraform", "tofu", "opentofu")
	add(&program{judge: (*analyzer).terragrunt, guarded: true}, "terragrunt")
	add(&program{judge: (*analyzer).planguard, guarded: true}, "planguard")
	add(&program{judge: (*analyzer).sshKeygen}, "ssh-keygen")
	add(&program{judge: (*analyzer).shell, guarded: true, interp: true}, "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "yash", "fish", "rbash",
		// More shells (review hook68 L1): POSIX ones, read as sh; others,
		// whose grammar the hook does not read, refused with a script.
		"posh", "lksh", "oksh", "loksh", "osh", "hush", "ksh93", "tcsh", "csh", "rc", "es", "elvish", "nu", "xonsh", "ysh")
	add(&program{judge: (*analyzer).source, short: "p"}, "source", ".")
	// xargs: -e[EOF], -i[R], -l[N] take only an attached value; so do --eof, --replace.
	// BSD xargs: -J REPLSTR, -R N, -S N take values too.
	add(&program{judge: (*analyzer).xargs, short: "adEILnPsJRS", opt: "eil", optLong: []string{"eof", "replace"}, shortFlags: "0oprtx", closed: true,
		envNames: []string{"process-slot-var"},
		long:     []string{"arg-file", "delimiter", "max-lines", "max-args", "max-procs", "max-chars", "process-slot-var"},
		flags:    []string{"null", "open-tty", "interactive", "no-run-if-empty", "show-limits", "verbose", "exit", "help", "version"}}, "xargs")
	add(&program{judge: (*analyzer).xargs, short: "adEIjPLnNSsCJW", opt: "eil", optLong: []string{"eof", "replace", "max-lines"},
		long: []string{"arg-file", "delimiter", "max-args", "max-procs", "max-chars", "jobs", "colsep", "sshlogin", "sshloginfile",
			"workdir", "wd", "basefile", "return", "tmpdir", "results", "joblog", "block", "timeout", "delay", "memfree", "load",
			"nice", "retries", "halt", "tagstring", "tag-string", "profile", "env", "transferfile", "sql", "sqlandworker", "shebang-wrap"}}, "parallel")
	add(&program{judge: (*analyzer).find}, "find", "fd", "fdfind")
	add(&program{judge: (*analyzer).container}, "docker", "podman", "nerdctl", "kubectl", "oc", "finch", "buildah")
	add(&program{judge: (*analyzer).goRun, short: "C", long: []string{"exec", "tags", "ldflags", "gcflags", "mod", "o", "p"}}, "go")
	add(&program{judge: (*analyzer).alias}, "alias")
	add(&program{judge: (*analyzer).hash}, "hash")
	add(&program{judge: (*analyzer).unset}, "unset")
	add(&program{judge: (*analyzer).enable}, "enable")
	add(&program{judge: (*analyzer).set}, "set")
	add(&program{judge: (*analyzer).fc}, "fc")
	add(&program{judge: (*analyzer).history}, "history")
	add(&program{judge: (*analyzer).read}, "read", "mapfile", "readarray", "getopts")
	add(&program{judge: (*analyzer).waitBuiltin}, "wait")
	add(&program{judge: (*analyzer).jobsBuiltin}, "jobs")
	add(&program{judge: (*analyzer).printf}, "printf")
	add(&program{judge: (*analyzer).declare}, "declare", "typeset", "local", "export", "readonly")
	add(&program{judge: (*analyzer).git, writes: true, reader: true}, "git")
	// Editors run ex commands (`:!cmd` runs a shell): refused when given
	// commands or fed standard input (editor.go).
	add(&program{judge: (*analyzer).editor, writes: true}, "vi", "vim", "nvim", "ex", "view", "vimdiff", "rvim", "rview",
		"gvim", "evim", "exim", "nvi", "elvis", "vile")
	add(&program{judge: (*analyzer).editor, writes: true}, "ed", "red")
	add(&program{judge: (*analyzer).editor, writes: true}, "emacs", "emacsclient", "xemacs")
	add(&program{judge: (*analyzer).pager, reader: true, short: "bhjkpPtTxyzoO#", outs: []string{"o", "O", "log-file", "LOG-FILE"},
		long: []string{"log-file", "LOG-FILE", "lesskey-file", "lesskey-src", "pattern", "prompt", "tag", "tag-file", "tabs", "window", "shift"}}, "less", "more")
	// man -P/--pager and -H/--html run a program (the browser's value only attached).
	add(&program{reader: true, runs: runsArgs, short: "CMmSsepLREr", opt: "HTX", optLong: []string{"html"},
		long: []string{"config-file", "manpath", "systems", "sections", "extension", "preprocessor", "locale", "encoding", "prompt", "pager"},
		// -C FILE: man-db runs the programs its DEFINE lines name
		// (review hook52 H2).
		code: []string{"P", "pager", "H", "html"}, opaque: []string{"C", "config-file"}}, "man")
	// Interpreters: code lists the options whose value is inline code
	// (refused: interp.go), short the options that take a value.
	// perl: -l[OCTAL] and -0[DIGITS] take only attached digits (-le is
	// -l -e), -x[DIR] only an attached directory.
	// The rows are closed (interp.go): an option a row does not list is
	// refused, since it may take the next word as its value and so hide
	// the inline-code option after it (node --title x -e CODE).
	// perl: -l[OCTAL] and -0[DIGITS] take only attached digits (-le is
	// -l -e); -x[DIR], -i[EXT], -d[:MOD], -D[FLAGS], -V[:VAR], -F[PATTERN]
	// only an attached value; -C[FLAGS] is read as letters (-Cle is -C -l -e).
	add(&program{judge: (*analyzer).interpreter, interp: true, writes: true, closed: true, short: "eEImM", opt: "xidDVF", optDigits: "l0",
		shortFlags: "acCnpsStTuUvwWXhf", flags: []string{"help", "version"}, code: []string{"e", "E"}}, "perl")
	add(&program{judge: (*analyzer).interpreter, interp: true, closed: true, short: "cmWXQ", shortFlags: "bBdEhiIOPqsSuvVxR3tU?",
		long: []string{"check-hash-based-pycs"}, flags: []string{"help", "version", "help-env", "help-xoptions", "help-all"}, code: []string{"c"}}, "python")
	// ruby: -W[LEVEL], -x[DIR], -i[EXT], -T[LEVEL], -K[CODE] take only an attached value.
	add(&program{judge: (*analyzer).interpreter, interp: true, closed: true, short: "eIrCEF", opt: "WxiTK", optDigits: "0",
		shortFlags: "acdlnpsSvwhyU", long: []string{"enable", "disable", "dump", "external-encoding", "internal-encoding", "encoding", "backtrace-limit", "parser", "crash-report"},
		flags: []string{"copyright", "verbose", "version", "help", "yjit", "jit", "rjit", "disable-gems", "disable-all"}, code: []string{"e"}}, "ruby")
	add(&program{judge: (*analyzer).interpreter, interp: true, closed: true, short: "eprC", shortFlags: "chiv", optLong: []string{"inspect", "inspect-brk", "inspect-wait"},
		long: []string{"eval", "print", "require", "import", "input-type", "conditions", "loader", "experimental-loader",
			"allow-fs-read", "allow-fs-write", "build-snapshot-config", "cpu-prof-dir", "cpu-prof-interval", "cpu-prof-name", "diagnostic-dir",
			"disable-proto", "disable-warning", "dns-result-order", "env-file", "env-file-if-exists", "experimental-default-type", "experimental-policy",
			"experimental-sea-config", "experimental-config-file", "heap-prof-dir", "heap-prof-interval", "heap-prof-name", "heapsnapshot-near-heap-limit",
			"heapsnapshot-signal", "icu-data-dir", "inspect-publish-uid", "inspect-port", "debug-port", "max-http-header-size",
			"network-family-autoselection-attempt-timeout", "openssl-config", "policy-integrity", "redirect-warnings", "report-filename", "report-signal",
			"report-directory", "report-dir", "secure-heap", "secure-heap-min", "snapshot-blob", "test-concurrency", "test-name-pattern", "test-skip-pattern",
			"test-reporter", "test-reporter-destination", "test-shard", "test-timeout", "test-coverage-include", "test-coverage-exclude", "title",
			"tls-cipher-list", "tls-keylog", "trace-event-categories", "trace-event-file-pattern", "trace-require-module", "unhandled-rejections",
			"use-largepages", "v8-pool-size", "watch-path", "localstorage-file", "experimental-specifier-resolution", "run",
			"max-old-space-size", "max-semi-space-size", "stack-size", "stack-trace-limit"},
		flags: []string{"abort-on-uncaught-exception", "allow-addons", "allow-child-process", "allow-wasi", "allow-worker", "build-snapshot", "check",
			"completion-bash", "cpu-prof", "disable-wasm-trap-handler", "disallow-code-generation-from-strings", "enable-etw-stack-walking", "enable-fips",
			"enable-network-family-autoselection", "enable-source-maps", "experimental-eventsource", "experimental-import-meta-resolve",
			"experimental-network-imports", "experimental-network-inspection", "experimental-permission", "permission", "experimental-print-required-tla",
			"experimental-require-module", "experimental-test-coverage", "experimental-test-module-mocks", "experimental-vm-modules",
			"experimental-wasm-modules", "experimental-websocket", "experimental-strip-types", "experimental-transform-types",
			"experimental-detect-module", "experimental-json-modules", "experimental-top-level-await", "experimental-modules", "experimental-fetch",
			"experimental-global-webcrypto", "experimental-sqlite", "experimental-webstorage", "expose-gc", "force-context-aware", "force-fips",
			"force-node-api-uncaught-exceptions-policy", "frozen-intrinsics", "heap-prof", "help", "huge-max-old-generation-size", "insecure-http-parser",
			"interactive", "interpreted-frames-native-stack", "jitless", "no-addons", "no-deprecation", "no-experimental-detect-module",
			"no-experimental-fetch", "no-experimental-global-customevent", "no-experimental-global-webcrypto", "no-experimental-repl-await",
			"no-experimental-require-module", "no-experimental-strip-types", "no-extra-info-on-fatal-exception", "no-force-async-hooks-checks",
			"no-global-search-paths", "no-warnings", "node-memory-debug", "openssl-legacy-provider", "openssl-shared-config", "pending-deprecation",
			"preserve-symlinks", "preserve-symlinks-main", "prof", "prof-process", "report-compact", "report-exclude-network", "report-on-fatalerror",
			"report-on-signal", "report-uncaught-exception", "test", "test-force-exit", "test-only", "test-update-snapshots", "throw-deprecation",
			"tls-max-v1.2", "tls-max-v1.3", "tls-min-v1.0", "tls-min-v1.1", "tls-min-v1.2", "tls-min-v1.3", "trace-atomics-wait", "trace-deprecation",
			"trace-exit", "trace-promises", "trace-sigint", "trace-sync-io", "trace-tls", "trace-uncaught", "trace-warnings", "track-heap-objects",
			"use-bundled-ca", "use-openssl-ca", "use-system-ca", "v8-options", "version", "watch", "watch-preserve-output", "zero-fill-buffers",
			"trace-gc", "allow-natives-syntax"},
		code: []string{"e", "p", "eval", "print"}}, "node", "nodejs")
	// deno runs subcommands (deno run FILE, deno eval CODE); its global
	// options are few.
	add(&program{judge: (*analyzer).interpreter, interp: true, closed: true, short: "eL", shortFlags: "hVq", long: []string{"log-level"},
		flags: []string{"help", "version", "quiet", "unstable"}, code: []string{"e", "eval", "print", "p"}, sub: map[string]string{"eval": ""}}, "deno")
	// bun: its runtime options come before the script or subcommand.
	add(&program{judge: (*analyzer).interpreter, interp: true, closed: true, short: "eprcdlF", shortFlags: "bhiv",
		long: []string{"eval", "print", "cwd", "preload", "require", "import", "config", "define", "loader", "env-file", "tsconfig-override", "port",
			"main-fields", "extension-order", "jsx-factory", "jsx-fragment", "jsx-import-source", "jsx-runtime", "conditions", "filter", "elide-lines",
			"console-depth", "user-agent", "dns-result-order", "max-http-header-size", "unhandled-rejections", "title", "fetch-preconnect"},
		optLong: []string{"inspect", "inspect-brk", "inspect-wait"},
		flags: []string{"watch", "hot", "no-clear-screen", "smol", "silent", "bun", "install", "no-install", "prefer-offline", "prefer-latest",
			"if-present", "version", "revision", "help", "expose-gc", "no-deprecation", "throw-deprecation", "zero-fill-buffers", "no-addons",
			"shell", "use-system-ca", "no-macros", "no-env-file"},
		code: []string{"e", "eval", "print", "p"}, sub: map[string]string{"eval": ""}}, "bun")
	add(&program{judge: (*analyzer).interpreter, interp: true, closed: true, short: "rBREcdfFztSb", shortFlags: "aCnehilmsvwHq",
		long: []string{"bindpath", "php-ini", "define", "file", "process-file", "docroot", "server", "zend-extension", "rfunction", "rclass",
			"rextension", "rzendextension", "rextinfo", "rf", "rc", "re", "rz", "ri"},
		flags: []string{"interactive", "no-chdir", "no-php-ini", "profile-info", "help", "hide-args", "info", "syntax-check", "modules", "strip", "version", "ini"},
		code:  []string{"r", "B", "R", "E", "run", "process-begin", "process-code", "process-end"}}, "php")
	// lua: -W (warnings on) and -E, -i, -v take no value.
	add(&program{judge: (*analyzer).interpreter, interp: true, closed: true, short: "el", shortFlags: "ivEW", code: []string{"e"}}, "lua")
	add(&program{judge: (*analyzer).interpreter, interp: true, closed: true, short: "ecfDls", shortFlags: "ibnNvd", code: []string{"e", "c"}}, "osascript", "expect", "tclsh", "wish")
	// gawk: -d[FILE], -D[FILE], -L[VALUE], -o[FILE], -p[FILE] take only an
	// attached value, as their long forms do; -W NAME[=VALUE] is --NAME
	// (awkW). The last flags are mawk's -W options.
	add(&program{judge: (*analyzer).awk, interp: true, short: "FvfeEilW", opt: "dDLop", long: []string{"field-separator", "assign", "file", "source", "exec", "include", "load"},
		optLong: []string{"debug", "dump-variables", "lint", "pretty-print", "profile"},
		danger:  []string{"file", "source", "exec", "include", "load", "dump-variables", "pretty-print", "profile"},
		flags: []string{"characters-as-bytes", "copyright", "gen-pot", "help", "bignum", "use-lc-numeric",
			"non-decimal-data", "posix", "re-interval", "optimize", "no-optimize", "sandbox", "traditional",
			"trace", "version", "csv", "persist", "usage", "lint-old", "compat",
			"interactive", "sprintf", "posix_space", "random", "dump"}},
		"awk", "gawk", "mawk", "nawk", "busybox-awk")
	// Readers, and programs that write or copy files.
	add(&program{reader: true}, "grep", "egrep", "fgrep", "rg", "ag", "ack", "ls", "bat", "head", "tail", "wc",
		"file", "stat", "diff", "which", "whereis", "type", "info", "tldr",
		// Print names or sums, signal processes; gofmt -w rewrites only
		// files that parse as Go, which no protected file does.
		"basename", "dirname", "realpath", "readlink", "kill", "gofmt", "md5sum", "sha1sum", "sha256sum", "sha512sum", "du")
	add(&program{reader: true, copies: true}, "cat")
	// Writers: dests says which operands they write (writes.go).
	add(&program{copies: true, writes: true, dests: destLast, short: "tS", long: []string{"target-directory", "suffix", "sparse", "no-preserve"},
		danger: []string{"target-directory", "suffix"},
		flags: []string{"archive", "attributes-only", "backup", "copy-contents", "debug", "dereference", "force", "interactive", "link",
			"no-dereference", "preserve", "parents", "recursive", "reflink", "remove-destination", "strip-trailing-slashes",
			"symbolic-link", "no-target-directory", "update", "verbose", "keep-directory-symlink", "one-file-system", "context", "no-clobber"}}, "cp")
	add(&program{copies: true, writes: true, dests: destLast, short: "tS", long: []string{"target-directory", "suffix"},
		danger: []string{"target-directory", "suffix"},
		flags: []string{"backup", "directory", "force", "interactive", "logical", "no-dereference", "no-target-directory", "physical",
			"relative", "symbolic", "verbose", "no-clobber", "update", "strip-trailing-slashes", "context", "exchange", "no-copy", "debug"}}, "ln", "mv")
	add(&program{copies: true, writes: true, dests: destLast}, "link")
	// install -s --strip-program=PROG runs PROG on each file it installs.
	add(&program{copies: true, writes: true, dests: destLast, short: "tSmog", long: []string{"target-directory", "suffix", "mode", "owner", "group"},
		permute: true, progs: []string{"strip-program"}, danger: []string{"target-directory", "suffix"},
		flags: []string{"backup", "compare", "directory", "preserve-timestamps", "strip", "no-target-directory", "verbose",
			"preserve-context", "context", "debug"}}, "install")
	add(&program{copies: true, writes: true, dests: destAll}, "tee")
	add(&program{copies: true, writes: true, dests: destOperands}, "dd")
	add(&program{writes: true, dests: destAll, short: "rs", long: []string{"reference", "size"}}, "truncate")
	add(&program{writes: true, dests: destAll, short: "rdt", long: []string{"reference", "date", "time"}}, "touch")
	add(&program{writes: true, dests: destAll, short: "ns", long: []string{"iterations", "size", "random-source"}}, "shred")
	add(&program{writes: true, dests: destAll}, "rm", "unlink", "sponge")
	// Removers of the package registries and desktops: every operand goes.
	// rename FROM TO FILE… and perl's rename EXPR FILE…: every operand
	// after the first is a file renamed (or, util-linux's TO, a name made).
	// rename builds each new name from an expression (perl's) or a
	// substitution in the path (util-linux's: rename.ul X .claud ./Xe/…,
	// -s rewrites a link's target): refused (review hook54 F1).
	add(&program{judge: (*analyzer).renameProg}, "rename", "prename", "perl-rename", "file-rename", "rename.ul")
	// vidir and its kin (moreutils, renameutils, mmv) take the new names
	// from the user's editor or their standard input (review hook132 H4).
	add(&program{judge: (*analyzer).editRenamer}, "vidir", "edir", "vimv", "qmv", "qcp", "imv", "icp", "deurlname", "mmv", "mln")
	add(&program{judge: (*analyzer).dupLinker}, "hardlink", "jdupes", "fdupes", "rdfind")
	add(&program{writes: true, dests: destAll}, "rimraf", "trash", "trash-put", "gio-trash", "srm", "wipe", "rmtrash")
	add(&program{writes: true, dests: destAfterFirst, long: []string{"reference", "from"}}, "chmod", "chown", "chgrp")
	add(&program{writes: true, dests: destNone, permute: true, short: "kotTS", outs: []string{"o", "output"}, filters: []string{"compress-program"},
		long: []string{"key", "output", "field-separator", "temporary-directory", "buffer-size", "batch-size", "compress-program",
			"files0-from", "parallel", "random-source", "sort"},
		flags: []string{"ignore-leading-blanks", "dictionary-order", "ignore-case", "general-numeric-sort", "ignore-nonprinting",
			"month-sort", "human-numeric-sort", "numeric-sort", "random-sort", "reverse", "version-sort", "check", "merge", "stable",
			"unique", "zero-terminated", "debug"}}, "sort")
	add(&program{writes: true, dests: destSecond, short: "fsw", long: []string{"skip-fields", "skip-chars", "check-chars"}}, "uniq")
	// sed: -i[SUFFIX] takes only an attached value; -s is a flag.
	add(&program{judge: (*analyzer).sed, interp: true, writes: true, permute: true, dests: destSed, short: "efl", opt: "i", optLong: []string{"in-place"},
		long: []string{"expression", "file", "line-length"}, danger: []string{"expression", "file"},
		flags: []string{"debug", "follow-symlinks", "null-data", "zero-terminated", "posix", "quiet", "silent", "regexp-extended",
			"separate", "sandbox", "unbuffered"}}, "sed", "gsed")
	add(&program{writes: true, permute: true, short: "fCIFTXbKNVgHL",
		long: []string{"file", "directory", "use-compress-program", "to-command", "rsh-command", "rmt-command", "info-script", "new-volume-script", "checkpoint-action", "exclude", "transform", "owner", "group", "mode", "index-file",
			"exclude-from", "files-from", "strip-components", "owner-map", "group-map", "sort", "warning", "blocking-factor",
			"tape-length", "label", "format", "after-date", "newer", "newer-mtime", "suffix", "volno-file", "record-size", "level",
			"listed-incremental", "mtime", "quoting-style", "exclude-tag", "exclude-tag-all", "exclude-tag-under", "exclude-ignore",
			"exclude-ignore-recursive", "pax-option", "occurrence", "starting-file", "hole-detection", "xform"},
		code: []string{"to-command", "use-compress-program", "I"},
		// -M prompts for the next volume, and `!` there starts a shell that
		// reads the rest of the input (review hook126 H4).
		opaque: []string{"checkpoint-action", "info-script", "new-volume-script", "F", "M", "multi-volume"},
		danger: []string{"remove-files", "extract", "get", "directory", "rsh-command", "rmt-command"},
		flags: []string{"checkpoint", "to-stdout", "remove-files", "extract", "get", "create", "list", "append", "update", "diff",
			"compare", "delete", "verbose", "gzip", "gunzip", "bzip2", "xz", "zstd", "lzma", "lzip", "lzop", "compress", "auto-compress",
			"keep-old-files", "keep-newer-files", "skip-old-files", "overwrite", "overwrite-dir", "totals", "absolute-names",
			"dereference", "one-file-system", "no-recursion", "recursion", "exclude-vcs", "exclude-vcs-ignores", "exclude-backups",
			"exclude-caches", "exclude-caches-all", "exclude-caches-under", "wildcards", "no-wildcards", "numeric-owner",
			"preserve-permissions", "same-permissions", "same-owner", "no-same-owner", "sparse", "verify", "ignore-zeros", "null",
			"xattrs", "acls", "selinux", "incremental", "utc", "restrict", "show-transformed-names", "interactive", "confirmation",
			"multi-volume", "unlink-first", "recursive-unlink", "touch", "backup", "atime-preserve", "delay-directory-restore",
			"full-time", "check-links", "check-device", "no-check-device", "seek", "no-seek", "read-full-records", "help", "version"}}, "tar")
	add(&program{writes: true, copies: true, permute: true, short: "eTfBM@", long: rsyncValued, flags: rsyncFlags,
		code: []string{"e", "rsh", "rsync-path"}, dests: destLast}, "rsync")
	add(&program{writes: true}, "nano", "patch", "unzip")
	// Downloads (downloads.go): the files they write under names derived
	// from the URLs. Option lists from wget 1.21 --help and curl 7.88
	// --help all, with later curl options; -n takes a letter (-nc, -nd).
	add(&program{judge: (*analyzer).wget, writes: true, permute: true, short: "eoaiBtOTwQPUlARDIXn",
		long: []string{"execute", "output-file", "append-output", "report-speed", "input-file", "base", "config", "rejected-log", "tries",
			"retry-on-http-error", "output-document", "start-pos", "progress", "timeout", "dns-timeout", "connect-timeout", "read-timeout",
			"wait", "waitretry", "quota", "bind-address", "limit-rate", "restrict-file-names", "prefer-family", "user", "password",
			"use-askpass", "local-encoding", "remote-encoding", "directory-prefix", "cut-dirs", "http-user", "http-password", "default-page",
			"header", "compression", "proxy-user", "proxy-password", "referer", "user-agent", "load-cookies", "save-cookies", "post-data",
			"post-file", "method", "body-data", "body-file", "secure-protocol", "certificate", "certificate-type", "private-key",
			"private-key-type", "ca-certificate", "ca-directory", "crl-file", "pinnedpubkey", "ciphers", "ftp-user", "ftp-password",
			"warc-file", "warc-header", "warc-max-size", "warc-dedup", "warc-tempdir", "level", "backups", "accept", "reject",
			"accept-regex", "reject-regex", "regex-type", "domains", "exclude-domains", "follow-tags", "ignore-tags",
			"include-directories", "exclude-directories", "max-redirect", "hsts-file", "input-metalink", "metalink-index",
			"preferred-location", "random-file", "egd-file", "ftps-implicit-port"},
		flags: []string{"version", "help", "background", "debug", "quiet", "verbose", "no-verbose", "force-html", "no-config",
			"retry-connrefused", "no-clobber", "no-netrc", "continue", "show-progress", "timestamping", "no-if-modified-since",
			"no-use-server-timestamps", "server-response", "spider", "random-wait", "no-proxy", "no-dns-cache", "ignore-case",
			"inet4-only", "inet6-only", "ask-password", "no-iri", "unlink", "xattr", "no-directories", "force-directories",
			"no-host-directories", "protocol-directories", "no-cache", "adjust-extension", "ignore-length", "save-headers",
			"no-http-keep-alive", "no-cookies", "keep-session-cookies", "content-disposition", "content-on-error", "auth-no-challenge",
			"https-only", "no-check-certificate", "no-hsts", "no-remove-listing", "no-glob", "no-passive-ftp", "preserve-permissions",
			"retr-symlinks", "ftps-implicit", "ftps-resume-ssl", "ftps-clear-data-connection", "ftps-fallback-to-ftp", "warc-cdx",
			"no-warc-compression", "no-warc-digests", "no-warc-keep-log", "recursive", "delete-after", "convert-links",
			"convert-file-only", "backup-converted", "mirror", "page-requisites", "strict-comments", "follow-ftp", "span-hosts",
			"relative", "trust-server-names", "no-parent", "metalink-over-http", "keep-badhash", "html-extension"},
		danger: []string{"execute", "output-file", "append-output", "input-file", "config", "rejected-log", "output-document",
			"use-askpass", "directory-prefix", "default-page", "save-cookies", "warc-file", "warc-tempdir", "backups", "hsts-file",
			"input-metalink", "content-disposition", "trust-server-names", "recursive", "mirror", "page-requisites",
			"force-directories", "adjust-extension", "backup-converted", "metalink-over-http"}}, "wget", "wget2")
	add(&program{judge: (*analyzer).curl, writes: true, permute: true, short: "EKCbcdDFPHhmoxUQreXYytzTuAw",
		long: []string{"abstract-unix-socket", "alt-svc", "aws-sigv4", "cacert", "capath", "cert", "cert-type", "ciphers", "config",
			"connect-timeout", "connect-to", "continue-at", "cookie", "cookie-jar", "create-file-mode", "crlfile", "curves", "data",
			"data-ascii", "data-binary", "data-raw", "data-urlencode", "delegation", "dns-interface", "dns-ipv4-addr", "dns-ipv6-addr",
			"dns-servers", "doh-url", "dump-header", "egd-file", "engine", "etag-compare", "etag-save", "expect100-timeout", "form",
			"form-string", "ftp-account", "ftp-alternative-to-user", "ftp-method", "ftp-port", "ftp-ssl-ccc-mode",
			"happy-eyeballs-timeout-ms", "header", "help", "hostpubmd5", "hostpubsha256", "hsts", "interface", "json", "keepalive-time",
			"key", "key-type", "krb", "libcurl", "limit-rate", "local-port", "login-options", "mail-auth", "mail-from", "mail-rcpt",
			"max-filesize", "max-redirs", "max-time", "netrc-file", "noproxy", "oauth2-bearer", "output", "output-dir", "parallel-max",
			"pass", "pinnedpubkey", "preproxy", "proto", "proto-default", "proto-redir", "proxy", "proxy-cacert", "proxy-capath",
			"proxy-cert", "proxy-cert-type", "proxy-ciphers", "proxy-crlfile", "proxy-header", "proxy-key", "proxy-key-type",
			"proxy-pass", "proxy-pinnedpubkey", "proxy-service-name", "proxy-tls13-ciphers", "proxy-tlsauthtype", "proxy-tlspassword",
			"proxy-tlsuser", "proxy-user", "proxy1.0", "pubkey", "quote", "random-file", "range", "rate", "referer", "request",
			"request-target", "resolve", "retry", "retry-delay", "retry-max-time", "sasl-authzid", "service-name", "socks4", "socks4a",
			"socks5", "socks5-gssapi-service", "socks5-hostname", "speed-limit", "speed-time", "stderr", "telnet-option",
			"tftp-blksize", "time-cond", "tls-max", "tls13-ciphers", "tlsauthtype", "tlspassword", "tlsuser", "trace", "trace-ascii",
			"unix-socket", "upload-file", "url", "url-query", "user", "user-agent", "write-out",
			// curl 8
			"variable", "expand-url", "expand-output", "expand-output-dir", "expand-data", "expand-header", "ech", "ip-tos",
			"vlan-priority", "trace-config", "ipfs-gateway", "ssl-sessions", "knownhosts", "upload-flags", "sigalgs", "keepalive-cnt",
			"haproxy-clientip", "max-filesize"},
		flags: []string{"anyauth", "append", "basic", "cert-status", "compressed", "compressed-ssh", "create-dirs", "crlf", "digest",
			"disable", "disable-eprt", "disable-epsv", "disallow-username-in-url", "doh-cert-status", "doh-insecure", "fail", "fail-early",
			"fail-with-body", "false-start", "form-escape", "ftp-create-dirs", "ftp-pasv", "ftp-pret", "ftp-skip-pasv-ip", "ftp-ssl-ccc",
			"ftp-ssl-control", "get", "globoff", "haproxy-protocol", "head", "http0.9", "http1.0", "http1.1", "http2",
			"http2-prior-knowledge", "http3", "http3-only", "ignore-content-length", "include", "insecure", "ipv4", "ipv6",
			"junk-session-cookies", "list-only", "location", "location-trusted", "mail-rcpt-allowfails", "manual", "metalink",
			"negotiate", "netrc", "netrc-optional", "next", "no-alpn", "no-buffer", "no-clobber", "no-keepalive", "no-npn",
			"no-progress-meter", "no-sessionid", "ntlm", "ntlm-wb", "parallel", "parallel-immediate", "path-as-is", "post301",
			"post302", "post303", "progress-bar", "proxy-anyauth", "proxy-basic", "proxy-digest", "proxy-insecure", "proxy-negotiate",
			"proxy-ntlm", "proxy-ssl-allow-beast", "proxy-ssl-auto-client-cert", "proxy-tlsv1", "proxytunnel", "raw",
			"remote-header-name", "remote-name", "remote-name-all", "remote-time", "remove-on-error", "retry-all-errors",
			"retry-connrefused", "sasl-ir", "show-error", "silent", "socks5-basic", "socks5-gssapi", "socks5-gssapi-nec", "ssl",
			"ssl-allow-beast", "ssl-auto-client-cert", "ssl-no-revoke", "ssl-reqd", "ssl-revoke-best-effort", "sslv2", "sslv3",
			"styled-output", "suppress-connect-headers", "tcp-fastopen", "tcp-nodelay", "tftp-no-options", "tlsv1", "tlsv1.0",
			"tlsv1.1", "tlsv1.2", "tlsv1.3", "tr-encoding", "trace-time", "use-ascii", "verbose", "version", "xattr",
			"ca-native", "proxy-ca-native", "mptcp", "skip-existing", "trace-ids", "out-null", "follow", "proxy-http2",
			"tls-earlydata", "dump-ca-embed", "ftp-ssl", "ftp-ssl-reqd", "no-styled-output"},
		danger: []string{"output", "output-dir", "remote-name", "remote-name-all", "remote-header-name", "config", "cookie-jar",
			"dump-header", "trace", "trace-ascii", "libcurl", "stderr", "etag-save", "hsts", "alt-svc", "write-out", "url",
			"ssl-sessions", "expand-url", "expand-output", "expand-output-dir", "globoff", "next"}}, "curl")
	add(&program{judge: (*analyzer).aria2c, writes: true}, "aria2c")
	add(&program{judge: (*analyzer).httpie, writes: true}, "http", "https", "httpie")
	add(&program{judge: (*analyzer).ghDownload}, "gh")
	add(&program{judge: (*analyzer).lftp}, "lftp")
}

// unknownProgram is the row for a program the table does not name.
var unknownProgram = &program{runs: runsArgs}

// toolRe matches the names Terraform, OpenTofu and Terragrunt binaries go
// by, with a version suffix (terraform1.8, tofu-1.6.2) and .exe, and the
// packages a runner fetches them as, with a version or tag
// (npx @jahed/terraform@1.11.4, uvx terraform==1.0: review hook124 H1),
// and Nix's wrapped binaries (.terraform-wrapped: review hook146 L1).
var toolRe = regexp.MustCompile(`^(terraform|tofu|opentofu|terragrunt|\.terraform-wrapped|\.tofu-wrapped)([-_.]?v?[0-9][0-9.]*)?(\.exe)?(@[^/]*|==[^/]*|\[[^/]*\])?$`)

// toolName is the Terraform-family program a base name runs
// ("terraform", "tofu", "terragrunt"), or "".
func toolName(base string) string {
	m := toolRe.FindStringSubmatch(base)
	if m == nil {
		return ""
	}
	switch m[1] {
	case "opentofu", ".tofu-wrapped":
		return "tofu"
	case ".terraform-wrapped":
		return "terraform"
	}
	return m[1]
}

// proxyTools are tenv's proxies, judged as the program they run when they
// are the command (tf runs terraform or tofu, whichever is installed: review
// hook146 M1); as a word among another program's arguments they are too
// common a word (tar tf, jar tf) to be read as one.
var proxyTools = map[string]string{"tf": "terraform", "tf.exe": "terraform", "tg": "terragrunt", "tg.exe": "terragrunt"}

// commandTool is toolName for a command's own name: tenv's proxies too.
func commandTool(base string) string {
	if t := toolName(base); t != "" {
		return t
	}
	return proxyTools[base]
}

// lookup is the row for a program's base name.
func lookup(name string) *program {
	if p, ok := programs[name]; ok {
		return p
	}
	if t := commandTool(name); t != "" {
		return programs[t]
	}
	// Versioned names: perl5.36, ruby3.2, php8.2, lua5.4.
	if p, ok := programs[strings.TrimRight(name, "0123456789.-")]; ok && p.judge != nil {
		return p
	}
	if strings.HasPrefix(name, "python") || strings.HasPrefix(name, "pypy") || strings.HasPrefix(name, "pwsh") || strings.HasPrefix(name, "powershell") {
		return programs["python"]
	}
	// A versioned name with more after the version: perl5.36-x86_64-linux-gnu
	// (Debian's launcher), ruby3.2-static (review hook44 H2).
	if i := strings.IndexAny(name, "0123456789"); i > 0 {
		if p, ok := programs[name[:i]]; ok && p.judge != nil && p.interp {
			return p
		}
	}
	return unknownProgram
}
