package loadgen

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authspec/authspec/loadgen/schedule"
	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/loadgen/workload"
)

// job is what each attempt of a phase does.
type job interface {
	// login prepares the m-th attempt's credentials. It is not part of the
	// service time (a fresh token is minted here), but it is part of the
	// latency: the attempt is late by that much.
	login(m int64) (workload.Login, error)
	// connect is the timed part: connect and wait for the CONNACK.
	connect(ctx context.Context, l workload.Login) (workload.Session, stats.Outcome)
	// after takes an accepted session once the attempt is recorded:
	// disconnect it (connect storms) or keep it (hold).
	after(s workload.Session)
}

// bounds limit the attempts of a loop.
type bounds struct {
	// window: no arrival (open loop) or attempt start (closed loop) at or
	// after start+window; 0 for none.
	window time.Duration
	// count: run-wide attempts (all shards); 0 for none.
	count int64
	// timeout bounds each attempt.
	timeout time.Duration
}

// attempt runs one attempt and records it.
func attempt(ctx context.Context, clk Clock, rec *stats.Recorder, j job, m int64, due time.Time, timeout time.Duration) {
	rec.Begin()
	l, err := j.login(m)
	if err != nil {
		now := clk.Now()
		rec.Done(stats.Failed(stats.CauseClient, err), due, now, now)
		return
	}
	// An interrupted run lets attempts under way finish (each is bounded by
	// its timeout), so partial results count them rather than call them
	// errors.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	started := clk.Now()
	s, o := j.connect(actx, l)
	done := clk.Now()
	cancel()
	rec.Done(o, due, started, done)
	if s != nil {
		j.after(s)
	}
}

// openLoop schedules arrivals at fixed times (schedule.Arrivals), whatever
// the broker does. Each arrival runs in its own goroutine, at most
// maxInFlight at once; when that many are under way the next arrival waits
// and its latency, measured from its scheduled time, shows the wait.
type openLoop struct {
	clk         Clock
	arrivals    schedule.Arrivals // run-wide rate
	shard       schedule.Shard
	maxInFlight int
	// spawn runs an attempt; go f() in a real run. Tests run it inline to
	// model a generator that cannot start the next attempt before this one
	// ends.
	spawn func(f func())
}

// run runs the loop from start until a bound or ctx ends; it returns when
// every attempt it started has ended.
func (l openLoop) run(ctx context.Context, start time.Time, b bounds, rec *stats.Recorder, j job) {
	sem := make(chan struct{}, max(l.maxInFlight, 1))
	var wg sync.WaitGroup
	defer wg.Wait()
	dispatched := make(chan struct{})
	// The dispatcher has a thread of its own with a tight timer slack, so
	// arrivals start on time. The slack is put back before the thread is
	// released: no thread of this process may exit, or a reference child
	// started from it would get its parent-death signal (see
	// target.dieWithParent).
	go func() {
		defer close(dispatched)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		restore := tightenTimerSlack()
		defer restore()
		l.dispatch(ctx, start, b, rec, j, sem, &wg)
	}()
	<-dispatched
}

func (l openLoop) dispatch(ctx context.Context, start time.Time, b bounds, rec *stats.Recorder, j job, sem chan struct{}, wg *sync.WaitGroup) {
	for m := int64(0); ; m++ {
		g := l.shard.Global(m)
		if b.count > 0 && g >= b.count {
			return
		}
		off := l.arrivals.At(g)
		if b.window > 0 && off >= b.window {
			return
		}
		due := start.Add(off)
		if l.clk.SleepUntil(ctx, due) != nil {
			return
		}
		rec.Scheduled(due)
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Add(1)
		l.spawn(func() {
			defer wg.Done()
			defer func() { <-sem }()
			attempt(ctx, l.clk, rec, j, m, due, b.timeout)
		})
	}
}

// closedLoop runs workers clients back to back: each starts its next
// attempt when the last one ends. Latency then equals service time (there
// is no schedule to be late against); the rate is what the broker gives.
type closedLoop struct {
	clk     Clock
	workers int
	ramp    time.Duration
	shard   schedule.Shard
}

func (l closedLoop) run(ctx context.Context, start time.Time, b bounds, rec *stats.Recorder, j job) {
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	count := int64(0)
	if b.count > 0 {
		count = l.shard.Share(b.count)
	}
	for w := range l.workers {
		wg.Go(func() {
			if l.clk.SleepUntil(ctx, start.Add(schedule.WorkerStart(w, l.workers, l.ramp))) != nil {
				return
			}
			for ctx.Err() == nil {
				now := l.clk.Now()
				if b.window > 0 && !now.Before(start.Add(b.window)) {
					return
				}
				m := next.Add(1) - 1
				if count > 0 && m >= count {
					return
				}
				rec.Scheduled(now)
				attempt(ctx, l.clk, rec, j, m, now, b.timeout)
			}
		})
	}
	wg.Wait()
}
