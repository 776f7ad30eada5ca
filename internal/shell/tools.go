package shell

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"mvdan.cc/sh/v3/syntax"
)

// safeSubcommands change neither infrastructure nor state.
var safeSubcommands = map[string]bool{
	"init": true, "validate": true, "plan": true, "show": true, "output": true, "fmt": true,
	"graph": true, "providers": true, "get": true, "login": true, "logout": true,
	"metadata": true, "modules": true, "version": true, "console": true, "help": true,
	"state": true, "workspace": true,
}

// applyFlags may accompany an apply of a saved plan: none changes what the
// plan does. Those ending in "=" take a value.
var applyFlags = map[string]bool{
	"auto-approve": true, "input": true, "no-color": true, "compact-warnings": true,
	"json": true, "parallelism=": true, "lock": true, "lock-timeout=": true, "concise": true,
}

// envRefused are environment settings that change what an apply of a saved
// plan does or reads.
func envRefused(name string) bool {
	switch name {
	case "TF_WORKSPACE", "TF_DATA_DIR", "PATH", "TF_CLI_CONFIG_FILE", "TERRAFORM_CONFIG", "BASH_ENV", "ENV", "LD_PRELOAD", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES":
		return true
	}
	return strings.HasPrefix(name, "TF_CLI_ARGS")
}

// terraform judges terraform/tofu ARGS.
func (a *analyzer) terraform(c call) kind {
	argv := c.argv
	tool := commandTool(baseName(strings.TrimPrefix(argv[0].s, "=")))
	line := quoteArgs(argv)
	if a.unknownEnv {
		a.refuse("`%s`: the line sets environment variables whose names it computes (export $X), which may add arguments to what %s runs (TF_CLI_ARGS)", line, tool)
		return kindOther
	}
	// TF_CLI_ARGS and TF_CLI_ARGS_<subcommand> add arguments to every
	// subcommand (TF_CLI_ARGS_init=-force-copy, TF_CLI_ARGS_apply=-destroy).
	for _, n := range append(append([]string{}, c.assigns...), a.assigned()...) {
		if strings.HasPrefix(n, "TF_CLI_ARGS") {
			a.refuse("`%s`: %s, set in this line, adds arguments the hook does not see to what %s runs", line, n, tool)
			return kindOther
		}
	}
	if a.globOption(argv, line, tool) {
		return kindOther
	}
	for _, t := range argv[1:] {
		if t.s == "--" {
			break
		}
		if f := strings.TrimLeft(t.s, "-"); strings.HasPrefix(t.s, "-") && (f == "install-autocomplete" || f == "uninstall-autocomplete") {
			// It writes the shells' startup files (review hook72 L1),
			// anywhere before -- (terraform version -install-autocomplete:
			// review hook104 H1).
			a.refuse("`%s` writes ~/.bashrc and ~/.zshrc, the shells' startup files: a person installs completion", line)
			return kindOther
		}
	}
	chdir := ""
	i := 1
	for ; i < len(argv); i++ {
		t := argv[i]
		if !strings.HasPrefix(t.s, "-") {
			break
		}
		if v, ok := strings.CutPrefix(strings.TrimPrefix(t.s, "-"), "-chdir="); ok {
			if t.dyn {
				chdir = "\x00"
			} else {
				chdir = v
			}
		} else if v, ok := strings.CutPrefix(t.s, "-chdir="); ok {
			if t.dyn {
				chdir = "\x00"
			} else {
				chdir = v
			}
		}
	}
	if i >= len(argv) {
		return kindBenign // terraform, terraform -version, terraform -help
	}
	sub := argv[i]
	if sub.dyn {
		a.refuse("`%s`: the %s subcommand is computed at run time, so the hook cannot tell what it does", line, tool)
		return kindOther
	}
	name := strings.ToLower(sub.s)
	rest := argv[i+1:]
	for _, t := range rest {
		if a.mayBeOption(t, []string{"out", "generate-config-out", "state-out", "backup", "state"}) {
			// terraform plan ${x--out=../planguard.hcl} (review hook42 H2).
			a.refuse("`%s`: %s is computed at run time and may be -out=FILE or another flag whose file terraform writes: write the flags out", line, srcOf(t))
			return kindOther
		}
	}
	// Terraform and OpenTofu drop every -no-color word (and, for the
	// commands with views, -compact-warnings) before their flag parser
	// reads the rest: `plan -out -no-color terraform.tfstate` writes the
	// state (review hook140 H1). The flags are judged both ways.
	for _, r := range [][]tok{rest, tfViewless(rest)} {
		if q := a.tfWrites(chdir, r); q != "" {
			a.refuse("`%s` writes %s, which holds the gate's trust", line, q)
			return kindOther
		}
	}
	if tfHelpOnly(rest) {
		return kindBenign // terraform destroy -help: prints the help, runs nothing
	}
	// init, init -upgrade and providers lock rewrite the dependency lock
	// file of the directory they run in, which the policy's lock_file
	// may name (review hook50 M1).
	if name == "init" || name == "providers" && firstPositional(rest) != nil && strings.EqualFold(firstPositional(rest).s, "lock") {
		lock := ".terraform.lock.hcl"
		if chdir == "\x00" {
			lock = "" // any directory: judged by name
		} else if chdir != "" {
			lock = chdir + "/" + lock
		}
		q := ""
		if lock == "" {
			q = a.mayName(".terraform.lock.hcl")
		} else {
			q = a.protected(lock)
		}
		if q != "" {
			a.refuse("`%s` rewrites %s, the dependency lock file the policy pins (lock_file): a person updates it through review", line, q)
			return kindOther
		}
	}
	switch {
	case name == "apply":
		return a.tfApply(c, tool, line, chdir, rest)
	case name == "state":
		if s := firstPositional(rest); s == nil || s.dyn || stateRefused(strings.ToLower(s.s)) {
			a.refuse("`%s` changes the Terraform state (only state list, show and pull are allowed): %s", line, planOnly)
		}
		return kindOther
	case name == "workspace":
		s := firstPositional(rest)
		if s != nil && (s.dyn || strings.ToLower(s.s) == "delete") {
			a.refuse("`%s` deletes a workspace and its state: %s", line, planOnly)
			return kindOther
		}
		// workspace new -state=FILE copies FILE into the new workspace's
		// state, and the workspace `..` has terraform.tfstate.d/../
		// terraform.tfstate, the default state (review hook72 H1).
		sub := true // the first positional word is the subcommand
		for _, t := range rest {
			f := strings.TrimLeft(t.s, "-")
			if t.dyn || strings.HasPrefix(t.s, "-") && (f == "state" || strings.HasPrefix(f, "state=")) {
				a.refuse("`%s`: -state copies a state file into the new workspace's state (the workspace `..` is the default state): %s", line, planOnly)
				return kindOther
			}
			if !strings.HasPrefix(t.s, "-") && sub {
				sub = false
				continue
			}
			if !strings.HasPrefix(t.s, "-") && !plainWorkspace(t.s) {
				a.refuse("`%s`: %q is not a plain workspace name (letters, digits, - and _): its state path is terraform.tfstate.d/NAME/terraform.tfstate, which `..` makes the default state", line, t.s)
				return kindOther
			}
		}
		return kindOther
	case name == "init":
		if why := a.initBackend(c, chdir, rest); why != "" {
			a.refuse("`%s`: %s", line, why)
			return kindOther
		}
		input := true
		for _, t := range rest {
			if a.mayBeMigrateFlag(t) {
				a.refuse("`%s`: %s is computed at run time and may be -migrate-state or -force-copy, which copy state into another backend, overwriting what is there: write init's arguments out", line, srcOf(t))
				return kindOther
			}
			f := strings.TrimLeft(t.s, "-")
			if strings.HasPrefix(t.s, "-") && (strings.HasPrefix(f, "migrate-state") || strings.HasPrefix(f, "force-copy")) {
				a.refuse("`%s` copies state into another backend, overwriting what is there: a person migrates state", line)
				return kindOther
			}
			if v, ok := strings.CutPrefix(f, "input="); ok && strings.HasPrefix(t.s, "-") && !t.dyn {
				input = parsesTrue(v)
			}
		}
		if input && c.fed {
			a.refuse("`%s` reads its answers from standard input here, and a yes copies the state into another backend, overwriting it: run init with -input=false, on its own", line)
		}
		return kindOther
	case name == "login" || name == "logout":
		// They write the credentials file, ~/.terraform.d/credentials.tfrc.json
		// (review hook98 M4), or run a credentials helper.
		a.refuse("`%s` changes the stored credentials (~/.terraform.d/credentials.tfrc.json), which the hook protects: a person logs in and out", line)
		return kindOther
	case name == "providers" && firstPositional(rest) != nil && strings.EqualFold(firstPositional(rest).s, "mirror"):
		// providers mirror DIR writes provider packages into DIR, which
		// may be a protected directory or the implied local mirror
		// (~/.terraform.d/plugins: review hook98 M4).
		for _, r := range [][]tok{rest, tfViewless(rest)} {
			if q := a.tfMirrorDir(chdir, r); q != "" {
				a.refuse("`%s` writes provider packages into %s: mirror into a directory of its own", line, q)
				break
			}
		}
		return kindOther
	case name == "show" || name == "version" || name == "validate":
		return kindBenign
	case safeSubcommands[name]:
		return kindOther
	case name == "destroy":
		a.refuse("`%s` destroys infrastructure: %s", line, planOnly)
	case name == "import" || name == "taint" || name == "untaint" || name == "force-unlock" || name == "refresh":
		a.refuse("`%s` changes the Terraform state: %s", line, planOnly)
	case name == "test":
		a.refuse("`%s` creates and destroys real infrastructure: run it in CI", line)
	case !sub.dyn && versionWord.MatchString(sub.s):
		// asdf install terraform 1.8.5: the version after the name is no
		// subcommand, and terraform given one prints an error.
		return kindOther
	default:
		a.refuse("`%s`: `%s` is not a %s subcommand the hook knows to be read-only, so it is refused", line, sub.s, tool)
	}
	return kindOther
}

// versionWord is a version number (1.8.5, v1.11.4, 1.9.0-rc1).
var versionWord = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+)*(-[0-9A-Za-z.]+)?$`)

// planOnly is the way forward the refusals name.
const planOnly = "plan instead (`terraform plan -out tfplan`), check it (`planguard check tfplan`), and ask a person to approve what the gate blocks"

func firstPositional(args []tok) *tok {
	for i := range args {
		if !strings.HasPrefix(args[i].s, "-") || args[i].dyn && args[i].s == "" {
			return &args[i]
		}
	}
	return nil
}

// tfApply allows `apply [safe flags] PLANFILE` on condition that the gate
// allows the plan; everything else that applies is refused.
func (a *analyzer) tfApply(c call, tool, line, chdir string, args []tok) kind {
	if c.chdir != "" {
		a.refuse("`%s` runs in the directory %s names, so the plan it applies is not the file the hook checks: apply from the plan's own directory, or with -chdir", line, c.chdir)
		return kindOther
	}
	for _, n := range c.assigns {
		if envRefused(n) {
			a.refuse("`%s`: %s changes what the apply does", line, n)
			return kindOther
		}
	}
	var plans []tok
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.s == "--" && !t.dyn {
			plans = append(plans, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(t.s, "-") || t.s == "-" {
			plans = append(plans, t)
			continue
		}
		if t.dyn {
			a.refuse("`%s`: an apply flag is computed at run time: %s", line, planOnly)
			return kindOther
		}
		f := strings.TrimLeft(t.s, "-")
		n, v, hasValue := strings.Cut(f, "=")
		switch {
		case n == "lock" && hasValue && !parsesTrue(v):
			// Without the state lock two applies can run at once, and the
			// last to write the state drops what the other recorded.
			a.refuse("`%s` applies without the state lock (%s): two applies could then drop each other's state; apply with the lock (planguard apply refuses -lock=false too)", line, t.s)
			return kindOther
		case applyFlags[n]:
		case applyFlags[n+"="]:
			if !hasValue {
				i++ // -parallelism 4
			}
		default:
			a.refuse("`%s` applies without a checked saved plan (%s): %s", line, t.s, planOnly)
			return kindOther
		}
	}
	switch {
	case len(plans) == 0:
		a.refuse("`%s` plans and applies in one step, so no one checked the plan: %s; then apply the checked file", line, planOnly)
	case len(plans) > 1:
		a.refuse("`%s`: an apply takes one saved plan file", line)
	case plans[0].dyn || chdir == "\x00":
		a.refuse("`%s`: the plan file is computed at run time, so the hook cannot check it", line)
	default:
		a.res.Applies = append(a.res.Applies, PlanApply{Tool: tool, Chdir: chdir, Plan: plans[0].s})
		a.applies++
		return kindApply
	}
	return kindOther
}

// terragrunt refuses a terragrunt call that names a subcommand that
// changes infrastructure or state anywhere in its arguments (terragrunt
// passes them on to terraform: run-all, run --all, run --, stack run).
func (a *analyzer) terragrunt(c call) kind {
	argv := c.argv
	line := quoteArgs(argv)
	if a.terragruntEnv(c) {
		return kindOther
	}
	if w, ok := namesRefused(argv[1:]); ok {
		a.refuse("`%s` runs `%s` through terragrunt: %s", line, w, planOnly)
		return kindOther
	}
	if a.globOption(argv, line, "terragrunt") {
		return kindOther
	}
	if a.opts.LocalState != nil && a.opts.LocalState(a.opts.Cwd) && !tgReadOnly(argv[1:]) {
		// terragrunt may generate a backend (remote_state, generate) and
		// run init on its own (plan included): with a local state here,
		// init can empty it (review hook80 M2).
		a.refuse("`%s`: a local Terraform state is here, and terragrunt may generate a backend and run init on its own, which can empty the state: run it where the state is remote, or a person runs it", line)
		return kindOther
	}
	for _, t := range argv[1:] {
		if t.dyn && !strings.HasPrefix(t.s, "-") {
			a.refuse("`%s`: a terragrunt argument is computed at run time, so the hook cannot tell what it runs", line)
			return kindOther
		}
		if !t.dyn && strings.EqualFold(t.s, "test") {
			a.refuse("`%s` creates and destroys real infrastructure: run it in CI", line)
			return kindOther
		}
	}
	return kindOther
}

// planguard refuses approve and sign (a person signs), and a planguard
// apply that judges by anything but the hook's policy and the current time.
func (a *analyzer) planguard(c call) kind {
	argv := c.argv
	line := quoteArgs(argv)
	sub := firstPositional(argv[1:])
	if sub == nil {
		return kindBenign
	}
	if sub.dyn {
		a.refuse("`%s`: the planguard command is computed at run time", line)
		return kindOther
	}
	if !strings.EqualFold(sub.s, "apply") {
		a.planguardWrites(argv) // check --out, --audit-log, --attest
	}
	switch strings.ToLower(sub.s) {
	case "approve", "sign", "approve-plan":
		a.refuse("`%s`: an agent proposes approvals, a person signs them (planguard %s runs on the approver's machine with their key)", line, sub.s)
		return kindOther
	case "check", "verify", "version", "payload", "verify-attestation":
		return kindBenign
	case "apply":
		return a.planguardApply(c, line)
	case "runner":
		// runner serve applies what its own policy allows: one the agent
		// wrote (plan_approvals = 0) would apply a delete the hook's
		// policy protects (review hook140 H2). The operator starts the
		// runner; plan, apply and show talk to it.
		for _, t := range argv[2:] {
			if t.dyn || strings.EqualFold(t.s, "serve") {
				a.refuse("`%s` starts a runner, which applies what its own policy allows: the operator runs the runner (as another user, with the credentials); use `planguard runner plan` and `planguard runner apply` to talk to it", line)
				return kindOther
			}
		}
	case "hook":
		// hook install rewrites the agent's hook settings (another policy).
		for _, t := range argv[2:] {
			if t.dyn || strings.EqualFold(t.s, "install") {
				a.refuse("`%s` rewrites the agent's hook settings, which hold the gate's trust: a person installs the hook", line)
				return kindOther
			}
		}
	}
	return kindOther
}

// pgApplyFlags are the flags of `planguard apply` the hook lets the agent
// pass (planguard/check.go, apply.go, attest.go): none changes whom the gate
// trusts, when it judges, which binary applies or what file is written.
// true: the flag takes a value. Everything else is refused: --now,
// --terraform-bin, --author (the author's own approvals would count), the
// attestation flags (apply on an earlier decision), --attest/--attest-key
// (signing), --out and --audit-log (write files the hook does not judge).
var pgApplyFlags = map[string]bool{"policy": true, "policy-sha256": true, "format": true}

// planguardApply allows `planguard apply` only in the form the hook can
// vouch for: the planguard the hook itself runs (Options.Planguard, never
// a copy the agent may have built or put on PATH), in the directory the
// hook judges (no env -C, sudo -i, find -execdir; per-input runners are
// refused for every guarded program), no environment variable set in the
// line that planguard or terraform reads, the hook's own policy, and only
// the flags in pgApplyFlags. planguard then pins the plan
// (copies and hashes it), checks the copy and applies exactly that copy at
// the moment it applies, so no later swap of the file can slip through.
func (a *analyzer) planguardApply(c call, line string) kind {
	argv := c.argv
	if c.chdir != "" {
		a.refuse("`%s` runs in the directory %s names, where its policy and plan paths mean other files", line, c.chdir)
		return kindOther
	}
	prog := strings.TrimPrefix(argv[0].s, "=")
	if !contains(a.opts.Planguard, prog) {
		if len(a.opts.Planguard) == 0 {
			a.refuse("`%s`: the hook knows no planguard binary it vouches for, so it cannot allow planguard apply", line)
		} else {
			a.refuse("`%s` runs %s, not the planguard the hook vouches for: run `%s apply …`", line, prog, a.opts.Planguard[0])
		}
		return kindOther
	}
	for _, n := range append(append([]string{}, c.assigns...), a.assigned()...) {
		if pgApplyReads(n) {
			a.refuse("`%s`: %s, set in this line, changes what planguard or terraform reads", line, n)
			return kindOther
		}
	}
	if a.unknownEnv {
		a.refuse("`%s`: the line sets environment variables whose names it computes (export $X), which planguard or terraform may read", line)
		return kindOther
	}
	if w := a.applyWrapper(prog); w != "" {
		// env -u PLANGUARD_AUTHOR, env -i, exec -c, sudo: the variables
		// planguard reads (the change's author, the terraform it runs)
		// unset or reset (review hook115 M1).
		a.refuse("`%s` runs behind %s, which may unset or reset the environment planguard reads (PLANGUARD_AUTHOR, PLANGUARD_TERRAFORM): run planguard apply directly", line, w)
		return kindOther
	}
	policy := "planguard.hcl"
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.dyn {
			a.refuse("`%s`: the argument %s is computed at run time, and may be a flag the hook does not allow", line, t.String())
			return kindOther
		}
		if t.s == "--" {
			break // terraform apply flags: planguard apply allows only harmless ones
		}
		if !strings.HasPrefix(t.s, "-") || t.s == "-" {
			continue
		}
		n, v, hasValue := strings.Cut(strings.TrimLeft(t.s, "-"), "=")
		takes, ok := pgApplyFlags[n]
		if !ok {
			a.refuse("`%s`: %s is not a planguard apply flag the hook allows (only --policy with the hook's policy, --policy-sha256, --format): it may change whom the gate trusts, when it judges, which binary applies, or write files", line, t.s)
			return kindOther
		}
		if takes && !hasValue && i+1 < len(args) {
			i++
			if args[i].dyn {
				a.refuse("`%s`: the value of --%s is computed at run time", line, n)
				return kindOther
			}
			v = args[i].s
		}
		if n == "policy" {
			policy = v
		}
	}
	// The policy as written, made absolute: a symlink the agent made to the
	// policy is not followed (it could point elsewhere by the time planguard
	// reads it); Options.Policy lists the hook's policy and its real path.
	if a.climbs(policy) {
		a.refuse("`%s` names the policy %s, with `..` after a directory name, which the kernel resolves through that directory (maybe a symbolic link to another policy): run it with `--policy %s`", line, policy, a.opts.Policy)
		return kindOther
	}
	if a.opts.Policy == "" || !contains(a.policyPaths(), a.resolve(policy)) {
		a.refuse("`%s` judges by %s, not by the policy the hook enforces: run it with `--policy %s`", line, a.resolve(policy), a.opts.Policy)
		return kindOther
	}
	a.applies++
	a.pgApply = line
	return kindPGApply
}

// pgApplyReads reports whether planguard apply, or the terraform it runs,
// reads a variable: set or unset for it, the gate judges otherwise.
func pgApplyReads(n string) bool {
	return strings.HasPrefix(n, "PLANGUARD_") || strings.HasPrefix(n, "TF_") || envRefused(n) || strings.HasPrefix(n, "LD_") || strings.HasPrefix(n, "DYLD_")
}

// policyPaths are the absolute paths that name the hook's policy.
func (a *analyzer) policyPaths() []string {
	return append([]string{path.Clean(a.opts.Policy)}, a.opts.PolicyAliases...)
}

// sshKeygen refuses signing in the planguard-approval namespace.
func (a *analyzer) sshKeygen(c call) kind {
	argv := c.argv
	sign, ns, nsDyn := false, "", false
	// As getopt reads them (ssh-keygen.c): clusters such as -qYsign or
	// -qn NS; a valued letter takes the rest of the word or the next one.
	const valued = "CDEFIJMNOPRVYZabfgjmnrstwz"
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		if t.s == "--" {
			break
		}
		if t.dyn && !strings.HasPrefix(t.s, "-") {
			continue
		}
		if !strings.HasPrefix(t.s, "-") || len(t.s) < 2 {
			continue
		}
		for j := 1; j < len(t.s); j++ {
			c := t.s[j]
			if strings.IndexByte(valued, c) < 0 {
				continue
			}
			var v tok
			if j+1 < len(t.s) {
				v = tok{s: t.s[j+1:], dyn: t.dyn}
			} else if i+1 < len(argv) {
				i++
				v = argv[i]
			} else if t.dyn {
				v = tok{dyn: true}
			}
			switch c {
			case 'Y':
				// ssh-keygen takes any word starting with "sign" (review hook56 F4).
				sign = sign || strings.HasPrefix(v.s, "sign") || v.dyn
			case 'n':
				ns, nsDyn = v.s, v.dyn
			}
			break
		}
	}
	if sign && (nsDyn || ns == "planguard-approval" || strings.Contains(ns, "planguard")) {
		a.refuse("`%s` signs in the planguard-approval namespace: an agent proposes approvals, a person signs them", quoteArgs(argv))
	}
	if c.fed && sshKeygenAsksFile(argv) {
		// Without -f, ssh-keygen reads the key file's name from its
		// standard input, then the answer to "Overwrite (y/n)?" (review
		// hook132 H2: printf 'terraform.tfstate\ny\n' | ssh-keygen -N '').
		a.refuse("`%s` reads the name of the key file it writes from its standard input, which the line feeds: name the file with -f (ssh-keygen -t ed25519 -f ~/.ssh/id_x -N '')", quoteArgs(argv))
		return kindOther
	}
	a.sshKeygenWrites(argv)
	return kindOther
}

// parsesTrue reports whether a boolean flag value reads as true, as Go's
// flag package (and so Terraform) reads it.
func parsesTrue(v string) bool {
	b, err := strconv.ParseBool(v)
	return err == nil && b
}

// tfOutFlags are the flags whose value is a file terraform writes.
var tfOutFlags = map[string]bool{"out": true, "generate-config-out": true, "state-out": true, "backup": true, "state": true}

// tfWrites returns a protected file a terraform flag would write, or "".
func (a *analyzer) tfWrites(chdir string, args []tok) string {
	for i, t := range args {
		if !strings.HasPrefix(t.s, "-") {
			continue
		}
		n, v, has := strings.Cut(strings.TrimLeft(t.s, "-"), "=")
		if !tfOutFlags[n] {
			continue
		}
		val := tok{s: v, dyn: t.dyn, w: t.w}
		if !has {
			if i+1 >= len(args) {
				continue
			}
			val = args[i+1]
		}
		if val.dyn {
			if q := a.mayName(val.s + "*"); q != "" {
				return q
			}
			continue
		}
		p := val.s
		if chdir == "\x00" {
			if q := a.mayName(path.Base(p)); q != "" {
				return q
			}
			continue
		}
		if chdir != "" && !path.IsAbs(p) {
			p = chdir + "/" + p // not cleaned: chdir/.. is judged by Climbs
		}
		if q := a.protected(p); q != "" {
			return q
		}
	}
	return ""
}

// mayBeMigrateFlag reports whether a computed argument of init may be (or
// split into) -migrate-state or -force-copy (review hook37 H4): its known
// leading text is a start of one of them, or an unquoted expansion splits
// it into more words. Globs are globOption's.
func (a *analyzer) mayBeMigrateFlag(t tok) bool {
	return a.mayBeOption(t, []string{"migrate-state", "force-copy"})
}

// mayBeOption reports whether a computed argument may be (or split into)
// one of the flags named (-NAME, --NAME, -NAME=…): its known leading text
// is a start of one, or it may be several words. Globs are globOption's.
func (a *analyzer) mayBeOption(t tok, names []string) bool {
	if !t.dyn || t.kind == dynGlob {
		return false
	}
	if t.w == nil || splitsWords(t.w) || mayBeWords(t.w) {
		return true
	}
	lead := ""
	if sh := a.shape(t.w); len(sh) > 0 && sh[0].kind == segLit {
		lead = sh[0].s
	}
	for _, n := range names {
		for _, f := range []string{"-" + n, "--" + n} {
			if strings.HasPrefix(f, lead) || strings.HasPrefix(lead, f) {
				return true
			}
		}
	}
	return false
}

// mayBeWords reports whether a quoted word may still be several words:
// "$@", "${a[@]}", "${!p@}".
func mayBeWords(w *syntax.Word) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		if p, ok := n.(*syntax.ParamExp); ok && p.Param != nil {
			idx, _ := p.Index.(*syntax.Word)
			if p.Param.Value == "@" || idx != nil && printWord(idx) == "@" || p.Names == syntax.NamesPrefixWords {
				found = true
			}
		}
		return !found
	})
	return found
}

// globOption refuses a glob among a Terraform-family program's arguments
// that may expand to an option: bash replaces -[f]orce-copy, -force-cop?
// or * with the names of files that match it, and a file named
// -force-copy (touch ./-force-copy) makes it that flag. Two kinds stay
// allowed (fixedOptionGlob, fmtFileGlob): a glob attached to -var-file=,
// which only ever expands to -var-file=NAME, and `terraform fmt *.tf`.
func (a *analyzer) globOption(argv []tok, line, tool string) bool {
	sub := -1 // the subcommand's index, when it is a literal word
	if tool != "terragrunt" {
		for i := 1; i < len(argv); i++ {
			if !strings.HasPrefix(argv[i].s, "-") || argv[i].dyn {
				if !argv[i].dyn {
					sub = i
				}
				break
			}
		}
	}
	for i, t := range argv[1:] {
		if !t.dyn || t.w == nil || t.kind != dynGlob || !mayStartWithDash(globPattern(t.w)) {
			continue
		}
		if pureGlob(t.w) && (fixedOptionGlob(globPattern(t.w)) ||
			sub > 0 && i+1 > sub && strings.ToLower(argv[sub].s) == "fmt" && fmtFileGlob(globPattern(t.w))) {
			continue
		}
		a.refuse("`%s`: %s may expand to an option of %s (a file named -force-copy makes -[f]orce-copy that flag), which the hook cannot tell: write the argument without glob characters", line, srcOf(t), tool)
		return true
	}
	return false
}

// pureGlob reports whether a word is literal text and glob characters
// only: no expansion whose words the shell splits (-var-file=$x* with x
// holding "a -force-copy" is two words).
func pureGlob(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit, *syntax.SglQuoted:
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if _, ok := q.(*syntax.Lit); !ok {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// globValueOptions are the options whose value a glob attached to them
// may fill: every name `-var-file=*.tfvars` matches begins with
// `-var-file=`, so the word stays that option, naming a variables file.
var globValueOptions = map[string]bool{"var-file": true}

// fixedOptionGlob reports whether a glob pattern starts with a literal
// `-NAME=` (or `--NAME=`) for one of globValueOptions, so that whatever it
// expands to is that option.
func fixedOptionGlob(p string) bool {
	name, _, ok := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(p, "-"), "-"), "=")
	if !ok || !strings.HasPrefix(p, "-") || strings.ContainsAny(name, `*?[\`) {
		return false
	}
	return globValueOptions[name]
}

// fmtFileGlob reports whether a glob after `terraform fmt` ends in a
// literal configuration suffix (*.tf, *.tfvars, *.tftest.hcl): every
// option of fmt (-list, -write, -diff, -check, -recursive, -no-color)
// takes no value or a boolean, so a word ending in .tf is never one: a
// file named -recursive.tf or -write=x.tf makes terraform refuse the
// flag and change nothing.
func fmtFileGlob(p string) bool {
	for _, suffix := range []string{".tf", ".tfvars", ".tftest.hcl", ".tf.json", ".tfvars.json"} {
		if base, ok := strings.CutSuffix(p, suffix); ok && !strings.HasSuffix(base, `\`) {
			return true
		}
	}
	return false
}

// mayStartWithDash reports whether a glob pattern may match a name that
// starts with a dash.
func mayStartWithDash(p string) bool {
	if p == "" {
		return false
	}
	switch p[0] {
	case '-', '*', '?', '[':
		return true
	case '\\':
		return len(p) > 1 && p[1] == '-'
	}
	return false
}

// tfHelpOnly reports whether a subcommand's arguments hold -h, -help or
// --help, spelled exactly, before any `--`: terraform's and tofu's CLI
// (mitchellh/cli) then print the subcommand's help and run nothing,
// whatever the other arguments (checked with terraform 1.11: `destroy
// -auto-approve -help` leaves the state; `-- -help` and -help=true do
// not count). A computed argument before it may expand to `--`.
func tfHelpOnly(rest []tok) bool {
	for _, t := range rest {
		if t.dyn || t.s == "--" {
			return false
		}
		if t.s == "-h" || t.s == "-help" || t.s == "--help" {
			return true
		}
	}
	return false
}

// plainWorkspace reports whether a workspace name is letters, digits, -
// and _ (not `.`, `..` or a path).
func plainWorkspace(n string) bool {
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return n != ""
}

// localBackendText is a "local" backend block written out in a line (HCL,
// escaped or JSON).
var localBackendText = regexp.MustCompile(`backend[\s\\"':{\[]*local`)

// configName is a Terraform or OpenTofu configuration file's name.
var configName = regexp.MustCompile(`(?i)\.(tf|tofu)(\.json)?\b`)

// tfViewless returns a subcommand's arguments without the words
// Terraform and OpenTofu remove before parsing flags: every -no-color and
// -compact-warnings (review hook140 H1).
func tfViewless(rest []tok) []tok {
	out := make([]tok, 0, len(rest))
	for _, t := range rest {
		if !t.dyn && (t.s == "-no-color" || t.s == "-compact-warnings") {
			continue
		}
		out = append(out, t)
	}
	return out
}

// initBoolFlags are init's flags (its own and the common ones) that take
// no separate value: any other flag without `=` takes the next word.
var initBoolFlags = map[string]bool{"backend": true, "cloud": true, "get": true, "force-copy": true, "lock": true,
	"reconfigure": true, "migrate-state": true, "upgrade": true, "ignore-remote-version": true, "input": true,
	"compact-warnings": true, "json": true, "no-color": true, "h": true, "help": true, "verify-plugins": true, "get-plugins": true}

// initBackendOff reports whether init's arguments surely turn the backend
// off, read as Go's flag package reads them: the last -backend (or its
// alias -cloud, when -backend is not given) wins, a bare -backend is true,
// a flag that takes a value takes the next word (-plugin-dir
// -backend=false), and parsing ends at the first operand or `--` (review
// hook133 H1: `-backend=false -backend=true` migrated the state). A word
// computed at run time may be any flag.
func initBackendOff(rest []tok) bool {
	backend, cloud := "", ""
	for i := 0; i < len(rest); i++ {
		t := rest[i]
		if t.dyn {
			return false
		}
		if t.s == "--" || t.s == "-" || !strings.HasPrefix(t.s, "-") {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(t.s, "-"), "-"), "=")
		switch {
		case name == "backend" || name == "cloud":
			on := true
			if hasVal {
				b, err := strconv.ParseBool(val)
				on = err != nil || b
			}
			v := strconv.FormatBool(on)
			if name == "backend" {
				backend = v
			} else {
				cloud = v
			}
		case !hasVal && !initBoolFlags[name]:
			i++ // -plugin-dir DIR, -backend-config K=V, -var x=1
		}
	}
	if backend != "" && cloud != "" {
		return false // both: init refuses to run, the hook refuses too
	}
	return backend == "false" || backend == "" && cloud == "false"
}

// initBackend says why terraform init (without -backend=false) is refused
// for the backend it sets up. When the configuration declares a backend
// (or cloud) block and a local state is there, init takes the two for one
// when they are equal (a local backend whose path names the state another
// way, an HTTP backend serving the state file), "migrates" without asking
// and empties the local state (review hook74 H1, hook76 H1–H4). Refused:
// where the directory's configuration declares one and a local state is
// there (Options.InitMigrates, which parses the files), where the
// directory is unknown (a computed cd, env -C), and where the line spells
// a backend out, names configuration files or writes files before init
// (the hook reads the configuration as it is before the line runs).
func (a *analyzer) initBackend(c call, chdir string, rest []tok) string {
	if initBackendOff(rest) && initBackendOff(tfViewless(rest)) {
		return ""
	}
	if localBackendText.MatchString(a.line) {
		return "the line spells out a \"local\" backend, and init with a local backend whose path names the state another way (./terraform.tfstate) moves the state onto itself and empties it: a person sets up backends"
	}
	if configName.MatchString(a.line) || a.wrote {
		return "the line writes files (or names Terraform configuration) and runs init, which sets up the backend the configuration declares as the line leaves it (init can empty a local state then): write the files, then run init in another command"
	}
	if a.opts.InitMigrates == nil {
		return ""
	}
	if c.chdir != "" || chdir == "\x00" || a.cdComputed {
		return "init runs in a directory the hook cannot place (" + strings.TrimSpace(c.chdir+" computed cd or -chdir") + "), whose configuration may move its local state: run init from that directory"
	}
	for _, d := range a.cdDirs("") {
		if a.opts.Resolve != nil {
			d = a.opts.Resolve(d) // cd l, l a link: -chdir=.. is from where it points (review hook78 H2)
		}
		if chdir != "" {
			if path.IsAbs(chdir) {
				d = path.Clean(chdir)
			} else {
				d = path.Join(d, chdir)
			}
			if a.opts.Resolve != nil {
				d = a.opts.Resolve(d)
			}
		}
		if a.calls > 1 && a.opts.LocalState != nil && a.opts.LocalState(d) {
			return "a local state is in " + d + ", and init is not the line's only command: a write elsewhere in the line (a loop, a function, a trap, a pipe) may run before it and give the configuration a backend, which init then \"migrates\" by emptying the state: run init alone"
		}
		if a.opts.InitMigrates(d) {
			return "the configuration in " + d + " declares a backend, and a local state is there: init would move it (a backend that resolves to the same state is taken for equal, \"migrated\" without asking, and the local state emptied): a person runs init there (or use -backend=false)"
		}
	}
	return ""
}

// cdDirs are the directories a command of the line may run in after its
// literal cd/pushd targets: the working directory (and a wrapper's
// directory, from which a script it runs may cd), and each target joined
// to each directory before it (cd envs && cd prod), bounded.
func (a *analyzer) cdDirs(wrapper string) []string {
	dirs := []string{a.opts.Cwd}
	if path.IsAbs(wrapper) {
		dirs = append(dirs, path.Clean(wrapper))
	} else if wrapper != "" {
		dirs = append(dirs, path.Join(a.opts.Cwd, wrapper)) // env -C DIR bash -c 'cd …'
	}
	for _, t := range a.cdTargets {
		if rest, ok := strings.CutPrefix(t, "~"); ok && (rest == "" || rest[0] == '/') {
			t = a.opts.Home + rest
		}
		for _, d := range dirs {
			if len(dirs) < 16 {
				dirs = append(dirs, path.Join(d, t))
			}
		}
		if path.IsAbs(t) {
			dirs = append(dirs, path.Clean(t))
		}
	}
	return dirs
}

// tgReadOnly reports whether terragrunt's arguments only print its version
// or help, or format or render files.
func tgReadOnly(args []tok) bool {
	for _, t := range args {
		switch t.s {
		case "--version", "-version", "--help", "-help", "hclfmt", "render-json", "render", "info", "find", "list":
			return true
		}
	}
	return len(args) == 0
}

// tfMirrorDir is what providers mirror's target directory (the last
// positional word) names that the hook protects, or why it cannot tell.
func (a *analyzer) tfMirrorDir(chdir string, rest []tok) string {
	var dir *tok
	for i := range rest {
		if !strings.HasPrefix(rest[i].s, "-") || rest[i].dyn {
			dir = &rest[i]
		}
	}
	if dir == nil || strings.EqualFold(dir.s, "mirror") {
		return ""
	}
	if dir.dyn || chdir == "\x00" {
		return "a directory computed at run time (which may be a protected one)"
	}
	p := dir.s
	if rest, ok := strings.CutPrefix(p, "~"); ok && (rest == "" || rest[0] == '/') {
		p = a.opts.Home + rest
	}
	if chdir != "" && !path.IsAbs(p) {
		p = path.Join(chdir, p)
	}
	if q := a.holds(p); q != "" {
		return q
	}
	if strings.Contains(strings.ToLower(path.Clean(p))+"/", "/.terraform.d/") || strings.HasPrefix(strings.ToLower(path.Clean(p)), ".terraform.d") {
		return p + " (under .terraform.d, where Terraform looks for providers)"
	}
	return ""
}

// envResetters are the programs that run a command as another user with an
// environment of their own making (sudo's env_reset, su's, pkexec's):
// PLANGUARD_AUTHOR does not reach what they run unless their configuration,
// which the hook cannot read, keeps it.
var envResetters = map[string]bool{"sudo": true, "doas": true, "su": true, "runuser": true, "pkexec": true,
	"run0": true, "systemd-run": true, "machinectl": true, "ksu": true, "please": true, "login": true}

// applyWrapper reports an env or exec in the line, at any depth, that
// unsets or clears the environment of what it runs (env -u NAME, env -i,
// env -, exec -c), a program that resets it (envResetters, setpriv
// --reset-env), or "": planguard apply behind one reads no
// PLANGUARD_AUTHOR or PLANGUARD_TERRAFORM (review hook115 M1). The line is
// read as words, so such a program anywhere in it counts: run planguard
// apply in a call of its own.
func (a *analyzer) applyWrapper(string) string {
	// Quotes and backslashes removed first: e''nv, en\v and "en"v are env
	// (review hook117 H3).
	unquoted := strings.NewReplacer(`'`, "", `"`, "", `\`, "").Replace(a.line)
	words := strings.FieldsFunc(unquoted, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("`;&|(){}<>", r)
	})
	for i, w := range words {
		b := baseName(w)
		if envResetters[b] {
			return b
		}
		if b == "setpriv" && slices.ContainsFunc(words[i+1:], func(o string) bool { return strings.HasPrefix(o, "--reset-e") }) {
			return "setpriv --reset-env"
		}
		if b != "env" && b != "exec" {
			continue
		}
		for _, o := range words[i+1:] {
			if !strings.HasPrefix(o, "-") {
				if strings.Contains(o, "=") {
					continue // env NAME=VALUE
				}
				break
			}
			long := strings.HasPrefix(o, "--")
			switch {
			case b == "env" && (o == "-" || long && (strings.HasPrefix(o, "--u") || strings.HasPrefix(o, "--i")) ||
				!long && strings.ContainsAny(o[1:], "iu")):
				return "env " + o
			case b == "exec" && !long && strings.ContainsRune(o[1:], 'c'):
				return "exec " + o
			}
		}
	}
	return ""
}
