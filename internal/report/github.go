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

// Render writes the annotations of the sections in order; a new section
// is one method here.
func (g githubRenderer) Render(w io.Writer, orig *gate.Report) error {
	r := forHumans(orig) // shown to people: untrusted strings made printable
	bw := bufio.NewWriter(w)
	g.changes(bw, r, orig)
	g.certificates(bw, r)
	for _, w := range r.Warnings {
		fmt.Fprintf(bw, "::warning title=planguard::%s\n", ghData(w))
	}
	g.provisioners(bw, r, orig)
	g.providers(bw, r)
	g.endpoints(bw, r)
	g.providerCode(bw, r)
	g.actions(bw, r, orig)
	level := "notice"
	if r.Decision == gate.Block {
		level = "error"
	}
	fmt.Fprintf(bw, "::%s title=planguard::%s\n", level, ghData(Summary(r)))
	return bw.Flush()
}

// The sections take the printable report r and, for the approve commands
// (which quote the exact strings), orig.

func (g githubRenderer) changes(bw io.Writer, r, orig *gate.Report) {
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
}

// certificates names the user certificates that signed the approvals, so
// that a run's log says which certificate to revoke if one was misused.
func (g githubRenderer) certificates(bw io.Writer, r *gate.Report) {
	for _, a := range r.Approvals {
		if len(a.Certificates) == 0 {
			continue
		}
		words := make([]string, len(a.Certificates))
		for i, c := range a.Certificates {
			words[i] = certificateWords(c)
		}
		fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty("planguard: "+a.Address+" signed with certificates"),
			ghData(a.Action+" "+a.Target+": "+strings.Join(words, ", ")+" ("+string(a.Status)+")"))
	}
}

func (g githubRenderer) provisioners(bw io.Writer, r, orig *gate.Report) {
	for i, p := range r.Provisioners {
		title := "planguard: " + p.Type + " provisioner of " + p.Address
		if p.Blocked() {
			fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" blocked"),
				ghData("runs "+provisionCommand(p)+": "+strings.Join(p.Problems, "; ")+". To approve: "+ProvisionApproveCommand(orig.Provisioners[i], g.opts)))
			continue
		}
		fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData("runs "+provisionCommand(p)+": "+judged(p.Verdict)))
	}
}

func (g githubRenderer) providers(bw io.Writer, r *gate.Report) {
	for _, p := range r.Providers {
		if !p.Allowed {
			fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty("planguard: provider "+provider(p.Source)+" not allowed"),
				ghData("the policy's providers list does not allow "+provider(p.Source)))
		}
	}
}

func (g githubRenderer) endpoints(bw io.Writer, r *gate.Report) {
	for _, e := range r.ProviderEndpoints {
		fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty("planguard: provider configuration "+e.Name+" names its endpoint"),
			ghData(endpointText(e)+": the apply's credentials reach whatever it names"))
	}
}

func (g githubRenderer) actions(bw io.Writer, r, orig *gate.Report) {
	for i, iv := range r.Invocations {
		title := "planguard: action " + iv.Address
		if iv.Blocked() {
			fmt.Fprintf(bw, "::error title=%s::%s\n", ghProperty(title+" blocked"),
				ghData("invoked by "+invocationTrigger(iv)+": "+strings.Join(iv.Problems, "; ")+". To approve: "+InvokeApproveCommand(orig.Invocations[i], g.opts)))
			continue
		}
		fmt.Fprintf(bw, "::notice title=%s::%s\n", ghProperty(title), ghData("invoked by "+invocationTrigger(iv)+": "+judged(iv.Verdict)))
	}
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// Failed writes an error annotation that says the check failed, and why.
func (g githubRenderer) Failed(w io.Writer, err error) error {
	_, werr := fmt.Fprintf(w, "::error title=planguard::%s\n", ghData(printable(failedLine(err))))
	return werr
}
