package admin

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gazette-blog/gazette"
)

// TopicsPage lists topics with forms to create, rename, merge and delete.
type TopicsPage struct {
	Base
	Topics []gazette.TopicCount
}

func (a *Admin) topicList(w http.ResponseWriter, r *http.Request, q *request) error {
	topics, err := a.store.Topics(q.ctx, time.Time{})
	if err != nil {
		return err
	}
	p := &TopicsPage{Base: a.base(q, "Topics", "topics"), Topics: topics}
	p.Notice = notice(r)
	return a.show(w, "topics", p)
}

// topicFields reads a topic's name and slug from a form; an empty slug is
// made from the name.
func topicFields(r *http.Request, t *gazette.Topic) error {
	t.Name = strings.TrimSpace(r.PostFormValue("name"))
	t.Slug = gazette.Slugify(r.PostFormValue("slug"))
	if t.Slug == "" {
		t.Slug = gazette.Slugify(t.Name)
	}
	t.Description = strings.TrimSpace(r.PostFormValue("description"))
	if t.Name == "" || t.Slug == "" {
		return gazette.Errorf(gazette.ErrInvalid, "A topic needs a name with a letter or a digit.")
	}
	return nil
}

func (a *Admin) topicCreate(w http.ResponseWriter, r *http.Request, q *request) error {
	var t gazette.Topic
	if err := topicFields(r, &t); err != nil {
		return err
	}
	err := a.store.Atomic(q.ctx, func(tx gazette.Tx) error {
		if err := tx.CreateTopic(q.ctx, &t); err != nil {
			return err
		}
		return claimTopicPath(q.ctx, tx, t.Slug)
	})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/topics?notice=saved")
}

func topicPath(slug string) string { return "/topics/" + slug + "/" }

// claimTopicPath drops the redirect of the archive address a topic now
// holds, left by an earlier rename or merge (a renamed to b, then back to
// a): it would send readers away from the topic, or round in a circle.
func claimTopicPath(ctx context.Context, tx gazette.Tx, slug string) error {
	d, ok := tx.(gazette.RedirectDeleter)
	if !ok {
		return nil
	}
	if err := d.DeleteRedirect(ctx, topicPath(slug)); err != nil && !errors.Is(err, gazette.ErrNotFound) {
		return err
	}
	return nil
}

// topicUpdate renames a topic; when its slug changes, its old archive
// address redirects to the new one.
func (a *Admin) topicUpdate(w http.ResponseWriter, r *http.Request, q *request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = a.store.Atomic(q.ctx, func(tx gazette.Tx) error {
		t, err := tx.Topic(q.ctx, id)
		if err != nil {
			return err
		}
		old := t.Slug
		if err := topicFields(r, t); err != nil {
			return err
		}
		if err := tx.UpdateTopic(q.ctx, t); err != nil {
			return err
		}
		if old == t.Slug {
			return nil
		}
		if err := claimTopicPath(q.ctx, tx, t.Slug); err != nil {
			return err
		}
		return tx.AddRedirect(q.ctx, gazette.Redirect{Path: topicPath(old), Target: topicPath(t.Slug)})
	})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/topics?notice=saved")
}

// topicMerge files every entry of a topic under another, deletes it and
// redirects its archive to the other's.
func (a *Admin) topicMerge(w http.ResponseWriter, r *http.Request, q *request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	into, err := a.store.TopicBySlug(q.ctx, gazette.Slugify(r.PostFormValue("into")))
	if err != nil {
		return gazette.Errorf(gazette.ErrInvalid, "Merge into: there is no topic %q.", r.PostFormValue("into"))
	}
	if into.ID == id {
		return gazette.Errorf(gazette.ErrInvalid, "A topic cannot be merged into itself.")
	}
	err = a.store.Atomic(q.ctx, func(tx gazette.Tx) error {
		t, err := tx.Topic(q.ctx, id)
		if err != nil {
			return err
		}
		entries, _, err := tx.Entries(q.ctx, gazette.EntryFilter{TopicID: id, Kind: gazette.AnyKind})
		if err != nil {
			return err
		}
		for _, e := range entries {
			e.Topics = mergeTopics(e.Topics, id, into.ID)
			if err := a.cfg.Publisher.UpdateEntry(q.ctx, tx, q.settings, e); err != nil {
				return err
			}
		}
		if err := tx.DeleteTopic(q.ctx, id); err != nil {
			return err
		}
		return tx.AddRedirect(q.ctx, gazette.Redirect{Path: topicPath(t.Slug), Target: topicPath(into.Slug)})
	})
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/topics?notice=done")
}

// mergeTopics replaces topic from with to in a list, keeping its place (a
// primary topic stays primary) and listing to once.
func mergeTopics(ts []gazette.Topic, from, to int64) []gazette.Topic {
	var out []gazette.Topic
	seen := false
	for _, t := range ts {
		if t.ID == from {
			t = gazette.Topic{ID: to}
		}
		if t.ID == to {
			if seen {
				continue
			}
			seen = true
		}
		out = append(out, t)
	}
	return out
}

func (a *Admin) topicDelete(w http.ResponseWriter, r *http.Request, q *request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.DeleteTopic(q.ctx, id); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/topics?notice=done")
}
