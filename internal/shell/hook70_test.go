package shell

import "testing"

// Review hook70 (on 44804e2): cgo's compiler flags from the environment
// (H1: gcc's -wrapper runs a program); -ldflags with -extld/-extldflags and
// -gccgoflags (H2); ssh's StreamLocalBindUnlink removes the file at a
// forwarded socket's path (H3); GOBIN and go env -w GOBIN name where go
// install writes (H4); extractors other than tar and unzip (L2).

var h70Refused = []h32Case{
	// H1
	{cmd: "CGO_CFLAGS=\"-wrapper '/bin/sh,-c,@TF@ -chdir=ROOT/tf destroy -auto-approve -input=false'\" go build -a runtime/cgo", needs: "gcc", victim: "state"},
	{cmd: "CGO_LDFLAGS=\"-wrapper '/bin/sh,-c,terraform'\" go build -a runtime/cgo"},
	{cmd: "CGO_CPPFLAGS=-wrapper go build ./..."},
	{cmd: "export CGO_CXXFLAGS='-B /tmp/x'; go build ./..."},
	{cmd: "CGO_FFLAGS=-fplugin=/tmp/x.so go build ./..."},
	// H2
	{cmd: "go build -ldflags=\"-linkmode=external '-extldflags=-wrapper /bin/sh,-c,terraform'\" cmd/gofmt"},
	{cmd: "go build -ldflags=-extld=/tmp/x ."},
	{cmd: "go test -ldflags \"-linkmode=external -extld=/tmp/x\" ./..."},
	{cmd: "go build -gccgoflags=-wrapper -compiler gccgo ."},
	// H3
	{cmd: "git -c core.sshCommand='ssh -o StreamLocalBindUnlink=yes -L terraform.tfstate:localhost:1' fetch ssh://h/r"},
	{cmd: "ssh -o 'StreamLocalBindUnlink yes' -N -L ../planguard.hcl:localhost:22 h"},
	{cmd: "GIT_SSH_COMMAND='ssh -oStreamLocalBindUnlink=yes -L x:y:1' git fetch"},
	// H4
	{cmd: "GOBIN=/work/.git/hooks go install -C /tmp/m2 ."},
	{cmd: "GOBIN=../.git/hooks go install -C /tmp/m2"},
	{cmd: "export GOBIN=/work/.git/hooks && go install -C /tmp/m2"},
	{cmd: "go env -w GOBIN=/work/.git/hooks"},
	{cmd: "GOBIN=\"$D\" go install ./..."},
	// L2: extractors other than tar and unzip into the state's directory.
	{cmd: "dpkg-deb -x /tmp/a.deb ."},
	{cmd: "dpkg -x /tmp/a.deb ../"},
	{cmd: "ar x /tmp/a.a"},
	{cmd: "cpio -idm < /tmp/a.cpio"},
	{cmd: "7z x /tmp/a.7z"},
	{cmd: "jar xf /tmp/a.jar"},
	{cmd: "pax -r < /tmp/a.pax"},
	{cmd: "python3 -m tarfile -e /tmp/a.tar ."},
	{cmd: "python3 -m zipfile -e /tmp/a.zip ."},
	{cmd: "7z x /tmp/a.7z \"-o$D\""},
}

var h70Allowed = []string{
	"CGO_CFLAGS='-O2 -g' go build ./...",
	"CGO_LDFLAGS='-L/usr/local/lib -lsqlite3' go build ./...",
	"CGO_ENABLED=0 go build -ldflags='-s -w -X main.version=1.2' ./...",
	"GOBIN=/tmp/bin go install ./cmd/x",
	"go env -w GOBIN=/tmp/bin",
	"ssh -N -L 8080:localhost:80 host",
	"dpkg-deb -x /tmp/a.deb /tmp/y",
	"ar t /tmp/a.a",
	"7z x /tmp/a.7z -o/tmp/y",
	"7z l /tmp/a.7z",
	"python3 -m tarfile -l /tmp/a.tar",
	"cpio -it < /tmp/a.cpio",
}

func TestHook70Refused(t *testing.T) {
	hookRefused(t, h70Refused)
}

func TestHook70Allowed(t *testing.T) {
	hookAllowed(t, h70Allowed)
}

// TestHook70BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook70BashRuns(t *testing.T) {
	hookBashRuns(t, h70Refused, bashRuns{line: h37Line})
}
