package html

import (
	"regexp"
	"strings"
	"time"
)

// dateLayouts are the date and time formats blogs of the era printed, most
// specific first; those without a zone are wall-clock times in the blog's zone.
var dateLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"Monday, January 2, 2006 3:04 PM",
	"Monday, January 2, 2006 at 3:04 PM",
	"January 2, 2006 3:04 PM",
	"January 2, 2006 at 3:04 PM",
	"January 2, 2006 at 3:04 pm",
	"January 2, 2006 3:04 pm",
	"2 January 2006 at 3:04 pm",
	"2 January 2006 at 3:04 PM",
	"2 January 2006 3:04 pm",
	"January 2, 2006 15:04",
	"Jan 2, 2006 3:04 PM",
	"1/2/2006 3:04 PM",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04",
	"Monday, January 2, 2006",
	"Monday, 2 January 2006",
	"January 2, 2006",
	"2 January 2006",
	"Jan 2, 2006",
	"1/2/2006",
	"2006-01-02",
}

// timeLayouts are times of day printed without a date, to be joined to the
// day of a date heading.
var timeLayouts = []string{"3:04 PM", "3:04 pm", "3:04:05 PM", "15:04", "15:04:05"}

var spaces = regexp.MustCompile(`\s+`)

// ordinal drops the suffix of "3rd" and the like, which time cannot parse.
var ordinal = regexp.MustCompile(`\b(\d{1,2})(st|nd|rd|th)\b`)

// normalize prepares printed text for the layouts: one space between words
// (MT pads days with a space), no ordinal suffixes, upper-case AM and PM.
func normalize(s string) string {
	s = strings.TrimSpace(spaces.ReplaceAllString(s, " "))
	s = ordinal.ReplaceAllString(s, "$1")
	s = strings.TrimSuffix(s, ".")
	return s
}

// parseDate reads a printed date, with or without a time. hasTime reports
// whether it held a time of day.
func parseDate(s string, loc *time.Location) (t time.Time, hasTime, ok bool) {
	s = normalize(s)
	if s == "" {
		return time.Time{}, false, false
	}
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, strings.Contains(l, "15") || strings.Contains(l, "3:04"), true
		}
	}
	// Lower-case am/pm is printed as often as upper.
	up := strings.NewReplacer(" am", " AM", " pm", " PM").Replace(s)
	if up != s {
		return parseDate(up, loc)
	}
	return time.Time{}, false, false
}

// parseClock reads a time of day alone.
func parseClock(s string) (h, m, sec int, ok bool) {
	s = normalize(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, strings.ToUpper(s)); err == nil {
			return t.Hour(), t.Minute(), t.Second(), true
		}
	}
	return 0, 0, 0, false
}

// findDate looks for a date in running text ("Posted by Phil on April 16,
// 2006 10:57 AM | Permalink") by trying ever shorter runs of its words.
func findDate(text string, loc *time.Location) (t time.Time, hasTime, ok bool) {
	words := strings.Fields(text)
	const maxWords = 8
	for i := range words {
		for n := min(maxWords, len(words)-i); n >= 1; n-- {
			if t, hasTime, ok := parseDate(strings.Join(words[i:i+n], " "), loc); ok {
				return t, hasTime, true
			}
		}
	}
	return time.Time{}, false, false
}

// findClock looks for a time of day alone in running text.
func findClock(text string) (h, m, s int, ok bool) {
	words := strings.Fields(text)
	for i := range words {
		for n := min(2, len(words)-i); n >= 1; n-- {
			if h, m, s, ok := parseClock(strings.Join(words[i:i+n], " ")); ok {
				return h, m, s, true
			}
		}
	}
	return 0, 0, 0, false
}

// onDay puts a time of day on the day of d, in d's zone.
func onDay(d time.Time, h, m, s int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, s, 0, d.Location())
}

// bloggerTime recovers the creation time from a classic Blogger post or
// comment id, whose first 13 digits are milliseconds since the Unix epoch.
func bloggerTime(id string) (time.Time, bool) {
	id = strings.TrimLeft(id, "c")
	if len(id) < 17 || len(id) > 19 {
		return time.Time{}, false
	}
	var ms int64
	for _, r := range id[:13] {
		if r < '0' || r > '9' {
			return time.Time{}, false
		}
		ms = ms*10 + int64(r-'0')
	}
	t := time.UnixMilli(ms)
	if t.Year() < 1999 || t.Year() > 2012 {
		return time.Time{}, false
	}
	return t, true
}
