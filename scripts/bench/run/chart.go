package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var (
	white  = color.RGBA{255, 255, 255, 255}
	black  = color.RGBA{30, 30, 30, 255}
	grey   = color.RGBA{200, 200, 200, 255}
	colors = map[string]color.RGBA{
		"cat":             {140, 140, 140, 255},
		"planguard check": {120, 190, 90, 255},
		"DecodeFull":      {70, 110, 200, 255},
		"tfjson.Plan":     {150, 90, 190, 255},
		"jq":              {220, 120, 40, 255},
	}
)

type canvas struct{ *image.RGBA }

func (c canvas) rect(x0, y0, x1, y1 int, col color.Color) {
	if y1 < y0 {
		y0, y1 = y1, y0
	}
	draw.Draw(c.RGBA, image.Rect(x0, y0, x1, y1), &image.Uniform{col}, image.Point{}, draw.Src)
}

func (c canvas) text(x, y int, s string, col color.Color) {
	d := font.Drawer{Dst: c.RGBA, Src: &image.Uniform{col}, Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func textWidth(s string) int { return len(s) * 7 }

// panel draws grouped bars of value(row, tool) on a log scale.
func (c canvas) panel(x0, y0, w, h int, title, unit string, rows []row, names []string, tools []int, value func(r row, t int) (float64, bool)) {
	c.text(x0, y0-8, title, black)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		for _, t := range tools {
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
		label := fmt.Sprintf("%g %s", v, unit)
		c.text(x0-textWidth(label)-4, yy+4, label, black)
	}
	c.rect(x0, y0+h, x0+w, y0+h+1, black)
	group := w / len(rows)
	bar := (group - 16) / len(tools)
	for i, r := range rows {
		gx := x0 + i*group + 8
		for j, t := range tools {
			bx := gx + j*bar
			v, ok := value(r, t)
			if !ok {
				c.text(bx+1, y0+h-4, "x", colors[names[t]])
				continue
			}
			c.rect(bx+1, y(math.Max(v, math.Pow(10, dlo))), bx+bar-1, y0+h, colors[names[t]])
		}
		label := thousands(r.n)
		c.text(gx+(group-16-textWidth(label))/2, y0+h+16, label, black)
	}
	c.text(x0+w/2-textWidth("resource changes")/2, y0+h+32, "resource changes", black)
}

func writeChart(path string, rows []row, tools []tool, machine string) error {
	const W, H = 1200, 520
	c := canvas{image.NewRGBA(image.Rect(0, 0, W, H))}
	c.rect(0, 0, W, H, white)
	c.text(20, 22, "planguard: reading a plan, whole processes, same files, same run (log scales; x = skipped)", black)
	c.text(20, 40, machine, black)
	all := make([]int, len(tools))
	names := make([]string, len(tools))
	for i, t := range tools {
		all[i], names[i] = i, t.name
	}
	c.panel(90, 90, 480, 330, "throughput (MB of plan JSON per second of wall time, higher is better)", "MB/s", rows, names, all, func(r row, t int) (float64, bool) {
		res := r.results[t]
		if res.skipped != "" {
			return 0, false
		}
		return mbps(r.bytes, res.wall), true
	})
	c.panel(700, 90, 480, 330, "peak resident memory (MiB, lower is better)", "MiB", rows, names, all, func(r row, t int) (float64, bool) {
		res := r.results[t]
		if res.skipped != "" {
			return 0, false
		}
		return float64(res.peakKB) / 1024, true
	})
	// Legend.
	x := 90
	for _, t := range tools {
		c.rect(x, H-34, x+14, H-20, colors[t.name])
		c.text(x+20, H-22, t.name, black)
		x += 40 + textWidth(t.name)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, c.RGBA); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return f.Close()
}
