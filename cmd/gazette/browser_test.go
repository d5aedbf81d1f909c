package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gazette-blog/gazette/internal/sqlite"
)

// browser starts a headless Chromium for the test, or skips the test when
// none is installed.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium); browser tests skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// TestPagesInBrowser opens the seed entry and the home page of the demo blog
// in both themes, at a desktop and a phone width, in real Chromium: the
// theme's stylesheet applies, and nothing is wider than the screen. With
// GAZETTE_SCREENSHOTS=DIR it also saves the top of the entry page as
// DIR/THEME-entry-WIDTH.png (docs/screenshots holds the ones the README shows).
func TestPagesInBrowser(t *testing.T) {
	ctx := browser(t)
	dir := t.TempDir()
	base, stop := startServe(t, dir, "--demo")
	defer stop()
	shots := os.Getenv("GAZETTE_SCREENSHOTS")

	for _, theme := range []string{"default", "classic"} {
		setTheme(t, dir, theme)
		for _, page := range []struct{ name, path string }{
			{"entry", seedPath},
			{"home", "/"},
		} {
			for _, width := range []int64{1280, 390} {
				name := theme + "-" + page.name + "-" + strconv.FormatInt(width, 10)
				t.Run(name, func(t *testing.T) {
					tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
					defer cancel()
					if err := chromedp.Do(tctx,
						chromedp.EmulateViewport(width, 1400, chromedp.EmulateScale(1)),
						chromedp.Navigate(base+page.path),
					); err != nil {
						t.Fatal(err)
					}
					styled, err := chromedp.Run(tctx, chromedp.Evaluate[bool](
						`[...document.styleSheets].some(s => s.cssRules.length > 0)`))
					if err != nil {
						t.Fatal(err)
					}
					if !styled {
						t.Error("no stylesheet applied to the page")
					}
					overflow, err := chromedp.Run(tctx, chromedp.Evaluate[float64](
						`document.documentElement.scrollWidth - window.innerWidth`))
					if err != nil {
						t.Fatal(err)
					}
					if overflow > 0 {
						t.Errorf("the page is %v px wider than the %d px window", overflow, width)
					}
					if shots == "" || page.name != "entry" {
						return
					}
					png, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
	}
}

// setTheme changes the blog's theme as the admin will: through the store,
// while the server runs; the server reads its settings on every request.
func setTheme(t *testing.T, dataDir, theme string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dataDir, "gazette.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Theme = theme
	if err := db.SaveSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
}
