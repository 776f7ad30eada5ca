package plan

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

const local = "registry.terraform.io/hashicorp/local"

// hostChange is a resource_changes element of provider p with the given
// actions, before, after and after_unknown.
func hostChange(addr, mode, typ, p, actions, before, after, unknown string) string {
	return `{"address":"` + addr + `","mode":"` + mode + `","type":"` + typ + `","name":"x","provider_name":"` + p + `","change":{"actions":` + actions +
		`,"before":` + before + `,"after":` + after + `,"after_unknown":` + unknown + `,"before_sensitive":{},"after_sensitive":{}}}`
}

// TestHostWrites: both readers list every create, update, replace and
// delete of a managed resource, and every data source read during the
// apply, with the file it names (filename, else output_path) as planned;
// an unknown file is marked so; with Options.HostWriter only the
// providers it selects.
func TestHostWrites(t *testing.T) {
	in := planJSON(
		hostChange("local_file.a", "managed", "local_file", local, `["create"]`, `null`, `{"filename":"/srv/a","content":"x"}`, `{"id":true}`),
		hostChange("local_file.b", "managed", "local_file", local, `["create"]`, `null`, `{"content":"x"}`, `{"filename":true,"id":true}`),
		hostChange("local_file.c", "managed", "local_file", local, `["delete","create"]`, `{"filename":"/srv/old","id":"1"}`, `{"filename":"/srv/new"}`, `{"id":true}`),
		hostChange("local_file.d", "managed", "local_file", local, `["delete"]`, `{"filename":"/srv/d","id":"1"}`, `null`, `{}`),
		hostChange("local_file.e", "managed", "local_file", local, `["no-op"]`, `{"filename":"/srv/e"}`, `{"filename":"/srv/e"}`, `{}`),
		hostChange("data.archive_file.z", "data", "archive_file", "registry.terraform.io/hashicorp/archive", `["read"]`, `null`, `{"output_path":"/srv/z.zip"}`, `{"output_sha":true}`),
		hostChange("data.archive_file.u", "data", "archive_file", "registry.terraform.io/hashicorp/archive", `["read"]`, `null`, `{}`, `true`),
		hostChange("aws_s3_object.o", "managed", "aws_s3_object", "registry.terraform.io/hashicorp/aws", `["create"]`, `null`, `{"key":"k"}`, `{}`),
		hostChange("local_file.n", "managed", "local_file", local, `["create"]`, `null`, `{"filename":7}`, `{}`),
	)
	p, err := decodeBoth(t, in)
	if err != nil {
		t.Fatal(err)
	}
	archive := "registry.terraform.io/hashicorp/archive"
	want := []HostWrite{
		{Address: "local_file.a", Mode: "managed", Type: "local_file", ProviderName: local, Action: KindCreate, PathAttribute: "filename", Path: "/srv/a"},
		{Address: "local_file.b", Mode: "managed", Type: "local_file", ProviderName: local, Action: KindCreate, PathAttribute: "filename", PathUnknown: true},
		{Address: "local_file.c", Mode: "managed", Type: "local_file", ProviderName: local, Action: KindReplace, PathAttribute: "filename", Path: "/srv/new", PriorPath: "/srv/old"},
		{Address: "local_file.d", Mode: "managed", Type: "local_file", ProviderName: local, Action: KindDelete, PathAttribute: "filename", PriorPath: "/srv/d"},
		{Address: "data.archive_file.z", Mode: "data", Type: "archive_file", ProviderName: archive, Action: KindRead, PathAttribute: "output_path", Path: "/srv/z.zip"},
		{Address: "data.archive_file.u", Mode: "data", Type: "archive_file", ProviderName: archive, Action: KindRead, PathAttribute: "filename", PathUnknown: true},
		{Address: "aws_s3_object.o", Mode: "managed", Type: "aws_s3_object", ProviderName: "registry.terraform.io/hashicorp/aws", Action: KindCreate},
		{Address: "local_file.n", Mode: "managed", Type: "local_file", ProviderName: local, Action: KindCreate, PathAttribute: "filename", PathUnknown: true},
	}
	if !reflect.DeepEqual(p.HostWrites, want) {
		t.Errorf("HostWrites =\n%+v\nwant\n%+v", p.HostWrites, want)
	}

	// The gate's reader: only the providers the filter selects, also
	// under GateOnly (which keeps no creates).
	p, err = decodeWithOptions(strings.NewReader(in), Options{GateOnly: true, HostWriter: func(s string) bool { return s == local }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range p.HostWrites {
		got = append(got, w.Address)
	}
	if want := []string{"local_file.a", "local_file.b", "local_file.c", "local_file.d", "local_file.n"}; !reflect.DeepEqual(got, want) {
		t.Errorf("with a filter: %q, want %q", got, want)
	}
	// A data source read with a duplicate key in after is malformed, in
	// both readers: its file is read.
	dup := planJSON(hostChange("data.archive_file.z", "data", "archive_file", archive, `["read"]`, `null`, `{"output_path":"/srv/a","output_path":"/srv/b"}`, `{}`))
	if _, err := decodeBoth(t, dup); err == nil {
		t.Error("a data source read with a duplicate output_path was accepted")
	}
}

// TestApplyTimeProviders: both readers list the provider configurations
// whose arguments (nested blocks included) refer to anything but input
// variables, with the shortest form of each reference.
func TestApplyTimeProviders(t *testing.T) {
	in := `{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"provider_config":{` +
		`"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","expressions":{"region":{"references":["var.region"]}}},` +
		`"aws.late":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","alias":"late","expressions":{"shared_config_files":{"references":["local_file.cfg.filename","local_file.cfg"]},"profile":{"constant_value":"ci"}}},` +
		`"module.m:kubernetes":{"name":"kubernetes","full_name":"registry.terraform.io/hashicorp/kubernetes","module_address":"module.m","expressions":{"exec":[{"args":{"references":["data.aws_eks_cluster.c.name","data.aws_eks_cluster.c","local.x","path.module"]}}]}}` +
		`},"root_module":{}}}`
	p, err := sameAsFull(t, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []ApplyTimeProvider{
		{Name: "aws.late", Provider: "aws", Source: "registry.terraform.io/hashicorp/aws", References: []string{"local_file.cfg"}},
		{Name: "module.m:kubernetes", Provider: "kubernetes", Source: "registry.terraform.io/hashicorp/kubernetes", References: []string{"data.aws_eks_cluster.c", "local.x"}},
	}
	if !reflect.DeepEqual(p.ApplyTimeProviders, want) {
		t.Errorf("ApplyTimeProviders = %+v, want %+v", p.ApplyTimeProviders, want)
	}
	if p, err := sameAsFull(t, bytes.ReplaceAll([]byte(in), []byte(`"local_file.cfg.filename","local_file.cfg"`), []byte(`"var.f"`))); err != nil || len(p.ApplyTimeProviders) != 1 {
		t.Errorf("a variable alone made a configuration apply-time: %+v, %v", p.ApplyTimeProviders, err)
	}
}
