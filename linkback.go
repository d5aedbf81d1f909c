package gazette

import (
	"context"
	"time"
)

// LinkbackStore changes mentions as their sources change: a webmention sent
// again for the same source updates the mention, and one whose source is
// gone or no longer links removes it.
type LinkbackStore interface {
	// MentionBySource returns the mention of entryID from source.
	MentionBySource(ctx context.Context, entryID int64, source string) (*Mention, error)
	// UpdateMention replaces the stored mention m.ID with m, CreatedAt and
	// ImportKey excepted, and sets UpdatedAt when it is zero.
	UpdateMention(ctx context.Context, m *Mention) error
	// DeleteMention removes a mention.
	DeleteMention(ctx context.Context, id int64) error
	// HasApprovedMention reports whether an approved mention of any entry
	// comes from a page of site (a scheme and host, such as
	// https://example.org): the first-time moderation policy holds only
	// sites it has not heard from.
	HasApprovedMention(ctx context.Context, site string) (bool, error)
}

// GoneStore remembers the permalinks of deleted entries, which answer
// 410 Gone so that other sites remove their copies and mentions.
type GoneStore interface {
	// MarkGone records that path was the permalink of an entry deleted at t.
	MarkGone(ctx context.Context, path string, t time.Time) error
	// Gone reports whether path was marked gone and has no entry now.
	Gone(ctx context.Context, path string) (bool, error)
}

// PingStatus says where an outbound webmention stands.
type PingStatus string

// The statuses of a Ping.
const (
	PingQueued PingStatus = "queued" // to send at NextAt
	PingSent   PingStatus = "sent"   // the endpoint accepted it
	PingFailed PingStatus = "failed" // refused, or retries exhausted
	PingNone   PingStatus = "none"   // the target has no endpoint
)

// Ping is a webmention sent, or to send, from an entry to a page it links
// (or linked) to: the queue of the sender and its record in one.
type Ping struct {
	ID      int64
	EntryID int64 // the entry may have been deleted since
	// Source is the entry's absolute permalink when the ping was queued.
	Source   string
	Target   string
	Status   PingStatus
	Attempts int
	NextAt   time.Time // when a queued ping is due
	// Endpoint is the webmention endpoint found for Target; Response the
	// HTTP status it answered and Error the last failure, if any.
	Endpoint  string
	Response  int
	Error     string
	UpdatedAt time.Time
}

// PingStore keeps outbound webmentions. It is a queue in two steps: an
// entry whose links may have changed is queued by QueueEntryPings; the
// sender takes it, compares its links with its Pings, and saves a queued
// Ping for each target to tell.
type PingStore interface {
	// QueueEntryPings asks for the links of entryID to be looked at, at at
	// or later; queueing an entry already queued keeps the earlier time.
	QueueEntryPings(ctx context.Context, entryID int64, at time.Time) error
	// TakeEntryPings removes and returns up to limit entries queued by now,
	// earliest first.
	TakeEntryPings(ctx context.Context, now time.Time, limit int) ([]int64, error)
	// SavePing stores p, replacing the ping of the same entry and target,
	// and sets its ID and UpdatedAt. A ping of an unknown status, or without
	// source or target, is ErrInvalid.
	SavePing(ctx context.Context, p *Ping) error
	// Pings returns the pings of an entry, by target.
	Pings(ctx context.Context, entryID int64) ([]*Ping, error)
	// DuePings returns up to limit queued pings whose NextAt is not after
	// now, earliest first.
	DuePings(ctx context.Context, now time.Time, limit int) ([]*Ping, error)
}

// PingClaimer is a PingStore that several senders can share without telling
// a target twice. Reading due pings and sending them are apart in time, and
// two senders reading at once would both send; a claim is a lease instead.
type PingClaimer interface {
	// ClaimDuePings returns up to limit queued pings whose NextAt is not
	// after now, earliest first, and in the same transaction moves their
	// NextAt to until, so that no other claim returns them before until.
	// The claimer saves each ping's outcome with SavePing; a ping whose
	// claimer stopped before that is claimed again at until.
	ClaimDuePings(ctx context.Context, now, until time.Time, limit int) ([]*Ping, error)
}
