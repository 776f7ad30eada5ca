package shell

import "testing"

// The medium findings left open at stop 35 (reviews hook121–hook130, not
// run there for want of the tools): a root or bind given to unshare -R,
// nsenter --root, systemd-run -p RootDirectory=/BindPaths=, container
// tools without a row of their own (ctr --mount, lxc/incus disk devices,
// minikube mount), COMPOSE_FILE, and a program named in a property
// (mvn -Dexec.executable=terraform, its arguments in -Dexec.args).
//
// Review hook133 (on a777077): init's -backend read as Go's flag package
// reads it, the last one winning (H1). Review hook136: a sourced script
// may assign any variable the line set before (H1).
var h131Refused = []h32Case{
	{cmd: `printf 'terraform {\n  backend "local" {\n    path = "./terraform.tfstate"\n  }\n}\n' > be.tf && @TF@ init -input=false -backend=false -backend=true`, victim: "statefile"},
	{cmd: "echo > x.tf; @TF@ init -backend=false -backend"},
	{cmd: "echo > x.tf; @TF@ init -backend=0 -backend=1"},
	{cmd: "echo > x.tf; @TF@ init --backend=false -backend=true"},
	{cmd: "echo > x.tf; @TF@ init -input=false -reconfigure -plugin-dir -backend=false"},
	{cmd: "echo > x.tf; @TF@ init -backend=false -cloud=false"},
	// Review hook140 H1: -no-color and -compact-warnings are removed
	// before the flags are parsed.
	{cmd: "@TF@ plan -out -no-color terraform.tfstate", victim: "statefile"},
	{cmd: "@TF@ plan -out -no-color ../planguard.hcl"},
	{cmd: "@TF@ plan -out -compact-warnings terraform.tfstate"},
	{cmd: "@TF@ plan -generate-config-out -no-color ~/.bash_profile"},
	{cmd: `printf 'terraform {\n  backend "local" {\n    path = "./terraform.tfstate"\n  }\n}\n' > be.tf && @TF@ init -input=false -plugin-dir -no-color -backend=false`, victim: "statefile"},
	{cmd: "@TF@ providers mirror -platform -no-color .."},
	{cmd: "P=echo; . ./vars.env; $P @TF@ destroy -auto-approve", setup: "echo P= > vars.env", victim: "state"},
	{cmd: "P=echo; builtin . ./vars.env; $P @TF@ destroy -auto-approve"},
	{cmd: "P=echo; command source ./vars.env; $P @TF@ destroy -auto-approve"},
	{cmd: "P=echo; source /dev/stdin < vars.env; $P @TF@ destroy -auto-approve", setup: "echo P= > vars.env", victim: "state"},
	{cmd: "P=.bak; . ./vars.env; echo evil > ../planguard.hcl$P", setup: "echo P= > vars.env", victim: "policy"},
	{cmd: "unshare -R .. /bb truncate -s0 /planguard.hcl"},
	{cmd: "unshare -fR.. /bb truncate -s0 /planguard.hcl"},
	{cmd: "unshare --root=.. /bb truncate -s0 /planguard.hcl"},
	{cmd: "unshare --ro .. /bb truncate -s0 /planguard.hcl"},
	{cmd: "unshare -w /tmp -R .. /bb truncate -s0 /planguard.hcl"},
	{cmd: `unshare -r "$o" .. /bb rm /tf/terraform.tfstate`},
	{cmd: "nsenter --root=.. /bb truncate -s0 /planguard.hcl"},
	{cmd: "nsenter -r.. /bb truncate -s0 /planguard.hcl"},
	{cmd: "systemd-run -p BindPaths=..:/mnt --wait /bin/rm /mnt/allowed_signers"},
	{cmd: "systemd-run --property=BindPaths=-..:/m /bin/rm /m/planguard.hcl"},
	{cmd: "systemd-run -pRootDirectory=.. /bb rm /planguard.hcl"},
	{cmd: "ctr run --mount type=bind,src=..,dst=/w,options=rbind:rw img id rm /w/planguard.hcl"},
	{cmd: "lxc config device add c d disk source=$PWD path=/w"},
	{cmd: "incus config device add c d disk source=.. path=/w"},
	{cmd: "minikube mount ..:/w"},
	{cmd: "echo x > c.yml; COMPOSE_FILE=c.yml docker compose up"},
	{cmd: "mvn exec:exec -Dexec.executable=terraform -Dexec.args='destroy -auto-approve'"},
}

var h131Allowed = []string{
	// The agents' way to commit (Claude Code's): a message computed by a
	// here-document (a false refusal until now: "may write *").
	"git commit -m \"$(cat <<'EOF'\nFix the thing\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nEOF\n)\"",
	`git commit -am "$(date)"`,
	`git commit -qm "$msg" && git push`,
	`git commit --message="$msg"`,
	`git tag -a v1 -m "$msg"`,
	`git stash push -m "$msg"`,
	"terraform init -backend=false",
	"terraform init -no-color -backend=false",
	"terraform plan -no-color -out tfplan",
	"terraform init -input=false -backend=false -upgrade",
	"echo > x.tf; terraform init -cloud=false",
	"source venv/bin/activate && pip install -r requirements.txt",
	"set -a; . ./.env; set +a; terraform plan -out tfplan",
	"unshare -r grep -R x .",
	"unshare -r id",
	"nsenter -t 1 -m ls",
	"systemd-run -p BindReadOnlyPaths=..:/m true",
	"systemd-run --user --wait true",
	"minikube mount /tmp/data:/data",
	"incus config device add c d disk source=/srv/data path=/x",
	"lxc list",
	"ctr images ls",
	"mvn -Dmaven.test.skip=true package",
	"cmake -DCMAKE_C_COMPILER=gcc .",
	"cmake -DPython3_EXECUTABLE=python3 ..",
	"gradle -Pcmd=bash run",
	"java -Dfile.encoding=UTF-8 -jar app.jar",
	"docker compose -f compose.yml up",
}

func TestHook131Refused(t *testing.T) {
	hookRefused(t, h131Refused)
}

func TestHook131Allowed(t *testing.T) {
	hookAllowed(t, h131Allowed)
}

// TestHook131BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): terraform init empties the state it "migrates" to
// itself; the sourced file sets P to nothing.
func TestHook131BashRuns(t *testing.T) {
	hookBashRuns(t, h131Refused, bashRuns{line: h37Line})
}
