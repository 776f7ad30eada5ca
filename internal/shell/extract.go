package shell

import (
	"regexp"
	"strings"
)

// Programs that extract an archive into a directory or clear one, read
// as their own option parsers do (review hook82): python's -m modules
// behind any interpreter option, argparse's abbreviations and clusters,
// jar's and ar's options in any order, and the other names the
// compressors are installed under.

// compressorAliases are the names Debian installs the compressors under,
// each judged as the program it is (zstdmt is zstd -T0, lz4c the legacy
// lz4); gzexe and bzexe rewrite each file they are given in place
// (review hook84 H4).
var compressorAliases = map[string]string{"gzexe": "gzip", "bzexe": "bzip2", "uncompress": "gzip", "zstdmt": "zstd", "pzstd": "zstd", "unzstd": "zstd",
	"lz4c": "lz4", "unlz4": "lz4", "bunzip2": "bzip2", "pbzip2": "bzip2", "lbzip2": "bzip2",
	"unxz": "xz", "lzma": "xz", "unlzma": "xz", "pixz": "xz", "pxz": "xz", "unbrotli": "brotli",
	"lzip": "xz", "plzip": "xz", "lunzip": "xz", "lzop": "gzip", "unpigz": "pigz", "gunzip": "gzip"}

// treeName is the program a name stands for in the extract, compress and
// clear rules (treeRemoval): the compressors' other names, python3.11,
// binutils' x86_64-linux-gnu-ar, gcc-ar, llvm-ar (review hook86 H3), Perl's
// ptar (tar's options).
func treeName(name string) string {
	switch {
	case compressorAliases[name] != "":
		return compressorAliases[name]
	case strings.HasPrefix(name, "python") || strings.HasPrefix(name, "pypy"):
		return "python"
	case arNameRe.MatchString(name):
		return "ar"
	case name == "ptar":
		return "tar"
	}
	return name
}

var arNameRe = regexp.MustCompile(`^([a-z0-9_.]+-)+ar(-[0-9.]+)?$`)

// treeNames are the programs treeRemoval judges.
var treeNames = map[string]bool{"tar": true, "gtar": true, "bsdtar": true, "zip": true, "unzip": true, "python": true,
	"virtualenv": true, "cargo": true, "go": true, "gzip": true, "pigz": true, "zstd": true, "lz4": true, "brotli": true,
	"bzip2": true, "xz": true, "jar": true, "ar": true, "dpkg-deb": true, "dpkg": true, "cpio": true, "7z": true,
	"7za": true, "7zr": true, "pax": true, "gpgtar": true}

// treeWriter reports whether a program name is one treeRemoval judges.
func treeWriter(name string) bool {
	return treeNames[treeName(name)]
}

// pythonModule returns the module python runs (-m MOD, -mMOD, behind
// interpreter options and clusters: -Bm MOD) and the module's arguments.
// ok is false when a word computed at run time comes first, or python
// runs no module (a script, -c CODE).
func pythonModule(args []tok) (mod tok, rest []tok, ok bool) {
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.dyn {
			return tok{}, nil, false
		}
		s := t.s
		switch {
		case !strings.HasPrefix(s, "-") && (strings.HasSuffix(s, "/tarfile.py") || strings.HasSuffix(s, "/zipfile.py") || s == "tarfile.py" || s == "zipfile.py"):
			// The standard library's module run as a script is its
			// command line (review hook84 M1).
			return tok{s: strings.TrimSuffix(baseName(s), ".py")}, args[i+1:], true
		case s == "--" || s == "-" || !strings.HasPrefix(s, "-"):
			return tok{}, nil, false // a script
		case strings.HasPrefix(s, "--"):
			if s == "--check-hash-based-pycs" {
				i++
			}
			continue
		}
		for j := 1; j < len(s); j++ {
			if !strings.ContainsRune("cmWXQ", rune(s[j])) {
				continue
			}
			val, next := s[j+1:], i+1
			if val == "" {
				if i+1 >= len(args) {
					return tok{}, nil, false
				}
				if args[i+1].dyn && s[j] == 'm' {
					return args[i+1], args[i+2:], true
				}
				val, next = args[i+1].s, i+2
			}
			switch s[j] {
			case 'm':
				return tok{s: val}, args[next:], true
			case 'c':
				return tok{}, nil, false
			}
			i = next - 1
			break
		}
	}
	return tok{}, nil, false
}

// argparseExtract reads the arguments of python -m tarfile or -m zipfile
// as argparse does: -e/--extract (any unambiguous prefix, =VALUE,
// clustered behind -v: -ve) and the values that follow it. It returns
// the directory extracted into (the second value, or "."), whether the
// module extracts at all, and whether a computed word hides the answer.
func argparseExtract(args []tok) (dir tok, extract, unknown bool) {
	var vals []tok
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.dyn {
			return tok{}, false, true
		}
		s := t.s
		attached, found := "", false
		switch {
		case strings.HasPrefix(s, "--"):
			name, v, eq := strings.Cut(s, "=")
			if len(name) >= 3 && strings.HasPrefix("--extract", name) {
				found, attached = true, v
				if !eq {
					attached = ""
				}
			} else if len(name) >= 3 && strings.HasPrefix("--filter", name) && !eq {
				i++ // --filter data
			}
		case strings.HasPrefix(s, "-") && len(s) > 1:
			rest := strings.TrimLeft(s[1:], "v")
			if strings.HasPrefix(rest, "e") {
				found, attached = true, strings.TrimPrefix(rest[1:], "=")
			}
		}
		if !found {
			continue
		}
		extract = true
		vals = vals[:0]
		if attached != "" {
			vals = append(vals, tok{s: attached})
		}
		for i+1 < len(args) && (args[i+1].dyn || !strings.HasPrefix(args[i+1].s, "-") || args[i+1].s == "-") {
			if args[i+1].dyn {
				return tok{}, true, true
			}
			vals = append(vals, args[i+1])
			i++
		}
	}
	if !extract {
		return tok{}, false, false
	}
	if len(vals) >= 2 {
		return vals[1], true, false
	}
	return tok{s: "."}, true, false
}

// tarFiltered reports whether python -m tarfile's arguments give a
// filter that keeps members inside the directory (--filter data or tar):
// without one, Python before 3.14 extracts ../ and absolute member names
// where they point (review hook84 M2).
func tarFiltered(args []tok) (filtered bool) {
	for i, t := range args {
		name, v, eq := strings.Cut(t.s, "=")
		if t.dyn || len(name) < 4 || !strings.HasPrefix("--filter", name) {
			continue
		}
		if !eq {
			if i+1 >= len(args) || args[i+1].dyn {
				return false
			}
			v = args[i+1].s
		}
		// argparse keeps the last --filter (review hook86 H6).
		filtered = v == "data" || v == "tar"
	}
	return filtered
}

// jarExtract reports whether jar extracts (x in its first word, -x in a
// cluster, --extract anywhere) and the directories it may write: the
// working directory and any -C/--dir value.
func jarExtract(args []tok) (dirs []tok, extract bool) {
	dirs = []tok{{s: "."}}
	for i, t := range args {
		s := t.s
		switch {
		case t.dyn || strings.HasPrefix(s, "@"):
			extract = true // a computed option, or a file of them (@FILE: review hook84 M3), may be -x
		case i == 0 && !strings.HasPrefix(s, "-") && strings.ContainsRune(s, 'x'):
			extract = true // jar xf a.jar
		case strings.HasPrefix(s, "--"):
			name, v, eq := strings.Cut(s, "=")
			if len(name) >= 4 && strings.HasPrefix("--extract", name) {
				extract = true
			}
			if name == "--dir" {
				if eq {
					dirs = append(dirs, tok{s: v})
				} else if i+1 < len(args) {
					dirs = append(dirs, args[i+1])
				}
			}
		case strings.HasPrefix(s, "-") && len(s) > 1:
			if strings.ContainsRune(s, 'x') {
				extract = true
			}
			if s == "-C" && i+1 < len(args) {
				dirs = append(dirs, args[i+1])
			}
		}
	}
	return dirs, extract
}

// arExtract reports whether ar extracts, with its operation found behind
// any of its options (--output DIR, --plugin P, --target BFD) and in any
// dashed cluster before the archive (ar -v -x: review hook84 H3), and the
// directory it writes (--output, or "."). An @FILE argument (the
// arguments read from a file) may be x.
func arExtract(args []tok) (dir tok, extract bool) {
	dir = tok{s: "."}
	op := false // a dashed operation came first (ar -t ARCHIVE)
	for i := 0; i < len(args); i++ {
		t := args[i]
		s := t.s
		switch {
		case t.dyn || strings.HasPrefix(s, "@"):
			return dir, true
		case strings.HasPrefix(s, "--"):
			name, v, eq := strings.Cut(s, "=")
			if !eq && (name == "--output" || name == "--plugin" || name == "--target" || name == "--record-libdeps") && i+1 < len(args) {
				v = args[i+1].s
				if args[i+1].dyn {
					return tok{s: v, dyn: true}, true
				}
				i++
			}
			if name == "--output" {
				dir = tok{s: v}
			}
		case strings.HasPrefix(s, "-X"):
		case strings.HasPrefix(s, "-"):
			extract = extract || strings.ContainsRune(s, 'x') // -x, -v -x, -xo
			op = op || strings.ContainsAny(s, "dmpqrstx")
		default:
			// The first word without a dash: the operation when no dashed
			// one came first (x, xo), else the archive.
			if !op {
				extract = strings.ContainsRune(s, 'x')
			}
			if extract {
				for _, u := range args[i+1:] {
					if o, v, ok := strings.Cut(u.s, "="); ok && o == "--output" {
						dir = tok{s: v, dyn: u.dyn}
					}
				}
				if v, ok := optValue(args[i+1:], "", "output"); ok {
					dir = v
				}
			}
			return dir, extract
		}
	}
	return dir, extract
}

// goVendorDir returns the directory go mod vendor / go work vendor
// removes whole before writing it again (-o DIR, vendor by default), from
// go's -C directory (review hook84 H1), and whether go vendors at all.
func goVendorDir(args []tok) (dir tok, ok bool) {
	base := tok{}
	if len(args) > 0 && (args[0].s == "-C" || args[0].s == "--C") && len(args) > 1 {
		base, args = args[1], args[2:]
	} else if len(args) > 0 && (strings.HasPrefix(args[0].s, "-C=") || strings.HasPrefix(args[0].s, "--C=")) {
		_, v, _ := strings.Cut(args[0].s, "=")
		base, args = tok{s: v, dyn: args[0].dyn}, args[1:]
	}
	if len(args) < 2 || args[1].s != "vendor" || args[0].s != "mod" && args[0].s != "work" {
		return tok{}, false
	}
	dir = tok{s: "vendor"}
	for i := 2; i < len(args); i++ {
		name, v, eq := strings.Cut(strings.TrimPrefix(args[i].s, "-"), "=")
		if args[i].dyn && strings.HasPrefix(args[i].s, "-") {
			return tok{s: args[i].s, dyn: true}, true
		}
		if name == "-o" || name == "o" {
			if eq {
				dir = tok{s: v, dyn: args[i].dyn}
			} else if i+1 < len(args) {
				dir = args[i+1]
				i++
			}
		}
	}
	if base.dyn {
		return base, true
	}
	if base.s != "" && !strings.HasPrefix(dir.s, "/") {
		dir.s = base.s + "/" + dir.s
	}
	return dir, true
}

// clearedDirs returns the directories a program empties before it writes
// into them: python -m venv --clear DIR… (virtualenv --clear), cargo
// clean --target-dir DIR; computed reports a computed word among them.
func clearedDirs(name string, args []tok) (dirs []tok, computed bool) {
	switch name {
	case "venv", "virtualenv":
		clears := false
		var ops []tok
		for _, t := range args {
			switch {
			case t.dyn:
				computed = true
			case strings.HasPrefix(t.s, "--"):
				n, _, _ := strings.Cut(t.s, "=")
				clears = clears || len(n) >= 4 && strings.HasPrefix("--clear", n)
			case !strings.HasPrefix(t.s, "-"):
				ops = append(ops, t)
			}
		}
		if clears {
			return ops, computed
		}
	case "cargo":
		// The subcommand behind cargo's global options and a +toolchain
		// (cargo -q clean, cargo +stable clean: review hook84 H2).
		sub := -1
		for i, t := range args {
			if t.dyn {
				return nil, true
			}
			if t.s == "clean" {
				sub = i
				break
			}
			if !strings.HasPrefix(t.s, "-") && !strings.HasPrefix(t.s, "+") && (i == 0 || !cargoValued[args[i-1].s]) {
				return nil, false // another subcommand
			}
		}
		if sub < 0 {
			return nil, false
		}
		for _, t := range args {
			if t.s == "--config" || strings.HasPrefix(t.s, "--config=") {
				// --config build.target-dir=DIR, in any TOML spelling
				// ('"build".target-dir', "target\u002ddir": review
				// hook86 H5).
				return nil, true
			}
		}
		dirs = append(dirs, tok{s: "target"})
		for i := sub + 1; i < len(args); i++ {
			n, v, eq := strings.Cut(args[i].s, "=")
			if n != "--target-dir" {
				continue
			}
			if eq {
				dirs = append(dirs, tok{s: v, dyn: args[i].dyn})
			} else if i+1 < len(args) {
				dirs = append(dirs, args[i+1])
			}
		}
		for _, d := range dirs {
			computed = computed || d.dyn
		}
		return dirs, computed
	}
	return nil, false
}

// cargoValued are cargo's global options that take the next word.
var cargoValued = map[string]bool{"--color": true, "--config": true, "-Z": true, "-C": true, "--manifest-path": true}

// clears returns a protected file in a directory a program empties
// (clearedDirs).
func (a *analyzer) clears(name string, args []tok, computed func() string) string {
	dirs, dyn := clearedDirs(name, args)
	if dyn {
		return computed()
	}
	if name == "cargo" && len(dirs) > 0 {
		for _, n := range []string{"CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"} {
			if _, set := a.vars[n]; set || a.unknown[n] || contains(a.outer.assigns, n) {
				// CARGO_TARGET_DIR=. cargo clean (review hook84 H2).
				a.refuse("`cargo clean` empties the directory %s names, which the line sets: give --target-dir a directory of its own", n)
				return ""
			}
		}
	}
	for _, d := range dirs {
		if q := a.holds(d.s); q != "" {
			return q
		}
	}
	return ""
}
