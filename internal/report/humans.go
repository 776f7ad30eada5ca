package report

import "github.com/planguard/terraform-provider-planguard/internal/gate"

// ForHumans returns a copy of r whose untrusted strings (addresses,
// principals, problems) are made safe to show: what every human-facing
// renderer shows, for renderers outside this package (the run task's
// decision page).
func ForHumans(r *gate.Report) *gate.Report { return forHumans(r) }
