// Package page renders a load run as one self-contained HTML page
// (index.html beside load.json): the settings, per phase the rate asked
// and achieved, latency, service time and start lag percentiles, CONNACKs
// and errors by reason code, the comparisons with the anonymous baseline,
// the memory of held connections, and the charts inlined as SVG. No
// script, no stylesheet or font to fetch: it reads the same from a file,
// a mail attachment or a CI artifact, offline.
package page

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/charts"
	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// File is the page's name in a run's output directory.
const File = "index.html"

//go:embed page.html.tmpl
var files embed.FS

var tmpl = template.Must(template.New("page.html.tmpl").Funcs(template.FuncMap{
	"color": charts.PhaseColor,
	"ms":    func(v float64) string { return fmt.Sprintf("%.3f", v) },
	"f1":    func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"f2":    func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"pct":   func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) },
	"kib":   func(v float64) string { return fmt.Sprintf("%.2f KiB", v/1024) },
	"mib":   func(v int64) string { return fmt.Sprintf("%.1f MiB", float64(v)/(1<<20)) },
	"delta": results.CPUDelta,
	"svg":   func(b []byte) template.HTML { return template.HTML(b) }, // drawn by package charts, text escaped there
	"time":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") },
}).ParseFS(files, "page.html.tmpl"))

// view is what the template shows.
type view struct {
	Run         *results.Run
	Title       string
	Settings    [][2]string
	Phases      []phaseView
	Comparisons []results.Comparison
	Broker      bool // some comparison has the broker's CPU
	Holds       []holdView
	Charts      []charts.Chart
}

type phaseView struct {
	Index int
	results.Phase
	Percentiles []percentileRow
	Codes       []codeRow
	Causes      []codeRow
}

type percentileRow struct {
	Name string
	stats.Summary
}

type codeRow struct {
	Code, Name string
	Count      int64
	Example    string
}

type holdView struct {
	Index int
	Name  string
	*results.Hold
	Broker *results.Broker
}

// Write renders the page for run with its charts.
func Write(w io.Writer, run *results.Run, cs []charts.Chart) error {
	v := view{Run: run, Charts: cs, Comparisons: run.Comparisons}
	v.Title = fmt.Sprintf("authspec load: %s %s", run.Target.Kind, run.Target.Addr)
	v.Settings = settings(run)
	for _, c := range run.Comparisons {
		v.Broker = v.Broker || c.HasBroker()
	}
	for i, p := range run.Phases {
		pv := phaseView{Index: i, Phase: p, Percentiles: []percentileRow{
			{"latency (from the scheduled start)", p.Latency}, {"service time (from the actual start)", p.Service},
			{"start lag (generator)", p.Lag}}}
		for _, k := range slices.Sorted(maps.Keys(p.ConnackCodes)) {
			pv.Codes = append(pv.Codes, codeRow{Code: k, Name: reasonName(k), Count: p.ConnackCodes[k], Example: p.Examples[k]})
		}
		for _, k := range slices.Sorted(maps.Keys(p.Causes)) {
			pv.Causes = append(pv.Causes, codeRow{Code: k, Count: p.Causes[k], Example: p.Examples[k]})
		}
		v.Phases = append(v.Phases, pv)
		if p.Hold != nil {
			v.Holds = append(v.Holds, holdView{Index: i, Name: p.Name, Hold: p.Hold, Broker: p.Broker})
		}
	}
	return tmpl.Execute(w, v)
}

// reasonName names a CONNACK reason code given as "0x87".
func reasonName(k string) string {
	var code byte
	if _, err := fmt.Sscanf(k, "0x%02X", &code); err != nil {
		return ""
	}
	return mqttwire.ReasonName(mqttwire.TypeConnack, 5, code)
}

func settings(run *results.Run) [][2]string {
	s := run.Settings
	var out [][2]string
	add := func(k, v string) { out = append(out, [2]string{k, v}) }
	add("target", fmt.Sprintf("%s %s (provisioned per phase: %v)", run.Target.Kind, run.Target.Addr, run.Target.Provisioned))
	add("started", run.Started.UTC().Format(time.RFC3339)+fmt.Sprintf(", %.1f s in all", run.DurationS))
	switch s.Mode {
	case "open":
		add("load", fmt.Sprintf("open loop, %.1f arrivals/s asked (all shards), at most %d in flight", s.Rate, s.MaxInFlight))
	default:
		add("load", fmt.Sprintf("closed loop, %d clients connecting back to back (all shards)", s.Concurrency))
	}
	var bounds []string
	if s.DurationS > 0 {
		bounds = append(bounds, fmt.Sprintf("%.1f s per phase", s.DurationS))
	}
	if s.Count > 0 {
		bounds = append(bounds, fmt.Sprintf("%d attempts per phase", s.Count))
	}
	if s.RampUpS > 0 {
		bounds = append(bounds, fmt.Sprintf("ramp-up %.1f s", s.RampUpS))
	}
	if len(bounds) > 0 {
		add("bounds", strings.Join(bounds, ", "))
	}
	add("workloads", strings.Join(s.Workloads, ", ")+fmt.Sprintf(" (%d round(s))", max(s.Rounds, 1)))
	add("clients", fmt.Sprintf("%d distinct (usernames, client IDs, credentials)", s.Clients))
	client := s.Client
	if s.Disconnect != "" {
		client += ", ending each storm connection with " + map[string]string{"packet": "DISCONNECT, then close", "close": "a bare close"}[s.Disconnect]
	}
	add("MQTT client", client)
	add("timeout", fmt.Sprintf("%.1f s per attempt", s.TimeoutS))
	add("source addresses", strings.Join(s.Sources, ", "))
	add("interval", fmt.Sprintf("%.1f s (charts and load.hlog)", run.IntervalS))
	if run.Shard != "" {
		add("shard", run.Shard)
	}
	if run.Shards > 1 {
		add("shards merged", fmt.Sprint(run.Shards))
	}
	add("authspec", run.Version)
	return out
}
