// Package charts draws a load run as SVG files (gonum.org/v1/plot, pure Go,
// no JavaScript): latency over time, the percentile spectrum, and asked
// versus achieved connection rate.
package charts

import (
	"fmt"
	"math"
	"path/filepath"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// File names of the charts.
const (
	LatencyOverTime    = "latency-over-time.svg"
	PercentileSpectrum = "percentile-spectrum.svg"
	Rate               = "rate.svg"
)

const (
	width  = 22 * vg.Centimeter
	height = 12 * vg.Centimeter
)

// Write draws the three charts into dir and returns their file names.
// latency maps each phase's latency tag (stats.Tag(phase, "latency")) to
// its whole-phase histogram.
func Write(dir string, run *results.Run, latency map[string]*hdr.Histogram) ([]string, error) {
	charts := []struct {
		name string
		draw func(*results.Run, map[string]*hdr.Histogram) (*plot.Plot, error)
	}{
		{LatencyOverTime, latencyOverTime},
		{PercentileSpectrum, percentileSpectrum},
		{Rate, rate},
	}
	var out []string
	for _, c := range charts {
		p, err := c.draw(run, latency)
		if err != nil {
			return out, fmt.Errorf("%s: %w", c.name, err)
		}
		if err := p.Save(width, height, filepath.Join(dir, c.name)); err != nil {
			return out, fmt.Errorf("%s: %w", c.name, err)
		}
		out = append(out, c.name)
	}
	return out, nil
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// offset is an interval's start in seconds from the run's start, so the
// phases of a run follow each other on one time axis.
func offset(run *results.Run, iv stats.Interval) float64 { return iv.Start.Sub(run.Started).Seconds() }

// latencyOverTime: p50, p99 and max latency per interval, per phase.
func latencyOverTime(run *results.Run, _ map[string]*hdr.Histogram) (*plot.Plot, error) {
	p := newPlot("Connect latency over time (from the scheduled start)", "time since the run started (s)", "latency (ms)")
	var lines []any
	for _, ph := range run.Phases {
		var p50, p99, mx plotter.XYs
		for _, iv := range ph.Intervals {
			if iv.Succeeded == 0 {
				continue
			}
			t := offset(run, iv) + iv.LengthS/2
			p50 = append(p50, plotter.XY{X: t, Y: iv.P50MS})
			p99 = append(p99, plotter.XY{X: t, Y: iv.P99MS})
			mx = append(mx, plotter.XY{X: t, Y: iv.MaxMS})
		}
		if len(p50) == 0 {
			continue
		}
		lines = append(lines, ph.Name+" p50", p50, ph.Name+" p99", p99, ph.Name+" max", mx)
	}
	return p, plotutil.AddLines(p, lines...)
}

// spectrumTicks label the x axis of the percentile spectrum, where x is
// log10(1/(1-q)): 0 is the median's left end (q=0), 1 is 90%, 2 is 99%.
var spectrumTicks = plot.ConstantTicks{
	{Value: 0, Label: "0%"}, {Value: math.Log10(2), Label: "50%"}, {Value: 1, Label: "90%"}, {Value: 2, Label: "99%"},
	{Value: 3, Label: "99.9%"}, {Value: 4, Label: "99.99%"}, {Value: 5, Label: "99.999%"},
}

// percentileSpectrum: latency at each percentile, on HdrHistogram's usual
// 1/(1-q) axis, so the tail is as readable as the median.
func percentileSpectrum(run *results.Run, latency map[string]*hdr.Histogram) (*plot.Plot, error) {
	p := newPlot("Connect latency by percentile (whole phase)", "percentile", "latency (ms)")
	p.X.Tick.Marker = spectrumTicks
	var lines []any
	for _, ph := range run.Phases {
		h := latency[stats.Tag(ph.Name, "latency")]
		if h == nil || h.TotalCount() == 0 {
			continue
		}
		// Up to the percentile the sample size can tell from the max.
		top := math.Min(5, math.Log10(float64(h.TotalCount())))
		var xys plotter.XYs
		for x := 0.0; x <= top+1e-9; x += 0.05 {
			q := 100 * (1 - math.Pow(10, -x))
			xys = append(xys, plotter.XY{X: x, Y: float64(h.ValueAtQuantile(q)) / 1e6})
		}
		xys = append(xys, plotter.XY{X: top, Y: float64(h.Max()) / 1e6})
		lines = append(lines, ph.Name, xys)
	}
	return p, plotutil.AddLines(p, lines...)
}

// rate: arrivals asked (due) and connections achieved (accepted) per
// second, per interval.
func rate(run *results.Run, _ map[string]*hdr.Histogram) (*plot.Plot, error) {
	p := newPlot("Connection rate: asked vs achieved", "time since the run started (s)", "connections per second")
	var lines []any
	for _, ph := range run.Phases {
		var asked, achieved plotter.XYs
		for _, iv := range ph.Intervals {
			if iv.LengthS <= 0 {
				continue
			}
			t := offset(run, iv) + iv.LengthS/2
			asked = append(asked, plotter.XY{X: t, Y: float64(iv.Asked) / iv.LengthS})
			achieved = append(achieved, plotter.XY{X: t, Y: float64(iv.Succeeded) / iv.LengthS})
		}
		if len(asked) == 0 {
			continue
		}
		label := "asked"
		if ph.Mode == "closed" {
			label = "started" // a closed loop asks for nothing: attempts start as others end
		}
		lines = append(lines, ph.Name+" "+label, asked, ph.Name+" achieved", achieved)
	}
	return p, plotutil.AddLines(p, lines...)
}
