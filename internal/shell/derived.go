package shell

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"mvdan.cc/sh/v3/syntax"
)

// Writes the hook reads from a program's arguments when it cannot place
// them exactly: names derived from an argument (gunzip strips .gz, a
// backup is DEST+SUFFIX, csplit writes PREFIX+NN), the directories that
// hold the protected files, removals and extractions over a whole tree,
// and descriptors reopened through /dev/fd or /proc.

// compressSuffixes are the suffixes a decompressor strips from its input
// to name its output.
var compressSuffixes = []string{".gz", ".xz", ".bz2", ".zst", ".zstd", ".z", ".lz", ".lzma", ".lz4", ".br", ".bz", ".lzo", ".sz",
	"-gz", "-z", "_z"} // GNU gzip's other suffixes (review hook105 H1)

// ancestorOfCwd reports whether d is the working directory or above it.
func (a *analyzer) ancestorOfCwd(d string) bool {
	cwd := strings.ToLower(path.Clean(a.opts.Cwd))
	d = strings.ToLower(path.Clean(d))
	return d == cwd || d == "/" || strings.HasPrefix(cwd, d+"/")
}

// protectedDirOf returns a protected file whose directory p names, or "".
// own: only directories that hold protected files and are not the working
// directory or above it (.claude, .gemini, the policy's own directory when
// it is elsewhere), which no program needs to be given outright.
func (a *analyzer) protectedDirOf(p string, own bool) string {
	if p == "" {
		return ""
	}
	rel := strings.ToLower(path.Clean(p))
	for _, q := range a.opts.Protected {
		d := path.Dir(q)
		if own && a.ancestorOfCwd(d) {
			continue
		}
		for _, r := range a.paths(p) {
			if strings.EqualFold(r, d) {
				return q
			}
		}
		if a.cwdUnknown && !path.IsAbs(p) && rel != "." && rel != ".." && !strings.HasPrefix(rel, "../") &&
			strings.HasSuffix(strings.ToLower(d), "/"+rel) {
			return q
		}
	}
	return ""
}

// globOwnDir returns a protected file whose own directory (protectedDirOf)
// a glob pattern may match (.cl*, .git*/hooks).
func (a *analyzer) globOwnDir(pattern string) string {
	pc := strings.Split(strings.TrimPrefix(a.resolve(pattern), "/"), "/")
	for _, q := range a.opts.Protected {
		d := path.Dir(q)
		if a.ancestorOfCwd(d) {
			continue
		}
		dc := strings.Split(strings.TrimPrefix(strings.ToLower(d), "/"), "/")
		if len(dc) == len(pc) && a.componentsMatch(pc, dc) {
			return q
		}
	}
	return ""
}

// derivedName returns a protected file that a name derived from p is: p
// without a compression suffix (what gunzip, unxz, zstd -d write), or, when
// suffixed, p with any suffix (a backup DEST+SUFFIX, csplit's PREFIX+NN).
func (a *analyzer) derivedName(p string, suffixed bool) string {
	if p == "" {
		return ""
	}
	if q := a.protected(p); q != "" {
		return q
	}
	lower := strings.ToLower(p)
	for _, s := range compressSuffixes {
		if strings.HasSuffix(lower, s) && len(p) > len(s) {
			if q := a.protected(p[:len(p)-len(s)]); q != "" {
				return q
			}
		}
	}
	if !suffixed || strings.HasSuffix(p, "/") {
		return ""
	}
	base := strings.ToLower(path.Base(p))
	if base == "." || base == ".." || base == "/" {
		return ""
	}
	for _, q := range a.opts.Protected {
		if !strings.HasPrefix(strings.ToLower(path.Base(q)), base) {
			continue
		}
		for _, r := range a.paths(p) {
			if strings.EqualFold(path.Dir(r), path.Dir(q)) {
				return q
			}
		}
		if a.cwdUnknown && !path.IsAbs(p) && !strings.Contains(p, "/") {
			return q
		}
	}
	return ""
}

// compressorNaming refuses the options with which a compressor names its
// outputs otherwise than after its operands (review hook54 F2, F3, F9):
// gzip/pigz -N (--name) restores the name stored in the archive, which
// the archive's maker chose; xz --files and zstd --filelist take the
// names from a file; zstd --output-dir-mirror/--output-dir-flat write
// under a directory, mirrored from the operands' paths.
func compressorNaming(argv []tok) string {
	if n := baseName(argv[0].s); n == "gpg" || n == "gpg2" {
		for _, t := range argv[1:] {
			// gpg --decrypt-files writes FILE from FILE.gpg/.asc/.sig
			// (review hook56 F9); --multifile likewise.
			if l, _, _ := strings.Cut(t.s, "="); len(l) >= 6 && (strings.HasPrefix("--decrypt-files", l) && len(l) > len("--decrypt") || strings.HasPrefix("--multifile", l)) || t.dyn && strings.HasPrefix(t.s, "-") {
				return "gpg --decrypt-files (--multifile) writes each FILE from FILE.gpg, FILE.asc or FILE.sig, a name the hook does not place: decrypt one file with -o OUT"
			}
			// gpg's options from a file or another home's gpg.conf
			// (output FILE: review hook108 H2).
			if l, _, _ := strings.Cut(t.s, "="); len(l) >= len("--opt") && strings.HasPrefix("--options", l) || len(l) >= len("--hom") && strings.HasPrefix("--homedir", l) {
				return "gpg --options/--homedir reads options from a file (output names the file gpg writes), which the hook does not read: give the options on the command line"
			}
			// The name the encrypted file carries (review hook105 H3).
			if l, _, _ := strings.Cut(t.s, "="); len(l) >= len("--use-e") && strings.HasPrefix("--use-embedded-filename", l) {
				return "gpg --use-embedded-filename writes the file name stored in the encrypted file, which its maker chose (a protected file's name): decrypt with -o OUT"
			}
		}
		if gpgDefaultWrites(argv[1:]) {
			// gpg FILE.gpg with no command decrypts into FILE (review
			// hook105 H2).
			return "gpg given a file and no command decrypts FILE.gpg, FILE.asc or FILE.sig into FILE, a name the hook does not place: decrypt with -d -o OUT"
		}
		return ""
	}
	name := baseName(argv[0].s)
	gz := name == "gzip" || name == "gunzip" || name == "pigz" || name == "unpigz" || name == "uncompress"
	xz := name == "xz" || name == "unxz" || name == "lzma" || name == "unlzma"
	zst := strings.HasPrefix(name, "zstd") || name == "unzstd" || name == "pzstd"
	if !gz && !xz && !zst {
		return ""
	}
	for _, t := range argv[1:] {
		if t.s == "--" && !t.dyn {
			break
		}
		long, _, _ := strings.Cut(t.s, "=")
		switch {
		case t.dyn && strings.HasPrefix(t.s, "-"):
			return "an option computed at run time may name the outputs (-N, --files, --output-dir-mirror): write the options out"
		case gz && (len(long) >= 4 && strings.HasPrefix("--name", long) || len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'N')):
			return "-N (--name) names the output by the file name stored in the archive, which its maker chose (a protected file's name): decompress without -N"
		case xz && len(long) >= 4 && strings.HasPrefix("--files0", long):
			return "--files takes the file names from a file, which the hook cannot read: name the files"
		case zst && (long == "--filelist" || strings.HasPrefix(long, "--output-dir")):
			return long + " takes the file names from a file, or writes them under a directory mirrored from their paths: name the files, and write with -o"
		}
	}
	return ""
}

// gpgCommands are gpg's long commands (any other long option is an
// option); gpgShortCommands its one-letter ones.
var gpgCommands = []string{"sign", "clear-sign", "clearsign", "detach-sign", "encrypt", "encrypt-files", "symmetric", "store",
	"decrypt", "verify", "verify-files", "list-keys", "list-public-keys", "list-secret-keys", "list-signatures", "list-sigs",
	"check-signatures", "check-sigs", "fingerprint", "list-packets", "import", "export", "export-secret-keys",
	"export-ssh-key", "recv-keys", "receive-keys", "send-keys", "search-keys", "refresh-keys", "fetch-keys", "gen-key",
	"full-generate-key", "full-gen-key", "generate-key", "quick-generate-key", "quick-gen-key", "edit-key", "sign-key",
	"lsign-key", "delete-keys", "delete-secret-keys", "card-status", "card-edit", "change-pin", "dearmor", "dearmour",
	"enarmor", "enarmour", "print-md", "print-mds", "gen-random", "gen-prime", "version", "help", "warranty", "dump-options",
	"list-config", "gpgconf-list", "gpgconf-test", "update-trustdb", "check-trustdb", "export-ownertrust", "import-ownertrust",
	"gen-revoke", "generate-revocation", "desig-revoke", "locate-keys", "locate-external-keys", "show-keys", "tofu-policy",
	"quick-sign-key", "quick-lsign-key", "quick-add-uid", "quick-revoke-uid", "quick-set-expire", "quick-add-key",
	"quick-revoke-sig", "quick-set-primary-uid", "passwd"}

// gpgDefaultWrites reports whether gpg's arguments give a file and no
// command: gpg then guesses the operation from the file, and decrypting
// writes FILE from FILE.gpg (.asc, .sig, .pgp) unless -o names the output.
func gpgDefaultWrites(args []tok) bool {
	operand := false
	for i := 0; i < len(args); i++ {
		t := args[i]
		switch {
		case t.s == "--":
			operand = operand || i+1 < len(args)
			i = len(args)
		case strings.HasPrefix(t.s, "--"):
			l, _, _ := strings.Cut(t.s[2:], "=")
			if l == "output" || strings.HasPrefix("output", l) && len(l) >= 3 {
				return false
			}
			for _, c := range gpgCommands {
				if l == c || len(l) >= 4 && strings.HasPrefix(c, l) {
					return false
				}
			}
		case strings.HasPrefix(t.s, "-") && len(t.s) > 1:
			for j := 1; j < len(t.s); j++ {
				c := t.s[j]
				if strings.IndexByte("sbecdkKo", c) >= 0 {
					return false // a command, or -o OUT
				}
				if strings.IndexByte("rRuzfNg", c) >= 0 {
					// -rbob: the rest is the value (review hook106 H7).
					if j+1 == len(t.s) {
						i++
					}
					break
				}
			}
		default:
			operand = true
		}
	}
	return operand
}

// suffixValued are the decompressors that take a suffix of their own
// (-S SUF, --suffix=SUF) to strip when naming the output, with the short
// options of each that take a value.
var suffixValued = map[string]string{"gzip": "S", "gunzip": "S", "uncompress": "S", "pigz": "bpS", "unpigz": "bpS",
	"xz": "FCTMS", "unxz": "FCTMS", "lzma": "FCTMS", "unlzma": "FCTMS",
	"brotli": "oqwSD", "unbrotli": "oqwSD"}

// customSuffix returns a protected file that a decompressor given its own
// suffix writes: gzip -d -S .x ../planguard.hcl.x writes ../planguard.hcl
// (hook35 F3). The options are read anywhere before `--` (GNU getopt
// permutes them), in clusters (-dfS.x) and as abbreviations (--suf=x).
// why: the suffix is computed at run time (refused whatever it is).
//
// Any other program's --suffix=SUF (GNU's backup suffix: msgmerge -U
// --backup=simple --suffix=e terraform.tfstat renames the old file to
// terraform.tfstate, review hook132 M2) is read the same way, spelled out
// in full only (its abbreviations are the program's own).
func (a *analyzer) customSuffix(argv []tok) (q, why string) {
	valued, known := suffixValued[baseName(argv[0].s)]
	var sufs []tok
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		next := func() tok {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return tok{}
		}
		switch {
		case t.s == "--" && !t.dyn:
			i = len(args)
		case strings.HasPrefix(t.s, "--"):
			name, val, eq := strings.Cut(t.s[2:], "=")
			if len(name) < 2 || !strings.HasPrefix("suffix", name) || !known && len(name) < 3 {
				continue
			}
			if eq {
				sufs = append(sufs, tok{s: val, dyn: t.dyn, src: t.src, kind: t.kind})
			} else {
				sufs = append(sufs, next())
			}
		case len(t.s) > 1 && t.s[0] == '-' && known:
			for k := 1; k < len(t.s); k++ {
				if !strings.ContainsRune(valued, rune(t.s[k])) {
					continue
				}
				if t.s[k] == 'S' {
					if k+1 < len(t.s) {
						sufs = append(sufs, tok{s: t.s[k+1:], dyn: t.dyn, src: t.src, kind: t.kind})
					} else {
						sufs = append(sufs, next())
					}
				} else if k+1 == len(t.s) {
					next()
				}
				break
			}
		}
	}
	for _, suf := range sufs {
		if suf.dyn && !known {
			return "", "the program adds a suffix computed at run time (" + srcOf(suf) + ") to a file's name to name a backup or an output, which may then be the policy, its allowed_signers or the agent's settings: spell the suffix literally"
		}
		if suf.dyn {
			return "", "the decompressor strips a suffix computed at run time (" + srcOf(suf) + ") from its input to name the output, which may then be the policy, its allowed_signers or the agent's settings: spell the suffix literally"
		}
		if suf.s == "" {
			continue
		}
		ls := strings.ToLower(suf.s)
		for _, t := range args {
			if t.dyn {
				continue
			}
			vals, _ := argValues(t.s)
			for _, v := range vals {
				if len(v) > len(ls) && strings.HasSuffix(strings.ToLower(v), ls) {
					if q := a.protected(v[:len(v)-len(ls)]); q != "" {
						return q, ""
					}
				}
				// Compressing names the output FILE+SUFFIX (review hook64
				// H3: gzip -S te terraform.tfsta writes terraform.tfstate).
				if q := a.protected(v + suf.s); q != "" {
					return q, ""
				}
				if StateFile(v+suf.s) && !StateFile(v) {
					return "", "the compressor names its output " + v + suf.s + " (the file plus the suffix), which is a Terraform state file's name" + stateFileWhy
				}
			}
		}
	}
	return "", ""
}

// argValues are the paths an argument may name: itself, and the text after
// each `=` (--output=FILE, json=FILE, of=FILE, -v f=FILE); attached: the
// value was attached to an option or a name.
//
// A value attached to a short option is read as the option's value too
// (-o.claude/settings.json, -fo../x): for a program the hook does not know,
// each rest of a word after one or more option letters (suffixed only
// when it holds a slash, as a path named outright is).
func argValues(s string) (vals []string, attached []bool) {
	vals, attached = append(vals, s), append(attached, false)
	if len(s) > 2 && s[0] == '-' && s[1] != '-' {
		k := 1 // the option letters are s[1:k]
		for k < len(s) && isAlnum(s[k]) {
			k++
		}
		// A path's first component is at most 255 bytes (NAME_MAX): a
		// value starting further back names no file.
		for j := max(2, k-255); j <= k && j < len(s); j++ {
			vals, attached = append(vals, s[j:]), append(attached, false)
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+1 < len(s) {
			vals, attached = append(vals, s[i+1:]), append(attached, true)
		}
	}
	// Words inside the word: a list (gcc -Wl,-Map,FILE), a command and its
	// argument (sqlite3 '.once FILE'), a SCHEME:PATH (convert TXT:FILE,
	// socat CREATE:FILE): review hook105 H4, H5.
	if strings.ContainsAny(s, " \t\n\v\f\r,:'\"`;()") {
		// Quotes and SQL punctuation end a name too (sqlite3 ".once
		// 'FILE'", attach 'FILE' as p; vacuum into 'FILE': review hook106
		// H5).
		fields := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",'\"`;()", r) })
		for n, f := range fields {
			if n >= 64 {
				break
			}
			if f != s {
				vals, attached = append(vals, f), append(attached, true)
			}
			if i := strings.IndexByte(f, ':'); i > 0 && i+1 < len(f) && schemeLike(f[:i]) {
				vals, attached = append(vals, f[i+1:]), append(attached, true)
			}
			if i := strings.IndexByte(f, '='); i > 0 && i+1 < len(f) && f != s {
				vals, attached = append(vals, f[i+1:]), append(attached, true)
			}
		}
	}
	// file:///p, --upload-file=file://localhost/p: the path it names.
	for _, v := range vals {
		for _, p := range fileURLPaths(v) {
			vals, attached = append(vals, p), append(attached, true)
		}
	}
	return vals, attached
}

// gitDiffOf reports whether a statement is git printing a diff of the
// repository (git diff, show, format-patch --stdout, stash show), not
// --no-index, which diffs any two files.
func gitDiffOf(st *syntax.Stmt) bool {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) < 2 || baseName(printWord(call.Args[0])) != "git" {
		return false
	}
	// Only a plain diff of the repository: any other option may print
	// other text (git show --format=… prints a patch it is given, --no-index
	// diffs any files, --src-prefix moves the paths: review hook109 H5), and
	// REV:PATH is a file's content.
	sub := ""
	for _, w := range call.Args[1:] {
		s := printWord(w)
		switch {
		case strings.ContainsAny(s, "$`:"):
			return false
		case sub == "" && !strings.HasPrefix(s, "-"):
			sub = s
		case sub == "" && s != "--no-pager":
			return false
		case strings.HasPrefix(s, "-") && !gitDiffFlags[s]:
			return false
		}
	}
	return sub == "diff" || sub == "show"
}

// gitDiffFlags are the options of git diff and git show that keep their
// output a plain patch of the repository.
var gitDiffFlags = map[string]bool{"--cached": true, "--staged": true, "-R": true, "--binary": true, "--full-index": true,
	"-p": true, "--patch": true, "--": true, "--no-color": true, "--no-ext-diff": true, "--no-textconv": true}

// schemeLike reports whether s may be a SCHEME of SCHEME:PATH: letters,
// digits, +, - and . (TXT, CREATE, OPEN, file).
func schemeLike(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.' && s[i] != '_' {
			return false
		}
	}
	return s != ""
}

// placesWrites are the programs whose judges place every file they write,
// refusing computed ones (downloads.go): their other computed arguments
// (a URL, a header) name no file they write.
var placesWrites = map[string]bool{"curl": true, "wget": true, "wget2": true, "aria2c": true}

// looseArgs refuses, for a program that may write any file it is given (a
// program the hook does not know, a script or module of an interpreter, a
// writer whose outputs the table does not place), an argument that names
// a protected file, a name one is derived from, a directory of its own
// that holds one, or a directory above one together with its name; and a
// removal or extraction over a directory holding one (tar --remove-files,
// zip -m, tar -x, unzip).
func (a *analyzer) looseArgs(argv []tok) bool {
	if len(a.opts.Protected) == 0 || len(argv) == 0 {
		return false
	}
	if baseName(argv[0].s) == "mkdir" {
		// A directory named config is not git's configuration (gitconfig.go).
		defer func(was bool) { a.gitArgs = was }(a.gitArgs)
		a.gitArgs = true
	}
	defer func(was bool) { a.looseGlob = was }(a.looseGlob)
	a.looseGlob = true
	line := truncateTok(argv)
	refuse := func(q string) bool {
		a.refuse("`%s` may write or remove %s (named, derived from an argument, or in a directory it is given), which holds the gate's trust: a person changes it through review; to read it, use `cat FILE | …`", line, q)
		return true
	}
	if q, why := a.customSuffix(argv); why != "" {
		a.refuse("`%s`: %s", line, why)
		return true
	} else if q != "" {
		return refuse(q)
	}
	if why := compressorNaming(argv); why != "" {
		a.refuse("`%s`: %s", line, why)
		return true
	}
	// What the arguments write is judged without the words that name
	// nothing written (tar --exclude=PAT, zip -x PAT…, jq's filter);
	// treeRemoval below reads them all.
	all := argv
	argv = unwrittenWords(argv)
	var dirs []string // protected files in directories the arguments name
	for _, t := range argv[1:] {
		if t.dyn {
			if t.w != nil && t.kind == dynGlob {
				pat := globPattern(t.w)
				if q := a.globNames(pat, false); q != "" {
					return refuse(q)
				}
				if q := a.globOwnDir(pat); q != "" {
					return refuse(q)
				}
				for _, s := range compressSuffixes {
					if strings.HasSuffix(strings.ToLower(pat), s) {
						if q := a.globNames(pat[:len(pat)-len(s)], false); q != "" {
							return refuse(q)
						}
					}
				}
				continue
			}
			if placesWrites[baseName(argv[0].s)] {
				continue
			}
			if q, unknown := a.computedNames(t); unknown {
				a.refuse("`%s`: %s is computed at run time from text the hook cannot know, and %s may write the file an argument names: it may be a protected file (the policy, a trust file, an agent's settings, a Terraform state, a file in .git or .claude); spell the value out, or assign it once in the line (`f=out.json; %s … \"$f\"`)", line, srcOf(t), baseName(argv[0].s), baseName(argv[0].s))
				return true
			} else if q != "" {
				a.refuse("`%s`: %s is computed at run time and names %s, and %s may write the file an argument names: a person changes it through review", line, srcOf(t), q, baseName(argv[0].s))
				return true
			}
			continue
		}
		vals, attached := argValues(t.s)
		for i, s := range vals {
			if q := a.derivedName(s, attached[i] || strings.Contains(s, "/")); q != "" {
				return refuse(q)
			}
			if q := a.protectedDirOf(s, true); q != "" {
				return refuse(q)
			}
			if q := a.protectedDirOf(s, false); q != "" {
				dirs = append(dirs, q)
			}
		}
	}
	// curl --output-dir .. -o planguard.hcl: a directory and a file name.
	for _, q := range dirs {
		for _, t := range argv[1:] {
			vals, _ := argValues(t.s)
			for _, s := range vals {
				if !t.dyn && !strings.Contains(s, "/") && strings.EqualFold(s, path.Base(q)) {
					return refuse(q)
				}
				// rclone copy r:planguard.hcl .., gsutil cp gs://b/x ..: a
				// remote file copied under its own name.
				if rp, remote := remotePath(s); !t.dyn && (remote || strings.Contains(s, "://")) {
					if remote {
						s = rp
					}
					if strings.EqualFold(s[strings.LastIndex(s, "/")+1:], path.Base(q)) {
						return refuse(q)
					}
				}
			}
		}
	}
	if q := a.treeRemoval(all); q != "" {
		return refuse(q)
	}
	return false
}

// unwrittenWords returns argv without the words of an archiver or a JSON
// query tool that name no file it writes or removes (review hook156 F6
// and the jq filter):
//   - zip's -x/--exclude list, after an operand (a word that is no
//     option's value), up to the next option, unless zip moves (-m,
//     --move) what it adds: zip writes only its archive;
//   - the filter, the first operand of jq without -f/--from-file: jq
//     writes no file.
//
// Not tar's --exclude=PATTERN: the word may be -f's archive, a path
// through a directory named --exclude= (tar -cf --exclude=/../x: review
// hook158 F1); not yq's filter: python yq reads -1 as the filter and
// edits the next word in place (yq -yi -1 FILE: review hook158 F2).
//
// Only options certain to take a value are skipped with it: one read as
// a flag leaves its value to be judged.
func unwrittenWords(argv []tok) []tok {
	if len(argv) < 2 || argv[0].dyn {
		return argv
	}
	name := baseName(argv[0].s)
	out := []tok{argv[0]}
	args := argv[1:]
	switch name {
	case "zip":
		for _, t := range args {
			if t.dyn || strings.HasPrefix(t.s, "--mo") || len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'm') {
				return argv
			}
		}
		list := false
		for i, t := range args {
			switch {
			case (t.s == "-x" || t.s == "--exclude") && i > 0 && !strings.HasPrefix(args[i-1].s, "-"):
				list = true
			case strings.HasPrefix(t.s, "-"):
				list = false
			case list:
				continue
			}
			out = append(out, t)
		}
		return out
	case "jq":
		valued := map[string]int{"--arg": 2, "--argjson": 2, "--slurpfile": 2, "--rawfile": 2, "--indent": 1, "-L": 1}
		filter := -1
		for i := 0; i < len(args); i++ {
			t := args[i]
			switch {
			case t.dyn:
				return argv // a computed option may be -f
			case t.s == "--":
				if i+1 < len(args) && filter < 0 {
					filter = i + 1
				}
				i = len(args)
			case strings.HasPrefix(t.s, "--from-file") || len(t.s) > 3 && strings.HasPrefix("--from-file", t.s) || len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'f'):
				return argv // the filter from a file: every operand a file
			case valued[t.s] > 0:
				i += valued[t.s]
			case strings.HasPrefix(t.s, "-") && t.s != "-":
			case filter < 0:
				filter = i
			}
		}
		if filter < 0 {
			return argv
		}
		out = append(out, args[:filter]...)
		return append(out, args[filter+1:]...)
	}
	return argv
}

// treeRemoval returns a protected file that an archiver removes or
// overwrites as a whole tree: tar --remove-files and zip -m take their
// operands away, tar -x and unzip extract into a directory.
func (a *analyzer) treeRemoval(argv []tok) string {
	name := baseName(argv[0].s)
	args := argv[1:]
	name = treeName(name) // zstdmt, python3.11, x86_64-linux-gnu-ar (extract.go)
	computedDir := func() string {
		a.refuse("`%s` extracts into, or clears, a directory computed at run time, which may hold the policy or the state: name a directory of its own", truncateTok(argv))
		return ""
	}
	operand := func(t tok) bool { return !t.dyn && !strings.HasPrefix(t.s, "-") }
	holdsAny := func(ts []tok) string {
		for _, t := range ts {
			if t.dyn && t.w != nil && t.kind == dynGlob {
				if q := a.globNames(globPattern(t.w), true); q != "" {
					return q
				}
				continue
			}
			if operand(t) {
				if q := a.holds(t.s); q != "" {
					return q
				}
			}
		}
		return ""
	}
	switch name {
	case "tar", "gtar", "bsdtar":
		if hasFlag(args, "", "remove-files") {
			if q := holdsAny(args); q != "" {
				return q
			}
			return a.tarRemoves(argv)
		}
		extract := hasFlag(args, "x", "extract") || hasFlag(args, "", "get")
		if len(args) > 0 && operand(args[0]) && strings.ContainsRune(args[0].s, 'x') {
			extract = true // tar xzf a.tgz
		}
		for _, t := range args {
			if len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'x') {
				extract = true
			}
		}
		if !extract || hasFlag(args, "O", "to-stdout") {
			return ""
		}
		// -P keeps absolute member names, which --transform can make of
		// any name, wherever -C points; --one-top-level=DIR is resolved
		// from the -C directory (review hook52 H3).
		for _, t := range args {
			if t.s == "--" {
				break
			}
			abs := strings.HasPrefix(t.s, "--ab") && strings.HasPrefix("--absolute-names", t.s) ||
				len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'P')
			top := strings.HasPrefix(t.s, "--one") && strings.Contains(t.s, "=")
			if abs || top || t.dyn && strings.HasPrefix(t.s, "-") {
				a.refuse("`%s`: %s places what tar extracts outside the directory the hook judges (absolute member names, which --transform makes of any name; a top-level directory resolved from -C): extract without it into a directory of its own", truncateTok(argv), srcOf(t))
				return ""
			}
		}
		return a.tarDirs(args)
	case "zip":
		move := hasFlag(args, "", "move")
		for _, t := range args {
			if len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'm') {
				move = true
			}
		}
		if move {
			for _, t := range args {
				// zip -@ (--names-stdin) reads the names from standard
				// input, which the hook does not read (review hook145 H1).
				l, _, _ := strings.Cut(t.s, "=")
				names := len(l) >= 4 && strings.HasPrefix("--names-stdin", l) ||
					len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.Contains(t.s, "@") && t.s[1] != 'i' && t.s[1] != 'x' // -i@LIST, -x@LIST: patterns
				if t.dyn && strings.HasPrefix(t.s, "-") || names {
					a.refuse("`%s`: zip -m deletes the files it adds, and %s takes their names from standard input (or is computed at run time), which the hook does not read: they may be the state or a protected file; name the files", truncateTok(argv), srcOf(t))
					return ""
				}
			}
			return holdsAny(args)
		}
	case "7z", "7za", "7zr":
		if q, sdel := a.sevenZipDeletes(argv); sdel {
			return q
		}
		if dir, ok := extractDir(name, args); ok {
			if dir.dyn {
				a.refuse("`%s` extracts into a directory computed at run time, which may hold the policy or the state: name a directory of its own", truncateTok(argv))
				return ""
			}
			return a.intoDir(dir.s)
		}
	case "python":
		// python -m tarfile -e ARCHIVE [DIR], -m zipfile -e ARCHIVE DIR,
		// behind any interpreter option, as argparse reads them; -m venv
		// --clear DIR empties DIR.
		mod, rest, ok := pythonModule(args)
		switch {
		case !ok:
		case mod.dyn:
			return computedDir()
		case mod.s == "tarfile" || mod.s == "zipfile":
			dir, extract, unknown := argparseExtract(rest)
			if unknown || dir.dyn {
				return computedDir()
			}
			if extract && mod.s == "tarfile" && !tarFiltered(rest) {
				a.refuse("`%s`: python's tarfile extracts member names with ../ or an absolute path where they point, outside the directory it is given, unless --filter data is given: add --filter data, or use tar -x", truncateTok(argv))
				return ""
			}
			if extract {
				return a.intoDir(dir.s)
			}
		case mod.s == "venv" || mod.s == "virtualenv":
			return a.clears(mod.s, rest, computedDir)
		}
	case "virtualenv", "cargo":
		return a.clears(name, args, computedDir)
	case "go":
		// go mod vendor -o DIR removes DIR whole first (review hook82 H3).
		if dir, ok := goVendorDir(args); ok {
			if dir.dyn {
				return computedDir()
			}
			return a.holds(dir.s)
		}
	case "gzip", "pigz", "zstd", "lz4", "brotli", "bzip2", "xz":
		// -r compresses every file under a directory operand, renaming
		// each (terraform.tfstate.gz): a removal of the tree, as rm -r
		// (review hook74 H3).
		recursive := false
		for _, t := range args {
			if t.s == "--recursive" || len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsAny(t.s, "rR") {
				recursive = true
			}
		}
		if recursive {
			return holdsAny(args)
		}
		// A glob that takes every name (*, ./*, ?*) compresses, and so
		// renames, every file of its directory (review hook78 H5).
		for _, t := range args {
			if t.dyn && t.w != nil && t.kind == dynGlob {
				pat := globPattern(t.w)
				if last := path.Base(pat); strings.Trim(last, "*?") == "" {
					if q := a.holds(path.Dir(pat)); q != "" {
						return q
					}
				}
			}
		}
	case "gpgtar":
		// gpgtar --decrypt --directory DIR (without one it makes a new
		// directory of its own).
		if hasFlag(args, "d", "decrypt") {
			if v, ok := optValue(args, "C", "directory"); ok {
				if v.dyn {
					return computedDir()
				}
				return a.intoDir(v.s)
			}
		}
	case "jar":
		// jar --file F --extract, jar -f F -x: the operation anywhere
		// (review hook82 H1), into . and any -C/--dir.
		if dirs, extract := jarExtract(args); extract {
			for _, d := range dirs {
				if d.dyn {
					return computedDir()
				}
				if q := a.intoDir(d.s); q != "" {
					return q
				}
			}
		}
	case "ar":
		if dir, extract := arExtract(args); extract {
			if dir.dyn {
				return computedDir()
			}
			return a.intoDir(dir.s)
		}
	case "dpkg-deb", "dpkg", "cpio", "pax":
		// Other extractors (review hook70 L2): into a directory that holds
		// a protected file, as tar -x and unzip are judged.
		if dir, ok := extractDir(name, args); ok {
			if dir.dyn {
				a.refuse("`%s` extracts into a directory computed at run time, which may hold the policy or the state: name a directory of its own", truncateTok(argv))
				return ""
			}
			return a.intoDir(dir.s)
		}
	case "unzip":
		for _, t := range args {
			if len(t.s) > 1 && t.s[0] == '-' && strings.ContainsRune(t.s[1:], ':') {
				// -: keeps ../ in member names: they land anywhere, as
				// tar -P's do (review hook66 L1).
				a.refuse("`%s`: -: keeps the ../ of member names, which places what unzip extracts outside the directory the hook judges: extract without it", truncateTok(argv))
				return ""
			}
		}
		for _, t := range args {
			if len(t.s) > 1 && t.s[0] == '-' && strings.ContainsAny(t.s[1:], "lptvcZz") {
				return "" // lists, tests or prints
			}
		}
		dir := "."
		if v, ok := optValue(args, "d", ""); ok {
			if v.dyn {
				return ""
			}
			dir = v.s
		}
		return a.intoDir(dir)
	}
	return ""
}

// extractDir is the directory an extractor other than tar and unzip
// writes into, when the line extracts: dpkg-deb/dpkg -x ARCHIVE DIR (-e:
// the control members), cpio -i (here, or -D DIR), 7z x/e (here, or
// -oDIR), pax -r. ar and jar: arExtract, jarExtract.
func extractDir(name string, args []tok) (tok, bool) {
	here := tok{s: "."}
	var ops []tok
	for _, t := range args {
		if !strings.HasPrefix(t.s, "-") || t.dyn {
			ops = append(ops, t)
		}
	}
	switch name {
	case "dpkg-deb", "dpkg":
		for _, t := range args {
			switch t.s {
			case "-x", "--extract", "-X", "--vextract", "-R", "--raw-extract":
				if len(ops) >= 2 {
					return ops[len(ops)-1], true
				}
				return here, true
			case "-e", "--control":
				// The control members, into DIR (./DEBIAN by default).
				if len(ops) >= 2 {
					return ops[len(ops)-1], true
				}
				return tok{s: "DEBIAN"}, true
			}
		}
	case "cpio":
		for _, t := range args {
			long := strings.HasPrefix(t.s, "--") && len(t.s) > 4
			if long && strings.HasPrefix("--pass-through", t.s) || len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'p') {
				// cpio -p DIR copies each name standard input gives into
				// DIR, ../ and absolute names too: anywhere (review hook98
				// M1, M2).
				return tok{s: "/"}, true
			}
			if long && strings.HasPrefix("--extract", t.s) || len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'i') && !strings.ContainsRune(t.s, 't') {
				if !hasFlag(args, "", "no-absolute-filenames") {
					// GNU cpio writes absolute and ../ member names where
					// they point: anywhere (review hook84 M2).
					return tok{s: "/"}, true
				}
				if v, ok := optValue(args, "D", "directory"); ok {
					return v, true
				}
				return here, true
			}
		}
	case "7z", "7za", "7zr":
		if len(ops) > 0 && (ops[0].s == "x" || ops[0].s == "e") {
			for _, t := range args {
				if strings.HasPrefix(t.s, "-o") {
					return tok{s: t.s[2:], dyn: t.dyn}, true
				}
			}
			return here, true
		}
	case "pax":
		for _, t := range args {
			if len(t.s) > 1 && t.s[0] == '-' && strings.ContainsRune(t.s, 'r') {
				return tok{s: "/"}, true // pax -r keeps absolute and ../ names: anywhere
			}
		}
	}
	return tok{}, false
}

// derivedWrites refuses what a known writer writes under a name derived
// from its operands: cp/mv/ln/install's backups (-b, --backup, -S SUFFIX:
// DEST+SUFFIX), csplit's and split's PREFIX+NN, and the sources rsync
// --remove-source-files takes away.
func (a *analyzer) derivedWrites(p *program, name string, argv []tok) {
	if len(a.opts.Protected) == 0 {
		return
	}
	args := argv[1:]
	line := truncateTok(argv)
	refuse := func(q string) {
		a.refuse("`%s` writes %s under a name derived from an argument (a backup suffix, an output prefix), which holds the gate's trust", line, q)
	}
	switch name {
	case "cp", "mv", "ln", "install":
		opts, ops := p.operands(args)
		if !hasOpt(opts, "b", "backup", "S", "suffix") {
			return
		}
		var dsts []string
		dir := ""
		suffix := tok{s: "~"}
		for _, o := range opts {
			switch o.name {
			case "t", "target-directory":
				dir = o.val.s
			case "S", "suffix":
				suffix = o.val
			}
		}
		srcs := ops
		if dir == "" && len(ops) > 0 {
			dsts = append(dsts, ops[len(ops)-1].s)
			dir, srcs = ops[len(ops)-1].s, ops[:len(ops)-1]
		}
		for _, s := range srcs {
			dsts = append(dsts, path.Join(dir, path.Base(s.s)))
		}
		for _, d := range dsts {
			if q := a.derivedName(d, true); q != "" {
				refuse(q)
				return
			}
			// The backup DEST+SUFFIX may be a state file's name (review
			// hook64 H3: cp -b -S te s.json terraform.tfsta).
			if suffix.dyn || StateFile(d+suffix.s) {
				a.refuse("`%s` renames the file it replaces to %s (the destination plus the backup suffix), which may be a Terraform state file's name%s", line, d+suffix.s, stateFileWhy)
				return
			}
		}
	case "csplit", "gcsplit":
		opts, _ := p.operands(args)
		prefix, format := tok{s: "xx"}, tok{s: "%02d"}
		digits := 2
		for _, o := range opts {
			switch o.name {
			case "f", "prefix":
				prefix = o.val
			case "b", "suffix-format":
				format = o.val
			case "n", "digits":
				if n, err := strconv.Atoi(o.val.s); err == nil && n >= 0 && n < 10 {
					digits = n
				}
			}
		}
		if prefix.dyn || format.dyn {
			a.refuse("`%s` writes files under a prefix or suffix format computed at run time", line)
			return
		}
		if q := a.derivedName(prefix.s, true); q != "" {
			refuse(q)
			return
		}
		if !hasOpt(opts, "b", "suffix-format") {
			format.s = "%0" + strconv.Itoa(digits) + "d"
		}
		if name, ok := csplitNames(prefix.s, format.s); !ok {
			a.refuse("`%s` names its pieces with the suffix format %q, which the hook does not read: use %%d, %%02d, %%x or %%o with plain text", line, format.s)
		} else if name != "" {
			a.refuse("`%s` writes the piece %s (its prefix and suffix format), which is a Terraform state file's name%s", line, name, stateFileWhy)
		}
	case "split", "gsplit":
		opts, ops := p.operands(args)
		suffix := tok{}
		for _, o := range opts {
			if o.name == "additional-suffix" {
				suffix = o.val
			}
		}
		if len(ops) < 2 {
			return
		}
		if ops[1].dyn || suffix.dyn {
			a.refuse("`%s` writes files under a prefix or suffix computed at run time", line)
			return
		}
		if q := a.derivedName(ops[1].s, true); q != "" {
			refuse(q)
			return
		}
		// PREFIX + generated letters or digits + --additional-suffix may
		// spell a state file's name (review hook64 H3: split -a1
		// --additional-suffix=te … terraform.tfst writes terraform.tfstate).
		if name := splitStateName(ops[1].s, suffix.s); name != "" {
			a.refuse("`%s` may write the piece %s (its prefix, generated letters and suffix), which is a Terraform state file's name%s", line, name, stateFileWhy)
		}
	case "rsync":
		if a.rsyncWrites(p, argv) { // rsyncopts.go
			return
		}
		if !hasFlag(args, "", "remove-source-files") && !hasFlag(args, "", "remove-sent-files") { // its old name (review hook78 H5)
			return
		}
		_, ops := p.operands(args)
		for _, s := range ops[:max(len(ops)-1, 0)] {
			if q := a.holds(s.s); q != "" && !s.dyn {
				refuse(q)
				return
			}
		}
	}
}

// fdTarget reports whether a path written reaches a file through a
// descriptor or another process's view of the file system: /dev/stdin,
// /dev/fd/N (except 1 and 2), anything under /proc. Linux reopens the file
// the descriptor holds, for writing, even one the line opened to read.
func (a *analyzer) fdTarget(argv []tok, t tok) bool {
	if t.dyn || t.s == "" {
		return false
	}
	p := a.resolve(t.s)
	bad := p == "/dev/stdin" || p == "/proc" || strings.HasPrefix(p, "/proc/") || p == "/dev/fd"
	if n, ok := strings.CutPrefix(p, "/dev/fd/"); ok && n != "1" && n != "2" {
		bad = true
	}
	if !bad {
		return false
	}
	a.refuse("`%s` writes %s, a descriptor or /proc path that may reopen a file the line opened (the policy, its allowed_signers, the agent's settings) for writing: write to a named file instead", truncateTok(argv), t.s)
	return true
}

// redirectOpens refuses a redirection that opens a protected file, even to
// read it (exec 3<../planguard.hcl, 3<.claude/settings.json): through
// /dev/fd/3 or /proc/self/fd/3 a program reopens it for writing. It also
// refuses feeding a Terraform-family binary as input (cat < terraform > tf).
func (a *analyzer) redirectOpens(r *syntax.Redirect) {
	switch r.Op {
	case syntax.RdrIn, syntax.RdrInOut:
	default:
		return
	}
	t := a.word(r.Word)
	q := ""
	switch {
	case !t.dyn:
		q = a.protected(t.s)
	default:
		if a.dynKind(r.Word) == dynGlob {
			q = a.globNames(globPattern(r.Word), false)
		}
	}
	if q != "" {
		a.refuse("`%s` opens %s, which holds the gate's trust, on a descriptor a program can reopen for writing (/dev/fd/N): read it as an argument instead (cat FILE)", redirText(r), q)
		return
	}
	if !t.dyn && toolName(baseName(t.s)) != "" {
		a.refuse("`%s` reads a Terraform-family program's binary as input, which could copy it to a name the hook does not know", redirText(r))
	}
}

// inspectOnly are the programs that may name a Terraform-family binary
// without copying it: they print facts about the file, not its bytes.
var inspectOnly = map[string]bool{"ls": true, "stat": true, "file": true, "which": true, "whereis": true, "type": true,
	"wc": true, "du": true, "sha256sum": true, "sha1sum": true, "sha512sum": true, "md5sum": true, "shasum": true,
	"cksum": true, "b2sum": true, "readlink": true, "realpath": true, "test": true, "[": true, "command": true,
	"ldd": true, "echo": true, "printf": true, "cmp": true, "diff": true, "hash": true}

// readsTool refuses a program that reads or copies a Terraform-family
// binary named by its path (head -c N /usr/local/bin/terraform > tf):
// under another name it would run unrecognised. Wrappers name the binary
// to run it; that call is judged as the program itself.
func (a *analyzer) readsTool(p *program, name string, argv []tok) {
	if inspectOnly[name] || p.copies || p == programs["bash"] || !(p.reader || p.writes || p.interp) {
		return // copiesTool judges the copiers; wrappers and shells run it
	}
	for _, t := range argv[1:] {
		if t.dyn && t.w != nil && t.kind == dynOutput && a.looksUpTool(t.w) {
			a.refuse("`%s` reads %s, which may print a Terraform-family program's path, and could copy the binary to a name the hook does not know", truncateTok(argv), t.src)
			return
		}
		if s := toolPath(t); s != "" {
			a.refuse("`%s` reads %s, a Terraform-family program's binary, and could copy it to a name the hook does not know", truncateTok(argv), s)
			return
		}
	}
}

// toolPath returns the path of a Terraform-family binary a static argument
// names outright (/usr/local/bin/terraform, ~/bin/tofu, --x=/opt/terraform),
// or "": an absolute or home path without a trailing slash (a relative
// terraform/ is usually a directory of configuration).
func toolPath(t tok) string {
	if t.dyn {
		return ""
	}
	vals, _ := argValues(t.s)
	for _, s := range vals {
		if (strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~")) && !strings.HasSuffix(s, "/") && toolName(baseName(s)) != "" {
			return s
		}
	}
	return ""
}

// gitRiskyLong are the long options gitWorktree's rules refuse on; an
// abbreviation of one counts as it (the options that make a command
// harmless, --dry-run and --cached, count only spelled out).
var gitRiskyLong = []string{"all", "include-untracked", "force", "hard", "merge", "keep", "discard-changes",
	"index-info", "stdin", "cacheinfo", "add", "reset", "delete", "expire"}

// gitValueOptions are the options of gitWorktree's subcommands that take
// the next word (or the rest of a short cluster) as their value, which is
// then neither a path nor a flag (git clean -e -n: -n is the pattern).
var gitValueOptions = map[string]struct {
	short string
	long  map[string]bool
}{
	"clean":    {"e", map[string]bool{"exclude": true}},
	"stash":    {"m", map[string]bool{"message": true, "pathspec-from-file": true}},
	"add":      {"", map[string]bool{"chmod": true, "pathspec-from-file": true}},
	"checkout": {"bB", map[string]bool{"orphan": true, "conflict": true, "pathspec-from-file": true}},
	"switch":   {"cC", map[string]bool{"create": true, "force-create": true, "orphan": true, "conflict": true}},
	"restore":  {"s", map[string]bool{"source": true, "pathspec-from-file": true}},
	"rm":       {"", map[string]bool{"pathspec-from-file": true}},
	"reset":    {"", map[string]bool{"pathspec-from-file": true}},
	"commit":   {"mFCcut", map[string]bool{"message": true, "file": true, "reuse-message": true, "reedit-message": true, "author": true, "date": true, "template": true, "fixup": true, "squash": true, "trailer": true, "cleanup": true}},
	"worktree": {"b", map[string]bool{"reason": true}},
}

// newBranchAtHead reports whether a git checkout -b/-B or switch -c/-C
// (short: the letters, long: the long names, any prefix git takes) makes
// a branch whose start point is HEAD, spelled so: the working tree stays
// as it is, as with no start point (review hook156 F7).
func newBranchAtHead(short string, long []string, rest, paths []tok) bool {
	if len(paths) != 1 || paths[0].dyn || paths[0].s != "HEAD" {
		return false
	}
	for _, t := range rest {
		switch {
		case t.dyn || t.s == "--":
			return false
		case strings.HasPrefix(t.s, "--"):
			n, _, _ := strings.Cut(t.s[2:], "=")
			for _, l := range long {
				if len(n) >= 2 && strings.HasPrefix(l, n) {
					return true
				}
			}
		case len(t.s) > 1 && t.s[0] == '-' && strings.ContainsAny(t.s[1:], short):
			return true
		}
	}
	return false
}

// gitWorktree refuses git subcommands that remove or replace files in the
// working tree over paths that hold a protected file: clean (default: the
// working directory), rm (not --cached), mv, checkout and restore of
// paths, stash -u/-a, reset --hard/--merge/--keep, checkout -f, switch
// -f/--discard-changes. A pathspec with a glob or magic (`*.json`, `:/`)
// or computed at run time may match anything, and so does a path after
// git -C, --git-dir or --work-tree.
func (a *analyzer) gitWorktree(line string, global, args []tok) {
	if len(args) == 0 || args[0].dyn || len(a.opts.Protected) == 0 {
		return
	}
	sub := strings.ToLower(args[0].s)
	if sub == "stage" {
		sub = "add" // git's other name for add (review hook100 H2)
	}
	rest := args[1:]
	was := a.cwdUnknown
	defer func() { a.cwdUnknown = was }()
	for _, t := range global {
		if t.s == "-C" || strings.HasPrefix(t.s, "--git-dir") || strings.HasPrefix(t.s, "--work-tree") {
			a.cwdUnknown = true
		}
	}
	var paths []tok
	dashdash := false
	beforeDash := 0 // the paths before a --: a subcommand (stash list) may be the first
	flags := map[string]bool{}
	vals := gitValueOptions[sub]
	skip := false
	for _, t := range rest {
		if skip {
			skip = false // an option's value (git clean -e PATTERN: review hook90 H2)
			continue
		}
		switch {
		case dashdash:
			paths = append(paths, t)
		case t.s == "--" && !t.dyn:
			dashdash = true
		case strings.HasPrefix(t.s, "--") && !t.dyn:
			n, _, hasVal := strings.Cut(t.s[2:], "=")
			if !hasVal && n != "" && optionPrefixOf(n, vals.long) {
				skip = true
			}
			if m, ok := strings.CutPrefix(n, "no-"); ok {
				// --no-dry-run, --no-cached undo an earlier -n, --cached
				// (review hook96 H2).
				for _, safe := range []string{"dry-run", "cached", "staged"} {
					if strings.HasPrefix(safe, m) {
						delete(flags, safe)
					}
				}
				if strings.HasPrefix("dry-run", m) {
					delete(flags, "n")
				}
				if strings.HasPrefix("staged", m) {
					delete(flags, "S")
				}
			}
			flags[n] = true
			// git's parse-options takes any unambiguous prefix of a long
			// option (git stash --al, git reset --ha: review hook90 H1):
			// a prefix counts as each option below it may abbreviate.
			for _, o := range gitRiskyLong {
				if n != "" && strings.HasPrefix(o, n) {
					flags[o] = true
				}
			}
		case strings.HasPrefix(t.s, "-") && len(t.s) > 1 && !t.dyn:
			for j, c := range t.s[1:] {
				if strings.ContainsRune(vals.short, c) {
					// -fdxe-n: the rest of the cluster is the value.
					skip = j+2 == len(t.s)
					break
				}
				flags[string(c)] = true
			}
		default:
			paths = append(paths, t)
			beforeDash++
		}
	}
	fromFile := false
	for f := range flags {
		fromFile = fromFile || len(f) > 1 && strings.HasPrefix("pathspec-from-file", f)
	}
	if fromFile {
		switch sub {
		case "rm", "restore", "checkout", "stash", "add", "reset", "clean", "mv":
			// The paths come from a file or standard input the hook does
			// not read (review hook92 M1).
			a.refuse("`%s` takes its paths from a file or standard input, which the hook does not read (they may name the state or a directory holding it): name the paths on the command line", line)
			return
		}
	}
	refuse := func(q string) {
		a.refuse("`%s` removes or replaces files in the working tree that include %s, which holds the gate's trust: name the paths you mean (outside the agent's settings and the policy)", line, q)
	}
	check := func(ps []tok) bool {
		for _, t := range ps {
			// git's pathspecs are globs, \ escapes included ('terraform.tfstat\e':
			// review hook92 H1).
			if wildPathspec(t) {
				refuse("the protected files (a pathspec computed at run time, a glob or pathspec magic may match them)")
				return true
			}
			if q := a.holds(t.s); q != "" {
				refuse(q)
				return true
			}
		}
		return false
	}
	whole := func(what string) {
		a.refuse("`%s` %s across the whole working tree, which holds the agent's settings and may hold the policy: name the paths you mean", line, what)
	}
	switch sub {
	case "checkout-index":
		a.gitCheckoutIndex(line, rest) // gitwrites.go
	case "apply":
		a.gitApplyUnsafe(line, rest)
		for f := range flags {
			if len(f) > 2 && (strings.HasPrefix("cached", f) || strings.HasPrefix("index", f)) {
				a.gitIndexMove(line) // the patch goes into the index (review hook155 H1)
				break
			}
		}
		if a.gitFed != nil && (len(paths) == 0 || len(paths) == 1 && paths[0].s == "-") {
			// A patch piped in, which the hook does not read: git's own
			// diff of what the index or a commit holds (git add -A && git
			// diff --cached | git apply -R removes what the line staged,
			// the state among it: review hook106 H8) is judged as a move
			// of the tree; any other program's output is refused.
			if gitDiffOf(a.gitFed) {
				a.gitMovesTree(line, false)
			} else {
				a.refuse("`%s` applies a patch piped in from a command the hook does not read the output of (it may name the state or a protected file): write the patch to a file and apply that by name", line)
			}
		}
	case "clean":
		if flags["n"] || flags["dry-run"] {
			return
		}
		if len(paths) == 0 {
			paths = []tok{{s: "."}} // from the working directory down
		}
		check(paths)
	case "rm":
		if !flags["cached"] {
			check(paths)
		}
	case "restore":
		worktree := flags["W"]
		for f := range flags {
			worktree = worktree || strings.HasPrefix("worktree", f) // --w (review hook96 H4)
		}
		if (flags["S"] || flags["staged"]) && !worktree {
			// The index only (git restore --staged .: review hook94 false
			// refusal); from another commit it is a move of the index for
			// a stash after it (review hook155 H1).
			for f := range flags {
				if f == "s" || len(f) > 1 && strings.HasPrefix("source", f) {
					a.gitIndexMove(line)
				}
			}
			return
		}
		check(paths)
	case "mv":
		check(paths)
	case "remote":
		// git remote add --mirror=fetch E: git fetch --prune E then deletes
		// every local ref E lacks, refs/stash too (review hook94 H1).
		for f := range flags {
			if len(f) > 1 && strings.HasPrefix("mirror", f) {
				a.refuse("`%s` makes a mirror remote, whose fetch --prune deletes the local refs it lacks (the stash, which may hold a state file): add the remote without --mirror", line)
				return
			}
		}
	case "fetch", "pull", "push":
		if sub == "pull" {
			a.gitMovesTree(line, true) // a merge or rebase of what it fetched
		}
		// A refspec writing the stash's ref, or a pattern that may match
		// it, with --prune deletes it (git fetch -p . 'refs/none/*:refs/st*':
		// review hook94 H1); git push . :refs/stash alike. A push writes
		// the remote's refs: only a push to the repository itself (.)
		// reaches the local stash (review hook96 false refusal).
		prune := flags["p"] && sub != "push" || flags["mirror"] || flags["d"] && sub == "push"
		for f := range flags {
			prune = prune || len(f) > 2 && (strings.HasPrefix("prune", f) || strings.HasPrefix("prune-tags", f) || strings.HasPrefix("delete", f))
			if sub != "push" && len(f) > 1 && strings.HasPrefix("stdin", f) {
				// Refspecs from standard input (review hook96 H1).
				a.refuse("`%s` reads refspecs from standard input, which the hook does not read (one may write or prune refs/stash): name them on the command line", line)
				return
			}
		}
		self := len(paths) > 0 && (paths[0].dyn || paths[0].s == "." || paths[0].s == "./")
		if sub == "push" && !self {
			break
		}
		for _, t := range paths {
			l := strings.ToLower(t.s)
			_, dst, mapped := strings.Cut(l, ":")
			stash := strings.Contains(dst, "stash") || sub == "push" && strings.Contains(l, "stash")
			if t.dyn || stash || mapped && strings.ContainsAny(dst, "*?[") || prune && mapped && !strings.HasPrefix(strings.TrimPrefix(dst, "+"), "refs/remotes/") {
				a.refuse("`%s` may write or delete the stash's ref (refs/stash), which may hold files the line staged (a state file): fetch into refs/remotes/, and leave the stash to a person", line)
				return
			}
		}
	case "checkout":
		if flags["f"] || flags["force"] {
			whole("overwrites local changes")
			return
		}
		if check(paths) {
			return
		}
		if !dashdash {
			a.gitMovesTree(line, len(paths) > 0 && !newBranchAtHead("bB", nil, rest, paths)) // a branch or commit checked out
		} else if beforeDash == len(paths) && beforeDash > 0 {
			// git checkout wip --: no pathspec after the --, a branch
			// checked out all the same (review hook122 H1).
			a.gitMovesTree(line, true)
		}
	case "switch":
		if flags["f"] || flags["force"] || flags["discard-changes"] {
			whole("discards local changes")
			return
		}
		a.gitMovesTree(line, len(paths) > 0 && !newBranchAtHead("cC", []string{"create", "force-create"}, rest, paths))
		for f := range flags {
			if len(f) > 1 && strings.HasPrefix("orphan", f) {
				// git switch --orphan removes every tracked file from the
				// working tree: the policy, the agents' settings (review
				// hook98 M3).
				whole("removes every tracked file (--orphan)")
				return
			}
		}
	case "stash":
		if len(paths) > 0 && (paths[0].dyn || paths[0].s == "drop" || paths[0].s == "clear") {
			// git stash takes a staged state file out of the working tree;
			// drop and clear lose it (review hook72 H2).
			a.refuse("`%s` drops stashed changes for good, which may hold files the line staged (a state file): leave the stash, and a person drops it", line)
			return
		}
		// The subcommand is a word before any --: git stash -- . is a
		// push of the pathspec . (review hook100 H1).
		if beforeDash > 0 && paths[0].s == "save" {
			paths = nil // git stash save [-a] MESSAGE: no paths (review hook94 H2)
		} else if beforeDash > 0 && paths[0].s == "push" {
			paths = paths[1:]
		} else if beforeDash > 0 {
			switch paths[0].s {
			case "apply", "pop", "branch":
				// A stash is a commit: one fetched or built with a file
				// at the state's path writes over a git-ignored state
				// (review hook122 H2).
				a.gitMovesTree(line, true)
			}
			return // stash list, show…
		}
		if flags["u"] || flags["include-untracked"] || flags["a"] || flags["all"] {
			if len(paths) == 0 {
				whole("removes untracked files")
				return
			}
			check(paths)
			return
		}
		a.gitStash(line, paths)
	case "reset":
		if flags["hard"] || flags["merge"] || flags["keep"] {
			whole("replaces files")
			return
		}
		if beforeDash > 0 {
			a.gitIndexMove(line) // a commit (git reset -q other)
		}
	case "add":
		// A state file is git-ignored; forced into the index, git stash
		// takes it out of the working tree (review hook72 H2).
		for f := range flags {
			if len(f) > 1 && strings.HasPrefix("force", f) {
				flags["f"] = true // --fo, --forc
			}
		}
		if flags["f"] || flags["force"] {
			if len(paths) == 0 {
				whole("force-adds ignored files (the state)")
				return
			}
			check(paths)
			return
		}
		a.gitAdd(line, flags, paths)
	case "update-index":
		if flags["index-info"] || flags["stdin"] || flags["cacheinfo"] || flags["add"] {
			a.refuse("`%s` stages paths the hook cannot read (from standard input, or by object), which may be the state: use git add with the paths", line)
		}
	case "merge", "rebase", "cherry-pick", "revert", "am":
		// --abort and --skip reset the work tree (reset --merge or
		// --hard): a staged state file is removed (review hook96 H3).
		for f := range flags {
			if len(f) > 1 && (strings.HasPrefix("abort", f) || strings.HasPrefix("skip", f)) {
				whole("resets files (" + f + ")")
				return
			}
		}
		// A commit that removes the state, made from what the line
		// staged (git add -A && git commit && git revert HEAD: review
		// hook100 H4), or a state the index tracks already.
		a.gitMovesTree(line, true)
	case "bisect", "filter-branch", "filter-repo":
		// bisect checks out the commits it tries; filter-branch rewrites
		// the branch and checks the result out (review hook103 H3, H4).
		if sub == "bisect" && beforeDash > 0 {
			switch paths[0].s {
			case "log", "visualize", "view", "terms", "help":
				return
			}
		}
		a.gitMovesTree(line, true)
	case "merge-index":
		// git merge-index PROGRAM runs PROGRAM once per unmerged file,
		// with blob names as its arguments: a shell then runs a file
		// named by a hash (review hook92 H3).
		a.refuse("`%s` runs a program once per unmerged file with arguments the hook cannot read: resolve conflicts with git merge or git checkout --ours/--theirs", line)
	case "mktree", "commit-tree", "fast-import":
		// Trees and commits built from text the hook does not read as
		// paths: a branch switched to then overwrites and removes a
		// git-ignored state file (review hook74 H2).
		a.refuse("`%s` builds trees or commits from names and hashes the hook does not read (a tree may hold terraform.tfstate, which a checkout then overwrites and removes): commit with git add and git commit", line)
	case "hash-object":
		// -t tree, -t commit: the same objects from raw bytes (review
		// hook121 H1); only blobs pass.
		for i, t := range rest {
			v, isT := strings.CutPrefix(t.s, "-t")
			if !isT && t.s == "--type" || strings.HasPrefix(t.s, "--type=") {
				v, isT = strings.TrimPrefix(t.s, "--type="), true
				if t.s == "--type" {
					v = ""
				}
			}
			if t.dyn || t.s == "--literally" {
				a.refuse("`%s`: a computed argument or --literally may write a tree or commit object: hash blobs only", line)
				return
			}
			if !isT {
				continue
			}
			if v == "" && i+1 < len(rest) {
				v = rest[i+1].s
			}
			if v != "blob" {
				a.refuse("`%s` writes a %s object from bytes the hook does not read (a tree may hold terraform.tfstate, which a checkout then overwrites and removes): commit with git add and git commit", line, v)
				return
			}
		}
	case "read-tree":
		if flags["u"] || flags["m"] || flags["reset"] {
			whole("replaces files with a tree's")
			return
		}
		a.gitIndexMove(line)
	case "sparse-checkout":
		// Leaving the cone removes whole directories, ignored files in
		// them included (review hook72 H3).
		if len(paths) == 0 || paths[0].dyn || paths[0].s != "list" {
			whole("removes the directories it leaves, with their ignored files (the state)")
		}
	case "symbolic-ref", "replace":
		// HEAD pointed at another branch, an object replaced by another:
		// a stash after it resets the tree to that commit (review hook155
		// H2). symbolic-ref NAME alone and replace -l only print.
		if sub == "symbolic-ref" && len(paths) < 2 && !flags["d"] && !flags["delete"] || sub == "replace" && (flags["l"] || flags["list"]) {
			return
		}
		a.gitIndexMove(line)
	case "branch":
		for f := range flags {
			if f == "f" || f == "C" || f == "M" || len(f) > 1 && strings.HasPrefix("force", f) {
				a.gitIndexMove(line) // git branch -f NAME REV moves a branch HEAD may be on
				break
			}
		}
	case "update-ref", "reflog":
		if sub == "update-ref" {
			a.gitIndexMove(line) // git update-ref HEAD HEAD~1 (review hook155 H2)
		}
		// Deleting the stash's ref or its reflog entries drops the stash
		// as git stash drop does (review hook90 H2); update-ref --stdin
		// reads refs the hook does not see.
		stash := false
		for _, t := range paths {
			stash = stash || t.dyn || strings.Contains(strings.ToLower(t.s), "stash")
		}
		if sub == "reflog" && len(paths) > 0 && (paths[0].dyn || paths[0].s == "delete" || paths[0].s == "expire") ||
			sub == "update-ref" && (flags["d"] || flags["delete"] || flags["stdin"] || stash) {
			a.refuse("`%s` deletes or moves refs or their logs, which may drop stashed changes holding files the line staged (a state file): leave the stash and its log, and a person drops it", line)
		}
	case "submodule":
		// deinit empties each submodule's directory, ignored files (a
		// state) included (review hook90 H4).
		var sp []tok
		for _, t := range paths {
			if t.dyn || !strings.HasPrefix(t.s, "-") {
				sp = append(sp, t)
			}
		}
		if len(sp) > 0 && (sp[0].dyn || sp[0].s == "deinit") {
			if flags["all"] || len(sp) == 1 {
				whole("empties the submodules' directories")
				return
			}
			check(sp[1:])
		}
	case "worktree":
		// worktree move takes the directory away as mv does; a later
		// remove of the new name is not seen (review hook90 H3).
		if len(paths) > 0 && paths[0].s == "move" {
			if len(paths) < 2 {
				refuse("the protected files (a worktree computed at run time)")
				return
			}
			if !check(paths[1:2]) {
				a.worktreeBySuffix(line, global, paths[1:2], refuse)
			}
			return
		}
		// worktree remove deletes the worktree's directory, ignored files
		// included, as rm -rf does (review hook72 M1).
		if len(paths) > 0 && (paths[0].dyn || paths[0].s == "remove") {
			if len(paths) == 1 {
				refuse("the protected files (a worktree computed at run time)")
				return
			}
			if !check(paths[1:]) {
				a.worktreeBySuffix(line, global, paths[1:], refuse)
			}
		}
	}
}

// worktreeBySuffix judges the worktrees git worktree remove and move may
// take: git finds the one it is given first by the end of its path (a
// whole trailing part of a linked worktree's path: `git worktree remove
// repo-wt` removes ../repo-wt, state included: review hook145 H3), and
// only then as a path (check). Each linked worktree of the repository
// (Options.Worktrees) whose path ends in an argument is judged as a
// removed directory (from each directory the line may be in, and a literal
// git -C); a repository the hook cannot place (a computed -C, --git-dir or
// --work-tree, a cd it cannot follow) or whose worktrees it cannot read is
// refused for a relative argument.
func (a *analyzer) worktreeBySuffix(line string, global, args []tok, refuse func(string)) {
	if a.opts.Worktrees == nil {
		return
	}
	var rel []string
	for _, t := range args {
		if !t.dyn && t.s != "" && !path.IsAbs(t.s) {
			rel = append(rel, t.s)
		}
	}
	if len(rel) == 0 {
		return // an absolute argument ends only the path it names
	}
	dirs := a.cdDirs(a.outer.dir)
	unknown := a.cdComputed || a.outer.chdir != "" && a.outer.dir == ""
	for i := 0; i < len(global); i++ {
		t := global[i]
		switch {
		case t.s == "-C" && !t.dyn && i+1 < len(global) && !global[i+1].dyn:
			c := global[i+1].s
			i++
			var next []string
			for _, d := range dirs {
				if path.IsAbs(c) {
					next = append(next, path.Clean(c))
				} else {
					next = append(next, path.Join(d, c))
				}
			}
			dirs = next
		case t.dyn || strings.HasPrefix(t.s, "-C") || strings.HasPrefix(t.s, "--git-dir") || strings.HasPrefix(t.s, "--work-tree"):
			unknown = true
		}
	}
	if unknown {
		refuse("the protected files (git finds the worktree it is given by the end of its path, in a repository the hook cannot place here: name the worktree by its absolute path)")
		return
	}
	for _, d := range dirs {
		wts, ok := a.opts.Worktrees(d)
		if !ok {
			refuse("the protected files (git finds the worktree it is given by the end of its path, and the worktrees of the repository " + d + " cannot be read: name the worktree by its absolute path)")
			return
		}
		for _, w := range wts {
			for _, s := range rel {
				if !worktreeSuffix(w, s) {
					continue
				}
				if q := a.holds(w); q != "" {
					refuse(q + " (the worktree " + w + ", which git finds by the end of its path, " + s + ")")
					return
				}
			}
		}
	}
}

// worktreeSuffix reports whether git's find_worktree_by_suffix takes the
// worktree at path p for the argument s: s is the end of p, starting at a
// directory boundary (compared without regard to case, as git does on a
// file system that ignores it).
func worktreeSuffix(p, s string) bool {
	if len(s) > len(p) || !strings.EqualFold(p[len(p)-len(s):], s) {
		return false
	}
	start := len(p) - len(s)
	return start == 0 || p[start-1] == '/'
}

// findWrites refuses find's own output files (-fprint, -fprint0, -fprintf,
// -fls) when they may be protected ones.
func (a *analyzer) findWrites(argv []tok) {
	for i, t := range argv[1:] {
		switch t.s {
		case "-fprint", "-fprint0", "-fprintf", "-fls":
			if i+2 < len(argv) && a.writeDest(argv, argv[i+2], false) {
				return
			}
		}
	}
}

// awkWrites refuses an awk program that prints into a file whose name it
// computes (print > f, with f from -v or built in the program): only a
// literal "FILE" can be judged, as awk decodes its escapes ("\057" is /:
// review hook154 H2). In a print statement a > outside parentheses
// redirects; a comparison needs them.
func (a *analyzer) awkWrites(argv []tok, prog string) bool {
	for i := 0; i < len(prog); i++ {
		if !strings.HasPrefix(prog[i:], "print") || i > 0 && isWordByte(prog[i-1]) {
			continue
		}
		j := i + len("print")
		if j < len(prog) && prog[j] == 'f' {
			j++
		}
		if j < len(prog) && isWordByte(prog[j]) {
			continue
		}
		for _, target := range awkRedirect(prog[j:]) {
			if a.awkTarget(argv, target) {
				return true
			}
		}
	}
	return false
}

// awkTarget judges the target of an awk output redirection: a literal
// "FILE" by the names awk decodes it to; anything else is computed.
func (a *analyzer) awkTarget(argv []tok, target string) bool {
	lit := awkLiteralTarget.FindStringSubmatch(target)
	var names []string
	ok := lit != nil
	if ok {
		names, ok = awkUnescape(lit[1])
	}
	if !ok {
		a.refuse("`%s`: the awk program prints into a file whose name it computes (%s), which may be the policy, its allowed_signers or the agent's settings: print to a literal \"FILE\", or to stdout", truncateTok(argv), target)
		return true
	}
	for _, n := range names {
		if q := a.protected(n); q != "" {
			a.refuse("`%s`: the awk program writes %s, which holds the gate's trust", truncateTok(argv), q)
			return true
		}
	}
	return false
}

// awkUnescape decodes the text of an awk string literal as gawk and mawk
// do (\\, \", \/, \a \b \f \n \r \t \v, up to three octal digits,
// \x and up to two hex digits); an escape the two read apart (gawk drops
// the backslash of \/ and \q, mawk keeps it) gives both names. ok is
// false for a text the hook does not decode: a NUL, a backslash-newline,
// \u (gawk 5.3), a backslash at the end.
func awkUnescape(s string) (names []string, ok bool) {
	var g, m strings.Builder // gawk's reading, mawk's
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			g.WriteByte(c)
			m.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return nil, false
		}
		c = s[i]
		var v int
		switch c {
		case '\\', '"':
			v = int(c)
		case 'a':
			v = 7
		case 'b':
			v = 8
		case 'f':
			v = 12
		case 'n':
			v = 10
		case 'r':
			v = 13
		case 't':
			v = 9
		case 'v':
			v = 11
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v = 0
			k := 0
			for ; k < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; k++ {
				v = v*8 + int(s[i]-'0')
				i++
			}
			i--
		case 'x':
			v = 0
			k := 0
			for ; k < 2 && i+1 < len(s) && isHexByte(s[i+1]); k++ {
				i++
				v = v*16 + hexVal(s[i])
			}
			if k == 0 {
				return nil, false
			}
		case '\n', '\r', 'u':
			// gawk 5.3 reads \uXXXX as a character: not decoded here.
			return nil, false
		default:
			g.WriteByte(c)
			m.WriteByte('\\')
			m.WriteByte(c)
			continue
		}
		if v <= 0 || v > 255 {
			return nil, false
		}
		g.WriteByte(byte(v))
		m.WriteByte(byte(v))
	}
	names = append(names, g.String())
	if m.String() != g.String() {
		names = append(names, m.String())
	}
	return names, true
}

func isHexByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// awkRedirect reads a print statement's arguments up to its end (;, }, a
// newline) and returns the targets of a > or >> outside parentheses,
// strings and comments. awk continues the statement after a newline that
// follows a comma, {, &&, ||, ? or : (gawk), after a comment ending such
// a line, and at a backslash-newline (review hook154 H2).
//
// A regex literal (/…/ where an operand starts: not after a name, a
// number, a closing bracket, a string, or a postfix ++ or -- (review
// hook154 H5), where / divides) is read whole, a bracket expression and a
// " in it included (review hook99 H2: print /"/ > f). Where awks may read
// a / apart (after ++, --, in or getline; a / inside a bracket), the
// statement is read both ways, so a > that either reading sees counts. A
// string or regex the program leaves open, or a statement read too many
// ways, counts as a redirection the hook cannot read (the target is then
// not a literal, and refused).
func awkRedirect(s string) []string {
	var out []string
	budget := 256
	seen := map[[3]int]bool{}
	unsure := func(why string) {
		out = append(out, "("+why+": "+strings.TrimSpace(s)+")")
	}
	// scan reads from i; regexAt is a / read as a regex whatever comes
	// before it; spec marks a second reading, which ends quietly where it
	// makes no sense.
	var scan func(i, depth int, prev, prev2 byte, regexAt int, spec bool)
	fork := func(i, depth int, prev byte, regexAt int) {
		k := [3]int{i, depth, regexAt}
		if seen[k] {
			return
		}
		seen[k] = true
		if budget--; budget < 0 {
			unsure("a statement the hook cannot read")
			return
		}
		scan(i, depth, prev, 0, regexAt, true)
	}
	scan = func(i, depth int, prev, prev2 byte, regexAt int, spec bool) {
		for ; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
				i++ // a backslash-newline continues the statement
				continue
			case c == '\\' && i+2 < len(s) && s[i+1] == '\r' && s[i+2] == '\n':
				i += 2
				continue
			case c == ' ' || c == '\t' || c == '\r':
				continue
			case c == '#':
				// A comment, to the end of the line.
				j := strings.IndexByte(s[i:], '\n')
				if j < 0 {
					return
				}
				i += j - 1
				continue
			case c == '"':
				end := awkStringEnd(s, i+1)
				if end < 0 {
					if !spec {
						unsure("a string left open")
					}
					return
				}
				i = end - 1
				prev2, prev = prev, '"'
				continue
			case c == '/':
				// awk's grammar decides: after an operand (a name, a
				// number, a closing bracket, a string, a regex, $, a
				// postfix ++ or --) the / divides, elsewhere it starts a
				// regex. After ++ or -- or a keyword that takes an operand
				// (in, getline), both are read (mawk reads a regex after
				// i++).
				word := awkWordBefore(s, i)
				postfix := (prev == '+' || prev == '-') && prev2 == prev
				keyword := word == "in" || word == "getline" || word == "print" || word == "printf" || word == "return"
				divides := isWordByte(prev) || prev == ')' || prev == ']' || prev == '"' || prev == '/' || prev == '$' || prev == '.' || postfix
				if i != regexAt && divides {
					if postfix || keyword {
						fork(i, depth, prev, i) // the regex reading
					}
					break // the division reading
				}
				end, naive := awkRegexEnd(s, i+1)
				if end < 0 {
					if !spec {
						unsure("a regex left open")
					}
					return
				}
				if naive > 0 && naive != end {
					// An awk that ends a regex at the first / whatever the
					// brackets (/[/]/) reads on from there.
					fork(naive, depth, '/', -1)
				}
				i = end - 1
				prev2, prev = prev, '/'
				continue
			case c == '(' || c == '[':
				depth++
			case c == ')' || c == ']':
				depth--
			case c == '\n' && depth <= 0:
				if prev == ',' || prev == '{' || prev == '?' || prev == ':' || (prev == '&' || prev == '|') && prev2 == prev {
					continue // the statement goes on
				}
				return
			case depth <= 0 && (c == ';' || c == '}'):
				return
			case depth <= 0 && c == '>':
				rest := strings.TrimPrefix(s[i+1:], ">")
				end := len(rest)
				in := false
			target:
				for k := 0; k < len(rest); k++ {
					switch {
					case in && rest[k] == '\\':
						k++
					case rest[k] == '"':
						in = !in
					case !in && (rest[k] == ';' || rest[k] == '}' || rest[k] == '\n' || rest[k] == '#'):
						end = k
						break target
					}
				}
				out = append(out, strings.TrimSpace(rest[:end]))
				return
			}
			prev2, prev = prev, c
		}
	}
	scan(0, 0, 0, 0, -1, false)
	return out
}

// awkWordBefore is the word that ends, blanks aside, just before s[i].
func awkWordBefore(s string, i int) string {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	k := j
	for k > 0 && isWordByte(s[k-1]) {
		k--
	}
	return s[k:j]
}

// awkStringEnd is the index after the " that closes the string starting
// at i, or -1.
func awkStringEnd(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		case '\n':
			return -1
		}
	}
	return -1
}

// awkRegexEnd is the index after the / that closes the regex literal
// starting at i, a bracket expression read whole (gawk and mawk: /[/]/),
// or -1; naive is where the regex ends when a bracket is not one (the
// first unescaped /).
func awkRegexEnd(s string, i int) (end, naive int) {
	naive = -1
	for j := i; j < len(s); j++ {
		if s[j] == '\\' {
			j++
			continue
		}
		if s[j] == '/' || s[j] == '\n' {
			if s[j] == '/' {
				naive = j + 1
			}
			break
		}
	}
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '\n':
			return -1, naive
		case '/':
			return j + 1, naive
		case '[':
			k := j + 1
			if k < len(s) && s[k] == '^' {
				k++
			}
			if k < len(s) && s[k] == ']' {
				k++
			}
			for k < len(s) && s[k] != ']' && s[k] != '\n' {
				if s[k] == '[' && k+1 < len(s) && strings.IndexByte(":.=", s[k+1]) >= 0 {
					if e := strings.Index(s[k+2:], string(s[k+1])+"]"); e >= 0 {
						k += 2 + e + 2
						continue
					}
				}
				if s[k] == '\\' {
					k++
				}
				k++
			}
			if k >= len(s) || s[k] != ']' {
				return -1, naive
			}
			j = k
		}
	}
	return -1, naive
}

// awkLiteralTarget is a string literal target: "FILE", escapes included.
var awkLiteralTarget = regexp.MustCompile(`^"((?:[^"\\]|\\.)*)"$`)

// sshKeygenReads are ssh-keygen's modes that only read the -f file.
var sshKeygenReads = map[string]bool{"verify": true, "find-principals": true, "check-novalidate": true, "match-principals": true}

// sshKeygenWrites refuses ssh-keygen writing a protected file: -f names
// the key it generates (answering the overwrite prompt from stdin), the
// known_hosts it rewrites (-R, -H), the certificate or revocation list it
// writes; only -Y verify and its kin, -l, -L, -y, -e, -B and -F read it.
func (a *analyzer) sshKeygenWrites(argv []tok) {
	const valued = "CDEFIJMNOPRVYZabfgjmnrstwz"
	reads := false
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		if t.dyn || len(t.s) < 2 || t.s[0] != '-' || t.s[1] == '-' {
			continue
		}
		for j := 1; j < len(t.s); j++ {
			c := t.s[j]
			if strings.IndexByte("lLyeB", c) >= 0 {
				reads = true
			}
			if strings.IndexByte(valued, c) < 0 {
				continue
			}
			v := t.s[j+1:]
			if v == "" && i+1 < len(argv) {
				i++
				v = argv[i].s
			}
			if c == 'F' || c == 'Y' && sshKeygenReads[v] {
				reads = true
			}
			break
		}
	}
	if !reads {
		a.looseArgs(argv)
	}
}

// sshKeygenAsksFile reports whether ssh-keygen asks for its key file's
// name on standard input: no -f, in a mode that writes the file it is
// told (generating a key, -p, -c, and any mode the hook does not know to
// only read or print: -l, -L, -y, -e, -i, -B, -F, -r, -D, -Y verify and
// its kin).
func sshKeygenAsksFile(argv []tok) bool {
	const valued = "CDEFIJMNOPRVYZabfgjmnrstwz"
	reads := false
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		if t.dyn {
			return true // may be -f, or a mode that writes
		}
		if len(t.s) < 2 || t.s[0] != '-' || t.s[1] == '-' {
			continue
		}
		for j := 1; j < len(t.s); j++ {
			c := t.s[j]
			if c == 'f' {
				return false
			}
			if strings.IndexByte("lLyeiBFrD", c) >= 0 {
				reads = true
			}
			if strings.IndexByte(valued, c) < 0 {
				continue
			}
			v := t.s[j+1:]
			if v == "" && i+1 < len(argv) {
				i++
				v = argv[i].s
			}
			if c == 'Y' && sshKeygenReads[v] {
				reads = true
			}
			break
		}
	}
	return !reads
}

// planguardWrites refuses the files planguard check (and verify…) writes:
// --out FORMAT=FILE, --audit-log FILE, --attest FILE.
func (a *analyzer) planguardWrites(argv []tok) {
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		n, v, has := strings.Cut(strings.TrimLeft(t.s, "-"), "=")
		if !strings.HasPrefix(t.s, "-") || t.s == "--" {
			continue
		}
		switch n {
		case "out", "audit-log", "attest":
		default:
			continue
		}
		val := tok{s: v, dyn: t.dyn, w: t.w, kind: t.kind}
		if !has {
			if i+1 >= len(args) {
				return
			}
			i++
			val = args[i]
		}
		if n == "out" {
			if _, f, ok := strings.Cut(val.s, "="); ok {
				val.s = f // FORMAT=FILE
			}
		}
		if a.writeDest(argv, val, false) {
			return
		}
	}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tarDirs returns a protected file a tar extraction may write: tar
// extracts into the directory its -C options compose, in order (each
// relative one from the one before, review hook34 F8: -C /tmp/safe -C
// /tmp/w34 extracts into /tmp/w34), and a later -C may come between
// members; every directory in the chain is judged.
func (a *analyzer) tarDirs(args []tok) string {
	var vals []tok
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.s == "--" && !t.dyn {
			break
		}
		if t.dyn {
			continue
		}
		switch {
		case t.s == "-C" || strings.HasPrefix("--directory", t.s) && len(t.s) >= len("--di"):
			if i+1 < len(args) {
				vals = append(vals, args[i+1])
				i++
			}
		case strings.HasPrefix(t.s, "--di") && strings.Contains(t.s, "=") &&
			strings.HasPrefix("--directory", t.s[:strings.IndexByte(t.s, '=')]):
			vals = append(vals, tok{s: t.s[strings.IndexByte(t.s, '=')+1:]})
		case len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' && strings.ContainsRune(t.s, 'C'):
			k := strings.IndexByte(t.s, 'C')
			if k+1 < len(t.s) {
				vals = append(vals, tok{s: t.s[k+1:]}) // -C/tmp/x, -xC/tmp/x
			} else if i+1 < len(args) {
				vals = append(vals, args[i+1]) // -xfC? value follows
				i++
			}
		}
	}
	dir, known := ".", true
	if len(vals) == 0 {
		return a.intoDir(dir)
	}
	for _, v := range vals {
		switch {
		case v.dyn && v.w != nil && a.isFresh(v.w):
			dir, known = "", false // a directory mktemp made
			continue
		case v.dyn:
			return "" // judged as a computed directory elsewhere (as before)
		case path.IsAbs(v.s) || strings.HasPrefix(v.s, "~"):
			dir, known = v.s, true
		case !known:
			if strings.Contains("/"+v.s+"/", "/../") {
				return "a directory above one mktemp made (" + v.s + "), which may hold any file"
			}
			continue
		default:
			dir = strings.TrimSuffix(dir, "/") + "/" + v.s
		}
		if a.climbs(dir) {
			return climbed(dir)
		}
		if q := a.intoDir(dir); q != "" {
			return q
		}
	}
	return ""
}

// tarOldStyle rewrites tar's first word in the traditional style (tar
// cfC X.tar DIR: letters without a dash, each one that takes a value
// taking the next word in turn) as dashed options.
func tarOldStyle(args []tok) []tok {
	if len(args) == 0 || args[0].dyn || args[0].s == "" || strings.HasPrefix(args[0].s, "-") {
		return args
	}
	var out []tok
	next := 1
	for _, c := range args[0].s {
		out = append(out, tok{s: "-" + string(c)})
		if strings.ContainsRune(programs["tar"].short, c) && next < len(args) {
			out = append(out, args[next])
			next++
		}
	}
	return append(out, args[next:]...)
}

// tarRemoves judges tar --remove-files, which deletes every name it
// archives: each name from the directory the -C/--directory options before
// it compose, in order, as tar reads it (tar -C.. --remove-files -cf X
// allowed_signers deletes ../allowed_signers: review hook145 H2), a -C
// computed at run time placing the names after it nowhere the hook can
// judge; names read from a file or standard input (-T, --files-from),
// which the hook does not read, are refused (review hook145 H1). It
// returns a protected file removed, or "" (having refused, or not).
func (a *analyzer) tarRemoves(argv []tok) string {
	p := programs["tar"]
	args := tarOldStyle(argv[1:])
	line := truncateTok(argv)
	dir, known, fresh := ".", true, false
	judge := func(t tok) string {
		switch {
		case t.dyn && t.w != nil && t.kind == dynGlob:
			if known && dir != "." {
				return a.globNames(strings.TrimSuffix(dir, "/")+"/"+globPattern(t.w), true)
			}
		case t.dyn || path.IsAbs(t.s) || strings.HasPrefix(t.s, "~"):
			// A computed name is judged as an argument (looseArgs); an
			// absolute one as written (holdsAny).
		case !known && fresh && !strings.Contains("/"+t.s+"/", "/../"):
			// Under a directory mktemp made: new.
		case !known:
			return t.s + " (relative to a -C directory computed at run time, which the hook cannot place: name the directory)"
		case dir != ".":
			j := strings.TrimSuffix(dir, "/") + "/" + t.s
			if a.climbs(j) {
				return climbed(j)
			}
			return a.holds(j)
		}
		return ""
	}
	for rest := args; len(rest) > 0; {
		opts, _, r := p.options(rest)
		for _, o := range opts {
			switch o.name {
			case "T", "files-from":
				a.refuse("`%s`: tar --remove-files deletes the files it archives, and %s takes their names from a file or standard input, which the hook does not read (they may be the state or a protected file): name the files", line, dashed(o.name))
				return ""
			case "C", "directory":
				v := o.val
				switch {
				case v.dyn && v.w != nil && a.isFresh(v.w):
					known, fresh = false, true
				case v.dyn:
					known, fresh = false, false
				case path.IsAbs(v.s) || strings.HasPrefix(v.s, "~"):
					dir, known = v.s, true
				case known:
					dir = strings.TrimSuffix(dir, "/") + "/" + v.s
				case strings.Contains("/"+v.s+"/", "/../"):
					fresh = false // above a directory mktemp made
				}
			}
		}
		if n := len(rest) - len(r); n > 0 && rest[n-1].s == "--" && !rest[n-1].dyn {
			for _, t := range r {
				if q := judge(t); q != "" {
					return q
				}
			}
			return ""
		}
		if len(r) == 0 {
			break
		}
		if q := judge(r[0]); q != "" {
			return q
		}
		rest = r[1:]
	}
	return ""
}

// sevenZipDeletes judges 7z's -sdel, which deletes the files it adds: the
// names as holdsAny judges them, and refused when 7z reads them from a
// list file (@LIST, -i@LIST) or matches them itself (a wildcard, -r, -i),
// which the hook does not follow. sdel reports whether -sdel is given.
func (a *analyzer) sevenZipDeletes(argv []tok) (q string, sdel bool) {
	for _, t := range argv[1:] {
		sdel = sdel || strings.EqualFold(t.s, "-sdel") || t.dyn && strings.HasPrefix(t.s, "-")
	}
	if !sdel {
		return "", false
	}
	for _, t := range argv[1:] {
		l := strings.ToLower(t.s)
		if t.dyn || strings.HasPrefix(l, "@") || strings.HasPrefix(l, "-i") || strings.HasPrefix(l, "-r") && l != "-r-" || !strings.HasPrefix(l, "-") && strings.ContainsAny(l, "*?") {
			a.refuse("`%s`: 7z -sdel deletes the files it adds, and %s names them through a list file, 7z's own wildcards or recursion, or is computed at run time, which the hook does not follow (they may be the state or a protected file): name the files", truncateTok(argv), srcOf(t))
			return "", true
		}
	}
	for _, t := range argv[1:] {
		if !strings.HasPrefix(t.s, "-") {
			if q := a.holds(t.s); q != "" {
				return q, true
			}
		}
	}
	return "", true
}

// patchBackups judges the backups GNU patch makes (with -b, and by default
// when a hunk does not apply cleanly): PREFIX + FILE + SUFFIX, with FILE
// named on the line or inside the patch (review hook34 F9: -b -z .hcl -B
// ../ planguard writes ../planguard.hcl). A prefix (-B, -Y) with a `/`
// puts the backup in another directory under a name the patch chooses,
// refused; a prefix and suffix that frame a protected file's name (or a
// state file's) are refused; a value computed at run time is refused.
func (a *analyzer) patchBackups(argv []tok) bool {
	prefix, suffix := "", ".orig"
	var prefixes []tok
	line := truncateTok(argv)
	long := func(s, name string) (string, bool, bool) { // value, attached, matched
		k, v, eq := strings.Cut(s, "=")
		if len(k) < 4 || !strings.HasPrefix("--"+name, k) {
			return "", false, false
		}
		return v, eq, true
	}
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.s == "--" && !t.dyn {
			break
		}
		var which byte
		var val tok
		have := false
		for _, o := range []struct {
			short byte
			name  string
		}{{'B', "prefix"}, {'Y', "basename-prefix"}, {'z', "suffix"}} {
			if v, eq, ok := long(t.s, o.name); ok && strings.HasPrefix(t.s, "--") {
				which = o.short
				if eq {
					val, have = tok{s: v, dyn: t.dyn}, true
				} else if i+1 < len(args) {
					val, have = args[i+1], true
					i++
				}
				break
			}
		}
		if which == 0 && len(t.s) > 1 && t.s[0] == '-' && t.s[1] != '-' {
			// A cluster: the first valued letter takes the rest, or the next word.
			for k := 1; k < len(t.s); k++ {
				c := t.s[k]
				if strings.IndexByte("BYz", c) >= 0 {
					which = c
					if k+1 < len(t.s) {
						val, have = tok{s: t.s[k+1:], dyn: t.dyn}, true
					} else if i+1 < len(args) {
						val, have = args[i+1], true
						i++
					}
					break
				}
				if strings.IndexByte("DFiopdrVg", c) >= 0 {
					break // another valued option takes the rest
				}
			}
		}
		if which == 0 || !have {
			continue
		}
		if val.dyn {
			a.refuse("`%s`: patch names its backups with a prefix or suffix computed at run time (%s), which may make a backup the policy, its allowed_signers or the agent's settings", line, srcOf(val))
			return true
		}
		if which == 'z' {
			suffix = val.s
		} else {
			prefixes = append(prefixes, val)
			prefix = val.s
		}
	}
	for _, p := range prefixes {
		if strings.Contains(p.s, "/") {
			a.refuse("`%s`: patch puts its backups under the prefix %s, a directory, under the names the patch holds: they may land on the policy, its allowed_signers or the agent's settings; back up without a directory prefix", line, p.s)
			return true
		}
	}
	lp, ls := strings.ToLower(prefix), strings.ToLower(suffix)
	for _, q := range a.opts.Protected {
		b := strings.ToLower(path.Base(q))
		if len(b) > len(lp)+len(ls) && strings.HasPrefix(b, lp) && strings.HasSuffix(b, ls) {
			a.refuse("`%s`: patch names a backup %sFILE%s, which may be %s, which holds the gate's trust", line, prefix, suffix, q)
			return true
		}
	}
	if StateFile(prefix+"x"+suffix) || StateFile(prefix+"terraform"+suffix) {
		a.refuse("`%s`: patch names a backup %sFILE%s, which may be a Terraform state file's name%s", line, prefix, suffix, stateFileWhy)
		return true
	}
	return false
}

// splitStateName returns a name split may give a piece — prefix, letters
// or digits it generates, suffix — that is a Terraform state file's: the
// generated part is tried as each run of letters of "tfstate" (the only
// way generated letters complete ".tfstate", which holds a dot they
// cannot) and as a plain aa or 00.
func splitStateName(prefix, suffix string) string {
	const t = "tfstate"
	mids := []string{"aa", "00"}
	for i := 0; i < len(t); i++ {
		for j := i + 1; j <= len(t); j++ {
			mids = append(mids, t[i:j])
		}
	}
	for _, m := range mids {
		if StateFile(prefix + m + suffix) {
			return prefix + m + suffix
		}
	}
	return ""
}

// csplitSpec is the conversion in a csplit suffix format.
var csplitSpec = regexp.MustCompile(`%[-+ #0']*[0-9]*(\.[0-9]*)?([diuoxX])`)

// csplitNames returns a name csplit gives a piece (PREFIX+format(N) for N
// below 1000) that is a Terraform state file's (review hook64 H3: -f
// terraform.tfstat -b 'e%.0d' writes terraform.tfstate for piece 0); ok
// is false when the format is not one conversion among plain text.
func csplitNames(prefix, format string) (string, bool) {
	rest := strings.ReplaceAll(format, "%%", "")
	locs := csplitSpec.FindAllStringSubmatchIndex(rest, -1)
	if len(locs) != 1 || strings.Count(csplitSpec.ReplaceAllString(rest, ""), "%") > 0 {
		return "", false
	}
	// Go's fmt reads these conversions as C's printf does, but for %i, %u
	// and the ' flag.
	goFmt := csplitSpec.ReplaceAllStringFunc(format, func(m string) string {
		m = strings.ReplaceAll(m, "'", "")
		if c := m[len(m)-1]; c == 'i' || c == 'u' {
			return m[:len(m)-1] + "d"
		}
		return m
	})
	for n := 0; n < 1000; n++ {
		if name := prefix + fmt.Sprintf(goFmt, n); StateFile(name) {
			return name, true
		}
	}
	return "", true
}
