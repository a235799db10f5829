package results

import (
	"fmt"
	"maps"
	"slices"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/authspec/authspec/loadgen/schedule"
	"github.com/authspec/authspec/loadgen/stats"
)

// Merge combines the results of the shards of one run. Counts are added;
// histograms are merged bucket by bucket from the shards' interval logs
// (percentiles are computed from the merged histograms, never averaged), so
// the merged figures are those one process recording every attempt would
// have produced. Intervals are re-binned on a common clock starting at the
// earliest shard's start; an interval's counts move by less than one
// interval, the totals not at all.
//
// It returns the merged run and its interval log.
func Merge(shards []*Loaded) (*Run, *stats.Hlog, error) {
	if len(shards) == 0 {
		return nil, nil, fmt.Errorf("nothing to merge")
	}
	if err := checkShards(shards); err != nil {
		return nil, nil, err
	}
	first := shards[0].Run
	interval := time.Duration(first.IntervalS * float64(time.Second))
	if interval <= 0 {
		return nil, nil, fmt.Errorf("%s: interval_s %v", shards[0].Path, first.IntervalS)
	}
	start := first.Started
	for _, s := range shards {
		if s.Run.Started.Before(start) {
			start = s.Run.Started
		}
	}
	out := &Run{
		Format: FormatVersion, Tool: first.Tool, Version: first.Version, Started: start,
		Target: first.Target, Settings: first.Settings, IntervalS: first.IntervalS,
		Files: Files{JSON: JSONFile, Hlog: HlogFile},
	}
	out.Target.PID = 0
	out.Settings.Rate, out.Settings.Concurrency, out.Settings.Clients = 0, 0, 0
	var end time.Time
	for _, s := range shards {
		r := s.Run
		out.Shards += max(r.Shards, 1)
		out.Interrupted = out.Interrupted || r.Interrupted
		out.Settings.Rate += r.Settings.Rate
		out.Settings.Concurrency += r.Settings.Concurrency
		out.Settings.Clients += r.Settings.Clients
		if e := r.Started.Add(time.Duration(r.DurationS * float64(time.Second))); e.After(end) {
			end = e
		}
		for _, n := range r.Notes {
			if !slices.Contains(out.Notes, n) {
				out.Notes = append(out.Notes, n)
			}
		}
	}
	out.DurationS = end.Sub(start).Seconds()
	out.Notes = append(out.Notes, fmt.Sprintf("merged from %d shard results", len(shards)))

	hlog := stats.NewHlog(start)
	for i := range first.Phases {
		p, err := mergePhase(shards, i, start, interval, hlog)
		if err != nil {
			return nil, nil, err
		}
		out.Phases = append(out.Phases, p)
	}
	out.Compare()
	return out, hlog, nil
}

// checkShards refuses results that are not shards of one run: different
// phases or interval, or the same shard twice.
func checkShards(shards []*Loaded) error {
	first := shards[0]
	seen := map[string]string{}
	count := 0
	for _, s := range shards {
		r := s.Run
		if r.IntervalS != first.Run.IntervalS {
			return fmt.Errorf("%s has %gs intervals, %s %gs: not shards of one run", s.Path, r.IntervalS, first.Path, first.Run.IntervalS)
		}
		if len(r.Phases) != len(first.Run.Phases) {
			return fmt.Errorf("%s has %d phases, %s %d: not shards of one run", s.Path, len(r.Phases), first.Path, len(first.Run.Phases))
		}
		for i := range r.Phases {
			if r.Phases[i].Name != first.Run.Phases[i].Name {
				return fmt.Errorf("%s phase %d is %q, %s's is %q: not shards of one run", s.Path, i+1, r.Phases[i].Name, first.Path, first.Run.Phases[i].Name)
			}
		}
		if r.Shard == "" {
			continue
		}
		sh, err := schedule.ParseShard(r.Shard)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Path, err)
		}
		if prev, dup := seen[r.Shard]; dup {
			return fmt.Errorf("%s and %s are both shard %s", prev, s.Path, r.Shard)
		}
		seen[r.Shard] = s.Path
		if count != 0 && sh.Count != count {
			return fmt.Errorf("%s is shard %s, but another result is one of %d shards", s.Path, r.Shard, count)
		}
		count = sh.Count
	}
	return nil
}

func mergePhase(shards []*Loaded, i int, runStart time.Time, interval time.Duration, hlog *stats.Hlog) (Phase, error) {
	base := shards[0].Run.Phases[i]
	p := Phase{
		Name: base.Name, Workload: base.Workload, Auth: base.Auth, Info: base.Info, Mode: base.Mode,
		Started: base.Started, Generator: CPU{Scope: base.Generator.Scope},
		ConnackCodes: map[string]int64{}, Causes: map[string]int64{}, Examples: map[string]string{},
		Clients: Range{First: base.Clients.First},
	}
	var end time.Time
	brokers := 0
	for _, s := range shards {
		q := s.Run.Phases[i]
		if q.Started.Before(p.Started) {
			p.Started = q.Started
		}
		if e := q.Started.Add(time.Duration(q.ElapsedS * float64(time.Second))); e.After(end) {
			end = e
		}
		p.ScheduleS = max(p.ScheduleS, q.ScheduleS)
		// Shards run side by side: their rates add up (each is its own
		// accepted connections over its own elapsed time).
		p.AskedRate += q.AskedRate
		p.AchievedRate += q.AchievedRate
		p.Concurrency += q.Concurrency
		p.Clients.First = min(p.Clients.First, q.Clients.First)
		p.Clients.N += q.Clients.N
		p.Attempts += q.Attempts
		p.Succeeded += q.Succeeded
		p.Failed += q.Failed
		p.Clamped += q.Clamped
		addCounts(p.ConnackCodes, q.ConnackCodes)
		addCounts(p.Causes, q.Causes)
		for k, v := range q.Examples {
			if _, ok := p.Examples[k]; !ok {
				p.Examples[k] = v
			}
		}
		p.Generator.Seconds += q.Generator.Seconds
		p.Generator.Utilization += q.Generator.Utilization
		if q.Broker != nil {
			brokers++
			b := *q.Broker
			p.Broker = &b
		}
		if q.Hold != nil {
			if p.Hold == nil {
				p.Hold = &Hold{}
			}
			p.Hold.Target += q.Hold.Target
			p.Hold.Held += q.Hold.Held
			p.Hold.AliveAtEnd += q.Hold.AliveAtEnd
			p.Hold.HeldForS = max(p.Hold.HeldForS, q.Hold.HeldForS)
		}
	}
	// A broker read by several shards (on other machines, or one broker
	// seen several times) cannot be added up: keep it only when one shard
	// read it.
	if brokers > 1 {
		p.Broker = nil
	}
	p.ElapsedS = end.Sub(p.Started).Seconds()
	if p.Attempts > 0 {
		p.Generator.PerConnectionUS = p.Generator.Seconds / float64(p.Attempts) * 1e6
	}

	// Histograms: every shard's intervals of this phase, re-binned.
	latTag, svcTag, lagTag := stats.Tag(p.Name, "latency"), stats.Tag(p.Name, "service"), stats.Tag(p.Name, "lag")
	tags := []string{latTag, svcTag, lagTag}
	bins := map[string]map[int64]*hdr.Histogram{}
	totals := map[string]*hdr.Histogram{}
	for _, t := range tags {
		bins[t], totals[t] = map[int64]*hdr.Histogram{}, stats.NewHistogram()
	}
	bin := func(t time.Time) int64 { return max(int64(t.Sub(runStart)/interval), 0) }
	for _, s := range shards {
		for _, iv := range s.Intervals {
			m, ok := bins[iv.Tag]
			if !ok {
				continue
			}
			b := bin(iv.Start)
			if m[b] == nil {
				m[b] = stats.NewHistogram()
			}
			if d := m[b].Merge(iv.Hist); d != 0 {
				return Phase{}, fmt.Errorf("%s: %d values outside the histogram range", s.Path, d)
			}
			totals[iv.Tag].Merge(iv.Hist)
		}
	}
	p.Latency = stats.Summarize(totals[latTag])
	p.Service = stats.Summarize(totals[svcTag])
	p.Lag = stats.Summarize(totals[lagTag])
	if p.Latency.Count != p.Succeeded {
		return Phase{}, fmt.Errorf("phase %s: the interval logs hold %d latencies, the results %d accepted connections: a log is missing or truncated", p.Name, p.Latency.Count, p.Succeeded)
	}

	// Interval counts, re-binned the same way.
	counts := map[int64]*stats.Interval{}
	for _, s := range shards {
		for _, iv := range s.Run.Phases[i].Intervals {
			b := bin(iv.Start)
			c := counts[b]
			if c == nil {
				c = &stats.Interval{}
				counts[b] = c
			}
			c.Asked += iv.Asked
			c.Attempts += iv.Attempts
			c.Succeeded += iv.Succeeded
			c.Failed += iv.Failed
		}
	}
	keys := slices.Sorted(maps.Keys(counts))
	for _, k := range slices.Sorted(maps.Keys(bins[latTag])) {
		if _, ok := counts[k]; !ok {
			keys = append(keys, k)
			counts[k] = &stats.Interval{}
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, k := range keys {
		c := counts[k]
		from := runStart.Add(time.Duration(k) * interval)
		c.Start, c.OffsetS, c.LengthS = from, from.Sub(p.Started).Seconds(), interval.Seconds()
		for _, tag := range tags {
			h := bins[tag][k]
			if h == nil {
				h = stats.NewHistogram()
			}
			if tag == latTag {
				s := stats.Summarize(h)
				c.P50MS, c.P99MS, c.MaxMS = s.P50MS, s.P99MS, s.MaxMS
			}
			if err := hlog.Add(tag, h, from, from.Add(interval)); err != nil {
				return Phase{}, err
			}
		}
		p.Intervals = append(p.Intervals, *c)
	}
	return p, nil
}

func addCounts(dst, src map[string]int64) {
	for k, v := range src {
		dst[k] += v
	}
}
