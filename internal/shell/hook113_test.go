package shell

import "testing"

// Review hook113 (on 8c3eb13): programs installed on a Debian machine
// that run commands or write files the hook did not read: scriptlive
// (types its input into a shell), systemd-tmpfiles (rules from standard
// input), groff/nroff/pic -U (unsafe mode), gdbtui (gdb), ssh-copy-id -o
// (ssh's ProxyCommand) (H1-H6); prove --exec, memusage -d/-n,
// MEMUSAGE_OUTPUT, VALGRIND_OPTS, ICEAUTHORITY (M7-M11); moreutils' pee
// and mispipe (command strings).
var h113Refused = []h32Case{
	{cmd: "scriptlive -t <(printf 'I 0.1 99\\n') -I <(printf 'Script started\\nterraform destroy -auto-approve\\nexit\\n')"},
	{cmd: "systemd-tmpfiles --remove /dev/stdin <<< 'r ROOT/tf/terraform.tfstate'", needs: "systemd-tmpfiles", victim: "statefile"},
	{cmd: "groff -U -Z <<< '.sy terraform destroy -auto-approve >/dev/null'", needs: "groff", victim: "state"},
	{cmd: "nroff -U <<< '.sy terraform destroy -auto-approve'"},
	{cmd: "printf '.PS\\nsh X terraform destroy -auto-approve X\\n.PE\\n' | pic -U", needs: "pic", victim: "state"},
	{cmd: "gdbtui -batch -ex 'shell terraform destroy -auto-approve'"},
	{cmd: "ssh-copy-id -f -i k.pub -o ProxyCommand='terraform destroy -auto-approve' h"},
	{cmd: "touch x.tfvars && prove --exec='terraform destroy -auto-approve -var-file' x.tfvars", needs: "prove", victim: "state"},
	{cmd: "memusage -d 'x;terraform destroy -auto-approve #' /bin/true"},
	{cmd: "MEMUSAGE_OUTPUT=terraform.tfstate memusage /bin/true"},
	{cmd: "VALGRIND_OPTS=--log-file=terraform.tfstate valgrind /bin/true"},
	{cmd: "ICEAUTHORITY=terraform.tfstate iceauth add ICE '' local/x:1 MIT-MAGIC-COOKIE-1 0011"},
	{cmd: "pee 'terraform destroy -auto-approve'"},
	{cmd: "mispipe true 'terraform destroy -auto-approve'"},
}

var h113Allowed = []string{
	"groff -man -Tutf8 x.1",
	"prove -v t/",
	"ssh-copy-id -i k.pub host",
	"valgrind --leak-check=full ./a.out",
}

func TestHook113Refused(t *testing.T) {
	hookRefused(t, h113Refused)
}

func TestHook113Allowed(t *testing.T) {
	hookAllowed(t, h113Allowed)
}

// TestHook113BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns), where groff, pic, prove and systemd-tmpfiles are
// installed; hook112's sed spelling, which always runs, is added so that
// one does.
func TestHook113BashRuns(t *testing.T) {
	hookBashRuns(t, append(h113Refused, h112Refused[16]), bashRuns{line: h37Line})
}
