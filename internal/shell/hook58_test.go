package shell

import "testing"

// Review hook58 (issue 17, hook round 58): git settings that name a file
// or directory git writes (F1 http.cookieFile, F2 format.outputDirectory),
// and a short option's value attached to it in git's arguments (F3 -o…,
// F4 config -f…).

var h58Refused = []h32Case{
	// F1
	{cmd: "git -c http.cookieFile=../planguard.hcl -c http.saveCookies=true ls-remote http://127.0.0.1:9/r"},
	{cmd: "git -c http.https://example.com/.cookiefile=../planguard.hcl ls-remote https://example.com/r"},
	{cmd: "git config http.cookieFile ../planguard.hcl"},
	// F2
	{cmd: "git -c format.outputDirectory=/home/agent/.vim/plugin -c format.suffix=.vim format-patch -1"},
	{cmd: "git config format.outputdirectory .git/hooks"},
	// F3
	{cmd: "git archive -o../planguard.hcl HEAD"},
	{cmd: "git format-patch -o../planguard.hcl -1"},
	// F4
	{cmd: "git config -f../planguard.hcl a.b x"},
	{cmd: "git config -f~/.bashrc a.b x"},
}

var h58Allowed = []string{
	"git archive -o /tmp/out.tar HEAD",
	"git format-patch -o /tmp/patches -1",
	"git config -f /tmp/x.cfg a.b c",
	"git config user.name bot",
	"git -c http.sslVerify=false ls-remote https://example.com/r",
	"git log -n5 --oneline",
	"git commit -m fix -q",
}

func TestHook58Refused(t *testing.T) {
	opts := h32Opts("/work")
	opts.Protected = append(opts.Protected, "/home/agent/.bashrc")
	opts.ProtectedDirs = []string{"/home/agent/.vim", "/work/tf/.git"}
	for _, c := range h58Refused {
		line := h37Line(c.cmd, "/work", h32Terraform())
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
}

func TestHook58Allowed(t *testing.T) {
	hookAllowed(t, h58Allowed)
}
