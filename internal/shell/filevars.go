package shell

import (
	"path"
	"strings"
)

// Variables and options that name a *file* a program writes, or reads as
// configuration or code, rather than a command (hook17b review: F1, F4,
// F5, F12, F13, F16). The command tables (commandVars, sshKeys, the code
// options of the interpreter rows) judge a value that is a command line;
// these name a file the hook would have to read, or a destination the
// program appends to, so they are refused or judged as a `>` target.

// startupVars are the variables a shell expands (parameter expansion,
// command substitution, arithmetic) before sourcing the file they name:
// bash's BASH_ENV for every non-interactive bash, ENV for an interactive
// sh, ksh, mksh, or bash in POSIX mode. The value runs whatever it holds
// (BASH_ENV='$(terraform destroy)' bash -c true), so any assignment of
// BASH_ENV is refused, literal or not; ENV only with an expansion in it
// (fileVar), since only an interactive shell reads it.
var startupVars = map[string]bool{"BASH_ENV": true, "ENV": true}

// versionManagerVars name the version a version manager's shims run
// (pyenv, rbenv, nodenv, goenv, asdf): a path there is refused.
var versionManagerVars = map[string]bool{"PYENV_VERSION": true, "RBENV_VERSION": true, "NODENV_VERSION": true, "RUSTUP_TOOLCHAIN": true,
	"GOENV_VERSION": true, "ASDF_PYTHON_VERSION": true, "ASDF_NODEJS_VERSION": true, "ASDF_RUBY_VERSION": true}

// fileConfigVars are variables that name a file a program reads as its
// configuration or code: refused when set in the line, whatever the value.
var fileConfigVars = map[string]string{
	// less's key files: their #env section sets LESSOPEN, a command.
	"LESSKEYIN":        "less reads its key bindings and environment (LESSOPEN, a command it runs) from the file it names",
	"LESSKEY":          "less reads its key bindings and environment (LESSOPEN, a command it runs) from the file it names",
	"LESSKEYIN_SYSTEM": "less reads its key bindings and environment (LESSOPEN, a command it runs) from the file it names",
	"LESSKEY_SYSTEM":   "less reads its key bindings and environment (LESSOPEN, a command it runs) from the file it names",
	"LESSKEY_CONTENT":  "less reads key bindings and environment (LESSOPEN, a command it runs) from its value",
	// python -i after the script: reads code from standard input.
	"PYTHONINSPECT": "python enters interactive mode after the script and runs the code its standard input holds",
	// php's ini files: auto_prepend_file and allow_url_include carry code.
	"PHPRC":            "php reads its ini settings from there, and a setting (auto_prepend_file) may carry code",
	"PHP_INI_SCAN_DIR": "php reads ini files from that directory, and a setting (auto_prepend_file) may carry code",
	// curl's and wget's configuration files may name the files they write
	// (output = ~/.bashrc).
	"CURL_HOME": "curl reads its .curlrc there, whose options (output, config) name the files it writes",
	"WGETRC":    "wget reads its settings there, whose options (output_document) name the files it writes",
	// The system-wide file's place (review hook52 H6).
	"SYSTEM_WGETRC": "wget reads its settings there, whose options (output_document) name the files it writes",
	// Configuration that names a file a program writes or a command it
	// runs (review hook108 H2, M1, M2): gpg's home (gpg.conf's output),
	// the AWS CLI's config (credential_process), kubectl's kubeconfig
	// (an exec credential plugin), npm's and pip's configuration.
	"GNUPGHOME":                   "gpg reads gpg.conf there, whose options (output) name the files it writes",
	"AWS_CONFIG_FILE":             "the AWS CLI and SDKs run the credential_process the file names",
	"AWS_SHARED_CREDENTIALS_FILE": "the AWS CLI and SDKs read credentials and settings (credential_process) from it",
	"KUBECONFIG":                  "kubectl runs the exec credential plugin the kubeconfig names",
	"NPM_CONFIG_USERCONFIG":       "npm reads its settings there (editor, script-shell: commands it runs)",
	"NPM_CONFIG_GLOBALCONFIG":     "npm reads its settings there (editor, script-shell: commands it runs)",
	"PIP_CONFIG_FILE":             "pip reads its settings there (log: a file it writes)",
	"CURLOPT_CONFIG":              "curl reads its options from it",
	// Start-up files and hook directories named by a variable (review
	// hook135 H4–H6): psql's rc (\! runs a shell), node's REPL module,
	// the version managers' hook scripts and roots (their shims source
	// or run what is there), irb's and R's profiles, mysql's option
	// directory (a pager, init-command).
	"PSQLRC":                    "psql runs the commands of the start-up file it names (\\! runs a shell)",
	"NODE_REPL_EXTERNAL_MODULE": "node loads the module it names, of any file name, in place of its REPL",
	"PYENV_HOOK_PATH":           "pyenv's shims source the hook scripts of the directories it names",
	"PYENV_ROOT":                "pyenv's shims run the programs and plugins under the directory it names",
	"RBENV_HOOK_PATH":           "rbenv's shims source the hook scripts of the directories it names",
	"RBENV_ROOT":                "rbenv's shims run the programs and plugins under the directory it names",
	"NODENV_HOOK_PATH":          "nodenv's shims source the hook scripts of the directories it names",
	"NODENV_ROOT":               "nodenv's shims run the programs and plugins under the directory it names",
	"GOENV_ROOT":                "goenv's shims run the programs under the directory it names",
	"ASDF_DATA_DIR":             "asdf's shims run the plugins and programs under the directory it names",
	"ASDF_DIR":                  "asdf's shims run the code under the directory it names",
	"IRBRC":                     "irb runs the Ruby start-up file it names",
	"R_PROFILE_USER":            "R runs the start-up file it names",
	"R_PROFILE":                 "R runs the site start-up file it names",
	"R_ENVIRON_USER":            "R reads its environment (R_PROFILE_USER: a start-up file) from the file it names",
	"R_ENVIRON":                 "R reads its environment (R_PROFILE_USER: a start-up file) from the file it names",
	"MYSQL_HOME":                "mysql reads my.cnf there, whose pager and init-command run",
	"SQLITE_HISTORY":            "sqlite3 writes its history to the file it names",
	// Programs' own code and caches moved by a variable (review hook137
	// H1, H3, H4, H7, M1): rustup's home, corepack's package managers,
	// the caches programs run from, python's bytecode cache (an
	// unchecked .pyc runs in place of the module), go's root (its tools
	// and go.env), psql's system configuration directory.
	"RUSTUP_HOME":         "rustup runs the toolchains under the directory it names",
	"COREPACK_HOME":       "corepack runs the package managers under the directory it names",
	"XDG_CACHE_HOME":      "programs run code from their caches there (corepack's package managers, pre-commit's hooks)",
	"PYTHONPYCACHEPREFIX": "python loads compiled modules from the tree it names in place of their sources",
	"GOROOT":              "go runs its tools from the directory it names and reads its go.env (GOFLAGS, GOTOOLCHAIN)",
	"PGSYSCONFDIR":        "psql reads its system start-up file there (\\! runs a shell)",
	"MAVEN_ARGS":          "maven reads its options from it (-D properties name programs and extensions)",
	// mail's start-up file: `set interactive` turns on the ~! escapes
	// that run a shell (review hook141 H3), as -I does.
	"MAILRC": "mail runs the start-up commands of the file it names (set interactive turns on ~! escapes)",
	"NAILRC": "mail runs the start-up commands of the file it names (set interactive turns on ~! escapes)",
	// pipx ensurepath and pnpm setup write these into the shell's
	// start-up files as they are, `$(…)` included (review hook151 H2,
	// H3), and put them on every later shell's PATH; pipx and pnpm run
	// the programs there.
	"PIPX_BIN_DIR": "pipx ensurepath writes it into the shell's start-up files (~/.bashrc), code and all, and pipx installs the programs every later shell finds there",
	"PIPX_HOME":    "pipx runs its programs from the environments under the directory it names, and pipx ensurepath writes its place into the shell's start-up files",
	"PNPM_HOME":    "pnpm setup writes it into the shell's start-up files (~/.bashrc), code and all, ahead of the system's programs on every later shell's PATH",
	// OpenTofu's encryption configuration: an external key provider or
	// method is a command tofu runs.
	"TF_ENCRYPTION": "OpenTofu reads encryption configuration from it, whose external key providers and methods are commands it runs",
}

// traceVars are git's trace variables: a number (a file descriptor) or a
// boolean sends the trace to standard error or an open descriptor; any
// other value is a path git appends the trace to.
func traceVar(name string) bool {
	return name == "GIT_TRACE" || strings.HasPrefix(name, "GIT_TRACE_") || name == "GIT_TRACE2" ||
		name == "GIT_TRACE2_EVENT" || name == "GIT_TRACE2_PERF"
}

// traceSettings are GIT_TRACE* names that are settings, not destinations.
var traceSettings = map[string]bool{"GIT_TRACE_REDACT": true, "GIT_TRACE2_EVENT_NESTING": true, "GIT_TRACE2_CONFIG_PARAMS": true,
	"GIT_TRACE2_ENV_VARS": true, "GIT_TRACE2_BRIEF": true, "GIT_TRACE2_EVENT_BRIEF": true, "GIT_TRACE2_PERF_BRIEF": true,
	"GIT_TRACE2_MAX_FILES": true, "GIT_TRACE2_PARENT_SID": true, "GIT_TRACE2_PARENT_NAME": true}

// writtenVars are variables that name a file a program writes or appends
// to (besides git's trace variables): the value is judged as a `>` target.
var writtenVars = map[string]bool{
	"GIT_INDEX_FILE": true, "TF_LOG_PATH": true, "TF_TEMP_LOG_PATH": true, "SSLKEYLOGFILE": true, "LESSHISTFILE": true,
	"NODE_REPL_HISTORY": true, "PYTHON_HISTORY": true, "SQLITE_HISTORY": true, "MYSQL_HISTFILE": true,
	"PSQL_HISTORY": true, "REDISCLI_HISTFILE": true,
	// memusage's output, the X and ICE authority files xauth and iceauth
	// rewrite (review hook113 M9, M11).
	"MEMUSAGE_OUTPUT": true, "ICEAUTHORITY": true, "XAUTHORITY": true,
}

// writtenDirVars name a directory a program writes files under:
// terraform's data and plugin cache; go's GOBIN (go install names the
// binary after the module: GOBIN=.git/hooks writes pre-commit, review
// hook70 H4), GOPATH (its bin), the module and build caches.
var writtenDirVars = map[string]bool{"TF_DATA_DIR": true, "TF_PLUGIN_CACHE_DIR": true, "GOBIN": true, "GOPATH": true,
	"GOMODCACHE": true, "GOCACHE": true}

// writtenVar reports whether name names a file a program writes.
func writtenVar(name string) bool {
	return writtenVars[name] || traceVar(name) && !traceSettings[name]
}

// traceOff reports whether a trace value is a descriptor or a boolean,
// not a path.
func traceOff(s string) bool {
	switch strings.ToLower(s) {
	case "", "0", "1", "true", "false", "yes", "no", "on", "off":
		return true
	}
	return len(s) == 1 && s[0] >= '2' && s[0] <= '9'
}

// fileVar judges an environment variable that names a file: a shell's
// startup file (refused), a program's configuration (refused), or a file
// a program writes (judged as a write). It reports whether it refused.
func (a *analyzer) fileVar(name string, val tok) bool {
	// What the program writes there is not a file the line writes before
	// a terraform init (initBackend).
	defer func(w bool) { a.wrote = w }(a.wrote)
	switch {
	case name == "ENV" && a.envPrefix && !val.dyn && !strings.ContainsAny(val.s, "$`"):
		// ENV is read only by an interactive sh, ksh or POSIX bash, which
		// sources the file it names. Set for one command (ENV=prod make
		// test, an ordinary line) with a literal value, it is allowed:
		// a shell among what that command runs is refused in run (the
		// assignment reaches it through c.assigns), and a shell the
		// program starts on its own sources a file on disk, the class of
		// a script the agent runs (see the guide). Exported, or with an
		// expansion in it, it stays refused; a descriptor or stdin is
		// judged in envSet.
		return false
	case startupVars[name]:
		a.refuse("`%s=%s`: the shell expands its value (command substitution, arithmetic) and sources the file it names, code the hook cannot read: do not set %s in an agent's command", name, val, name)
		return true
	case fileConfigVars[name] != "":
		a.refuse("`%s=%s`: %s, which the hook cannot read", name, val, fileConfigVars[name])
		return true
	case versionManagerVars[name] && (val.dyn || strings.ContainsAny(val.s, "/\\")):
		// pyenv's shims run $PYENV_ROOT/versions/$PYENV_VERSION/bin/NAME:
		// a version that is a path runs a file of any directory (review
		// hook135 H7); a plain version (3.11.7) passes.
		a.refuse("`%s=%s`: a version manager's shim runs the program of the version it names, and a path there names a program the hook does not read: name an installed version", name, val)
		return true
	case name == "LUA_INIT" || strings.HasPrefix(name, "LUA_INIT_"):
		a.refuse("`%s=%s`: lua runs the code it holds (or the file after @) before the script: %s", name, val, inlineHint)
		return true
	case name == "PERL5OPT" && perlOptDebugger(val):
		a.refuse("`%s=%s`: -d starts the Perl debugger, which runs the expressions its standard input holds", name, val)
		return true
	case writtenDirVars[name]:
		// terraform writes its working data (modules, providers, the
		// backend's state) under it, go its binaries and caches: a
		// directory holding a protected file, or a protected directory,
		// is refused (each of a GOPATH list).
		if val.dyn {
			a.refuse("`%s=%s`: the program writes under the directory it names, a path computed at run time: name a literal path", name, val)
			return true
		}
		for _, d := range strings.Split(val.s, ":") {
			if d != "" && a.writeDest([]tok{{s: name + "=" + val.String()}}, tok{s: d}, true) {
				return true
			}
		}
		return false
	case !writtenVar(name):
		return false
	case traceVar(name) && !val.dyn && traceOff(val.s):
		return false
	}
	return a.fileVarWrite(name, val)
}

// fileVarWrite judges the file a variable names as a file a program
// writes, resolved in the directory the program runs in; it reports
// whether it refused.
func (a *analyzer) fileVarWrite(name string, val tok) bool {
	what := []tok{{s: name + "=" + val.String()}}
	if val.dyn {
		a.refuse("`%s=%s`: the program writes to the file it names, a path computed at run time (it may be the policy, its allowed_signers or the agent's settings): name a literal absolute path", name, val)
		return true
	}
	s := val.s
	if !strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "~/") {
		// Resolved by the program in whatever directory it runs in
		// (terraform -chdir, terragrunt's cache, git's top level): a base
		// name of a protected file, or a path with a directory, may land on it.
		if strings.Contains(s, "/") || a.protectedBase(s) {
			a.refuse("`%s=%s`: the program writes to that file, resolved from the directory it runs in, which the hook cannot tell: name an absolute path", name, val)
			return true
		}
	}
	return a.writeDest(what, val, false)
}

// protectedBase reports whether s is the base name of a protected file.
func (a *analyzer) protectedBase(s string) bool {
	for _, q := range a.opts.Protected {
		if strings.EqualFold(path.Base(q), s) {
			return true
		}
	}
	return false
}

// fileVarComputed refuses a computed value (read, printf -v, a loop) for
// the variables above.
func (a *analyzer) fileVarComputed(name string) {
	if startupVars[name] || fileConfigVars[name] != "" || versionManagerVars[name] || writtenDirVars[name] || writtenVar(name) {
		a.refuse("`%s` is set to a value computed at run time: a program reads code or configuration from, or writes to, the file it names", name)
	}
}

// interpModes refuses an interpreter's modes and options that read code
// the hook cannot see: python -i (interactive after the script: code from
// standard input), perl -d (the debugger reads Perl expressions from
// standard input; -d:MOD loads a module), lua -i, node --env-file (the
// file may set NODE_OPTIONS), php -d/-c (ini settings such as
// auto_prepend_file carry code).
func (a *analyzer) interpModes(p *program, name string, argv []tok) bool {
	line := truncateTok(argv)
	opts, _, _ := p.options(argv[1:])
	for _, o := range opts {
		var why string
		switch {
		case p == programs["python"] && o.name == "i":
			why = "-i enters interactive mode after the script and runs the code its standard input holds"
		case p == programs["perl"] && o.name == "F" && !perlSplitPattern(o.val):
			// -F/PAT/ is pasted into the loop perl runs (split /PAT/): a
			// delimiter inside ends the pattern and starts code, and
			// @{[…]} interpolates code (review hook143 H1).
			why = "-F's pattern, given between delimiters, is pasted into the code perl runs, where a delimiter or an interpolation inside it runs code"
		case p == programs["perl"] && o.name == "d":
			why = "-d starts the debugger, which runs the Perl expressions its standard input holds (-d:MOD loads a module)"
		case p == programs["lua"] && o.name == "i":
			why = "-i enters interactive mode after the script and runs the code its standard input holds"
		case (p == programs["node"] || p == programs["bun"]) && (o.name == "env-file" || o.name == "env-file-if-exists" || o.name == "experimental-config-file" || o.name == "config"):
			why = "--" + o.name + " reads a file that may set NODE_OPTIONS (--import of code) or other options"
		case p == programs["php"] && (o.name == "d" || o.name == "define" || o.name == "c" || o.name == "php-ini"):
			why = dashed(o.name) + " sets php ini settings, and auto_prepend_file/allow_url_include carry code"
		default:
			continue
		}
		a.refuse("`%s`: %s, which the hook cannot read: %s", line, why, inlineHint)
		return true
	}
	return false
}

// lesskeyOption refuses less's key-file options (-k FILE, --lesskey-file,
// --lesskey-src, --lesskey-content, and their abbreviations): the file's
// #env section sets LESSOPEN, a command less runs.
func (a *analyzer) lesskeyOption(p *program, argv []tok) bool {
	opts, _ := p.operands(argv[1:])
	for _, o := range opts {
		if o.name == "k" || strings.HasPrefix(o.name, "lesskey") {
			a.refuse("`%s`: %s reads less key bindings whose #env section sets LESSOPEN, a command less runs", truncateTok(argv), dashed(o.name))
			return true
		}
	}
	for _, t := range argv[1:] {
		if t.s == "--" {
			break
		}
		n, _, _ := strings.Cut(strings.TrimPrefix(t.s, "--"), "=")
		if strings.HasPrefix(t.s, "--") && len(n) >= 3 && strings.HasPrefix("lesskey-", n[:min(len(n), 8)]) {
			a.refuse("`%s`: %s reads less key bindings whose #env section sets LESSOPEN, a command less runs", truncateTok(argv), t.s)
			return true
		}
	}
	return false
}

// sshWrittenKeys are ssh_config options that name a file ssh writes: the
// known-hosts file it adds a host's key to.
var sshWrittenKeys = map[string]bool{"userknownhostsfile": true}

func init() {
	// ssh_config options that load a shared library or run a program by
	// path: code the hook cannot read.
	for _, k := range []string{"pkcs11provider", "securitykeyprovider", "xauthlocation"} {
		sshKeys[k] = settingRefuse
	}
}

// keyedWrite judges an ssh -o option that names a file ssh writes as a
// write destination (-o UserKnownHostsFile=/dev/null is allowed).
func (a *analyzer) keyedWrite(p *program, argv []tok, key string, val tok) {
	if p != programs["ssh"] && p != programs["scp"] && p != programs["sftp"] || !sshWrittenKeys[strings.ToLower(strings.TrimSpace(key))] {
		return
	}
	// UserKnownHostsFile may list several files; ssh writes the first.
	if !val.dyn {
		if f := strings.Fields(val.s); len(f) > 0 {
			val.s = f[0]
		}
	}
	a.writeDest(argv, val, false)
}

// perlOptDebugger reports whether a PERL5OPT value turns on the debugger
// (-d, -d:MOD, clustered -wd), or may: computed.
func perlOptDebugger(val tok) bool {
	if val.dyn {
		return false // codeEnv refuses a computed PERL5OPT
	}
	for _, f := range strings.Fields(val.s) {
		if !strings.HasPrefix(f, "-") || strings.HasPrefix(f, "-M") || strings.HasPrefix(f, "-m") || strings.HasPrefix(f, "-I") {
			continue
		}
		if strings.Contains(f, "d") {
			return true
		}
	}
	return false
}

// perlSplitPattern reports whether perl's -F value is only a pattern: one
// without a delimiter (perl quotes it), or one between / " or ' with no
// delimiter, backslash, $ or @ inside.
func perlSplitPattern(v tok) bool {
	if v.dyn {
		return false
	}
	s := v.s
	if s == "" || !strings.ContainsRune(`/"'`, rune(s[0])) {
		return true
	}
	d := s[0]
	if len(s) < 2 || s[len(s)-1] != d {
		return false
	}
	return !strings.ContainsAny(s[1:len(s)-1], string(d)+`\$@`)
}
