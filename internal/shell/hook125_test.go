package shell

import "testing"

// Review hook125 (on 968d8b6): make variables that the built-in rules join
// into one command (YACC=terraform YFLAGS='destroy…', TEX+=…: H1, H2), a
// shell assignment TEX!=CMD (H3), a wrapper first in an environment value
// (TEX='env terraform …': H4); node preloading a file of any name the line
// wrote (-r ./x.txt, NODE_OPTIONS: H5); python's and perl's other module
// kinds (.pyc, .zip, .pmc: H6, H7); an overlay mount's directories (H8);
// container binds in other spellings (-v=, quoted --mount fields,
// volume-opt=device=, -odevice=, --rootfs, finch, buildah), deno's npm: and
// bun x of a Terraform package, nix run of an output or an expression,
// flox --command= (M1-M3).
var h125Refused = []h32Case{
	{cmd: "touch foo.y; make YACC=@TF@ YFLAGS='destroy -auto-approve -backup' foo.c", needs: "make", victim: "state"},
	{cmd: "touch foo.tex; make TEX=@TF@ TEX+='destroy -auto-approve -backup' foo.dvi", needs: "make", victim: "state"},
	{cmd: "touch foo.tex; make 'TEX!=echo @TF@ destroy -auto-approve -backup' foo.dvi", needs: "make", victim: "state"},
	{cmd: "touch foo.tex; TEX='env @TF@ destroy -auto-approve -backup' make foo.dvi", needs: "make", victim: "state"},
	{cmd: `echo 'require("child_process").execSync("@TF@ destroy -auto-approve")' > x.txt && node -r ./x.txt -e 1`, needs: "node", victim: "state"},
	{cmd: `echo 'require("child_process").execSync("@TF@ destroy -auto-approve")' > x.txt && NODE_OPTIONS=--require=./x.txt node -e 1`, needs: "node", victim: "state"},
	{cmd: "printf x > m.pyc; python3 -m m"},
	{cmd: "echo x > x.zip; PYTHONPATH=x.zip python3 -m y"},
	{cmd: `echo 'system("@TF@ destroy -auto-approve"); 1;' > x.pmc && perl -I. -Mx -e 1`, needs: "perl", victim: "state"},
	{cmd: "unshare -rm sh -c 'mount -t overlay x -o lowerdir=/tmp/l,upperdir=..,workdir=/tmp/w /mnt && rm /mnt/planguard.hcl'"},
	{cmd: "docker run -v=..:/w alpine rm /w/planguard.hcl"},
	{cmd: `docker run --mount 'type=bind,"src=..",dst=/w' alpine ls`},
	{cmd: "docker run --mount type=volume,dst=/w,volume-opt=device=..,volume-opt=o=bind alpine ls"},
	{cmd: "podman volume create -o=device=.. v"},
	{cmd: "podman volume create -odevice=.. v"},
	{cmd: "podman run --rootfs .. ls"},
	{cmd: "finch run -v ..:/w alpine ls"},
	{cmd: "buildah run -v ..:/w c ls"},
	{cmd: "deno run -A npm:@jahed/terraform@1.11.4 destroy -auto-approve"},
	{cmd: "bun x @jahed/terraform@1 destroy -auto-approve"},
	{cmd: "nix run nixpkgs#terraform.out destroy -auto-approve"},
	{cmd: "nix run nixpkgs#terraform^out -- destroy -auto-approve"},
	{cmd: "nix run --expr 'x' -- destroy"},
	{cmd: "flox activate --command='@TF@ destroy -auto-approve'"},
}

var h125Allowed = []string{
	"make V=1 test",
	"make -j4 VERBOSE=1",
	"make CC=gcc",
	"CC=gcc make",
	"python3 -m pytest > out.txt",
	"echo x > out.txt; python3 -m json.tool out.txt",
	"node -r ts-node/register app.ts > log.txt",
	"docker run -v ..:/w:ro,Z alpine ls",
	"docker run --rm --mount type=tmpfs,dst=/tmp alpine ls",
	"bun x prettier --write .",
	"mount -t tmpfs tmpfs /tmp/x",
}

func TestHook125Refused(t *testing.T) {
	hookRefused(t, h125Refused)
}

func TestHook125Allowed(t *testing.T) {
	hookAllowed(t, h125Allowed)
}

// TestHook125BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): make, node and perl are on every machine here.
func TestHook125BashRuns(t *testing.T) {
	hookBashRuns(t, h125Refused, bashRuns{line: h37Line})
}

// Review hook126 (on 968d8b6): gawk's debugger (-D, --debug: eval runs
// awk code read from the input: H1), gawk's --dump=FILE prefix of
// --dump-variables (H2), sdiff -o (its e command starts ed on the input:
// H3), tar -M (its volume prompt's ! starts a shell: H4), a file the line
// wrote run by dc, gnuplot or Rscript (M1).
var h126Refused = []h32Case{
	{cmd: `gawk -D -f /dev/null <<< 'eval "system(\"rm terraform.tfstate\")"'`, needs: "gawk", victim: "statefile"},
	{cmd: "gawk --debug=cmds -f /dev/null"},
	{cmd: "gawk --dump=../planguard.hcl 'BEGIN{}'"},
	{cmd: "gawk -W dump=../planguard.hcl 'BEGIN{}'"},
	{cmd: "sdiff -o o main.tf /dev/null"},
	{cmd: "tar -cM -L 10 -f /tmp/v.tar big"},
	{cmd: "tar -c --multi-volume -f /tmp/v.tar big"},
	{cmd: "echo '!rm terraform.tfstate' > x.dc; dc -f x.dc"},
	{cmd: "echo 1 2 + p > in.txt; dc in.txt"},
	{cmd: "echo x > x.gp; gnuplot x.gp"},
	{cmd: "echo x > a.R; Rscript a.R"},
	{cmd: "echo x > notes; mytool notes"},
}

var h126Allowed = []string{
	"gawk --dump-variables=out.txt 'BEGIN{}'",
	"awk '{print $1}' main.tf",
	`awk -F"$d" '{print $2}' x`,
	"sdiff a b",
	"tar -czf a.tgz src",
	"terraform show -json tfplan > plan.json && conftest test plan.json",
	"echo x > out.txt; mytool out.txt",
}

func TestHook126Refused(t *testing.T) {
	hookRefused(t, h126Refused)
}

func TestHook126Allowed(t *testing.T) {
	hookAllowed(t, h126Allowed)
}

// TestHook126BashRuns runs the spellings in bash over a real applied state
// (hookBashRuns): .ci/run installs gawk.
func TestHook126BashRuns(t *testing.T) {
	hookBashRuns(t, h126Refused, bashRuns{line: h37Line})
}
