package shell

import (
	"fmt"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Writes to the protected files (the policy, its allowed_signers, the
// agents' settings). A destination is judged by what the hook can know
// of it:
//   - a literal path: compared with the protected files, after the
//     symbolic links the caller resolves (Options.Resolve);
//   - a glob: refused when it could match a protected file (or, for a
//     program that changes whole directories, a directory above one);
//   - anything computed at run time (a variable, $(…), `{}` of find -exec,
//     the input of xargs): refused, since it may name any file — except a
//     file or directory `mktemp` made in this line, which is new.

// dests says which operands of a program it writes.
type dests int

const (
	destUnknown    dests = iota // not placed: any argument naming a protected file (writesLoose)
	destNone                    // only through options (outs): sort -o
	destLast                    // the last operand, or the -t directory: cp, mv, ln, install, rsync, link
	destAll                     // every operand: rm, truncate, touch, tee
	destAfterFirst              // every operand after a mode or owner: chmod, chown
	destSecond                  // the second operand: uniq IN OUT
	destOperands                // dd's of=FILE
	destSed                     // sed -i: the files after the script
)

// operands reads a command line's options and operands as GNU getopt
// does (options anywhere before "--").
func (p *program) operands(args []tok) (opts []opt, ops []tok) {
	for len(args) > 0 {
		o, _, rest := p.options(args)
		opts = append(opts, o...)
		if n := len(args) - len(rest); n > 0 && args[n-1].s == "--" && !args[n-1].dyn {
			return opts, append(ops, rest...)
		}
		if len(rest) == 0 {
			break
		}
		ops = append(ops, rest[0])
		args = rest[1:]
	}
	return opts, ops
}

func hasOpt(opts []opt, names ...string) bool {
	for _, o := range opts {
		if contains(names, o.name) {
			return true
		}
	}
	return false
}

// writes refuses a write to a protected file by a program the table marks
// as a writer.
func (a *analyzer) writes(p *program, name string, argv []tok) {
	if len(a.opts.Protected) == 0 {
		return
	}
	if p.dests == destUnknown {
		if p == programs["perl"] {
			opts, ops := p.operands(argv[1:])
			a.inPlaceBackups(argv, opts, ops)
		}
		a.writesLoose(argv)
		return
	}
	opts, ops := p.operands(argv[1:])
	for _, o := range opts {
		if contains(p.outs, o.name) && a.writeDest(argv, o.val, false) {
			return
		}
	}
	// Programs that remove, move or change whole directories.
	dirs := name == "rm" || name == "mv" || name == "chmod" || name == "chown" || name == "chgrp" || name == "shred" || name == "unlink" ||
		name == "rimraf" || strings.Contains(name, "rename") || name == "trash" || name == "trash-put" || name == "gio-trash" || name == "srm" || name == "wipe" || name == "rmtrash"
	switch p.dests {
	case destAll:
		for _, t := range ops {
			if a.writeDest(argv, t, dirs) {
				return
			}
		}
	case destAfterFirst:
		if !hasOpt(opts, "reference") && len(ops) > 0 {
			ops = ops[1:]
		}
		for _, t := range ops {
			if a.writeDest(argv, t, dirs) {
				return
			}
		}
	case destSecond:
		// uniq reads a +N operand as an obsolete option (skip N chars)
		// unless _POSIX2_VERSION asks for POSIX 2001 exactly: the output is
		// then a later operand (uniq +0 IN OUT: review hook154 H6). With a
		// +N or a computed operand, every operand after the first may be
		// the output.
		if len(ops) > 1 {
			outs := ops[1:2]
			for _, t := range ops {
				if t.dyn || strings.HasPrefix(t.s, "+") {
					outs = ops[1:]
					break
				}
			}
			for _, t := range outs {
				if a.writeDest(argv, t, false) {
					return
				}
			}
		}
	case destOperands:
		for _, t := range ops {
			if !strings.HasPrefix(t.s, "of=") {
				continue
			}
			v := tok{s: strings.TrimPrefix(t.s, "of="), dyn: t.dyn, kind: t.kind}
			if t.dyn && t.w != nil && t.kind == dynGlob {
				if q := a.globNames(strings.TrimPrefix(globPattern(t.w), "of="), false); q != "" {
					a.refuse("`%s` may write %s, which holds the gate's trust", truncateTok(argv), q)
				}
				continue
			}
			a.writeDest(argv, v, false)
		}
	case destSed:
		if !hasOpt(opts, "i", "in-place") {
			return
		}
		if !hasOpt(opts, "e", "expression", "f", "file") && len(ops) > 0 {
			ops = ops[1:] // the script
		}
		if a.inPlaceBackups(argv, opts, ops) {
			return
		}
		for _, t := range ops {
			if a.writeDest(argv, t, false) {
				return
			}
		}
	case destLast:
		a.writesCopy(name, argv, opts, ops)
	}
}

// inPlaceBackups judges the backups sed -i SUFFIX and perl -iEXT write
// (review hook52 H5): FILE+SUFFIX, or, when the suffix holds a `*`, the
// suffix with each `*` replaced by FILE's base name, which a `/` in it
// places in another directory. A suffix with a `/`, or computed, is
// refused; the other backups are judged as writes. It reports whether
// it refused.
func (a *analyzer) inPlaceBackups(argv []tok, opts []opt, files []tok) bool {
	for _, o := range opts {
		if o.name != "i" && o.name != "in-place" {
			continue
		}
		if o.val.dyn || strings.Contains(o.val.s, "/") {
			a.refuse("`%s`: the in-place backup suffix %s is computed or holds a `/`, which puts the backup of each file (the original, under a name made of the suffix) in another directory: use -i without a suffix, or a plain one (-i.bak)", truncateTok(argv), o.val)
			return true
		}
		if o.val.s == "" {
			continue
		}
		for _, f := range files {
			if f.dyn {
				continue // the file itself is judged as written
			}
			name := f.s + o.val.s
			if strings.Contains(o.val.s, "*") {
				name = path.Join(path.Dir(f.s), strings.ReplaceAll(o.val.s, "*", path.Base(f.s)))
			}
			if a.writeDest(argv, tok{s: name}, false) {
				return true
			}
		}
	}
	return false
}

// writesCopy judges cp, mv, ln, install, rsync and link: the destination
// (a file, or a directory the sources land in), the sources mv takes
// away, and what a link points to.
func (a *analyzer) writesCopy(name string, argv []tok, opts []opt, ops []tok) {
	recursive := hasOpt(opts, "r", "R", "a", "recursive", "archive") || name == "rsync"
	if name == "scp" {
		recursive = hasOpt(opts, "r")
	}
	var dst *tok
	srcs := ops
	// cp, mv, ln and install take the destination directory from
	// -t/--target-directory; to rsync -t is --times, a flag, and to scp
	// the remote side's sink mode (review hook151 H1: rsync -rt SRC ../
	// went unjudged).
	targets := contains(lookup(name).long, "target-directory")
	for _, o := range opts {
		if targets && (o.name == "t" || o.name == "target-directory") {
			v := o.val
			dst = &v
		}
	}
	if dst == nil {
		switch {
		case len(ops) >= 2:
			srcs, dst = ops[:len(ops)-1], &ops[len(ops)-1]
		case len(ops) == 1 && name == "ln":
			dst = &tok{s: "."} // ln TARGET: a link named after it, here
		}
	}
	if (name == "rsync" || name == "scp") && dst != nil {
		// A copy from another host writes here under the remote names; a
		// copy to one writes nothing here.
		if a.remoteSources(argv, srcs, *dst, recursive) {
			return
		}
		if !dst.dyn {
			if _, remote := remotePath(dst.s); remote {
				return
			}
		}
		var local []tok
		for _, s := range srcs {
			if _, remote := remotePath(s.s); s.dyn || !remote {
				local = append(local, s)
			}
		}
		srcs = local
	}
	symbolic := name == "ln" && hasOpt(opts, "s", "symbolic") || name == "cp" && hasOpt(opts, "s", "symbolic-link")
	hard := name == "ln" && !symbolic || name == "link" || name == "cp" && hasOpt(opts, "l", "link")
	if (symbolic || hard) && a.linksProtected(argv, srcs, dst, symbolic) {
		return
	}
	if name == "mv" {
		// mv takes its sources away: a protected file, or a directory holding one.
		for _, s := range srcs {
			if a.writeDest(argv, s, true) {
				return
			}
		}
	}
	if dst == nil {
		return
	}
	if a.writeDest(argv, *dst, recursive) {
		return
	}
	if q := a.copyThroughLinks(name, opts, srcs, *dst, recursive); q != "" {
		a.refuse("`%s` may overwrite %s, which holds the gate's trust: the copy writes names taken from its sources, which the hook does not list; copy into a directory without such links, or name the files", truncateTok(argv), q)
		return
	}
	if name == "cp" && hasOpt(opts, "parents") {
		a.parentsLand(argv, srcs, *dst, recursive)
		return
	}
	// The sources land in dst when it is a directory.
	dirDest := len(srcs) > 1 || targets && hasOpt(opts, "t", "target-directory") || strings.HasSuffix(dst.s, "/") ||
		dst.s == "~" || path.Base(dst.s) == "." || path.Base(dst.s) == ".." || !dst.dyn && a.isDir(dst.s)
	for _, s := range srcs {
		q := ""
		switch {
		case s.dyn && s.w != nil && a.isFresh(s.w):
			// A file mktemp made lands under its own new name.
		case !dst.dyn:
			q = a.landsIn(s, dst.s, dirDest)
		case dst.w != nil && dst.kind == dynGlob:
			q = a.globLandsIn(s, globPattern(dst.w))
		case dst.w != nil:
			if empty, ok := a.fresh(dst.w); ok && empty != "" {
				q = a.landsIn(s, empty, dirDest) // mktemp printed nothing
			}
		}
		if q != "" {
			a.refuse("`%s` may overwrite %s, which holds the gate's trust", truncateTok(argv), q)
			return
		}
	}
	a.landsAfterCd(argv, srcs, *dst, recursive)
}

// copyThroughLinks returns a protected file a copy into the directory dst
// writes through a symbolic link there (linkedInto): cp and scp copying
// recursively, or a glob's files (the names the sources hold, which the
// hook does not list), through a link to a file, unless -n or
// --remove-destination keeps cp from opening an existing file; rsync -K
// (--keep-dirlinks) writing into a linked directory (rsync replaces a
// linked file).
func (a *analyzer) copyThroughLinks(name string, opts []opt, srcs []tok, dst tok, recursive bool) string {
	if dst.dyn {
		return ""
	}
	switch name {
	case "cp", "scp":
		if hasOpt(opts, "n", "no-clobber", "remove-destination") {
			return ""
		}
		for _, o := range opts {
			if o.name == "update" && strings.HasPrefix(o.val.s, "none") && !o.val.dyn {
				return "" // --update=none skips existing files, as -n
			}
		}
		if recursive {
			return a.linkedInto(dst.s, false, true)
		}
		for _, s := range srcs {
			if s.dyn && s.w != nil && s.kind == dynGlob {
				return a.linkedInto(dst.s, true, true)
			}
		}
	case "rsync":
		if hasOpt(opts, "K", "keep-dirlinks") {
			return a.linkedInto(dst.s, false, false)
		}
	}
	return ""
}

// landsAfterCd judges the sources a copy puts into a relative directory
// after the line changed directory (cd evil && cp planguard.hcl ../..,
// cd .. && cp x/planguard.hcl .): the directory may be any one, so a
// source is matched by the name it lands under alone, as mv's sources and
// every other path after a cd are.
func (a *analyzer) landsAfterCd(argv []tok, srcs []tok, dst tok, recursive bool) {
	if !a.cwdUnknown || dst.dyn || path.IsAbs(dst.s) || strings.HasPrefix(dst.s, "~") {
		return
	}
	for _, s := range srcs {
		q := ""
		switch {
		case !s.dyn:
			j := path.Join(dst.s, path.Base(s.s))
			if recursive {
				q = a.holds(j)
			} else {
				q = a.protected(j)
			}
		case s.w != nil && s.kind == dynGlob:
			base := path.Base(globPattern(s.w))
			for _, p := range a.opts.Protected {
				if globMatch(base, path.Base(p), true) {
					q = p
					break
				}
			}
		default:
			q = "any protected file (the source's name is computed at run time)"
		}
		if q != "" {
			a.refuse("`%s` may overwrite %s, which holds the gate's trust: after a cd, the directory %s may be any one, so a source is judged by its name", truncateTok(argv), q, dst.s)
			return
		}
	}
}

// landsIn returns a protected file that copying src into the directory
// dir would overwrite, or "": dir/basename(src), a protected file or a
// Terraform state file (review hook30 F4: cp x/terraform.tfstate .).
// dirDest: dir is surely a directory (a trailing slash, `.`, -t, several
// sources), so a source whose name is computed lands under a name the
// hook cannot read, which may be a state file's.
func (a *analyzer) landsIn(src tok, dir string, dirDest bool) string {
	if a.climbs(dir) {
		return climbed(dir)
	}
	if !src.dyn {
		return a.protectedDir(src.s, dir, dirDest)
	}
	base := ""
	if src.w != nil && src.kind == dynGlob {
		base = path.Base(globPattern(src.w))
		if s := globStateName(base); s != "" && len(a.opts.Protected) > 0 {
			return fmt.Sprintf("%s (a file named %s there)%s", dir, s, stateFileWhy)
		}
	} else if dirDest && len(a.opts.Protected) > 0 {
		return fmt.Sprintf("%s/NAME, where NAME is the computed source's name (%s), which may be a Terraform state file's%s", strings.TrimSuffix(dir, "/"), srcOf(src), stateFileWhy)
	}
	for _, d := range a.paths(dir) {
		for _, q := range a.opts.Protected {
			if !strings.EqualFold(path.Dir(q), d) {
				continue
			}
			if base == "" || globMatch(base, path.Base(q), true) {
				return q
			}
		}
	}
	return ""
}

// intoDir returns a protected file that writing names the hook does not
// see into the directory dir may change: dir holds one (holds), or a
// symbolic link under it leads to one (linkedInto).
func (a *analyzer) intoDir(dir string) string {
	if q := a.holds(dir); q != "" {
		return q
	}
	return a.linkedInto(dir, false, false)
}

// linkedInto returns a protected file (or a directory holding one, or a
// Terraform state) that a symbolic link under dir leads to: one on disk
// now (Options.LinksUnder) or one the line makes or moves there
// (lineLinks). A copy whose names come from its sources (cp -r SRC/. DIR,
// cp SRC/* DIR) opens an existing destination file through the link (GNU
// cp writes through it, -P and -d notwithstanding: they concern the
// sources), and an extractor (tar -x, unzip, cpio -i) or rsync -K writes
// into a linked directory (review hook145 H4). direct: only the links
// directly in dir (a copy that does not recurse); files: not the links to
// a directory now (cp does not write into one: "cannot overwrite
// non-directory").
func (a *analyzer) linkedInto(dir string, direct, files bool) string {
	if dir == "" || len(a.opts.Protected) == 0 {
		return ""
	}
	why := func(link, target, q string) string {
		return fmt.Sprintf("%s (through the symbolic link %s to %s, which a write of that name into %s follows)", q, link, target, dir)
	}
	leads := func(target string) string {
		if files && a.isDir(target) {
			return ""
		}
		return a.holds(target)
	}
	for _, r := range a.paths(dir) {
		for _, l := range a.lineLinks {
			if !strings.HasPrefix(l.link, r+"/") || direct && path.Dir(l.link) != r {
				continue
			}
			if q := leads(l.target); q != "" {
				return why(l.link, l.raw, q)
			}
		}
		if a.opts.LinksUnder == nil {
			continue
		}
		links, ok := a.opts.LinksUnder(r)
		if !ok {
			return r + " (it holds more entries than the hook reads for symbolic links, or ones it cannot read; a link there may lead to the policy or the state: write into a smaller or new directory)"
		}
		for _, l := range links {
			if direct && strings.Contains(l[0], "/") {
				continue
			}
			link := path.Join(r, l[0])
			if q := leads(linkTarget(link, l[1])); q != "" {
				return why(link, l[1], q)
			}
		}
	}
	return ""
}

// isDir reports whether the caller says p is a directory now.
func (a *analyzer) isDir(p string) bool {
	if a.opts.IsDir == nil || p == "" {
		return false
	}
	for _, r := range a.paths(p) {
		if a.opts.IsDir(r) {
			return true
		}
	}
	return false
}

// globLandsIn returns a protected file that copying src into a directory
// the glob pattern matches would overwrite, or "".
func (a *analyzer) globLandsIn(src tok, pattern string) string {
	if a.climbs(pattern) {
		return climbed(pattern)
	}
	pc := strings.Split(strings.TrimPrefix(a.resolve(pattern), "/"), "/")
	base := globEscape(path.Base(src.s))
	if src.dyn {
		base = "*"
		if src.w != nil && src.kind == dynGlob {
			base = path.Base(globPattern(src.w))
		}
	}
	if s := globStateName(base); s != "" && len(a.opts.Protected) > 0 {
		return fmt.Sprintf("a file named %s in %s%s", s, pattern, stateFileWhy)
	}
	for _, q := range a.opts.Protected {
		qc := strings.Split(strings.TrimPrefix(strings.ToLower(q), "/"), "/")
		if len(qc) != len(pc)+1 || !a.componentsMatch(pc, qc[:len(pc)]) {
			continue
		}
		if globMatch(base, qc[len(pc)], true) {
			return q
		}
	}
	return ""
}

// linksProtected refuses a link to a protected file or to a directory
// holding one: a write through the link (in this line or a later one)
// writes the file. A symbolic link's relative target is resolved from the
// link's directory.
func (a *analyzer) linksProtected(argv []tok, targets []tok, link *tok, symbolic bool) bool {
	for _, t := range targets {
		q := ""
		switch {
		case t.dyn && t.w != nil && t.kind == dynGlob:
			q = a.globNames(globPattern(t.w), true)
		case t.dyn:
			a.refuse("`%s` links to a path computed at run time (%s), which may be the policy, its allowed_signers or the agent's settings", truncateTok(argv), srcOf(t))
			return true
		default:
			q = a.holds(t.s)
			if q == "" && symbolic && !path.IsAbs(t.s) {
				switch {
				case link == nil || link.dyn:
					// The link's directory is not known: any directory.
					was := a.cwdUnknown
					a.cwdUnknown = true
					q = a.holds(t.s)
					a.cwdUnknown = was
				default:
					for _, d := range []string{link.s, path.Dir(link.s)} {
						if q = a.holds(path.Join(d, t.s)); q != "" {
							break
						}
					}
				}
			}
		}
		if q != "" {
			a.refuse("`%s` links to %s (or a directory holding it), which holds the gate's trust: a write through the link would change it", truncateTok(argv), q)
			return true
		}
	}
	return false
}

// rmRecursive reports whether rm may remove directories with what they
// hold: -r, -R, --recursive (any prefix), anywhere before a `--` (GNU rm
// takes options after its operands), or an option computed at run time
// (a glob that may expand to -r).
func rmRecursive(argv []tok) bool {
	for _, t := range argv[1:] {
		switch {
		case t.dyn && t.kind == dynGlob && t.w != nil && strings.Contains(globPattern(t.w), "/"):
			// */tfplan: a path; an expansion starting with a dash
			// (-r/tfplan) is no option rm takes, and fails.
		case t.dyn && (strings.HasPrefix(t.s, "-") || t.s == ""):
			return true
		case t.s == "--":
			return false
		case strings.HasPrefix(t.s, "--"):
			if len(t.s) > 3 && strings.HasPrefix("--recursive", t.s) {
				return true
			}
		case strings.HasPrefix(t.s, "-") && strings.ContainsAny(t.s, "rR"):
			return true
		}
	}
	return false
}

// writeDest refuses writing t when it may be a protected file (dirs: or a
// directory holding one); it reports whether it refused.
func (a *analyzer) writeDest(argv []tok, t tok, dirs bool) bool {
	if t.s != "/dev/null" && !initCacheRemoval(argv, t) {
		a.wrote = true // terraform init after it (initBackend)
	}
	if !t.dyn && !dirs && a.lineWritten != nil && t.s != "/dev/null" {
		// A file a writer makes (tee d/x, cp, install) is one the line
		// wrote, as a redirection's is: running it is refused (lineMade).
		a.lineWritten[a.resolve(t.s)] = true
	}
	if a.fdTarget(argv, t) {
		return true
	}
	q := ""
	switch {
	case !t.dyn && a.climbs(t.s):
		a.refuse("`%s` writes %s, a path with `..` after a directory name: the kernel resolves it through that directory, which may be a symbolic link to anywhere (the policy, its allowed_signers, the agent's settings); write the path without `..` after a directory name", truncateTok(argv), t.s)
		return true
	case !t.dyn && dirs:
		q = a.holds(t.s)
	case !t.dyn:
		q = a.protected(t.s)
	case t.w != nil && onlyProcSubst(t.w):
		return false // >(…): a pipe to a process, judged as a call
	case t.w != nil && a.isFresh(t.w):
		// mktemp may fail (TMPDIR not writable, a template without X's)
		// and print nothing: the judgement must hold for the path the
		// word is then.
		empty, _ := a.fresh(t.w)
		if dirs {
			q = a.holds(empty)
		} else {
			q = a.protected(empty)
		}
		if q != "" {
			a.refuse("`%s` writes %s, which is %s when mktemp fails and prints nothing: that may be %s, which holds the gate's trust; write under the temporary path only (\"$t\", \"$t/out.json\")", truncateTok(argv), srcOf(t), empty, q)
			return true
		}
		return false
	case t.w != nil && t.kind == dynGlob:
		if len(argv) > 0 && !argv[0].dyn && baseName(argv[0].s) == "rm" {
			defer func(was int) { a.rmGlob = was }(a.rmGlob)
			a.rmGlob = 1
			if rmRecursive(argv) {
				a.rmGlob = 2
			}
		}
		q = a.globNames(globPattern(t.w), dirs)
	default:
		a.refuse("`%s` writes a path computed at run time (%s), which may be the policy, its allowed_signers or the agent's settings: write to a literal path, or to a file `mktemp` made in this line", truncateTok(argv), srcOf(t))
		return true
	}
	if q != "" {
		a.refuse("`%s` may write %s, which holds the gate's trust: a person changes it through review", truncateTok(argv), q)
		return true
	}
	// rm, unlink, mv and ln take or replace the name only: the other
	// names keep the content.
	if !t.dyn && !renames[baseName(argv[0].s)] && a.hardLinked(t.s) {
		a.refuse("`%s` writes %s, an existing file with more than one hard link: another of its names may be the policy, its allowed_signers, the agent's settings or a Terraform state file, which the write rewrites too; remove the name first (`rm %s`) and write a new file", truncateTok(argv), t.s, t.s)
		return true
	}
	return false
}

var renames = map[string]bool{"rm": true, "unlink": true, "mv": true, "ln": true, "link": true}

// hardLinked reports whether p is an existing regular file with more than
// one hard link (Options.HardLinked).
func (a *analyzer) hardLinked(p string) bool {
	if a.opts.HardLinked == nil || p == "" {
		return false
	}
	for _, r := range a.paths(p) {
		if a.opts.HardLinked(r) {
			return true
		}
	}
	return false
}

func srcOf(t tok) string {
	if t.src != "" {
		return t.src
	}
	if t.s == "" {
		return "an input it reads"
	}
	return t.String()
}

func onlyProcSubst(w *syntax.Word) bool {
	if len(w.Parts) != 1 {
		return false
	}
	_, ok := w.Parts[0].(*syntax.ProcSubst)
	return ok
}

// isFresh reports whether a computed word names a file or directory that
// mktemp made in this line, or a path under one (see fresh).
func (a *analyzer) isFresh(w *syntax.Word) bool {
	_, ok := a.fresh(w)
	return ok
}

// fresh reports whether a computed word names a file or directory that
// mktemp made in this line, or a path under one: "$(mktemp)", or "$t",
// "$t.json", "$d/out" after a top-level `t=$(mktemp)` that nothing in
// the line assigns again (reassigning such a name is refused). mktemp
// creates a new file, so the name cannot be a protected one — unless
// mktemp fails and prints nothing: empty is the path the word then
// names ("" for "$t", "/out" for "$d/out"), which the caller judges as a
// literal path. A function or alias named mktemp is refused wherever
// it is defined (redefinesRelied), readonly too (attrs.go).
func (a *analyzer) fresh(w *syntax.Word) (empty string, ok bool) {
	if a.tmpdirSet {
		// mktemp makes its file in $TMPDIR, which the line sets (export
		// TMPDIR=/etc/profile.d: review hook54 F4): not a fresh file in
		// /tmp, so judged as any computed path.
		return "", false
	}
	var parts []syntax.WordPart
	for _, p := range w.Parts {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			parts = append(parts, dq.Parts...)
		} else {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	switch p := parts[0].(type) {
	case *syntax.ParamExp:
		if a.curDepth != 0 && (a.sameShellDepth == 0 || a.curDepth != a.sameShellDepth) || p.Param == nil || !a.freshVars[p.Param.Value] || p.Excl || p.Length || p.Width ||
			p.Index != nil || p.Slice != nil || p.Repl != nil || p.Names != 0 || p.Exp != nil {
			return "", false
		}
	case *syntax.CmdSubst:
		if !a.isMktemp(p) {
			return "", false
		}
	default:
		return "", false
	}
	var rest strings.Builder
	for _, p := range parts[1:] {
		switch p := p.(type) {
		case *syntax.Lit:
			rest.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			rest.WriteString(p.Value)
		default:
			return "", false
		}
	}
	r := rest.String()
	if strings.Contains(r, "..") || strings.ContainsAny(r, "*?[\\{~$`") {
		return "", false
	}
	return r, true
}

// isMktemp reports whether a command substitution is only a call of
// mktemp (not -u, which names a file without making it) with literal
// arguments, in a line that does not change PATH nor define mktemp.
func (a *analyzer) isMktemp(cs *syntax.CmdSubst) bool {
	if len(cs.Stmts) != 1 || a.unknownEnv || a.aliases["mktemp"] != "" {
		return false
	}
	if _, ok := a.vars["PATH"]; ok || a.unknown["PATH"] {
		return false
	}
	a.pathRelied = append(a.pathRelied, "`mktemp` (a new path, where the line writes)")
	st := cs.Stmts[0]
	ce, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(st.Redirs) > 0 || st.Background || st.Negated || len(ce.Assigns) > 0 || len(ce.Args) == 0 {
		return false
	}
	for i, w := range ce.Args {
		if len(w.Parts) != 1 {
			return false
		}
		l, ok := w.Parts[0].(*syntax.Lit)
		if !ok || strings.ContainsAny(l.Value, "*?[\\{~") {
			return false
		}
		switch {
		case i == 0:
			if l.Value != "mktemp" && l.Value != "/usr/bin/mktemp" && l.Value != "/bin/mktemp" {
				return false
			}
		case len(l.Value) > 3 && strings.HasPrefix("--dry-run", l.Value) || // --dr, --dry…: getopt takes unique prefixes
			strings.HasPrefix(l.Value, "-") && !strings.HasPrefix(l.Value, "--") && strings.Contains(l.Value, "u"):
			return false
		}
	}
	return true
}

// mktempAssign reports whether an assignment's value is exactly
// $(mktemp …), quoted or not.
func (a *analyzer) mktempAssign(as *syntax.Assign) bool {
	if as.Value == nil || as.Append || as.Index != nil || as.Array != nil {
		return false
	}
	parts := as.Value.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return false
	}
	cs, ok := parts[0].(*syntax.CmdSubst)
	return ok && a.isMktemp(cs)
}

// topAssigns marks the assignments of a top-level script that always run
// in the shell itself, before what follows: a statement of the script, or
// the first of a `&&`/`||` list, not in the background.
func (a *analyzer) topAssigns(f *syntax.File) {
	for _, st := range f.Stmts {
		s := st
		for !s.Background && !s.Coprocess {
			b, ok := s.Cmd.(*syntax.BinaryCmd)
			if !ok || b.Op != syntax.AndStmt && b.Op != syntax.OrStmt {
				break
			}
			s = b.X
		}
		if s.Background || st.Background {
			continue
		}
		if ce, ok := s.Cmd.(*syntax.CallExpr); ok && len(ce.Args) == 0 {
			for _, as := range ce.Assigns {
				a.topAssign[as] = true
			}
		}
	}
}

// paths is an absolute path and where its symbolic links lead (the
// caller resolves them, at the time of the hook).
func (a *analyzer) paths(p string) []string {
	abs := a.resolve(p)
	cands := []string{abs}
	if !path.IsAbs(p) && !strings.HasPrefix(p, "~") && (len(a.cdTargets) > 0 || a.outer.dir != "") {
		// After a literal cd (or under a wrapper's directory), a relative
		// path names a file there too, through the links there (cd ../x
		// && tee s, s a link to the state: review hook102 H1).
		for _, d := range a.cdDirs(a.outer.dir) {
			if j := path.Join(d, p); j != abs {
				cands = append(cands, j)
			}
		}
	}
	for _, c := range cands {
		for _, l := range a.lineLinks {
			// Through a link the line makes (ln -s ../x d && echo > d/l:
			// review hook102 H2), which does not exist yet.
			if c == l.link || strings.HasPrefix(c, l.link+"/") {
				cands = append(cands, path.Clean(l.target+c[len(l.link):]))
			}
		}
	}
	if a.opts.Resolve == nil {
		return cands
	}
	out := append([]string{}, cands...)
	for _, c := range cands {
		if r := a.opts.Resolve(c); r != "" && r != c {
			out = append(out, path.Clean(r))
		}
	}
	return out
}

// parentsLand judges cp --parents: each source lands at DIR/SOURCE, the
// source's path as written under the directory (review hook34 F7: cp
// --parents home/.bashrc /tmp writes /tmp/home/.bashrc), not
// DIR/basename.
func (a *analyzer) parentsLand(argv []tok, srcs []tok, dst tok, recursive bool) {
	if dst.dyn && (dst.w == nil || !a.isFresh(dst.w)) {
		a.refuse("`%s`: cp --parents copies its sources under a directory computed at run time (%s), at their paths as written: name a literal directory", truncateTok(argv), srcOf(dst))
		return
	}
	dir := dst.s
	if dst.dyn {
		dir, _ = a.fresh(dst.w)
	}
	for _, s := range srcs {
		switch {
		case !s.dyn:
			j := strings.TrimSuffix(dir, "/") + "/" + s.s
			if a.writeDest(argv, tok{s: j}, recursive) {
				return
			}
		case s.w != nil && s.kind == dynGlob:
			pat := strings.TrimSuffix(dir, "/") + "/" + globPattern(s.w)
			if q := a.globNames(pat, recursive); q != "" {
				a.refuse("`%s` may write %s (cp --parents: DIR/SOURCE), which holds the gate's trust", truncateTok(argv), q)
				return
			}
		case dst.dyn:
			// Under a directory mktemp made: new, whatever the path.
		default:
			a.refuse("`%s`: cp --parents copies a source computed at run time (%s) to that path under %s, which may be the policy, its allowed_signers, the agent's settings or a state file: name the sources", truncateTok(argv), srcOf(s), dir)
			return
		}
	}
}

// initCacheRemoval reports whether a write is rm removing init's own
// cache (.terraform, .terraform.lock.hcl): the configuration init reads
// is as the hook read it (rm -rf .terraform && terraform init: review
// hook90 FR).
func initCacheRemoval(argv []tok, t tok) bool {
	if len(argv) == 0 || argv[0].dyn || baseName(argv[0].s) != "rm" || t.dyn {
		return false
	}
	b := path.Base(path.Clean(t.s))
	return b == ".terraform" || b == ".terraform.lock.hcl"
}

// lineLink is a symbolic link the line makes: its absolute path, where
// it leads, and its target as written (relative targets lead elsewhere
// once the link moves).
type lineLink struct {
	link, target, raw string
}

// linkArgs reads ln's or mv's words: the operands, the -t directory, -T,
// and for ln whether it makes symbolic links. ok is false when a word is
// computed.
func linkArgs(args []tok) (ops []string, dir string, noTarget, symbolic, ok bool) {
	dashdash := false
	for i := 0; i < len(args); i++ {
		t := args[i]
		switch {
		case t.dyn:
			return nil, "", false, false, false
		case dashdash || !strings.HasPrefix(t.s, "-") || t.s == "-":
			ops = append(ops, t.s)
		case t.s == "--":
			dashdash = true
		case strings.HasPrefix(t.s, "--"):
			l, v, hasV := strings.Cut(t.s[2:], "=")
			switch {
			case len(l) >= 2 && strings.HasPrefix("symbolic", l):
				symbolic = true
			case len(l) >= 3 && strings.HasPrefix("target-directory", l):
				if hasV {
					dir = v
				} else if i+1 < len(args) {
					dir = args[i+1].s
					i++
				}
			case len(l) >= 3 && strings.HasPrefix("no-target-directory", l):
				noTarget = true
			case len(l) >= 2 && strings.HasPrefix("suffix", l) && !hasV:
				i++ // --suffix SUFFIX
			}
		default:
			for j := 1; j < len(t.s); j++ {
				c := t.s[j]
				switch c {
				case 's':
					symbolic = true
				case 'T':
					noTarget = true
				case 't', 'S':
					v := t.s[j+1:]
					if v == "" && i+1 < len(args) {
						v = args[i+1].s
						i++
					}
					if c == 't' {
						dir = v
					}
					j = len(t.s)
				}
			}
		}
	}
	return ops, dir, noTarget, symbolic, true
}

// noteLineLink records the symbolic links an ln of the line makes, and
// where an mv moves them (or an existing link: Options.Readlink), read from
// the words before the line is judged: a write through the link may come
// first in the text, and run after it in a loop. ln -s TARGET LINK, ln -s
// TARGET (LINK is TARGET's name here), ln -s TARGET… DIR and -t DIR; mv
// SRC DST, SRC… DIR, -t DIR, -T. A relative target leads elsewhere once
// the link moves (mv x/y/u x/u: review hook103 H1). Links with computed
// words are judged by linksProtected.
func (a *analyzer) noteLineLink(prog string, args []tok) {
	ops, dir, noTarget, symbolic, ok := linkArgs(args)
	if !ok || len(ops) == 0 || prog == "cp" && !cpKeepsLinks(args) {
		return
	}
	// A hard link to a symbolic link is one more copy of it, at another
	// depth (ln x/y/u x/u: review hook106 H3); cp -P, -d, -a, -R copies
	// links as links (review hook106 H4): both carry links as mv does.
	name := prog
	if prog == "link" || prog == "ln" && !symbolic || prog == "cp" {
		prog = "mv"
	}
	var pairs [][2]string // source (ln: target as written), destination
	switch {
	case dir != "":
		for _, o := range ops {
			pairs = append(pairs, [2]string{o, path.Join(dir, path.Base(o))})
		}
	case len(ops) == 1:
		if prog == "mv" {
			return
		}
		pairs = append(pairs, [2]string{ops[0], path.Base(ops[0])})
	default:
		last := ops[len(ops)-1]
		for _, o := range ops[:len(ops)-1] {
			if len(ops) == 2 {
				pairs = append(pairs, [2]string{o, last}) // DST, or DIR/NAME when DST is a directory
			}
			if !noTarget {
				pairs = append(pairs, [2]string{o, path.Join(last, path.Base(o))})
			}
		}
	}
	refused := false
	add := func(link, raw, was string) {
		if len(a.lineLinks) >= 32 {
			return
		}
		target := linkTarget(link, raw)
		a.lineLinks = append(a.lineLinks, lineLink{link: link, target: target, raw: raw})
		// A link carried to another depth, where its relative target
		// leads to a protected file (or a directory holding one, or the
		// state) that it did not lead to before: as ln -s to it, refused
		// (review hook145 H4: a write whose names the hook does not see,
		// a recursive copy into its directory, follows it).
		if was == "" || target == was || refused {
			return
		}
		if q := a.holds(target); q != "" {
			refused = true
			a.refuse("`%s %s` carries a symbolic link (to %s) to %s, where it leads to %s, which holds the gate's trust: a write through the link (a recursive copy into its directory) would change it", name, strings.Join(ops, " "), raw, link, q)
		}
	}
	for _, p := range pairs {
		dst := a.resolve(p[1])
		if prog == "ln" {
			add(dst, p[0], "")
			continue
		}
		src := a.resolve(p[0])
		for _, l := range append([]lineLink{}, a.lineLinks...) {
			if l.link == src || strings.HasPrefix(l.link, src+"/") {
				add(dst+l.link[len(src):], l.raw, l.target)
			}
		}
		if a.opts.Readlink != nil {
			if raw, ok := a.opts.Readlink(src); ok {
				add(dst, raw, linkTarget(src, raw))
			}
		}
		if a.opts.LinksUnder != nil {
			// A directory moved with links in it (review hook106 H1).
			links, ok := a.opts.LinksUnder(src)
			if !ok {
				a.refuse("`%s %s`: %s holds more entries than the hook reads for symbolic links (or ones it cannot read), whose relative targets lead elsewhere once moved or copied: name a smaller directory", name, p[0], p[0])
				continue
			}
			for _, l := range links {
				add(path.Join(dst, l[0]), l[1], linkTarget(path.Join(src, l[0]), l[1]))
			}
		}
	}
}

// linkTarget is where a symbolic link at the absolute path link, whose
// target is written raw, leads (a relative target from its directory).
func linkTarget(link, raw string) string {
	if path.IsAbs(raw) {
		return path.Clean(raw)
	}
	return path.Join(path.Dir(link), raw)
}

// cpKeepsLinks reports whether cp's words copy symbolic links as links:
// -P, -d, -a, --no-dereference, --archive, or a recursive copy without -L.
func cpKeepsLinks(args []tok) bool {
	keep, deref := false, false
	for _, t := range args {
		switch {
		case t.s == "--":
			return keep && !deref
		case strings.HasPrefix(t.s, "--"):
			l, _, _ := strings.Cut(t.s[2:], "=")
			keep = keep || len(l) >= 4 && (strings.HasPrefix("no-dereference", l) || strings.HasPrefix("archive", l) || strings.HasPrefix("recursive", l))
			deref = deref || l == "dereference"
		case strings.HasPrefix(t.s, "-") && len(t.s) > 1:
			keep = keep || strings.ContainsAny(t.s[1:], "PdaRr")
			deref = deref || strings.ContainsRune(t.s[1:], 'L')
		}
	}
	return keep && !deref
}
