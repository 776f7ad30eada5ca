package shell

import "testing"

// Review hook52 (issue 17, hook round 52): what programs do that their
// rows did not say — TF_TEMP_LOG_PATH, terraform's always-on trace log
// (H1), man -C's DEFINE commands (H2), tar's absolute names and top-level
// directory (H3), LESSGLOBALTAGS (H4), sed -i/perl -i backup suffixes
// (H5), SYSTEM_WGETRC (H6).

var h52Refused = []h32Case{
	// H1
	{cmd: "TF_TEMP_LOG_PATH=terraform.tfstate @TF@ version", victim: "statefile"},
	{cmd: "TF_TEMP_LOG_PATH=../planguard.hcl tofu version"},
	{cmd: "export TF_TEMP_LOG_PATH=../planguard.hcl; terraform version"},
	// H2
	{cmd: "printf 'DEFINE tbl sh -c x\\n' > /tmp/m.conf; man -C /tmp/m.conf -l /usr/share/man/man1/ls.1.gz"},
	{cmd: "man --config-file=/tmp/m.conf ls"},
	// H3
	{cmd: "tar -C safe -xPf e.tar --transform='s,^,ROOT/,'", setup: "mkdir -p ev safe && printf 'evil\\n' > ev/planguard.hcl && tar -cf e.tar -C ev planguard.hcl", victim: "policy"},
	{cmd: "tar -C safe -xf e.tar --one-top-level=../..", setup: "mkdir -p ev safe && printf 'evil\\n' > ev/planguard.hcl && tar -cf e.tar -C ev planguard.hcl", victim: "policy"},
	{cmd: "tar --absolute-names -x -f e.tar -C /tmp/x"},
	{cmd: "tar -x --abs -f e.tar"},
	// H4
	{cmd: "script -qc \"LESSGLOBALTAGS='@TF@ destroy -auto-approve -input=false >/dev/null 2>&1 #' less -t x\" /dev/null </dev/null", needs: "less", victim: "state"},
	{cmd: "LESSGLOBALTAGS='terraform destroy -auto-approve #' less -t x"},
	// H5
	{cmd: "printf 'evil\\n' > planguard && sed -i'../*.hcl' '' planguard", victim: "policy"},
	{cmd: "printf 'evil\\n' > planguard && sed --in-place='../*.hcl' '' planguard", victim: "policy"},
	{cmd: "printf 'x\\n' > terraform && sed -i.tfstate '' terraform", victim: "statefile"},
	{cmd: "printf 'evil\\n' > planguard && perl -pi'../*.hcl' /dev/null planguard", victim: "policy"},
	{cmd: "sed -i.hcl '' ../planguard"},
	{cmd: "sed -i\"$S\" '' notes.txt"},
	// H6
	{cmd: "printf 'output_document = ../planguard.hcl\\n' > /tmp/w.rc && SYSTEM_WGETRC=/tmp/w.rc wget -q http://127.0.0.1:8766/e.json"},
}

var h52Allowed = []string{
	"sed -i.bak 's/a/b/' main.tf",
	"sed -i 's/a/b/' main.tf",
	"perl -pi.orig fix.pl main.tf",
	"tar -C /tmp/x -xzf a.tgz",
	"tar xzf /tmp/a.tgz -C /tmp/out",
	"man ls",
	"less -N main.tf",
	"TF_LOG=debug terraform plan",
	"wget -O /tmp/x.tgz https://example.com/x.tgz",
}

func TestHook52Refused(t *testing.T) {
	hookRefused(t, h52Refused)
}

func TestHook52Allowed(t *testing.T) {
	hookAllowed(t, h52Allowed)
}

// TestHook52BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook52BashRuns(t *testing.T) {
	hookBashRuns(t, h52Refused, bashRuns{line: h37Line})
}
