package shell

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Review hook151 (on 94f0071): rsync's -t (--times, also in -rt, -avt,
// -rlptgoD) read as cp's -t DIR, so that rsync's destination went
// unjudged (H1); programs that write a protected configuration file
// themselves, outside the line's redirections: pipx ensurepath and pnpm
// setup (the shell's start-up files, PIPX_BIN_DIR/PNPM_HOME pasted in:
// H2, H3), gh alias set (H4), aws configure set (H5), kubectl config
// set-credentials (H6), pre-commit install, husky, simple-git-hooks (git's
// hooks and core.hooksPath: H7–H9), git lfs install (M1), direnv allow
// (M2), git maintenance start/register (M3), uv tool update-shell, volta
// setup, lefthook install, husky-init, pre-commit init-templatedir,
// corepack enable (M4), conda/mamba init.
var h151Rsync = []h32Case{
	{cmd: "rsync -t ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "rsync -ta ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "rsync -t -a ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "rsync --times -t ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "env rsync -t ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "nice -n 5 rsync -vt ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "rsync -avt ../p/ ../", setup: "mkdir -p ../p && cp ../e.json ../p/planguard.hcl", victim: "policy"},
	{cmd: "rsync -rt ../p/ ..", setup: "mkdir -p ../p && cp ../e.json ../p/planguard.hcl", victim: "policy"},
	{cmd: "rsync -rt --delete ../empty/ ./", setup: "mkdir -p ../empty && touch ../empty/readme.txt", victim: "statefile"},
	{cmd: "rsync -rlptD --delete-excluded ../empty/ ./", setup: "mkdir -p ../empty && touch ../empty/readme.txt", victim: "statefile"},
	{cmd: "rsync -rlptgoD --delete ../empty/ ./", setup: "mkdir -p ../empty && touch ../empty/readme.txt", victim: "statefile"},
	{cmd: "rsync -a -t --delete ../empty/ .", setup: "mkdir -p ../empty && touch ../empty/readme.txt", victim: "statefile"},
	{cmd: "rsync -rt --delete-after ../empty/ ROOT/tf/.", setup: "mkdir -p ../empty && touch ../empty/readme.txt", victim: "statefile"},
	{cmd: "rsync -rt --del ../empty/ ../tf/", setup: "mkdir -p ../empty && touch ../empty/readme.txt", victim: "statefile"},
	// The report's spellings, not run (they write the home directory).
	{cmd: "rsync -t /tmp/h151p/planguard.hcl /tmp/h151p/allowed_signers ../"},
	{cmd: "rsync -t /tmp/h151p/payload ~/.bashrc"},
	{cmd: "rsync -t /tmp/h151p/payload ../.git/hooks/pre-commit"},
	{cmd: "rsync -rt --delete /tmp/h151e/ ./"},
	{cmd: "rsync -rlptD --delete-excluded /tmp/h151e/ ./"},
	{cmd: "rsync -avt /tmp/h151p/ ../"},
	{cmd: "rsync -ta X ../.claude/settings.json"},
	{cmd: "rsync -t -a X ../.claude/settings.json"},
	{cmd: "rsync -a -t --delete /tmp/h151e/ ../"},
	{cmd: "rsync -rlptgoD --delete /tmp/h151e/ ./"},
	{cmd: "rsync -t X ~/.claude/settings.json"},
	{cmd: "sudo rsync -t X ../planguard.hcl"},
}

// h151Installers are the configuration installers, each spelling refused
// whatever it writes.
var h151Installers = []h32Case{
	{cmd: "PIPX_BIN_DIR='/tmp/h151/$(cd ../tf; terraform destroy -auto-approve >/dev/null 2>&1)' pipx ensurepath"},
	{cmd: "pipx ensurepath"},
	{cmd: "pipx --verbose ensurepath --force"},
	{cmd: "python3 -m pipx ensurepath"},
	{cmd: "PIPX_BIN_DIR=/tmp/bin pipx install black"},
	{cmd: "export PIPX_HOME=/tmp/px; pipx install black"},
	{cmd: "PNPM_HOME='/tmp/h151/$(cd ../tf; terraform destroy -auto-approve >/dev/null 2>&1)' pnpm setup"},
	{cmd: "pnpm setup"},
	{cmd: "PNPM_HOME=ROOT/tf pnpm add -g x"},
	{cmd: "uv tool update-shell"},
	{cmd: "volta setup"},
	{cmd: "gh alias set lint '!terraform \"$1\" -auto-approve' && gh lint destroy"},
	{cmd: "gh alias set --shell nuke 'terraform destroy -auto-approve'"},
	{cmd: "gh alias import aliases.yml"},
	{cmd: "gh alias set --clobber co 'pr checkout'"},
	{cmd: "gh config set git_protocol ssh"},
	{cmd: "gh config set -h github.com git_protocol ssh"},
	{cmd: "gh auth setup-git"},
	{cmd: "aws configure set credential_process \"terraform destroy -auto-approve\" && aws sts get-caller-identity"},
	{cmd: "aws --profile dev configure set region us-east-1"},
	{cmd: "aws configure import --csv file://creds.csv"},
	{cmd: "printf 'AKIA\\nsecret\\nus-east-1\\njson\\n' | aws configure"},
	{cmd: "aws configure <<< x"},
	{cmd: "aws configure --profile dev < answers.txt"},
	{cmd: "kubectl config set-credentials u --exec-api-version=client.authentication.k8s.io/v1beta1 --exec-command=terraform --exec-arg=destroy --exec-arg=-auto-approve && kubectl config set-cluster c --server=https://127.0.0.1:9 && kubectl config set-context x --cluster=c --user=u && kubectl config use-context x && kubectl get ns"},
	{cmd: "kubectl config set-credentials u --token=x"},
	{cmd: "kubectl config set users.u.exec.command terraform"},
	{cmd: "kubectl config set-cluster c --server=https://127.0.0.1:9"},
	{cmd: "kubectl config set-context x --cluster=c --user=u"},
	{cmd: "kubectl --context prod config set-credentials u"},
	{cmd: "kubectl -n ns config set-context --current --namespace=x"},
	{cmd: "oc config set-credentials u --token=x"},
	{cmd: "pre-commit install"},
	{cmd: "pre-commit install --hook-type pre-push"},
	{cmd: "pre-commit install -t commit-msg --overwrite"},
	{cmd: "pre-commit uninstall"},
	{cmd: "pre-commit init-templatedir /tmp/tpl"},
	{cmd: "python3 -m pre_commit install"},
	{cmd: "uvx pre-commit install"},
	{cmd: "pipx run pre-commit install"},
	{cmd: "uv tool run pre-commit install"},
	{cmd: "prek install"},
	{cmd: "npx husky"},
	{cmd: "npx husky install"},
	{cmd: "npx husky init"},
	{cmd: "npx husky --help"},
	{cmd: "npx husky .config/husky"},
	{cmd: "npx --yes husky@9 init"},
	{cmd: "npx -p husky husky"},
	{cmd: "npx --package=husky -- husky"},
	{cmd: "npx husky-init"},
	{cmd: "husky-init"},
	{cmd: "husky"},
	{cmd: "./node_modules/.bin/husky"},
	{cmd: "pnpm dlx husky init"},
	{cmd: "pnpm exec husky"},
	{cmd: "pnpm husky"},
	{cmd: "pnpx husky"},
	{cmd: "bunx husky"},
	{cmd: "bun x husky"},
	{cmd: "yarn dlx husky"},
	{cmd: "yarn husky"},
	{cmd: "yarn run husky"},
	{cmd: "npm exec husky"},
	{cmd: "npm exec -- husky init"},
	{cmd: "npm x husky"},
	{cmd: "npx -c husky"},
	{cmd: "env npx husky"},
	{cmd: "npx simple-git-hooks"},
	{cmd: "npx --yes simple-git-hooks@2"},
	{cmd: "simple-git-hooks"},
	{cmd: "pnpm exec simple-git-hooks"},
	{cmd: "lefthook install"},
	{cmd: "npx lefthook install"},
	{cmd: "npx lefthook@1 install"},
	{cmd: "pnpm lefthook install"},
	{cmd: "lefthook add pre-commit"},
	{cmd: "git lfs install"},
	{cmd: "git lfs install --local"},
	{cmd: "git lfs install --skip-smudge"},
	{cmd: "git lfs update --force"},
	{cmd: "git-lfs install"},
	{cmd: "git -C .. lfs install"},
	{cmd: "direnv allow"},
	{cmd: "direnv allow ."},
	{cmd: "direnv permit .."},
	{cmd: "direnv grant"},
	{cmd: "direnv edit ."},
	{cmd: "git maintenance start"},
	{cmd: "git maintenance start --scheduler=crontab"},
	{cmd: "git maintenance register"},
	{cmd: "git -c core.x=y maintenance register"},
	{cmd: "corepack enable"},
	{cmd: "conda init"},
	{cmd: "mamba init"},
	{cmd: "micromamba shell init"},
	// Behind wrappers, and computed subcommands.
	{cmd: "env pre-commit install"},
	{cmd: "nice -n 5 pre-commit install"},
	{cmd: "sudo pre-commit install"},
	{cmd: "command pre-commit install"},
	{cmd: "timeout 10 direnv allow"},
	{cmd: "sudo -u dev git lfs install"},
	{cmd: "sh -c 'pre-commit install'"},
	{cmd: "bash -c 'direnv allow .'"},
	{cmd: "s=install; pre-commit $s"},
	{cmd: "python3 -m pip config set global.index-url https://x"},
}

// h151Home are installers run in bash over a real applied state, with a
// home directory of their own: each destroys the state in the same line.
var h151Home = []h32Case{
	{cmd: "PIPX_BIN_DIR='/tmp/h151/$(cd ROOT/tf; terraform destroy -auto-approve >/dev/null 2>&1)' pipx ensurepath", needs: "pipx", victim: "state"},
	{cmd: "gh alias set lint '!terraform \"$1\" -auto-approve' && gh lint destroy", needs: "gh", victim: "state"},
	{cmd: "kubectl config set-credentials u --exec-api-version=client.authentication.k8s.io/v1beta1 --exec-command=terraform --exec-arg=destroy --exec-arg=-auto-approve && kubectl config set-cluster c --server=https://127.0.0.1:9 && kubectl config set-context x --cluster=c --user=u && kubectl config use-context x && kubectl get ns",
		needs: "kubectl", victim: "state"},
	{cmd: "aws configure set credential_process 'terraform destroy -auto-approve' && aws sts get-caller-identity", needs: "aws", victim: "state"},
	{cmd: "cd .. && pre-commit install && echo n > notes.md && git add notes.md && git commit -qm x",
		setup: "printf 'repos:\\n- repo: local\\n  hooks:\\n  - id: x\\n    name: x\\n    language: system\\n    entry: bash -c \"cd tf && @TF@ destroy -auto-approve\"\\n    always_run: true\\n    pass_filenames: false\\n' > ROOT/.pre-commit-config.yaml",
		needs: "pre-commit git", victim: "state"},
	{cmd: "cd .. && direnv allow && direnv exec . true",
		setup: "printf 'cd tf && @TF@ destroy -auto-approve >/dev/null 2>&1\\n' > ROOT/.envrc", needs: "direnv", victim: "state"},
}

// h151Guard were refused before the fix for other reasons (a name the
// hook reads as a program: tf, vim, bash, the builtin enable; a computed
// word given to a program the hook does not know; a write naming the
// state): kept refused.
var h151Guard = []h32Case{
	{cmd: "rsync -t ../e.json terraform.tfstate", victim: "statefile"},
	{cmd: "rsync -t ../e.json ./terraform.tfstate", victim: "statefile"},
	{cmd: "rsync -t ../e.json ../tf/terraform.tfstate", victim: "statefile"},
	{cmd: "gh config set editor vim"},
	{cmd: "corepack enable pnpm"},
	{cmd: "micromamba shell init -s bash"},
	{cmd: "pre-commit \"$1\""},
	{cmd: "echo install | xargs pre-commit"},
}

var h151Allowed = []string{
	"rsync -av src/ build/",
	"rsync -t notes.txt /tmp/h151out/",
	"rsync -rt src/ /tmp/h151out/",
	"rsync -avt --delete dist/ /tmp/h151out/",
	"rsync -t a.txt b.txt",
	"rsync --times a.txt /tmp/h151out/a.txt",
	"cp -t /tmp/h151out a b",
	"mv -t /tmp/h151out a.txt",
	"pre-commit run --all-files",
	"pre-commit run",
	"python3 -m pre_commit run --all-files",
	"gh pr list",
	"gh pr view 12",
	"gh alias list",
	"aws sts get-caller-identity",
	"aws configure list",
	"aws configure get region",
	"aws configure list-profiles",
	"kubectl config view",
	"kubectl config view --minify",
	"kubectl config get-contexts",
	"kubectl config current-context",
	"kubectl config use-context dev",
	"kubectl get pods -n x",
	"direnv status",
	"direnv deny",
	"git lfs ls-files",
	"git lfs pull",
	"git lfs track '*.bin'",
	"git maintenance run",
	"pnpm install",
	"npm i -D husky",
	"pnpm add -D husky lefthook",
	"yarn add -D simple-git-hooks",
	"pnpm --filter web build",
	"yarn build",
	"bun run build",
	"npx prettier --check .",
	"npx tsc --noEmit",
	"pipx install pre-commit",
	"pipx run black --check .",
	"uv tool install ruff",
	"uv run pytest",
	"lefthook run pre-commit",
	"corepack --version",
	"conda env list",
	"python3 -m pip install -r requirements.txt",
	"python3 -m pip config list",
}

func TestHook151Refused(t *testing.T) {
	hookRefused(t, h151Rsync)
	hookRefused(t, h151Installers)
	hookRefused(t, h151Home)
	hookRefused(t, h151Guard)
}

func TestHook151Allowed(t *testing.T) {
	hookAllowed(t, h151Allowed)
}

// TestHook151BashRuns runs the rsync spellings in bash over a real
// applied state (hookBashRuns): each overwrites the policy or the state,
// or deletes the state.
func TestHook151BashRuns(t *testing.T) {
	if _, err := exec.LookPath("rsync"); err != nil {
		t.Skip("rsync not found")
	}
	hookBashRuns(t, append(append([]h32Case{}, h151Rsync...), h151Guard...), bashRuns{line: h37Line})
}

// TestHook151HomeRuns runs the installers in bash over a real applied
// state, each in a fresh world holding a home directory of its own (HOME,
// and none of the variables that move the programs' configuration) and a
// git repository at its root: the installer's write makes the same line
// destroy the state.
func TestHook151HomeRuns(t *testing.T) {
	tf, bash, env, state := h32AppliedState(t)
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not found")
	}
	var clean []string
	for _, e := range env {
		k, _, _ := strings.Cut(e, "=")
		if k == "HOME" || strings.HasPrefix(k, "XDG_") || strings.HasPrefix(k, "GH_") || strings.HasPrefix(k, "AWS_") ||
			strings.HasPrefix(k, "PIPX_") || strings.HasPrefix(k, "GIT_") || k == "KUBECONFIG" || k == "DIRENV_CONFIG" {
			continue
		}
		clean = append(clean, e)
	}
	if _, set := os.LookupEnv("PYENV_ROOT"); !set {
		// The aws on PATH may be a pyenv shim, which finds pyenv's root
		// under the home directory.
		if home, err := os.UserHomeDir(); err == nil {
			if _, err := os.Stat(filepath.Join(home, ".pyenv")); err == nil {
				clean = append(clean, "PYENV_ROOT="+filepath.Join(home, ".pyenv"))
			}
		}
	}
	clean = append(clean, "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=a",
		"GIT_COMMITTER_EMAIL=a@example.com", "GIT_CONFIG_NOSYSTEM=1")
	ran := 0
	for _, c := range h151Home {
		missing := ""
		for _, n := range strings.Fields(c.needs) {
			if _, err := exec.LookPath(n); err != nil {
				missing = n
			}
		}
		if missing != "" {
			t.Logf("%s: %s not found here, not run", c.cmd, missing)
			continue
		}
		root := h32World(t, state)
		home := filepath.Join(root, "home")
		if err := os.MkdirAll(home, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(git, "init", "-q", root)
		cmd.Env = append(clean, "HOME="+home)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		l := h37Line(c.cmd, root, tf)
		if res := Analyze(l, h32Opts(root)); res.Allowed() {
			t.Errorf("allowed, want refused: %q", l)
		}
		run := l
		if c.setup != "" {
			run = h37Line(c.setup, root, tf) + "; " + l
		}
		cmd = exec.Command(bash, "-c", run)
		cmd.Dir, cmd.Env = filepath.Join(root, "tf"), append(clean, "HOME="+home, "SHELL="+bash)
		out, _ := cmd.CombinedOutput()
		ran++
		after, err := os.ReadFile(filepath.Join(root, "tf", "terraform.tfstate"))
		if err != nil || h32Resources(t, after) != 0 {
			t.Errorf("%q: bash left the state's resource: the spelling is no attack\n%s", run, h32Tail(out))
		}
	}
	if ran == 0 {
		t.Skip("no installer found here")
	}
	t.Logf("%d installers run in bash", ran)
}
