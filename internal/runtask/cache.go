package runtask

import (
	"container/list"
	"sync"
	"time"
)

// lru is a map bounded in entries, in total cost and in age: the least
// recently stored entries go when it is full, and an entry older than ttl
// is gone.
type lru[V any] struct {
	mu  sync.Mutex
	max int
	ttl time.Duration
	// cost, when set, is an entry's share of maxCost (a page's bytes).
	cost    func(V) int64
	maxCost int64
	total   int64
	now     func() time.Time
	order   *list.List // front: most recent
	items   map[string]*list.Element
}

type lruEntry[V any] struct {
	key string
	val V
	at  time.Time
}

func newLRU[V any](limit int, ttl time.Duration) *lru[V] {
	return &lru[V]{max: limit, ttl: ttl, now: time.Now, order: list.New(), items: map[string]*list.Element{}}
}

// get returns the value under key, if present and not expired.
func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	e, ok := c.items[key]
	if !ok {
		return zero, false
	}
	en := entry[V](e)
	if c.now().Sub(en.at) > c.ttl {
		c.drop(e)
		return zero, false
	}
	return en.val, true
}

// put stores val under key.
func (c *lru[V]) put(key string, val V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, val)
}

func (c *lru[V]) putLocked(key string, val V) {
	if e, ok := c.items[key]; ok {
		c.drop(e)
	}
	c.items[key] = c.order.PushFront(&lruEntry[V]{key: key, val: val, at: c.now()})
	if c.cost != nil {
		c.total += c.cost(val)
	}
	for c.order.Len() > c.max || (c.cost != nil && c.total > c.maxCost && c.order.Len() > 1) {
		c.drop(c.order.Back())
	}
}

// add stores val under key unless a live entry is there; it reports
// whether it stored.
func (c *lru[V]) add(key string, val V) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok && c.now().Sub(entry[V](e).at) <= c.ttl {
		return false
	}
	c.putLocked(key, val)
	return true
}

// remove drops key.
func (c *lru[V]) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.drop(e)
	}
}

func (c *lru[V]) drop(e *list.Element) {
	en := entry[V](e)
	c.order.Remove(e)
	delete(c.items, en.key)
	if c.cost != nil {
		c.total -= c.cost(en.val)
	}
}

// entry is the entry an element holds (every element holds one).
func entry[V any](e *list.Element) *lruEntry[V] {
	en, _ := e.Value.(*lruEntry[V])
	return en
}
