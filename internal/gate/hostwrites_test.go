package gate

import (
	"slices"
	"strings"
	"testing"

	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/policy"
)

// TestHostWrites: a change of a provider that writes on the apply host
// blocks unless an allow_host_writes block names its address and the
// absolute path it writes, known at plan time and outside the system's and
// the job's directories; a relative path (the room, with the providers
// Terraform launches), an unknown one, or one under a directory the job
// uses can never be allowed; a replace that moves the file needs both
// paths; other providers are not judged unless host_writers names them.
func TestHostWrites(t *testing.T) {
	f := setup(t)
	pol, err := policy.Parse([]byte(policySrc+`
host_writers = ["example.com/acme/files"]
allow_host_writes "kube" {
  addresses = ["local_file.kube", "data.archive_file.zip", "acme_file.x"]
  paths     = ["/srv/deploy/kubeconfig", "/srv/deploy/*.zip", "/home/runner/kubeconfig", "/data/job/*"]
}
`), "planguard.hcl")
	if err != nil {
		t.Fatal(err)
	}
	const local, archive = "registry.terraform.io/hashicorp/local", "registry.opentofu.org/hashicorp/archive"
	write := func(addr, provider string, kind plan.Kind, path string) plan.HostWrite {
		mode := "managed"
		if kind == plan.KindRead {
			mode = "data"
		}
		typ := strings.Split(strings.TrimPrefix(addr, "data."), ".")[0]
		return plan.HostWrite{Address: addr, Mode: mode, Type: typ, ProviderName: provider, Action: kind, PathAttribute: "filename", Path: path}
	}
	unknown := write("local_file.kube", local, plan.KindCreate, "")
	unknown.PathUnknown = true
	noAttr := write("acme_file.x", "example.com/acme/files", plan.KindCreate, "")
	noAttr.PathAttribute = ""
	moved := write("local_file.kube", local, plan.KindReplace, "/srv/deploy/kubeconfig")
	moved.PriorPath = "/srv/old/kubeconfig"
	deleted := write("local_file.kube", local, plan.KindDelete, "")
	deleted.PriorPath = "/srv/deploy/kubeconfig"
	jobDirs := []HostDir{{Path: "/data/job/room", Why: "the room"}, {Path: "/data/job/bin", Why: "a directory on $PATH"}}
	for _, c := range []struct {
		name     string
		writes   []plan.HostWrite
		dirs     []HostDir
		decision Decision
		problem  string
		by       []string
	}{
		{name: "allowed exactly", writes: []plan.HostWrite{write("local_file.kube", local, plan.KindCreate, "/srv/deploy/kubeconfig")}, decision: Allow, by: []string{"kube"}},
		{name: "another file", writes: []plan.HostWrite{write("local_file.kube", local, plan.KindCreate, "/srv/deploy/kubeconfig2")}, decision: Block,
			problem: `allow_host_writes "NAME" { addresses = ["local_file.kube"], paths = ["/srv/deploy/kubeconfig2"] }`},
		{name: "another address", writes: []plan.HostWrite{write("local_file.other", local, plan.KindCreate, "/srv/deploy/kubeconfig")}, decision: Block, problem: "no allow_host_writes block"},
		{name: "relative: the room", writes: []plan.HostWrite{write("local_file.kube", local, plan.KindCreate, ".terraform/providers/x/terraform-provider-x")}, decision: Block,
			problem: "a relative path is written in Terraform's working directory"},
		{name: "not clean", writes: []plan.HostWrite{write("local_file.kube", local, plan.KindCreate, "/srv/deploy/../../home/runner/x")}, decision: Block, problem: "the path is not clean"},
		{name: "under a system directory, though allowed", writes: []plan.HostWrite{write("local_file.kube", local, plan.KindCreate, "/home/runner/kubeconfig")}, decision: Block,
			problem: "it lies under /home"},
		{name: "under a directory of the job, though allowed", writes: []plan.HostWrite{write("local_file.kube", local, plan.KindCreate, "/data/job/room")}, dirs: jobDirs, decision: Block,
			problem: "it lies under /data/job/room (the room)"},
		{name: "beside the job's directories", writes: []plan.HostWrite{write("local_file.kube", local, plan.KindCreate, "/data/job/out")}, dirs: jobDirs, decision: Allow, by: []string{"kube"}},
		{name: "a relative host dir blocks everything", writes: []plan.HostWrite{write("local_file.kube", local, plan.KindCreate, "/srv/deploy/kubeconfig")}, dirs: []HostDir{{Path: ".", Why: "odd"}}, decision: Block},
		{name: "unknown path", writes: []plan.HostWrite{unknown}, decision: Block, problem: "is known only during the apply; no policy can allow it"},
		{name: "no path attribute", writes: []plan.HostWrite{noAttr}, decision: Block, problem: "it reads the file from filename or output_path, which acme_file does not set"},
		{name: "replace that moves the file", writes: []plan.HostWrite{moved}, decision: Block, problem: `paths = ["/srv/old/kubeconfig"]`},
		{name: "delete of an allowed file", writes: []plan.HostWrite{deleted}, decision: Allow, by: []string{"kube"}},
		{name: "archive read at apply", writes: []plan.HostWrite{write("data.archive_file.zip", archive, plan.KindRead, "/srv/deploy/f.zip")}, decision: Allow, by: []string{"kube"}},
		{name: "archive read at apply, another file", writes: []plan.HostWrite{write("data.archive_file.zip", archive, plan.KindRead, "/srv/deploy/sub/f.zip")}, decision: Block},
		{name: "a provider that writes nothing", writes: []plan.HostWrite{write("aws_s3_object.x", "registry.terraform.io/hashicorp/aws", plan.KindCreate, "/etc/passwd")}, decision: Allow},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &plan.Plan{HostWrites: c.writes}
			r, err := Decide(Input{Plan: p, Policy: pol, Trust: f.trust, Now: now, HostDirs: c.dirs})
			if err != nil {
				t.Fatal(err)
			}
			if r.Decision != c.decision {
				t.Errorf("decision %s, want %s: %+v", r.Decision, c.decision, r.HostWrites)
			}
			if r.BlockedByHostWrites() != (c.decision == Block) || r.BlockedByCode() != (c.decision == Block) {
				t.Errorf("BlockedByHostWrites %v, BlockedByCode %v", r.BlockedByHostWrites(), r.BlockedByCode())
			}
			var problems []string
			for _, w := range r.HostWrites {
				problems = append(problems, w.Problem)
				if w.Allowed != (w.Problem == "") || w.Allowed != (len(w.AllowedBy) > 0) {
					t.Errorf("inconsistent verdict %+v", w)
				}
			}
			if !strings.Contains(strings.Join(problems, "\n"), c.problem) {
				t.Errorf("problems %q lack %q", problems, c.problem)
			}
			if c.by != nil && (len(r.HostWrites) != 1 || !slices.Equal(r.HostWrites[0].AllowedBy, c.by)) {
				t.Errorf("allowed by %+v, want %q", r.HostWrites, c.by)
			}
		})
	}
}

// TestHostWritesDefaultPolicy: with no host write settings, a local_file
// create blocks, and the report carries the provider configurations that
// refer to what the plan has not applied yet, without blocking for them.
func TestHostWritesDefaultPolicy(t *testing.T) {
	f := setup(t)
	late := []plan.ApplyTimeProvider{{Name: "aws.late", Provider: "aws", Source: "registry.terraform.io/hashicorp/aws", References: []string{"local_file.cfg"}}}
	p := &plan.Plan{ApplyTimeProviders: late}
	r, err := Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision != Allow || !slices.EqualFunc(r.ApplyTimeProviders, late, func(a, b plan.ApplyTimeProvider) bool { return a.Name == b.Name }) {
		t.Errorf("apply-time providers alone: %s, %+v", r.Decision, r.ApplyTimeProviders)
	}
	p.HostWrites = []plan.HostWrite{{Address: "local_file.cfg", Mode: "managed", Type: "local_file", ProviderName: "registry.terraform.io/hashicorp/local", Action: plan.KindCreate, PathAttribute: "filename", Path: "/srv/cfg.ini"}}
	r, err = Decide(Input{Plan: p, Policy: f.pol, Trust: f.trust, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision != Block || len(r.HostWrites) != 1 || !strings.Contains(r.HostWrites[0].Problem, "no allow_host_writes block") {
		t.Errorf("a local_file create under the default policy: %s, %+v", r.Decision, r.HostWrites)
	}
}
