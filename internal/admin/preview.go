package admin

import (
	"net/http"
	"strings"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/web"
)

// preview shows the editor's form as the entry's page in the blog's theme,
// without saving it.
func (a *Admin) preview(w http.ResponseWriter, r *http.Request, q *request) error {
	e := &gazette.Entry{AuthorID: q.me().ID, Status: gazette.StatusDraft}
	if id := r.PostFormValue("id"); id != "" && id != "0" {
		r.SetPathValue("id", id)
		stored, err := a.ownEntry(r, q)
		if err != nil {
			return err
		}
		e = stored
	}
	if _, err := a.readEntryForm(r, q, e); err != nil && !strings.Contains(err.Error(), "Publish at") {
		return err
	}
	author, err := a.store.Author(q.ctx, e.AuthorID)
	if err != nil {
		return err
	}
	e.Author = *author
	e.Author.PasswordHash = ""
	if e.BodyHTML, err = a.renderText(author, e.Format, e.Body); err != nil {
		return err
	}
	if e.ExtendedHTML, err = a.renderText(author, e.Format, e.ExtendedBody); err != nil {
		return err
	}
	if e.PublishedAt.IsZero() {
		e.PublishedAt = a.now().UTC()
	}
	// Topics are shown by name; the form gave only IDs.
	for i, t := range e.Topics {
		if full, err := a.store.Topic(q.ctx, t.ID); err == nil {
			e.Topics[i] = *full
		}
	}
	// The theme's page keeps the public site's policy: no script at all.
	w.Header().Set("Content-Security-Policy", web.ContentSecurityPolicy)
	return a.cfg.Preview.Preview(w, r, e)
}

// render answers the editor's live preview with the HTML of the posted
// text, made as the publisher will make it: sanitised for authors.
func (a *Admin) render(w http.ResponseWriter, r *http.Request, q *request) error {
	html, err := a.renderText(q.me(), gazette.Format(r.PostFormValue("format")), normalizeNewlines(r.PostFormValue("body")))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write([]byte(html))
	return err
}

func (a *Admin) renderText(author *gazette.Author, f gazette.Format, src string) (string, error) {
	if f == "" {
		f = gazette.FormatMarkdown
	}
	if !f.Valid() {
		return "", gazette.Errorf(gazette.ErrInvalid, "Unknown format %q.", f)
	}
	if src == "" {
		return "", nil
	}
	html, err := a.cfg.Markdown.Render(f, src)
	if err != nil {
		return "", err
	}
	if author.Role != gazette.RoleAdmin && author.Role != gazette.RoleEditor {
		html = a.cfg.Sanitizer.AuthorHTML(html)
	}
	return html, nil
}
