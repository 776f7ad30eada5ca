package shell

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Programs the hook does not know, in front of programs it does: setarch,
// prlimit, chrt, aws-vault exec and their like exec their arguments, so an
// argument that names a program the hook judges (terraform, git, env,
// xargs, ssh, tar, make, vim, su, watch, a shell, an interpreter…) starts
// a command judged as if it stood there.

// shellOnly are builtins no wrapper can exec: named among an unknown
// program's arguments they are data.
var shellOnly = map[string]bool{"alias": true, "hash": true, "read": true, "mapfile": true, "readarray": true,
	"getopts": true, "source": true, ".": true, "eval": true, "trap": true, "compgen": true, "complete": true,
	"bind": true, "exec": true, "builtin": true, "noglob": true, "nocorrect": true, "-": true, "fc": true, "history": true}

// maxWrapped bounds the words of the calls judged behind unknown programs
// in one line: each argument naming a program starts one, over the words
// that follow it, and those may do the same.
const maxWrapped = 1 << 15

// wraps reports whether an argument of an unknown program names a program
// the hook judges by what it runs: a Terraform-family program, planguard,
// a shell or interpreter, a program that runs a command, code in an
// option, or has a judge of its own.
func (a *analyzer) wraps(s string) bool {
	b := baseName(s)
	if toolName(b) != "" || b == "planguard" || contains(a.opts.Planguard, s) {
		return true
	}
	if shellOnly[b] {
		return false
	}
	p := lookup(b)
	if p == unknownProgram {
		return false
	}
	switch p.runs {
	case runsCommand, runsLine, runsFirst, runsDashDash:
		return true
	}
	return p.judge != nil || p.guarded || p.interp ||
		len(p.code)+len(p.opaque)+len(p.keyed)+len(p.split)+len(p.again)+len(p.argv) > 0
}

// unknownRuns judges a program the hook does not know (or one whose
// operands it does not place: su, script, scp, docker exec…): the files
// its arguments may name (looseArgs), a Terraform-family binary it reads,
// and every argument that names a program the hook judges, from there on.
func (a *analyzer) unknownRuns(name string, c call) {
	argv := c.argv
	if !lookup(name).writes {
		a.looseArgs(argv) // a writer's own row places what it writes
	}
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		if t.dyn {
			a.unknownDynArg(name, c, i)
			continue
		}
		b := baseName(t.s)
		switch {
		case toolPath(t) != "" && !inspectOnly[name] && !tfSubcommandFollows(argv[i+1:]):
			// gzip -c /usr/local/bin/terraform: the binary as a file.
			a.refuse("`%s` reads %s, a Terraform-family program's binary, and could copy it to a name the hook does not know", truncateTok(argv), t.s)
			return
		case a.wraps(t.s):
			if toolName(b) != "" {
				for _, o := range argv[1:i] {
					// systemd-run --setenv=TF_CLI_ARGS_init=-force-copy terraform init
					if !o.dyn && strings.Contains(o.s, "TF_CLI_ARGS") {
						a.refuse("`%s`: %s may set %s for %s, which adds arguments the hook does not see", truncateTok(argv), name, o.s, t.s)
						return
					}
				}
			}
			if a.wrapped += len(argv) - i; a.wrapped > maxWrapped {
				a.refuse("the line names more programs behind programs the hook does not know than it checks (%d words): split it into shorter commands", maxWrapped)
				return
			}
			a.run(c.inner(argv[i:]))
		case lookup(b).writes && lookup(b).dests != destUnknown:
			// aws-vault exec prod -- cp x ../planguard.hcl: the writer's
			// destinations, as its own row places them.
			a.writes(lookup(b), b, argv[i:])
			a.derivedWrites(lookup(b), b, argv[i:])
		}
	}
}

// tfSubcommandFollows reports whether the words after a Terraform-family
// binary's path run it (global options, then a subcommand), rather than
// name it as a file.
func tfSubcommandFollows(rest []tok) bool {
	for _, t := range rest {
		if t.dyn {
			return true
		}
		if strings.HasPrefix(t.s, "-") {
			continue
		}
		w := strings.ToLower(t.s)
		return safeSubcommands[w] || refusedWords[w] || w == "test" || w == "init"
	}
	return false
}

// unknownDynArg judges an argument of an unknown program computed at run
// time, which may be the program it runs: one bash fills from the line,
// one whose last path component names a program the hook judges
// ("$DIR"/terraform), one a lookup prints ($(which terraform)), or one
// followed by a refused subcommand.
func (a *analyzer) unknownDynArg(name string, c call, i int) {
	argv := c.argv
	t := argv[i]
	if t.w != nil {
		if v := fillsWord(t.w); v != "" {
			a.refuse("`%s` passes $%s, which the shell fills from the line itself, to %s, which may run it: the hook cannot follow it", truncateTok(argv), v, name)
			return
		}
		if b := staticBase(t.w); b != "" && a.wraps(b) {
			alt := append([]tok{{s: b}}, argv[i+1:]...)
			a.run(c.inner(alt))
			return
		}
		if t.kind == dynOutput && a.looksUpTool(t.w) {
			a.refuse("`%s` passes %s, which may print a Terraform-family program's path, to %s, which may run it", truncateTok(argv), t.src, name)
			return
		}
	}
	if w, ok := namesRefused(argv[i+1:]); ok {
		a.refuse("`%s`: %s may run a program computed at run time (%s), and its arguments name `%s`", truncateTok(argv), name, srcOf(t), w)
	}
}

// staticBase is the last path component of a word when it is literal
// ("$PWD"/terraform, ${d}/bin/tofu, $HOME/bin/planguard), else "".
func staticBase(w *syntax.Word) string {
	var flat []syntax.WordPart
	for _, p := range w.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			flat = append(flat, dq.Parts...)
			continue
		}
		flat = append(flat, p)
	}
	suffix := ""
	for k := len(flat) - 1; k >= 0; k-- {
		text := ""
		switch p := flat[k].(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "*?[\\") {
				return ""
			}
			text = p.Value
		case *syntax.SglQuoted:
			if p.Dollar {
				return ""
			}
			text = p.Value
		default:
			return suffix // "$X"terraform: the computed part may end with a slash
		}
		suffix = text + suffix
		if j := strings.LastIndexByte(suffix, '/'); j >= 0 {
			return suffix[j+1:]
		}
	}
	return ""
}
