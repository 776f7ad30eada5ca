package shell

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Settings that make a program run a command: git configuration keys,
// ssh options, environment variables. "run": the value is a command line,
// judged as one; "refuse": the value names files or code the hook cannot
// read; "token": the value is refused when it holds a %X token, which the
// program expands and then fills into a command's placeholder (ssh's
// Hostname=%hform makes %h terraform: review hook64 H1). Keys are matched
// lower-cased, as globs (pager.* is any pager.CMD).
const (
	settingRun    = "run"
	settingRefuse = "refuse"
	settingToken  = "token"
	// settingJump: ssh's ProxyJump (-J), whose hosts and users ssh pastes
	// unquoted into a command it runs with $SHELL -c (review hook66 H1).
	settingJump = "jump"
)

// gitKeys are the configuration keys whose value git runs (through a
// shell, or as a program), from git-config(1).
var gitKeys = map[string]string{
	"alias.*":        settingRun, // with a leading !, a shell command; else git arguments
	"core.fsmonitor": settingRun, "core.pager": settingRun, "pager.*": settingRun, "core.sshcommand": settingRun,
	"core.editor": settingRun, "sequence.editor": settingRun, "core.askpass": settingRun, "core.gitproxy": settingRun,
	"core.alternaterefscommand": settingRun, "diff.external": settingRun, "diff.*.textconv": settingRun,
	"diff.*.command": settingRun, "filter.*.clean": settingRun, "filter.*.smudge": settingRun, "filter.*.process": settingRun,
	"credential.helper": settingRun, "credential.*.helper": settingRun, "gpg.program": settingRun, "gpg.*.program": settingRun,
	"merge.*.driver": settingRun, "difftool.*.cmd": settingRun, "mergetool.*.cmd": settingRun, "browser.*.cmd": settingRun,
	"man.*.cmd": settingRun, "web.browser": settingRun, "interactive.difffilter": settingRun, "uploadpack.packobjectshook": settingRun,
	"remote.*.uploadpack": settingRun, "remote.*.receivepack": settingRun, "sendemail.*cmd": settingRun,
	"sendemail.smtpserver": settingRun, "tar.*.command": settingRun, "hook.*.command": settingRun, "imap.tunnel": settingRun,
	"instaweb.httpd": settingRun, "instaweb.browser": settingRun, "browser.*.path": settingRun, "man.*.path": settingRun,
	"difftool.*.path": settingRun, "mergetool.*.path": settingRun, "submodule.*.update": settingRun,
	"gpg.ssh.defaultkeycommand": settingRun, "sendemail.*.*cmd": settingRun, "sendemail.*.smtpserver": settingRun,
	// git interpret-trailers and commit --trailer run trailer.<token>.cmd.
	"trailer.*.cmd": settingRun, "trailer.*.command": settingRun,
	// trace2 targets name files git writes (or sockets): the hook cannot judge the write.
	"trace2.normaltarget": settingRefuse, "trace2.eventtarget": settingRefuse, "trace2.perftarget": settingRefuse,
	"core.hookspath": settingRefuse, "include.path": settingRefuse, "includeif.*.path": settingRefuse,
	// ext:: URLs run a command; these settings allow them.
	"protocol.allow": settingRefuse, "protocol.ext.allow": settingRefuse,
}

// gitSubcommands are git's subcommands whose own options or operands run
// commands, as rows of the program table (read by the same walker): the
// value of a code option is a shell command line git runs; bisect run's
// operands are a program and its arguments; submodule foreach's a command
// line. Their option arities are from git's documentation; git's option
// parser permutes, so options are read between operands too.
var gitSubcommands = map[string]*program{
	"grep": {permute: true, short: "efABCm", opt: "O", optLong: []string{"open-files-in-pager"},
		long: []string{"max-depth", "threads", "context", "after-context", "before-context", "max-count"},
		code: []string{"O", "open-files-in-pager"}, runs: runsNothing},
	"rebase": {permute: true, short: "sXC", long: []string{"onto", "strategy", "strategy-option", "whitespace", "empty"},
		code: []string{"x", "exec"}, runs: runsNothing},
	"bisect":    {sub: map[string]string{"run": ""}, runs: runsNothing},
	"difftool":  {permute: true, short: "t", long: []string{"tool"}, code: []string{"x", "extcmd"}, runs: runsNothing},
	"ls-remote": {permute: true, code: []string{"upload-pack", "exec"}, runs: runsNothing},
	"fetch":     {permute: true, code: []string{"upload-pack", "exec"}, runs: runsNothing},
	"pull":      {permute: true, code: []string{"upload-pack", "exec"}, runs: runsNothing},
	"clone": {permute: true, short: "obj", long: []string{"origin", "branch", "jobs", "depth", "reference", "separate-git-dir", "filter", "template", "shallow-since", "shallow-exclude"},
		code: []string{"u", "upload-pack"}, keyed: []string{"c", "config"}, keys: gitKeys, runs: runsNothing},
	"push":       {permute: true, short: "o", long: []string{"push-option", "repo"}, code: []string{"receive-pack", "exec"}, runs: runsNothing},
	"send-pack":  {permute: true, code: []string{"receive-pack", "exec"}, runs: runsNothing},
	"fetch-pack": {permute: true, code: []string{"upload-pack", "exec"}, runs: runsNothing},
	"archive":    {permute: true, short: "o", long: []string{"format", "prefix", "output", "remote", "add-file"}, code: []string{"exec"}, runs: runsNothing},
	"filter-branch": {permute: true, short: "d", long: []string{"subdirectory-filter", "original", "state-branch"},
		code: []string{"env-filter", "tree-filter", "index-filter", "parent-filter", "msg-filter", "commit-filter", "tag-name-filter", "setup"}, runs: runsNothing},
	"submodule":   {sub: map[string]string{"foreach": "eval"}, runs: runsNothing},
	"send-email":  {permute: true, code: []string{"to-cmd", "cc-cmd", "header-cmd", "sendmail-cmd", "smtp-server"}, runs: runsNothing},
	"instaweb":    {permute: true, code: []string{"d", "httpd", "b", "browser"}, short: "p", long: []string{"port", "module-path"}, runs: runsNothing},
	"daemon":      {permute: true, code: []string{"access-hook"}, runs: runsNothing},
	"web--browse": {permute: true, code: []string{"b", "browser"}, short: "t", runs: runsNothing},
	"help":        {permute: true, runs: runsNothing},
}

// placeholder is a %X token a program replaces in a command it runs.
var placeholder = regexp.MustCompile(`%[A-Za-z{]`)

// maxFills bounds the words of the line tried in a placeholder.
const maxFills = 128

// placeholderFill judges a command with %X placeholders (ssh's %h, %r,
// %n; less's and BROWSER's %s) as the program runs it: filled with a word
// of the line (the host, the user, the file, the URL: review hook60 F1,
// F2). Each word the line holds (split at blanks, quotes, operators, @, :
// and =) is tried in every placeholder; the command is refused when one
// filling is. It reports whether it refused.
func (a *analyzer) placeholderFill(what, key, cmd string) bool {
	seen := map[string]bool{}
	var fills []string
	add1 := func(w string) {
		if w != "" && !seen[w] && len(fills) < maxFills {
			seen[w] = true
			fills = append(fills, w)
		}
	}
	// A word is tried as written, percent-decoded (ssh decodes the user of
	// an ssh:// URI: review hook63 H1) and without the // of a URI.
	add := func(w string) {
		add1(w)
		if u := percentDecode(w); u != w {
			add1(u)
			add1(strings.TrimLeft(u, "/"))
		}
		add1(strings.TrimLeft(w, "/"))
	}
	unquote := strings.NewReplacer("$'", "", `$"`, "", "'", "", `"`, "", `\`, "")
	for _, w := range strings.FieldsFunc(a.line, func(r rune) bool { return strings.ContainsRune(" \t\n'\"`;|&<>()", r) }) {
		add(w)
		for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '@' || r == ':' || r == '=' }) {
			add(part)
		}
	}
	// The words as the program gets them, quotes removed (terra"form" is
	// terraform: review hook61 H1).
	for _, w := range strings.FieldsFunc(a.line, func(r rune) bool { return strings.ContainsRune(" \t\n;|&<>()", r) }) {
		u := unquote.Replace(w)
		add(u)
		for _, part := range strings.FieldsFunc(u, func(r rune) bool { return r == '@' || r == ':' || r == '=' }) {
			add(part)
		}
	}
	if len(seen) >= maxFills {
		a.refuse("`%s`: %s holds a placeholder the program fills with a word of the line, and the line has more words than the hook tries there: spell the command out", what, key)
		return true
	}
	o := a.opts
	o.Reparse, o.bashText = nil, true
	tmpl := strings.ReplaceAll(cmd, "%%", "\x00")
	for _, w := range fills {
		text := strings.ReplaceAll(placeholder.ReplaceAllLiteralString(tmpl, w), "\x00", "%")
		if r := Analyze(text, o); !r.Allowed() {
			a.refuse("`%s`: %s holds a placeholder the program fills with a word of the line before it runs the command, and filled with `%s` it is `%s`, where %s", what, key, w, clipText(text), r.Refused[0])
			return true
		}
	}
	return false
}

// jumpHosts says what is wrong with a ProxyJump value ("" when each hop is
// a plain [ssh://][user@]host[:port], or the value is none), read
// percent-decoded as ssh reads an ssh:// hop.
func jumpHosts(val tok) string {
	if val.dyn {
		return "is computed at run time"
	}
	v := percentDecode(val.s)
	if strings.EqualFold(v, "none") {
		return ""
	}
	for _, hop := range strings.Split(v, ",") {
		hop = strings.TrimPrefix(hop, "ssh://")
		if hop == "" || hop[0] == '-' || strings.Contains(hop, "@-") {
			return fmt.Sprintf("names the hop %q, which starts with a dash (an option)", hop)
		}
		for _, r := range hop {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-+@:[]", r)) {
				return fmt.Sprintf("names the hop %q, which holds %q, a character no host or user name has", hop, r)
			}
		}
	}
	return ""
}

// compatAtLeast52 reports whether a BASH_COMPAT value is level 5.2 or
// above (52, 5.2, 53…).
func compatAtLeast52(v string) bool {
	n, err := strconv.Atoi(strings.Replace(v, ".", "", 1))
	return err == nil && n >= 52 && n < 100
}

// plainLocale reports whether a locale name keeps the hook's reading of
// the line's bytes: empty, C, POSIX or a UTF-8 one (en_US.UTF-8,
// C.utf8). Any other character set, or a computed name, may not.
func plainLocale(val tok) bool {
	if val.dyn {
		return false
	}
	v := val.s
	switch v {
	case "", "C", "POSIX":
		// glibc's built-in locales are these exact names: C@x or c is
		// loaded from the locale files, whatever character set they hold
		// (a Big5 one made with localedef: review hook110 M1).
		return true
	}
	if at := strings.IndexByte(v, '@'); at >= 0 {
		v = v[:at] // a modifier: de_DE.UTF-8@euro
	}
	// A UTF-8 codeset in the name: glibc does not load a locale whose
	// character set is another.
	_, cs, ok := strings.Cut(v, ".")
	cs = strings.ToLower(strings.ReplaceAll(cs, "-", ""))
	return ok && cs == "utf8"
}

// percentHex is a %XX escape.
var percentHex = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)

// percentDecode replaces each %XX escape with its byte, leaving any other
// % as it is.
func percentDecode(s string) string {
	return percentHex.ReplaceAllStringFunc(s, func(m string) string {
		b, _ := strconv.ParseUint(m[1:], 16, 8)
		return string([]byte{byte(b)})
	})
}

// aptKeys are apt's configuration options (apt-get -o KEY=VALUE) that run
// a command or load options or files that can: lower-cased glob patterns.
var aptKeys = map[string]string{"*invoke*": settingRun, "*pre-install-pkgs*": settingRun,
	"dpkg::options*": settingRefuse, "dir*": settingRefuse, "aptlistbugs*": settingRefuse, "*::cmd*": settingRefuse,
	"binary::*": settingRefuse, "*::program*": settingRefuse, "*::hook*": settingRefuse}

// sshKeys are the ssh_config options that run a local command.
var sshKeys = map[string]string{
	"proxycommand": settingRun, "localcommand": settingRun, "knownhostscommand": settingRun, "remotecommand": settingRun,
	"match": settingRefuse, "include": settingRefuse, "hostname": settingToken, "user": settingToken,
	"proxyjump": settingJump,
	// ssh removes the file at a forwarded socket's path before it binds
	// there (-L PATH:host:port): the state, the policy (review hook70 H3).
	"streamlocalbindunlink": settingRefuse,
}

// commandVars are environment variables whose value a program runs, or
// that load configuration which can (git's GIT_CONFIG_*).
var commandVars = map[string]string{
	"GIT_CONFIG_COUNT": settingRefuse, "GIT_CONFIG_KEY_*": settingRefuse, "GIT_CONFIG_VALUE_*": settingRefuse,
	"GIT_CONFIG_PARAMETERS": settingRefuse, "GIT_CONFIG": settingRefuse, "GIT_CONFIG_GLOBAL": settingRefuse,
	"GIT_CONFIG_SYSTEM": settingRefuse, "GIT_EXEC_PATH": settingRefuse,
	"GIT_PAGER": settingRun, "GIT_EDITOR": settingRun, "GIT_SEQUENCE_EDITOR": settingRun, "GIT_SSH_COMMAND": settingRun,
	"GIT_SSH": settingRun, "GIT_EXTERNAL_DIFF": settingRun, "GIT_ASKPASS": settingRun, "SSH_ASKPASS": settingRun,
	"GIT_PROXY_COMMAND": settingRun, "EDITOR": settingRun, "VISUAL": settingRun, "PAGER": settingRun, "MANPAGER": settingRun,
	"LESSOPEN": settingRun, "LESSCLOSE": settingRun, "LESSGLOBALTAGS": settingRun, "APT_CONFIG": settingRefuse, "BROWSER": settingRun, "GIT_ALLOW_PROTOCOL": settingRefuse,
	"SUDO_EDITOR": settingRun, "SUDO_ASKPASS": settingRun,
	// The C compilers go (cgo), make's built-in rules and configure run
	// (review hook68 H1); GOENV names go's settings file.
	"CC": settingRun, "CXX": settingRun, "GOENV": settingRefuse,
	// bat's pager; rg's and bat's configuration files hold options
	// (--pre=PROG, --pager=CMD) that run programs (review hook17b F3, F8).
	"BAT_PAGER": settingRun, "RIPGREP_CONFIG_PATH": settingRefuse, "BAT_CONFIG_PATH": settingRefuse,
}

// lookupSetting is how table treats key ("" when it runs nothing).
func lookupSetting(table map[string]string, key string) string {
	if v, ok := table[key]; ok {
		return v
	}
	for pat, v := range table {
		if strings.Contains(pat, ".") {
			if gitKeyMatch(pat, key) {
				return v
			}
		} else if ok, _ := path.Match(pat, key); ok {
			return v
		}
	}
	return ""
}

// gitKeyMatch reports whether a git configuration key (lower-cased)
// matches a pattern of gitKeys (review hook17b F2). A key is
// SECTION.NAME or SECTION.SUBSECTION.NAME, and the subsection may hold
// any character, `/` and `.` included (includeIf.gitdir:/tmp/.path,
// filter.a/b.clean, credential.https://host/x.helper): the section is
// before the first dot, the name after the last. A pattern SECTION.*
// matches every key of the section; SECTION.*.NAME any subsection;
// SECTION.SUB.NAME that subsection; SECTION.NAME only a key without one.
// NAME may be a glob (sendemail.*cmd).
func gitKeyMatch(pat, key string) bool {
	sec, rest, ok := strings.Cut(key, ".")
	if !ok {
		return false
	}
	sub, name := "", rest
	if i := strings.LastIndex(rest, "."); i >= 0 {
		sub, name = rest[:i], rest[i+1:]
	}
	parts := strings.SplitN(pat, ".", 3)
	if parts[0] != sec {
		return false
	}
	nameOK := func(glob string) bool {
		ok, _ := path.Match(glob, name)
		return ok
	}
	if len(parts) == 2 {
		return parts[1] == "*" || !strings.Contains(rest, ".") && nameOK(parts[1])
	}
	if strings.Contains(rest, ".") && (parts[1] == "*" || parts[1] == sub) {
		return nameOK(parts[2])
	}
	return false
}

// setting judges one setting (what names where it was set): a command
// line is judged as one, a value computed at run time or one the hook
// cannot read is refused.
func (a *analyzer) setting(what, key string, val tok, how string, depth int) {
	switch how {
	case settingRefuse:
		a.refuse("`%s`: %s makes the program read configuration or code the hook cannot see", what, key)
	case settingJump:
		if why := jumpHosts(val); why != "" {
			a.refuse("`%s`: %s %s, and ssh pastes its hosts and users into a command it runs with the shell: name plain hosts ([user@]host[:port], comma-separated)", what, key, why)
		}
	case settingToken:
		if val.dyn || strings.Contains(val.s, "%") {
			a.refuse("`%s`: %s holds a %%X token (or a value computed at run time), which the program expands and fills into the commands it runs: spell the value out", what, key)
		}
	case settingRun:
		if val.dyn {
			a.refuse("`%s`: %s holds a command computed at run time", what, key)
			return
		}
		if k := strings.ToUpper(key); k == "LESSOPEN" || k == "LESSCLOSE" {
			// less reads a leading | (|| and |- too) as "pipe the
			// command's output": not part of the command (Debian's own
			// LESSOPEN='| /usr/bin/lesspipe %s', review hook64).
			v := strings.TrimPrefix(strings.TrimPrefix(val.s, "|"), "|")
			if v != val.s {
				v = strings.TrimPrefix(v, "-")
			}
			val.s = v
		}
		if placeholder.MatchString(strings.ReplaceAll(val.s, "%%", "")) && a.placeholderFill(what, key, val.s) {
			return
		}
		if editorKeys[strings.ToLower(key)] {
			if f := strings.Fields(val.s); len(f) != 1 || strings.ContainsAny(val.s, "\"'\\;&|<>$`()!{}") || !plainEditors[baseName(f[0])] {
				// GIT_EDITOR=sh git commit -e -m CODE: git runs the editor on
				// a file the line's text fills (review hook47 H2).
				a.refuse("`%s`: %s is not one plain editor name (it names a shell, an interpreter, a program that runs others, or has more than one word), and git runs it on a file the line's -m text fills: set no editor, or a plain one (vim, nano)", what, key)
				return
			}
		}
		// git, ssh, less… run a setting's command with sh -c (dash on
		// Debian): judged in the POSIX reading too.
		a.posixNext = true
		a.script(val.s, depth+1)
		a.posixNext = false
	}
}

// plainEditors are the editors an editor setting may name: each edits the
// file it is given and runs none of it.
var plainEditors = map[string]bool{"vim": true, "vi": true, "nvim": true, "nano": true, "emacs": true, "micro": true,
	"true": true, "cat": true, "code": true, "subl": true, "hx": true, "kak": true, "joe": true, "mcedit": true}

// editorKeys are the settings and variables whose command git (or another
// program) runs on a file it fills: an editor.
var editorKeys = map[string]bool{"core.editor": true, "sequence.editor": true, "git_editor": true, "git_sequence_editor": true,
	"editor": true, "visual": true, "selected_editor": true}

// envSet judges an environment variable set in the line.
func (a *analyzer) envSet(name string, val tok, depth int) {
	a.envTouched = append(a.envTouched, name)
	if a.makeVar == "" && (name == "MAKEFILES" || makeExpands(val, a.bareAssign && strings.ToUpper(name) != name)) {
		a.makeVar = name
		if a.makeLine != "" {
			a.makeRuns(a.makeLine)
		}
	}
	switch {
	case name == "SHELLOPTS" || name == "BASHOPTS":
		// A bash started with SHELLOPTS=keyword takes NAME=VALUE among any
		// command's arguments for its environment.
		a.refuse("`%s=%s`: a shell started with it turns on options (keyword: every NAME=VALUE argument sets the environment) the hook does not follow", name, val)
		return
	case lineReadingVars[name] != "":
		a.refuse("`%s=%s`: %s", name, val, lineReadingVars[name])
		return
	case name == "SHELL":
		// flock -c, script -c, su -m -c, runuser -m -c, make and others
		// run their command text with $SHELL, which the hook reads as
		// bash's (review hook50 H2: SHELL=/usr/bin/python3).
		a.refuse("`SHELL=%s`: flock -c, script -c, su -m, make and other programs run their command text with $SHELL, which the hook reads as a bash script: leave SHELL as it is", val)
		return
	case unlistedGitVar(name):
		a.refuse("`%s=%s`: git reads many GIT_ variables, and some run a command (GIT_TEST_FSMONITOR, GIT_DIFFTOOL_EXTCMD, GIT_TEST_MAINT_SCHEDULER: review hook50 H1); the hook allows only those it knows to run nothing (GIT_AUTHOR_NAME, GIT_COMMITTER_EMAIL, GIT_TERMINAL_PROMPT…)", name, val)
		return
	case strings.HasPrefix(name, "BASH_FUNC_"):
		a.refuse("`%s=…`: bash imports a function from the environment, which may shadow echo, mktemp or any program the hook reads", name)
		return
	case name == "IFS" && strings.IndexFunc(val.s, func(r rune) bool { return r >= 0x80 }) >= 0:
		// In the C locale bash splits at each byte of IFS, and a
		// character of the line made of those bytes splits too (review
		// hook75 H2: IFS=Âƃ splits evalÃterraform).
		a.refuse("`IFS=%s`: a separator with characters beyond ASCII splits words byte by byte in some locales (C), where the hook splits by character: use ASCII separators", val)
		return
	case name == "BASH_COMPAT" && !(!val.dyn && (val.s == "" || compatAtLeast52(val.s))):
		// At 5.1 and below bash evaluates arithmetic twice: a $(…) the
		// first pass leaves as text runs on the second (review hook73 H2).
		a.refuse("`BASH_COMPAT=%s`: at compatibility levels below 5.2 bash reads arithmetic and subscripts twice, running command substitutions the hook read as text: leave it unset", val)
		return
	case name == "LOCPATH" || name == "GCONV_PATH" || name == "LOCALE_ARCHIVE" || name == "I18NPATH":
		// glibc loads locales (and gconv modules: code) from there.
		a.refuse("`%s=%s`: glibc loads locale definitions (and character set modules, which are code) from the directory it names, which the line may have written", name, val)
		return
	case (name == "LC_ALL" || name == "LC_CTYPE" || name == "LANG") && !plainLocale(val):
		// A shell in a multibyte locale other than UTF-8 (GBK, Big5,
		// SJIS) reads a byte after a lead byte as part of the character:
		// `中"` ends a string where the hook's UTF-8 reading sees an
		// escaped quote (review hook71 H1).
		a.refuse("`%s=%s`: a shell reads the line's bytes in that locale's character set, and outside UTF-8 (GBK, Big5, SJIS…) a backslash or a quote can be part of a character the hook reads otherwise: use C, POSIX or a UTF-8 locale", name, val)
		return
	}
	if a.fileVar(name, val) { // filevars.go
		return
	}
	if (name == "BASH_ENV" || name == "ENV") && (val.dyn || otherFD(val) || stdinPath(val)) {
		// bash -c sources $BASH_ENV first: <(…) or /dev/fd/3 is the line's own text.
		a.refuse("`%s=%s`: the shell sources a file the line fills or computes, which the hook cannot read", name, val)
		return
	}
	if (name == "LESS" || name == "MORE") && (val.dyn || strings.Contains(val.s, "+")) {
		// LESS='+!cmd': an initial command, which may run a shell.
		a.refuse("`%s=%s`: the pager runs the initial command a `+` option holds", name, val)
		return
	}
	if how := lookupSetting(commandVars, name); how != "" {
		a.setting(name+"="+val.String(), name, val, how, depth)
	}
	if a.optionEnv(name, val) { // envopts.go
		return
	}
	a.codeEnv(name, val) // inline.go
}

// plainGitVars are the GIT_ variables that run nothing and name no file
// or directory git reads configuration or code from. Every other GIT_
// variable a line sets is refused unless a table judges it (commandVars:
// GIT_PAGER, GIT_EDITOR…; filevars.go: GIT_TRACE*, GIT_INDEX_FILE).
var plainGitVars = map[string]bool{"GIT_AUTHOR_NAME": true, "GIT_AUTHOR_EMAIL": true, "GIT_AUTHOR_DATE": true,
	"GIT_COMMITTER_NAME": true, "GIT_COMMITTER_EMAIL": true, "GIT_COMMITTER_DATE": true, "GIT_TERMINAL_PROMPT": true,
	"GIT_MERGE_AUTOEDIT": true, "GIT_OPTIONAL_LOCKS": true, "GIT_FLUSH": true, "GIT_LITERAL_PATHSPECS": true,
	"GIT_GLOB_PATHSPECS": true, "GIT_NOGLOB_PATHSPECS": true, "GIT_ICASE_PATHSPECS": true, "GIT_REFLOG_ACTION": true,
	"GIT_SSL_NO_VERIFY": true, "GIT_CURL_VERBOSE": true, "GIT_REDACT_COOKIES": true, "GIT_ADVICE": true,
	"GIT_HTTP_LOW_SPEED_LIMIT": true, "GIT_HTTP_LOW_SPEED_TIME": true, "GIT_HTTP_USER_AGENT": true,
	"GIT_NO_REPLACE_OBJECTS": true, "GIT_PROGRESS_DELAY": true, "GIT_DEFAULT_HASH": true, "GIT_MERGE_VERBOSITY": true}

// unlistedGitVar reports whether name is a GIT_ variable no table judges
// and plainGitVars does not list.
func unlistedGitVar(name string) bool {
	if !strings.HasPrefix(name, "GIT_") || plainGitVars[name] || lookupSetting(commandVars, name) != "" {
		return false
	}
	return !traceVar(name) && !traceSettings[name] && !writtenVars[name]
}

// lineReadingVars are the variables that change how bash reads the text
// of later commands, refused wherever they are set: the catalog $"…"
// strings are translated from, and readline's key bindings (an
// interactive shell binds a key to type another command).
var lineReadingVars = map[string]string{
	"TEXTDOMAIN":      "bash replaces $\"…\" strings with their translation from the message catalog it names, a file the agent can write",
	"TEXTDOMAINDIR":   "bash replaces $\"…\" strings with their translation from a message catalog under it, a file the agent can write",
	"INPUTRC":         "readline reads its key bindings from that file, and a binding may type any command into an interactive shell",
	"CDPATH":          "cd and pushd look a relative name up in it first, where the hook resolves the name against the working directory (review hook39 H4)",
	"BASH_CMDS":       "bash's command hash table: a name in it runs the program it holds (review hook43 H1)",
	"BASH_ALIASES":    "bash's alias table: a name in it runs the command it holds",
	"POSIXLY_CORRECT": "bash turns on POSIX mode, where an assignment before a special builtin stays and aliases expand (review hook40 H5)",
	// An interactive shell (bash -i, the agents' kept-open sessions)
	// expands history with these characters in place of ! and ^, where
	// the hook looks for none (review hook139 H1: histchars=@, then
	// `@:1-3` on a later line).
	"histchars": "bash takes its history expansion characters from it, and an interactive shell then replaces words holding them with words of earlier lines, which the hook did not read there: leave it as it is",
}

// gitSetting judges a git configuration key and value.
func (a *analyzer) gitSetting(what, key string, val tok, depth int) {
	key = strings.ToLower(key)
	if gitKeyMatch("http.cookiefile", key) || gitKeyMatch("http.*.cookiefile", key) || gitKeyMatch("format.outputdirectory", key) {
		// git writes there: the cookie jar libcurl saves, the patches
		// format-patch writes (review hook58 F1, F2).
		a.refuse("`%s`: %s names a file or directory git writes (a cookie jar, patches), which may be a protected file or a directory whose files run later: write with an explicit output in the command (-o /tmp/…)", what, key)
		return
	}
	how := lookupSetting(gitKeys, key)
	if strings.HasPrefix(key, "alias.") {
		if val.dyn {
			a.refuse("`%s`: a git alias with a value computed at run time", what)
		} else if v, ok := strings.CutPrefix(val.s, "!"); ok {
			a.posixNext = true // git runs a ! alias with sh -c
			a.script(v, depth+1)
			a.posixNext = false
		} else {
			// A plain alias is git's own arguments, options included
			// (-c core.fsmonitor=… status: review hook57 F5): judged as
			// the git command line it makes.
			a.script("git "+val.s, depth+1)
		}
		return
	}
	if !val.dyn {
		// credential.helper and others run a value that starts with ! in a shell.
		val.s = strings.TrimPrefix(val.s, "!")
	}
	a.setting(what, key, val, how, depth)
}

// git's own options before the subcommand (git.c's handle_options, up to
// git 2.47; none of them may be abbreviated): those that take the next
// word as their value, those that take none, and those whose value is
// attached after `=`.
var (
	gitGlobalValued = map[string]bool{"-C": true, "--git-dir": true, "--work-tree": true, "--namespace": true,
		"--super-prefix": true, "--attr-source": true, "--shallow-file": true}
	gitGlobalFlags = map[string]bool{"-v": true, "--version": true, "-h": true, "--help": true, "--exec-path": true,
		"--html-path": true, "--man-path": true, "--info-path": true, "-p": true, "--paginate": true, "-P": true,
		"--no-pager": true, "--no-replace-objects": true, "--no-lazy-fetch": true, "--no-optional-locks": true,
		"--no-advice": true, "--bare": true, "--literal-pathspecs": true, "--glob-pathspecs": true,
		"--noglob-pathspecs": true, "--icase-pathspecs": true}
)

// gitGlobalAttached reports whether s is a git option with its value
// after `=` (--git-dir=DIR, --list-cmds=LIST).
func gitGlobalAttached(s string) bool {
	n, _, ok := strings.Cut(s, "=")
	return ok && (gitGlobalValued[n] || n == "--list-cmds" || n == "--config-env")
}

// git judges git's own command-line configuration (-c KEY=VALUE,
// --config-env KEY=VAR, --exec-path=DIR) and `git config KEY VALUE`.
func (a *analyzer) git(c call) kind {
	args := c.argv[1:]
	line := "git " + truncateTok(args)
	if a.unknownEnv {
		a.refuse("`%s`: the line sets environment variables whose names it computes, which may be GIT_CONFIG_* settings that run commands", line)
	}
	i := 0
	for ; i < len(args); i++ {
		t := args[i]
		s := t.s
		if !strings.HasPrefix(s, "-") {
			break
		}
		switch {
		case s == "-c" && i+1 < len(args):
			i++
			k, v, _ := strings.Cut(args[i].s, "=")
			a.gitSetting(line, k, tok{s: v, dyn: args[i].dyn}, c.depth)
			a.gitAlias(k, tok{s: v, dyn: args[i].dyn})
		case s == "--config-env" || strings.HasPrefix(s, "--config-env="):
			kv, _ := strings.CutPrefix(s, "--config-env=")
			if s == "--config-env" && i+1 < len(args) {
				i++
				kv = args[i].s
			}
			k, _, _ := strings.Cut(kv, "=")
			if kl := strings.ToLower(k); lookupSetting(gitKeys, kl) != "" {
				a.refuse("`%s`: --config-env sets %s from the environment, which the hook cannot read", line, k)
			}
		case strings.HasPrefix(s, "--exec-path="):
			a.refuse("`%s`: --exec-path makes git run its commands from another directory", line)
		case gitGlobalValued[s]:
			i++
		case t.dyn || !gitGlobalFlags[s] && !gitGlobalAttached(s):
			// git --attr-source TREE -c alias.x='!…' x (git 2.43): an
			// option the hook does not know may take the next word, and
			// the subcommand and the settings then start later.
			a.refuse("`%s`: %s is not a git option the hook knows (it may take a value, and then the subcommand and its settings start at another word): spell git's options as `git --help` lists them", line, s)
			return kindOther
		}
	}
	if i > len(args) {
		i = len(args) // a valued option without its value (git -C): fuzz 'git -C&00'
	}
	for _, t := range args {
		// ext:: URLs run their command (when a setting allows them).
		if l := strings.ToLower(t.s); strings.HasPrefix(l, "ext::") || strings.Contains(l, "=ext::") {
			a.refuse("`%s`: an ext:: URL runs a command", line)
			break
		}
	}
	if i < len(args) && args[i].dyn {
		a.refuse("`%s`: the git subcommand is computed at run time", line)
		return kindOther
	}
	a.gitFed = nil
	if from, piped := a.pipeFrom[c.st]; piped && c.st != nil {
		a.gitFed = from
	}
	a.gitWorktree(line, args[:i], args[i:]) // derived.go
	a.gitFed = nil
	a.runsGit = true
	if i < len(args) {
		a.gitSubcommand(line, args[i], args[i+1:]) // gitconfig.go
		a.gitAliasCall(args[i], args[i+1:], c.depth)
		a.gitEditor(c, line, args[i], args[i+1:]) // editor.go
		if row := gitSubcommands[strings.ToLower(args[i].s)]; row != nil {
			sc := c.inner(args[i:])
			sc.depth = c.depth // the same call, read by its subcommand's row
			if strings.EqualFold(args[i].s, "submodule") {
				// submodule foreach runs its command in each submodule's
				// directory (review hook90 H5).
				sc.chdir = "each submodule's directory"
			}
			a.walk(row, "git "+strings.ToLower(args[i].s), sc)
		}
	}
	if i < len(args) && strings.EqualFold(args[i].s, "config") {
		// git config [options] KEY VALUE, git config set KEY VALUE.
		rest := args[i+1:]
		for j, k := range rest {
			// --rename-section turns a harmless key into one git runs
			// (x.fsmonitor into core.fsmonitor, x.path into
			// include.path: review hook50 H7); parse-options takes any
			// unambiguous abbreviation (--ren), and git 2.46 spells it
			// as a subcommand.
			lk := strings.ToLower(k.s)
			if (!k.dyn && (len(lk) >= 5 && strings.HasPrefix("--rename-section", strings.SplitN(lk, "=", 2)[0]) || j == 0 && lk == "rename-section")) ||
				a.mayBeOption(k, []string{"rename-section"}) || j == 0 && k.dyn {
				a.refuse("`%s`: git config renaming a section can turn keys git only stores into ones it runs (core.fsmonitor, include.path, alias.*): write the key you mean with `git config KEY VALUE`", line)
				break
			}
		}
		for j := 0; j+1 < len(rest); j++ {
			k := rest[j]
			if k.dyn || strings.HasPrefix(k.s, "-") {
				continue
			}
			if kl := strings.ToLower(k.s); lookupSetting(gitKeys, kl) != "" {
				a.gitSetting(line, k.s, rest[j+1], c.depth)
				a.gitAlias(k.s, rest[j+1])
				j++
			}
		}
	}
	return kindOther
}
