package page

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/authspec/authspec/loadgen/charts"
	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"

	"github.com/authspec/authspec/fixtures/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixture is a run of three rounds of anonymous, HS256 and RS256 (nine
// phases, the case where the old charts ran out of colours), one phase
// with refusals and timeouts, and a hold, with made-up but deterministic
// figures.
func fixture() (*results.Run, map[string]*hdr.Histogram) {
	t0 := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	run := &results.Run{
		Format: results.FormatVersion, Tool: "authspec load", Version: "test", Started: t0, DurationS: 31,
		Target: results.Target{Kind: "reference-process", Addr: "127.0.0.1:1883", PID: 42, Provisioned: true},
		Shards: 1, IntervalS: 1,
		Settings: results.Settings{Mode: "closed", Concurrency: 16, DurationS: 3, Clients: 1000, TimeoutS: 5,
			Client: "wire", Disconnect: "packet", Sources: []string{"kernel"}, Workloads: []string{"anonymous", "jwt", "hold"}, Rounds: 3},
		Files: results.Files{JSON: results.JSONFile, Hlog: results.HlogFile,
			SVG: []string{charts.LatencyOverTime, charts.PercentileSpectrum, charts.ServiceSpectrum, charts.Rate}, Page: File},
		Notes: []string{"a note <with> markup & an ampersand"},
	}
	totals := map[string]*hdr.Histogram{}
	at := 0.0
	names := []string{"anonymous", "jwt-HS256", "jwt-RS256"}
	for round := range 3 {
		for k, base := range names {
			name := base
			if round > 0 {
				name = fmt.Sprintf("%s#%d", base, round+1)
			}
			i := len(run.Phases)
			cost := 1 + 0.3*float64(k) + 0.1*float64(round) // slower per algorithm and round
			p := results.Phase{Name: name, Workload: strings.Split(base, "-")[0], Auth: strings.Split(base, "-")[0], Mode: "closed",
				Concurrency: 16, Started: t0.Add(time.Duration(at * float64(time.Second))), ScheduleS: 3, ElapsedS: 3,
				ConnackCodes: map[string]int64{}, Causes: map[string]int64{}, Examples: map[string]string{},
				Generator: results.CPU{Scope: "generator", PerConnectionUS: 90 + float64(i), Utilization: 0.4},
				Broker:    &results.Broker{PID: 42, CPUPerConnectionUS: 140 * cost, CPUUtilization: 0.6}}
			if k > 0 {
				p.Info = map[string]any{"alg": strings.TrimPrefix(base, "jwt-"), "tokens": "pool"}
			}
			lat, svc := stats.NewHistogram(), stats.NewHistogram()
			for s := range 3 {
				rate := int64(float64(4000-300*s) / cost)
				iv := stats.Interval{Start: p.Started.Add(time.Duration(s) * time.Second), OffsetS: float64(s), LengthS: 1,
					Asked: rate, Attempts: rate, Succeeded: rate}
				for j := range rate {
					// A body around 3 ms per unit of cost and a tail.
					v := int64(cost * float64(2_000_000+(j*j*7919)%5_000_000))
					if j%997 == 0 {
						v *= 8
					}
					_ = lat.RecordValue(v + 20_000)
					_ = svc.RecordValue(v)
				}
				iv.P50MS, iv.P99MS, iv.MaxMS = 3*cost+float64(s)*0.2, 7*cost+float64(s), 20*cost+float64(2*s)
				p.Intervals = append(p.Intervals, iv)
				p.Attempts += rate
				p.Succeeded += rate
			}
			p.ConnackCodes["0x00"] = p.Succeeded
			if name == "jwt-RS256#2" {
				p.ConnackCodes["0x86"] = 12
				p.Examples["0x86"] = "Bad User Name or Password (the token expired)"
				p.Causes["timeout"] = 3
				p.Examples["timeout"] = "waiting for the CONNACK: mqttwire: timed out"
				p.Attempts += 15
				p.Failed = 15
			}
			p.AchievedRate = float64(p.Succeeded) / p.ElapsedS
			p.Latency, p.Service = stats.Summarize(lat), stats.Summarize(svc)
			p.Lag = stats.Summary{Count: p.Attempts, P50MS: 0.002, P90MS: 0.004, P99MS: 0.02, P999MS: 0.3, MaxMS: 2}
			totals[stats.Tag(name, "latency")], totals[stats.Tag(name, "service")] = lat, svc
			run.Phases = append(run.Phases, p)
			at += 3.5
		}
	}
	hold := results.Phase{Name: "hold", Workload: "hold", Auth: "jwt", Mode: "open", AskedRate: 2000, Started: t0.Add(time.Duration(at * float64(time.Second))),
		ElapsedS: 0.5, Attempts: 1000, Succeeded: 1000, ConnackCodes: map[string]int64{"0x00": 1000},
		Generator: results.CPU{Scope: "generator", PerConnectionUS: 120, Utilization: 0.3},
		Broker:    &results.Broker{PID: 42, CPUPerConnectionUS: 230, RSSBeforeBytes: 20 << 20, BytesPerConnection: 31.5 * 1024},
		Hold: &results.Hold{Target: 1000, Held: 1000, AliveAtEnd: 1000, HeldForS: 5, RSSHeld: 51 << 20,
			Generator: &results.GeneratorMemory{Scope: "generator", RSSBeforeBytes: 26 << 20, RSSHeldBytes: 28 << 20,
				HeapBefore: 3 << 20, HeapHeld: 4 << 20, BytesPerConnection: 2 << 10, HeapPerConnection: 1 << 10}}}
	run.Phases = append(run.Phases, hold)
	run.Compare()
	return run, totals
}

func render(t *testing.T) (*results.Run, []charts.Chart, []byte) {
	t.Helper()
	run, totals := fixture()
	cs := charts.Draw(run, totals)
	var b bytes.Buffer
	if err := Write(&b, run, cs); err != nil {
		t.Fatal(err)
	}
	return run, cs, b.Bytes()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run 'go test ./loadgen/page -update' to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file; if the change is meant, run 'go test ./loadgen/page -update' and review the diff", name)
	}
}

// The page, each chart and the text summary match their golden files.
func TestGolden(t *testing.T) {
	run, cs, html := render(t)
	golden(t, "index.html", html)
	for _, c := range cs {
		golden(t, c.File, c.SVG)
	}
	var text bytes.Buffer
	if err := results.WriteText(&text, run); err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.txt", text.Bytes())
}

// What a benchmarker needs is on the page, with nothing fetched and no
// script: settings, rates, percentiles, refusals by reason code, causes,
// the comparisons, memory per held connection, the four charts inline.
func TestPageContents(t *testing.T) {
	run, _, html := render(t)
	page := string(html)
	for _, want := range []string{
		"<h2>Settings</h2>", "closed loop, 16 clients", "Phases: rate asked and achieved",
		"Against the anonymous baseline", "jwt-RS256#3</td><td>anonymous#3</td>",
		"<code>0x86</code></td><td>Bad User Name or Password</td><td class=\"n\">12</td>",
		"failed: timeout", "Held connections", "<strong>2.00 KiB</strong> resident, 1.00 KiB live heap", "<strong>31.50 KiB</strong>",
		"Connect latency over time", "Connect latency by percentile", "Service time by percentile", "Connections per second",
		"99.99%", "a note &lt;with&gt; markup &amp; an ampersand",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg "); n != 4 {
		t.Errorf("%d inline charts, want 4", n)
	}
	for _, banned := range []string{"<script", "http://", "https://", "<link", "@import", "url(http"} {
		if strings.Contains(page, banned) && banned != "http://" {
			t.Errorf("the page holds %q: it must not fetch or run anything", banned)
		}
	}
	// The only "http://" allowed is the SVG namespace, which is a name,
	// not a fetch.
	if rest := strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, ""); strings.Contains(rest, "http://") {
		t.Error("the page names an http:// address")
	}
	for i := range run.Phases {
		if !strings.Contains(page, charts.PhaseColor(i)) {
			t.Errorf("phase %d's colour %s is not on the page", i, charts.PhaseColor(i))
		}
	}
}

// Every phase of the fixture has its own colour: the ten phases never
// share one.
func TestDistinctPhaseColours(t *testing.T) {
	seen := map[string]int{}
	for i := range 10 {
		c := charts.PhaseColor(i)
		if j, ok := seen[c]; ok {
			t.Errorf("phases %d and %d share %s", j, i, c)
		}
		seen[c] = i
	}
}

// chromiumBinary finds Debian's chromium; absent, the test is skipped
// unless CI is set, where it fails: CI installs it (.ci/run).
func chromiumBinary(t *testing.T) string {
	t.Helper()
	return testenv.NeedOneOf(t, []string{"chromium", "chromium-browser", "google-chrome"}, "chromium")
}

// screenshot renders file in headless Chromium at w x h and decodes the
// PNG.
func screenshot(t *testing.T, bin, file string, w, h int) image.Image {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "shot.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"), fmt.Sprintf("--window-size=%d,%d", w, h),
		"--screenshot="+out, "file://"+file)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// inked is the share of pixels that are not the white background, and the
// count of pixels of each exact colour.
func inked(img image.Image) (float64, map[string]int) {
	b := img.Bounds()
	n, ink := 0, 0
	colours := map[string]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			n++
			if r>>8 < 250 || g>>8 < 250 || bl>>8 < 250 {
				ink++
			}
			colours[fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, bl>>8)]++
		}
	}
	return float64(ink) / float64(n), colours
}

// The page and each chart, drawn by a real browser: the page is not blank,
// and every phase's colour shows in every chart with more than its legend
// sample, i.e. its lines were drawn.
func TestRenderedInChromium(t *testing.T) {
	bin := chromiumBinary(t)
	run, cs, html := render(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, File), html, 0o644); err != nil {
		t.Fatal(err)
	}
	share, _ := inked(screenshot(t, bin, filepath.Join(dir, File), 1100, 2400))
	if share < 0.05 {
		t.Errorf("the page's first 2400 px are %.1f%% ink: blank or nearly", 100*share)
	}
	for _, c := range cs {
		if c.File == charts.Rate || c.File == charts.LatencyOverTime || c.File == charts.PercentileSpectrum || c.File == charts.ServiceSpectrum {
			path := filepath.Join(dir, c.File)
			if err := os.WriteFile(path, c.SVG, 0o644); err != nil {
				t.Fatal(err)
			}
			share, colours := inked(screenshot(t, bin, path, 1000, 480))
			if share < 0.03 {
				t.Errorf("%s: %.1f%% ink", c.File, 100*share)
			}
			for i, p := range run.Phases {
				if p.Hold != nil {
					continue // a hold has no interval series worth a line
				}
				// Its legend sample alone is about 52 exact-colour pixels.
				if got := colours[charts.PhaseColor(i)]; got < 60 {
					t.Errorf("%s: phase %s's colour %s covers %d pixels: its line is missing", c.File, p.Name, charts.PhaseColor(i), got)
				}
			}
		}
	}
}
