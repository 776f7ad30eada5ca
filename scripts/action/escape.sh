# shellcheck shell=bash
# Sourced by install.sh and check.sh: the one helper through which every value
# that reaches the log goes. On GitHub a log line (stdout or stderr) that starts
# with "::" is a workflow command (::set-output, ::add-mask::, ::stop-commands::),
# so a value holding a newline could inject one. ghesc escapes a value as a
# workflow command's data: % as %25, CR as %0D, LF as %0A; the result is one
# line, and GitHub shows it decoded in annotations.

# ghesc VALUE...: print the escaped values (joined by spaces), no newline.
ghesc() {
	local s="$*"
	s="${s//%/%25}"
	s="${s//$'\r'/%0D}"
	printf '%s' "${s//$'\n'/%0A}"
}
