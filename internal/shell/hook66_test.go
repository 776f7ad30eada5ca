package shell

import (
	"os/exec"
	"strings"
	"testing"
)

// Review hook66 (on 8993b0b): ssh pastes a -J/ProxyJump hop unquoted into
// a command it runs with the shell (H1); rsync passes a remote host that
// starts with a dash to ssh as an option (H2); unzip -: keeps ../ in
// member names (L1). M1 (~/.terraform.d) is tested through the hook
// command (planguard/hook66_test.go).

var h66Refused = []h32Case{
	// H1
	{cmd: "ssh -J 'x$(terraform${IFS}destroy${IFS}-auto-approve${IFS}-input=false)' y true", needs: "ssh", victim: "state"},
	{cmd: "ssh -J 'ssh://u%24%28terraform%20destroy%20-auto-approve%20-input=false%29@h' y true", needs: "ssh", victim: "state"},
	{cmd: "ssh -o ProxyJump='x$(terraform${IFS}destroy${IFS}-auto-approve)' y true"},
	{cmd: "ssh -J 'u$(terraform${IFS}destroy${IFS}-auto-approve)@h' y true"},
	{cmd: "scp -J 'x$(terraform${IFS}destroy${IFS}-auto-approve)' main.tf y:z"},
	{cmd: "sftp -J 'x$(terraform${IFS}destroy${IFS}-auto-approve)' y"},
	{cmd: "ssh -J -oProxyCommand=x y"},
	{cmd: "ssh -J \"$J\" y"},
	// H2
	{cmd: "rsync --protocol=29 --rsync-path=-S -- main.tf '-oProxyCommand=terraform destroy -auto-approve -input=false:x'", needs: "rsync", victim: "state"},
	{cmd: "rsync -- main.tf '-oProxyCommand=terraform destroy -auto-approve:x'"},
	{cmd: "rsync -a -- 'u@-oProxyCommand=x:y' ."},
	// L1
	{cmd: "unzip -o -: /tmp/evil.zip -d /tmp/y"},
	{cmd: "unzip -:o /tmp/evil.zip"},
}

var h66Allowed = []string{
	"ssh -J bastion db.internal uptime",
	"ssh -J deploy@bastion:2222,jump2 db.internal uptime",
	"ssh -o ProxyJump=none host uptime",
	"scp -J bastion main.tf db:/tmp/",
	"rsync -av src/ deploy@db.internal:/srv/app/",
	"rsync -av rsync://mirror.example.org/debian/ /tmp/m/",
	"unzip -o /tmp/x.zip -d /tmp/y",
}

func TestHook66Refused(t *testing.T) {
	hookRefused(t, h66Refused)
}

func TestHook66Allowed(t *testing.T) {
	hookAllowed(t, h66Allowed)
}

// TestHook66BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
//
// OpenSSH 9.2p1-2+deb12u10 and later check -J's user and host names before
// they reach a shell (parse_jump: invalid hostname): there the spellings
// are no attack and are not run; the hook still refuses them
// (TestHook66Refused), for the ssh that does not check.
func TestHook66BashRuns(t *testing.T) {
	cases := h66Refused
	if ssh, err := exec.LookPath("ssh"); err == nil {
		out, _ := exec.Command(ssh, "-G", "-J", "x$(true)", "y").CombinedOutput()
		if strings.Contains(string(out), "invalid hostname") || strings.Contains(string(out), "Invalid -J argument") {
			t.Logf("this ssh checks -J's names (%s): its spellings are not run", strings.TrimSpace(string(out)))
			cases = nil
			for _, c := range h66Refused {
				if !strings.HasPrefix(c.cmd, "ssh -J") {
					cases = append(cases, c)
				}
			}
		}
	}
	hookBashRuns(t, cases, bashRuns{line: h37Line})
}
