package gazette

import "strings"

// The Validate methods check what a store can check without its database,
// the same way for every store; each store adds what only it can tell (an
// author that exists, a path that is free), with the same kind of error.

// Validate reports, as an ErrInvalid *Error naming the entry, what makes e
// unfit to store.
func (e *Entry) Validate() error {
	switch {
	case !e.Status.Valid():
		return Errorf(ErrInvalid, "entry %q: unknown status %q", e.Title, e.Status)
	case !e.Kind.Valid():
		return Errorf(ErrInvalid, "entry %q: unknown kind %q", e.Title, e.Kind)
	case !e.Format.Valid():
		return Errorf(ErrInvalid, "entry %q: unknown format %q", e.Title, e.Format)
	case e.Path == "":
		return Errorf(ErrInvalid, "entry %q: empty path", e.Title)
	}
	return nil
}

// Validate reports, as an ErrInvalid *Error, what makes a unfit to store.
func (a *Author) Validate() error {
	switch {
	case a.Slug == "" || a.Name == "":
		return Errorf(ErrInvalid, "author %q: name and slug are both required", a.Name)
	case !a.Role.Valid():
		return Errorf(ErrInvalid, "author %q: unknown role %q", a.Name, a.Role)
	}
	return nil
}

// Validate reports, as an ErrInvalid *Error, what makes t unfit to store.
func (t *Topic) Validate() error {
	if t.Slug == "" || t.Name == "" {
		return Errorf(ErrInvalid, "topic %q: name and slug are both required", t.Name)
	}
	return nil
}

// Validate reports, as an ErrInvalid *Error, what makes r unfit to store:
// a redirect leads to an entry, else to a path of this blog other than its
// own.
func (r Redirect) Validate() error {
	switch {
	case r.Path == "":
		return Errorf(ErrInvalid, "redirect: empty old path")
	case r.EntryID != 0:
		return nil
	case r.Target == "":
		return Errorf(ErrInvalid, "redirect %q: leads nowhere (no entry and no target path)", r.Path)
	case r.Target[0] != '/' || len(r.Target) > 1 && r.Target[1] == '/':
		return Errorf(ErrInvalid, "redirect %q: target %q is not a path of this blog (it must start with one /)", r.Path, r.Target)
	case r.Target == r.Path:
		return Errorf(ErrInvalid, "redirect %q: leads to itself", r.Path)
	}
	return nil
}

// Validate reports, as an ErrInvalid *Error, what makes m unfit to store.
func (m *Mention) Validate() error {
	switch m.Kind {
	case MentionTrackback, MentionPingback, MentionWebmention:
	default:
		return Errorf(ErrInvalid, "mention from %q: unknown kind %q", m.SourceURL, m.Kind)
	}
	switch m.Type {
	case "", MentionPlain, MentionReply, MentionLike, MentionRepost:
	default:
		return Errorf(ErrInvalid, "mention from %q: unknown type %q", m.SourceURL, m.Type)
	}
	if !m.Status.Valid() {
		return Errorf(ErrInvalid, "mention from %q: unknown status %q", m.SourceURL, m.Status)
	}
	return nil
}

// Validate reports, as an ErrInvalid *Error, what makes m unfit to store:
// every upload has alternative text.
func (m *Media) Validate() error {
	switch {
	case strings.TrimSpace(m.Alt) == "":
		return Errorf(ErrInvalid, "media %s: alt text is required", m.Path)
	case m.Path == "" || m.Type == "":
		return Errorf(ErrInvalid, "media without a path or a type")
	}
	return nil
}

// Validate reports, as an ErrInvalid *Error, what makes p unfit to store.
func (p *Ping) Validate() error {
	switch p.Status {
	case PingQueued, PingSent, PingFailed, PingNone:
	default:
		return Errorf(ErrInvalid, "ping of %q: unknown status %q", p.Target, p.Status)
	}
	if p.Source == "" || p.Target == "" {
		return Errorf(ErrInvalid, "ping of entry %d: source and target are required", p.EntryID)
	}
	return nil
}
