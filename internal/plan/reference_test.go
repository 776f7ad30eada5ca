package plan_test

import (
	"github.com/planguard/terraform-provider-planguard/internal/plan"
	"github.com/planguard/terraform-provider-planguard/internal/plan/planref"
)

func init() {
	plan.SetReference(planref.DecodeFull, planref.DecodeTokens, planref.ErrFullOnly, planref.DecodeFullKeeping)
}
