package results

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/loadgen/stats"
)

var t0 = time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)

// shard makes one shard's result: n accepted connections of latency d
// each, recorded in one-second intervals from start.
func shard(t *testing.T, name string, start time.Time, n int, d time.Duration) *Loaded {
	t.Helper()
	hl := stats.NewHlog(start)
	rec := stats.NewRecorder("jwt-HS256", start, time.Second, hl)
	for i := range n {
		due := start.Add(time.Duration(i) * 10 * time.Millisecond)
		rec.Scheduled(due)
		rec.Begin()
		rec.Done(stats.Accepted(), due, due, due.Add(d))
	}
	end := start.Add(time.Duration(n)*10*time.Millisecond + d)
	tot, err := rec.Close(end)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, _ = hl.WriteTo(&buf)
	ivs, err := stats.ReadHlog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	run := &Run{Format: FormatVersion, Started: start, Shard: name, Shards: 1, IntervalS: 1,
		DurationS: end.Sub(start).Seconds(), Phases: []Phase{{
			Name: "jwt-HS256", Workload: "jwt", Mode: "open", Started: start, ElapsedS: end.Sub(start).Seconds(),
			AskedRate: 100, AchievedRate: float64(n) / end.Sub(start).Seconds(),
			Attempts: tot.Counts.Attempts, Succeeded: tot.Counts.Succeeded,
			ConnackCodes: map[string]int64{"0x00": tot.Counts.Codes[0]}, Causes: map[string]int64{},
			Latency: stats.Summarize(tot.Latency), Intervals: tot.Intervals,
			Generator: CPU{Scope: "generator", Seconds: 1},
		}}}
	return &Loaded{Path: name, Run: run, Intervals: ivs}
}

func TestMergeAddsCountsAndMergesHistograms(t *testing.T) {
	a := shard(t, "0/2", t0, 300, 2*time.Millisecond)
	b := shard(t, "1/2", t0.Add(500*time.Millisecond), 100, 40*time.Millisecond)
	run, hl, err := Merge([]*Loaded{a, b})
	if err != nil {
		t.Fatal(err)
	}
	p := run.Phases[0]
	if p.Attempts != 400 || p.Succeeded != 400 || p.ConnackCodes["0x00"] != 400 || run.Shards != 2 {
		t.Fatalf("merged %+v", p)
	}
	if p.AskedRate != 200 || p.Generator.Seconds != 2 || p.Generator.PerConnectionUS != 5000 {
		t.Errorf("rates and CPU: asked %v, cpu %+v", p.AskedRate, p.Generator)
	}
	// 300 at 2 ms and 100 at 40 ms: the p50 is 2 ms and the p90 40 ms;
	// averaging the shards' p90s would give 21 ms.
	if p.Latency.P50MS > 2.01 || p.Latency.P90MS < 39.9 || p.Latency.Count != 400 {
		t.Errorf("latency %+v", p.Latency)
	}
	var asked, ok int64
	for _, iv := range p.Intervals {
		asked += iv.Asked
		ok += iv.Succeeded
		if iv.Start.Sub(t0)%time.Second != 0 {
			t.Errorf("interval at %v, not on the merged one-second grid", iv.Start.Sub(t0))
		}
	}
	if asked != 400 || ok != 400 {
		t.Errorf("intervals ask %d and accept %d", asked, ok)
	}
	var buf bytes.Buffer
	_, _ = hl.WriteTo(&buf)
	ivs, err := stats.ReadHlog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	tot, _ := stats.TotalsByTag(ivs)
	if tot["jwt-HS256.latency"].TotalCount() != 400 {
		t.Errorf("merged log holds %d latencies", tot["jwt-HS256.latency"].TotalCount())
	}
}

func TestMergeRefusesWhatIsNotOneRun(t *testing.T) {
	a := shard(t, "0/2", t0, 10, time.Millisecond)
	cases := map[string]*Loaded{
		"both shard 0/2": shard(t, "0/2", t0, 10, time.Millisecond),
		"of 2 shards": func() *Loaded {
			l := shard(t, "1/3", t0, 10, time.Millisecond)
			return l
		}(),
		"not shards of one run": func() *Loaded {
			l := shard(t, "1/2", t0, 10, time.Millisecond)
			l.Run.Phases[0].Name = "jwt-RS256"
			return l
		}(),
		"truncated": func() *Loaded {
			l := shard(t, "1/2", t0, 10, time.Millisecond)
			l.Intervals = l.Intervals[:0]
			return l
		}(),
	}
	for want, b := range cases {
		_, _, err := Merge([]*Loaded{a, b})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Merge error %v; want one mentioning %q", err, want)
		}
	}
}

func TestCompareWithBaseline(t *testing.T) {
	r := &Run{Phases: []Phase{
		{Name: "anonymous", Workload: "anonymous", AchievedRate: 1000, Service: stats.Summary{P50MS: 1, P99MS: 2}},
		{Name: "jwt-HS256", Workload: "jwt", AchievedRate: 900, Service: stats.Summary{P50MS: 1.2, P99MS: 3}},
		{Name: "anonymous#2", Workload: "anonymous", AchievedRate: 500},
		{Name: "jwt-HS256#2", Workload: "jwt", AchievedRate: 400},
	}}
	r.Compare()
	if len(r.Comparisons) != 2 || r.Comparisons[0].RateRatio != 0.9 || r.Comparisons[1].Baseline != "anonymous#2" || r.Comparisons[1].RateRatio != 0.8 {
		t.Errorf("%+v", r.Comparisons)
	}
}
