package shell

import "testing"

// Review hook65 (on 8993b0b): an alias value with an open quote takes in
// the text after the name (H1); descriptors that lead back to a stdin
// script (<&0, </dev/stdin, 3<&0) and select read its next lines (H2);
// aliases named like bash keywords expand where the hook reads syntax (H3).

var h65Refused = []h32Case{
	// H1
	{cmd: "sh -c $'alias A=\"echo \\'\"\\nA \\'; @TF@ destroy -auto-approve -input=false #\\'\"\\'\" \\'\" #\\''", victim: "state"},
	{cmd: "alias A=\"echo '\"\nA '; terraform destroy -auto-approve #'\"'\" '\" #'"},
	{cmd: "alias A='echo \\'\nA ;x"},
	{cmd: "alias td='terraform destroy -auto-approve'"},
	// H2
	{cmd: "bash <<'EOF'\nhead -c 8 <&0 >/dev/null\n: <<'X'\n@TF@ destroy -auto-approve -input=false\nX\nEOF", victim: "state"},
	{cmd: "bash <<'EOF'\nselect x in a; do break; done 2>/dev/null\n: <<'X'\n@TF@ destroy -auto-approve -input=false\nX\nEOF", victim: "state"},
	{cmd: "bash <<'EOF'\nread -u 3 x 3<&0 </dev/null\n: <<'X'\n@TF@ destroy -auto-approve -input=false\nX\nEOF", victim: "state"},
	{cmd: "bash <<'EOF'\nhead -c 8 0<&0 >/dev/null\n: <<'X'\nterraform destroy -auto-approve\nX\nEOF"},
	{cmd: "bash <<'EOF'\nhead -c 8 </dev/stdin >/dev/null\n: <<'X'\nterraform destroy -auto-approve\nX\nEOF"},
	{cmd: "bash <<'EOF'\nhead -c 8 </dev/fd/0 >/dev/null\n: <<'X'\nterraform destroy -auto-approve\nX\nEOF"},
	{cmd: "bash <<'EOF'\nhead -c 8 </proc/self/fd/0 >/dev/null\n: <<'X'\nterraform destroy -auto-approve\nX\nEOF"},
	{cmd: "bash <<'EOF'\n{ head -c 8 <&3; } 3<&0 >/dev/null\n: <<'X'\nterraform destroy -auto-approve\nX\nEOF"},
	// H3
	{cmd: "bash -i -c $'alias if=\\'@TF@ destroy -auto-approve -input=false; if\\'\\nif true; then :; fi' </dev/null", victim: "state"},
	{cmd: "alias while='terraform destroy -auto-approve; while'"},
	{cmd: "alias '{'='terraform destroy -auto-approve; {'"},
	{cmd: "alias '[['=x"},
	{cmd: "alias coproc=x"},
}

var h65Allowed = []string{
	"alias ll='ls -la'",
	"alias gs='git status'",
	"alias tp='terraform plan -out tfplan'",
	"bash <<'EOF'\ngrep -c x <main.tf\n: <<'X'\ntext\nX\nEOF",
}

func TestHook65Refused(t *testing.T) {
	hookRefused(t, h65Refused)
}

func TestHook65Allowed(t *testing.T) {
	hookAllowed(t, h65Allowed)
}

// TestHook65BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook65BashRuns(t *testing.T) {
	hookBashRuns(t, h65Refused, bashRuns{line: h37Line})
}
