package shell

import "testing"

// Review hook60: ssh fills %h, %r, %n in a ProxyCommand (F1), less and
// python's webbrowser fill %s in LESSOPEN and BROWSER (F2), with another
// word of the line before they run the command: the hook judged the
// template as written. Now each placeholder is filled with each word of
// the line and every filling judged.

var h60Refused = []h32Case{
	// F1
	{cmd: "ssh -o 'ProxyCommand=%h destroy -auto-approve -input=false' @TF@", needs: "ssh", victim: "state"},
	{cmd: "ssh -o 'ProxyCommand=cp ../e.json ../plan%h' guard.hcl", needs: "ssh", victim: "policy"},
	{cmd: "scp -o 'ProxyCommand=%h destroy -auto-approve' main.tf terraform:x"},
	{cmd: "git -c core.sshCommand=\"ssh -o 'ProxyCommand=%h destroy -auto-approve'\" ls-remote terraform:x"},
	{cmd: "ssh -o 'ProxyCommand=%r destroy -auto-approve' -l terraform host"},
	{cmd: "ssh -o 'ProxyCommand=cp /tmp/e ../plan%r' guard.hcl@host"},
	{cmd: "ssh -o 'KnownHostsCommand=%h destroy' terraform"},
	// F2
	{cmd: "LESSOPEN='terra%s destroy -auto-approve -input=false >/dev/null' less form", needs: "less", victim: "state"},
	{cmd: "LESSOPEN='cp ../e.json ../plan%s' less guard.hcl", needs: "less", victim: "policy"},
	{cmd: "BROWSER='env terra%s destroy -auto-approve' python3 -m webbrowser form"},
}

var h60Allowed = []string{
	"ssh -o ConnectTimeout=5 host uptime",
	"ssh -o 'ProxyCommand=ssh -W host:22 bastion' host uptime",
	"printf '%s\\n' done",
	"git -c core.sshCommand='ssh -i ~/.ssh/id_deploy' fetch",
	"ssh -o ProxyCommand='ssh -W %h:%p bastion' host uptime",
	"ssh -o 'ProxyCommand=nc %h %p' db.internal",
}

func TestHook60Refused(t *testing.T) {
	hookRefused(t, h60Refused)
}

func TestHook60Allowed(t *testing.T) {
	hookAllowed(t, h60Allowed)
}

// TestHook60BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook60BashRuns(t *testing.T) {
	hookBashRuns(t, h60Refused, bashRuns{line: h37Line})
}
