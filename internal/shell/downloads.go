package shell

import (
	"net/url"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Downloads write files whose names the command does not spell out
// (review hook30 F2, F3): `wget URL` saves to the URL's last path
// component in the working directory (or -P DIR), `curl -O URL` likewise
// (or --output-dir DIR), `scp host:settings.json .claude/` under the
// remote file's name. The hook computes that name (DIR + the URL's base
// name, percent-decoded as wget decodes it, and as written) and judges it
// as a write, like a `>` target.
//
// Some names it cannot compute: the server chooses them (wget
// --content-disposition or --trust-server-names, curl -J, aria2c), a list
// does (wget -i, aria2c -i), a glob does (curl's URL globs with -o '#1',
// a remote glob for scp), or a recursive mirror writes a tree (wget
// -r/-m/-p/-x, scp -r of such a source). Those are allowed only into a
// literal directory under /tmp or /var/tmp that is not the working
// directory nor above it and holds no protected file (dlUnknown);
// anywhere else they are refused.

// tempRoots are the directories under which a download may write files
// whose names the hook cannot compute.
var tempRoots = []string{"/tmp", "/var/tmp"}

func underTemp(p string) bool {
	for _, r := range tempRoots {
		if p == r || strings.HasPrefix(p, r+"/") {
			return true
		}
	}
	return false
}

// dlDir is the directory a download writes into, as written (""
// for the working directory); ok is false when it refused.
func (a *analyzer) dlDir(argv []tok, dir tok) (string, bool) {
	if !dir.dyn {
		return dir.s, true
	}
	if dir.w != nil {
		if empty, ok := a.fresh(dir.w); ok {
			// A directory mktemp made: new, unless mktemp failed and
			// printed nothing, which is the path judged.
			return empty, true
		}
	}
	a.refuse("`%s` downloads into a directory computed at run time (%s), which may hold the policy, its allowed_signers or the agent's settings: name a literal directory", truncateTok(argv), srcOf(dir))
	return "", false
}

// dlFile judges a download to dir/name (a name the hook computed); tree:
// a directory of that name may be copied there, with its files.
func (a *analyzer) dlFile(argv []tok, dir, name string, tree bool) bool {
	if name == "" {
		return false
	}
	p := name
	if dir != "" {
		p = strings.TrimSuffix(dir, "/") + "/" + name
	}
	if a.writeDest(argv, tok{s: p}, false) {
		return true
	}
	if q := a.holds(p); tree && q != "" {
		// A name that is a directory above a protected file (a mirror's
		// host directory, an scp -r source): its files land there.
		a.refuse("`%s` may write %s, which holds the gate's trust: a person changes it through review", truncateTok(argv), q)
		return true
	}
	return false
}

// dlUnknown judges files whose names the hook cannot compute (why: who
// chooses them) written into dir, or into a tree under it (tree).
func (a *analyzer) dlUnknown(argv []tok, dir string, tree bool, why string) bool {
	refuse := func(where string) bool {
		a.refuse("`%s` writes files whose names %s chooses, %s, where they may be the policy, its allowed_signers, the agent's settings or a file that runs later: download into a literal directory under /tmp (wget -P /tmp/dl, curl --output-dir /tmp/dl), or name the file (wget -O FILE, curl -o FILE)", truncateTok(argv), why, where)
		return true
	}
	shown := dir
	if shown == "" {
		shown = "."
	}
	if a.climbs(shown) {
		return refuse("in " + climbed(shown))
	}
	if a.cwdUnknown && !path.IsAbs(shown) && !strings.HasPrefix(shown, "~") {
		return refuse("in " + shown + " after the line changed directory (any directory)")
	}
	for _, r := range a.paths(shown) {
		if !underTemp(r) {
			return refuse("in " + r + ", which is not under /tmp")
		}
		if a.ancestorOfCwd(r) {
			return refuse("in " + r + ", the working directory or above it")
		}
		if a.opts.GitDir != nil && a.opts.GitDir(r) {
			return refuse("in " + r + ", a git directory (git reads its config and runs its hooks)")
		}
	}
	if q := a.inProtectedDir(path.Join(shown, "x")); q != "" {
		return refuse("in " + q)
	}
	if tree {
		if q := a.holds(shown); q != "" {
			return refuse("in a tree that holds " + q)
		}
	} else {
		for _, q := range a.opts.Protected {
			for _, r := range a.paths(shown) {
				if strings.EqualFold(path.Dir(q), r) {
					return refuse("in the directory of " + q)
				}
			}
		}
	}
	a.noteConfigWrite(path.Join(shown, "*"), true) // gitconfig.go
	return false
}

// urlNames are the local names a download of u takes from the URL: the
// last path component (index when empty), as written and percent-decoded;
// ok is false when the URL holds nothing to take a name from.
func urlNames(u, index string, query bool) []string {
	if i := strings.Index(u, "#"); i >= 0 {
		u = u[:i]
	}
	q := ""
	if i := strings.Index(u, "?"); i >= 0 {
		u, q = u[:i], u[i:]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	p := ""
	if i := strings.Index(u, "/"); i >= 0 {
		p = u[i:]
	}
	base := p[strings.LastIndex(p, "/")+1:]
	if base == "" {
		base = index
	}
	names := []string{base}
	if d, err := url.PathUnescape(base); err == nil && d != base {
		// A decoded `/` cannot be part of a file name: wget writes %2F.
		names = append(names, strings.ReplaceAll(d, "/", "%2F"))
	}
	if query && q != "" {
		// wget keeps the query in the name (x?y=1): judged with and
		// without it.
		for _, n := range names {
			names = append(names, n+q)
		}
	}
	return names
}

// urlBase is the static last path component of a URL word computed at
// run time ("$BASE/settings.json"), or "".
func urlBase(t tok) string {
	if t.w == nil || t.kind == dynGlob {
		return ""
	}
	b := staticBase(t.w)
	if strings.ContainsAny(b, "?#") {
		return ""
	}
	return b
}

// wgetrcKeys are the settings `wget -e` may set that choose no file and
// run nothing; the others (output_document, dir_prefix, use_askpass,
// content_disposition, recursive…) are read like their options or refused.
var wgetrcKeys = map[string]bool{"robots": true, "checkcertificate": true, "tries": true, "timeout": true, "waitretry": true,
	"wait": true, "verbose": true, "quiet": true, "progress": true, "useragent": true, "header": true, "httpproxy": true,
	"httpsproxy": true, "ftpproxy": true, "noproxy": true, "useproxy": true, "contentonerror": true, "retryconnrefused": true,
	"maxredirect": true, "limitrate": true, "dnstimeout": true, "readtimeout": true, "connecttimeout": true, "showprogress": true,
	"serverresponse": true, "inet4only": true, "inet6only": true, "preferfamily": true, "timestamping": true, "noclobber": true,
	"continue": true, "cache": true, "cookies": true, "compression": true, "hsts": true, "iri": true, "netrc": true}

// wget judges GNU Wget: -O FILE, the log and cookie files it writes, and
// the files it saves under names derived from the URLs.
func (a *analyzer) wget(c call) kind {
	argv := c.argv
	p := lookup("wget")
	opts, ops := p.operands(argv[1:])
	if a.computedOptions(argv, ops) {
		return kindOther
	}
	dir := tok{}
	var out *tok
	unknown, tree, adjust, backups := "", false, false, false
	index := "index.html"
	setting := func(key string, val tok) bool {
		switch key {
		case "outputdocument":
			v := val
			out = &v
		case "dirprefix":
			dir = val
		case "logfile", "savecookies", "hstsfile", "rejectedlog":
			return a.writeDest(argv, val, false)
		case "warcfile":
			if val.dyn {
				a.refuse("`%s` writes WARC files under a name computed at run time", truncateTok(argv))
				return true
			}
			if q := a.derivedName(val.s, true); q != "" {
				a.refuse("`%s` writes %s under a name derived from --warc-file, which holds the gate's trust", truncateTok(argv), q)
				return true
			}
		case "warctempdir":
			return a.dlUnknown(argv, val.s, false, "wget (WARC temporary files)") || val.dyn && a.writeDest(argv, val, false)
		case "inputfile", "inputmetalink", "metalinkoverhttp":
			unknown = "a list or metalink"
		case "contentdisposition":
			unknown = "the server (Content-Disposition)"
		case "trustservernames":
			unknown = "a redirect (--trust-server-names)"
		case "recursive", "mirror", "pagerequisites", "dirstruct":
			tree, unknown = true, "the pages a recursive retrieval follows"
		case "adjustextension":
			adjust = true
		case "defaultpage":
			if val.dyn {
				unknown = "a computed --default-page"
			}
			index = val.s
		case "backups", "backupconverted":
			backups = true
		case "useaskpass":
			if val.dyn {
				a.refuse("`%s`: --use-askpass runs a program computed at run time (%s)", truncateTok(argv), srcOf(val))
				return true
			}
			a.run(c.inner([]tok{val, {s: "Password: "}}))
		case "config":
			a.refuse("`%s`: --config reads wget settings from a file (output_document, dir_prefix, use_askpass: a command), which the hook does not read", truncateTok(argv))
			return true
		}
		return false
	}
	for _, o := range opts {
		key := map[string]string{
			"O": "outputdocument", "output-document": "outputdocument", "P": "dirprefix", "directory-prefix": "dirprefix",
			"o": "logfile", "output-file": "logfile", "a": "logfile", "append-output": "logfile", "save-cookies": "savecookies",
			"hsts-file": "hstsfile", "rejected-log": "rejectedlog", "warc-file": "warcfile", "warc-tempdir": "warctempdir",
			"i": "inputfile", "input-file": "inputfile", "input-metalink": "inputmetalink", "metalink-over-http": "metalinkoverhttp",
			"content-disposition": "contentdisposition", "trust-server-names": "trustservernames",
			"r": "recursive", "recursive": "recursive", "m": "mirror", "mirror": "mirror", "p": "pagerequisites",
			"page-requisites": "pagerequisites", "x": "dirstruct", "force-directories": "dirstruct",
			"E": "adjustextension", "adjust-extension": "adjustextension", "default-page": "defaultpage",
			"backups": "backups", "K": "backupconverted", "backup-converted": "backupconverted",
			"use-askpass": "useaskpass", "config": "config",
		}[o.name]
		if o.name == "e" || o.name == "execute" {
			if o.val.dyn {
				a.refuse("`%s`: -e runs a wget setting computed at run time", truncateTok(argv))
				return kindOther
			}
			k, v, _ := strings.Cut(o.val.s, "=")
			k = strings.NewReplacer("_", "", "-", "", " ", "", "\t", "").Replace(strings.ToLower(k))
			v = strings.TrimSpace(v)
			switch {
			case wgetrcKeys[k]:
				continue
			case k == "outputdocument" || k == "dirprefix" || k == "logfile" || k == "savecookies" || k == "hstsfile" ||
				k == "rejectedlog" || k == "warcfile" || k == "defaultpage" || k == "useaskpass" || k == "input":
				if k == "input" {
					k = "inputfile"
				}
				if setting(k, tok{s: v}) {
					return kindOther
				}
				continue
			case k == "contentdisposition" || k == "trustservernames" || k == "recursive" || k == "mirror" ||
				k == "pagerequisites" || k == "dirstruct" || k == "adjustextension" || k == "backups" || k == "backupconverted":
				switch strings.ToLower(v) {
				case "off", "0", "no", "false":
					continue
				}
				setting(k, tok{s: v})
				continue
			}
			a.refuse("`%s`: -e %s sets a wget setting the hook does not read (it may name a file wget writes or a command it runs): use wget's options", truncateTok(argv), o.val.s)
			return kindOther
		}
		if key != "" && setting(key, o.val) {
			return kindOther
		}
	}
	if out != nil {
		if !(out.s == "-" && !out.dyn) && a.writeDest(argv, *out, false) {
			return kindOther
		}
		if !tree {
			return kindOther // every document goes to that file
		}
	}
	d, ok := a.dlDir(argv, dir)
	if !ok {
		return kindOther
	}
	if unknown != "" || tree {
		a.dlUnknown(argv, d, tree, unknown)
		return kindOther
	}
	for _, u := range ops {
		var names []string
		switch {
		case !u.dyn:
			names = urlNames(u.s, index, true)
		case urlBase(u) != "":
			names = urlNames("x/"+urlBase(u), index, false)
		default:
			if a.dlUnknown(argv, d, false, "a URL computed at run time ("+srcOf(u)+")") {
				return kindOther
			}
			continue
		}
		for _, n := range names {
			cands := []string{n}
			if adjust {
				cands = append(cands, n+".html", n+".css")
			}
			for _, c := range cands {
				if a.dlFile(argv, d, c, false) {
					return kindOther
				}
				if backups {
					if q := a.derivedName(path.Join(d, c), true); q != "" {
						a.refuse("`%s` writes %s, a backup of a file it downloads, which holds the gate's trust", truncateTok(argv), q)
						return kindOther
					}
				}
			}
		}
	}
	return kindOther
}

// curlWrites are curl's options whose value is a file it writes ("-" is
// standard output).
var curlWrites = map[string]bool{"c": true, "cookie-jar": true, "D": true, "dump-header": true, "trace": true, "trace-ascii": true,
	"libcurl": true, "stderr": true, "etag-save": true, "hsts": true, "alt-svc": true, "ssl-sessions": true}

// curl judges curl: -o FILE (with --output-dir), -O/--remote-name-all
// (the URL's name), -J (the server's), the other files it writes, and -K
// (options from a file), refused.
func (a *analyzer) curl(c call) kind {
	argv := c.argv
	p := lookup("curl")
	opts, ops := p.operands(argv[1:])
	if a.computedOptions(argv, ops) {
		return kindOther
	}
	var outs, dirs []tok
	remote, globoff, next := false, false, false
	unknown := ""
	var uploads []tok
	for _, o := range opts {
		switch {
		case o.name == "o" || o.name == "output":
			outs = append(outs, o.val)
		case o.name == "O" || o.name == "remote-name" || o.name == "remote-name-all":
			remote = true
		case o.name == "J" || o.name == "remote-header-name":
			unknown = "the server (-J: the Content-Disposition header)"
		case o.name == "output-dir":
			dirs = append(dirs, o.val)
		case o.name == "g" || o.name == "globoff":
			globoff = true
		case o.name == ":" || o.name == "next":
			next = true
		case o.name == "url":
			ops = append(ops, o.val)
		case o.name == "T" || o.name == "upload-file":
			uploads = append(uploads, o.val)
		case o.name == "K" || o.name == "config":
			a.refuse("`%s`: -K reads curl options from a file (output, output-dir: files it writes), which the hook does not read: give the options on the command line", truncateTok(argv))
			return kindOther
		case strings.HasPrefix(o.name, "expand-"):
			a.refuse("`%s`: --%s expands variables (--variable, which may import the environment or a file) into the option's value, which the hook cannot compute", truncateTok(argv), o.name)
			return kindOther
		case o.name == "w" || o.name == "write-out":
			// curl 8.3+: %output{FILE} (or {>>FILE}) sends the rest to FILE.
			if o.val.dyn {
				// The hook knows only a computed format's leading text
				// (none, when it starts inside quotes): review hook36.
				a.refuse("`%s`: -w with a format computed at run time may write a file (%%output{FILE}): spell the format out", truncateTok(argv))
				return kindOther
			}
			s := o.val.s
			for {
				i := strings.Index(s, "%output{")
				if i < 0 {
					break
				}
				s = s[i+len("%output{"):]
				j := strings.IndexByte(s, '}')
				if j < 0 || o.val.dyn {
					a.refuse("`%s`: -w %%output{…} writes a file the hook cannot read", truncateTok(argv))
					return kindOther
				}
				if a.writeDest(argv, tok{s: strings.TrimPrefix(s[:j], ">>")}, false) {
					return kindOther
				}
			}
			if o.val.dyn && strings.Contains(o.val.s, "%") {
				a.refuse("`%s`: -w with a format computed at run time may write a file (%%output{FILE})", truncateTok(argv))
				return kindOther
			}
		case curlWrites[o.name]:
			if !(o.val.s == "-" || o.val.s == "%") || o.val.dyn {
				if a.writeDest(argv, o.val, false) {
					return kindOther
				}
			}
		}
	}
	if len(uploads) > 0 && a.curlFileUploads(argv, uploads, ops, globoff) {
		return kindOther
	}
	var ds []string
	for _, d := range dirs {
		s, ok := a.dlDir(argv, d)
		if !ok {
			return kindOther
		}
		ds = append(ds, s)
	}
	if len(ds) == 0 || next {
		ds = append(ds, "") // --next: groups without --output-dir
	}
	for _, o := range outs {
		if o.s == "-" && !o.dyn {
			continue
		}
		if !o.dyn && strings.Contains(o.s, "#") && !globoff {
			// -o 'dl/#1.json': named by the URL glob's matches.
			i := strings.Index(o.s, "#")
			pre, post := o.s[:i], o.s[i:]
			for _, d := range ds {
				dd := path.Dir(path.Join(d, pre+"x"))
				if d == "" && !strings.Contains(pre, "/") {
					dd = ""
				}
				if a.dlUnknown(argv, dd, strings.Contains(post, "/"), "a URL glob (#N in -o)") {
					return kindOther
				}
			}
			continue
		}
		if o.dyn {
			if a.writeDest(argv, o, false) {
				return kindOther
			}
			continue
		}
		for _, d := range ds {
			// --output-dir is put before the -o path, whatever it is.
			if a.dlFile(argv, d, o.s, false) {
				return kindOther
			}
		}
		if a.writeDest(argv, o, false) {
			return kindOther
		}
	}
	if !remote && unknown == "" {
		return kindOther
	}
	for _, d := range ds {
		if unknown != "" {
			if a.dlUnknown(argv, d, false, unknown) {
				return kindOther
			}
		}
		if !remote {
			continue
		}
		for _, u := range ops {
			var names []string
			switch {
			case u.dyn && urlBase(u) == "":
				if a.dlUnknown(argv, d, false, "a URL computed at run time ("+srcOf(u)+")") {
					return kindOther
				}
				continue
			case u.dyn:
				names = urlNames("x/"+urlBase(u), "", false)
			case !globoff && strings.ContainsAny(u.s, "{["):
				if a.dlUnknown(argv, d, false, "a URL glob ({…}, […])") {
					return kindOther
				}
				continue
			default:
				names = urlNames(u.s, "", false)
			}
			for _, n := range names {
				if a.dlFile(argv, d, n, false) {
					return kindOther
				}
			}
		}
	}
	return kindOther
}

// aria2c judges aria2: it names files after the server's
// Content-Disposition and follows torrents and metalinks it downloads
// (a tree of their files) unless told not to; it runs commands on events
// (--on-download-complete…), reads options from --conf-path and takes
// orders over RPC. Files: -d DIR (+ -o NAME, known), the log, the session.
func (a *analyzer) aria2c(c call) kind {
	argv := c.argv
	dir := tok{}
	var outs []tok
	follow := 2 // --follow-torrent and --follow-metalink not both false
	named := map[string]bool{}
	args := argv[1:]
	for i := 0; i < len(args); i++ {
		t := args[i]
		if t.dyn && !strings.HasPrefix(t.s, "-") {
			continue
		}
		if !strings.HasPrefix(t.s, "-") || t.s == "-" {
			continue
		}
		if t.s == "--" {
			break
		}
		var name string
		var val tok
		has := false
		if strings.HasPrefix(t.s, "--") {
			n, v, ok := strings.Cut(t.s[2:], "=")
			name, val, has = n, tok{s: v, dyn: t.dyn}, ok
		} else {
			name = t.s[1:2]
			if len(t.s) > 2 {
				val, has = tok{s: t.s[2:], dyn: t.dyn}, true
			}
		}
		full := map[string]string{"d": "dir", "o": "out", "i": "input-file", "l": "log", "T": "torrent-file", "M": "metalink-file"}
		if f, ok := full[name]; ok {
			name = f
		}
		valued := map[string]bool{"dir": true, "out": true, "input-file": true, "log": true, "torrent-file": true, "metalink-file": true,
			"save-session": true, "conf-path": true, "follow-torrent": true, "follow-metalink": true, "dht-file-path": true,
			"dht-file-path6": true, "server-stat-of": true}
		for _, n := range []string{"dir", "out", "log", "save-session", "conf-path", "follow-torrent", "follow-metalink", "input-file",
			"enable-rpc", "dht-file-path", "server-stat-of", "torrent-file", "metalink-file"} {
			if strings.HasPrefix(n, name) && n != name && len(name) > 1 {
				a.refuse("`%s`: --%s abbreviates an option of aria2c the hook reads: spell it out in full", truncateTok(argv), name)
				return kindOther
			}
		}
		if !has && valued[name] && i+1 < len(args) {
			i++
			val = args[i]
		}
		named[name] = true
		switch {
		case name == "dir":
			dir = val
		case name == "out":
			outs = append(outs, val)
		case name == "follow-torrent" || name == "follow-metalink":
			if !val.dyn && val.s == "false" {
				follow--
			}
		case name == "log" || name == "save-session" || name == "dht-file-path" || name == "dht-file-path6" || name == "server-stat-of":
			if !(val.s == "-" && !val.dyn) && a.writeDest(argv, val, false) {
				return kindOther
			}
		case name == "conf-path" || strings.HasPrefix(name, "on-") || strings.HasPrefix(name, "enable-rpc") || strings.HasPrefix(name, "rpc-"):
			a.refuse("`%s`: --%s runs commands or takes settings and orders the hook does not read (a configuration file, an event command, RPC)", truncateTok(argv), name)
			return kindOther
		}
	}
	d, ok := a.dlDir(argv, dir)
	if !ok {
		return kindOther
	}
	for _, o := range outs {
		if o.dyn {
			a.refuse("`%s` writes a file named at run time (%s)", truncateTok(argv), srcOf(o))
			return kindOther
		}
		if a.dlFile(argv, d, o.s, false) {
			return kindOther
		}
	}
	if len(outs) == 0 || named["input-file"] {
		if a.dlUnknown(argv, d, follow > 0, "the server (Content-Disposition) or an input list") {
			return kindOther
		}
	}
	if follow > 0 || named["torrent-file"] || named["metalink-file"] {
		a.dlUnknown(argv, d, true, "a torrent or metalink aria2c follows (--follow-torrent=false --follow-metalink=false turn that off)")
	}
	return kindOther
}

// remotePath is the path of a remote scp/rsync/sftp operand (host:path,
// user@host:path, scp://host/path, rsync://host/module/path), or ok false
// for a local one.
func remotePath(s string) (string, bool) {
	for _, scheme := range []string{"scp://", "sftp://", "rsync://"} {
		if rest, ok := strings.CutPrefix(s, scheme); ok {
			if i := strings.Index(rest, "/"); i >= 0 {
				return rest[i+1:], true
			}
			return "", true
		}
	}
	if strings.HasPrefix(s, "/") || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "~") {
		return "", false
	}
	i := strings.Index(s, ":")
	if i <= 0 || strings.Contains(s[:i], "/") {
		return "", false
	}
	return strings.TrimPrefix(s[i+1:], ":"), true // rsync host::module/path
}

// remoteSources judges the files a copy from another host writes into
// the local destination dst: each remote source under its own name (a
// tree below it with recursive), and sources whose names the hook cannot
// compute (a remote glob, a directory's contents) as dlUnknown. It
// reports whether it refused; local sources are left to the caller.
func (a *analyzer) remoteSources(argv []tok, srcs []tok, dst tok, recursive bool) bool {
	if !dst.dyn {
		if _, remote := remotePath(dst.s); remote {
			return false // a copy to the other host
		}
	}
	for _, s := range srcs {
		if s.dyn {
			continue
		}
		rp, remote := remotePath(s.s)
		if !remote {
			continue
		}
		if dst.dyn {
			a.refuse("`%s` copies %s into a path computed at run time (%s)", truncateTok(argv), s.s, srcOf(dst))
			return true
		}
		base := rp
		if i := strings.LastIndex(strings.TrimSuffix(rp, "/"), "/"); i >= 0 {
			base = strings.TrimSuffix(rp, "/")[i+1:]
		}
		base = strings.TrimSuffix(base, "/")
		switch {
		case strings.ContainsAny(base, "*?[{"):
			if a.dlUnknown(argv, dst.s, recursive, "a glob on the other host ("+s.s+")") {
				return true
			}
		case base == "" || base == "." || base == ".." || base == "~" || strings.HasSuffix(rp, "/") && recursive:
			// The home directory, or a directory's contents (rsync x/).
			if !recursive {
				continue // scp refuses a directory without -r
			}
			if a.dlUnknown(argv, dst.s, true, "the other host (a directory's contents: "+s.s+")") {
				return true
			}
		default:
			// dst is a file, or a directory the source lands in.
			if a.writeDest(argv, dst, recursive) || a.dlFile(argv, dst.s, base, recursive) {
				return true
			}
		}
	}
	return false
}

// scp judges scp by its row (walk: -S/-D programs, -o settings) and what
// it writes here: a remote source under its own name in the destination
// (remoteSources), a local copy as cp's.
func (a *analyzer) scp(c call) kind {
	p := lookup("scp")
	k := a.walk(p, "scp", c)
	opts, ops := p.operands(c.argv[1:])
	if len(ops) >= 2 {
		a.writesCopy("scp", c.argv, opts, ops)
	}
	return k
}

// sftp judges sftp by its row, refuses commands fed on standard input
// (get, put, and `!CMD`, a local shell command), and judges an
// auto-retrieved file (sftp host:FILE [DIR]) as scp's source.
func (a *analyzer) sftp(c call) kind {
	p := lookup("sftp")
	k := a.walk(p, "sftp", c)
	if c.fed {
		a.refuse("`%s` reads sftp commands from its standard input (get and put write files, `!CMD` runs a local shell command), which the hook does not read: use scp", truncateTok(c.argv))
		return kindOther
	}
	opts, ops := p.operands(c.argv[1:])
	if len(ops) > 0 {
		dst := tok{s: "."}
		if len(ops) > 1 {
			dst = ops[1]
		}
		a.remoteSources(c.argv, ops[:1], dst, hasOpt(opts, "r"))
	}
	return k
}

// lftp runs commands of its own (get, mirror, `!CMD` a local shell
// command) from -c, -e, -f and standard input: refused.
func (a *analyzer) lftp(c call) kind {
	for _, t := range c.argv[1:] {
		if t.dyn {
			continue
		}
		switch {
		case t.s == "-c" || t.s == "-e" || t.s == "-f" || strings.HasPrefix(t.s, "--exec"):
			a.refuse("`%s`: lftp runs the commands %s gives it (get and mirror write files, `!CMD` runs a local shell command), which the hook does not read: use curl, wget or scp", truncateTok(c.argv), t.s)
			return kindOther
		}
	}
	if c.fed {
		a.refuse("`%s` reads lftp commands from its standard input (get and mirror write files, `!CMD` runs a local shell command), which the hook does not read: use curl, wget or scp", truncateTok(c.argv))
	}
	return kindOther
}

// mailx refuses mail and mailx (programs the hook has no row for) fed standard input when they read it for
// commands (review hook132 M1): reading a mailbox (-f [FILE], -u USER),
// with no recipient, or told to read escapes (-I, -~, -#: `~!cmd`). Their
// commands `!cmd` and `|cmd` run a shell, as ed's and sftp's do.
func (a *analyzer) mailx(c call) bool {
	if !c.fed || !mailPrograms[baseName(c.argv[0].s)] {
		return false
	}
	// The valued letters of bsd-mailx, s-nail, heirloom mailx and GNU
	// mailutils together: a value read as a recipient would hide that
	// there is none.
	const valued = "aAbBcCELMmOqrRSsTuXYjJ"
	line := truncateTok(c.argv)
	recipients, why := 0, ""
	args := c.argv[1:]
	for i := 0; i < len(args) && why == ""; i++ {
		t := args[i]
		switch {
		case t.dyn:
			if t.s == "" || strings.HasPrefix(t.s, "-") {
				why = "a word computed at run time may be -f"
			}
		case t.s == "--":
			for _, r := range args[i+1:] {
				if !r.dyn {
					recipients++
				}
			}
			i = len(args)
		case strings.HasPrefix(t.s, "--"):
			n, _, eq := strings.Cut(t.s[2:], "=")
			switch {
			case len(n) >= 2 && (strings.HasPrefix("file", n) || strings.HasPrefix("user", n) || strings.HasPrefix("exec", n) || strings.HasPrefix("interactive", n)):
				why = "--" + n + " reads a mailbox or commands"
			case !eq && !contains([]string{"subject", "append", "attach", "content-type", "return-address", "cc", "bcc", "encoding", "alternative"}, n):
				why = "--" + n + " is an option the hook does not know, which may take the next word"
			case !eq:
				i++
			}
		case strings.HasPrefix(t.s, "-") && len(t.s) > 1:
			// A letter takes a value in one mail and not in another (-E
			// in mailutils, a flag in bsd-mailx): any of fuI~# in the
			// cluster, or in the word a letter may take, counts (the
			// day's review: mail -Ef MBOX, mail -E -f MBOX).
			if strings.ContainsAny(t.s[1:], "fuI~#") {
				why = "-" + t.s[1:] + " may read a mailbox or escapes"
				break
			}
			for j := 1; j < len(t.s); j++ {
				if strings.IndexByte(valued, t.s[j]) >= 0 {
					if j+1 == len(t.s) && i+1 < len(args) {
						if n := args[i+1]; !n.dyn && strings.HasPrefix(n.s, "-") {
							break // the next word is an option in the mail that takes no value here
						}
						i++
					}
					break
				}
			}
		default:
			recipients++
		}
	}
	if why == "" && recipients == 0 {
		why = "with no recipient it reads a mailbox"
	}
	if why != "" {
		a.refuse("`%s` reads mail commands from its standard input here (%s; `!cmd` and `|cmd` run a shell), which the hook does not read: send mail as `echo BODY | mail -s SUBJECT ADDRESS`", line, why)
		return true
	}
	return false
}

// mailPrograms are mail and mailx under their names on Debian.
var mailPrograms = map[string]bool{"mail": true, "mailx": true, "bsd-mailx": true, "s-nail": true, "nail": true,
	"heirloom-mailx": true, "mail.mailutils": true, "mailx.mailutils": true}

// computedOptions refuses a downloader's computed operand that may be an
// option (review hook36): one that does not start with literal text other
// than a dash (`curl "$URL"` with URL=-K/tmp/x.cfg reads options that
// write any file), or that an unquoted expansion splits into more words
// (`curl https://x/$P`).
func (a *analyzer) computedOptions(argv, ops []tok) bool {
	for _, t := range ops {
		if !t.dyn || t.found || t.alts != nil {
			continue
		}
		lead := ""
		if t.kind == dynGlob {
			lead = t.s // every name a glob expands to starts so
		} else if t.w != nil {
			if sh := a.shape(t.w); len(sh) > 0 && sh[0].kind == segLit {
				lead = sh[0].s
			}
		}
		if lead == "" || lead[0] == '-' || t.w == nil || t.kind != dynGlob && splitsWords(t.w) {
			a.refuse("`%s`: %s is computed at run time and may be options (curl -K and wget --config read options from a file, -o FILE writes one): quote it and start it with its literal scheme (\"https://$HOST/…\")", truncateTok(argv), srcOf(t))
			return true
		}
	}
	return false
}

// splitsWords reports whether a word holds an unquoted parameter expansion
// or command substitution, which bash splits into words.
func splitsWords(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst:
			return true
		}
	}
	return false
}

// httpie judges HTTPie (http, https): -o/--output FILE is a write, and
// -d/--download without it saves under a name the server or the URL
// chooses, in the working directory.
func (a *analyzer) httpie(c call) kind {
	argv := c.argv
	download := false
	var out *tok
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		if t.dyn || !strings.HasPrefix(t.s, "-") {
			continue
		}
		n, v, has := strings.Cut(t.s, "=")
		switch {
		case n == "--output" || n == "-o":
			val := tok{s: v, dyn: t.dyn}
			if !has && i+1 < len(argv) {
				i++
				val = argv[i]
			}
			out = &val
		case n == "--download" || !strings.HasPrefix(t.s, "--") && strings.ContainsRune(t.s[1:], 'd'):
			download = true
		case n == "--session" || n == "--session-read-only":
			val := tok{s: v, dyn: t.dyn}
			if !has && i+1 < len(argv) {
				i++
				val = argv[i]
			}
			if n == "--session" && (val.dyn || strings.Contains(val.s, "/")) && a.writeDest(argv, val, false) {
				return kindOther
			}
		}
	}
	if out != nil {
		a.writeDest(argv, *out, false)
		return kindOther
	}
	if download {
		a.dlUnknown(argv, "", false, "the server or the URL (http --download)")
	}
	return kindOther
}

// ghDownload judges `gh release download` and `gh run download`: the
// assets and artifacts keep their own names (and artifacts their
// directories), in -D/--dir (the working directory by default), unless
// -O/--output names the file; the rest of gh is judged as an unknown
// program's arguments.
func (a *analyzer) ghDownload(c call) kind {
	argv := c.argv
	var sub []string
	for _, t := range argv[1:] {
		if !t.dyn && !strings.HasPrefix(t.s, "-") && len(sub) < 2 {
			sub = append(sub, t.s)
		}
	}
	if len(sub) < 2 || sub[1] != "download" || sub[0] != "release" && sub[0] != "run" {
		a.generic("gh", c)
		return kindOther
	}
	dir := tok{}
	var out *tok
	var pats []tok
	archive := false
	for i := 1; i < len(argv); i++ {
		t := argv[i]
		n, v, has := strings.Cut(t.s, "=")
		val := tok{s: v, dyn: t.dyn}
		switch n {
		case "-D", "--dir", "-O", "--output", "-p", "--pattern", "-n", "--name", "-A", "--archive":
			if !has && i+1 < len(argv) {
				i++
				val = argv[i]
			}
			switch n {
			case "-D", "--dir":
				dir = val
			case "-O", "--output":
				out = &val
			case "-A", "--archive":
				archive = true
			default:
				pats = append(pats, val)
			}
		}
	}
	if sub[0] == "release" && !archive && len(pats) > 0 && out == nil {
		// Literal patterns are the assets' names.
		literal := true
		for _, p := range pats {
			literal = literal && !p.dyn && p.s != "" && !strings.ContainsAny(p.s, "*?[{/")
		}
		if d, ok := a.dlDir(argv, dir); literal && ok {
			for _, p := range pats {
				if a.dlFile(argv, d, p.s, false) {
					return kindOther
				}
			}
			return kindOther
		} else if !ok {
			return kindOther
		}
	}
	if out != nil && !(out.s == "-" && !out.dyn) {
		a.writeDest(argv, *out, false)
		return kindOther
	}
	d, ok := a.dlDir(argv, dir)
	if ok {
		a.dlUnknown(argv, d, sub[0] == "run", "the release's assets or the run's artifacts")
	}
	return kindOther
}

// fileURLPaths returns the local paths a file URL may name, or nil when s
// is not one: curl and gcloud read file:///p, file://localhost/p and
// file:/p, with the scheme in any case and percent-encoded bytes; gsutil
// takes what follows file:// as a path, relative included
// (file://planguard.hcl); a query or fragment may be dropped. Each is
// judged as the path it is (review hook33 F2).
func fileURLPaths(s string) []string {
	if len(s) < 5 || !strings.EqualFold(s[:5], "file:") {
		return nil
	}
	rest := s[5:]
	var raw []string
	if r, ok := strings.CutPrefix(rest, "//"); ok {
		raw = append(raw, r) // gsutil: file://x is x
		if i := strings.Index(r, "/"); i > 0 {
			raw = append(raw, r[i:]) // file://HOST/p: /p
		}
	} else {
		raw = append(raw, rest) // file:/p
	}
	var out []string
	add := func(p string) {
		if p == "" {
			return
		}
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	for _, p := range raw {
		cands := []string{p}
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			cands = append(cands, p[:i])
		}
		for _, c := range cands {
			add(c)
			if d, err := url.PathUnescape(c); err == nil {
				add(d)
			}
		}
	}
	return out
}

// remoteURLPaths are the paths on its host an upload into an sftp://,
// scp://, ftp:// or ftps:// URL may write, percent-decoded as curl
// decodes them, with and without a ?query or #fragment: sftp and scp
// read /~/ as the home directory (home, this machine's: the host may be
// this machine), ftp a path relative to the login directory (home too).
// A path it cannot decode is "". It is nil for other URLs.
func remoteURLPaths(s, home string) []string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return nil
	}
	scheme = strings.ToLower(scheme)
	if scheme != "sftp" && scheme != "scp" && scheme != "ftp" && scheme != "ftps" {
		return nil
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return nil // no path: curl appends the source's name to the login directory
	}
	raw := rest[i:]
	var out []string
	add := func(p string) {
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	cands := []string{raw}
	if j := strings.IndexAny(raw, "?#"); j >= 0 {
		cands = append(cands, raw[:j])
	}
	for _, c := range cands {
		d, err := url.PathUnescape(c)
		if err != nil || strings.ContainsRune(d, 0) {
			add("")
			continue
		}
		add(d)
		if home == "" {
			continue
		}
		rel, ok := d, scheme == "ftp" || scheme == "ftps"
		if !ok {
			rel, ok = strings.CutPrefix(d, "/~/")
		}
		if ok {
			p := path.Join(home, rel)
			if rel == "" || strings.HasSuffix(rel, "/") {
				p += "/" // a directory: curl appends the source's name
			}
			add(p)
		}
	}
	return out
}

// fileURLArgs judges gsutil's and gcloud storage's file:// operands: the
// arguments a protected file is named in, as URL or path (looseArgs,
// every reading of the URL), and it returns argv with each such operand
// replaced by the path gsutil takes from it (file://x is x, file:///p is
// /p), so the copy is judged as the copy between paths it is
// (gsutil cp -r file:///tmp/evil file:///home/u).
func (a *analyzer) fileURLArgs(argv []tok) []tok {
	var out []tok
	changed := false
	for _, t := range argv {
		if ps := fileURLPaths(t.s); !t.dyn && len(ps) > 0 {
			t = tok{s: ps[0]}
			changed = true
		}
		out = append(out, t)
	}
	if !changed {
		return argv
	}
	a.looseArgs(argv)
	return out
}

// curlFileUploads judges curl -T SRC file://PATH (review hook34 F10): an
// upload to a file:// URL ending in `/` (or `/.`, `/..`) writes PATH +
// the source's base name (PATH with its dot segments removed), and curl expands URL globs ([a-z], {a,b}) unless -g, so the path
// written is not the URL as written. A file:// URL with a glob, or ending
// in `/` with a source whose name is computed, is refused; otherwise the
// path with the name appended is judged as a write.
func (a *analyzer) curlFileUploads(argv []tok, uploads, urls []tok, globoff bool) bool {
	for _, u := range urls {
		if u.dyn && u.kind == dynGlob && u.w != nil {
			// file:///DIR/.?x: a glob that matches nothing stays as
			// written, and curl reads ?x as the URL's query.
			u = tok{s: globPattern(u.w)}
		}
		if u.dyn {
			continue // a computed URL: judged by the argument rules
		}
		paths, remote := fileURLPaths(u.s), false
		if len(paths) == 0 {
			// sftp://, scp:// and ftp:// uploads write the URL's path on
			// its host, which may be this machine, as scp HOST:PATH may
			// (review hook154 H3).
			if paths = remoteURLPaths(u.s, a.opts.Home); len(paths) == 0 {
				continue
			}
			remote = true
		}
		if !globoff && strings.ContainsAny(u.s, "{[") {
			a.refuse("`%s` uploads into a file://, sftp://, scp:// or ftp:// URL with a curl URL glob ({…}, […]), which names files the hook does not compute (they may be the policy, its allowed_signers or the agent's settings): write the file with cp, or add -g", truncateTok(argv))
			return true
		}
		for _, p := range paths {
			if p == "" {
				a.refuse("`%s` uploads into %s, whose path the hook cannot place (it may name the policy, its allowed_signers or the agent's settings)", truncateTok(argv), u.s)
				return true
			}
			// curl removes dot segments as text (RFC 3986): a path ending
			// in /. or /.. names a directory too, and curl appends the
			// source's base name to it (review hook35 F4).
			last := p[strings.LastIndex(p, "/")+1:]
			if !strings.HasSuffix(p, "/") && last != "." && last != ".." {
				if c := path.Clean(p); (c != p || remote) && a.writeDest(argv, tok{s: c}, false) {
					return true
				}
				continue
			}
			for _, src := range uploads {
				base := path.Base(src.s)
				if src.dyn || src.s == "-" || src.s == "." || (!globoff && strings.ContainsAny(src.s, "{[")) {
					a.refuse("`%s` uploads into a directory URL (%s), where curl names the file after the upload's source, which the hook cannot read here: name the file in the URL", truncateTok(argv), u.s)
					return true
				}
				if a.writeDest(argv, tok{s: path.Join(path.Clean(p), base)}, false) {
					return true
				}
			}
		}
	}
	return false
}
