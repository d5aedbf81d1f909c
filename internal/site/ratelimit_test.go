package site

import (
	"strconv"
	"testing"
	"time"
)

// TestLimitersBounded: a flood from many addresses never grows the map
// past its bound, and a limited address waits the time its bucket needs.
func TestLimitersBounded(t *testing.T) {
	ls := newLimiters(100)
	now := time.Date(2007, 3, 11, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 1000; i++ {
		ls.wait("192.0.2."+strconv.Itoa(i), 5, 3, now)
		if n := ls.len(); n > 100 {
			t.Fatalf("%d limiters kept, want at most 100", n)
		}
	}
	for i := 0; i < 3; i++ {
		if d := ls.wait("198.51.100.1", 5, 3, now); d != 0 {
			t.Fatalf("post %d within the burst waits %v", i, d)
		}
	}
	if d := ls.wait("198.51.100.1", 5, 3, now); d != 12*time.Second {
		t.Errorf("past the burst: wait %v, want 12s (5 a minute)", d)
	}
	if d := ls.wait("198.51.100.1", 0, 0, now); d != 0 {
		t.Errorf("with the limit off: wait %v", d)
	}
}
