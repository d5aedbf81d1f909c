package feed

import (
	"encoding/json"
	"io"
)

// jsonFeed is JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
type jsonFeed struct {
	Version     string     `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url"`
	FeedURL     string     `json:"feed_url"`
	Description string     `json:"description,omitempty"`
	Language    string     `json:"language,omitempty"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// WriteJSON writes f as a JSON Feed 1.1. Tags are the topics' names.
// Strings are carried exactly, control characters included, since JSON can
// hold them all.
func (f *Feed) WriteJSON(w io.Writer) error {
	if err := f.check(); err != nil {
		return err
	}
	jf := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       f.Title,
		HomePageURL: f.alternate(),
		FeedURL:     f.FeedURL,
		Description: f.Subtitle,
		Language:    f.Language,
		Items:       make([]jsonItem, 0, len(f.Items)),
	}
	for _, it := range f.Items {
		ji := jsonItem{
			ID:            it.ID,
			URL:           it.URL,
			Title:         it.Title,
			ContentHTML:   it.ContentHTML,
			Summary:       it.Summary,
			DatePublished: rfc3339(it.Published),
			DateModified:  rfc3339(it.Updated),
		}
		for _, p := range it.Authors {
			ji.Authors = append(ji.Authors, jsonAuthor(p))
		}
		for _, c := range it.Categories {
			ji.Tags = append(ji.Tags, c.Label)
		}
		jf.Items = append(jf.Items, ji)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(jf)
}
