package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

// githubRenderer writes GitHub Actions workflow commands (annotations).
type githubRenderer struct{ opts Options }

func (g githubRenderer) Render(w io.Writer, orig *gate.Report) error {
	r := forHumans(orig) // shown to people: untrusted strings made printable
	bw := bufio.NewWriter(w)
	for i, c := range r.Changes {
		if !c.Protected {
			continue
		}
		if c.Blocked() {
			fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty("planguard: "+c.Action+" "+Where(c)+" blocked"),
				ghData(strings.Join(c.Problems, "; ")+". To approve: "+ApproveCommand(orig.Changes[i], g.opts)))
			continue
		}
		fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty("planguard: "+c.Action+" "+Where(c)+" approved"),
			ghData("approved by "+strings.Join(c.ApprovedBy, ", ")))
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(bw, "::warning title=planguard::%s\n", ghData(w))
	}
	g.provisionGitHub(bw, r, orig)
	g.actionGitHub(bw, r, orig)
	level := "notice"
	if r.Decision == gate.Block {
		level = "error"
	}
	fmt.Fprintf(bw, "::%s title=planguard::%s\n", level, ghData(Summary(r)))
	return bw.Flush()
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
