package site

import (
	"slices"
	"testing"
)

func TestMTVariants(t *testing.T) {
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/archives/000123.php", []string{"/archives/000123.html"}},
		{"/archives/000123.html", nil},
		{"/archives/2007/03/spy_story.php", []string{"/archives/2007/03/spy_story.html", "/archives/2007/03/spy-story.html"}},
		{"/archives/2007/03/spy-story.html", []string{"/archives/2007/03/spy_story.html"}},
		{"/archives/2007/03/spy_story.html", []string{"/archives/2007/03/spy-story.html"}},
		{"/archives/2007/03/spy.html", nil},
		{"/2007/03/spy_story.html", nil},
		{"/archives/2007/03/", nil},
		{"/archives/.php", []string{"/archives/.html"}},
	} {
		if got := mtVariants(tt.path); !slices.Equal(got, tt.want) {
			t.Errorf("mtVariants(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
