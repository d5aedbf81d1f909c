package gazette

import (
	"context"
	"strconv"
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
	return s, nil
}

// SettingsStore stores the blog's settings.
type SettingsStore interface {
	// Settings returns the stored settings, defaults where none are stored.
	Settings(ctx context.Context) (Settings, error)
	// SaveSettings validates and stores s.
	SaveSettings(ctx context.Context, s Settings) error
}
