package shell

import (
	"path"
	"strings"
)

// rsyncValued are rsync's long options that take a value (rsync(1),
// 3.2), so that a value given as the next word is not read as an operand.
var rsyncValued = []string{"rsh", "rsync-path", "temp-dir", "filter", "exclude", "include", "exclude-from", "include-from",
	"files-from", "backup-dir", "suffix", "log-file", "log-file-format", "write-batch", "only-write-batch", "read-batch",
	"partial-dir", "compare-dest", "copy-dest", "link-dest", "password-file", "out-format", "chmod", "chown", "usermap",
	"groupmap", "timeout", "contimeout", "bwlimit", "max-size", "min-size", "max-delete", "block-size", "checksum-choice",
	"compress-choice", "compress-level", "skip-compress", "modify-window", "port", "sockopts", "iconv", "protocol", "info",
	"debug", "stderr", "remote-option", "config", "dparam", "address", "early-input", "checksum-seed", "max-alloc",
	"stop-after", "stop-at", "outbuf", "copy-as", "zc", "zl", "cc"}

// rsyncFlags are rsync's long options without a value, so that an
// abbreviation resolves as rsync's would (--backup is not --backup-dir).
var rsyncFlags = []string{"backup", "partial", "compress", "checksum", "copy-links", "copy-dirlinks", "copy-unsafe-links",
	"del", "delete", "delete-before", "delete-during", "delete-delay", "delete-after", "delete-excluded", "daemon", "dry-run",
	"archive", "recursive", "relative", "verbose", "quiet", "progress", "times", "perms", "owner", "group", "links",
	"hard-links", "acls", "xattrs", "update", "inplace", "append", "append-verify", "whole-file", "one-file-system",
	"existing", "ignore-existing", "remove-source-files", "remove-sent-files", "force", "prune-empty-dirs", "numeric-ids", "itemize-changes",
	"human-readable", "stats", "list-only", "mkpath", "sparse", "fuzzy", "cvs-exclude", "ignore-times", "size-only",
	"omit-dir-times", "omit-link-times", "devices", "specials", "executability", "safe-links", "munge-links", "keep-dirlinks",
	"no-implied-dirs", "from0", "protect-args", "secluded-args", "trust-sender", "old-args", "blocking-io", "ipv4", "ipv6",
	"version", "help", "super", "fake-super", "open-noatime", "preallocate", "atimes", "crtimes", "fsync", "write-devices",
	"copy-devices", "8-bit-output", "ignore-errors", "no-motd", "delay-updates", "dirs",
	"ignore-missing-args", "delete-missing-args", "msgs2stderr", "no-msgs2stderr"}

// rsyncWrites judges the files rsync writes besides its destination
// (review hook32 F5): --log-file, --write-batch and --only-write-batch
// (FILE and FILE.sh) as written files; --backup-dir, --partial-dir,
// --temp-dir (a directory it writes into, relative to the destination
// directory when relative) and --link-dest (whose files it hard-links
// into the destination) as directories that must hold no protected file;
// -b's backups beside the destination files (DEST+SUFFIX); --read-batch's
// destination, whose files the batch names. --daemon (its configuration
// and --dparam run commands: pre-xfer exec) and -M/--remote-option (an
// option for the other side, which may be this machine) are refused. It
// reports whether it refused.
func (a *analyzer) rsyncWrites(p *program, argv []tok) bool {
	opts, ops := p.operands(argv[1:])
	line := truncateTok(argv)
	var dst *tok
	if len(ops) >= 1 {
		d := ops[len(ops)-1]
		dst = &d
	}
	for _, op := range ops {
		// rsync runs `ssh HOST …`: a host that starts with a dash is an
		// ssh option (review hook66 H2: '-oProxyCommand=…:x').
		if host, ok := rsyncHost(op); ok && (host == "" || host[0] == '-' || strings.ContainsAny(host, " \t\n;|&$`'\"\\<>()*?")) {
			a.refuse("`%s`: the remote host %q starts with a dash or holds shell characters, and rsync passes it to ssh, which reads a dash as an option (-oProxyCommand=…): name a plain host", line, host)
			return true
		}
	}
	for _, o := range opts {
		// rsync runs `RSH HOST rsync --server …`: a remote shell other
		// than ssh (env, nice, busybox) runs that server here, in the
		// working directory, writing the "remote" path (review hook116
		// H2).
		if (o.name == "e" || o.name == "rsh") && (o.val.dyn || !sshCommand(o.val.s) || strings.ContainsAny(o.val.s, `\'"`)) {
			// rsync splits the value its own way (a backslash is no
			// escape, a doubled quote is a quote: review hook119 H6): only
			// plain words are read as it reads them.
			a.refuse("`%s`: %s %s runs rsync's other side through a program other than ssh, which may be this machine (env rsync --server writes the \"remote\" path here), or holds quotes or backslashes, which rsync splits otherwise than a shell: use plain ssh words", line, dashed(o.name), o.val)
			return true
		}
	}
	remoteDst := false
	if dst != nil && !dst.dyn {
		var rp string
		rp, remoteDst = remotePath(dst.s)
		// The other host may be this one (ssh localhost, the machine's
		// own name): its path, relative to the home directory, is judged
		// as a local one, as ssh HOST CMD is judged as a local command.
		if remoteDst && len(ops) >= 2 && (path.IsAbs(rp) || a.opts.Home != "") {
			if !path.IsAbs(rp) {
				rp = path.Join(a.opts.Home, strings.TrimPrefix(rp, "~/"))
			}
			if a.writeDest(argv, tok{s: rp}, true) {
				return true
			}
		}
	}
	if len(ops) < 2 && !hasOpt(opts, "read-batch") {
		dst = nil // rsync SRC lists it
	}
	backupDir := hasOpt(opts, "backup-dir")
	backup := hasOpt(opts, "b", "backup") || backupDir
	for _, o := range opts {
		switch o.name {
		case "daemon", "dparam", "config", "M", "remote-option":
			a.refuse("`%s`: %s makes rsync read settings or options the hook does not judge (a daemon's pre-xfer exec, the other side's --log-file), and the other side may be this machine: run rsync without it", line, dashed(o.name))
			return true
		case "log-file", "write-batch", "only-write-batch":
			if a.writeDest(argv, o.val, false) {
				return true
			}
			if o.name != "log-file" && !o.val.dyn {
				if a.writeDest(argv, tok{s: o.val.s + ".sh"}, false) {
					return true
				}
			}
		case "backup-dir", "partial-dir", "temp-dir", "T", "link-dest":
			if remoteDst {
				continue // on the other host, which receives
			}
			if a.rsyncDir(argv, o, dst) {
				return true
			}
		case "read-batch":
			if dst != nil && !remoteDst && a.writeDest(argv, *dst, true) {
				return true
			}
		}
	}
	if !backup || backupDir || dst == nil || remoteDst {
		return false
	}
	// -b without --backup-dir: DEST+SUFFIX beside every file it replaces.
	suffix := tok{s: "~"}
	for _, o := range opts {
		if o.name == "suffix" {
			suffix = o.val
		}
	}
	if suffix.dyn || dst.dyn {
		a.refuse("`%s` writes backups under a name computed at run time (the destination plus --suffix), which may be a protected file: name literal paths", line)
		return true
	}
	if q := a.derivedName(dst.s+suffix.s, false); q != "" {
		a.refuse("`%s` writes %s, a backup named after the destination plus --suffix, which holds the gate's trust", line, q)
		return true
	}
	if StateFile(dst.s+suffix.s) && !StateFile(dst.s) {
		a.refuse("`%s` writes %s, a backup named after the destination plus --suffix, which is a Terraform state file's name%s", line, dst.s+suffix.s, stateFileWhy)
		return true
	}
	if suffix.s != "~" && suffix.s != "" {
		// A directory destination: its files plus the suffix, any name.
		return a.writeDest(argv, *dst, true)
	}
	return false
}

// sshCommand reports whether a remote-shell command line runs ssh (ssh,
// /usr/bin/ssh -p 2222).
func sshCommand(s string) bool {
	f := strings.Fields(s)
	return len(f) > 0 && baseName(f[0]) == "ssh"
}

// rsyncDir judges a directory rsync writes into (or links from): an
// absolute one as it is, a relative one both from the working directory
// and from the destination directory, which rsync resolves it against.
func (a *analyzer) rsyncDir(argv []tok, o opt, dst *tok) bool {
	v := o.val
	if v.dyn {
		a.refuse("`%s`: %s names a directory computed at run time, which may hold the policy, its allowed_signers or the agent's settings: name a literal directory such as /tmp/DIR", truncateTok(argv), dashed(o.name))
		return true
	}
	if strings.HasPrefix(v.s, "/") || strings.HasPrefix(v.s, "~/") {
		return a.writeDest(argv, v, true)
	}
	if a.writeDest(argv, v, true) {
		return true
	}
	if dst == nil {
		return false
	}
	if dst.dyn {
		a.refuse("`%s`: %s is relative to the destination directory, which is computed at run time: name an absolute directory such as /tmp/DIR", truncateTok(argv), dashed(o.name))
		return true
	}
	d := strings.TrimSuffix(dst.s, "/")
	for _, base := range []string{d, path.Dir(d)} {
		if base == "" {
			base = "/"
		}
		if a.writeDest(argv, tok{s: strings.TrimSuffix(base, "/") + "/" + v.s}, true) {
			return true
		}
	}
	return false
}

// rsyncHost is the host of a remote rsync operand (HOST:PATH,
// [USER@]HOST::MODULE, rsync://[USER@]HOST[:PORT]/…), without its user.
func rsyncHost(op tok) (string, bool) {
	if op.dyn {
		return "", false
	}
	if _, remote := remotePath(op.s); !remote {
		return "", false
	}
	s := op.s
	if rest, ok := strings.CutPrefix(s, "rsync://"); ok {
		s, _, _ = strings.Cut(rest, "/")
	} else if rest, ok := strings.CutPrefix(s, "scp://"); ok {
		s, _, _ = strings.Cut(rest, "/")
	} else if rest, ok := strings.CutPrefix(s, "sftp://"); ok {
		s, _, _ = strings.Cut(rest, "/")
	} else {
		s, _, _ = strings.Cut(s, ":")
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	return s, true
}
