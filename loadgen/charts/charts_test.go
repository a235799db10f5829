package charts

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// Charts are drawn for any run, including one whose phases accepted
// nothing (a broker refusing everyone) and one with no phase at all
// (interrupted before the first).
func TestWriteEdgeCases(t *testing.T) {
	t0 := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	lat := stats.NewHistogram()
	for i := range 1000 {
		_ = lat.RecordValue(int64(i+1) * 1000)
	}
	runs := map[string]*results.Run{
		"empty": {Started: t0},
		"refused": {Started: t0, Phases: []results.Phase{{Name: "jwt-HS256", Mode: "open",
			Intervals: []stats.Interval{{Start: t0, LengthS: 1, Asked: 10, Failed: 10}}}}},
		"normal": {Started: t0, Phases: []results.Phase{{Name: "anonymous", Mode: "closed",
			Intervals: []stats.Interval{{Start: t0, LengthS: 1, Asked: 10, Succeeded: 10, P50MS: 1, P99MS: 2, MaxMS: 3},
				{Start: t0.Add(time.Second), LengthS: 1, Asked: 12, Succeeded: 12, P50MS: 1, P99MS: 2, MaxMS: 3}}}}},
	}
	for name, run := range runs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			files, err := Write(dir, run, map[string]*hdr.Histogram{stats.Tag("anonymous", "latency"): lat})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 4 {
				t.Fatalf("files %v", files)
			}
			for _, f := range files {
				data, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil || !strings.Contains(string(data), "<svg") {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
}

// Axes get enough labelled ticks for any range, the percentile axis reads
// as HdrHistogram's plotter draws it, and legends stay out of the plot.
func TestTicksAndLayout(t *testing.T) {
	for _, r := range [][2]float64{{0, 1}, {0, 4263}, {0.02, 0.7}, {3, 3.5}, {0, 40.2}} {
		lo, hi, ticks := linearTicks(r[0], r[1])
		if len(ticks) < 5 || lo > r[0] || hi < r[1] {
			t.Errorf("linear %v: [%v, %v] %v", r, lo, hi, ticks)
		}
	}
	_, _, ticks := logTicks(0.4, 130)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.label)
	}
	if got := strings.Join(labels, " "); got != "0.1 0.2 0.5 1 2 5 10 20 50 100 200 500 1000" {
		t.Errorf("log ticks %q", got)
	}
	labels = nil
	for _, tk := range percentileTicks(4) {
		labels = append(labels, tk.label)
	}
	if got := strings.Join(labels, " "); got != "0% 90% 99% 99.9% 99.99%" {
		t.Errorf("percentile ticks %q", got)
	}
	// The legend column starts right of the plot's right edge.
	svg := string(render(plotSpec{title: "t", x: axisSpec{max: 1}, y: axisSpec{max: 1},
		legend: []legendEntry{{0, "anonymous"}}}))
	if !strings.Contains(svg, fmt.Sprintf(`<text x="%.1f"`, chartW-legendW+34)) {
		t.Errorf("legend not in its own column:\n%s", svg)
	}
}

// A phase shorter than half an interval still shows its rate (a point),
// where a longer phase's cut-short last interval is left out.
func TestRateOfAShortPhase(t *testing.T) {
	t0 := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	run := &results.Run{Started: t0, IntervalS: 1, Phases: []results.Phase{{Name: "anonymous", Mode: "closed", Started: t0, ElapsedS: 0.2,
		Intervals: []stats.Interval{{Start: t0, LengthS: 0.2, Asked: 40, Succeeded: 40, P50MS: 1, P99MS: 2, MaxMS: 3}}}}}
	svg := string(render(rate(run)))
	if !strings.Contains(svg, "<circle") {
		t.Errorf("no point for a 0.2 s phase:\n%s", svg)
	}
	run.Phases[0].ElapsedS = 2.2
	run.Phases[0].Intervals = append([]stats.Interval{{Start: t0, LengthS: 1, Asked: 40, Succeeded: 40},
		{Start: t0.Add(time.Second), LengthS: 1, Asked: 40, Succeeded: 40}}, stats.Interval{Start: t0.Add(2 * time.Second), LengthS: 0.2, Asked: 1, Succeeded: 1})
	if s := rate(run); len(s.series[0].pts) != 2 {
		t.Errorf("the cut-short interval was drawn: %+v", s.series[0].pts)
	}
}
