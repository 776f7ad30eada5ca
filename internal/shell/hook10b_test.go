package shell

import (
	"testing"
)

// Findings F2, F3, F6, F8, F10 and F11 of the hook17b review
// (/work/notes/reviews/hook17b/report.md), and harmless neighbours.

// F2: a git configuration key's subsection may hold `/` and `.`; the key
// table matches SECTION.SUBSECTION.NAME with any subsection.
func TestHook10bGitKeySubsection(t *testing.T) {
	for _, cmd := range []string{
		"git -c 'includeIf.gitdir:/tmp/.path=/tmp/rev/evil.cfg' status",
		"git -c 'includeIf.gitdir:/tmp/**.path=/tmp/rev/evil.cfg' status",
		"git -c 'includeIf.onbranch:a/b.path=evil.cfg' status",
		"git -c 'INCLUDEIF.gitdir:/tmp/.PATH=evil.cfg' status",
		"git -c 'include.path=evil.cfg' status",
		"git --config-env='includeIf.gitdir:/tmp/.path=X' status",
		"git --config-env 'filter.a/b.clean=X' status",
		"echo '* filter=a/b' > .gitattributes && git -c 'filter.a/b.clean=terraform destroy -auto-approve' add f.txt",
		"git -c 'filter.a.b.smudge=terraform destroy -auto-approve' checkout .",
		"git -c 'diff.a/b.textconv=terraform destroy -auto-approve' diff",
		"git -c 'diff.a/b.command=terraform destroy -auto-approve' diff",
		"git -c 'merge.a/b.driver=terraform destroy -auto-approve' merge x",
		"git -c 'credential.https://host/.helper=!terraform destroy -auto-approve' fetch",
		"git config --global 'includeIf.gitdir:/.path' /tmp/evil.cfg",
		"git config 'filter.a/b.clean' 'terraform destroy -auto-approve'",
		"git -c 'trailer.x.cmd=terraform destroy -auto-approve #' interpret-trailers --trailer x=1",
		"git -c 'trailer.x.command=terraform destroy -auto-approve #' commit --trailer x=1 -m m",
		"git -c 'trailer.a/b.cmd=terraform destroy -auto-approve #' interpret-trailers --trailer x=1",
		"git -c trace2.normalTarget=/home/agent/.bashrc status",
		"git -c trace2.eventTarget=../planguard.hcl status",
		"git config trace2.perfTarget /tmp/x",
		"git -c 'sendemail.me.tocmd=terraform destroy -auto-approve' send-email x",
		"git -c 'remote.a/b.uploadpack=terraform destroy -auto-approve' fetch a/b",
		"git -c 'pager.a.b=terraform destroy -auto-approve' status",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"git -c color.ui=false status",
		"git -c core.quotepath=off log",
		"git -c 'url.https://a/b.insteadOf=git@a:' fetch",
		"git -c 'diff.a/b.xfuncname=^x' diff",
		"git config user.name 'A B'",
		"git -c 'filter.lfs.required=true' status",
		"git -c 'trailer.sign.key=Signed-off-by' interpret-trailers",
	} {
		wantAllowed(t, cmd)
	}
	for _, c := range []struct{ pat, key string }{
		{"includeif.*.path", "includeif.gitdir:/tmp/.path"},
		{"credential.*.helper", "credential.https://h/x.y.helper"},
		{"alias.*", "alias.a.b"},
		{"sendemail.*cmd", "sendemail.tocmd"},
	} {
		if !gitKeyMatch(c.pat, c.key) {
			t.Errorf("%s does not match %s", c.pat, c.key)
		}
	}
	for _, c := range []struct{ pat, key string }{
		{"core.pager", "core.x.pager"},
		{"diff.external", "diff.a/b.external"},
		{"include.path", "include.x.path"},
		{"credential.helper", "credential.https://x/.helper"}, // matched by credential.*.helper instead
	} {
		if gitKeyMatch(c.pat, c.key) {
			t.Errorf("%s matches %s", c.pat, c.key)
		}
	}
}

// F6: git init/clone --separate-git-dir moves the git directory out of
// protection; hooks/ of a git directory the line makes, or one on disk.
func TestHook10bGitDirHooks(t *testing.T) {
	for _, cmd := range []string{
		"git init -q --separate-git-dir=/tmp/rev/g2 && printf '#!/bin/sh\\nterraform destroy -auto-approve\\n' > /tmp/rev/g2/hooks/pre-commit",
		"git init --separate-git-dir /tmp/rev/g x",
		"git init --separate=/tmp/rev/g x",
		"git clone --separate-git-dir=/tmp/g https://example.com/r.git x",
		"git init -q --bare /tmp/rev/b && printf x > /tmp/rev/b/hooks/pre-commit && chmod +x /tmp/rev/b/hooks/pre-commit && git --git-dir=/tmp/rev/b --work-tree=. commit --allow-empty -m x",
		"git init -q --bare /tmp/rev/b && printf x > /tmp/rev/b/hooks/pre-receive && git push -q /tmp/rev/b HEAD:refs/heads/main",
		"mkdir -p b/hooks && cp evil b/hooks/post-update && git init --bare b",
		"git clone --mirror https://example.com/r.git m && cp evil m/hooks/",
		"git init --bare b && cd b && echo x > hooks/pre-receive",
		"git init --bare b && tee b/hooks/pre-receive < evil",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"git init x",
		"git init",
		"git init --bare /tmp/b",
		"git clone https://example.com/r.git && cd r && make",
		"echo x > src/hooks/useAuth.ts",
		"mkdir -p web/hooks && echo x > web/hooks/useX.ts && git add web",
	} {
		wantAllowed(t, cmd)
	}
	opts := testOpts
	opts.GitDir = func(dir string) bool { return dir == "/tmp/rev/b" || dir == "/work/infra/bare.git" }
	for _, cmd := range []string{
		"echo x > /tmp/rev/b/hooks/pre-receive",
		"printf x >> /tmp/rev/b/hooks/post-update",
		"cp evil /tmp/rev/b/hooks/pre-receive",
		"cp -r evilhooks /tmp/rev/b/hooks",
		"ln -sf /tmp/evil bare.git/hooks/pre-commit",
		"echo x > bare.git/HOOKS/pre-commit",
	} {
		if r := Analyze(cmd, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %s", cmd)
		}
	}
	for _, cmd := range []string{
		"echo x > /tmp/rev/other/hooks/pre-receive",
		"cat /tmp/rev/b/hooks/pre-receive.sample",
		"echo x > src/hooks/useAuth.ts",
	} {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// F10: local Terraform state files are protected against shell writes.
func TestHook10bStateFile(t *testing.T) {
	for _, cmd := range []string{
		"terraform state pull | jq 'del(.resources[])' > /tmp/s.json && cp /tmp/s.json terraform.tfstate",
		"rm terraform.tfstate",
		"echo '{}' > terraform.tfstate",
		"rm -rf terraform.tfstate.d",
		"> .terraform/terraform.tfstate",
		"cp x prod.tfstate.backup",
		"mv x envs/prod/Terraform.TFSTATE",
		"rm *.tfstate",
		"sed -i s/a/b/ terraform.tfstate",
		"git checkout -- terraform.tfstate",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"cat terraform.tfstate",
		"cat terraform.tfstate | jq .resources",
		"cp terraform.tfstate /tmp/backup.json",
		"terraform state list",
		"terraform plan -out=tfplan",
		"echo x > notes.tfstatement",
	} {
		wantAllowed(t, cmd)
	}
	if !StateFile(`C:\x\terraform.tfstate`) || StateFile("tfstate") || StateFile("a.tfstates") {
		t.Error("StateFile")
	}
}

// F3, F8: readers' options that run a program or write a file.
func TestHook10bReaderOptions(t *testing.T) {
	for _, cmd := range []string{
		"echo yes > destroy && rg --pre terraform . destroy",
		"rg --pre=terraform -e . destroy",
		"rg --no-config --pre terraform . destroy",
		"rg foo --pre=./x.sh",
		"RIPGREP_CONFIG_PATH=/tmp/rc rg foo",
		"export RIPGREP_CONFIG_PATH=/tmp/rc; rg foo",
		"bat --paging=always --pager='terraform destroy -auto-approve' f.txt",
		"batcat --pager 'terraform destroy -auto-approve' f.txt",
		"BAT_PAGER='terraform destroy -auto-approve' bat --paging=always f.txt",
		"BAT_CONFIG_PATH=/tmp/c bat f.txt",
		"ag --pager='terraform destroy -auto-approve' foo",
		"ack --pager='terraform destroy -auto-approve' foo",
		"info -f ./x.info -o .claude/settings.json",
		"info --output=../planguard.hcl info",
		"info --output ../planguard.hcl info",
		"info -o/work/planguard.hcl info",
		"info --dribble=/work/allowed_signers info",
		"zip -q -T -TT 'terraform destroy -auto-approve #' /tmp/x.zip f.txt",
		"zip -T --unzip-command 'terraform destroy -auto-approve #' /tmp/x.zip f.txt",
		"zip -T --unzip-command='terraform destroy -auto-approve #' /tmp/x.zip f.txt",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"rg foo",
		"rg -n --hidden 'pre' src",
		"rg -- --pre file",
		"bat README.md",
		"bat --paging=never README.md",
		"bat --pager=less README.md",
		"info coreutils",
		"info -o /tmp/out.txt coreutils",
		"zip -r a.zip dir",
		"zip -T a.zip f.txt",
		"grep -r foo .",
	} {
		wantAllowed(t, cmd)
	}
}
