// Package charts draws a load run as SVG (plain SVG text, no JavaScript, no
// fonts or files of its own): latency over time, latency and service time
// by percentile on HdrHistogram's axis, and asked versus achieved
// connection rate. Each chart is a file of its own and is inlined in the
// run's index.html.
package charts

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// File names of the charts.
const (
	LatencyOverTime    = "latency-over-time.svg"
	PercentileSpectrum = "percentile-spectrum.svg"
	ServiceSpectrum    = "service-spectrum.svg"
	Rate               = "rate.svg"
)

// Chart is one drawn chart.
type Chart struct {
	File  string // its file name
	Title string
	SVG   []byte
}

// Draw draws every chart of run. totals maps tags (stats.Tag(phase,
// "latency"), stats.Tag(phase, "service")) to whole-phase histograms.
func Draw(run *results.Run, totals map[string]*hdr.Histogram) []Chart {
	specs := []struct {
		file string
		spec plotSpec
	}{
		{LatencyOverTime, latencyOverTime(run)},
		{PercentileSpectrum, spectrum(run, totals, "latency",
			"Connect latency by percentile (from the scheduled start, whole phase)", "latency (ms)")},
		{ServiceSpectrum, spectrum(run, totals, "service",
			"Service time by percentile (from the actual start, whole phase)", "service time (ms)")},
		{Rate, rate(run)},
	}
	out := make([]Chart, 0, len(specs))
	for _, s := range specs {
		out = append(out, Chart{File: s.file, Title: s.spec.title, SVG: render(s.spec)})
	}
	return out
}

// Write draws the charts into dir and returns their file names.
func Write(dir string, run *results.Run, totals map[string]*hdr.Histogram) ([]string, error) {
	var names []string
	for _, c := range Draw(run, totals) {
		if err := os.WriteFile(filepath.Join(dir, c.File), c.SVG, 0o644); err != nil {
			return names, fmt.Errorf("%s: %w", c.File, err)
		}
		names = append(names, c.File)
	}
	return names, nil
}

// offset is an interval's start in seconds from the run's start, so the
// phases of a run follow each other on one time axis.
func offset(run *results.Run, iv stats.Interval) float64 { return iv.Start.Sub(run.Started).Seconds() }

func legendOf(run *results.Run) []legendEntry {
	out := make([]legendEntry, len(run.Phases))
	for i, ph := range run.Phases {
		out[i] = legendEntry{phase: i, name: ph.Name}
	}
	return out
}

// timeAxis spans the run's phases; bands shade each phase's stretch.
func timeAxis(run *results.Run) (axisSpec, []band) {
	ax := axisSpec{label: "time since the run started (s)", min: 0, max: 1}
	var bands []band
	for i, ph := range run.Phases {
		from := ph.Started.Sub(run.Started).Seconds()
		to := from + ph.ElapsedS
		if ph.Started.IsZero() && len(ph.Intervals) > 0 {
			from = offset(run, ph.Intervals[0])
			to = from + ph.ElapsedS
		}
		// The axis reaches the end of every interval drawn; the band
		// only the phase's own time.
		axEnd := to
		for _, iv := range ph.Intervals {
			axEnd = math.Max(axEnd, offset(run, iv)+iv.LengthS)
		}
		ax.max = math.Max(ax.max, axEnd)
		bands = append(bands, band{phase: i, from: from, to: to})
	}
	return ax, bands
}

// latencyOverTime: p50 (solid), p99 (dashed) and max (dotted) latency per
// interval, one colour per phase, on a logarithmic axis so the median
// stays readable beside the maximum.
func latencyOverTime(run *results.Run) plotSpec {
	x, bands := timeAxis(run)
	s := plotSpec{
		title: "Connect latency over time", x: x, interval: bands,
		y:      axisSpec{label: "latency (ms, log scale)", log: true, min: math.Inf(1), max: 0},
		legend: legendOf(run), empty: "no connection was accepted",
		styles: []styleEntry{{Solid, "p50"}, {Dashed, "p99"}, {Dotted, "max"}},
	}
	for i, ph := range run.Phases {
		var p50, p99, mx []point
		for _, iv := range ph.Intervals {
			if iv.Succeeded == 0 {
				continue
			}
			t := offset(run, iv) + iv.LengthS/2
			p50 = append(p50, point{t, iv.P50MS})
			p99 = append(p99, point{t, iv.P99MS})
			mx = append(mx, point{t, iv.MaxMS})
			for _, v := range []float64{iv.P50MS, iv.P99MS, iv.MaxMS} {
				if v > 0 {
					s.y.min, s.y.max = math.Min(s.y.min, v), math.Max(s.y.max, v)
				}
			}
		}
		s.series = append(s.series, series{phase: i, pts: p50, width: 2.2}, series{phase: i, dash: Dashed, pts: p99, width: 1.6},
			series{phase: i, dash: Dotted, pts: mx, width: 1.6})
	}
	if math.IsInf(s.y.min, 1) {
		s.y.min, s.y.max = 0.1, 10
	}
	return s
}

// spectrum: the value at each percentile of the whole phase, on
// HdrHistogram's usual axis (x = log10(1/(1-q))), so the tail is as
// readable as the median. A phase's line stops at the percentile its
// sample size can tell apart from the maximum.
func spectrum(run *results.Run, totals map[string]*hdr.Histogram, kind, title, ylabel string) plotSpec {
	s := plotSpec{title: title, y: axisSpec{label: ylabel, min: 0, max: 0}, legend: legendOf(run),
		empty: "no connection was accepted"}
	top := 1
	for i, ph := range run.Phases {
		h := totals[stats.Tag(ph.Name, kind)]
		if h == nil || h.TotalCount() == 0 {
			continue
		}
		end := math.Min(6, math.Log10(float64(h.TotalCount())))
		top = max(top, int(math.Ceil(end-1e-9)))
		var pts []point
		for x := 0.0; x <= end+1e-9; x += 0.025 {
			q := 100 * (1 - math.Pow(10, -x))
			pts = append(pts, point{x, float64(h.ValueAtQuantile(q)) / 1e6})
		}
		pts = append(pts, point{end, float64(h.Max()) / 1e6})
		s.y.max = math.Max(s.y.max, float64(h.Max())/1e6)
		s.series = append(s.series, series{phase: i, pts: pts, width: 2.2})
	}
	s.x = axisSpec{label: "percentile", min: 0, max: float64(top), ticks: percentileTicks(top)}
	if s.y.max == 0 {
		s.y.max = 1
	}
	return s
}

// rate: connections achieved (accepted per second, solid) and arrivals
// asked (due per second, dashed; attempts started in a closed loop), per
// interval. An interval cut short at the end of a phase is left out (a few
// attempts over a few milliseconds would read as a spike), unless the
// phase has nothing longer.
func rate(run *results.Run) plotSpec {
	x, bands := timeAxis(run)
	s := plotSpec{
		title: "Connections per second", x: x, interval: bands,
		y:      axisSpec{label: "connections per second", min: 0, max: 1},
		legend: legendOf(run), empty: "no interval to show",
		styles: []styleEntry{{Solid, "achieved (accepted)"}, {Dashed, "asked (due)"}},
	}
	for i, ph := range run.Phases {
		var asked, achieved []point
		// A phase shorter than half an interval keeps its short intervals:
		// one point is better than none.
		whole := false
		for _, iv := range ph.Intervals {
			whole = whole || iv.LengthS >= run.IntervalS/2
		}
		for _, iv := range ph.Intervals {
			if iv.LengthS <= 0 || (whole && iv.LengthS < run.IntervalS/2) {
				continue
			}
			t := offset(run, iv) + iv.LengthS/2
			a, g := float64(iv.Asked)/iv.LengthS, float64(iv.Succeeded)/iv.LengthS
			asked = append(asked, point{t, a})
			achieved = append(achieved, point{t, g})
			s.y.max = math.Max(s.y.max, math.Max(a, g))
		}
		s.series = append(s.series, series{phase: i, pts: achieved, width: 2.2}, series{phase: i, dash: Dashed, pts: asked, width: 1.6})
	}
	return s
}
