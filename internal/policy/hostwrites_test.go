package policy

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestHostWriters: hashicorp/local and hashicorp/archive write on the apply
// host whatever the policy says; host_writers adds to them.
func TestHostWriters(t *testing.T) {
	p := mustParse(t, execBase)
	for _, src := range DefaultHostWriters {
		if !p.WritesHost(src) {
			t.Errorf("WritesHost(%s) = false for a default host writer", src)
		}
	}
	if p.WritesHost("registry.terraform.io/hashicorp/aws") || p.WritesHost("example.com/acme/files") {
		t.Error("a provider no list names writes on the host")
	}
	if (&Policy{}).WritesHost("registry.terraform.io/hashicorp/local") != true {
		t.Error("a Policy not made by Parse lost the defaults")
	}
	p = mustParse(t, execBase+`host_writers = ["example.com/acme/*"]
`)
	if !p.WritesHost("example.com/acme/files") || !p.WritesHost("registry.opentofu.org/hashicorp/archive") {
		t.Error("host_writers does not add to the defaults")
	}
	if len(p.AllowHostWrites) != 0 || p.AllowingHostWrite("local_file.x", "/srv/x") != nil {
		t.Error("a policy without allow_host_writes allows a write")
	}
}

// TestAllowingHostWrite: an allowance needs both its address and its path;
// '*' in a path stays within one element.
func TestAllowingHostWrite(t *testing.T) {
	p := mustParse(t, execBase+`allow_host_writes "kube" {
  addresses = ["local_file.kubeconfig", "module.app.local_file.out[*]"]
  paths     = ["/srv/deploy/kubeconfig", "/srv/out/*.yaml"]
}
allow_host_writes "zip" {
  addresses = ["data.archive_file.lambda"]
  paths     = ["/srv/build/lambda.zip"]
}
`)
	for _, c := range []struct {
		addr, file string
		want       []string
	}{
		{"local_file.kubeconfig", "/srv/deploy/kubeconfig", []string{"kube"}},
		{"local_file.kubeconfig", "/srv/out/a.yaml", []string{"kube"}},
		{"local_file.kubeconfig", "/srv/out/sub/a.yaml", nil}, // '*' does not cross '/'
		{"local_file.kubeconfig", "/srv/deploy/kubeconfig2", nil},
		{"local_file.other", "/srv/deploy/kubeconfig", nil},
		{`module.app.local_file.out["a"]`, "/srv/out/b.yaml", []string{"kube"}},
		{"data.archive_file.lambda", "/srv/build/lambda.zip", []string{"zip"}},
		{"data.archive_file.lambda", "/srv/deploy/kubeconfig", nil},
		{"archive_file.lambda", "/srv/build/lambda.zip", nil},
	} {
		if got := p.AllowingHostWrite(c.addr, c.file); !slices.Equal(got, c.want) {
			t.Errorf("AllowingHostWrite(%s, %s) = %q, want %q", c.addr, c.file, got, c.want)
		}
	}
}

func TestHostWritesErrors(t *testing.T) {
	block := func(addrs, paths string) string {
		return "allow_host_writes \"x\" {\n  addresses = " + addrs + "\n  paths = " + paths + "\n}"
	}
	for name, c := range map[string]struct{ src, want string }{
		"bad source":        {`host_writers = ["local"]`, "want a provider source address"},
		"no paths":          {"allow_host_writes \"x\" {\n  addresses = [\"local_file.a\"]\n}", `"paths" is required`},
		"no addresses":      {"allow_host_writes \"x\" {\n  paths = [\"/srv/a\"]\n}", `"addresses" is required`},
		"every address":     {block(`["*"]`, `["/srv/a"]`), "an allowance for every address would allow any write"},
		"relative path":     {block(`["local_file.a"]`, `["out/a"]`), "want an absolute path"},
		"dot dot":           {block(`["local_file.a"]`, `["/srv/../home/a"]`), "want a clean path"},
		"trailing slash":    {block(`["local_file.a"]`, `["/srv/a/"]`), "want a clean path"},
		"double star":       {block(`["local_file.a"]`, `["/srv/**"]`), `"**" is not supported`},
		"root wildcard":     {block(`["local_file.a"]`, `["/*"]`), "only the last element"},
		"wildcard dir":      {block(`["local_file.a"]`, `["/srv/*/a"]`), "only the last element"},
		"bad pattern":       {block(`["local_file.a"]`, `["/srv/[a"]`), "not a valid pattern"},
		"backslash":         {block(`["local_file.a"]`, `["/srv/a\\b"]`), "may not contain"},
		"empty paths":       {block(`["local_file.a"]`, `[]`), "lists nothing"},
		"unknown attribute": {"allow_host_writes \"x\" {\n  addresses = [\"local_file.a\"]\n  paths = [\"/srv/a\"]\n  types = [\"local_file\"]\n}", "Unsupported argument"},
		"duplicate":         {block(`["local_file.a"]`, `["/srv/a"]`) + "\n" + block(`["local_file.b"]`, `["/srv/b"]`), "Duplicate allow_host_writes block"},
		"bad name":          {"allow_host_writes \"a b\" {\n  addresses = [\"local_file.a\"]\n  paths = [\"/srv/a\"]\n}", "Invalid allow_host_writes name"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(execBase+c.src+"\n"), "policy.hcl")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestHostWritesHashed: the settings are part of the policy's bytes, so
// the policy hash covers them.
func TestHostWritesHashed(t *testing.T) {
	a := mustParse(t, execBase)
	b := mustParse(t, execBase+`host_writers = ["example.com/acme/files"]
`)
	if a.SHA256 == b.SHA256 {
		t.Error("host_writers does not change the policy's hash")
	}
}

// TestGuideHostWrites parses the guide's allow_host_writes example and
// checks what the guide says it allows.
func TestGuideHostWrites(t *testing.T) {
	b, err := os.ReadFile(guide)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)### Files the apply writes on its machine\n.*?```hcl\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("no example under the host writes section of the guide")
	}
	p := mustParse(t, execBase+string(m[1]))
	if !p.WritesHost("registry.example.com/acme/files") || !p.WritesHost("registry.terraform.io/hashicorp/local") {
		t.Error("the guide's host_writers does not say what the guide says")
	}
	if got := p.AllowingHostWrite("data.archive_file.lambda", "/srv/build/lambda.zip"); !slices.Equal(got, []string{"lambda-zip"}) {
		t.Errorf("the guide's allowance allows %q", got)
	}
	if p.AllowingHostWrite("data.archive_file.lambda", "/srv/build/other.zip") != nil {
		t.Error("the guide's allowance allows another file")
	}
}
