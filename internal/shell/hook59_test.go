package shell

import "testing"

// Review hook59 H1: inside double quotes (and an unquoted here-document),
// bash reads single quotes in the word of ${x-…}, ${x:+…}, ${x=…} as plain
// characters, so the $(…) between them runs; the hook's parser, on the
// line and on bash's printing of it alike, read them as quotes.

var h59Refused = []h32Case{
	{cmd: "echo \"${x-'$(@TF@ destroy -auto-approve -input=false >&2)'}\"", victim: "state"},
	{cmd: "cat <<EOF\n${x-'$(@TF@ destroy -auto-approve -input=false >&2)'}\nEOF", victim: "state"},
	{cmd: "echo \"${x-'$(cat ../e.json > ../planguard.hcl)'}\"", victim: "policy"},
	{cmd: "echo \"${x:+'`terraform destroy`'}\""},
	{cmd: "echo \"${x:='$(terraform destroy)'}\""},
}

var h59Allowed = []string{
	"echo \"${x:-default}\"",
	"echo ${x-'$(literal)'}",
	"cat <<'EOF'\n${x-'$(literal)'}\nEOF",
	"echo \"${x#'a'}\" \"${x%'.tf'}\"",
}

func TestHook59Refused(t *testing.T) {
	hookRefused(t, h59Refused)
}

func TestHook59Allowed(t *testing.T) {
	hookAllowed(t, h59Allowed)
}

// TestHook59BashRuns runs the spellings with a victim in bash over a real
// applied state (hookBashRuns).
func TestHook59BashRuns(t *testing.T) {
	hookBashRuns(t, h59Refused, bashRuns{line: h37Line})
}
