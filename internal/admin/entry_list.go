package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

const entriesPerPage = 30

// EntryListPage lists entries with filters.
type EntryListPage struct {
	Base
	Entries []*gazette.Entry
	Total   int
	// The filters as chosen.
	Status   string
	TopicID  int64
	AuthorID int64
	Text     string
	Topics   []gazette.TopicCount
	Authors  []*gazette.Author
	Page     int
	PrevURL  string
	NextURL  string
}

func (a *Admin) entryList(w http.ResponseWriter, r *http.Request, q *request) error {
	v := r.URL.Query()
	p := &EntryListPage{Base: a.base(q, "Entries", "entries"), Status: v.Get("status"), Text: strings.TrimSpace(v.Get("q"))}
	p.Notice = notice(r)
	p.TopicID, _ = strconv.ParseInt(v.Get("topic"), 10, 64)
	p.AuthorID, _ = strconv.ParseInt(v.Get("author"), 10, 64)
	p.Page, _ = strconv.Atoi(v.Get("page"))
	p.Page = max(p.Page, 1)
	if !q.canAll() {
		p.AuthorID = q.me().ID
	}
	f := gazette.EntryFilter{Status: gazette.EntryStatus(p.Status), TopicID: p.TopicID, AuthorID: p.AuthorID,
		Kind: gazette.AnyKind, Limit: entriesPerPage, Offset: (p.Page - 1) * entriesPerPage}
	if f.Status != "" && !f.Status.Valid() {
		return gazette.Errorf(gazette.ErrInvalid, "Unknown status %q.", p.Status)
	}
	var err error
	if p.Text != "" {
		p.Entries, p.Total, err = a.searchEntries(q, p.Text, f)
	} else {
		p.Entries, p.Total, err = a.store.Entries(q.ctx, f)
	}
	if err != nil {
		return err
	}
	if p.Topics, err = a.store.Topics(q.ctx, time.Time{}); err != nil {
		return err
	}
	if q.canAll() {
		if p.Authors, err = a.store.Authors(q.ctx); err != nil {
			return err
		}
	}
	page := func(n int) string {
		u := url.Values{}
		for k, vs := range v {
			u[k] = vs
		}
		u.Set("page", strconv.Itoa(n))
		return "/admin/entries?" + u.Encode()
	}
	if p.Page > 1 {
		p.PrevURL = page(p.Page - 1)
	}
	if p.Page*entriesPerPage < p.Total {
		p.NextURL = page(p.Page + 1)
	}
	return a.show(w, "entries", p)
}

// searchLimit bounds the matches a text filter looks through: the list is
// for finding an entry, and the best matches come first.
const searchLimit = 300

// searchEntries filters by text through the store's full-text search, then
// by the other filters.
func (a *Admin) searchEntries(q *request, text string, f gazette.EntryFilter) ([]*gazette.Entry, int, error) {
	results, _, err := a.store.Search(q.ctx, gazette.SearchQuery{Text: text, Limit: searchLimit})
	if err != nil {
		return nil, 0, err
	}
	var all []*gazette.Entry
	for _, res := range results {
		e := res.Entry
		if f.Status != "" && e.Status != f.Status || f.AuthorID != 0 && e.AuthorID != f.AuthorID {
			continue
		}
		if f.TopicID != 0 && !hasTopic(e, f.TopicID) {
			continue
		}
		all = append(all, e)
	}
	start := min(f.Offset, len(all))
	return all[start:min(start+f.Limit, len(all))], len(all), nil
}

func hasTopic(e *gazette.Entry, id int64) bool {
	for _, t := range e.Topics {
		if t.ID == id {
			return true
		}
	}
	return false
}

// notices are the messages a redirect after a post may ask for by name, so
// that no one can make the page say something else through its URL.
var notices = map[string]string{
	"saved":     "Saved.",
	"published": "Published.",
	"scheduled": "Scheduled.",
	"trashed":   "Moved to the trash.",
	"restored":  "Restored.",
	"uploaded":  "Uploaded.",
	"done":      "Done.",
	"deleted":   "Deleted.",
}

func notice(r *http.Request) string { return notices[r.URL.Query().Get("notice")] }
