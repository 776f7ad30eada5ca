package main

import (
	"path/filepath"
	"regexp"
	"strings"
)

// jsSpace is JavaScript's \s (and what String.prototype.trim removes):
// Gemini CLI is written in TypeScript, and its regular expressions match
// these, not Go's ASCII \s.
const jsSpace = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// geminiWrapperRe is Gemini CLI's stripShellWrapper pattern
// (packages/core/src/utils/shell-utils.ts), case-insensitive as there.
var geminiWrapperRe = regexp.MustCompile(`(?i)^[` + jsSpace + `]*(?:(?:(?:[^` + jsSpace + `]+/)?(?:sh|bash|zsh))[` + jsSpace + `]+-c|cmd\.exe[` + jsSpace + `]+/c|powershell(?:\.exe)?[` + jsSpace + `]+(?:-NoProfile[` + jsSpace + `]+)?-Command|pwsh(?:\.exe)?[` + jsSpace + `]+(?:-NoProfile[` + jsSpace + `]+)?-Command)[` + jsSpace + `]+`)

func jsTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
			return true
		}
		return r >= 0x2000 && r <= 0x200a
	})
}

func jsTrimEnd(s string) string {
	t := jsTrim("x" + s)
	return t[1:]
}

// geminiStripShellWrapper is the text Gemini CLI's shell tool runs for a
// command: a leading `sh -c`/`bash -c`/`zsh -c` is cut off and one pair of
// outer quotes removed, without unescaping what is inside (both of its
// variants: trimmed, and keeping trailing white space). `sh -c "echo \";
// terraform destroy; echo \""` runs `echo \"; terraform destroy; echo \"`.
func geminiStripShellWrapper(command string) []string {
	m := geminiWrapperRe.FindStringIndex(command)
	if m == nil {
		return []string{jsTrim(command), command}
	}
	rest := command[m[1]:]
	var out []string
	// preserveTrailingWhitespace = false
	t := jsTrim(rest)
	if len(t) >= 2 && (t[0] == '"' && t[len(t)-1] == '"' || t[0] == '\'' && t[len(t)-1] == '\'') {
		t = t[1 : len(t)-1]
	}
	out = append(out, t)
	// preserveTrailingWhitespace = true
	if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
		if e := jsTrimEnd(rest); len(e) >= 2 && e[len(e)-1] == rest[0] {
			out = append(out, e[1:len(e)-1])
		} else {
			out = append(out, rest)
		}
	} else {
		out = append(out, rest)
	}
	return out
}

// geminiUnescaped reports what Gemini CLI (0.61 and later) reads
// otherwise than the hook in a leading POSIX `-c` wrapper whose script is
// double-quoted: it then runs shell-quote's parse of that text (when the
// parse is one string), which drops the backslash of \", \\ and \$ only
// (bash also drops it before a backquote and a newline) and rewrites
// ${NAME} to $NAME. A backslash or `${` there is refused ("" when none):
// the hook judges bash's reading and the plain strip, not that one.
func geminiUnescaped(command string) string {
	m := geminiWrapperRe.FindStringSubmatchIndex(command)
	if m == nil {
		return ""
	}
	if !strings.HasSuffix(jsTrim(command[:m[1]]), "-c") && !strings.HasSuffix(jsTrim(command[:m[1]]), "-C") {
		return "" // cmd.exe /c, PowerShell -Command: stripped plainly
	}
	t := jsTrim(command[m[1]:])
	if len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' {
		return ""
	}
	switch {
	case strings.Contains(t, "\\"):
		return "a backslash"
	case strings.Contains(t, "${"):
		return "`${`"
	}
	return ""
}

// joinDir is the directory a shell tool runs in: d (absolute, or relative
// to cwd), or cwd when d is empty.
func joinDir(cwd, d string) string {
	switch {
	case d == "":
		return cwd
	case cwd != "" && !filepath.IsAbs(d):
		// Not cleaned: filepath.EvalSymlinks resolves a `..` after a
		// linked directory as the kernel does.
		return strings.TrimSuffix(cwd, "/") + "/" + d
	}
	return d
}

// truncate shortens s for a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
