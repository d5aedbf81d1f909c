package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/web"
)

// EntryPage is the editor.
type EntryPage struct {
	Base
	Entry     *gazette.Entry
	New       bool
	Topics    []TopicChoice
	Media     []*gazette.Media
	PublishAt string // the datetime-local value, in the blog's time zone
	Revisions int
	Error     string
}

// TopicChoice is a topic with whether the entry is filed under it.
type TopicChoice struct {
	gazette.Topic
	Checked bool
}

// datetimeLocal is the format of an <input type="datetime-local">.
const datetimeLocal = "2006-01-02T15:04"

func (a *Admin) entryNew(w http.ResponseWriter, r *http.Request, q *request) error {
	e := &gazette.Entry{Format: gazette.FormatMarkdown, Status: gazette.StatusDraft, AllowComments: true, AllowPings: true}
	return a.showEditor(w, q, e, http.StatusOK, "")
}

func (a *Admin) entryEdit(w http.ResponseWriter, r *http.Request, q *request) error {
	e, err := a.ownEntry(r, q)
	if err != nil {
		return err
	}
	p, err := a.editorPage(q, e, "")
	if err != nil {
		return err
	}
	p.Notice = notice(r)
	return a.show(w, "entry", p)
}

// ownEntry loads the entry of the path, refusing an author another's entry.
func (a *Admin) ownEntry(r *http.Request, q *request) (*gazette.Entry, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	e, err := a.store.Entry(q.ctx, id)
	if err != nil {
		return nil, err
	}
	if !q.canAll() && e.AuthorID != q.me().ID {
		return nil, gazette.Errorf(gazette.ErrForbidden, "This entry is someone else's; authors change only their own.")
	}
	return e, nil
}

func (a *Admin) editorPage(q *request, e *gazette.Entry, msg string) (*EntryPage, error) {
	title := "New entry"
	if e.ID != 0 {
		title = "Edit: " + e.Title
	}
	p := &EntryPage{Base: a.base(q, title, "new"), Entry: e, New: e.ID == 0, Error: msg}
	if e.ID != 0 {
		p.Nav = "entries"
	}
	topics, err := a.store.Topics(q.ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	for _, t := range topics {
		p.Topics = append(p.Topics, TopicChoice{Topic: t.Topic, Checked: hasTopic(e, t.ID)})
	}
	if p.Media, _, err = a.store.MediaList(q.ctx, 12, 0); err != nil {
		return nil, err
	}
	if !e.PublishedAt.IsZero() {
		p.PublishAt = e.PublishedAt.In(q.settings.Location()).Format(datetimeLocal)
	}
	if e.ID != 0 {
		revs, err := a.store.Revisions(q.ctx, e.ID)
		if err != nil {
			return nil, err
		}
		p.Revisions = len(revs)
	}
	return p, nil
}

func (a *Admin) showEditor(w http.ResponseWriter, q *request, e *gazette.Entry, status int, msg string) error {
	p, err := a.editorPage(q, e, msg)
	if err != nil {
		return err
	}
	body, err := a.pages.render("entry", p)
	if err != nil {
		return err
	}
	web.WriteHTML(w, status, body)
	return nil
}

func (a *Admin) entryCreate(w http.ResponseWriter, r *http.Request, q *request) error {
	e := &gazette.Entry{AuthorID: q.me().ID}
	return a.saveEntry(w, r, q, e)
}

func (a *Admin) entryUpdate(w http.ResponseWriter, r *http.Request, q *request) error {
	e, err := a.ownEntry(r, q)
	if err != nil {
		return err
	}
	return a.saveEntry(w, r, q, e)
}

// saveEntry applies the editor's form to e and stores it with a revision;
// a mistake in the form shows the editor again with its message.
func (a *Admin) saveEntry(w http.ResponseWriter, r *http.Request, q *request, e *gazette.Entry) error {
	wasNew := e.ID == 0
	action, err := a.readEntryForm(r, q, e)
	if err == nil {
		err = a.store.Atomic(q.ctx, func(tx gazette.Tx) error {
			if err := a.fileNewTopics(r, q, tx, e); err != nil {
				return err
			}
			return a.writeEntry(q, tx, e)
		})
	}
	if err != nil {
		if web.Status(err) == http.StatusInternalServerError {
			return err
		}
		if wasNew {
			e.ID = 0 // the transaction that gave it an ID rolled back
		}
		return a.showEditor(w, q, e, web.Status(err), gazette.ErrorMessage(err))
	}
	return seeOther(w, r, "/admin/entries/"+strconv.FormatInt(e.ID, 10)+"?notice="+action)
}

// writeEntry stores e through the publisher and records the revision.
func (a *Admin) writeEntry(q *request, tx gazette.Tx, e *gazette.Entry) error {
	var err error
	if e.ID == 0 {
		err = a.cfg.Publisher.CreateEntry(q.ctx, tx, q.settings, e)
	} else {
		err = a.cfg.Publisher.UpdateEntry(q.ctx, tx, q.settings, e)
	}
	if err != nil {
		return err
	}
	rs, ok := tx.(gazette.RevisionStore)
	if !ok {
		return errors.New("admin: the store keeps no revisions")
	}
	return rs.AddRevision(q.ctx, &gazette.Revision{EntryID: e.ID, AuthorID: q.me().ID, Title: e.Title,
		Body: e.Body, ExtendedBody: e.ExtendedBody, Excerpt: e.Excerpt, Format: e.Format})
}

// readEntryForm copies the editor's fields into e and returns the notice
// of the action asked for: saved, published or scheduled.
func (a *Admin) readEntryForm(r *http.Request, q *request, e *gazette.Entry) (string, error) {
	if err := r.ParseForm(); err != nil {
		return "", gazette.Errorf(gazette.ErrInvalid, "The form could not be read: %v", err)
	}
	f := r.PostForm
	e.Title = strings.TrimSpace(f.Get("title"))
	e.Basename = strings.TrimSpace(f.Get("basename"))
	e.Format = gazette.Format(f.Get("format"))
	if e.Format == "" {
		e.Format = gazette.FormatMarkdown
	}
	e.Body = normalizeNewlines(f.Get("body"))
	e.ExtendedBody = normalizeNewlines(f.Get("extended"))
	e.Excerpt = strings.TrimSpace(f.Get("excerpt"))
	e.AllowComments = f.Get("allow_comments") != ""
	e.AllowPings = f.Get("allow_pings") != ""
	if e.Kind == "" {
		e.Kind = gazette.KindEntry
	}
	if f.Get("kind") == string(gazette.KindPage) {
		e.Kind = gazette.KindPage
	}
	e.Topics = nil
	for _, s := range f["topic"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return "", gazette.Errorf(gazette.ErrInvalid, "Topic %q is not a topic ID.", s)
		}
		e.Topics = append(e.Topics, gazette.Topic{ID: id})
	}
	if e.Title == "" && strings.TrimSpace(e.Body) == "" {
		return "", gazette.Errorf(gazette.ErrInvalid, "Give the entry a title or a body.")
	}
	now := a.now().UTC().Truncate(time.Second)
	switch action := f.Get("action"); action {
	case "publish":
		if e.Status != gazette.StatusPublished {
			e.PublishedAt = now
		}
		e.Status = gazette.StatusPublished
		return "published", nil
	case "schedule":
		at, err := time.ParseInLocation(datetimeLocal, f.Get("publish_at"), q.settings.Location())
		if err != nil {
			return "", gazette.Errorf(gazette.ErrInvalid, "Publish at: %q is not a date and time.", f.Get("publish_at"))
		}
		if !at.After(now) {
			return "", gazette.Errorf(gazette.ErrInvalid, "Publish at: %s has passed; choose a later time or publish now.",
				at.Format("Jan 2, 2006 3:04 PM"))
		}
		e.Status, e.PublishedAt = gazette.StatusScheduled, at.UTC()
		return "scheduled", nil
	case "", "save":
		if e.ID == 0 {
			e.Status = gazette.StatusDraft
		}
		return "saved", nil
	default:
		return "", gazette.Errorf(gazette.ErrInvalid, "Unknown action %q.", action)
	}
}

// fileNewTopics creates the topics typed into the editor, comma-separated,
// and files e under them. Only editors and admins make topics.
func (a *Admin) fileNewTopics(r *http.Request, q *request, tx gazette.Tx, e *gazette.Entry) error {
	names := strings.Split(r.PostForm.Get("new_topics"), ",")
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !q.canAll() {
			return gazette.Errorf(gazette.ErrForbidden, "Only editors and admins create topics.")
		}
		t, err := tx.TopicByName(q.ctx, name)
		if errors.Is(err, gazette.ErrNotFound) {
			t = &gazette.Topic{Name: name, Slug: gazette.Slugify(name)}
			if t.Slug == "" {
				return gazette.Errorf(gazette.ErrInvalid, "New topic %q needs a letter or a digit.", name)
			}
			err = tx.CreateTopic(q.ctx, t)
		}
		if err != nil {
			return err
		}
		if !hasTopic(e, t.ID) {
			e.Topics = append(e.Topics, gazette.Topic{ID: t.ID})
		}
	}
	return nil
}

func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
