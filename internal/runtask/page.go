package runtask

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
	"github.com/planguard/terraform-provider-planguard/internal/report"
)

// pageStyle is the page's only style sheet, inline and allowed by its hash
// in the Content-Security-Policy: no script, nothing loaded from anywhere.
const pageStyle = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem}.allow{color:#116329}.block{color:#a40e26}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
code,pre{font:13px ui-monospace,monospace}pre{background:#f6f8fa;padding:.7rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
section{border-top:1px solid #d0d7de;margin-top:1rem}.muted{color:#59636e}`

// ContentSecurityPolicy is sent with every page.
var ContentSecurityPolicy = func() string {
	sum := sha256.Sum256([]byte(pageStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

var pageTemplate = template.Must(template.New("run").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>planguard: {{.RunID}}</title><style>{{.Style}}</style></head>
<body>
<h1 id="decision" class="{{.Decision}}">{{.Summary}}</h1>
<p class="muted">Run <a id="run-link" href="{{.RunURL}}">{{.RunID}}</a> · {{.Organization}}/{{.Workspace}} · stage {{.Stage}} · decided {{.DecidedAt}}
· scope <code>{{.Scope}}</code> · plan <code>{{.PlanSHA256}}</code> · policy hash <code>{{.PolicySHA256}}</code></p>
{{range .Warnings}}<p class="warning">⚠ {{.}}</p>{{end}}
{{if .Changes}}
<h2>Destructive changes</h2>
<table id="changes"><thead><tr><th>#</th><th>Action</th><th>Address</th><th>Rules</th><th>Approvals</th><th>Verdict</th></tr></thead><tbody>
{{range .Changes}}<tr class="change" id="row-{{.N}}"><td>{{.N}}</td><td>{{.Action}}</td><td><code>{{.Where}}</code></td><td>{{.Rules}}</td><td class="count">{{.Count}}</td><td class="verdict">{{.Verdict}}</td></tr>
{{end}}</tbody></table>
{{range .Changes}}{{if .Protected}}
<section id="change-{{.N}}" class="detail">
<h3>{{.N}}. {{.Action}} <code>{{.Address}}</code> — {{.Verdict}}</h3>
<p>Rules: {{.Rules}}. Needs <b class="required">{{.Required}}</b> distinct approver(s){{if .RequireIdentity}}, bound to the object's identity{{end}}; counted <b class="counted">{{len .ApprovedBy}}</b>{{if .ApprovedBy}} (<span class="signers">{{range $i, $p := .ApprovedBy}}{{if $i}}, {{end}}{{$p}}{{end}}</span>){{end}}{{if .Missing}}; missing <b class="missing">{{.Missing}}</b>{{end}}.</p>
{{if .Problems}}<ul class="problems">{{range .Problems}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Command}}<p>To approve, an approver who is not the author downloads the plan JSON and runs:</p>
<pre class="approve">{{.Command}}</pre>{{end}}
</section>{{end}}{{end}}
{{else}}<p>No destructive changes.</p>{{end}}
{{if .Code}}
<h2>Code the apply would run</h2>
<table id="code"><thead><tr><th>Kind</th><th>Address</th><th>What</th><th>Approvals</th><th>Verdict</th></tr></thead><tbody>
{{range .Code}}<tr class="code"><td>{{.Kind}}</td><td><code>{{.Address}}</code></td><td>{{.What}}</td><td>{{.Count}}</td><td>{{.Verdict}}{{range .Problems}}<br>{{.}}{{end}}</td></tr>
{{end}}</tbody></table>
{{range .Code}}{{if .Command}}<pre class="approve">{{.Command}}</pre>{{end}}{{end}}
{{end}}
{{if .Approvals}}
<h2>Approvals in the plan</h2>
<table id="approvals"><thead><tr><th>Approval</th><th>Action</th><th>Target</th><th>Status</th><th>Signed by</th><th>Problems</th></tr></thead><tbody>
{{range .Approvals}}<tr><td><code>{{.Address}}</code></td><td>{{.Action}}</td><td><code>{{.Target}}</code></td><td>{{.Status}}</td><td>{{range $i, $p := .Principals}}{{if $i}}, {{end}}{{$p}}{{end}}</td><td>{{range $i, $p := .Problems}}{{if $i}}; {{end}}{{$p}}{{end}}</td></tr>
{{end}}</tbody></table>{{end}}
{{if .Blocked}}
<h2>Getting the plan JSON</h2>
<p>The approve commands read the run's plan JSON. With an HCP Terraform token that can read the workspace's runs:</p>
<pre id="download">{{.Download}}</pre>
<p>Commit the approval block it writes to the workspace's configuration; the next run is checked again.</p>
{{end}}
</body></html>
`))

type pageChange struct {
	N                                                      int
	Action, Address, Where, Rules, Count, Verdict, Command string
	Protected, RequireIdentity                             bool
	Required, Missing                                      int
	ApprovedBy, Problems                                   []string
}

type pageCode struct {
	Kind, Address, What, Count, Verdict, Command string
	Problems                                     []string
}

type pageData struct {
	Code                                                         []pageCode
	Style                                                        template.CSS
	RunID, RunURL, Organization, Workspace, Stage, DecidedAt     string
	Decision, Summary, Scope, PlanSHA256, PolicySHA256, Download string
	Blocked                                                      bool
	Warnings                                                     []string
	Changes                                                      []pageChange
	Approvals                                                    []gate.Approval
}

// maxPageBytes bounds one stored page.
const maxPageBytes = 2 << 20

// renderPage renders the decision page of a run. Every string from the
// plan goes through html/template's escaping.
func renderPage(req *Request, orig *gate.Report, apiOrigin Origin, decided time.Time) []byte {
	rep := report.ForHumans(orig)
	d := pageData{
		Style: template.CSS(pageStyle), RunID: req.RunID, RunURL: safeURL(req.RunAppURL), Organization: req.OrganizationName,
		Workspace: req.WorkspaceName, Stage: req.Stage, DecidedAt: decided.UTC().Format(time.RFC3339),
		Decision: string(rep.Decision), Summary: report.Summary(rep), Scope: rep.Scope, PlanSHA256: rep.Plan.SHA256,
		PolicySHA256: rep.PolicySHA256, Warnings: rep.Warnings, Approvals: rep.Approvals,
		Download: `curl -fsSL -H "Authorization: Bearer $TFE_TOKEN" \` + "\n  " + apiOrigin.String() + "/api/v2/runs/" + req.RunID + "/plan/json-output -o " + PlanFileName,
	}
	for i, c := range rep.Changes {
		oc := orig.Changes[i] // the approve command quotes the exact strings
		pc := pageChange{N: i + 1, Action: c.Action, Address: c.Address, Where: report.Where(c), Verdict: verdictOf(c),
			Protected: c.Protected, RequireIdentity: c.RequireIdentity, Required: c.RequiredApprovals,
			ApprovedBy: c.ApprovedBy, Problems: c.Problems, Rules: strings.Join(c.Rules, ", ")}
		if pc.Rules == "" {
			pc.Rules = "-"
		}
		pc.Count = "-"
		if c.Protected {
			pc.Count = fmt.Sprintf("%d/%d", len(c.ApprovedBy), c.RequiredApprovals)
			pc.Missing = max(0, c.RequiredApprovals-len(c.ApprovedBy))
		}
		if c.Blocked() {
			d.Blocked = true
			if !c.Deferred {
				pc.Command = report.ApproveCommand(oc, report.Options{PlanPath: PlanFileName})
			}
		}
		d.Changes = append(d.Changes, pc)
	}
	for i, p := range rep.Provisioners {
		pc := pageCode{Kind: "provisioner " + p.Type, Address: p.Address, What: strings.TrimSpace(p.When + " " + p.Command),
			Count: fmt.Sprintf("%d/%d", len(p.ApprovedBy), p.RequiredApprovals), Verdict: string(p.Status), Problems: p.Problems}
		if p.Blocked() {
			d.Blocked = true
			pc.Command = report.ProvisionApproveCommand(orig.Provisioners[i], report.Options{PlanPath: PlanFileName})
		}
		d.Code = append(d.Code, pc)
	}
	for _, p := range rep.Providers {
		if !p.Allowed {
			d.Code = append(d.Code, pageCode{Kind: "provider", Address: p.Source, What: "not in the policy's providers", Count: "-", Verdict: "blocked"})
		}
	}
	for i, iv := range rep.Invocations {
		pc := pageCode{Kind: "action " + iv.Type, Address: iv.Address, What: strings.TrimSpace(iv.Trigger + " " + iv.TriggeringResource + " " + iv.Event),
			Count: fmt.Sprintf("%d/%d", len(iv.ApprovedBy), iv.RequiredApprovals), Verdict: string(iv.Status), Problems: iv.Problems}
		if iv.Blocked() {
			d.Blocked = true
			pc.Command = report.InvokeApproveCommand(orig.Invocations[i], report.Options{PlanPath: PlanFileName})
		}
		d.Code = append(d.Code, pc)
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, d); err != nil || b.Len() > maxPageBytes {
		// A plan too big for a page: the callback's outcomes still say it all.
		b.Reset()
		d.Changes, d.Approvals, d.Warnings, d.Code = nil, nil, nil, nil
		d.Summary += " (too many changes to show here; see the run task's outcomes)"
		_ = pageTemplate.Execute(&b, d) // the same template on less data
	}
	return b.Bytes()
}

func verdictOf(c gate.Change) string {
	switch {
	case !c.Protected:
		return "not protected"
	case c.Approved:
		return "approved"
	}
	return "BLOCKED"
}

// safeURL keeps only http(s) links (html/template would also neutralise
// others, but an empty link reads better than #ZgotmplZ).
func safeURL(s string) string {
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return s
	}
	return ""
}
