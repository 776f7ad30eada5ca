// Command terraform-provider-sdkobj is the e2e tests' provider on
// terraform-plugin-sdk v2 (attacker review gate16b): its objects are files; its
// Delete removes d.Get("path") (the usual SDKv2 pattern: aws_s3_object
// deletes d.Get("bucket")/d.Get("key"), aws_route53_record its zone/name/type,
// google_* resources "{{project}}/{{name}}" from d.Get).
package main

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{ProviderFunc: func() *schema.Provider {
		return &schema.Provider{ResourcesMap: map[string]*schema.Resource{"sdkobj_file": res()}}
	}})
}

func res() *schema.Resource {
	return &schema.Resource{
		Importer: &schema.ResourceImporter{StateContext: schema.ImportStatePassthroughContext},
		Schema: map[string]*schema.Schema{
			"path":    {Type: schema.TypeString, Required: true, ForceNew: true},
			"content": {Type: schema.TypeString, Optional: true, Default: "x"},
		},
		CreateContext: func(ctx context.Context, d *schema.ResourceData, m interface{}) diag.Diagnostics {
			p := str(d, "path")
			if err := os.WriteFile(p, []byte(str(d, "content")), 0o644); err != nil {
				return diag.FromErr(err)
			}
			d.SetId(p)
			return nil
		},
		ReadContext: func(ctx context.Context, d *schema.ResourceData, m interface{}) diag.Diagnostics {
			b, err := os.ReadFile(d.Id())
			if os.IsNotExist(err) {
				d.SetId("")
				return nil
			} else if err != nil {
				return diag.FromErr(err)
			}
			if err := d.Set("path", d.Id()); err != nil {
				return diag.FromErr(err)
			}
			return diag.FromErr(d.Set("content", string(b)))
		},
		UpdateContext: func(ctx context.Context, d *schema.ResourceData, m interface{}) diag.Diagnostics {
			return diag.FromErr(os.WriteFile(d.Id(), []byte(str(d, "content")), 0o644))
		},
		DeleteContext: func(ctx context.Context, d *schema.ResourceData, m interface{}) diag.Diagnostics {
			return diag.FromErr(os.Remove(str(d, "path")))
		},
	}
}

// str is the string value of attribute k ("" when it is not a string).
func str(d *schema.ResourceData, k string) string {
	s, _ := d.Get(k).(string)
	return s
}
