package shell

import "testing"

// Review hook119 (on 5faee5e): a script the line writes fed to a shell's
// standard input (H1); screen's session name after -r/-x/-d/-D/-R, and -X
// wherever it stands (H2); tmux ending a command at an argument that ends
// in `;` (H3); a shell whose standard input is a copy of a socket opened
// for output (bash >/dev/tcp/… 0>&1: H4); programs other than shells
// behind nc -e (vim -E, sqlite3, ed: H5); rsync -e split otherwise than a
// shell splits it (H6); declare -A with a redirection that fails (H9);
// rclone's on-the-fly remotes (M1). Writes into the agent's PATH
// directories (H8) are refused by the hook command
// (planguard/hook119_test.go).
var h119Refused = []h32Case{
	{cmd: `printf '@TF@ destroy -auto-approve\n' > f; bash < f`, victim: "state"},
	{cmd: `printf '@TF@ destroy -auto-approve\n' > f; bash -s < f`, victim: "state"},
	{cmd: `printf '@TF@ destroy -auto-approve\n' > f; env bash 0<f`, victim: "state"},
	{cmd: `printf '@TF@ destroy -auto-approve\n' > f; sh /dev/stdin < f`, victim: "state"},
	{cmd: "screen -dmS h119; screen -r h119 -X stuff 'terraform destroy -auto-approve^M'"},
	{cmd: "screen -x h119 -X stuff x"},
	{cmd: "screen -d h119 -m @TF@ destroy -auto-approve"},
	{cmd: "tmux -L h119 ls -F 'x;' new -d '@TF@ destroy -auto-approve'"},
	{cmd: "tmux kill-server 'x;' new -d '@TF@ destroy -auto-approve'"},
	{cmd: "bash >/dev/tcp/127.0.0.1/5119 0>&1"},
	{cmd: "bash -i >& /dev/tcp/127.0.0.1/5119 0>&1"},
	{cmd: "busybox nc -lp 5120 -e vim -E"},
	{cmd: "busybox nc -lp 5121 -e sqlite3"},
	{cmd: "busybox nc -lp 5122 -e ed"},
	{cmd: `echo x > a.txt; rsync -e 'ssh "-oSendEnv=X\" "-oProxyCommand=@TF@ destroy -auto-approve" "-oSendEnv=Y\"' a.txt h:b`, needs: "rsync ssh", victim: "state"},
	{cmd: `RSYNC_RSH='ssh "-oProxyCommand=x"' rsync a.txt h:b`},
	{cmd: `declare -A a </nonexistent; x=$(printf "b[%s(@TF@ destroy -auto-approve)]" "\$"); a[$x]=1`, victim: "state"},
	{cmd: `declare -A a >/nonexistent/q; x=$(printf "b[%s(@TF@ destroy -auto-approve)]" "\$"); a[$x]=1`, victim: "state"},
	{cmd: "rclone copyto e.txt :local:../planguard.hcl"},
	{cmd: "rclone copyto a :sftp,ssh='env':../planguard.hcl"},
}

var h119Allowed = []string{
	"bash < setup.sh",
	"screen -r h119",
	"screen -D -R h119",
	"tmux ls -F '#{session_name}'",
	"rclone sync s3:bucket/dir ./out",
	"rsync -e 'ssh -p 2222' -av dist/ server:www/",
	"chrt -o 0 make test",
	"ssh -o 'ProxyCommand=nc %h %p' db.internal",
}

func TestHook119Refused(t *testing.T) {
	hookRefused(t, h119Refused)
}

func TestHook119Allowed(t *testing.T) {
	hookAllowed(t, h119Allowed)
}

// TestHook119BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): bash alone, and rsync with ssh where installed.
func TestHook119BashRuns(t *testing.T) {
	hookBashRuns(t, h119Refused, bashRuns{line: h37Line})
}

// Review hook121 (on 5faee5e): container commands writing the host through
// a bind mount, a cp, a build's output (H3, M1), and the sandboxes' binds
// (proot -b, bwrap --bind, firejail --bind: H4). git hash-object of trees
// and commits, and a checkout over a git-ignored state (H1, H2), are tested
// by the hook command with real git (planguard/hook121_test.go).
var h121Refused = []h32Case{
	{cmd: `podman run --rm -v "$PWD/..:/w" alpine rm /w/planguard.hcl`},
	{cmd: `docker run --rm -v "$PWD:/w" alpine rm -r /w`},
	{cmd: `docker run --rm -v"$PWD":/w alpine rm -r /w`},
	{cmd: `docker run --rm --volume=/work:/w alpine rm -r /w`},
	{cmd: "docker run --rm --mount type=bind,src=..,dst=/w alpine shred /w/planguard.hcl"},
	{cmd: "podman cp c1:/x/. .."},
	{cmd: "kubectl cp ns/pod:/x ."},
	{cmd: "podman build -q -o .. ctx"},
	{cmd: "docker buildx build -o type=local,dest=. ."},
	{cmd: "docker compose -f - up"},
	{cmd: "proot -b ..:/w rm /w/planguard.hcl", needs: "proot", victim: "policy"},
	{cmd: "proot -b .:/w rm -r /w"},
	{cmd: "bwrap --dev-bind / / --bind .. /w truncate -s0 /w/allowed_signers"},
	{cmd: "bwrap --ro-bind / / --bind . /w rm -rf /w"},
	{cmd: "firejail --bind=..,/w rm /w/planguard.hcl"},
}

var h121Allowed = []string{
	`docker run --rm -v "$PWD:/w:ro" alpine ls /w`,
	"docker run --rm -v cache:/root/.cache golang go test",
	"docker run -v /tmp/out:/out alpine touch /out/x",
	"docker build -t app .",
	"docker cp c1:/app/log.txt /tmp/log.txt",
	"kubectl get pods -o yaml",
	"bwrap --ro-bind / / --dev /dev ls",
}

func TestHook121Refused(t *testing.T) {
	hookRefused(t, h121Refused)
}

func TestHook121Allowed(t *testing.T) {
	hookAllowed(t, h121Allowed)
}
