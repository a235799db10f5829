// Package promtext writes a load run in the Prometheus text exposition
// format (version 0.0.4), for a textfile collector or a Pushgateway: base
// units (seconds, bytes), counters ending in _total, one label set per
// phase.
//
// It is written by hand rather than through prometheus/common's expfmt:
// the output is a dozen fixed families, the format's rules that matter here
// (escaping label values and HELP text, one TYPE per family, summaries as
// quantile samples plus _sum and _count) fit in this file, and the binary
// does not take on the protobuf data model expfmt is built around. The
// tests parse the output back with expfmt's own parser.
package promtext

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// Write writes run's metrics to w.
func Write(w io.Writer, run *results.Run) error {
	e := &encoder{w: bufio.NewWriter(w)}
	phases := run.Phases
	lbl := func(p results.Phase, extra ...string) []string {
		return append([]string{"phase", p.Name, "workload", p.Workload, "auth", p.Auth, "mode", p.Mode}, extra...)
	}

	e.family("authspec_load_attempts_total", "counter", "Connection attempts made.")
	for _, p := range phases {
		e.sample("authspec_load_attempts_total", lbl(p), float64(p.Attempts))
	}
	e.family("authspec_load_connections_total", "counter", "Connections the broker accepted (CONNACK 0x00).")
	for _, p := range phases {
		e.sample("authspec_load_connections_total", lbl(p), float64(p.Succeeded))
	}
	e.family("authspec_load_connack_total", "counter", "CONNACK packets received, by reason code.")
	for _, p := range phases {
		for _, code := range sortedKeys(p.ConnackCodes) {
			e.sample("authspec_load_connack_total", lbl(p, "code", code), float64(p.ConnackCodes[code]))
		}
	}
	e.family("authspec_load_errors_total", "counter", "Attempts that failed without a refusing CONNACK, by cause (timeout, refused, reset, ...).")
	for _, p := range phases {
		for _, cause := range sortedKeys(p.Causes) {
			e.sample("authspec_load_errors_total", lbl(p, "cause", cause), float64(p.Causes[cause]))
		}
	}
	for _, s := range []struct {
		name, help string
		get        func(results.Phase) stats.Summary
	}{
		{"authspec_load_latency_seconds", "Time from an attempt's scheduled start to its CONNACK (coordinated omission corrected); accepted connections.", func(p results.Phase) stats.Summary { return p.Latency }},
		{"authspec_load_service_time_seconds", "Time from an attempt's actual start to its CONNACK; accepted connections.", func(p results.Phase) stats.Summary { return p.Service }},
	} {
		e.family(s.name, "summary", s.help)
		for _, p := range phases {
			sum := s.get(p)
			for _, q := range []struct {
				q  string
				ms float64
			}{{"0.5", sum.P50MS}, {"0.9", sum.P90MS}, {"0.99", sum.P99MS}, {"0.999", sum.P999MS}, {"1", sum.MaxMS}} {
				e.sample(s.name, lbl(p, "quantile", q.q), q.ms/1e3)
			}
			e.sample(s.name+"_sum", lbl(p), sum.MeanMS/1e3*float64(sum.Count))
			e.sample(s.name+"_count", lbl(p), float64(sum.Count))
		}
	}
	e.family("authspec_load_asked_rate_per_second", "gauge", "Arrival rate asked of the generator (open loop; 0 in a closed loop).")
	for _, p := range phases {
		e.sample("authspec_load_asked_rate_per_second", lbl(p), p.AskedRate)
	}
	e.family("authspec_load_achieved_rate_per_second", "gauge", "Accepted connections per second over the phase.")
	for _, p := range phases {
		e.sample("authspec_load_achieved_rate_per_second", lbl(p), p.AchievedRate)
	}
	e.family("authspec_load_generator_cpu_seconds_total", "counter", "CPU time of the generator process during the phase (scope label: generator, or generator+broker in-process).")
	for _, p := range phases {
		e.sample("authspec_load_generator_cpu_seconds_total", lbl(p, "scope", p.Generator.Scope), p.Generator.Seconds)
	}
	e.family("authspec_load_generator_cpu_seconds_per_connection", "gauge", "Generator CPU time per connection attempt.")
	for _, p := range phases {
		e.sample("authspec_load_generator_cpu_seconds_per_connection", lbl(p, "scope", p.Generator.Scope), p.Generator.PerConnectionUS/1e6)
	}
	e.family("authspec_load_broker_cpu_seconds_total", "counter", "CPU time of the local broker process during the phase.")
	for _, p := range phases {
		if p.Broker != nil {
			e.sample("authspec_load_broker_cpu_seconds_total", lbl(p), p.Broker.CPUSeconds)
		}
	}
	e.family("authspec_load_broker_resident_memory_bytes", "gauge", "Resident set of the local broker process before and after the phase.")
	for _, p := range phases {
		if p.Broker != nil {
			e.sample("authspec_load_broker_resident_memory_bytes", lbl(p, "when", "before"), float64(p.Broker.RSSBeforeBytes))
			e.sample("authspec_load_broker_resident_memory_bytes", lbl(p, "when", "after"), float64(p.Broker.RSSAfterBytes))
		}
	}
	e.family("authspec_load_broker_memory_bytes_per_connection", "gauge", "Growth of the broker's resident set per connection held (hold phases).")
	for _, p := range phases {
		if p.Broker != nil && p.Hold != nil {
			e.sample("authspec_load_broker_memory_bytes_per_connection", lbl(p), p.Broker.BytesPerConnection)
		}
	}
	e.family("authspec_load_held_connections", "gauge", "Connections held at the end of a hold phase (answering PINGREQ).")
	for _, p := range phases {
		if p.Hold != nil {
			e.sample("authspec_load_held_connections", lbl(p), float64(p.Hold.AliveAtEnd))
		}
	}
	e.family("authspec_load_phase_duration_seconds", "gauge", "Elapsed time of the phase.")
	for _, p := range phases {
		e.sample("authspec_load_phase_duration_seconds", lbl(p), p.ElapsedS)
	}
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}

type encoder struct {
	w   *bufio.Writer
	err error
	// pending is the HELP and TYPE of the current family, written with its
	// first sample, so a family with no samples (no broker process was
	// read) is left out.
	pending string
}

func (e *encoder) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func (e *encoder) family(name, typ, help string) {
	e.pending = fmt.Sprintf("# HELP %s %s\n# TYPE %s %s\n", name, escapeHelp(help), name, typ)
}

// sample writes name{k="v",...} value; labels alternate names and values.
func (e *encoder) sample(name string, labels []string, v float64) {
	if e.pending != "" {
		e.printf("%s", e.pending)
		e.pending = ""
	}
	var b strings.Builder
	b.WriteString(name)
	if len(labels) > 0 {
		b.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(labels[i])
			b.WriteString(`="`)
			b.WriteString(escapeLabel(labels[i+1]))
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	e.printf("%s %s\n", b.String(), formatFloat(v))
}

// escapeLabel escapes a label value: backslash, double quote, line feed.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// escapeHelp escapes HELP text: backslash and line feed.
func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func sortedKeys(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
