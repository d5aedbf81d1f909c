package spam_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gazette-blog/gazette"
)

// labelled is one comment of the evaluation set.
type labelled struct {
	c    gazette.Comment
	spam bool
}

// readHam reads the ham comments of testdata/ham.jsonl (see testdata/README.md).
func readHam(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "ham.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var v struct{ Name, Email, URL, Body string }
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("testdata/ham.jsonl:%d: %v", line, err)
		}
		out = append(out, labelled{c: gazette.Comment{Name: v.Name, Email: v.Email, URL: v.URL, Body: v.Body}})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// genSpam returns n spam comments in several styles, the same for the same
// seed: pharmacy, casino, SEO link farms, crypto schemes, each with many or
// few links, some with none in the text (only the sender's site), and some
// that borrow the blog's own political words to look like readers.
func genSpam(n int, seed uint64) []labelled {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	tlds := []string{"com", "net", "info", "biz", "ru", "xyz", "top", "online", "shop", "pl"}
	site := func(words ...string) string {
		host := pick(words...) + pick("", "-", "") + pick("online", "shop", "store", "best", "24", "rx", "deals", "now", "pro", "hub")
		if rng.IntN(3) == 0 {
			host = "www." + host
		}
		return pick("http://", "https://", "") + host + "." + tlds[rng.IntN(len(tlds))] + pick("/", "/buy", "/?ref="+fmt.Sprint(rng.IntN(9999)), "/index.php?id="+fmt.Sprint(rng.IntN(999)))
	}
	praise := []string{"Great post!", "Very informative article, thanks for sharing.", "I really like your blog.",
		"Nice read, I bookmarked this page.", "Thanks for the useful information.", "Awesome write-up, keep it up!",
		"This is exactly what I was looking for.", "Your site is very helpful.", "Hello admin, nice website.",
		"I agree with your points.", "Interesting, I will share this with my friends."}
	blogWords := []string{"government", "election", "policy", "Iran", "democrats", "security", "economy", "vote", "media", "president"}
	names := []string{"Buy Viagra", "Casino Online", "cheap pills", "SEO Expert", "Crypto Trader", "Mike", "Anna", "John Smith",
		"best essay writing", "payday loans", "Linda", "replica watches", "David"}
	styles := []func() (body, url string){
		func() (string, string) { // pharmacy
			drug := pick("viagra", "cialis", "levitra", "tramadol", "xanax", "phentermine", "sildenafil")
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s %s online %s. ", pick("Buy", "Order", "Get", "Cheap"), pick("generic", "cheap", "discount", ""), drug, pick("no prescription", "without prescription", "overnight delivery", "best price"))
			for i := rng.IntN(4); i >= 0; i-- {
				fmt.Fprintf(&b, "%s %s %s\n", pick("buy", "order", "cheap", "discount"), drug, site(drug, "pharma", "meds", "pills"))
			}
			return b.String(), ""
		},
		func() (string, string) { // casino
			return fmt.Sprintf("%s %s %s. Get your %s bonus today at %s and %s!",
				pick("Best", "Top", "Trusted"), pick("online casino", "slots", "poker room", "sports betting"),
				pick("in 2024", "for real money", "with instant payouts"), pick("$500", "100 free spins", "welcome"),
				site("casino", "slots", "bet", "poker"), pick("win big", "play now", "claim it")), ""
		},
		func() (string, string) { // SEO link farm
			var b strings.Builder
			b.WriteString(pick(praise...) + " ")
			for i := 2 + rng.IntN(6); i > 0; i-- {
				fmt.Fprintf(&b, "<a href=\"%s\">%s</a> ", site("seo", "backlinks", "essay", "loans", "replica", "watches"),
					pick("cheap seo", "buy backlinks", "essay writing service", "payday loans", "replica watches", "web design"))
			}
			return b.String(), ""
		},
		func() (string, string) { // crypto
			return fmt.Sprintf("%s I made %s in %s with this %s. %s %s", pick("Hi everyone!", "Amazing!", ""),
				pick("$5000", "$12,000", "3 BTC", "$800 a day"), pick("one week", "a month", "two days"),
				pick("bitcoin trading bot", "crypto investment platform", "forex signal", "NFT airdrop"),
				pick("Contact", "Visit", "Join"), site("crypto", "btc", "invest", "trade", "coin")), ""
		},
		func() (string, string) { // no link in the text, a link as the sender's site
			return pick(praise...) + " " + pick(praise...), site("seo", "loans", "casino", "replica", "essay", "cbd")
		},
		func() (string, string) { // borrowed words of the blog, one link
			var b strings.Builder
			for i := 0; i < 6+rng.IntN(6); i++ {
				b.WriteString(blogWords[rng.IntN(len(blogWords))] + " ")
			}
			return pick(praise...) + " " + b.String() + pick("More at", "See", "Read") + " " + site("news", "info", "daily", "casino", "loans"), ""
		},
	}
	out := make([]labelled, n)
	for i := range out {
		body, u := styles[i%len(styles)]()
		name := names[rng.IntN(len(names))]
		user := strings.ToLower(strings.ReplaceAll(name, " ", ""))
		out[i] = labelled{spam: true, c: gazette.Comment{
			Name: name, Email: user + fmt.Sprint(rng.IntN(999)) + "@" + pick("gmail.com", "mail.ru", "yahoo.com", "outlook.com"),
			URL: u, Body: body,
		}}
	}
	return out
}
