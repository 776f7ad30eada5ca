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
