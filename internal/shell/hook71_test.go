package shell

import "testing"

// Review hook71 (on 303c78d): a shell started in a multibyte locale other
// than UTF-8 reads `中\"` as a character and a quote, where every reading
// of the hook (UTF-8) sees an escaped quote (H1); glibc loads locales from
// LOCPATH, which the line may have written with localedef.

var h71Refused = []h32Case{
	{cmd: "mkdir -p /tmp/loc71; localedef -i zh_CN -f GBK /tmp/loc71/zh_CN.GBK; LOCPATH=/tmp/loc71 LC_ALL=zh_CN.GBK bash -c 'echo \"中\\\" ; @TF@ destroy -auto-approve -input=false # \"'", needs: "localedef /usr/share/i18n/charmaps/GBK.gz /usr/share/i18n/locales/zh_CN", victim: "state"},
	{cmd: "LC_ALL=zh_CN.GBK bash -c 'echo \"中\\\" ; terraform destroy -auto-approve # \"'"},
	{cmd: "export LOCPATH=/tmp/loc LC_ALL=zh_CN.GBK; bash -c 'echo hi'"},
	{cmd: "env LANG=ja_JP.SJIS bash -c 'echo hi'"},
	{cmd: "bash -c 'LC_ALL=zh_TW.BIG5\necho hi'"},
	{cmd: "LC_CTYPE=\"$L\" bash -c 'echo hi'"},
	{cmd: "GCONV_PATH=/tmp/g iconv -f x -t y f"},
}

var h71Allowed = []string{
	"LC_ALL=C sort f",
	"LANG=en_US.UTF-8 git log",
	"LC_ALL=C.utf8 grep -r x .",
	"export LANG=de_DE.UTF-8@euro",
	"LC_ALL=POSIX ls",
	"LANG= make test",
}

func TestHook71Refused(t *testing.T) {
	hookRefused(t, h71Refused)
}

func TestHook71Allowed(t *testing.T) {
	hookAllowed(t, h71Allowed)
}

// TestHook71BashRuns runs the spelling in bash over a real applied state
// (hookBashRuns); it needs localedef and the locales' GBK sources.
func TestHook71BashRuns(t *testing.T) {
	hookBashRuns(t, h71Refused, bashRuns{line: h37Line})
}
