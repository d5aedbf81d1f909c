package publish_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/gazette-blog/gazette"
)

// TestQueuePings checks that publishing, editing and deleting an entry
// queue its webmentions (a future entry's for when it appears), that an
// import queues none, and that a deleted entry's permalink is gone.
func TestQueuePings(t *testing.T) {
	ctx := context.Background()
	store, pub, ids := setup(t)
	ps := store.(gazette.PingStore)
	s := gazette.DefaultSettings()
	far := time.Now().Add(1000 * time.Hour)
	take := func(at time.Time) []int64 {
		t.Helper()
		got, err := ps.TakeEntryPings(ctx, at, 10)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	e := &gazette.Entry{Title: "Linking", Body: `<p><a href="https://b.example/x">x</a></p>`, Format: gazette.FormatHTML,
		Status: gazette.StatusPublished, AuthorID: ids[gazette.RoleAdmin]}
	if err := pub.CreateEntry(ctx, store, s, e); err != nil {
		t.Fatal(err)
	}
	if got := take(far); !reflect.DeepEqual(got, []int64{e.ID}) {
		t.Errorf("after CreateEntry: queued %v, want [%d]", got, e.ID)
	}
	e.Body += "<p>more</p>"
	if err := pub.UpdateEntry(ctx, store, s, e); err != nil {
		t.Fatal(err)
	}
	if got := take(far); !reflect.DeepEqual(got, []int64{e.ID}) {
		t.Errorf("after UpdateEntry: queued %v, want [%d]", got, e.ID)
	}

	future := &gazette.Entry{Title: "Later", Body: "<p>later</p>", Format: gazette.FormatHTML, Status: gazette.StatusScheduled,
		PublishedAt: time.Now().Add(100 * time.Hour).UTC().Truncate(time.Second), AuthorID: ids[gazette.RoleAdmin]}
	if err := pub.CreateEntry(ctx, store, s, future); err != nil {
		t.Fatal(err)
	}
	if got := take(time.Now().Add(time.Hour)); len(got) != 0 {
		t.Errorf("a scheduled entry was queued before its time: %v", got)
	}
	if got := take(far); !reflect.DeepEqual(got, []int64{future.ID}) {
		t.Errorf("at its time: queued %v, want [%d]", got, future.ID)
	}

	admin, err := store.Author(ctx, ids[gazette.RoleAdmin])
	if err != nil {
		t.Fatal(err)
	}
	imported := &gazette.Entry{Title: "Old", Body: `<a href="https://c.example/">c</a>`, Format: gazette.FormatHTML,
		Status: gazette.StatusPublished, PublishedAt: time.Date(2007, 3, 1, 0, 0, 0, 0, time.UTC), AuthorID: admin.ID}
	if err := pub.ImportEntry(ctx, store, s, imported, admin); err != nil {
		t.Fatal(err)
	}
	if got := take(far); len(got) != 0 {
		t.Errorf("an import queued webmentions: %v", got)
	}

	if err := pub.DeleteEntry(ctx, store, e.ID); err != nil {
		t.Fatal(err)
	}
	if got := take(far); !reflect.DeepEqual(got, []int64{e.ID}) {
		t.Errorf("after DeleteEntry: queued %v, want [%d]", got, e.ID)
	}
	if gone, err := store.(gazette.GoneStore).Gone(ctx, e.Path); err != nil || !gone {
		t.Errorf("Gone(%s) = %v, %v; want true", e.Path, gone, err)
	}
	if err := pub.DeleteEntry(ctx, store, e.ID); !errors.Is(err, gazette.ErrNotFound) {
		t.Errorf("deleting it again: %v, want ErrNotFound", err)
	}
}
