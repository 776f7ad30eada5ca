package shell

import "testing"

// Review hook116 (on 3fe74e9): an unknown wrapper's own `--` before a
// shell's -c (start-stop-daemon -x /bin/sh -- -c: H1); rsync's other side
// run through env, here (H2); screen's options read letter by letter
// (-dmS S CMD: H3) and -Logfile (H4); vim's clustered -nc, -Nu, -nS (H5);
// uudecode writing the name its input gives (H6); a shell an unknown
// program connects to a socket (nc -e sh, socat EXEC:, ncat --sh-exec: H7);
// BusyBox's nuke (H8); tmux list-keys, which starts a server that reads
// ~/.tmux.conf, and screen -c, SCREENRC (M1, M2). The startup files are
// protected by the hook command (planguard/hook116_test.go).
var h116Refused = []h32Case{
	{cmd: "start-stop-daemon -S -d . -p ./nopid -x /bin/sh -- -c '@TF@ destroy -auto-approve'", needs: "start-stop-daemon", victim: "state"},
	{cmd: "start-stop-daemon -S -p ./nopid -x /usr/bin/python3 -- -c 'import os'"},
	{cmd: "busybox start-stop-daemon -S -p ./nopid -x /bin/sh -- -c '@TF@ destroy -auto-approve'", needs: "busybox", victim: "state"},
	{cmd: "rsync -e env e.txt 'env:../planguard.hcl'", setup: "printf 'evil\\n' > e.txt", needs: "rsync", victim: "policy"},
	{cmd: "RSYNC_RSH=env rsync e.txt 'env:terraform.tfstate'", setup: "printf 'evil\\n' > e.txt", needs: "rsync", victim: "statefile"},
	{cmd: "rsync -e env --remove-source-files 'env:terraform.tfstate' /tmp/h116-x", needs: "rsync", victim: "statefile"},
	{cmd: "rsync -e nice e.txt 'nice:../planguard.hcl'"},
	{cmd: "rsync e.txt 'localhost:/work/planguard.hcl'"},
	{cmd: "screen -DmS S @TF@ destroy -auto-approve", needs: "screen", victim: "state"},
	{cmd: "screen -Dm -S xS @TF@ destroy -auto-approve", needs: "screen", victim: "state"},
	{cmd: "screen -dmL -Logfile ~/.bashrc sh -c 'echo x'"},
	{cmd: "screen -dm -c /tmp/rc"},
	{cmd: "SCREENRC=/tmp/rc screen -dmS x"},
	{cmd: "screen -dm -s /bin/sh"},
	{cmd: "screen -dmZ x"},
	{cmd: "vim -es -nc '!@TF@ destroy -auto-approve' -nc 'qa!' main.tf", needs: "vim", victim: "state"},
	{cmd: "ex -nc '!@TF@ destroy -auto-approve' -nc 'qa!' main.tf", needs: "ex", victim: "state"},
	{cmd: "vim -Nu /tmp/x.vim"},
	{cmd: "vim -nS /tmp/x.vim"},
	{cmd: "printf 'begin-base64 644 ../planguard.hcl\\nZXZpbAo=\\n====\\n' | busybox uudecode", needs: "busybox", victim: "policy"},
	{cmd: "printf 'begin-base64 644 terraform.tfstate\\n====\\n' | uudecode"},
	{cmd: "uudecode -o ../planguard.hcl x.uu"},
	{cmd: "busybox nc -lp 5116 -e sh & sleep 1; echo '@TF@ destroy -auto-approve' | busybox nc 127.0.0.1 5116"},
	{cmd: "ncat -l 5116 -e /bin/bash"},
	{cmd: "ncat -l 5116 --sh-exec 'cat'"},
	{cmd: "socat TCP-LISTEN:5116 EXEC:sh"},
	{cmd: "socat - SYSTEM:'@TF@ destroy -auto-approve'"},
	{cmd: "busybox nuke .", needs: "busybox", victim: "statefile"},
	{cmd: "busybox nuke .."},
	{cmd: "tmux list-keys"},
	{cmd: "tmux -L x lscm"},
}

var h116Allowed = []string{
	"screen -ls",
	"screen -dmS build make test",
	"screen -r",
	"tmux ls",
	"vim -R main.tf",
	"vim -o2 a b",
	"uudecode -o out.bin x.uu",
	"busybox nuke build",
	"nc -zv db.internal 5432",
	"socat - TCP:db.internal:80",
	"rsync -av ./dist/ server:/var/www/",
	"rsync -e 'ssh -p 2222' -av dist/ server:www/",
	"start-stop-daemon -S -p ./app.pid -x /usr/bin/python3 -- app.py",
}

func TestHook116Refused(t *testing.T) {
	hookRefused(t, h116Refused)
}

func TestHook116Allowed(t *testing.T) {
	hookAllowed(t, h116Allowed)
}

// TestHook116BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): start-stop-daemon comes with dpkg; .ci/run installs
// busybox, rsync, screen and vim.
func TestHook116BashRuns(t *testing.T) {
	hookBashRuns(t, h116Refused, bashRuns{line: h37Line})
}

// After hook116 H8: other removers of their operands that the rule for
// unknown programs let name the working directory or the one above it.
var h116bRefused = []h32Case{
	{cmd: "rmtrash ."},
	{cmd: "gio move .. /tmp/x"},
	{cmd: "gio remove -f terraform.tfstate"},
	{cmd: "kioclient5 move . /tmp"},
}

func TestHook116bRefused(t *testing.T) {
	hookRefused(t, h116bRefused)
	hookAllowed(t, []string{"gio list .", "gio info main.tf", "gio copy a.txt out/"})
}
