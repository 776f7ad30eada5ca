package main

// The chart is SVG written with the standard library: text stays text (no
// font rasterizer, so no golang.org/x/image in the module for one picture),
// and the file is small and diffs as text.

import (
	"fmt"
	"html"
	"math"
	"os"
	"strings"
)

const (
	black = "#1e1e1e"
	grey  = "#c8c8c8"
)

// colors are the bars' colors by tool name; a tool without one is grey.
var colors = map[string]string{
	"cat":                   "#8c8c8c",
	"planguard check":       "#78be5a",
	"check (all protected)": "#2e8b57",
	"DecodeFull":            "#466ec8",
	"tfjson.Plan":           "#965abe",
	"jq":                    "#dc7828",
}

func colorOf(name string) string {
	if c, ok := colors[name]; ok {
		return c
	}
	return grey
}

type svg struct{ b strings.Builder }

func (c *svg) rect(x0, y0, x1, y1 int, col string) {
	if y1 < y0 {
		y0, y1 = y1, y0
	}
	fmt.Fprintf(&c.b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", x0, y0, x1-x0, y1-y0, col)
}

// text writes s with its baseline at y, starting at x (anchor "start"),
// centred on x ("middle") or ending at x ("end").
func (c *svg) text(x, y int, anchor, s, col string) {
	fmt.Fprintf(&c.b, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\">%s</text>\n", x, y, anchor, col, html.EscapeString(s))
}

// panel draws grouped bars of value(row, tool) on a log scale.
func (c *svg) panel(x0, y0, w, h int, title, unit string, rows []row, names []string, value func(r row, t int) (float64, bool)) {
	c.text(x0, y0-8, "start", title, black)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		for t := range names {
			if v, ok := value(r, t); ok && v > 0 {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 1) {
		return
	}
	dlo, dhi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if dhi == dlo {
		dhi++
	}
	y := func(v float64) int { return y0 + h - int(float64(h)*(math.Log10(v)-dlo)/(dhi-dlo)) }
	// Grid and axis labels, one per decade.
	for d := dlo; d <= dhi; d++ {
		v := math.Pow(10, d)
		yy := y(v)
		c.rect(x0, yy, x0+w, yy+1, grey)
		c.text(x0-4, yy+4, "end", fmt.Sprintf("%g %s", v, unit), black)
	}
	c.rect(x0, y0+h, x0+w, y0+h+1, black)
	group := w / len(rows)
	bar := (group - 16) / len(names)
	for i, r := range rows {
		gx := x0 + i*group + 8
		for t, name := range names {
			bx := gx + t*bar
			v, ok := value(r, t)
			if !ok {
				c.text(bx+bar/2, y0+h-4, "middle", "x", colorOf(name))
				continue
			}
			c.rect(bx+1, y(math.Max(v, math.Pow(10, dlo))), bx+bar-1, y0+h, colorOf(name))
		}
		c.text(gx+(group-16)/2, y0+h+16, "middle", thousands(r.n), black)
	}
	c.text(x0+w/2, y0+h+32, "middle", "resource changes", black)
}

func writeChart(path string, rows []row, names []string, machine string) error {
	const W, H = 1200, 520
	var c svg
	fmt.Fprintf(&c.b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"12\">\n", W, H, W, H)
	c.rect(0, 0, W, H, "#ffffff")
	c.text(20, 22, "start", "planguard: reading a plan, whole processes, same files, same run (log scales; x = skipped)", black)
	c.text(20, 40, "start", machine, black)
	c.panel(90, 90, 480, 330, "throughput (MB of plan JSON per second of wall time, higher is better)", "MB/s", rows, names, func(r row, t int) (float64, bool) {
		res := r.results[t]
		return res.mbps, res.skipped == ""
	})
	c.panel(700, 90, 480, 330, "peak resident memory (MiB, lower is better)", "MiB", rows, names, func(r row, t int) (float64, bool) {
		res := r.results[t]
		return res.peakMiB, res.skipped == ""
	})
	// Legend.
	x := 90
	for _, name := range names {
		c.rect(x, H-34, x+14, H-20, colorOf(name))
		c.text(x+20, H-22, "start", name, black)
		x += 40 + 7*len(name)
	}
	c.b.WriteString("</svg>\n")
	return os.WriteFile(path, []byte(c.b.String()), 0o644)
}
