package shell

import (
	"strings"
	"testing"
)

// Found by an attacker's review (hook17b): variables and options that name
// a *file* a program writes, or reads as configuration or code, where the
// tables listed only those that name a command. Each was allowed and ran
// terraform destroy under bash (repro.sh, repro-trace.sh, real.sh).

var hook10aOpts = func() Options {
	o := testOpts
	o.Protected = append(append([]string{}, testOpts.Protected...),
		"/home/agent/.bashrc", "/home/agent/.claude.json", "/home/agent/.bash_aliases", "/home/agent/.lesskey",
		"/work/infra/.git/hooks/pre-commit")
	return o
}()

func hook10aRefused(t *testing.T, cmd, why string) {
	t.Helper()
	r := Analyze(cmd, hook10aOpts)
	if r.Allowed() {
		t.Errorf("allowed, want refused: %s", cmd)
		return
	}
	if why != "" && !strings.Contains(strings.Join(r.Refused, "\n"), why) {
		t.Errorf("refused for another reason (want %q): %s\n%q", why, cmd, r.Refused)
	}
}

func hook10aAllowed(t *testing.T, cmd string) {
	t.Helper()
	if r := Analyze(cmd, hook10aOpts); !r.Allowed() {
		t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
	}
}

// F16: bash expands BASH_ENV (and sh -i ENV) with command substitution
// before sourcing it.
func TestHook10aStartupVars(t *testing.T) {
	for _, cmd := range []string{
		"BASH_ENV='$(terraform destroy -auto-approve)' bash -c true",
		"BASH_ENV='$(terraform destroy -auto-approve -input=false >/dev/null 2>&1)' bash -c true",
		"export BASH_ENV='`terraform destroy -auto-approve`'; bash s.sh",
		"env BASH_ENV='$(terraform destroy -auto-approve)' bash -c 'echo hi'",
		"sudo BASH_ENV='$(terraform destroy -auto-approve)' bash -c true",
		"declare -x BASH_ENV='$((1))'; bash -c true",
		"BASH_ENV=/tmp/env.sh bash -c true",
		"BASH_ENV=x; export BASH_ENV; bash -c true",
		"ENV='$(terraform destroy -auto-approve)' sh -i </dev/null",
		"ENV=/tmp/e sh -i </dev/null",
		"export ENV='$(terraform destroy)'",
	} {
		hook10aRefused(t, cmd, "sources the file")
	}
	for _, cmd := range []string{
		"read -r BASH_ENV < f; bash -c true",
		"printf -v ENV %s x; sh -i",
	} {
		hook10aRefused(t, cmd, "")
	}
	for _, cmd := range []string{"bash -c true", "echo $BASH_ENV", "sh s.sh", "ENVIRONMENT=prod make -n"} {
		hook10aAllowed(t, cmd)
	}
}

// F1: variables naming a file git, terraform or curl writes.
func TestHook10aWrittenVars(t *testing.T) {
	for _, cmd := range []string{
		"GIT_TRACE=$PWD/.claude/settings.json git status",
		"GIT_TRACE=/work/infra/.claude/settings.json git status",
		"env GIT_TRACE=/work/infra/.claude/settings.json git status",
		"export GIT_TRACE2=~/.claude.json; git log -1",
		"GIT_TRACE_SETUP=~/.bashrc git status",
		"GIT_TRACE_PACKET=/work/infra/.claude/settings.json git fetch",
		"GIT_TRACE2_EVENT=/work/infra/.claude/settings.json git status",
		"GIT_TRACE2_PERF=/work/infra/.claude/settings.json git status",
		"GIT_TRACE=/work/planguard.hcl git status",
		"GIT_TRACE=/work/infra/.git/hooks/pre-commit git status",
		"GIT_TRACE_CURL=/work/allowed_signers git fetch",
		"TF_LOG=trace TF_LOG_PATH=$PWD/.claude/settings.json terraform plan",
		"TF_LOG_PATH=/work/allowed_signers terraform validate",
		"TF_LOG_PATH=settings.json terraform -chdir=.claude plan",
		"TF_LOG_PATH=.claude/settings.json terraform plan",
		"GIT_INDEX_FILE=~/.bash_aliases git add f.txt",
		"SSLKEYLOGFILE=$PWD/.claude/settings.json curl https://example.com",
		"GIT_TRACE=\"$X\" git status",
		"read -r GIT_TRACE < f; export GIT_TRACE; git status",
		"LESSHISTFILE=~/.bashrc less f.txt",
		"TF_DATA_DIR=.claude terraform init",
		"TF_DATA_DIR=/work/infra/.claude terraform get",
		"TF_PLUGIN_CACHE_DIR=/work/infra/.claude terraform init",
		"TF_DATA_DIR=\"$D\" terraform init",
		"CURL_HOME=/tmp/c curl -O https://example.com/x",
		"WGETRC=/tmp/w wget https://example.com/x",
		"TF_ENCRYPTION='key_provider \"external\" \"x\" { command = [\"terraform\", \"destroy\"] }' tofu plan",
	} {
		hook10aRefused(t, cmd, "")
	}
	for _, cmd := range []string{
		"git status",
		"GIT_TRACE=1 git status",
		"GIT_TRACE=true git status",
		"GIT_TRACE=2 git status",
		"GIT_TRACE=0 git status",
		"GIT_TRACE_REDACT=0 GIT_TRACE_PACKET=1 git fetch",
		"GIT_TRACE=/tmp/git-trace.log git status",
		"TF_LOG=debug terraform plan",
		"TF_LOG=debug TF_LOG_PATH=tf.log terraform plan",
		"TF_LOG=debug TF_LOG_PATH=/tmp/tf.log terraform plan",
		"GIT_INDEX_FILE=/tmp/idx git add f.txt",
		"TF_DATA_DIR=/tmp/tfdata terraform init",
		"TF_PLUGIN_CACHE_DIR=/tmp/plugins terraform init",
	} {
		hook10aAllowed(t, cmd)
	}
}

// F12: node --env-file can set NODE_OPTIONS (--import of a data: URL).
func TestHook10aNodeEnvFile(t *testing.T) {
	for _, cmd := range []string{
		"printf 'NODE_OPTIONS=--import=data:text/javascript,1\\n' > e.env && node --env-file=e.env s.js",
		"node --env-file e.env s.js",
		"node --env-file=.env app.js",
		"node --env-file-if-exists=e.env s.js",
		"node --experimental-config-file=node.config.json s.js",
		"bun --env-file=e.env s.js",
	} {
		hook10aRefused(t, cmd, "NODE_OPTIONS")
	}
	for _, cmd := range []string{"node s.js", "node --version", "node --enable-source-maps s.js"} {
		hook10aAllowed(t, cmd)
	}
}

// F5: less's key files set LESSOPEN in their #env section.
func TestHook10aLesskey(t *testing.T) {
	for _, cmd := range []string{
		"LESSKEYIN=/tmp/lk less f.txt",
		"LESSKEY=/tmp/lk less f.txt",
		"LESSKEYIN_SYSTEM=/tmp/lk less f.txt",
		"LESSKEY_SYSTEM=/tmp/lk less f.txt",
		"export LESSKEYIN=/tmp/lk; git log",
		"less --lesskey-src=/tmp/lk f.txt",
		"less --lesskey-src /tmp/lk f.txt",
		"less --lesskey-file=/tmp/lk f.txt",
		"less --lesskey-content='#env' f.txt",
		"less -k /tmp/lk f.txt",
		"less -k/tmp/lk f.txt",
		"less --lesskey-s=/tmp/lk f.txt",
		"PAGER='less --lesskey-src=/tmp/lk' git log",
		"git -c core.pager='less --lesskey-src=/tmp/lk' log",
	} {
		hook10aRefused(t, cmd, "")
	}
	// The file form: ~/.lesskey is protected (the hook's list, planguard).
	hook10aRefused(t, "printf '#env\\nLESSOPEN = |terraform destroy -auto-approve %%s\\n' > ~/.lesskey && less f.txt", "")
	for _, cmd := range []string{"less README.md", "less -R README.md", "less -N +G README.md", "git log | less"} {
		hook10aAllowed(t, cmd)
	}
}

// F9: ssh -F reads a whole ssh_config (ProxyCommand, LocalCommand).
func TestHook10aSSHConfigFile(t *testing.T) {
	for _, cmd := range []string{
		"printf 'Host *\\n ProxyCommand terraform destroy -auto-approve\\n' > /tmp/sc && ssh -F /tmp/sc h true",
		"ssh -F/tmp/sc h true",
		"ssh -qF /tmp/sc h true",
		"scp -F /tmp/sc h:x .",
		"sftp -F /tmp/sc h",
		"GIT_SSH_COMMAND='ssh -F /tmp/sc' git ls-remote h:x",
		"git -c core.sshCommand='ssh -F /tmp/sc' fetch",
		"rsync -e 'ssh -F /tmp/sc' h:x .",
		"ssh -o ProxyCommand='terraform destroy' h",
		"ssh -o 'LocalCommand=terraform destroy' -o PermitLocalCommand=yes h",
		"ssh -o KnownHostsCommand='terraform destroy' h",
		"ssh -o 'Match exec \"terraform destroy\"' h",
	} {
		hook10aRefused(t, cmd, "")
	}
	for _, cmd := range []string{"ssh -V", "ssh -p 2222 host uptime", "scp f.txt h:/tmp/", "ssh -o StrictHostKeyChecking=no h ls"} {
		hook10aAllowed(t, cmd)
	}
}

// F13: php -d INI settings carry code (auto_prepend_file with data:).
func TestHook10aPHPDefine(t *testing.T) {
	for _, cmd := range []string{
		"php -d allow_url_include=1 -d 'auto_prepend_file=\"data://text/plain;base64,PD9waHAgc3lzdGVtKCJ0ZXJyYWZvcm0gZGVzdHJveSIpOw==\"' s.php",
		"php -dauto_prepend_file=/tmp/x.php s.php",
		"php --define auto_prepend_file=/tmp/x.php s.php",
		"php -c /tmp/php.ini s.php",
		"PHPRC=/tmp php s.php",
		"PHP_INI_SCAN_DIR=/tmp php s.php",
	} {
		hook10aRefused(t, cmd, "")
	}
	for _, cmd := range []string{"php -v", "php s.php", "php -l s.php"} {
		hook10aAllowed(t, cmd)
	}
}

// F4: interactive and debugger modes read code from standard input.
func TestHook10aInteractiveModes(t *testing.T) {
	for _, cmd := range []string{
		"python3 -i s.py <<< 'import os; os.system(\"terraform destroy -auto-approve\")'",
		"python3 -ui s.py <<< x",
		"python3 -iu s.py <<< x",
		"python3 -X importtime -i s.py <<< x",
		"python3 -i s.py",
		"PYTHONINSPECT=1 python3 s.py <<< x",
		"perl -d s.pl <<< 'system(\"terraform destroy -auto-approve\")'",
		"printf 'x' | perl -d s.pl",
		"perl -d:Trace s.pl",
		"perl -wd s.pl",
		"lua -i s.lua <<< x",
		"PERL5OPT=-d perl s.pl <<< 'system(1)'",
		"PERL5OPT='-w -d:Trace' perl s.pl",
		"PERL5OPT=-wd perl s.pl",
		"LUA_INIT='os.execute(\"terraform destroy\")' lua s.lua",
		"LUA_INIT_5_4=@/tmp/x.lua lua s.lua",
	} {
		hook10aRefused(t, cmd, "")
	}
	for _, cmd := range []string{"python3 s.py", "python3 -u s.py", "perl s.pl", "perl -w s.pl", "lua s.lua", "ruby -d s.rb", "PERL5OPT=-w perl s.pl", "PERL5OPT=-MData::Dumper perl s.pl"} {
		hook10aAllowed(t, cmd)
	}
}

// ssh options that load code or write a file.
func TestHook10aSSHFiles(t *testing.T) {
	for _, cmd := range []string{
		"ssh -o PKCS11Provider=/tmp/lib.so h",
		"ssh -o SecurityKeyProvider=/tmp/lib.so h",
		"ssh -o XAuthLocation=/tmp/x -X h",
		"ssh -I /tmp/lib.so h",
		"ssh -E /work/infra/.claude/settings.json h true",
		"ssh -o UserKnownHostsFile=/work/infra/.claude/settings.json h true",
		"ssh -o 'UserKnownHostsFile ~/.bashrc' h true",
		"scp -o UserKnownHostsFile=/work/infra/.claude/settings.json f h:",
		"ssh -o UserKnownHostsFile=\"$F\" h true",
	} {
		hook10aRefused(t, cmd, "")
	}
	for _, cmd := range []string{
		"ssh -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no h true",
		"ssh -E /tmp/ssh.log h true",
	} {
		hook10aAllowed(t, cmd)
	}
}
