package main

// planguardtest_file, the data source, is hashicorp/local's local_file
// data source: it reads the file at filename when it is read, at plan
// time, and its content is an attribute the plan carries. A provider whose
// objects are files on the host (the policy's host_writers) reads the host
// this way: the runner's tests use it for what local_file,
// local_sensitive_file and archive_file read at plan time.

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type readFile struct{}

type readFileModel struct {
	Filename types.String `tfsdk:"filename"`
	Content  types.String `tfsdk:"content"`
}

func (d *readFile) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = "planguardtest_file"
}

func (d *readFile) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dschema.Schema{Attributes: map[string]dschema.Attribute{
		"filename": dschema.StringAttribute{Required: true},
		"content":  dschema.StringAttribute{Computed: true},
	}}
}

func (d *readFile) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m readFileModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	b, err := os.ReadFile(m.Filename.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("read", err.Error())
		return
	}
	m.Content = types.StringValue(string(b))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
