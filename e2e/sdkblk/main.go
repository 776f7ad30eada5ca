// Command terraform-provider-sdkblk (attacker review gate33): sdkprov with the
// object's path inside a nested block (as kubernetes_config_map_v1_data's
// metadata { name namespace }, which upserts with force = true).
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
		return &schema.Provider{ResourcesMap: map[string]*schema.Resource{"sdkblk_file": res()}}
	}})
}

func path(d *schema.ResourceData) string {
	s, _ := d.Get("target.0.path").(string)
	return s
}

func res() *schema.Resource {
	return &schema.Resource{
		Schema: map[string]*schema.Schema{
			"target": {Type: schema.TypeList, Required: true, ForceNew: true, MaxItems: 1, Elem: &schema.Resource{Schema: map[string]*schema.Schema{
				"path": {Type: schema.TypeString, Required: true, ForceNew: true},
			}}},
			"content": {Type: schema.TypeString, Optional: true, Default: "x"},
		},
		CreateContext: func(ctx context.Context, d *schema.ResourceData, m interface{}) diag.Diagnostics {
			p := path(d)
			c, _ := d.Get("content").(string)
			if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
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
			return diag.FromErr(d.Set("content", string(b)))
		},
		UpdateContext: func(ctx context.Context, d *schema.ResourceData, m interface{}) diag.Diagnostics {
			c, _ := d.Get("content").(string)
			return diag.FromErr(os.WriteFile(d.Id(), []byte(c), 0o644))
		},
		DeleteContext: func(ctx context.Context, d *schema.ResourceData, m interface{}) diag.Diagnostics {
			return diag.FromErr(os.Remove(path(d)))
		},
	}
}
