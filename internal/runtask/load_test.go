package runtask

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeLoad drives one planguard serve process with 200 run task
// requests, blocked and approved plans alternating, twice:
//
//   - paced: at most 20 runs outstanding (request sent, callback not yet
//     in), as 20 concurrent runs in HCP Terraform would be; every run gets
//     exactly one callback with the right decision;
//   - burst: 200 requests from 20 senders without waiting for callbacks,
//     far past the 4 workers and the queue of 64; every run still gets
//     exactly one callback, its decision or "busy" (a 503, when not even
//     that fits, is retried as HCP Terraform retries).
//
// Nothing is lost or doubled, and the process's peak memory stays bounded.
func TestServeLoad(t *testing.T) {
	const total, parallel = 200, 20
	h := newHCP(t, testKey)
	p := startServe(t, h)
	blocked, approved := readFixture(t, "testdata/blocked.json"), readFixture(t, "testdata/approved.json")
	check := func(id string, i int, cb callback, busyOK bool) bool {
		want := "failed"
		if i%2 == 1 {
			want = "passed"
		}
		if busyOK && cb.Status == "failed" && strings.Contains(cb.Message, "busy") {
			return true
		}
		if cb.Status != want || (want == "failed" && len(cb.Outcomes) != 3) {
			t.Errorf("%s: %s %q with %d outcomes, want %s", id, cb.Status, cb.Message, len(cb.Outcomes), want)
		}
		return false
	}
	for i := range total {
		plan := blocked
		if i%2 == 1 {
			plan = approved
		}
		h.addRun(fmt.Sprintf("run-paced-%03d", i), "tok", plan, "ok")
		h.addRun(fmt.Sprintf("run-burst-%03d", i), "tok", plan, "ok")
	}

	// Paced.
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	lat := make([]time.Duration, total)
	start := time.Now()
	for i := range total {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			id := fmt.Sprintf("run-paced-%03d", i)
			sent := time.Now()
			if code := h.send(p.url, h.request(id, "tok"), ""); code != http.StatusOK {
				t.Errorf("%s: HTTP %d", id, code)
				return
			}
			check(id, i, h.wait("taskrs-"+id, 1, 60*time.Second)[0], false)
			h.mu.Lock()
			lat[i] = h.at["taskrs-"+id].Sub(sent)
			h.mu.Unlock()
		}()
	}
	wg.Wait()
	paced := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })

	// Burst.
	start = time.Now()
	var retried503 int
	var mu sync.Mutex
	for i := range total {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			id := fmt.Sprintf("run-burst-%03d", i)
			for {
				code := h.send(p.url, h.request(id, "tok"), "")
				if code == http.StatusOK {
					return
				}
				if code != http.StatusServiceUnavailable {
					t.Errorf("%s: HTTP %d", id, code)
					return
				}
				mu.Lock()
				retried503++
				mu.Unlock()
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	busy := 0
	for i := range total {
		id := fmt.Sprintf("run-burst-%03d", i)
		if check(id, i, h.wait("taskrs-"+id, 1, 60*time.Second)[0], true) {
			busy++
		}
	}
	burst := time.Since(start)
	peak, rss := procMemory(t, p.cmd.Process.Pid)
	p.stop() // drained: any late duplicate would be in by now
	for i := range total {
		for _, kind := range []string{"paced", "burst"} {
			if n := len(h.delivered(fmt.Sprintf("taskrs-run-%s-%03d", kind, i))); n != 1 {
				t.Errorf("run-%s-%03d: %d callbacks", kind, i, n)
			}
		}
	}
	if n := h.totalDelivered(); n != 2*total {
		t.Errorf("%d callbacks in all, want %d", n, 2*total)
	}
	t.Logf("paced: %d runs, %d outstanding, in %v: request→callback p50 %v, p99 %v, max %v",
		total, parallel, paced.Round(time.Millisecond), lat[total/2].Round(time.Microsecond), lat[total*99/100].Round(time.Microsecond), lat[total-1].Round(time.Microsecond))
	t.Logf("burst: %d requests from %d senders in %v: %d decided, %d called back busy, %d answers 503 retried",
		total, parallel, burst.Round(time.Millisecond), total-busy, busy, retried503)
	t.Logf("memory: peak RSS %d MiB, RSS after %d MiB", peak>>20, rss>>20)
	if peak > 256<<20 {
		t.Errorf("peak RSS %d MiB, want under 256 MiB", peak>>20)
	}
}

// procMemory reads a process's peak and current resident set size (Linux).
func procMemory(t *testing.T, pid int) (peak, rss int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			peak = n << 10
		case "VmRSS:":
			rss = n << 10
		}
	}
	return peak, rss
}

// BenchmarkRequestToCallback measures the time from a signed request to
// its callback in the stand-in, through an in-process server (the quorum
// plan: download, decide, call back), one at a time and 20 at a time.
func BenchmarkRequestToCallback(b *testing.B) {
	for _, parallel := range []int{1, 20} {
		b.Run(fmt.Sprintf("parallel=%d", parallel), func(b *testing.B) {
			h := newHCP(b, testKey)
			url, _ := inProcess(b, h, Config{Workers: 4, Queue: 1024})
			h.fallback = readFixture(b, "testdata/approved.json")
			lat := make([]time.Duration, b.N)
			sem := make(chan struct{}, parallel)
			var wg sync.WaitGroup
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				sem <- struct{}{}
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					id := fmt.Sprintf("run-b%d-%d", parallel, i)
					start := time.Now()
					h.send(url, h.request(id, "tok"), "")
					for {
						h.mu.Lock()
						at, ok := h.at["taskrs-"+id]
						h.mu.Unlock()
						if ok {
							lat[i] = at.Sub(start)
							return
						}
						time.Sleep(200 * time.Microsecond)
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
