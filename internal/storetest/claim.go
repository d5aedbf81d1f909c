package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// testPingClaims checks that a claimed ping is out of reach of other claims
// until its lease ends, and that senders claiming at once never get the
// same ping: what keeps several instances from telling a target twice.
func testPingClaims(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	ps := capability[gazette.PingStore](t, f.s)
	pc := capability[gazette.PingClaimer](t, f.s)
	queue := func(target string, at time.Time) *gazette.Ping {
		p := &gazette.Ping{EntryID: 3, Source: "https://blog.example/a.html", Target: target, Status: gazette.PingQueued, NextAt: at}
		must(t, "SavePing", ps.SavePing(f.ctx, p))
		return p
	}
	second := queue("https://b.example/", base.Add(time.Minute))
	first := queue("https://a.example/", base)
	queue("https://c.example/", base.Add(time.Hour)) // not due
	lease := base.Add(10 * time.Minute)

	got, err := pc.ClaimDuePings(f.ctx, base.Add(time.Minute), lease, 1)
	must(t, "ClaimDuePings", err)
	if len(got) != 1 || got[0].ID != first.ID || got[0].Target != first.Target || !got[0].NextAt.Equal(lease) {
		t.Fatalf("ClaimDuePings(limit 1) = %+v, want the earliest, due again at the lease's end", got)
	}
	got, err = pc.ClaimDuePings(f.ctx, base.Add(time.Minute), lease, 10)
	must(t, "ClaimDuePings", err)
	if len(got) != 1 || got[0].ID != second.ID {
		t.Fatalf("ClaimDuePings again = %+v, want only the one not claimed", got)
	}
	if got, err := pc.ClaimDuePings(f.ctx, base.Add(5*time.Minute), lease, 10); err != nil || len(got) != 0 {
		t.Errorf("ClaimDuePings during the lease = %+v, %v; want none", got, err)
	}
	if due, err := ps.DuePings(f.ctx, base.Add(5*time.Minute), 10); err != nil || len(due) != 0 {
		t.Errorf("DuePings during the lease = %d, %v; want none", len(due), err)
	}

	// The sender of the first saved its outcome; the second's stopped.
	sent := *got0(t, ps, first.ID)
	sent.Status, sent.Attempts, sent.Response = gazette.PingSent, 1, 202
	must(t, "SavePing (sent)", ps.SavePing(f.ctx, &sent))
	got, err = pc.ClaimDuePings(f.ctx, lease, lease.Add(10*time.Minute), 10)
	must(t, "ClaimDuePings after the lease", err)
	if len(got) != 1 || got[0].ID != second.ID {
		t.Errorf("ClaimDuePings after the lease = %+v, want the second again, not the sent one", got)
	}

	// Senders racing for many pings get each once between them.
	const pings, senders = 40, 4
	for i := range pings {
		queue(fmt.Sprintf("https://race.example/%d", i), base.Add(-time.Hour))
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for {
				got, err := pc.ClaimDuePings(f.ctx, base, lease.Add(time.Hour), 3)
				if err != nil {
					t.Errorf("ClaimDuePings in a race: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, p := range got {
					seen[p.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != pings {
		t.Errorf("racing senders claimed %d pings, want %d", len(seen), pings)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("ping %d claimed %d times", id, n)
		}
	}
}

// got0 returns the ping of entry 3 with the given ID.
func got0(t *testing.T, ps gazette.PingStore, id int64) *gazette.Ping {
	t.Helper()
	list, err := ps.Pings(t.Context(), 3)
	must(t, "Pings", err)
	for _, p := range list {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no ping %d", id)
	return nil
}

// testEntryLock checks the lock the scheduler takes before it re-reads an
// entry: allowed inside Atomic on an entry there, ErrNotFound otherwise.
func testEntryLock(t *testing.T, open func(t *testing.T) *fixture) {
	f := open(t)
	e := f.mustEntry(0)
	err := f.s.Atomic(f.ctx, func(tx gazette.Tx) error {
		l, ok := tx.(gazette.EntryLocker)
		if !ok {
			t.Fatal("the store's transaction does not implement gazette.EntryLocker")
		}
		must(t, "LockEntry", l.LockEntry(f.ctx, e.ID))
		wantKind(t, "LockEntry of an unknown entry", l.LockEntry(f.ctx, e.ID+1000), gazette.ErrNotFound)
		return nil
	})
	must(t, "Atomic", err)
}
