// Command run is planguard's end-to-end benchmark (make bench). For each
// size it generates a plan of that many resource changes (package gen, from
// a real Terraform fixture), then measures, as whole processes, on the same
// file in the same run:
//
//   - cat FILE > /dev/null: reading the file, the floor;
//   - planguard check: the gate, everything included (policy, trust file,
//     plan, signatures, decision, text report);
//   - check (all protected): the same with a policy that protects every
//     terraform_data, so that the reader keeps every prior object for
//     matching by id (the most memory the gate needs for a state);
//   - fulldecode: the reference decoder planref.DecodeFull (strictness walk +
//     tfjson.Plan with encoding/json);
//   - fulldecode -tfjson: json.Unmarshal into terraform-json's tfjson.Plan;
//   - jq: the one-liner CI scripts use to find deletions.
//
// Wall time is the best of -runs runs (one run above 1 GB of plan, and for
// the full decoders and jq above 100 MB), peak
// memory the child's maximum resident set size (getrusage). The file is read
// once before measuring, so that every tool reads it from the page cache.
// Tools that would need more memory than -max-gb (estimated from the
// previous size) are skipped and reported as such rather than run out of
// memory.
//
// It prints a table, writes it as markdown (-md) and draws a chart as SVG
// (-svg). -tools measures only some tools (and writes neither); -redraw
// draws the chart again from the markdown table without measuring.
//
//	go run ./scripts/bench/run -sizes 1000,10000,100000,1000000
//	go run ./scripts/bench/run -sizes 100000 -tools 'planguard check,check (all protected)'
//	go run ./scripts/bench/run -redraw
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/planguard/terraform-provider-planguard/scripts/bench/gen"
)

// tool is one measured command.
type tool struct {
	name string
	args func(plan string) []string // argv, given the plan path
	// okExit are the exit statuses that mean success.
	okExit []int
	// skipBig makes the tool eligible for skipping when it would need more
	// than -max-gb of memory.
	skipBig bool
}

// result is one tool on one size.
type result struct {
	wall    time.Duration
	mbps    float64 // MB of plan per second of wall time
	peakMiB float64 // peak resident set size
	skipped string  // why not run
}

type row struct {
	n       int
	bytes   int64
	results []result
}

func main() {
	sizes := flag.String("sizes", "1000,10000,100000,1000000", "comma-separated numbers of resource changes")
	dir := flag.String("dir", filepath.Join(os.Getenv("HOME"), ".cache", "planguard", "bench"), "work `DIR` for plans and binaries (outside the repository)")
	fixture := flag.String("fixture", "internal/plan/testdata/terraform/destroy.json", "real plan JSON the generated plans take their shape from")
	runs := flag.Int("runs", 3, "runs per measurement (best is kept; 1 above 1 GB)")
	maxGB := flag.Float64("max-gb", 12, "skip the full decoders and jq when they would need more than this many GB")
	svgPath := flag.String("svg", "docs/images/bench.svg", "chart `FILE`")
	mdPath := flag.String("md", "scripts/bench/results.md", "markdown table `FILE`")
	keep := flag.Bool("keep", false, "keep generated plans above 1 GB")
	only := flag.String("tools", "", "comma-separated `NAMES` of the only tools to measure (then no table or chart is written)")
	redraw := flag.Bool("redraw", false, "draw the chart from the -md table, measuring nothing")
	flag.Parse()
	var err error
	if *redraw {
		err = redrawChart(*mdPath, *svgPath)
	} else {
		err = run(*sizes, *dir, *fixture, *runs, *maxGB, *svgPath, *mdPath, *keep, *only)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(sizeList, dir, fixture string, runs int, maxGB float64, svgPath, mdPath string, keep bool, only string) error {
	var sizes []int
	for _, s := range strings.Split(sizeList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return fmt.Errorf("bad size %q", s)
		}
		sizes = append(sizes, n)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fix, err := os.ReadFile(fixture)
	if err != nil {
		return err
	}
	jq, err := exec.LookPath("jq")
	if err != nil {
		return fmt.Errorf("jq is needed for the comparison: %w", err)
	}
	bin := func(name string) string { return filepath.Join(dir, name) }
	for _, b := range []struct{ out, pkg string }{{bin("planguard"), "./planguard"}, {bin("fulldecode"), "./scripts/bench/fulldecode"}} {
		if err := build(b.out, b.pkg); err != nil {
			return err
		}
	}
	if err := gen.WritePolicy(dir); err != nil {
		return fmt.Errorf("write policy: %w", err)
	}
	policy := filepath.Join(dir, "planguard.hcl")
	tools := []tool{
		{name: "cat", args: func(p string) []string { return []string{"cat", p} }},
		{name: "planguard check", args: func(p string) []string {
			return []string{bin("planguard"), "check", "--policy", policy, "--now", "2026-11-25T12:00:00Z", p}
		}, okExit: []int{0, 1}},
		{name: "check (all protected)", args: func(p string) []string {
			return []string{bin("planguard"), "check", "--policy", filepath.Join(dir, gen.AllProtectedPolicy), "--now", "2026-11-25T12:00:00Z", p}
		}, okExit: []int{0, 1}},
		{name: "DecodeFull", args: func(p string) []string { return []string{bin("fulldecode"), p} }, skipBig: true},
		{name: "tfjson.Plan", args: func(p string) []string { return []string{bin("fulldecode"), "-tfjson", p} }, skipBig: true},
		{name: "jq", args: func(p string) []string {
			return []string{jq, `[.resource_changes[] | select(.change.actions | index("delete"))] | length`, p}
		}, skipBig: true},
	}

	if only != "" {
		var keep []tool
		for _, name := range strings.Split(only, ",") {
			i := slices.IndexFunc(tools, func(t tool) bool { return t.name == strings.TrimSpace(name) })
			if i < 0 {
				return fmt.Errorf("no tool %q", name)
			}
			keep = append(keep, tools[i])
		}
		tools = keep
	}
	machine := machineInfo()
	fmt.Println(machine)
	var rows []row
	for _, n := range sizes {
		path := filepath.Join(dir, fmt.Sprintf("plan-%d.json", n))
		size, err := generate(path, fix, n)
		if err != nil {
			return err
		}
		fmt.Printf("\n%d changes: %s (%.0f MB)\n", n, path, float64(size)/1e6)
		// A child's peak resident size, as the kernel reports it, is never
		// below this process's own at the fork: give back what generating
		// the plan used, so that the floor is low.
		debug.FreeOSMemory()
		// Into the page cache, unmeasured.
		if _, err := measure([]string{"cat", path}, nil); err != nil {
			return err
		}
		r := row{n: n, bytes: size}
		for ti, t := range tools {
			if t.skipBig && len(rows) > 0 {
				prev := rows[len(rows)-1]
				if pr := prev.results[ti]; pr.skipped == "" {
					est := pr.peakMiB * (1 << 20) * float64(size) / float64(prev.bytes) / 1e9
					if est > maxGB {
						res := result{skipped: fmt.Sprintf("skipped (would need ~%.0f GB)", est)}
						r.results = append(r.results, res)
						fmt.Printf("  %-16s %s\n", t.name, res.skipped)
						continue
					}
				} else {
					r.results = append(r.results, result{skipped: pr.skipped})
					fmt.Printf("  %-16s %s\n", t.name, pr.skipped)
					continue
				}
			}
			k := runs
			if size > 1e9 || (t.skipBig && size > 1e8) {
				k = 1 // the slow tools on big plans: one run is long enough
			}
			var best result
			for i := 0; i < k; i++ {
				res, err := measure(t.args(path), t.okExit)
				if err != nil {
					return fmt.Errorf("%s on %d changes: %w", t.name, n, err)
				}
				if i == 0 || res.wall < best.wall {
					best.wall = res.wall
				}
				best.peakMiB = max(best.peakMiB, res.peakMiB)
			}
			best.mbps = mbps(size, best.wall)
			r.results = append(r.results, best)
			fmt.Printf("  %-22s %8.3f s %8.0f MB/s %8.1f MiB peak\n", t.name, best.wall.Seconds(), best.mbps, best.peakMiB)
		}
		rows = append(rows, r)
		if size > 1e9 && !keep {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.name
	}
	md := table(rows, names, machine)
	fmt.Println()
	fmt.Print(md)
	if only != "" {
		return nil
	}
	if err := os.WriteFile(mdPath, []byte(md), 0o644); err != nil {
		return err
	}
	return writeChart(svgPath, rows, names, machine)
}

func build(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

func generate(path string, fixture []byte, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	if err := gen.Plan(f, fixture, n, 5); err != nil {
		f.Close()
		return 0, fmt.Errorf("generate %d changes: %w", n, err)
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// measure runs argv with its output discarded and returns its wall time and
// peak resident set size.
func measure(argv []string, okExit []int) (result, error) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return result{}, err
	}
	defer null.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = null, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		ok := false
		for _, c := range okExit {
			ok = ok || c == code
		}
		if !ok {
			return result{}, fmt.Errorf("%s: %w: %s", argv[0], err, strings.TrimSpace(stderr.String()))
		}
	} else if err != nil {
		return result{}, fmt.Errorf("%s: %w", argv[0], err)
	}
	peak, ok := peakRSSKB(cmd.ProcessState)
	if !ok {
		return result{}, errors.New("no resource usage of the child")
	}
	return result{wall: wall, peakMiB: float64(peak) / 1024}, nil
}

func mbps(size int64, d time.Duration) float64 { return float64(size) / 1e6 / d.Seconds() }

// machineInfo describes the machine: CPU model, cores, memory, Go.
func machineInfo() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/(1<<20))
		}
	}
	return fmt.Sprintf("%s, %d cores%s, %s %s/%s", cpu, runtime.NumCPU(), mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func table(rows []row, tools []string, machine string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured by `make bench` on %s, %s.\n\n", machine, time.Now().UTC().Format("2006-01-02"))
	b.WriteString("| changes | plan size |")
	for _, t := range tools {
		fmt.Fprintf(&b, " %s |", t)
	}
	b.WriteString(" check vs jq (wall) | check vs cat (wall) |\n|---:|---:|")
	for range tools {
		b.WriteString("---|")
	}
	b.WriteString("---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %.0f MB |", thousands(r.n), float64(r.bytes)/1e6)
		for _, res := range r.results {
			if res.skipped != "" {
				fmt.Fprintf(&b, " %s |", res.skipped)
				continue
			}
			fmt.Fprintf(&b, " %s, %.0f MB/s, %.0f MiB |", dur(res.wall), res.mbps, res.peakMiB)
		}
		tool := func(name string) result {
			if i := slices.Index(tools, name); i >= 0 {
				return r.results[i]
			}
			return result{skipped: "not measured"}
		}
		check := tool("planguard check")
		for _, other := range []string{"jq", "cat"} {
			if o := tool(other); o.skipped == "" && check.skipped == "" {
				fmt.Fprintf(&b, " %.3gx |", check.wall.Seconds()/o.wall.Seconds())
			} else {
				b.WriteString(" - |")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nEach cell: wall time (best of 3; one run above 1 GB, and for the full decoders and jq above 100 MB), throughput, peak resident memory of the process. The ratios are of the planguard check column.\n")
	return b.String()
}

func dur(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// redrawChart draws the chart from a table that table wrote.
func redrawChart(mdPath, svgPath string) error {
	md, err := os.ReadFile(mdPath)
	if err != nil {
		return err
	}
	bad := func(line string) error { return fmt.Errorf("%s: cannot read the line %q", mdPath, line) }
	var machine string
	var names []string
	var rows []row
	for _, line := range strings.Split(string(md), "\n") {
		if m, ok := strings.CutPrefix(line, "Measured by `make bench` on "); ok {
			if i := strings.LastIndex(m, ", "); i >= 0 {
				machine = m[:i]
			}
			continue
		}
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) < 5 {
			return bad(line)
		}
		cells = cells[:len(cells)-2] // the ratios
		if cells[0] == "changes" {
			names = cells[2:]
			continue
		}
		n, err1 := strconv.Atoi(strings.ReplaceAll(cells[0], ",", ""))
		mb, err2 := strconv.ParseFloat(strings.TrimSuffix(cells[1], " MB"), 64)
		if err1 != nil || err2 != nil || len(cells)-2 != len(names) {
			return bad(line)
		}
		r := row{n: n, bytes: int64(mb * 1e6)}
		for _, cell := range cells[2:] {
			var res result
			var wall, unit string
			if strings.HasPrefix(cell, "skipped") {
				res.skipped = cell
			} else if _, err := fmt.Sscanf(cell, "%s %s %g MB/s, %g MiB", &wall, &unit, &res.mbps, &res.peakMiB); err != nil {
				return bad(line)
			} else if res.wall, err = time.ParseDuration(wall + strings.TrimSuffix(unit, ",")); err != nil {
				return bad(line)
			}
			r.results = append(r.results, res)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no table", mdPath)
	}
	return writeChart(svgPath, rows, names, machine)
}
