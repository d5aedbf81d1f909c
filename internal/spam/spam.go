// Package spam is a local, self-training spam filter for readers' comments:
// naive Bayes over the words of a comment, the hosts and domains it links to
// and a few traits of its sender, combined as Gary Robinson proposed (the
// method SpamBayes uses). It learns from every moderation decision, keeps its
// counts in the blog's store and needs no third-party service.
package spam

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gazette-blog/gazette"
)

// Unknown is the score of a comment the filter cannot judge: before it has
// learnt from both an approved and a spam comment, or when no token of the
// comment says anything either way.
const Unknown = 0.5

// Robinson's parameters: strength is how many comments' worth of evidence the
// prior prob counts for, and a token is a clue only when its probability is
// at least minStrength away from neutral. maxClues keeps a long comment from
// drowning in its own words.
const (
	strength    = 1.0
	prior       = 0.5
	minStrength = 0.1
	maxClues    = 150
	maxTokenLen = 40
)

// Tokens returns the distinct features of a comment, sorted: its words in
// lower case, each linked host and its domain, the number of links, and the
// domain of the sender's email and site.
func Tokens(c *gazette.Comment) []string {
	set := map[string]struct{}{}
	add := func(t string) { set[t] = struct{}{} }
	words(c.Body, add)
	for _, w := range strings.Fields(strings.ToLower(c.Name)) {
		if len(w) <= maxTokenLen {
			add("name:" + w)
		}
	}
	links := Links(c.Body)
	if c.URL != "" {
		add("hasurl")
		links = append(links, c.URL)
	}
	n := 0
	for _, l := range links {
		host := linkHost(l)
		if host == "" {
			continue
		}
		n++
		add("host:" + host)
		add("domain:" + domain(host))
		if i := strings.LastIndexByte(host, '.'); i >= 0 {
			add("tld:" + host[i+1:])
		}
	}
	if c.URL != "" {
		n--
	}
	switch {
	case n <= 0:
		add("links:0")
	case n < 3:
		add("links:" + strconv.Itoa(n))
	default:
		add("links:3+")
	}
	if _, d, ok := strings.Cut(strings.ToLower(c.Email), "@"); ok && d != "" {
		add("email:" + domain(d))
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// words calls add with each word of s in lower case: runs of letters and
// digits (and '$', '%', '\”, which spam leans on), two to maxTokenLen
// bytes long, plus a marker for a word shouted in capitals.
func words(s string, add func(string)) {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.Trim(s[start:end], "'")
		start = -1
		if len(w) < 2 || len(w) > maxTokenLen {
			return
		}
		lower := strings.ToLower(w)
		add(lower)
		if lower != w && strings.ToUpper(w) == w && utf8.RuneCountInString(w) > 2 {
			add("shout")
		}
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '$' || r == '%' || r == '\'' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		if r == '!' {
			add("!")
		}
	}
	flush(len(s))
}

// Links returns the web addresses in text: http and https URLs, and bare
// www. names, as a reader would link them.
func Links(text string) []string {
	var out []string
	lower := strings.ToLower(text)
	for i := 0; i < len(lower); {
		j := -1
		for _, p := range [...]string{"http://", "https://", "www."} {
			if k := strings.Index(lower[i:], p); k >= 0 && (j < 0 || k < j) {
				j = k
			}
		}
		if j < 0 {
			break
		}
		start := i + j
		end := start
		for end < len(text) && !strings.ContainsRune(" \t\r\n\"'<>()[]{}", rune(text[end])) {
			end++
		}
		out = append(out, text[start:end])
		i = end
	}
	return out
}

// CountLinks returns how many links text holds: URLs and <a elements.
func CountLinks(text string) int {
	return len(Links(text)) + strings.Count(strings.ToLower(text), "<a ")
}

// linkHost returns the lower-case host a link points at, without "www.".
func linkHost(link string) string {
	if !strings.Contains(link, "://") {
		link = "http://" + link
	}
	u, err := url.Parse(strings.TrimRight(link, ".,;:!?"))
	if err != nil {
		return ""
	}
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if !strings.Contains(h, ".") {
		return ""
	}
	return h
}

// domain returns the last two labels of a host name: a cheap stand-in for the
// registrable domain that is right for nearly every host spam links to.
func domain(host string) string {
	labels := strings.Split(strings.Trim(host, "."), ".")
	if len(labels) <= 2 {
		return strings.Join(labels, ".")
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

// Score returns the probability that a comment made of tokens is spam, given
// the counts learnt so far and the numbers of comments learnt from: near 1
// for spam, near 0 for ham, Unknown when the counts cannot tell.
func Score(tokens []string, counts map[string]gazette.SpamCount, total gazette.SpamCount) float64 {
	if total.Ham == 0 || total.Spam == 0 {
		return Unknown
	}
	type clue struct{ p, strength float64 }
	var clues []clue
	for _, t := range tokens {
		c, ok := counts[t]
		if !ok || c.Ham+c.Spam == 0 {
			continue
		}
		spamRatio := math.Min(1, float64(c.Spam)/float64(total.Spam))
		hamRatio := math.Min(1, float64(c.Ham)/float64(total.Ham))
		p := spamRatio / (spamRatio + hamRatio)
		n := float64(c.Ham + c.Spam)
		f := (strength*prior + n*p) / (strength + n)
		if d := math.Abs(f - 0.5); d >= minStrength {
			clues = append(clues, clue{f, d})
		}
	}
	if len(clues) == 0 {
		return Unknown
	}
	sort.Slice(clues, func(i, j int) bool { return clues[i].strength > clues[j].strength })
	if len(clues) > maxClues {
		clues = clues[:maxClues]
	}
	var lnHam, lnSpam float64
	for _, c := range clues {
		lnSpam += math.Log(c.p)
		lnHam += math.Log(1 - c.p)
	}
	n := 2 * len(clues)
	s := 1 - chi2Q(-2*lnHam, n) // evidence of spam
	h := 1 - chi2Q(-2*lnSpam, n)
	return (s - h + 1) / 2
}

// chi2Q returns the probability that a chi-squared variable with v (even)
// degrees of freedom is at least x2.
func chi2Q(x2 float64, v int) float64 {
	m := x2 / 2
	sum := math.Exp(-m)
	term := sum
	for i := 1; i < v/2; i++ {
		term *= m / float64(i)
		sum += term
	}
	return math.Min(sum, 1)
}

// Classify scores c with what store has learnt.
func Classify(ctx context.Context, store gazette.SpamStore, c *gazette.Comment) (float64, error) {
	tokens := Tokens(c)
	counts, total, err := store.SpamCounts(ctx, tokens)
	if err != nil {
		return 0, fmt.Errorf("spam: classify: %w", err)
	}
	return Score(tokens, counts, total), nil
}

// Train teaches store that the stored comment c is spam, or ham when spam is
// false.
func Train(ctx context.Context, store gazette.SpamStore, c *gazette.Comment, spam bool) error {
	if err := store.TrainSpam(ctx, c.ID, Tokens(c), spam); err != nil {
		return fmt.Errorf("spam: train on comment %d: %w", c.ID, err)
	}
	return nil
}
