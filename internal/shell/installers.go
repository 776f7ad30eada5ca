package shell

import (
	"strings"
)

// Configuration installers (review hook151 H2–H9, M1–M4): programs that
// write a protected file themselves — the shell's start-up files, git's
// hooks and configuration, the hidden configuration trees of the home
// directory — outside the line's own redirections, so no path in the
// line names it. They are refused whatever their arguments, as npm
// config set and pip config set are (packageManagerFlags): a person runs
// them.

// installerRule is one refused spelling of a configuration installer:
// the subcommand words (none: every call), the subcommands that, as the
// next word, make it harmless, whether it is refused only with its
// standard input fed (it asks its questions there), and what it writes.
type installerRule struct {
	words  []string
	unless []string
	fed    bool
	why    string
}

const (
	whyShellRC   = "writes the shell's start-up files (~/.bashrc, ~/.bash_profile, ~/.profile…), which every later shell runs"
	whyGitHooks  = "writes git's hooks (.git/hooks/pre-commit…), which run at the next git commit, by the agent or a person"
	whyAWSConfig = "writes the AWS CLI's configuration (~/.aws/config, ~/.aws/credentials), whose credential_process is a command every AWS client and the Terraform AWS provider run"
	whyKubeConf  = "writes the kubeconfig (~/.kube/config), whose exec credential plugin is a command every kubectl call runs"
)

// configInstallers are the programs (by base name, or by the name of the
// package a runner fetches) and the spellings of theirs refused.
var configInstallers = map[string][]installerRule{
	// pipx starts the user's shell to check the new PATH, in the same
	// call: PIPX_BIN_DIR='$(…)' runs at once (H2).
	"pipx":  {{words: []string{"ensurepath"}, why: whyShellRC + " (pipx starts one itself to check the new PATH)"}},
	"pnpm":  {{words: []string{"setup"}, why: whyShellRC + " (PNPM_HOME, put ahead of the system's programs)"}},
	"uv":    {{words: []string{"tool", "update-shell"}, why: whyShellRC}},
	"volta": {{words: []string{"setup"}, why: whyShellRC}},
	"gh": {
		{words: []string{"alias", "set"}, why: "writes an alias into gh's configuration (~/.config/gh/config.yml): a command line (`!…`, --shell) every later gh call by that name runs"},
		{words: []string{"alias", "import"}, why: "writes aliases into gh's configuration (~/.config/gh/config.yml): command lines every later gh call by their names runs"},
		{words: []string{"config", "set"}, why: "writes gh's configuration (~/.config/gh/config.yml: editor, pager and browser are commands gh runs)"},
		{words: []string{"auth", "setup-git"}, why: "writes gh as git's credential helper into ~/.gitconfig (a command git runs)"},
	},
	"aws": {
		{words: []string{"configure", "set"}, why: whyAWSConfig},
		{words: []string{"configure", "import"}, why: whyAWSConfig},
		// Plain aws configure (and its sso wizards) asks on standard
		// input: fed, the line answers.
		{words: []string{"configure"}, fed: true, unless: []string{"get", "list", "list-profiles", "export-credentials", "help"}, why: whyAWSConfig + " (its questions answered from the fed input)"},
	},
	"kubectl": kubectlRules,
	"oc":      kubectlRules,
	"pre-commit": {
		{words: []string{"install"}, why: whyGitHooks + " (they run the project's .pre-commit-config.yaml)"},
		{words: []string{"uninstall"}, why: whyGitHooks + " (it restores or removes them)"},
		{words: []string{"init-templatedir"}, why: "writes git's hooks into a template directory, which git init and clone copy into repositories (.git/hooks)"},
	},
	// husky sets core.hooksPath (husky, husky install, init, and v9's
	// any other word, taken as the hooks directory: husky --help).
	"husky":            {{why: "sets core.hooksPath in .git/config (every call, whatever its arguments: v9 takes an unknown word as the hooks directory), so git runs the project's .husky hooks at the next commit"}},
	"husky-init":       {{why: "sets core.hooksPath in .git/config and writes .husky/pre-commit, which git runs at the next commit"}},
	"simple-git-hooks": {{why: whyGitHooks + " (the commands package.json names)"}},
	"lefthook": {
		{words: []string{"install"}, why: whyGitHooks + " (they run lefthook.yml's commands)"},
		{words: []string{"add"}, why: whyGitHooks + " (they run lefthook.yml's commands)"},
	},
	"git": {
		{words: []string{"lfs", "install"}, why: "writes git's hooks (.git/hooks/pre-push, post-checkout…) and filter commands into ~/.gitconfig or .git/config (filter.lfs.*: commands git runs)"},
		{words: []string{"lfs", "update"}, why: "writes git's hooks (.git/hooks/pre-push, post-checkout…), which git runs"},
		{words: []string{"maintenance", "start"}, why: "schedules git maintenance with cron or systemd user timers (git runs later, outside any call, with the registered repositories' configuration) and registers the repository in ~/.gitconfig"},
		{words: []string{"maintenance", "register"}, why: "registers the repository in ~/.gitconfig (maintenance.repo), whose scheduled runs fetch with its configuration later, outside any call"},
	},
	"direnv": {
		{words: []string{"allow"}, why: direnvWhy},
		{words: []string{"permit"}, why: direnvWhy},
		{words: []string{"grant"}, why: direnvWhy},
		{words: []string{"edit"}, why: direnvWhy + " (after the editor closes)"},
	},
	"corepack": {{words: []string{"enable"}, why: "links the package managers' shims into the directory of its own program (/usr/bin, /usr/local/bin), programs every later call runs"}},
	"conda":    {{words: []string{"init"}, why: whyShellRC + " (conda's activation code)"}},
	"mamba": {
		{words: []string{"init"}, why: whyShellRC + " (mamba's activation code)"},
		{words: []string{"shell", "init"}, why: whyShellRC + " (mamba's activation code)"},
	},
	"micromamba": {
		{words: []string{"init"}, why: whyShellRC + " (micromamba's activation code)"},
		{words: []string{"shell", "init"}, why: whyShellRC + " (micromamba's activation code)"},
	},
}

func init() {
	configInstallers["prek"] = configInstallers["pre-commit"] // pre-commit's rewrite, same commands
}

const direnvWhy = "approves the .envrc (an allow file under ~/.local/share/direnv), whose code direnv then runs for every shell and direnv exec in the directory: the approval is a person's"

var kubectlRules = []installerRule{
	{words: []string{"config", "set-credentials"}, why: whyKubeConf},
	{words: []string{"config", "set"}, why: whyKubeConf + " (any key: a user's exec plugin, a cluster's proxy)"},
	{words: []string{"config", "set-cluster"}, why: whyKubeConf + " (a cluster's server, proxy and certificates)"},
	{words: []string{"config", "set-context"}, why: whyKubeConf + " (a context naming a user whose exec plugin runs)"},
}

// pythonInstallers are the python modules run with -m that are
// configuration installers, by the program's name.
var pythonInstallers = map[string]string{"pre_commit": "pre-commit", "pipx": "pipx", "conda": "conda"}

// runnerSubs are the subcommands by which a package manager runs a
// package's program (npm exec husky, pnpm dlx husky, yarn husky: yarn
// and pnpm run a program of node_modules/.bin named as their first word).
var installerRunnerSubs = map[string][]string{
	"npm": {"exec", "x"}, "pnpm": {"exec", "dlx", "run"}, "yarn": {"exec", "dlx", "run"}, "bun": {"x", "run", "exec"},
	"uv": {"run", "tool"}, "pipx": {"run"}, "poetry": {"run"}, "pipenv": {"run"}, "pdm": {"run"}, "hatch": {"run"},
}

// configInstaller refuses a configuration installer (configInstallers),
// called by its own name or through a package runner (npx husky, pnpm
// dlx husky-init, bunx simple-git-hooks, npx lefthook install) or python
// -m (pre_commit install). It reports whether it refused.
func (a *analyzer) configInstaller(name string, c call) bool {
	args := c.argv[1:]
	if a.installerRules(name, c.argv, args, c.fed) {
		return true
	}
	if lookup(name) == programs["python"] {
		if mod, rest, ok := pythonModule(args); ok && !mod.dyn {
			if prog := pythonInstallers[mod.s]; prog != "" {
				return a.installerRules(prog, c.argv, rest, c.fed)
			}
			if mod.s == "pip" && c.depth < maxDepth {
				// python -m pip config set: pip's own rules.
				n := len(a.res.Refused)
				a.packageManagerFlags("pip", c.inner(append([]tok{{s: "pip"}}, rest...)))
				return len(a.res.Refused) > n
			}
		}
		return false
	}
	// The words where a runner's program may stand: any of a runner's
	// leading words (npx -p husky husky: -p's value, then the program;
	// yarn husky, bun husky: a program of node_modules/.bin), and those
	// after its subcommands that run one (npm exec, pnpm dlx, uv tool
	// run).
	var at []int
	if subs, ok := installerRunnerSubs[name]; ok || packageRunners[name] {
		for next := leadWords(args, 0); len(next) > 0; {
			var more []int
			for _, i := range next {
				if !args[i].dyn && contains(subs, args[i].s) {
					more = append(more, leadWords(args, i+1)...)
				} else {
					at = append(at, i)
				}
			}
			next = more
		}
	}
	for _, i := range at {
		if args[i].dyn {
			continue
		}
		prog := strings.ToLower(packageProgram(args[i].s))
		if prog == name {
			continue // pnpm setup is pnpm's own
		}
		if _, ok := configInstallers[prog]; ok && a.installerRules(prog, c.argv, args[i+1:], c.fed) {
			return true
		}
	}
	return false
}

// installerRules refuses a call of the installer prog (its arguments
// args, argv the whole command as written) that one of its rules
// matches. It reports whether it refused.
func (a *analyzer) installerRules(prog string, argv, args []tok, fed bool) bool {
	for _, r := range configInstallers[prog] {
		if r.fed && !fed {
			continue
		}
		if ok, computed := matchWords(args, r.words, r.unless); ok {
			sub := prog + wordsSuffix(r.words)
			if computed {
				sub = "a word computed at run time may make it " + sub + ", which"
			}
			a.refuse("`%s`: %s %s. The hook protects those files, and the program writes them itself (no path in the line names them): a person runs it", truncateTok(argv), sub, r.why)
			return true
		}
	}
	return false
}

func wordsSuffix(words []string) string {
	if len(words) == 0 {
		return ""
	}
	return " " + strings.Join(words, " ")
}

// matchWords reports whether args start with the subcommand words, each
// among the leading words at its place (the options before it, and the
// words that may be their values, skipped), and whether a word computed
// at run time stood for one (it matches any). With unless, the word after
// them must not be one of those (a subcommand that only reads).
func matchWords(args []tok, words, unless []string) (ok, computed bool) {
	if len(words) == 0 {
		for _, i := range leadWords(args, 0) {
			if !args[i].dyn && contains(unless, args[i].s) {
				return false, false
			}
		}
		return true, false
	}
	for _, i := range leadWords(args, 0) {
		if args[i].dyn || args[i].s == words[0] {
			if ok, computed := matchWords(args[i+1:], words[1:], unless); ok {
				return true, computed || args[i].dyn
			}
		}
	}
	return false, false
}

// leadWords returns the indices, from start on, of the words that may be
// the first operand: the first word that is no option, and before it
// those that may be the value of the option before them (--profile p
// configure: p, then configure); after a `--`, the word after it.
func leadWords(args []tok, start int) []int {
	var out []int
	afterOpt := false
	for i := start; i < len(args); i++ {
		t := args[i]
		if !t.dyn && t.s == "--" {
			if i+1 < len(args) {
				out = append(out, i+1)
			}
			return out
		}
		if !t.dyn && strings.HasPrefix(t.s, "-") && len(t.s) > 1 || t.dyn && t.w != nil && optionWord(t.w) {
			afterOpt = !strings.Contains(t.s, "=")
			continue
		}
		out = append(out, i)
		if !afterOpt {
			return out
		}
		afterOpt = t.dyn // a computed word may be an option too
	}
	return out
}
