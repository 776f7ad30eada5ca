package runtask

import (
	"testing"
	"time"
)

func TestLRUBoundsAndTTL(t *testing.T) {
	now := time.Unix(0, 0)
	c := newLRU[int](2, time.Hour)
	c.now = func() time.Time { return now }
	c.put("a", 1)
	c.put("b", 2)
	c.put("c", 3) // evicts a, the oldest
	if _, ok := c.get("a"); ok {
		t.Error("a outlived the bound")
	}
	if v, ok := c.get("c"); !ok || v != 3 {
		t.Errorf("c: %d %v", v, ok)
	}
	if c.add("b", 9) {
		t.Error("add replaced a live entry")
	}
	now = now.Add(2 * time.Hour)
	if _, ok := c.get("b"); ok {
		t.Error("b outlived its TTL")
	}
	if !c.add("c", 4) {
		t.Error("add refused over an expired entry")
	}
	c.remove("c")
	if _, ok := c.get("c"); ok {
		t.Error("c was not removed")
	}
}

func TestLRUCostBound(t *testing.T) {
	c := newLRU[[]byte](100, time.Hour)
	c.cost, c.maxCost = func(b []byte) int64 { return int64(len(b)) }, 10
	c.put("a", make([]byte, 4))
	c.put("b", make([]byte, 4))
	c.put("c", make([]byte, 4)) // 12 > 10: a goes
	if _, ok := c.get("a"); ok || c.total != 8 {
		t.Errorf("a kept, total %d", c.total)
	}
	c.put("b", make([]byte, 1)) // replaced: its old cost is gone
	if c.total != 5 {
		t.Errorf("total %d, want 5", c.total)
	}
	c.put("big", make([]byte, 50)) // alone over the bound: kept, the rest go
	if _, ok := c.get("big"); !ok || c.order.Len() != 1 {
		t.Errorf("big: %v, %d entries", ok, c.order.Len())
	}
}
