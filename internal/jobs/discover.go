package jobs

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gazette-blog/gazette/internal/fetch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Discover returns the Webmention endpoint of the page at target, as the
// specification finds it (3.1.2): the first Link header with rel
// "webmention", else the first <link> or <a> element with that rel and an
// href, resolved against the page's final URL (after redirects). It returns
// "" for a page that has none.
func Discover(ctx context.Context, c *fetch.Client, target string) (string, error) {
	resp, err := c.Get(ctx, target)
	if err != nil {
		return "", fmt.Errorf("discovering the endpoint of %s: %w", target, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", fmt.Errorf("discovering the endpoint of %s: status %d", target, resp.StatusCode)
	}
	base, err := url.Parse(resp.URL)
	if err != nil {
		return "", fmt.Errorf("discovering the endpoint of %s: %w", target, err)
	}
	if ref, ok := linkHeader(resp.Header.Values("Link")); ok {
		return resolve(base, ref)
	}
	if !strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "html") {
		return "", nil
	}
	doc, err := html.Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return "", fmt.Errorf("discovering the endpoint of %s: %w", target, err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || (n.DataAtom != atom.Link && n.DataAtom != atom.A) {
			continue
		}
		href, hasHref := "", false
		rel := ""
		for _, a := range n.Attr {
			switch a.Key {
			case "href":
				href, hasHref = a.Val, true
			case "rel":
				rel = a.Val
			}
		}
		if hasHref && hasRel(rel) {
			// An empty href is the page itself, which is its own endpoint.
			return resolve(base, href)
		}
	}
	return "", nil
}

// linkHeader finds the target of the first rel="webmention" link in Link
// header values (RFC 8288): <uri>; rel="a b", <uri2>; rel=webmention.
func linkHeader(values []string) (string, bool) {
	for _, v := range values {
		for _, link := range splitLinks(v) {
			start, end := strings.IndexByte(link, '<'), strings.IndexByte(link, '>')
			if start < 0 || end < start {
				continue
			}
			for _, param := range strings.Split(link[end+1:], ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(param), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "rel") && hasRel(strings.Trim(strings.TrimSpace(val), `"`)) {
					return link[start+1 : end], true
				}
			}
		}
	}
	return "", false
}

// splitLinks splits a Link header at the commas between links, not at
// those inside <…> or quotes.
func splitLinks(v string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			quoted = !quoted
		case c == '<' && !quoted:
			depth++
		case c == '>' && !quoted && depth > 0:
			depth--
		case c == ',' && !quoted && depth == 0:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

func hasRel(rel string) bool {
	return slices.ContainsFunc(strings.Fields(rel), func(r string) bool { return strings.EqualFold(r, "webmention") })
}

func resolve(base *url.URL, ref string) (string, error) {
	u, err := base.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", fmt.Errorf("endpoint %q: %w", ref, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("endpoint %q is not an http or https URL", ref)
	}
	return u.String(), nil
}

// Send posts a webmention of target from source to endpoint and returns
// the endpoint's status; any 2xx is success (202 is usual).
func Send(ctx context.Context, c *fetch.Client, endpoint, source, target string) (int, error) {
	form := url.Values{"source": {source}, "target": {target}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, fmt.Errorf("sending a webmention to %s: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("sending a webmention to %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("sending a webmention to %s: status %d", endpoint, resp.StatusCode)
	}
	return resp.StatusCode, nil
}
