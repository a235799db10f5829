package charts

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// The charts are drawn here as plain SVG text: a plot area with labelled
// axes and gridlines at every tick, one distinct colour per phase, and the
// legend in a column of its own to the right of the plot, so it never
// covers a line. Nothing but SVG elements: the same text is a file of its
// own and inlined in index.html, readable with no script and no network.

// Palette is the colour of phase i (i modulo its length): Tableau's ten
// categorical colours, then six more of distinct hue and lightness, so the
// nine phases of three rounds of anonymous, HS256 and RS256 never share
// one.
var Palette = []string{
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
	"#bcbd22", "#17becf", "#000000", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
}

// PhaseColor is the colour of the i-th phase of a run, the same in every
// chart and in the page's tables.
func PhaseColor(i int) string { return Palette[i%len(Palette)] }

// Line styles (SVG stroke-dasharray; "" is solid).
const (
	Solid  = ""
	Dashed = "7 4"
	Dotted = "1.5 3"
)

type point struct{ x, y float64 }

type series struct {
	phase int // colour index
	dash  string
	width float64
	pts   []point
}

type tick struct {
	v     float64
	label string
}

type axisSpec struct {
	label    string
	log      bool
	min, max float64
	ticks    []tick // fixed ticks (the percentile axis); nil: computed
}

type legendEntry struct {
	phase int
	name  string
}

type styleEntry struct {
	dash, name string
}

type plotSpec struct {
	title    string
	x, y     axisSpec
	series   []series
	legend   []legendEntry
	styles   []styleEntry // what the line styles mean, under the phases
	empty    string       // shown in the plot when there is no data
	interval []band       // shaded phase spans (time charts)
}

// band is a stretch of the x axis belonging to one phase.
type band struct {
	phase    int
	from, to float64
}

// Geometry of every chart, in SVG user units (CSS pixels).
const (
	chartW      = 980.0
	chartMinH   = 440.0
	plotLeft    = 78.0
	plotTop     = 48.0
	plotBottom  = 62.0 // below the plot: tick labels and the axis label
	legendW     = 220.0
	legendGap   = 24.0
	legendLineH = 19.0
)

// render draws s as a standalone SVG document.
func render(s plotSpec) []byte {
	rows := len(s.legend) + len(s.styles)
	if len(s.styles) > 0 {
		rows++ // the gap between phases and styles
	}
	h := math.Max(chartMinH, plotTop+float64(rows)*legendLineH+plotBottom+20)
	x0, x1 := plotLeft, chartW-legendW-legendGap
	y0, y1 := plotTop, h-plotBottom

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12" role="img" aria-label="%s">`+"\n",
		chartW, h, chartW, h, esc(s.title))
	fmt.Fprintf(&b, `<rect width="%g" height="%g" fill="#ffffff"/>`+"\n", chartW, h)
	fmt.Fprintf(&b, `<text x="%g" y="26" font-size="16" font-weight="bold" fill="#111">%s</text>`+"\n", x0, esc(s.title))

	xs := newScale(s.x, x0, x1)
	ys := newScale(s.y, y1, y0)
	// Phase bands under everything else.
	for _, bd := range s.interval {
		a, c := xs.at(bd.from), xs.at(bd.to)
		if c-a < 0.5 {
			continue
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="0.07"/>`+"\n", a, y0, c-a, y1-y0, PhaseColor(bd.phase))
	}
	// Gridlines and tick labels.
	for _, t := range xs.ticks {
		x := xs.at(t.v)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#dddddd" stroke-width="1"/>`+"\n", x, y0, x, y1)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333" stroke-width="1"/>`+"\n", x, y1, x, y1+5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#222">%s</text>`+"\n", x, y1+19, esc(t.label))
	}
	for _, t := range ys.ticks {
		y := ys.at(t.v)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#dddddd" stroke-width="1"/>`+"\n", x0, y, x1, y)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333" stroke-width="1"/>`+"\n", x0-5, y, x0, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#222">%s</text>`+"\n", x0-8, y+4, esc(t.label))
	}
	// Axes and their labels.
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#333" stroke-width="1"/>`+"\n", x0, y0, x1-x0, y1-y0)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="13" fill="#111">%s</text>`+"\n", (x0+x1)/2, h-14, esc(s.x.label))
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle" font-size="13" fill="#111">%s</text>`+"\n", (y0+y1)/2, esc(s.y.label))

	// The data, clipped to the plot area.
	drawn := 0
	fmt.Fprintf(&b, `<clipPath id="plot-%s"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"/></clipPath>`+"\n", clipID(s.title), x0, y0-1, x1-x0, y1-y0+2)
	fmt.Fprintf(&b, `<g clip-path="url(#plot-%s)" fill="none" stroke-linejoin="round" stroke-linecap="round">`+"\n", clipID(s.title))
	for _, sr := range s.series {
		var pts []string
		var last point // SVG coordinates of the last point kept
		for _, p := range sr.pts {
			if (s.y.log && p.y <= 0) || math.IsNaN(p.y) || math.IsInf(p.y, 0) {
				continue
			}
			last = point{xs.at(p.x), ys.at(p.y)}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", last.x, last.y))
		}
		if len(pts) == 0 {
			continue
		}
		drawn++
		w := sr.width
		if w == 0 {
			w = 2
		}
		dash := ""
		if sr.dash != "" {
			dash = fmt.Sprintf(` stroke-dasharray="%s"`, sr.dash)
		}
		if len(pts) == 1 {
			// One interval: a dot, or the line would not show.
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s" stroke="none"/>`+"\n", last.x, last.y, PhaseColor(sr.phase))
			continue
		}
		fmt.Fprintf(&b, `<polyline points="%s" stroke="%s" stroke-width="%g"%s/>`+"\n", strings.Join(pts, " "), PhaseColor(sr.phase), w, dash)
	}
	b.WriteString("</g>\n")
	if drawn == 0 && s.empty != "" {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="14" fill="#666">%s</text>`+"\n", (x0+x1)/2, (y0+y1)/2, esc(s.empty))
	}

	// The legend, in its own column right of the plot.
	lx := chartW - legendW
	ly := y0 + 4
	if len(s.legend) > 0 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-weight="bold" fill="#111">phase</text>`+"\n", lx, ly)
		ly += legendLineH
	}
	for _, e := range s.legend {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="3"/>`+"\n", lx, ly-4, lx+26, ly-4, PhaseColor(e.phase))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#111">%s</text>`+"\n", lx+34, ly, esc(e.name))
		ly += legendLineH
	}
	if len(s.styles) > 0 {
		ly += legendLineH / 2
		for _, st := range s.styles {
			dash := ""
			if st.dash != "" {
				dash = fmt.Sprintf(` stroke-dasharray="%s"`, st.dash)
			}
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333" stroke-width="2"%s/>`+"\n", lx, ly-4, lx+26, ly-4, dash)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#111">%s</text>`+"\n", lx+34, ly, esc(st.name))
			ly += legendLineH
		}
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func esc(s string) string { return html.EscapeString(s) }

// clipID makes an element ID from a title, unique among a page's charts.
func clipID(title string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(title) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// scale maps data values to SVG coordinates along one axis.
type scale struct {
	log      bool
	min, max float64
	a, b     float64 // SVG coordinates of min and max
	ticks    []tick
}

func newScale(ax axisSpec, a, b float64) scale {
	s := scale{log: ax.log, min: ax.min, max: ax.max, a: a, b: b, ticks: ax.ticks}
	if s.log {
		s.min, s.max = math.Max(s.min, 1e-9), math.Max(s.max, 1e-9)
	}
	if !(s.max > s.min) {
		if s.log {
			s.max = s.min * 10
		} else {
			s.max = s.min + 1
		}
	}
	if s.ticks == nil {
		if s.log {
			s.min, s.max, s.ticks = logTicks(s.min, s.max)
		} else {
			s.min, s.max, s.ticks = linearTicks(s.min, s.max)
		}
	}
	return s
}

func (s scale) at(v float64) float64 {
	lo, hi := s.min, s.max
	if s.log {
		v, lo, hi = math.Log10(math.Max(v, 1e-12)), math.Log10(lo), math.Log10(hi)
	}
	return s.a + (v-lo)/(hi-lo)*(s.b-s.a)
}

// linearTicks widens [min, max] to whole steps of 1, 2, 2.5 or 5 x 10^k,
// six to eleven ticks in all.
func linearTicks(from, to float64) (float64, float64, []tick) {
	step := niceStep((to - from) / 8)
	lo := math.Floor(from/step+1e-9) * step
	hi := math.Ceil(to/step-1e-9) * step
	if hi <= lo {
		hi = lo + step
	}
	decimals := max(-int(math.Floor(math.Log10(step)+1e-9)), 0)
	if step/math.Pow(10, math.Floor(math.Log10(step)+1e-9)) == 2.5 {
		decimals++
	}
	var ticks []tick
	for v := lo; v <= hi+step/2; v += step {
		ticks = append(ticks, tick{v: v, label: formatTick(v, decimals)})
	}
	return lo, hi, ticks
}

func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag*(1+1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

func formatTick(v float64, decimals int) string {
	if math.Abs(v) < 1e-12 {
		return "0"
	}
	if math.Abs(v) >= 10000 {
		return groupThousands(strconv.FormatFloat(v, 'f', decimals, 64))
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// groupThousands puts thin spaces between groups of three digits of an
// integer part ("12 500").
func groupThousands(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString("\u2009")
		}
		b.WriteRune(c)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// logTicks widens [min, max] to whole decades and ticks 1, 2 and 5 of each
// (only the powers of ten past five decades).
func logTicks(from, to float64) (float64, float64, []tick) {
	lo := math.Floor(math.Log10(from) + 1e-9)
	hi := math.Ceil(math.Log10(to) - 1e-9)
	if hi <= lo {
		hi = lo + 1
	}
	mults := []float64{1, 2, 5}
	if hi-lo > 5 {
		mults = []float64{1}
	}
	var ticks []tick
	for e := lo; e <= hi; e++ {
		for _, m := range mults {
			v := m * math.Pow(10, e)
			if v > math.Pow(10, hi)*(1+1e-9) {
				break
			}
			decimals := max(-int(e), 0)
			ticks = append(ticks, tick{v: v, label: formatTick(v, decimals)})
		}
	}
	return math.Pow(10, lo), math.Pow(10, hi), ticks
}

// percentileTicks label the percentile axis as HdrHistogram's plotter
// does: x is log10(1/(1-q)), so 0 is 0 %, 1 is 90 %, 2 is 99 %, and each
// further nine adds a unit.
func percentileTicks(top int) []tick {
	ticks := []tick{{0, "0%"}}
	label := "90"
	for i := 1; i <= top; i++ {
		ticks = append(ticks, tick{float64(i), label + "%"})
		if i == 1 {
			label = "99"
		} else {
			if !strings.Contains(label, ".") {
				label += "."
			}
			label += "9"
		}
	}
	return ticks
}
