package sanitize

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestCommentRemembered holds the comments a Sanitizer answers from memory
// to what it made of them the first time: bodies that differ only at their
// ends, more of them than it keeps, asked again in several goroutines at
// once, with never more than mostRecent kept.
func TestCommentRemembered(t *testing.T) {
	quote := strings.Repeat("> quoted text, http://example.com/a ", 20)
	var bodies, want []string
	for i := range 3 * mostRecent {
		b := fmt.Sprint(quote, i%mostRecent, " <b>", i, "</b><script>x</script>")
		bodies = append(bodies, b)
		want = append(want, New().Comment(b))
	}
	s := New()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for round := range 3 {
				for i := range bodies {
					i := (i*(w+1) + round*11) % len(bodies)
					if got := s.Comment(bodies[i]); got != want[i] {
						t.Errorf("Comment(%q) = %q, want %q", bodies[i], got, want[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if n := len(s.recent); n > mostRecent {
		t.Errorf("%d comments kept, want at most %d", n, mostRecent)
	}
}
