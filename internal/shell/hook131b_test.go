package shell

import "testing"

// Review hook131 (on a777077): a bwrap bind whose source is a descriptor
// (--bind-fd: H1); proot's -S root (H2); mount's --source=/--target= (H3)
// and LIBMOUNT_FSTAB (H4); make's -C in a cluster or abbreviated (H5); a
// short option's attached value naming a script the line writes (dc
// -fx.dc: H6); git aliases judged with their call's arguments (H7); git
// reset REV or read-tree REV, then git stash (H8: a move of the index,
// also in planguard/hook131_test.go with real git state); a package
// runner's node_modules/.bin or .venv/bin the line writes (H9); docker
// --mount's fields in any case and the last ro/readonly winning (M2, M3);
// buildx bake --set *.output (M4). M1 (mount -T of an fstab an earlier call
// wrote) is accepted.
var h131bRefused = []h32Case{
	{cmd: "bwrap --ro-bind / / --bind-fd 3 /mnt rm -r /mnt/tf 3<..", needs: "bwrap", victim: "statefile"},
	{cmd: "bwrap --ro-bind / / --ro-bind-fd 3 /mnt ls /mnt 3<.."},
	{cmd: "bwrap --ro-bind / / --info-fd 4 true 4>/tmp/info"},
	{cmd: "proot -S .. -b /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2:/lib64/ld-linux-x86-64.so.2 -b /lib/x86_64-linux-gnu/libc.so.6 /tmp/h131b_rm -r /tf",
		setup: "cat /usr/bin/rm > /tmp/h131b_rm && chmod +x /tmp/h131b_rm", needs: "proot /lib/x86_64-linux-gnu/libc.so.6", victim: "statefile"},
	{cmd: "proot -S .. /tmp/h131b_rm /planguard.hcl"},
	{cmd: "unshare -m sh -c 'mount --source=.. --target=/mnt -o bind && rm /mnt/planguard.hcl'"},
	{cmd: "unshare -m sh -c 'mount --sou=.. /mnt -o bind && rm /mnt/planguard.hcl'"},
	{cmd: "echo '/work /mnt none bind' > fs; unshare -m sh -c 'LIBMOUNT_FSTAB=fs mount /mnt && rm /mnt/planguard.hcl'"},
	{cmd: "export LIBMOUNT_FSTAB=/tmp/fs; unshare -m sh -c 'mount -a && rm /mnt/planguard.hcl'"},
	{cmd: "mkdir -p d; printf 'all:\\n\\trm ../terraform.tfstate\\n' > d/Makefile; make -sCd", needs: "make", victim: "statefile"},
	{cmd: "mkdir -p d; printf 'all:\\n\\trm ../terraform.tfstate\\n' > d/Makefile; make -wC d", needs: "make", victim: "statefile"},
	{cmd: "mkdir -p d; printf 'all:\\n\\trm ../terraform.tfstate\\n' > d/GNUmakefile; make --dir d", needs: "make", victim: "statefile"},
	{cmd: "mkdir -p d/e; printf 'all:\\n\\trm ../../terraform.tfstate\\n' > d/e/Makefile; make -C d -C e", needs: "make", victim: "statefile"},
	{cmd: "printf 'all:\\n\\trm x\\n' > d/Makefile; make --direc d"},
	{cmd: "echo '!@TF@ destroy -auto-approve' > x.dc; dc -fx.dc", needs: "dc", victim: "state"},
	{cmd: "echo x > prog; someprog -qxprog"},
	{cmd: "git -c alias.x='!@TF@' x destroy -auto-approve"},
	{cmd: "git reset -q other && git stash"},
	{cmd: "git read-tree other && git stash"},
	{cmd: "git reset --soft other; git checkout -q other"},
	{cmd: "for i in 1 2; do git stash; git reset -q other; done"},
	{cmd: "mkdir -p node_modules/.bin; printf '#!/bin/sh\\nrm terraform.tfstate\\n' > node_modules/.bin/cowsay; chmod +x node_modules/.bin/cowsay; npx cowsay", needs: "npx", victim: "statefile"},
	{cmd: "mkdir -p node_modules/.bin; printf '#!/bin/sh\\nrm terraform.tfstate\\n' > node_modules/.bin/cowsay; chmod +x node_modules/.bin/cowsay; npm exec cowsay", needs: "npm", victim: "statefile"},
	{cmd: "echo {} > package.json; mkdir -p node_modules/.bin; printf '#!/bin/sh\\nrm terraform.tfstate\\n' > node_modules/.bin/cowsay; chmod +x node_modules/.bin/cowsay; pnpm exec cowsay", needs: "pnpm", victim: "statefile"},
	{cmd: "echo x > node_modules/.bin/cowsay; npm x cowsay"},
	{cmd: "echo x > node_modules/.bin/cowsay; yarn cowsay"},
	{cmd: "echo x > node_modules/.bin/cowsay; yarn run cowsay"},
	{cmd: "echo x > node_modules/.bin/cowsay; bunx cowsay"},
	{cmd: "echo x > node_modules/cowsay/cli.js; npm test"},
	{cmd: "echo x > .venv/bin/foo; uv run foo"},
	{cmd: "docker run --mount type=BIND,src=/work,dst=/w alpine rm /w/planguard.hcl"},
	{cmd: "docker run --mount Type=Bind,Source=..,dst=/w alpine rm /w/planguard.hcl"},
	{cmd: "docker run --mount type=bind,src=..,dst=/w,ro,readonly=false alpine rm /w/planguard.hcl"},
	{cmd: "docker run --mount type=bind,src=..,dst=/w,readonly=true,ro=false alpine rm /w/planguard.hcl"},
	{cmd: "docker run --mount type=bind,src=/srv/x,source=..,dst=/w alpine rm /w/planguard.hcl"},
	{cmd: `docker buildx bake --set "*.output=type=local,dest=.."`},
	{cmd: "docker buildx bake --set app.output=.."},
	{cmd: "docker buildx bake --set=app.cache-to=type=local,dest=.."},
	{cmd: "docker build --cache-to type=local,dest=.. ."},
	{cmd: "echo x > docker-bake.hcl; docker buildx bake -f docker-bake.hcl"},
}

var h131bAllowed = []string{
	"bwrap --ro-bind / / --dev /dev --bind /srv/cache /cache ls /",
	"proot -S /tmp/rootfs ls",
	"mount --source=/dev/sdb1 --target=/mnt/data",
	"mount -o bind /srv/data /mnt/data",
	"make -sC build",
	"make -C build -j4 all",
	"make --directory=build test",
	"mkdir -p d; printf 'all:\\n\\ttrue\\n' > d/Makefile; make -s",
	"dc calc.dc",
	"terraform show -json tfplan > plan.json && jq -r .format_version plan.json",
	"git -c alias.st=status st",
	"git -c alias.co=checkout co -b feature",
	"git config alias.lg 'log --oneline'; git lg -5",
	"git reset -q HEAD -- main.tf",
	"git reset --soft HEAD~1",
	"git read-tree --prefix=x/ other",
	"git stash",
	"npx prettier --check .",
	"npm test > test.log",
	"npm ci && npx jest",
	"uv run pytest > out.txt",
	"docker run --mount type=bind,src=..,dst=/w,readonly alpine ls /w",
	"docker run --mount type=bind,src=..,dst=/w,readonly=false,ro alpine ls /w",
	"docker run --mount type=tmpfs,dst=/tmp alpine true",
	"docker run --mount type=volume,src=data,dst=/data alpine true",
	"docker buildx bake --set '*.platform=linux/amd64'",
	"docker buildx bake --set app.output=type=registry",
	"docker build --cache-to type=registry,ref=x/y .",
}

func TestHook131bRefused(t *testing.T) {
	hookRefused(t, h131bRefused)
}

func TestHook131bAllowed(t *testing.T) {
	hookAllowed(t, h131bAllowed)
}

// TestHook131bAliasMoves: a checkout or switch through an alias the line
// defines is judged with the call's arguments (review hook131 H7), in a
// working tree that holds a state (Options.TreeState); planguard's
// hook131_test.go runs them with real git.
func TestHook131bAliasMoves(t *testing.T) {
	opts := h32Opts("/work")
	opts.TreeState = func(string) bool { return true }
	for _, line := range []string{
		"git -c alias.co=checkout co other",
		"git config alias.co checkout; git co other",
		"git -c alias.sw=switch sw other",
		"git -c alias.co='checkout -q' -c alias.c2=co c2 other",
		"git config alias.co 'checkout -q'; git CO other",
	} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
	for _, line := range []string{"git -c alias.co=checkout co -b feature", "git -c alias.st=status st -s", "git config alias.br branch; git br -a"} {
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", line, r.Refused)
		}
	}
}

// TestHook131bBashRuns runs the spellings in bash over a real applied
// state (hookBashRuns): make is on every machine; bwrap, proot, dc, npx,
// npm and pnpm where installed.
func TestHook131bBashRuns(t *testing.T) {
	hookBashRuns(t, h131bRefused, bashRuns{line: h37Line})
}
