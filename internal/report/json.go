package report

import (
	"encoding/json"
	"io"

	"github.com/planguard/terraform-provider-planguard/internal/gate"
)

type jsonRenderer struct{}

func (jsonRenderer) Render(w io.Writer, r *gate.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
