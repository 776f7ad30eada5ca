package shell

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// Every wrapper row of the table (a program that runs another program, a
// command line or code given in an option) must judge the program its
// sample runs. Each sample runs CMD behind options whose arity a wrong row
// gets wrong (a flag read as taking a value swallows the program, a
// valued option read as a flag makes its value the program). CMD is run
// twice: a destroy (which the generic rule also finds among unknown
// arguments) and a write to the policy (which only the writer's own row
// finds), so both must be refused.
var wrapperSamples = map[string]string{
	"noglob": "noglob CMD", "nocorrect": "nocorrect CMD", "-": "- CMD", "busybox": "busybox CMD",
	"builtin": "builtin CMD", "unbuffer": "unbuffer -p CMD", "nohup": "nohup CMD",
	"doas":       "doas -n -u root -a style CMD",
	"setsid":     "setsid -c -f -w CMD",
	"command":    "command -p CMD",
	"exec":       "exec -c -a name CMD",
	"env":        "env -i -0 -u X --unset Y A=1 CMD",
	"sudo":       "sudo -E -H -n -u root -g g -c class -C 3 -p pw -h CMD",
	"time":       "/usr/bin/time -p -v -f %e -o /tmp/t CMD",
	"nice":       "nice -n 5 CMD",
	"ionice":     "ionice -t -c 2 -n 7 CMD",
	"stdbuf":     "stdbuf -i0 -o L -e 0 CMD",
	"caffeinate": "caffeinate -d -i -t 60 CMD",
	"strace":     "strace -f -c -e trace=all -o /tmp/s -s 80 -U name -O 1 -qq CMD",
	"ltrace":     "ltrace -f -c -S -e malloc -o /tmp/l -A 5 -n 2 CMD",
	"timeout":    "timeout -f -v -p -s TERM -k 5 60 CMD",
	"taskset":    "taskset -a -c 0 CMD",
	"chpst":      "chpst -u nobody -n 1 -v CMD",
	"chroot":     "chroot --skip-chdir --userspec=u:g / CMD",
	"flock":      "flock -o -u -x -n -s -F -w 5 -E 3 /tmp/l CMD",
	"su":         "su -f -m -P -s /bin/sh -c 'CMD' root",
	"runuser":    "runuser -f -m -u root -g g -c 'CMD'",
	"script":     "script -q -a -e -f -E never -O /tmp/o -c 'CMD' /tmp/t",
	"tenv":       "tenv tf CMDARGS",
	"mise":       "mise exec -C . tool@1 -- CMD",
	"rtx":        "rtx exec tool@1 -- CMD",
	"aqua":       "aqua exec -- CMD",
	"nix":        "nix shell nixpkgs#hello --command CMD",
	"nix-shell":  "nix-shell -p hello --run 'CMD'",
	"dpkg":       "dpkg --log /tmp/x --post-invoke='CMD' --configure -a",
	"asdf":       "asdf exec CMD",
	"rsync":      "rsync -a -v -e 'CMD;:' a host:b",
	"tar":        "tar -x -v -f x.tar --to-command='CMD;:'",
	"eval":       "eval 'CMD'",
	"watch":      "watch -d -b -c -e -g -t -w -p -n 5 -q 3 'CMD'",
	"ssh":        "ssh -A -f -N -q -T -t -x -Y -v -p 22 -l u host 'CMD'",
	"scp":        "scp -O -S 'CMD;:' a host:b",
	"sftp":       "sftp -C -S 'CMD;:' host",
	"trap":       "trap -- 'CMD' EXIT",
	"compgen":    "compgen -C 'CMD;:' x",
	"complete":   "complete -C 'CMD;:' x",
	"man":        "man -a -P 'CMD;:' ls",
	"xargs":      "echo a | xargs -0 -r -t -x -p -o -l -e -i sh -c 'CMD'",
	"parallel":   "parallel -k -q -u -v -j 2 -e -i -l ::: 'CMD'",
	"find":       "find . -maxdepth 1 -exec sh -c 'CMD' \\;",
	"flock-c":    "flock /tmp/l -c 'CMD'",
	"split":      "split -d -a 3 -l 10 --filter='CMD' main.tf part_",
	"gsplit":     "gsplit -n 2 --fil 'CMD' main.tf",
}

// wrapperCmds are what each sample runs: CMD as a command, CMDARGS after
// a row that names the program itself (tenv tf ARGS).
var wrapperCmds = []struct{ cmd, args string }{
	{"terraform destroy -auto-approve", "destroy -auto-approve"},
	{"cp e.json ../planguard.hcl", ""},
}

func TestWrapperRowsJudgeTheirProgram(t *testing.T) {
	var missing []string
	for name, p := range programs {
		if p.judge != nil || p.reader && len(p.code) == 0 || p.runs == runsNothing && len(p.code) == 0 && p.sub == nil {
			continue
		}
		if p.runs == runsArgs && len(p.code) == 0 && p.sub == nil && p.split == nil {
			continue // reads no code option: the generic rule (TestR17hookWrapper…)
		}
		if _, ok := wrapperSamples[name]; !ok {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("wrapper rows without a sample in wrapperSamples: %s", strings.Join(missing, ", "))
	}
	for name, sample := range wrapperSamples {
		for _, w := range wrapperCmds {
			cmd := strings.ReplaceAll(sample, "CMD", w.cmd)
			if strings.Contains(sample, "CMDARGS") {
				if w.args == "" {
					continue
				}
				cmd = strings.ReplaceAll(sample, "CMDARGS", w.args)
			}
			if Analyze(cmd, testOpts).Allowed() {
				t.Errorf("%s: allowed, want refused: %s", name, cmd)
			}
		}
	}
}

// Wrong arities found by auditing the table against the tools' --help:
// each made a value of the program (or a flag of a code option).
func TestR17hookTableAudit(t *testing.T) {
	for _, cmd := range []string{
		"chpst terraform destroy -auto-approve",      // chpst has no operand before the program
		"su -f -c 'terraform destroy -auto-approve'", // su -f is a flag
		"runuser -u root -f -c 'terraform destroy -auto-approve'",
		"scp -O -S 'terraform destroy -auto-approve;:' a host:b", // scp -O is a flag
		"sed -s '1e terraform destroy -auto-approve' 's/a/b/' f", // sed -s is a flag
		"sudo -c class cp e.json ../planguard.hcl",               // sudo -c takes a login class
		"setsid -c cp e.json ../planguard.hcl",
		"nix shell nixpkgs#hello --command terraform destroy -auto-approve",
		"nix-shell --run 'terraform destroy -auto-approve'",
		"man -P 'terraform destroy -auto-approve;:' ls",
		"sftp -b - host <<<'!terraform destroy -auto-approve'",
		"parallel cp e.json {} ::: ../planguard.hcl",
		"echo x | xargs -i cp e.json {}",
	} {
		wantRefused(t, cmd)
	}
}

// More commands that run commands of their own, found alongside the
// r17hook findings.
func TestR17hookMoreCommandRunners(t *testing.T) {
	for _, cmd := range []string{
		"git instaweb --httpd='terraform destroy -auto-approve;:'",
		"git -c protocol.ext.allow=always clone 'ext::sh -c terraform% destroy' x",
		"git clone -c core.fsmonitor='terraform destroy -auto-approve;:' . /tmp/c",
		"git -c tar.tgz.command='terraform destroy -auto-approve;:' archive -o x.tgz HEAD",
		"git -c hook.x.command='terraform destroy -auto-approve' commit -m x",
		"git $sub -x 'terraform destroy -auto-approve' HEAD~1",
		"emacs --batch --eval '(shell-command \"terraform destroy -auto-approve\")'",
		"emacs -Q --batch -l /dev/stdin <<<'(shell-command \"terraform destroy\")'",
		"less '+!terraform destroy -auto-approve' README.md",
		"echo ':!terraform destroy -auto-approve' | vim -",
		"ed '!terraform destroy -auto-approve'",
		"read PROMPT_COMMAND <<<'terraform destroy -auto-approve'; export PROMPT_COMMAND; bash -i </dev/null",
		"printf -v PS4 '%s' '$(terraform destroy -auto-approve)'; set -x; true",
		"PROMPT_COMMAND=('terraform destroy -auto-approve'); export PROMPT_COMMAND; bash -i </dev/null",
		"declare -x PS1='\\044(terraform destroy -auto-approve)'; bash -i </dev/null",
		"env -S 'terraform\\_destroy -auto-approve'",
		"env -S 'PROMPT_COMMAND=terraform\\_destroy bash -i'",
	} {
		wantRefused(t, cmd)
	}
}

// Writes whose destination is computed: refused unless it is a file
// mktemp made in this line; and the ways such a name could be changed.
func TestR17hookComputedDestinations(t *testing.T) {
	for _, cmd := range []string{
		`echo x >& "$(echo ../planguard.hcl)"`,
		"echo x >& ../planguard.hcl",
		`echo x > "$OUT"`,
		`tee "$f" <<<x`,
		`t=$(mktemp); t=../planguard.hcl; echo x > "$t"`,
		`t=$(mktemp); t+=/../../planguard.hcl; echo x > "$t"`,
		`t=$(mktemp); echo x > "$t/../planguard.hcl"`,
		`if false; then t=$(mktemp); fi; echo x > "$t"`,
		`bash -c 't=$(mktemp)'; echo x > "$t"`,
		`t=$(mktemp) & echo x > "$t"`,
		`for i in 1 2; do echo x > "$t"; t=$(mktemp); done`,
		`t=$(mktemp -u); echo x > "$t"`,
		`t=$(mktemp --dry); echo x > "$t"`,
		`alias mktemp='echo ../planguard.hcl'; t=$(mktemp); echo x > "$t"`,
		`t=$(mktemp); bash -c 'echo x > "$t"'`,
		`ln -s "$x" p`,
		`mv "$f" /tmp/x`,
		`sed -i s/a/b/ "$f"`,
		"git ls-files | xargs sed -i s/a/b/",
		"find . -name '*.bak' -exec rm {} +",
		"sort -o \"$f\" x",
		"ln -s .claude c",
		"cp -s ../allowed_signers s",
		"link ../allowed_signers s",
		"ln -s ../planguard.hcl sub/../p",
		"cp settings.json .cl*/",
		"cp ../e/* .claude/",
		`cp "$f" .claude/`,
		"less -o ../planguard.hcl -f /dev/stdin <<<x",
	} {
		wantRefused(t, cmd)
	}
}

// Harmless commands around the new rules stay allowed.
func TestR17hookHarmlessStillAllowed(t *testing.T) {
	for _, cmd := range []string{
		"terraform plan -out tfplan",
		"terraform show -json tfplan",
		"terraform validate",
		"git status",
		"git commit -m 'do not run terraform destroy'",
		"git grep -n destroy",
		"git grep -O prod_db",
		"git rebase -i HEAD~2",
		"git bisect start HEAD HEAD~3",
		"git fetch origin",
		"git clone https://example.com/r.git",
		"git submodule update --init",
		"grep -rn 'terraform destroy' docs",
		"awk '{print $1}' f",
		"sed -n 1p f",
		"sed -i 's/a/b/' main.tf",
		"find . -name '*.tf' -exec grep -l destroy {} \\;",
		"find . -name '*.bak' -delete",
		"echo a | xargs -I{} grep -l {} main.tf",
		"echo a | xargs -l echo",
		"taskset -c 0 terraform plan",
		"flock -o /tmp/l terraform plan",
		"vim main.tf",
		"less +G README.md",
		"less +/resource main.tf",
		"man ls",
		"cp x \"$(mktemp)\"",
		`t=$(mktemp); echo x > "$t"; cat "$t"; rm -f "$t"`,
		`d=$(mktemp -d) && cp main.tf "$d/main.tf"`,
		`t="$(mktemp)"; terraform show -no-color tfplan > "$t.txt"`,
		"echo x > notes.md",
		"cp main.tf main.tf.bak",
		"cp x.json notes/",
		"ln -s /tmp/notes.md notes.md",
		"echo x 2>&1 >/dev/null",
		"echo x >&2",
		"PS4='+ ' bash -x script.sh",
		"export PROMPT_COMMAND='history -a'",
	} {
		if r := Analyze(cmd, testOpts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
}

// The fuzzer's seeds: every sample is judged the same after `bash -c`.
func TestWrapperSamplesUnderBashC(t *testing.T) {
	for name, sample := range wrapperSamples {
		if strings.Contains(sample, "CMDARGS") {
			continue
		}
		cmd := "bash -c " + quoted(strings.ReplaceAll(sample, "CMD", "terraform destroy -auto-approve"))
		if Analyze(cmd, testOpts).Allowed() {
			t.Errorf("%s: allowed, want refused: %s", name, fmt.Sprint(cmd))
		}
	}
}
