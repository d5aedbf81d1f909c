package site

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxLimiters bounds the rate limiters kept: one per client address, so a
// flood from many addresses cannot grow the map without end.
const maxLimiters = 10000

// limiters holds a token bucket per client address.
type limiters struct {
	mu  sync.Mutex
	max int
	m   map[string]*limiter
}

type limiter struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiters(max int) *limiters {
	return &limiters{max: max, m: make(map[string]*limiter)}
}

// wait returns how long the client at addr must wait before it may post,
// allowing perMinute posts a minute with bursts of burst; 0 means it may post
// now (and the post is counted).
func (ls *limiters) wait(addr string, perMinute, burst int, now time.Time) time.Duration {
	if perMinute <= 0 {
		return 0
	}
	burst = max(burst, 1)
	limit := rate.Limit(float64(perMinute) / 60)
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l, ok := ls.m[addr]
	if !ok || l.lim.Limit() != limit || l.lim.Burst() != burst {
		if !ok && len(ls.m) >= ls.max {
			ls.evict(now)
		}
		l = &limiter{lim: rate.NewLimiter(limit, burst)}
		ls.m[addr] = l
	}
	l.seen = now
	res := l.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// evict drops the limiters of clients idle long enough for their bucket to
// be full again, and, if that frees nothing, half the map: a forgotten
// client starts with a full bucket, which is the worst it can gain.
func (ls *limiters) evict(now time.Time) {
	for addr, l := range ls.m {
		if now.Sub(l.seen) > time.Duration(float64(l.lim.Burst())/float64(l.lim.Limit())*float64(time.Second)) {
			delete(ls.m, addr)
		}
	}
	for addr := range ls.m {
		if len(ls.m) < ls.max/2 {
			break
		}
		delete(ls.m, addr)
	}
}

func (ls *limiters) len() int {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return len(ls.m)
}
