package shell

import "testing"

// Reviews hook67 and hook68 (side by side on 12223c3): an interactive
// shell fed a script expands history (hook67 H1: bash -i <<'EOF' … !:1-4;
// script); an alias value ending in a comment swallows the rest of its
// line (hook67 H2); go's -toolexec/-exec/-vettool, CC/CXX, GOFLAGS, GOENV
// (hook68 H1); ssh -o keywords split as OpenSSH splits them (H2); make
// variables with a # and environment variables with shell syntax (H3);
// duplicate linkers (H4); shells of other grammars (L1); go env -json and
// go env -w (a false refusal).

var h67Refused = []h32Case{
	// hook67 H1
	{cmd: "bash -i <<'EOF' 2>/dev/null\n: @TF@ destroy -auto-approve -input=false\n!:1-4\nEOF", victim: "state"},
	{cmd: "script -q /dev/null <<'EOF'\n: @TF@ destroy -auto-approve -input=false\n!:1-4\nexit\nEOF", needs: "script", victim: "state"},
	{cmd: "bash -is <<'EOF'\n: terraform destroy -auto-approve\n!:1-3\nEOF"},
	{cmd: "echo ': terraform destroy -auto-approve\n!:1-3' | bash -li"},
	{cmd: "bash -i <<< $': terraform destroy -auto-approve\\n!:1-3'"},
	{cmd: "script -q /dev/null <<< 'terraf\t destroy -auto-approve'"},
	{cmd: "echo ls | script -q /dev/null"},
	// hook67 H2
	{cmd: "sh -c \"alias a='echo X #'\na <<'E'\n@TF@ destroy -auto-approve -input=false\nE\n\"", victim: "state"},
	{cmd: "alias a='echo X #'\na \"\nterraform destroy -auto-approve\n#\""},
	{cmd: "alias a='echo X # c'"},
	// hook68 H1
	{cmd: "go build -toolexec 'sh -c \"@TF@ destroy -auto-approve -input=false\"' fmt", needs: "go", victim: "state"},
	{cmd: "go install -toolexec 'sh -c \"terraform destroy -auto-approve\"' ./..."},
	{cmd: "go list -toolexec='sh -c \"terraform destroy -auto-approve\"' -export fmt"},
	{cmd: "go run -exec 'sh -c \"terraform destroy -auto-approve\"' ./x"},
	{cmd: "go test -exec='terraform destroy -auto-approve' ./..."},
	{cmd: "go test --exec \"$X\" ./..."},
	{cmd: "go vet -vettool=/bin/sh ./..."},
	{cmd: "CC='sh -c \"terraform destroy -auto-approve -input=false\"' go build -a runtime/cgo"},
	{cmd: "CXX='sh -c \"terraform destroy -auto-approve\"' go build ./..."},
	{cmd: "GOFLAGS=-toolexec=/tmp/t go build ./..."},
	{cmd: "GOENV=/tmp/goenv go build ./..."},
	{cmd: "go env -w CC=/tmp/cc"},
	{cmd: "go env -w GOFLAGS=-toolexec=/tmp/t"},
	// hook68 H2
	{cmd: "ssh -o '\"ProxyCommand\"=@TF@ destroy -auto-approve -input=false' h true", needs: "ssh", victim: "state"},
	{cmd: "ssh -o 'ProxyCommand @TF@ destroy -auto-approve -input=false' h true", needs: "ssh", victim: "state"},
	{cmd: "ssh -o $'ProxyCommand\\tterraform destroy -auto-approve' h true"},
	{cmd: "scp -o 'ProxyCommand terraform destroy -auto-approve' a h:b"},
	{cmd: "ssh -o '\"LocalCommand\"=terraform destroy -auto-approve' -o PermitLocalCommand=yes h"},
	{cmd: "ssh -o '\"UserKnownHostsFile\"=../planguard.hcl' h"},
	// hook68 H3
	{cmd: "touch x.c; make CC='@TF@ destroy -auto-approve -input=false #' x.o", needs: "make", victim: "state"},
	{cmd: "touch x.c; make CFLAGS='#' CC='@TF@ destroy -auto-approve -input=false' x.o", needs: "make", victim: "state"},
	{cmd: "touch x.c; CC='@TF@ destroy -auto-approve -input=false;' make x.o", needs: "make", victim: "state"},
	{cmd: "export CC='terraform destroy -auto-approve;'; make x.o"},
	{cmd: "env CC='terraform destroy -auto-approve #' make x.o"},
	// hook68 H4
	{cmd: "cp terraform.tfstate x.json && hardlink -c . && : > x.json", needs: "hardlink", victim: "statefile"},
	{cmd: "jdupes -rL ."},
	{cmd: "fdupes -rdN ."},
	{cmd: "rdfind -makehardlinks true ."},
	{cmd: "hardlink \"$D\""},
	// hook68 L1
	{cmd: "busybox hush -c 'terraform destroy -auto-approve'"},
	{cmd: "tcsh -c 'terraform destroy -auto-approve'"},
	{cmd: "posh -c 'terraform destroy -auto-approve'"},
	{cmd: "lksh -c 'terraform destroy -auto-approve'"},
	{cmd: "elvish -c 'terraform destroy -auto-approve'"},
	{cmd: "xonsh -c 'echo hi'"},
}

var h67Allowed = []string{
	"bash -i -c 'echo hi'",
	"bash <<'EOF'\necho 'hi!'\nEOF",
	"alias ll='ls -la'",
	"go build ./...",
	"go test -count=1 -run TestX ./internal/...",
	"go env GOPATH",
	"go env -json",
	"go env -w GOPRIVATE=github.com/acme/*",
	"go vet ./...",
	"CC=clang go build ./...",
	"GOFLAGS=-mod=mod go build ./...",
	"ssh -o 'ServerAliveInterval 30' -o ConnectTimeout=5 host uptime",
	"ssh -o ProxyCommand='ssh -W %h:%p bastion' host uptime",
	"make CC=clang CFLAGS=-O2 all",
	"CFLAGS=-O2 make",
	"hardlink -n .",
	"jdupes -r .",
	"fdupes -r .",
}

func TestHook67Refused(t *testing.T) {
	hookRefused(t, h67Refused)
}

func TestHook67Allowed(t *testing.T) {
	hookAllowed(t, h67Allowed)
}

// TestHook67BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook67BashRuns(t *testing.T) {
	hookBashRuns(t, h67Refused, bashRuns{line: h37Line})
}
