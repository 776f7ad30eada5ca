package shell

import "testing"

// Findings F4–F8 of the hook32 attacker review: git checkout-index's
// --prefix destinations, rsync's own file options, and programs that take
// options or a command from an environment variable (RSYNC_RSH,
// RSYNC_CONNECT_PROG, TAR_OPTIONS, ZIPOPT and their class). The world is
// hook31bOpts: a project /work/infra with the policy in /work.

// F4: checkout-index writes PREFIX + the indexed path; a relative prefix
// is relative to the top of the work tree (the working directory or one
// above it).
func TestHook32bCheckoutIndex(t *testing.T) {
	for _, cmd := range []string{
		"git checkout-index -f --prefix=../ planguard.hcl",
		"git checkout-index --prefix=../ planguard.hcl",
		"git checkout-index -f --prefix ../ planguard.hcl",
		"git checkout-index -f --pref=../ planguard.hcl",
		"git checkout-index -a -f --prefix=../",
		"git checkout-index -af --prefix=../",
		"git checkout-index --all --prefix=../",
		"git checkout-index -a --prefix=/work/",
		"git checkout-index -a --prefix=/work/x",
		"git checkout-index --prefix=/home/agent/. bashrc",
		"git checkout-index -f --prefix=/home/agent/. bashrc",
		"git checkout-index -a --prefix=/home/agent/.",
		"git checkout-index -a --prefix=/home/agent/",
		"git checkout-index --prefix=.claude/ settings.json",
		"git checkout-index -a --prefix=.claude/",
		"git checkout-index --prefix=/etc/ sudoers",
		"git checkout-index --stdin --prefix=../ <list",
		"git ls-files | git checkout-index --stdin -f --prefix=../",
		"git checkout-index --prefix=\"$P\" x",
		"git checkout-index --prefix=../ \"$F\"",
		"git checkout-index --prefix=../ *.hcl",
		"git checkout-index \"$OPT\" x",
		"git -C .. checkout-index -f planguard.hcl",
		"git -C .. checkout-index --prefix=x/ planguard.hcl",
		"git --work-tree=.. checkout-index -a --prefix=sub/",
		"git checkout-index -f .claude/settings.json",
		"git checkout-index -f ../planguard.hcl",
		"git checkout-index -f .envrc",
		"git checkout-index -a -f",
		"git checkout-index -a",
		"git ls-files | git checkout-index --stdin -f",
		// A relative prefix from a top above the working directory.
		"cd sub && git checkout-index --prefix=../../ planguard.hcl",
		"git init -q . && printf 'x' > planguard.hcl && git add planguard.hcl && git checkout-index -f --prefix=../ planguard.hcl",
		// core.worktree moves the tree every git command writes.
		"git config core.worktree ..",
		"git -c core.worktree=/work checkout-index -a -f",
	} {
		hook31bRefused(t, cmd)
	}
	for _, cmd := range []string{
		"git checkout-index -a --prefix=/tmp/export/",
		"git checkout-index -a --prefix=~/", // not expanded by bash: a directory named ~ in the top
		"git checkout-index -a -f --prefix=/tmp/export/",
		"git checkout-index --prefix=/tmp/export/ main.tf",
		"git checkout-index --prefix=export/ main.tf",
		"git checkout-index -a --prefix=export/",
		"git checkout-index -f main.tf",
		"git checkout-index -u -f -- main.tf variables.tf",
		"git checkout-index --temp main.tf",
		"git checkout-index -n -q -a --prefix=/tmp/x/",
		"git ls-files | git checkout-index --stdin --prefix=/tmp/x/",
	} {
		hook31bAllowed(t, cmd)
	}
}

// F4 (other git writers): destinations named in the line.
func TestHook32bGitWriters(t *testing.T) {
	for _, cmd := range []string{
		"git archive -o ../planguard.hcl HEAD",
		"git archive --output=/home/agent/.bashrc HEAD",
		"git bundle create ../planguard.hcl HEAD",
		"git diff --output=../planguard.hcl",
		"git show --output=../planguard.hcl HEAD",
		"git log --output=/home/agent/.bashrc -1",
		"git restore --source HEAD~1 -- ../planguard.hcl",
		"git restore --source=HEAD~1 .claude/settings.json",
		"git checkout HEAD~1 -- ../planguard.hcl",
		"git worktree add .claude/x HEAD",
		"git apply --unsafe-paths --directory=.. x.patch",
		"git apply --unsafe x.patch",
		"git read-tree -u --prefix=.claude/ HEAD",
	} {
		hook31bRefused(t, cmd)
	}
	for _, cmd := range []string{
		"git archive -o /tmp/src.tar HEAD",
		"git format-patch -o /tmp/patches HEAD~3",
		"git worktree add /tmp/wt HEAD",
		"git stash",
		"git diff --output=/tmp/d.patch",
		"git apply x.patch",
		"git apply --check -- --unsafe-paths",
	} {
		hook31bAllowed(t, cmd)
	}
}

// F5: rsync's own options that write files or directories.
func TestHook32bRsyncOptions(t *testing.T) {
	for _, cmd := range []string{
		"rsync -b --backup-dir=/work /tmp/e.json /tmp/y/planguard.hcl",
		"rsync -b --backup-dir /work /tmp/e.json /tmp/y/planguard.hcl",
		"rsync --backup --backup-dir /work /tmp/e.json /tmp/y/planguard.hcl",
		"rsync -a --del --backup --backup-dir=/work src/ /tmp/y/",
		"rsync --backup --backup-dir=/home/agent /tmp/e /tmp/y/.bashrc",
		"rsync -b --backup-dir=.. /tmp/e.json /tmp/y/planguard.hcl",
		"rsync -b --backup-dir=\"$D\" /tmp/e.json /tmp/y/planguard.hcl",
		"rsync --log-file=/home/agent/.bashrc --log-file-format=$'\\nterraform destroy -auto-approve' a.txt /tmp/b.txt",
		"rsync --log-file ../planguard.hcl a.txt /tmp/b.txt",
		"rsync --log-file=~/.bashrc a.txt /tmp/b.txt",
		"rsync --log-file=.envrc a.txt /tmp/b.txt",
		"rsync --write-batch=../planguard.hcl a.txt /tmp/b.txt",
		"rsync --write-batch=.envrc a.txt /tmp/b.txt",
		"rsync --only-write-batch=../planguard.hcl a.txt /tmp/b.txt",
		"rsync --only-write-batch ~/.bashrc a.txt /tmp/b.txt",
		"rsync --partial-dir=.. a.txt /tmp/b.txt",
		"rsync --partial-dir=/work a.txt /tmp/b.txt",
		"rsync --temp-dir=.. a.txt /tmp/b.txt",
		"rsync -T .. a.txt /tmp/b.txt",
		"rsync -T/work a.txt /tmp/b.txt",
		"rsync --temp-dir=.claude a.txt /tmp/b/",
		"rsync --link-dest=/work a/ /tmp/x/",
		"rsync --link-dest=.. a/ /tmp/x/",
		"rsync -b --suffix=.hcl /tmp/e /work/planguard",
		"rsync -b --suffix .hcl /tmp/e /work/",
		"rsync --read-batch=/tmp/batch /work/",
		"rsync --daemon --config=/tmp/r.conf",
		"rsync -M--log-file=/work/planguard.hcl a.txt localhost:/tmp/",
		"rsync --remote-option=--log-file=/work/planguard.hcl a.txt localhost:/tmp/",
		"rsync --rsync-path='terraform destroy -auto-approve;' a.txt localhost:/tmp/",
	} {
		hook31bRefused(t, cmd)
	}
	for _, cmd := range []string{
		"rsync -a src/ /tmp/dst/",
		"rsync -avz --delete src/ /tmp/dst/",
		"rsync -a --partial-dir=.rsync-partial src/ /tmp/dst/",
		"rsync -a --temp-dir=/tmp/rs src/ /tmp/dst/",
		"rsync -a --log-file=/tmp/rsync.log src/ /tmp/dst/",
		"rsync -b --backup-dir=/tmp/bak src/ /tmp/dst/",
		"rsync -a --link-dest=/tmp/prev src/ /tmp/dst/",
		"rsync -a --write-batch=/tmp/b src/ /tmp/dst/",
		"rsync -a --exclude .git --timeout 30 src/ /tmp/dst/",
		"rsync -a --files-from=/tmp/list . /tmp/dst/",
		"rsync -a --rsync-path='sudo rsync' src/ host:/srv/",
		"rsync -a -e 'ssh -p 2222' src/ host:/srv/",
	} {
		hook31bAllowed(t, cmd)
	}
}

// F6–F8: options and commands taken from environment variables, in every
// spelling of an assignment.
func TestHook32bOptionEnv(t *testing.T) {
	for _, cmd := range []string{
		// F6: rsync's remote shell and connect program are commands.
		`RSYNC_RSH='sh -c "terraform destroy -auto-approve"' rsync a.txt h:/tmp/`,
		`RSYNC_CONNECT_PROG='setsid terraform destroy -auto-approve </dev/null >/tmp/rcp.out 2>&1 &' rsync a.txt rsync://h/x`,
		`export RSYNC_RSH='sh -c "terraform destroy -auto-approve"'; rsync a.txt h:/tmp/`,
		`env RSYNC_RSH='sh -c "terraform destroy -auto-approve"' rsync a.txt h:/tmp/`,
		`declare -x RSYNC_CONNECT_PROG='terraform destroy -auto-approve'; rsync a rsync://h/x`,
		`RSYNC_RSH="$X" rsync a.txt h:/tmp/`,
		`read -r RSYNC_RSH; rsync a.txt h:/tmp/`,
		// F7: TAR_OPTIONS.
		`TAR_OPTIONS='--checkpoint=1 --checkpoint-action=exec="terraform destroy -auto-approve"' tar cf /tmp/x.tar a.txt`,
		`TAR_OPTIONS=--checkpoint-action=exec=sh tar cf /tmp/x.tar a.txt`,
		`TAR_OPTIONS='--to-command=sh' tar xf /tmp/x.tar`,
		`TAR_OPTIONS='-I sh' tar xf /tmp/x.tar`,
		`TAR_OPTIONS=--use-compress-program=./evil tar xf /tmp/x.tar`,
		`TAR_OPTIONS='--index-file=../planguard.hcl -v' tar cf /tmp/x.tar a.txt`,
		`TAR_OPTIONS='-C ..' tar xf /tmp/x.tar`,
		`TAR_OPTIONS=--directory=/home/agent tar xf /tmp/x.tar`,
		`TAR_OPTIONS=--to-c=sh tar xf /tmp/x.tar`,
		`export TAR_OPTIONS=--checkpoint-action=exec=sh`,
		`env TAR_OPTIONS=--to-command=sh tar xf /tmp/x.tar`,
		`TAR_OPTIONS="$O" tar cf /tmp/x.tar a.txt`,
		`TAR_OPTIONS=--exclude=x\ --to-command=sh tar xf /tmp/x.tar`,
		// F8: ZIPOPT and ZIP.
		`ZIPOPT='-T -TT "terraform destroy -auto-approve #"' zip /tmp/z.zip a.txt`,
		`ZIPOPT=-TTsh zip /tmp/z.zip a.txt`,
		`ZIP='-T --unzip-command=sh' zip /tmp/z.zip a.txt`,
		`ZIP=-m zip /tmp/z.zip ../planguard.hcl`,
		`ZIPOPT=../planguard.hcl zip a.txt`,
		`ZIP=.envrc zip a.txt`,
		`export ZIPOPT=-TT`,
		`UNZIP='-o -d ..' unzip /tmp/a.zip`,
		`UNZIP=-d/home/agent unzip /tmp/a.zip`,
		`UNZIPOPT=-o unzip /tmp/a.zip`,
		// The same class.
		`GZIP='-S .hcl' gzip ../planguard`,
		`GZIP=-r gzip .`,
		`XZ_OPT=--files=/tmp/list tar cJf /tmp/a.txz dir`,
		`XZ_DEFAULTS='--suffix=.hcl' xz ../planguard`,
		`BZIP2=--force bzip2 x`,
		`LESS='-o../planguard.hcl' less x`,
		`LESS=-k/tmp/keys less x`,
		`LESS=--lesskey-src=/tmp/k less x`,
		`LESS='+!terraform destroy' less x`,
		`MANOPT='-P sh' man ls`,
		`PARALLEL='--ssh "sh -c x"' parallel echo ::: a`,
		`PARALLEL_SHELL=/tmp/evil parallel echo ::: a`,
		`LD_PRELOAD=/tmp/x.so ls`,
		`export LD_PRELOAD=/tmp/x.so`,
		`LD_AUDIT=/tmp/x.so ls`,
		`LD_LIBRARY_PATH=/tmp/evil terraform version`,
		`PYTHONSTARTUP=/tmp/x.py python3`,
		`export TF_CLI_ARGS_apply=-auto-approve; make apply`,
		`TF_CLI_ARGS=-destroy make deploy`,
		`env TF_CLI_ARGS_apply=-destroy ./deploy.sh`,
		`npm_config_script_shell=/tmp/evil npm run build`,
		`NPM_CONFIG_SCRIPT_SHELL=/tmp/evil npm test`,
		`npm_config_userconfig=/tmp/npmrc npm ci`,
		`PIP_LOG=../planguard.hcl pip install x`,
		`PIP_TARGET=/home/agent pip install x`,
		`NODE_OPTIONS=--redirect-warnings=../planguard.hcl node x.js`,
		`NODE_OPTIONS=--redirect_warnings=/home/agent/.bashrc node x.js`,
		`NODE_OPTIONS='--report-on-signal --report-directory=/home/agent' node x.js`,
		`NODE_OPTIONS=--env-file=/tmp/e node x.js`,
		`NODE_OPTIONS='--import data:text/javascript,x' node x.js`,
		`JAVA_TOOL_OPTIONS='-XX:OnOutOfMemoryError=terraform destroy' java -jar x.jar`,
		`JAVA_OPTS='-XX:OnError=sh' ./gradlew build`,
		`_JAVA_OPTIONS=-javaagent:/tmp/a.jar java -version`,
		`RUBYOPT="-r$F" ruby x.rb`,
		`GH_PAGER='sh -c "terraform destroy -auto-approve"' gh pr list`,
		`SYSTEMD_PAGER='terraform destroy -auto-approve' systemctl status`,
		`KUBE_EDITOR='terraform destroy -auto-approve' kubectl edit cm x`,
		`KUBECTL_EXTERNAL_DIFF='terraform destroy -auto-approve' kubectl diff -f x.yaml`,
		`FCEDIT='terraform destroy -auto-approve' bash -ic 'fc -1'`,
		`GIT_SSH_COMMAND='terraform destroy;:' git fetch`,
		`GIT_EXTERNAL_DIFF='terraform destroy -auto-approve' git diff`,
		`PAGER='terraform destroy -auto-approve' git log`,
		`BASH_ENV=/tmp/x bash -c true`,
		`PERL5OPT='-Mstrict;system(q(terraform destroy))' perl x.pl`,
		`MAKEFLAGS=--eval=x make`,
		// Brace expansion in an exported name.
		`export {TAR_OPTIONS,X}=--to-command=sh`,
		`export {GIT_SSH_COMMAND,X}='terraform destroy -auto-approve'; git fetch`,
		`declare -x {LD_PRELOAD,X}=/tmp/x.so`,
	} {
		hook31bRefused(t, cmd)
	}
	for _, cmd := range []string{
		`TAR_OPTIONS=-v tar tf /tmp/x.tar`,
		`TAR_OPTIONS='--no-same-owner --numeric-owner' tar xf /tmp/x.tar -C /tmp/out`,
		`TAR_OPTIONS='--sort=name --mtime=@0 --owner=0 --group=0' tar cf /tmp/x.tar src`,
		`GZIP=-9 tar czf /tmp/a.tgz dir`,
		`GZIP=-n gzip -c a > /tmp/a.gz`,
		`XZ_OPT=-9e tar cJf /tmp/a.txz dir`,
		`XZ_OPT='-T0 -9' tar cJf /tmp/a.txz dir`,
		`ZSTD_CLEVEL=19 tar --zstd -cf /tmp/a.tzst dir`,
		`ZIPOPT=-q zip -r /tmp/z.zip src`,
		`ZIP=/tmp/build.zip; zip -r "$ZIP" src`,
		`UNZIP=-q unzip /tmp/a.zip -d /tmp/out`,
		`LESS=-R git log`,
		`LESS='-FRX' git diff`,
		`export LESS='-R --mouse'`,
		`NODE_ENV=production npm run build`,
		`NODE_OPTIONS=--max-old-space-size=4096 npm run build`,
		`NODE_OPTIONS='--enable-source-maps --require ts-node/register' node x.js`,
		`JAVA_TOOL_OPTIONS=-Xmx2g java -jar x.jar`,
		`RUBYOPT=-W0 ruby x.rb`,
		`npm_config_registry=https://registry.npmjs.org npm ci`,
		`npm_config_cache=/tmp/npm-cache npm ci`,
		`PIP_INDEX_URL=https://pypi.org/simple pip install -r requirements.txt`,
		`RSYNC_RSH='ssh -p 2222' rsync -a src/ host:/srv/`,
		`export RSYNC_RSH=ssh`,
		`GH_PAGER=cat gh pr list`,
		`PAGER=cat git log`,
		`CI=true AWS_REGION=eu-west-1 make test`,
		`TF_LOG=DEBUG terraform plan -out tfplan`,
		`TF_IN_AUTOMATION=1 terraform plan -out tfplan`,
	} {
		hook31bAllowed(t, cmd)
	}
}
