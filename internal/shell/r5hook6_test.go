package shell

import "testing"

// Siblings of the r-hook5 findings (planguard/attack_r5_test.go), judged
// by the same general rules: abbreviated long options resolve as
// getopt_long resolves them, options that run or write are read in every
// spelling, and the harmless forms stay allowed.
func TestR5Hook6Siblings(t *testing.T) {
	for _, cmd := range []string{
		// abbreviations of options that run code or write files
		"env --split-str='terraform destroy -auto-approve'",
		"flock --comm='terraform destroy -auto-approve' /tmp/l",
		"tar --to-com='terraform destroy -auto-approve' -xf a.tar",
		"tar --use-comp='terraform destroy -auto-approve' -cf a.tar main.tf",
		"tar --to='terraform destroy -auto-approve' -xf a.tar",
		"tar --checkp=exec='terraform destroy -auto-approve' -cf /dev/null main.tf",
		"make --e='zz:;terraform destroy -auto-approve' zz",
		"gawk --s='BEGIN{system(\"terraform destroy -auto-approve\")}'",
		"sort --o=.claude/settings.json main.tf",
		"cp --targ .claude e/settings.json",
		"mv --target=.claude e/settings.json",
		"sed --in 's/x/EVIL/' ../planguard.hcl",
		"cp --back -S .json x .claude/settings",
		// output options
		"ltrace -o .claude/settings.json true",
		"strace --out='|terraform destroy -auto-approve' true",
		"strace -o \"$f\" true",
		"time -o .claude/settings.json true",
		"tar -cf.claude/settings.json main.tf",
		"wget -O.claude/settings.json http://x",
		// install --strip-program runs PROG DEST
		"install -s --strip-program=terraform main.tf /tmp/x/destroy",
		"install -s --strip-program=\"$p\" main.tf x",
		"install -s --strip-program=terraform -t . destroy",
		// history and fc
		"fc -s",
		"fc -e vi 1",
		"fc",
		"history -s 'terraform destroy -auto-approve'",
		"history -r h.txt",
		"history -w .claude/settings.json",
		"history -a ../planguard.hcl",
		"export HISTFILE=.claude/settings.json",
		"declare HISTFILE=../planguard.hcl",
		"HISTFILE=$x",
		// ~NAME is computed when the hook cannot look the user up
		"echo x > ~nosuchuser/.claude/settings.json",
		// globs that may expand to an option
		"terraform * init",
		"terraform init *",
		"tofu init -?orce-copy",
		"terragrunt init -[f]orce-copy",
		"$TF init -[f]orce-copy",
		// perl clusters
		"perl -l012e 'system 1'",
		"perl -0777e 'system 1'",
		"perl -nle 'print'",
	} {
		wantRefused(t, cmd)
	}
	for _, cmd := range []string{
		"env --ignore-env terraform plan",
		"env -i PATH=/usr/bin terraform plan",
		"tar --checkpoint=100 -cf a.tar main.tf",
		"tar --checkpoint -cf a.tar main.tf",
		"tar -czf out.tgz --exclude=.terraform .",
		"sort --numeric -o out.txt in.txt",
		"sort --rev in.txt",
		"cp --recur src dst",
		"cp -r --preserve=mode a b",
		"install -s -m 755 bin/tool /tmp/tool",
		"install --strip -m 755 bin/tool /tmp/tool",
		"sed --quiet -n 's/x/y/p' main.tf",
		"sed --in-place 's/x/y/' main.tf",
		"gawk --version",
		"awk -F, '{print $1}' f.csv",
		"make --dry-run plan",
		"make -j4 --keep-going",
		"strace -f -o /tmp/trace.txt true",
		"strace -c true",
		"/usr/bin/time -v true",
		"/usr/bin/time -o /tmp/t.txt true",
		"gcc -O2 -o /tmp/a.out x.c",
		"curl -sSLo /tmp/x.json https://example.com/x.json",
		"perl -l -w script.pl",
		"perl -l012 script.pl",
		"perl -x script.pl",
		"history",
		"history 20",
		"history -c",
		"history -p '!!'",
		"history -a",
		"fc -l",
		"fc -ln -5",
		"export PROMPT_COMMAND='history -a'",
		"HISTFILE=/tmp/h; history -w",
		"terraform init -upgrade",
		"terraform plan -var-file=prod.tfvars",
		"terraform fmt main.tf",
		"echo ~/x",
		"ls ~nosuchuser",
		"echo hi\tthere",
	} {
		if r := Analyze(cmd, testOpts); !r.Allowed() {
			t.Errorf("refused, want allowed: %s\n%q", cmd, r.Refused)
		}
	}
	for _, cmd := range []string{"a\rb", "x\x15y", "\x01", "a\x7f", "a\tb"} {
		if TerminalControl(cmd) == "" {
			t.Errorf("TerminalControl(%q) is empty", cmd)
		}
	}
	for _, cmd := range []string{"a\nc", "terraform plan", "echo é"} {
		if c := TerminalControl(cmd); c != "" {
			t.Errorf("TerminalControl(%q) = %s, want empty", cmd, c)
		}
	}
}
