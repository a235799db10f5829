package promtext

import (
	"bytes"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// The output parses with Prometheus's own parser, label values that need
// escaping included, and carries the figures of the run.
func TestWriteParsesBack(t *testing.T) {
	run := &results.Run{Phases: []results.Phase{{
		Name: `odd "name"\with` + "\nnewline", Workload: "jwt", Auth: "jwt", Mode: "open",
		Attempts: 10, Succeeded: 8, AskedRate: 5, AchievedRate: 4,
		ConnackCodes: map[string]int64{"0x00": 8, "0x87": 1}, Causes: map[string]int64{"timeout": 1},
		Latency:   stats.Summary{Count: 8, MeanMS: 2, P50MS: 1.5, P90MS: 2, P99MS: 3, P999MS: 3, MaxMS: 4},
		Generator: results.CPU{Scope: "generator", Seconds: 0.5, PerConnectionUS: 50000},
		Broker:    &results.Broker{CPUSeconds: 0.25, RSSBeforeBytes: 1 << 20, RSSAfterBytes: 2 << 20},
	}}}
	var buf bytes.Buffer
	if err := Write(&buf, run); err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	get := func(name string, labels map[string]string) float64 {
		t.Helper()
		f := fams[name]
		if f == nil {
			t.Fatalf("no %s", name)
		}
	next:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue next
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			case m.GetSummary() != nil:
				return float64(m.GetSummary().GetSampleCount())
			}
		}
		t.Fatalf("%s%v not found", name, labels)
		return 0
	}
	name := run.Phases[0].Name
	if got := get("authspec_load_connections_total", map[string]string{"phase": name}); got != 8 {
		t.Errorf("connections %v", got)
	}
	if got := get("authspec_load_connack_total", map[string]string{"code": "0x87"}); got != 1 {
		t.Errorf("0x87 %v", got)
	}
	if got := get("authspec_load_errors_total", map[string]string{"cause": "timeout"}); got != 1 {
		t.Errorf("timeouts %v", got)
	}
	if got := get("authspec_load_latency_seconds", nil); got != 8 {
		t.Errorf("latency count %v", got)
	}
	q := fams["authspec_load_latency_seconds"].GetMetric()[0].GetSummary().GetQuantile()
	if len(q) != 5 || q[0].GetQuantile() != 0.5 || q[0].GetValue() != 0.0015 {
		t.Errorf("quantiles %v (want base unit seconds)", q)
	}
	if got := get("authspec_load_generator_cpu_seconds_per_connection", nil); got != 0.05 {
		t.Errorf("cpu per connection %v", got)
	}
	// No hold: no held-connections family at all.
	if _, ok := fams["authspec_load_held_connections"]; ok {
		t.Error("a family with no samples was written")
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasSuffix(line, "_total") && strings.HasPrefix(line, "# TYPE") && !strings.HasSuffix(line, "counter") {
			t.Errorf("%s: a _total that is not a counter", line)
		}
	}
}
