package shell

import "testing"

// Review hook54 (issue 17, hook round 54): names programs compute (F1
// rename, F2 gunzip -N, F3 xz --files/zstd --filelist, F9 zstd
// --output-dir-mirror), mktemp in a TMPDIR the line sets (F4), the
// environment strace -E and xargs --process-slot-var set (F5, F6), dpkg
// --log (F7) and APT_CONFIG (F8).

var h54Refused = []h32Case{
	// F1
	{cmd: "printf 'evil\\n' > plXguard.hcl && rename.ul X an plXguard.hcl && mv planguard.hcl ../planguard.hcl"},
	{cmd: "printf 'x\\n' > terraformXtfstate && rename.ul Xt .t terraformXtfstate", victim: "statefile"},
	{cmd: "ln -s ../plXnguard.hcl p && rename.ul -s X a p"},
	{cmd: "rename 's/X/./' terraformXtfstate"},
	// F2
	{cmd: "printf 'x\\n' > terraformXtfstate && gzip terraformXtfstate && sed -i s/terraformXtfstate/terraform.tfstate/ terraformXtfstate.gz && gunzip -N -f terraformXtfstate.gz", victim: "statefile"},
	{cmd: "gzip -dNf x.gz"},
	{cmd: "gunzip --name x.gz"},
	// F3
	{cmd: "printf 'terraform.tfstate\\n' > l && xz --files=l", victim: "statefile"},
	{cmd: "printf 'terraform.tfstate\\n' > l && zstd -q --rm --filelist l", needs: "zstd", victim: "statefile"},
	// F4
	{cmd: "export TMPDIR=..; t=$(mktemp --suffix=.hcl) && cat ../e.json > \"$t\""},
	{cmd: "TMPDIR=~/.bashrc.d; export TMPDIR; t=$(mktemp) && echo x > \"$t\""},
	// F5
	{cmd: "strace -f -o /dev/null -E 'BASH_ENV=$(@TF@ destroy -auto-approve -input=false >&2)' bash -c true", needs: "strace", victim: "state"},
	{cmd: "strace -o /dev/null --env='GIT_EXTERNAL_DIFF=sh -c \"terraform destroy\" x' git diff"},
	{cmd: "strace -o /dev/null -E TF_CLI_ARGS_init=-force-copy terraform init"},
	{cmd: "strace -E \"$X\" true"},
	// F6
	{cmd: "echo main.tf | xargs --process-slot-var=GIT_CONFIG_GLOBAL git status"},
	{cmd: "echo x | xargs --process-slot-var=BASH_ENV bash -c true"},
	// F7
	{cmd: "dpkg --log=../planguard.hcl --configure -a"},
	{cmd: "dpkg --force-not-root --admindir=/tmp/adm --log=terraform.tfstate --configure -a"},
	// F8
	{cmd: "APT_CONFIG=/tmp/a.conf apt-get -q update"},
	// F9
	{cmd: "zstd -q -d -f --output-dir-mirror=/work policy/planguard.hcl.zst"},
	{cmd: "zstd -d --output-dir-flat=.. planguard.hcl.zst"},
}

var h54Allowed = []string{
	"gzip -k big.log",
	"gunzip -f /tmp/x.gz",
	"xz -d /tmp/x.xz",
	"zstd -d /tmp/x.zst -o /tmp/x",
	"t=$(mktemp); terraform show tfplan > \"$t\"",
	"strace -o /tmp/t.txt -f terraform plan",
	"strace -E TERM -o /tmp/t terraform plan",
	"echo a b | xargs -n1 echo",
	"dpkg -l",
	"apt-get install -y jq",
}

func TestHook54Refused(t *testing.T) {
	hookRefused(t, h54Refused)
}

func TestHook54Allowed(t *testing.T) {
	hookAllowed(t, h54Allowed)
}

// TestHook54BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook54BashRuns(t *testing.T) {
	hookBashRuns(t, h54Refused, bashRuns{line: h37Line})
}
