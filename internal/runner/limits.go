package runner

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The runner bounds what a configuration is (files, bytes, nesting) and
// also what its Terraform does with it: a few hundred bytes of locals that
// double a string make `terraform plan` take gigabytes. Each child
// (terraform and the providers it starts, one process group) is watched:
// its resident memory, summed over the group from /proc, may not pass
// ExecTerraform.MaxMemory; a run over it is interrupted (Terraform's
// graceful stop: an apply saves the state, and every run releases the
// state lock, a remote backend's too), its group killed after the grace
// period, or at once if it goes on growing to half as much again. The wall-clock limits and the cancel when the client hangs up
// are the server's (ServerConfig.PlanTimeout, ApplyTimeout).

// DefaultMaxMemory bounds the resident memory of one Terraform run (its
// process group: terraform and its providers).
const DefaultMaxMemory = 2 << 30

// Default wall-clock bounds of one plan (init, plan, the gate; and a show)
// and one apply.
const (
	DefaultPlanTimeout  = 30 * time.Minute
	DefaultApplyTimeout = 2 * time.Hour
)

// memoryPoll is how often a child's memory is read.
const memoryPoll = 100 * time.Millisecond

// errOverMemory is the cause of a run stopped for its memory.
var errOverMemory = errors.New("over the runner's memory limit")

// MemoryError is the error of a Terraform run stopped because its process
// group's resident memory passed the limit.
type MemoryError struct {
	Op    string // init, plan, show, apply
	Limit int64
	Seen  int64
}

func (e *MemoryError) Error() string {
	how := "interrupted it (Terraform's graceful stop, which releases the state lock) and killed its process group"
	if e.Op == "apply" {
		how = "interrupted it (Terraform's graceful stop, which saves the state; check the state and its lock)"
	}
	return fmt.Sprintf("terraform %s used %d MiB of memory, more than the runner allows one run (serve --max-memory %s); the runner %s. A configuration that needs more is refused: ask the runner's operator", e.Op, e.Seen>>20, FormatSize(e.Limit), how)
}

// memoryGuard watches one process group.
type memoryGuard struct {
	pgid       int
	soft, hard int64
	onSoft     func() // called once when the group passes soft
	stop       chan struct{}
	done       chan struct{}
	mu         sync.Mutex
	seen       int64 // the most the group held while watched
	over       bool  // it passed soft
}

// watchMemory starts watching the process group pgid: past soft it calls
// onSoft once; past hard it kills the group. A limit of 0 watches nothing.
func watchMemory(pgid int, soft, hard int64, onSoft func()) *memoryGuard {
	g := &memoryGuard{pgid: pgid, soft: soft, hard: hard, onSoft: onSoft, stop: make(chan struct{}), done: make(chan struct{})}
	if soft <= 0 {
		close(g.done)
		return g
	}
	go g.loop()
	return g
}

func (g *memoryGuard) loop() {
	defer close(g.done)
	t := time.NewTicker(memoryPoll)
	defer t.Stop()
	for {
		rss, err := groupRSS(g.pgid)
		if err == nil {
			g.mu.Lock()
			g.seen = max(g.seen, rss)
			first := rss > g.soft && !g.over
			if first {
				g.over = true
			}
			g.mu.Unlock()
			if first {
				g.onSoft()
			}
			if rss > g.hard {
				killGroup(g.pgid)
			}
		}
		select {
		case <-g.stop:
			return
		case <-t.C:
		}
	}
}

// finish stops the watch and says whether the group passed the soft
// limit, and the most memory it was seen holding.
func (g *memoryGuard) finish() (bool, int64) {
	select {
	case <-g.done:
	default:
		close(g.stop)
		<-g.done
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.over, g.seen
}

// ParseSize reads a size: a number of bytes, or a number with a unit
// (KiB, MiB, GiB, TiB; K, M, G, T and KB, MB, GB, TB are read as the
// binary units too).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil || i == 0 {
		return 0, fmt.Errorf("size %q: want a number of bytes or a number with a unit (512MiB, 2GiB)", s)
	}
	shift := 0
	switch strings.ToUpper(strings.TrimSpace(t[i:])) {
	case "", "B":
	case "K", "KB", "KIB":
		shift = 10
	case "M", "MB", "MIB":
		shift = 20
	case "G", "GB", "GIB":
		shift = 30
	case "T", "TB", "TIB":
		shift = 40
	default:
		return 0, fmt.Errorf("size %q: unknown unit (use KiB, MiB, GiB or TiB)", s)
	}
	if n > (1<<62)>>shift {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return n << shift, nil
}

// FormatSize writes a size the way ParseSize reads it.
func FormatSize(n int64) string {
	for _, u := range []struct {
		shift int
		name  string
	}{{40, "TiB"}, {30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10)
}
