package shell

import "testing"

// The medium findings left open at stop 35 (reviews hook121–hook130, not
// run there for want of the tools): a root or bind given to unshare -R,
// nsenter --root, systemd-run -p RootDirectory=/BindPaths=, container
// tools without a row of their own (ctr --mount, lxc/incus disk devices,
// minikube mount), COMPOSE_FILE, and a program named in a property
// (mvn -Dexec.executable=terraform, its arguments in -Dexec.args).
var h131Refused = []h32Case{
	{cmd: "unshare -R .. /bb rm /tf/terraform.tfstate"},
	{cmd: "unshare -fR.. /bb rm /tf/terraform.tfstate"},
	{cmd: "unshare --root=.. /bb rm /tf/terraform.tfstate"},
	{cmd: "unshare --ro .. /bb rm /tf/terraform.tfstate"},
	{cmd: "unshare -w /tmp -R .. /bb rm /tf/terraform.tfstate"},
	{cmd: `unshare -r "$o" .. /bb rm /tf/terraform.tfstate`},
	{cmd: "nsenter --root=.. /bb rm /tf/terraform.tfstate"},
	{cmd: "nsenter -r.. /bb rm /tf/terraform.tfstate"},
	{cmd: "systemd-run -p BindPaths=..:/mnt --wait /bin/rm /mnt/tf/terraform.tfstate"},
	{cmd: "systemd-run --property=BindPaths=-..:/m /bin/rm /m/planguard.hcl"},
	{cmd: "systemd-run -pRootDirectory=.. /bb rm /planguard.hcl"},
	{cmd: "ctr run --mount type=bind,src=..,dst=/w,options=rbind:rw img id rm /w/planguard.hcl"},
	{cmd: "lxc config device add c d disk source=$PWD path=/w"},
	{cmd: "incus config device add c d disk source=.. path=/w"},
	{cmd: "minikube mount ..:/w"},
	{cmd: "echo x > c.yml; COMPOSE_FILE=c.yml docker compose up"},
	{cmd: "mvn exec:exec -Dexec.executable=terraform -Dexec.args='destroy -auto-approve'"},
	{cmd: "gradle -Pcmd=bash run"},
}

var h131Allowed = []string{
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
	"java -Dfile.encoding=UTF-8 -jar app.jar",
	"docker compose -f compose.yml up",
}

func TestHook131Refused(t *testing.T) {
	hookRefused(t, h131Refused)
}

func TestHook131Allowed(t *testing.T) {
	hookAllowed(t, h131Allowed)
}
