package movabletype

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// wallTime is a date and time as the export writes it: wall-clock time in
// the blog's zone, with no zone of its own.
type wallTime struct {
	year, month, day, hour, min, sec int
}

// String returns the time in a fixed layout, independent of any zone, for
// import keys: the same export gives the same keys whatever the blog's zone.
func (w wallTime) String() string {
	if w == (wallTime{}) {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", w.year, w.month, w.day, w.hour, w.min, w.sec)
}

// in returns the instant the wall-clock time names in loc, in UTC.
func (w wallTime) in(loc *time.Location) time.Time {
	return time.Date(w.year, time.Month(w.month), w.day, w.hour, w.min, w.sec, 0, loc).UTC()
}

// parseDate reads an MT date: MM/DD/YYYY hh:mm:ss with an optional AM or PM
// (without it the hour is 24-hour), 1-digit months and days, optional
// seconds, and a 2-digit year meaning 19YY, as MT's importer accepts.
func parseDate(v string) (wallTime, error) {
	bad := fmt.Errorf("%q is not a date of the form MM/DD/YYYY hh:mm:ss AM", v)
	f := strings.Fields(v)
	if len(f) < 2 || len(f) > 3 {
		return wallTime{}, bad
	}
	d := strings.Split(f[0], "/")
	t := strings.Split(f[1], ":")
	if len(d) != 3 || len(t) < 2 || len(t) > 3 {
		return wallTime{}, bad
	}
	var w wallTime
	type field struct {
		s         string
		dst       *int
		lo, hi    int
		twoOrFour bool // a year: 2 or 4 digits; others 1 or 2
	}
	fields := []field{
		{d[0], &w.month, 1, 12, false},
		{d[1], &w.day, 1, 31, false},
		{d[2], &w.year, 0, 9999, true},
		{t[0], &w.hour, 0, 23, false},
		{t[1], &w.min, 0, 59, false},
	}
	if len(t) == 3 {
		fields = append(fields, field{t[2], &w.sec, 0, 59, false})
	}
	for _, n := range fields {
		okLen := len(n.s) == 1 || len(n.s) == 2
		if n.twoOrFour {
			okLen = len(n.s) == 2 || len(n.s) == 4
		}
		if !okLen || !allDigits(n.s) {
			return wallTime{}, bad
		}
		x, _ := strconv.Atoi(n.s)
		if x < n.lo || x > n.hi {
			return wallTime{}, bad
		}
		*n.dst = x
	}
	if len(d[2]) == 2 {
		w.year += 1900
	}
	if len(f) == 3 {
		switch strings.ToUpper(f[2]) {
		case "AM":
			if w.hour < 1 || w.hour > 12 {
				return wallTime{}, bad
			}
			if w.hour == 12 {
				w.hour = 0
			}
		case "PM":
			if w.hour < 1 || w.hour > 12 {
				return wallTime{}, bad
			}
			if w.hour != 12 {
				w.hour += 12
			}
		default:
			return wallTime{}, bad
		}
	}
	if w.day > daysIn(w.year, w.month) {
		return wallTime{}, fmt.Errorf("%q is not a date: %d/%d has no day %d", v, w.month, w.year, w.day)
	}
	return w, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
