package reports

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/testenv"
)

// TestCompareRendersInChromium renders the comparison page in headless
// Chromium (Debian's chromium package), takes a screenshot and reads it
// back: the page must draw something, fit the window without running off
// its right edge, and show its cells in their verdict colours, one band of
// pass-green per table row that has a pass cell. Without chromium the test
// skips, except under CI, where it must run.
func TestCompareRendersInChromium(t *testing.T) {
	browser := testenv.NeedOneOf(t, []string{"chromium", "chromium-browser"}, "chromium")
	m := Compare(compareFixtureRuns(t))
	var page bytes.Buffer
	if err := WriteCompareHTML(&page, m); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html := filepath.Join(dir, "compare.html")
	if err := os.WriteFile(html, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	const width, height = 1280, 2000
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--force-device-scale-factor=1", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--screenshot="+shot, "--window-size=1280,2000", "file://"+html)
	cmd.WaitDelay = 10 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != width {
		t.Fatalf("screenshot is %dx%d, want %d wide", b.Dx(), b.Dy(), width)
	}

	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	passGreen := color.RGBA{0x2e, 0x7d, 0x32, 0xff} // .v-pass
	drawn, right := 0, 0
	var greenBands, prevGreen = 0, false
	for y := b.Min.Y; y < b.Max.Y; y++ {
		green := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.At(x, y)
			if !near(c, white) {
				drawn++
				right = max(right, x)
			}
			if near(c, passGreen) {
				green++
			}
		}
		isGreen := green >= 40
		if isGreen && !prevGreen {
			greenBands++
		}
		prevGreen = isGreen
	}
	if share := float64(drawn) / float64(b.Dx()*b.Dy()); share < 0.05 {
		t.Errorf("only %.1f%% of the page is drawn", share*100)
	}
	// The page fits: nothing runs into the window's right edge.
	if right >= b.Max.X-8 {
		t.Errorf("content reaches x=%d of %d: the page is wider than the window", right, b.Dx())
	}
	if right < 400 {
		t.Errorf("content ends at x=%d: the table collapsed", right)
	}
	// The totals' pass row, and one band per matrix row with a pass cell.
	want := 1
	for _, g := range m.Groups {
		for _, r := range g.Rows {
			for _, c := range r.Cells {
				if c.Verdict == VerdictPass {
					want++
					break
				}
			}
		}
	}
	if greenBands != want {
		t.Errorf("%d bands of pass-green, want %d (the totals row and each matrix row with a pass cell)", greenBands, want)
	}
}

// near compares colours with a tolerance for anti-aliasing and colour
// management.
func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, w uint8) bool {
		x := int(a>>8) - int(w)
		return x > -12 && x < 12
	}
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}
