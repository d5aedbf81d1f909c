package spam_test

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/gazette-blog/gazette"
	"github.com/gazette-blog/gazette/internal/spam"
)

// evalSeed and the half-and-half split are the ones docs/SPAM.md reports.
const evalSeed = 1

// memory is the filter's learnt counts held in a map, as a store holds them.
type memory struct {
	counts map[string]gazette.SpamCount
	total  gazette.SpamCount
}

func (m *memory) learn(tokens []string, isSpam bool) {
	for _, t := range tokens {
		c := m.counts[t]
		if isSpam {
			c.Spam++
		} else {
			c.Ham++
		}
		m.counts[t] = c
	}
	if isSpam {
		m.total.Spam++
	} else {
		m.total.Ham++
	}
}

// TestPrecisionRecall trains the filter on half of a labelled set (1,000
// generated readers' comments and 1,000 generated spam comments, shuffled
// with a fixed seed) and scores the other half. With -v it prints the
// figures docs/SPAM.md quotes.
func TestPrecisionRecall(t *testing.T) {
	set := append(readHam(t), genSpam(1000, evalSeed)...)
	rng := rand.New(rand.NewPCG(evalSeed, 2))
	rng.Shuffle(len(set), func(i, j int) { set[i], set[j] = set[j], set[i] })
	train, test := set[:len(set)/2], set[len(set)/2:]
	m := &memory{counts: map[string]gazette.SpamCount{}}
	for _, l := range train {
		m.learn(spam.Tokens(&l.c), l.spam)
	}
	intake := gazette.DefaultCommentIntake()
	for _, th := range []struct {
		name       string
		score      float64
		minP, minR float64
	}{
		{"marked spam", intake.SpamScore, 0.99, 0.95},
		{"held or marked", intake.SpamHoldScore, 0.98, 0.97},
	} {
		var tp, fp, fn, tn int
		for _, l := range test {
			got := spam.Score(spam.Tokens(&l.c), m.counts, m.total) >= th.score
			switch {
			case got && l.spam:
				tp++
			case got && !l.spam:
				fp++
			case !got && l.spam:
				fn++
			default:
				tn++
			}
		}
		precision := float64(tp) / float64(max(tp+fp, 1))
		recall := float64(tp) / float64(max(tp+fn, 1))
		t.Logf("%s (score ≥ %.2f): trained on %d, tested on %d: TP %d FP %d FN %d TN %d, precision %.4f, recall %.4f",
			th.name, th.score, len(train), len(test), tp, fp, fn, tn, precision, recall)
		if precision < th.minP || recall < th.minR {
			t.Errorf("%s: precision %.4f (want ≥ %.2f), recall %.4f (want ≥ %.2f)", th.name, precision, th.minP, recall, th.minR)
		}
	}
	if os.Getenv("SPAM_EXAMPLES") != "" {
		for _, l := range test[:20] {
			t.Logf("spam=%v score=%.3f %q", l.spam, spam.Score(spam.Tokens(&l.c), m.counts, m.total), l.c.Body[:min(60, len(l.c.Body))])
		}
	}
}

// TestUntrained: before the filter has seen both kinds it cannot judge.
func TestUntrained(t *testing.T) {
	c := &gazette.Comment{Body: "Buy cheap viagra at http://pills.example/"}
	if got := spam.Score(spam.Tokens(c), nil, gazette.SpamCount{}); got != spam.Unknown {
		t.Errorf("Score with nothing learnt = %v, want %v", got, spam.Unknown)
	}
	m := &memory{counts: map[string]gazette.SpamCount{}}
	m.learn(spam.Tokens(c), true)
	if got := spam.Score(spam.Tokens(c), m.counts, m.total); got != spam.Unknown {
		t.Errorf("Score with only spam learnt = %v, want %v", got, spam.Unknown)
	}
}

func TestTokens(t *testing.T) {
	c := &gazette.Comment{Name: "Buy Pills", Email: "x@Mail.RU", URL: "https://shop.pills.example/a",
		Body: "CHEAP meds at www.rx.example.com and http://a.b.pills.example/x! Don't wait."}
	got := map[string]bool{}
	for _, tk := range spam.Tokens(c) {
		got[tk] = true
	}
	for _, want := range []string{"cheap", "meds", "don't", "shout", "!", "name:buy", "hasurl", "host:rx.example.com",
		"domain:example.com", "domain:pills.example", "host:a.b.pills.example", "links:2", "email:mail.ru", "tld:example"} {
		if !got[want] {
			t.Errorf("Tokens lacks %q; got %v", want, spam.Tokens(c))
		}
	}
}
