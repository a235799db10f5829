package loadgen

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/schedule"
	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/loadgen/target"
	"github.com/authspec/authspec/loadgen/workload"
)

// stormJob connects, and disconnects at once: a connect storm.
type stormJob struct {
	w       workload.Workload
	d       workload.Driver
	addr    string
	clients workload.Range
	timeout time.Duration
	// drop closes accepted connections without DISCONNECT.
	drop bool
}

func (j stormJob) login(m int64) (workload.Login, error) { return j.w.Login(j.clients.At(m)) }

func (j stormJob) connect(ctx context.Context, l workload.Login) (workload.Session, stats.Outcome) {
	return j.d.Connect(ctx, j.addr, l)
}

// after ends the connection at once. Its waits are bounded by the driver's
// timeout (workload.NewDriver), so no context of its own is needed.
func (j stormJob) after(s workload.Session) {
	if d, ok := s.(workload.Dropper); ok && j.drop {
		_ = d.Drop()
		return
	}
	_ = s.Close(context.Background())
}

// phaseClock is what a phase measured of the processes around it.
type phaseClock struct {
	selfCPU   time.Duration
	broker    target.Sample
	hasBroker bool
}

func (r *runner) sample() phaseClock {
	pc := phaseClock{selfCPU: target.SelfCPU()}
	if p := r.tgt.Process(); p != nil {
		if s, err := p.Sample(); err == nil {
			pc.broker, pc.hasBroker = s, true
		}
	}
	return pc
}

// phase provisions the broker for s, readies the credentials, runs the
// loop with live progress, and reports.
func (r *runner) phase(ctx context.Context, s phaseSpec) (results.Phase, error) {
	if prov := r.tgt.Provisioner(); prov != nil {
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := prov.Apply(pctx, s.w.Authenticators())
		cancel()
		if err != nil {
			return results.Phase{}, fmt.Errorf("configuring the broker: %w", err)
		}
	}
	if !r.prepared[s.w.Name()] {
		if err := s.w.Prepare(ctx, r.clients); err != nil {
			return results.Phase{}, err
		}
		r.prepared[s.w.Name()] = true
	}
	// Garbage from preparing (token pools, keys) is not the phase's.
	runtime.GC()

	c := r.cfg
	var memBefore selfMemory
	if s.kind == WorkloadHold {
		memBefore = readSelfMemory()
	}
	before := r.sample()
	start := r.clk.Now().Add(10 * time.Millisecond)
	rec := stats.NewRecorder(s.name, start, c.Interval, r.hlog)
	disp := &display{w: c.Progress, tty: c.TTY, every: c.ProgressEvery, planned: c.Duration}
	if c.Mode() == "open" {
		disp.asked = c.Shard.Rate(c.Rate)
	}
	stopDisplay := r.showProgress(rec, disp)

	b := bounds{window: c.Duration, count: c.Count, timeout: c.Timeout}
	job := job(stormJob{w: s.w, d: r.driver, addr: r.tgt.Addr(), clients: r.clients, timeout: c.Timeout, drop: c.Disconnect == DisconnectClose})
	var held *holding
	if s.kind == WorkloadHold {
		// Every client of the range connects once, and stays.
		held = &holding{}
		job = holdJob{stormJob: job.(stormJob), h: held}
		b = bounds{count: int64(c.Clients), timeout: c.Timeout}
		disp.planned = 0
	}
	r.loop().run(ctx, start, b, rec, job)
	end := r.clk.Now()
	stopDisplay()

	var hold *results.Hold
	var afterConnect phaseClock
	if held != nil {
		afterConnect = r.sample()
		hold = r.hold(ctx, held, int64(r.clients.N))
	}
	after := r.sample()
	if held == nil {
		afterConnect = after
	}

	totals, err := rec.Close(end)
	if err != nil {
		return results.Phase{}, err
	}
	p := r.report(s, rec.Start(), end, totals)
	elapsed := end.Sub(rec.Start()).Seconds()
	cpu := (afterConnect.selfCPU - before.selfCPU).Seconds()
	p.Generator = results.CPU{Scope: r.cpuScope(s), Seconds: cpu}
	if p.Attempts > 0 {
		p.Generator.PerConnectionUS = cpu / float64(p.Attempts) * 1e6
	}
	if elapsed > 0 {
		p.Generator.Utilization = cpu / elapsed
	}
	if before.hasBroker && afterConnect.hasBroker {
		bcpu := (afterConnect.broker.CPU - before.broker.CPU).Seconds()
		p.Broker = &results.Broker{
			PID: r.tgt.Process().PID, CPUSeconds: bcpu,
			RSSBeforeBytes: before.broker.RSSBytes, RSSAfterBytes: after.broker.RSSBytes,
		}
		if p.Attempts > 0 {
			p.Broker.CPUPerConnectionUS = bcpu / float64(p.Attempts) * 1e6
		}
		if elapsed > 0 {
			p.Broker.CPUUtilization = bcpu / elapsed
		}
		if hold != nil && hold.Held > 0 && hold.RSSHeld > 0 {
			p.Broker.BytesPerConnection = float64(hold.RSSHeld-before.broker.RSSBytes) / float64(hold.Held)
		}
	}
	if hold != nil {
		hold.Generator = generatorMemory(r.cpuScope(s), memBefore, held.mem, hold.Held)
	}
	p.Hold = hold
	p.Info = s.w.Info()
	disp.finish()
	return p, nil
}

// loop is the phase's scheduler: open loop at the run-wide rate, or closed
// loop with this shard's share of the workers.
func (r *runner) loop() interface {
	run(context.Context, time.Time, bounds, *stats.Recorder, job)
} {
	c := r.cfg
	if c.Mode() == "closed" {
		return closedLoop{clk: r.clk, workers: c.Shard.Concurrency(c.Concurrency), ramp: c.RampUp, shard: c.Shard}
	}
	return openLoop{clk: r.clk, arrivals: schedule.Arrivals{Rate: c.Rate, Ramp: c.RampUp}, shard: c.Shard,
		maxInFlight: c.MaxInFlight, spawn: func(f func()) { go f() }}
}

// showProgress flushes closed intervals and refreshes the display until
// the returned stop is called.
func (r *runner) showProgress(rec *stats.Recorder, d *display) (stop func()) {
	tick := 250 * time.Millisecond
	if !d.tty {
		tick = min(r.cfg.Interval, time.Second)
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case now := <-t.C:
				rec.Flush(now)
				d.update(rec.Live(now), now)
			}
		}
	}()
	return func() { close(quit); <-done }
}

// generatorMemory is what holding n connections cost this process.
func generatorMemory(scope string, before, held selfMemory, n int64) *results.GeneratorMemory {
	g := &results.GeneratorMemory{Scope: scope, RSSBeforeBytes: before.rss, RSSHeldBytes: held.rss,
		HeapBefore: before.heap, HeapHeld: held.heap}
	if n > 0 {
		g.BytesPerConnection = float64(held.rss-before.rss) / float64(n)
		g.HeapPerConnection = float64(held.heap-before.heap) / float64(n)
	}
	return g
}

func (r *runner) cpuScope(s phaseSpec) string {
	scope := "generator"
	if r.tgt.Kind() == target.KindReference {
		scope += "+broker"
	}
	if s.w.Kind() == workload.KindSCRAM {
		scope += "+scram-backend"
	}
	return scope
}

// report turns a phase's totals into its results entry.
func (r *runner) report(s phaseSpec, start, end time.Time, t stats.Totals) results.Phase {
	c := r.cfg
	p := results.Phase{
		Name: s.name, Workload: s.kind, Auth: s.w.Kind(), Mode: c.Mode(), Started: start,
		ElapsedS: end.Sub(start).Seconds(), Clients: results.Range{First: r.clients.First, N: r.clients.N},
		Attempts: t.Counts.Attempts, Succeeded: t.Counts.Succeeded, Failed: t.Counts.Failed,
		ConnackCodes: map[string]int64{}, Causes: map[string]int64{}, Examples: t.Counts.Examples,
		Clamped: t.Counts.Clamped,
		Latency: stats.Summarize(t.Latency), Service: stats.Summarize(t.Service), Lag: stats.Summarize(t.Lag),
		Intervals: t.Intervals,
	}
	for code, n := range t.Counts.Codes {
		p.ConnackCodes[stats.CodeKey(code)] = n
	}
	for cause, n := range t.Counts.Causes {
		p.Causes[string(cause)] = n
	}
	if c.Mode() == "open" {
		p.AskedRate = c.Shard.Rate(c.Rate)
		p.ScheduleS = c.Duration.Seconds()
		if c.Count > 0 {
			last := schedule.Arrivals{Rate: c.Rate, Ramp: c.RampUp}.At(c.Count)
			if p.ScheduleS == 0 || last.Seconds() < p.ScheduleS {
				p.ScheduleS = last.Seconds()
			}
		}
	} else {
		p.Concurrency = c.Shard.Concurrency(c.Concurrency)
		p.ScheduleS = c.Duration.Seconds()
	}
	if s.kind == WorkloadHold {
		p.ScheduleS = 0
	}
	if p.ElapsedS > 0 {
		p.AchievedRate = float64(p.Succeeded) / p.ElapsedS
	}
	return p
}
