package gazette

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// ModerationPolicy says which readers' comments wait for approval.
type ModerationPolicy string

// The moderation policies.
const (
	ModerateAll       ModerationPolicy = "all"        // hold every comment
	ModerateFirstTime ModerationPolicy = "first-time" // hold unless the email has an approved comment
	ModerateNone      ModerationPolicy = "none"       // publish at once
)

// Settings are the blog-wide choices its admin makes.
type Settings struct {
	Title       string
	Description string
	// BaseURL is the blog's public address without a trailing slash, used in
	// feeds and absolute links; empty means the address a request came to.
	BaseURL string
	// TimeZone is an IANA zone name; dates show, and permalinks are dated, in it.
	TimeZone string
	Theme    string // "default" or "classic"
	// EntriesPerPage is the length of the home page and its older pages.
	EntriesPerPage int
	// LatestCommentsLabel is the text of the banner link to /comments/.
	LatestCommentsLabel string
	Moderation          ModerationPolicy
	// BasenameLimit is the longest basename derived from a title, as Movable
	// Type's basename length setting.
	BasenameLimit int

	CommentIntake
	SMTP SMTP
}

// CommentIntake are the settings that decide what happens to a comment a
// reader posts. For every limit, zero means none: a blog's admin can turn
// each defence off, and a Settings value written before a defence existed
// reads back unchanged.
type CommentIntake struct {
	// CommentsCloseAfterDays closes an entry's comments that many days after
	// it was published, as Movable Type's auto-close did; 0 never closes.
	CommentsCloseAfterDays int
	// MaxLinks is the most links a comment may hold and still be published
	// without moderation; link farms need many.
	MaxLinks int
	// Blocklist holds words, IP addresses and domains, one an item. A
	// comment whose text, name, email or URL contains a word or domain, or
	// that comes from a listed address, is marked spam.
	Blocklist []string
	// Honeypot adds a field people never see nor fill; a post that fills it
	// is refused.
	Honeypot bool
	// TokenMinAge and TokenMaxAge bound the age of the signed token of the
	// comment form: bots post the moment they load a page, replays come days
	// later.
	TokenMinAge time.Duration
	TokenMaxAge time.Duration
	// RatePerMinute and RateBurst limit how many comments one IP address may
	// post; RatePerMinute 0 turns the limit off.
	RatePerMinute int
	RateBurst     int
	// MaxCommentLength, MaxNameLength, MaxEmailLength and MaxURLLength are in
	// characters. A longer field is refused with a message, never cut.
	MaxCommentLength int
	MaxNameLength    int
	MaxEmailLength   int
	MaxURLLength     int
	// SpamFilter turns on the self-training filter: a comment it scores at
	// SpamHoldScore or more is held, at SpamScore or more marked spam.
	SpamFilter    bool
	SpamHoldScore float64
	SpamScore     float64
}

// SMTP is the mail server that tells authors of new comments. With no Host,
// no mail is sent.
type SMTP struct {
	Host     string
	Port     int // 0 means 587, the submission port
	User     string
	Password string // stored with the settings; never shown on a page
	From     string
}

// DefaultCommentIntake returns the comment defences of a new blog.
func DefaultCommentIntake() CommentIntake {
	return CommentIntake{
		MaxLinks:         2,
		Honeypot:         true,
		TokenMinAge:      3 * time.Second,
		TokenMaxAge:      48 * time.Hour,
		RatePerMinute:    5,
		RateBurst:        3,
		MaxCommentLength: 5000,
		MaxNameLength:    100,
		MaxEmailLength:   254, // the longest address SMTP carries (RFC 5321)
		MaxURLLength:     500,
		SpamFilter:       true,
		SpamHoldScore:    0.7,
		SpamScore:        0.95,
	}
}

// DefaultSettings returns the settings of a new blog.
func DefaultSettings() Settings {
	return Settings{
		Title:               "My gazette",
		Description:         "",
		TimeZone:            "UTC",
		Theme:               "default",
		EntriesPerPage:      15,
		LatestCommentsLabel: "Talk Back Here",
		Moderation:          ModerateFirstTime,
		BasenameLimit:       30,
		CommentIntake:       DefaultCommentIntake(),
	}
}

// Location returns the blog's time zone, UTC if TimeZone is unknown.
func (s Settings) Location() *time.Location {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Validate reports the first setting that is out of range, as ErrInvalid.
func (s Settings) Validate() error {
	if _, err := time.LoadLocation(s.TimeZone); err != nil {
		return Errorf(ErrInvalid, "setting time_zone: unknown time zone %q", s.TimeZone)
	}
	if s.EntriesPerPage < 1 || s.EntriesPerPage > 500 {
		return Errorf(ErrInvalid, "setting entries_per_page: %d is not between 1 and 500", s.EntriesPerPage)
	}
	if s.BasenameLimit < 15 || s.BasenameLimit > 250 {
		return Errorf(ErrInvalid, "setting basename_limit: %d is not between 15 and 250", s.BasenameLimit)
	}
	switch s.Moderation {
	case ModerateAll, ModerateFirstTime, ModerateNone:
	default:
		return Errorf(ErrInvalid, "setting moderation: %q is not all, first-time or none", s.Moderation)
	}
	return s.CommentIntake.validate()
}

func (c CommentIntake) validate() error {
	for _, n := range []struct {
		key string
		v   int
	}{
		{"comments_close_after_days", c.CommentsCloseAfterDays}, {"comment_max_links", c.MaxLinks},
		{"comment_rate_per_minute", c.RatePerMinute}, {"comment_rate_burst", c.RateBurst},
		{"comment_max_length", c.MaxCommentLength}, {"comment_max_name_length", c.MaxNameLength},
		{"comment_max_email_length", c.MaxEmailLength}, {"comment_max_url_length", c.MaxURLLength},
	} {
		if n.v < 0 {
			return Errorf(ErrInvalid, "setting %s: %d is negative", n.key, n.v)
		}
	}
	if c.TokenMinAge < 0 || c.TokenMaxAge < 0 {
		return Errorf(ErrInvalid, "setting comment_token_min_age/max_age: negative")
	}
	if c.TokenMaxAge > 0 && c.TokenMaxAge <= c.TokenMinAge {
		return Errorf(ErrInvalid, "setting comment_token_max_age: %v is not longer than the minimum age %v", c.TokenMaxAge, c.TokenMinAge)
	}
	for _, f := range []struct {
		key string
		v   float64
	}{{"spam_hold_score", c.SpamHoldScore}, {"spam_score", c.SpamScore}} {
		if !(f.v >= 0 && f.v <= 1) {
			return Errorf(ErrInvalid, "setting %s: %v is not between 0 and 1", f.key, f.v)
		}
	}
	if c.SpamFilter && c.SpamHoldScore > c.SpamScore {
		return Errorf(ErrInvalid, "setting spam_hold_score: %v is above spam_score %v", c.SpamHoldScore, c.SpamScore)
	}
	for i, b := range c.Blocklist {
		if strings.TrimSpace(b) == "" || strings.ContainsAny(b, "\n\r") {
			return Errorf(ErrInvalid, "setting comment_blocklist: item %d is empty or holds a line break", i+1)
		}
	}
	return nil
}

// Values returns the settings as the key/value pairs a store keeps.
func (s Settings) Values() map[string]string {
	return map[string]string{
		"title":                 s.Title,
		"description":           s.Description,
		"base_url":              s.BaseURL,
		"time_zone":             s.TimeZone,
		"theme":                 s.Theme,
		"entries_per_page":      strconv.Itoa(s.EntriesPerPage),
		"latest_comments_label": s.LatestCommentsLabel,
		"moderation":            string(s.Moderation),
		"basename_limit":        strconv.Itoa(s.BasenameLimit),

		"comments_close_after_days": strconv.Itoa(s.CommentsCloseAfterDays),
		"comment_max_links":         strconv.Itoa(s.MaxLinks),
		"comment_blocklist":         strings.Join(s.Blocklist, "\n"),
		"comment_honeypot":          strconv.FormatBool(s.Honeypot),
		"comment_token_min_age":     strconv.FormatInt(int64(s.TokenMinAge/time.Millisecond), 10),
		"comment_token_max_age":     strconv.FormatInt(int64(s.TokenMaxAge/time.Millisecond), 10),
		"comment_rate_per_minute":   strconv.Itoa(s.RatePerMinute),
		"comment_rate_burst":        strconv.Itoa(s.RateBurst),
		"comment_max_length":        strconv.Itoa(s.MaxCommentLength),
		"comment_max_name_length":   strconv.Itoa(s.MaxNameLength),
		"comment_max_email_length":  strconv.Itoa(s.MaxEmailLength),
		"comment_max_url_length":    strconv.Itoa(s.MaxURLLength),
		"spam_filter":               strconv.FormatBool(s.SpamFilter),
		"spam_hold_score":           strconv.FormatFloat(s.SpamHoldScore, 'g', -1, 64),
		"spam_score":                strconv.FormatFloat(s.SpamScore, 'g', -1, 64),
		"smtp_host":                 s.SMTP.Host,
		"smtp_port":                 strconv.Itoa(s.SMTP.Port),
		"smtp_user":                 s.SMTP.User,
		"smtp_password":             s.SMTP.Password,
		"smtp_from":                 s.SMTP.From,
	}
}

// SettingsFromValues builds Settings from stored key/value pairs; a missing
// key keeps its default, an unknown key is ignored (it may belong to a newer
// version), and a malformed number is ErrInvalid.
func SettingsFromValues(v map[string]string) (Settings, error) {
	s := DefaultSettings()
	str := func(key string, dst *string) {
		if x, ok := v[key]; ok {
			*dst = x
		}
	}
	num := func(key string, dst *int) error {
		x, ok := v[key]
		if !ok {
			return nil
		}
		n, err := strconv.Atoi(x)
		if err != nil {
			return Errorf(ErrInvalid, "setting %s: %q is not a number", key, x)
		}
		*dst = n
		return nil
	}
	str("title", &s.Title)
	str("description", &s.Description)
	str("base_url", &s.BaseURL)
	str("time_zone", &s.TimeZone)
	str("theme", &s.Theme)
	str("latest_comments_label", &s.LatestCommentsLabel)
	if x, ok := v["moderation"]; ok {
		s.Moderation = ModerationPolicy(x)
	}
	if err := num("entries_per_page", &s.EntriesPerPage); err != nil {
		return s, err
	}
	if err := num("basename_limit", &s.BasenameLimit); err != nil {
		return s, err
	}
	boolean := func(key string, dst *bool) error {
		x, ok := v[key]
		if !ok {
			return nil
		}
		b, err := strconv.ParseBool(x)
		if err != nil {
			return Errorf(ErrInvalid, "setting %s: %q is not true or false", key, x)
		}
		*dst = b
		return nil
	}
	float := func(key string, dst *float64) error {
		x, ok := v[key]
		if !ok {
			return nil
		}
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return Errorf(ErrInvalid, "setting %s: %q is not a number", key, x)
		}
		*dst = f
		return nil
	}
	millis := func(key string, dst *time.Duration) error {
		var n int
		if err := num(key, &n); err != nil {
			return err
		}
		if _, ok := v[key]; ok {
			*dst = time.Duration(n) * time.Millisecond
		}
		return nil
	}
	if x, ok := v["comment_blocklist"]; ok {
		s.Blocklist = nil
		for _, line := range strings.Split(x, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				s.Blocklist = append(s.Blocklist, line)
			}
		}
	}
	str("smtp_host", &s.SMTP.Host)
	str("smtp_user", &s.SMTP.User)
	str("smtp_password", &s.SMTP.Password)
	str("smtp_from", &s.SMTP.From)
	c := &s.CommentIntake
	for _, err := range []error{
		num("comments_close_after_days", &c.CommentsCloseAfterDays),
		num("comment_max_links", &c.MaxLinks),
		boolean("comment_honeypot", &c.Honeypot),
		millis("comment_token_min_age", &c.TokenMinAge),
		millis("comment_token_max_age", &c.TokenMaxAge),
		num("comment_rate_per_minute", &c.RatePerMinute),
		num("comment_rate_burst", &c.RateBurst),
		num("comment_max_length", &c.MaxCommentLength),
		num("comment_max_name_length", &c.MaxNameLength),
		num("comment_max_email_length", &c.MaxEmailLength),
		num("comment_max_url_length", &c.MaxURLLength),
		boolean("spam_filter", &c.SpamFilter),
		float("spam_hold_score", &c.SpamHoldScore),
		float("spam_score", &c.SpamScore),
		num("smtp_port", &s.SMTP.Port),
	} {
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// SettingsStore stores the blog's settings.
type SettingsStore interface {
	// Settings returns the stored settings, defaults where none are stored.
	Settings(ctx context.Context) (Settings, error)
	// SaveSettings validates and stores s.
	SaveSettings(ctx context.Context, s Settings) error
}
