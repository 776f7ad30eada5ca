package shell

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// Review hook50 (issue 17, hook round 50): git's other command variables
// (H1), SHELL naming the -c text's interpreter (H2), optional option values
// read as taking the next word (H3 watch -d, H4 strace --quiet), options
// missing from ssh's and sftp's rows (H5 -B, H6 -s), git config
// --rename-section (H7), init rewriting the pinned lock file (M1), apt's
// and dpkg's hooks (L1).

var h50Refused = []h32Case{
	// H1
	{cmd: "GIT_TEST_FSMONITOR='@TF@ -chdir=tf destroy -auto-approve -input=false >/dev/null 2>&1; :' git status", setup: "git add main.tf", victim: "state"},
	{cmd: "export GIT_TEST_FSMONITOR='@TF@ -chdir=tf destroy -auto-approve -input=false >/dev/null 2>&1; :'; git diff", setup: "git add main.tf", victim: "state"},
	{cmd: "GIT_DIFFTOOL_EXTCMD='terraform destroy -auto-approve' git difftool -y"},
	{cmd: "GIT_TEST_MAINT_SCHEDULER='crontab:sh -c x' git maintenance start"},
	{cmd: "env GIT_TEST_FSMONITOR=x git status"},
	{cmd: "declare -x GIT_CEILING_DIRECTORIES=/; git status"},
	{cmd: "read GIT_TEST_FSMONITOR; git status"},
	// H2
	{cmd: "SHELL=/usr/bin/python3 flock /tmp/l -c 'import os\n@os.system\n@\"@TF@ \" \"destroy -auto-approve -input=false\".format\nclass A:0'", needs: "flock", victim: "state"},
	{cmd: "SHELL=/usr/bin/python3 script -qc 'import os' /dev/null"},
	{cmd: "export SHELL=/usr/bin/python3; flock /tmp/l -c 'import os'"},
	{cmd: "env SHELL=/usr/bin/python3 flock /tmp/l -c 'import os'"},
	// H3. LINES and COLUMNS give watch a screen the whole destroy output fits
	// on: with 24 lines watch stops reading once its screen is full and the
	// closed pipe kills terraform mid-apply (SIGPIPE), which made the run flaky
	// on a loaded CI machine.
	{cmd: "TERM=xterm LINES=200 COLUMNS=200 timeout 120 watch -g -dn @TF@ destroy -auto-approve -input=false", needs: "watch", victim: "state"},
	{cmd: "watch -d1 terraform destroy -auto-approve"},
	{cmd: "watch --differences=x terraform destroy -auto-approve"},
	{cmd: "watch --frobnicate x terraform destroy"},
	// H4
	{cmd: "strace -o /dev/null --quiet @TF@ destroy -auto-approve -input=false", needs: "strace", victim: "state"},
	{cmd: "strace -o /dev/null --decode-fds @TF@ destroy -auto-approve -input=false", needs: "strace", victim: "state"},
	{cmd: "strace --silence terraform destroy -auto-approve"},
	{cmd: "strace --syscall-times terraform destroy -auto-approve"},
	{cmd: "strace --frobnicate x terraform destroy -auto-approve"},
	// H5, H6
	{cmd: "ssh -B lo somehost -o 'ProxyCommand=@TF@ destroy -auto-approve -input=false' true", needs: "ssh", victim: "state"},
	{cmd: "ssh -P tag somehost -o 'ProxyCommand=terraform destroy -auto-approve' true"},
	{cmd: "sftp -s x -D 'sh -c \"@TF@ destroy -auto-approve -input=false >/dev/null 2>&1 </dev/null\"' somehost", needs: "sftp", victim: "state"},
	// H7
	{cmd: "git config x.fsmonitor '@TF@ -chdir=tf destroy -auto-approve -input=false >/dev/null 2>&1; :' && git config --rename-section x core && git add main.tf && git status", victim: "state"},
	{cmd: "git config --ren x core"},
	{cmd: "git config rename-section x core"},
	{cmd: "git config --global --rename-section x include"},
	{cmd: "X=--rename-section; git config $X x core"},
	// L1
	{cmd: "dpkg --post-invoke='terraform destroy -auto-approve' --configure -a"},
	{cmd: "apt-get -o 'APT::Update::Pre-Invoke::=terraform destroy -auto-approve' update"},
	{cmd: "apt-get -o 'DPkg::Options::=--post-invoke=x' install foo"},
	{cmd: "apt-get -c /tmp/apt.conf update"},
}

var h50Allowed = []string{
	"GIT_AUTHOR_NAME=bot GIT_AUTHOR_EMAIL=bot@example.com git commit -m fix",
	"GIT_TERMINAL_PROMPT=0 git fetch",
	"git config user.name bot",
	"git config --get core.editor",
	"watch -n 5 terraform plan",
	"watch -d terraform plan",
	"strace -o /tmp/t.txt -f terraform plan",
	"strace -qq -e trace=openat terraform plan",
	"ssh host uptime",
	"ssh -p 2222 -i ~/.ssh/id host uptime",
	"apt-get install -y jq",
	"apt-cache policy jq",
	"dpkg -l",
	"terraform init",
	"terraform providers lock -platform=linux_amd64",
}

func TestHook50Refused(t *testing.T) {
	hookRefused(t, h50Refused)
}

func TestHook50Allowed(t *testing.T) {
	hookAllowed(t, h50Allowed)
}

// TestHook50LockFile: the policy's lock_file in the directory init runs in
// (M1): init, init -upgrade and providers lock rewrite it.
func TestHook50LockFile(t *testing.T) {
	opts := h32Opts("/work")
	opts.Protected = append(opts.Protected, "/work/tf/.terraform.lock.hcl")
	for _, cmd := range []string{"terraform init -input=false", "terraform init -upgrade", "terraform providers lock",
		"cd /work/tf && tofu init", "terraform -chdir=../tf init", "terraform -chdir=$(cat d) init"} {
		if r := Analyze(cmd, opts); r.Allowed() {
			t.Errorf("allowed, want refused (lock_file): %q", cmd)
		}
	}
	for _, cmd := range []string{"terraform -chdir=../other init", "terraform plan", "terraform providers"} {
		if r := Analyze(cmd, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", cmd, r.Refused)
		}
	}
}

// TestHook50SSHRowsMatchUsage reads the value-taking options from the
// installed OpenSSH clients' own usage text ([-B bind_interface]) and
// checks that the hook's rows read each as taking a value (H5, H6): a
// missing one moves where the hook thinks the destination is.
func TestHook50SSHRowsMatchUsage(t *testing.T) {
	re := regexp.MustCompile(`\[-([A-Za-z0-9]) [^]]+\]`)
	for _, name := range []string{"ssh", "scp", "sftp"} {
		bin, err := exec.LookPath(name)
		if err != nil {
			t.Logf("%s not found here", name)
			continue
		}
		out, _ := exec.Command(bin, "-\x01").CombinedOutput() // an unknown option prints the usage
		if !strings.Contains(string(out), "usage:") {
			t.Fatalf("%s printed no usage: %s", name, out)
		}
		p := programs[name]
		takes := p.short + strings.Join(p.code, "") + strings.Join(p.opaque, "") + strings.Join(p.keyed, "")
		n := 0
		for _, m := range re.FindAllStringSubmatch(string(out), -1) {
			n++
			if !strings.Contains(takes, m[1]) {
				t.Errorf("%s -%s takes a value (its usage: %s) but the hook's row does not read one", name, m[1], m[0])
			}
		}
		if n < 5 {
			t.Errorf("%s: only %d value options found in its usage: %s", name, n, out)
		}
	}
}

// TestHook50BashRuns runs the spellings with a victim in bash over a real
// applied state, in a git repository (hookBashRuns; git runs fsmonitor at
// the top of the work tree, hence -chdir=tf).
func TestHook50BashRuns(t *testing.T) {
	hookBashRuns(t, h50Refused, bashRuns{gitRepo: true, line: h37Line})
}
