package shell

import (
	"path"
	"strings"
)

// Settings that make a program run a command: git configuration keys,
// ssh options, environment variables. "run": the value is a command line,
// judged as one; "refuse": the value names files or code the hook cannot
// read. Keys are matched lower-cased, as globs (pager.* is any pager.CMD).
const (
	settingRun    = "run"
	settingRefuse = "refuse"
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
	"core.hookspath": settingRefuse, "include.path": settingRefuse, "includeif.*.path": settingRefuse,
}

// sshKeys are the ssh_config options that run a local command.
var sshKeys = map[string]string{
	"proxycommand": settingRun, "localcommand": settingRun, "knownhostscommand": settingRun, "remotecommand": settingRun,
	"match": settingRefuse, "include": settingRefuse,
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
	"LESSOPEN": settingRun, "LESSCLOSE": settingRun,
}

// lookupSetting is how table treats key ("" when it runs nothing).
func lookupSetting(table map[string]string, key string) string {
	if v, ok := table[key]; ok {
		return v
	}
	for pat, v := range table {
		if ok, _ := path.Match(pat, key); ok {
			return v
		}
	}
	return ""
}

// setting judges one setting (what names where it was set): a command
// line is judged as one, a value computed at run time or one the hook
// cannot read is refused.
func (a *analyzer) setting(what, key string, val tok, how string, depth int) {
	switch how {
	case settingRefuse:
		a.refuse("`%s`: %s makes the program read configuration or code the hook cannot see", what, key)
	case settingRun:
		if val.dyn {
			a.refuse("`%s`: %s holds a command computed at run time", what, key)
			return
		}
		a.script(val.s, depth+1)
	}
}

// envSet judges an environment variable set in the line.
func (a *analyzer) envSet(name string, val tok, depth int) {
	if (name == "BASH_ENV" || name == "ENV") && (val.dyn || otherFD(val) || stdinPath(val)) {
		// bash -c sources $BASH_ENV first: <(…) or /dev/fd/3 is the line's own text.
		a.refuse("`%s=%s`: the shell sources a file the line fills or computes, which the hook cannot read", name, val)
		return
	}
	if how := lookupSetting(commandVars, name); how != "" {
		a.setting(name+"="+val.String(), name, val, how, depth)
	}
}

// gitSetting judges a git configuration key and value.
func (a *analyzer) gitSetting(what, key string, val tok, depth int) {
	key = strings.ToLower(key)
	how := lookupSetting(gitKeys, key)
	if strings.HasPrefix(key, "alias.") {
		if val.dyn {
			a.refuse("`%s`: a git alias with a value computed at run time", what)
		} else if v, ok := strings.CutPrefix(val.s, "!"); ok {
			a.script(v, depth+1)
		}
		return
	}
	if !val.dyn {
		// credential.helper and others run a value that starts with ! in a shell.
		val.s = strings.TrimPrefix(val.s, "!")
	}
	a.setting(what, key, val, how, depth)
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
		case s == "-C" || s == "--git-dir" || s == "--work-tree" || s == "--namespace" || s == "--super-prefix":
			i++
		}
	}
	if i < len(args) && strings.EqualFold(args[i].s, "config") {
		// git config [options] KEY VALUE, git config set KEY VALUE.
		rest := args[i+1:]
		for j := 0; j+1 < len(rest); j++ {
			k := rest[j]
			if k.dyn || strings.HasPrefix(k.s, "-") {
				continue
			}
			if kl := strings.ToLower(k.s); lookupSetting(gitKeys, kl) != "" {
				a.gitSetting(line, k.s, rest[j+1], c.depth)
				j++
			}
		}
	}
	return kindOther
}
