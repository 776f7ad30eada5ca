package shell

import (
	"strings"
	"testing"
)

// Findings F5, F6, F7, F9 and F12 of the hook17 review
// (/work/notes/reviews/hook17/report.md), and the harmless neighbours that
// stay allowed.

// F5: cp/install/rsync into a relative directory after a cd judge the
// source's name, as mv does.
func TestHook9bCopyAfterCd(t *testing.T) {
	for _, cmd := range []string{
		"cd evil && cp planguard.hcl ../..",
		"cd .. && cp infra/evil/planguard.hcl .",
		"pushd .. && cp infra/evil/planguard.hcl .",
		"cd /work && cp infra/evil/planguard.hcl .",
		"cd evil && install allowed_signers ../..",
		"cd evil && cp -t ../.. allowed_signers",
		"cd evil && cp --target-directory=../.. allowed_signers",
		"cd evil; cp allowed_signers ../..",
		"(cd evil && cp allowed_signers ../..)",
		"cd evil && rsync planguard.hcl ../..",
		"cd evil && cp PLANGUARD.HCL ..",
		"cd evil && cp planguard.* ..",
		"cd evil && cp \"$f\" ..",
		"cd evil && cp -r .claude ../..",
		"cd evil && cp planguard.hcl backup/",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"cp a.txt b.txt",
		"cd sub && cp x.tf y.tf",
		"cd sub && cp x.tf ..",
		"cd sub && cp -r modules build/",
		"cd sub && install -m 0755 tool ../bin",
		"cp evil/planguard.hcl /tmp/copy.hcl",
	} {
		wantAllowed(t, cmd)
	}
	r := Analyze("cd evil && cp planguard.hcl ../..", testOpts)
	if len(r.Refused) == 0 || !strings.Contains(r.Refused[0], "/work/planguard.hcl") {
		t.Errorf("refusal does not name the policy: %q", r.Refused)
	}
}

// F6: gawk's -W NAME[=VALUE] is --NAME[=VALUE]; an unknown -W option is
// refused.
func TestHook9bAwkW(t *testing.T) {
	for _, cmd := range []string{
		`awk -W so='BEGIN{system("terraform destroy -auto-approve")}'`,
		`gawk -Wsource='BEGIN{system("terraform destroy -auto-approve")}'`,
		`gawk -Wsour='BEGIN{system("terraform destroy -auto-approve")}'`,
		`awk -W source='BEGIN{print "x" > "../planguard.hcl"}'`,
		`awk -W include=inplace '{print "x"}' ../planguard.hcl`,
		`awk -Wi=inplace '{print "x"}' ../planguard.hcl`,
		`awk -W load=/tmp/x.so '{print}' f`,
		`awk -W exec /dev/stdin <<< 'BEGIN{system("terraform destroy")}'`,
		`awk -bWsource='BEGIN{system("terraform destroy")}'`,
		`awk -W source 'BEGIN{system("terraform destroy")}'`,
		`awk -W frobnicate '{print}' f`,
		`awk -W "$opt" '{print}' f`,
		`awk -W dump-variables=../planguard.hcl 'BEGIN{}'`,
		`awk -d../planguard.hcl 'BEGIN{}'`,
		`awk --pretty-print=../allowed_signers 'BEGIN{}'`,
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		`awk '{print $1}' f`,
		`awk -F: '{print $1}' /etc/passwd`,
		`awk -v n=1 '{print n}' f`,
		`awk -W version`,
		`gawk --version`,
		`mawk -W interactive '{print}' f`,
		`awk -W posix '{print $1}' f`,
	} {
		wantAllowed(t, cmd)
	}
}

// F7: the interpreter rows are closed: an option a row does not list is
// refused, and the value-taking options the review found are read as such.
func TestHook9bInterpreterOptions(t *testing.T) {
	code := `'require("child_process").execSync("terraform destroy -auto-approve")'`
	for _, o := range []string{"--title x", "--disable-warning x", "--redirect-warnings x", "--icu-data-dir x", "--openssl-config x",
		"--secure-heap 0", "--dns-result-order ipv4first", "--unhandled-rejections warn", "--max-http-header-size 99",
		"--test-reporter x", "--experimental-default-type commonjs", "--diagnostic-dir x", "--report-dir x",
		"--trace-event-categories x", "--tls-cipher-list x", "--frobnicate x", "-Z x"} {
		wantRefused(t, "node "+o+" -e "+code)
	}
	for _, cmd := range []string{
		`python3 --check-hash-based-pycs always -c 'import os; os.system("terraform destroy -auto-approve")'`,
		`python3 --frobnicate x -c 'import os'`,
		`bun --cwd x -e 'x'`,
		`bun --preload x -e 'x'`,
		`bun --frobnicate x -e 'x'`,
		`ruby -W -e 'system("terraform destroy")'`,
		`ruby --frobnicate x -e 'x'`,
		`lua -W -e 'os.execute("terraform destroy")'`,
		`perl --frobnicate x -e 'x'`,
		`perl -i.bak -pe 's/a/b/' f`,
		`php --run 'system("terraform destroy");'`,
		`php --frobnicate x -r 'x'`,
		`node -c -e 'x'`,
	} {
		wantRefused(t, cmd)
	}
	r := Analyze("node --frobnicate x -e y", testOpts)
	if len(r.Refused) == 0 || !strings.Contains(r.Refused[0], "--frobnicate is not an option of node the hook knows") {
		t.Errorf("unknown option: %q", r.Refused)
	}
	for _, cmd := range []string{
		"node script.js", "node --version", "node -v", "node --max-old-space-size=4096 build.js", "node --enable-source-maps dist/app.js",
		"node --test", "node --inspect app.js", // node --env-file: refused since hook10a (F12), hook10a_test.go
		"python3 -m pytest -q", "python3 -m pytest", "python3 --version", "python3 -W ignore x.py", "python3 -OO x.py", "python3 -u -m http.server",
		"perl x.pl", "ruby -w x.rb", "bun run dev", "bun test", "deno run -A main.ts", "php -S localhost:8000", "lua x.lua",
	} {
		wantAllowed(t, cmd)
	}
}

// F9: zsh and fish are not read; zsh-only syntax bash reads otherwise is
// refused (the agent's own shell may be zsh).
func TestHook9bZsh(t *testing.T) {
	for _, cmd := range []string{
		`zsh -c 'ls *(e:"terraform destroy -auto-approve":)'`,
		`zsh -c 'ls'`,
		`zsh -fc 'ls'`,
		`zsh -s <<< 'ls'`,
		`echo ls | zsh`,
		`zsh script.zsh`,
		`fish -c 'ls'`,
		`ls *(e:'terraform destroy -auto-approve':)`,
		`ls *(+tf)`,
		`ls ?(e'terraform destroy')`,
		`echo x >! ../planguard.hcl`,
		`echo x >>! notes.txt`,
		`cat =(terraform destroy -auto-approve)`,
		`x='terraform destroy'; $=x`,
		`x='*'; echo $~x`,
		`bash -c 'ls *(e:"terraform destroy":)'`,
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"zsh --version", "ls !(*.tf)", "ls @(a|b).tf", "echo x >| notes.txt", "echo '$=x'", `echo "a$"`, "sh -c 'ls'", `bash -c "echo hi"`,
	} {
		wantAllowed(t, cmd)
	}
}

// F12: common interpreters outside the read ones refuse inline code.
func TestHook9bOtherInterpreters(t *testing.T) {
	for _, cmd := range []string{
		`ipython -c 'import os; os.system("terraform destroy -auto-approve")'`,
		`ipython3 --InteractiveShellApp.exec_lines='["import os"]'`,
		`Rscript -e 'system("terraform destroy -auto-approve")'`,
		`R -e 'system("terraform destroy")'`,
		`julia -e 'run(` + "`terraform destroy`" + `)'`,
		`guile -c '(system "terraform destroy")'`,
		`erl -noshell -eval 'os:cmd("terraform destroy")'`,
		`elixir -e 'System.cmd("terraform", ["destroy"])'`,
		`gnuplot -e 'system "terraform destroy"'`,
		`dc -e '!terraform destroy -auto-approve'`,
		`echo '!terraform destroy' | dc`,
		`m4 <<< 'syscmd(terraform destroy -auto-approve)'`,
		`echo 'esyscmd(terraform destroy)' | m4`,
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{"ipython script.py", "Rscript analysis.R", "julia run.jl", "m4 defs.m4", "gnuplot plot.gp", "dc --version"} {
		wantAllowed(t, cmd)
	}
}
