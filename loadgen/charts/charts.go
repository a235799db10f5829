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
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

// offset is an interval's start in seconds from the run's start, so the
// phases of a run follow each other on one time axis.
func offset(run *results.Run, iv stats.Interval) float64 { return iv.Start.Sub(run.Started).Seconds() }

// line adds xys to p in the phase's colour and the given dash pattern,
// with a legend entry when name is not empty.
func line(p *plot.Plot, xys plotter.XYs, phase int, dashes []vg.Length, name string) error {
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.Color = plotutil.Color(phase)
	l.Dashes = dashes
	l.Width = vg.Points(1.2)
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

var (
	solid  []vg.Length
	dashed = []vg.Length{vg.Points(5), vg.Points(3)}
	dotted = []vg.Length{vg.Points(1.5), vg.Points(2)}
)

// latencyOverTime: p50 (solid), p99 (dashed) and max (dotted) latency per
// interval, one colour per phase.
func latencyOverTime(run *results.Run, _ map[string]*hdr.Histogram) (*plot.Plot, error) {
	p := newPlot("Connect latency over time: p50 solid, p99 dashed, max dotted", "time since the run started (s)", "latency (ms)")
	for i, ph := range run.Phases {
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
		for _, l := range []struct {
			xys    plotter.XYs
			dashes []vg.Length
			name   string
		}{{p50, solid, ph.Name}, {p99, dashed, ""}, {mx, dotted, ""}} {
			if err := line(p, l.xys, i, l.dashes, l.name); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// spectrumTicks label the x axis of the percentile spectrum, where x is
// log10(1/(1-q)): 0 is q=0, 1 is 90%, 2 is 99%.
var spectrumTicks = plot.ConstantTicks{
	{Value: 0, Label: "0%"}, {Value: math.Log10(2), Label: "50%"}, {Value: 1, Label: "90%"}, {Value: 2, Label: "99%"},
	{Value: 3, Label: "99.9%"}, {Value: 4, Label: "99.99%"}, {Value: 5, Label: "99.999%"},
}

// percentileSpectrum: latency at each percentile, on HdrHistogram's usual
// 1/(1-q) axis, so the tail is as readable as the median.
func percentileSpectrum(run *results.Run, latency map[string]*hdr.Histogram) (*plot.Plot, error) {
	p := newPlot("Connect latency by percentile (whole phase)", "percentile", "latency (ms)")
	p.X.Tick.Marker = spectrumTicks
	for i, ph := range run.Phases {
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
		if err := line(p, xys, i, solid, ph.Name); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// rate: connections achieved (accepted, solid) and arrivals asked (due,
// dashed; attempts started in a closed loop) per second, per interval. An
// interval cut short at the end of a phase is left out: a few attempts
// over a few milliseconds would read as a spike.
func rate(run *results.Run, _ map[string]*hdr.Histogram) (*plot.Plot, error) {
	p := newPlot("Connections per second: achieved solid, asked dashed", "time since the run started (s)", "connections per second")
	for i, ph := range run.Phases {
		var asked, achieved plotter.XYs
		for _, iv := range ph.Intervals {
			if iv.LengthS <= 0 || iv.LengthS < run.IntervalS/2 {
				continue
			}
			t := offset(run, iv) + iv.LengthS/2
			asked = append(asked, plotter.XY{X: t, Y: float64(iv.Asked) / iv.LengthS})
			achieved = append(achieved, plotter.XY{X: t, Y: float64(iv.Succeeded) / iv.LengthS})
		}
		if err := line(p, achieved, i, solid, ph.Name); err != nil {
			return nil, err
		}
		if err := line(p, asked, i, dashed, ""); err != nil {
			return nil, err
		}
	}
	return p, nil
}
