package loadgen

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/authspec/authspec/loadgen/schedule"
	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/loadgen/workload"
)

var epoch = time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)

// fakeClock is virtual time: sleeping jumps to the deadline, and the fake
// broker below moves time forward by its service time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) SleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fakeBroker answers the m-th CONNECT after service(m), in virtual time,
// and records when each attempt started.
type fakeBroker struct {
	clk     *fakeClock
	service func(m int64) time.Duration
	mu      sync.Mutex
	started map[int64]time.Time
	m       int64
}

func (b *fakeBroker) login(m int64) (workload.Login, error) {
	b.mu.Lock()
	b.m = m
	b.mu.Unlock()
	return workload.Login{}, nil
}

func (b *fakeBroker) connect(ctx context.Context, _ workload.Login) (workload.Session, stats.Outcome) {
	b.mu.Lock()
	m := b.m
	b.started[m] = b.clk.Now()
	b.mu.Unlock()
	b.clk.advance(b.service(m))
	return nil, stats.Accepted()
}

func (b *fakeBroker) after(workload.Session) {}

// inline runs each attempt in the dispatcher, as a generator that cannot
// start an attempt before the previous one ends: the worst case for
// coordinated omission.
func inline(f func()) { f() }

func TestOpenLoopStartsOnSchedule(t *testing.T) {
	clk := &fakeClock{now: epoch}
	b := &fakeBroker{clk: clk, service: func(int64) time.Duration { return time.Millisecond }, started: map[int64]time.Time{}}
	rec := stats.NewRecorder("p", epoch, 100*time.Millisecond, nil)
	l := openLoop{clk: clk, arrivals: schedule.Arrivals{Rate: 200}, shard: schedule.Whole, maxInFlight: 10, spawn: inline}
	l.run(context.Background(), epoch, bounds{window: time.Second, timeout: time.Second}, rec, b)
	if len(b.started) != 200 {
		t.Fatalf("%d attempts in 1 s at 200/s, want 200", len(b.started))
	}
	for m, at := range b.started {
		if want := epoch.Add(time.Duration(m) * 5 * time.Millisecond); !at.Equal(want) {
			t.Fatalf("attempt %d started at %v, want %v", m, at.Sub(epoch), want.Sub(epoch))
		}
	}
	tot, _ := rec.Close(clk.Now())
	for i, iv := range tot.Intervals[:10] {
		if iv.Asked != 20 {
			t.Errorf("interval %d asked %d, want 20 (200/s over 100 ms)", i, iv.Asked)
		}
	}
}

// A broker that stalls for 500 ms on one attempt delays every attempt
// scheduled behind it. Measured from the scheduled start, those attempts
// show the delay (coordinated omission corrected); service time does not.
func TestOpenLoopCorrectsCoordinatedOmission(t *testing.T) {
	const (
		rate    = 100 // every 10 ms
		n       = 100
		stallAt = 10
	)
	svc := func(m int64) time.Duration {
		if m == stallAt {
			return 500 * time.Millisecond
		}
		return time.Millisecond
	}
	clk := &fakeClock{now: epoch}
	b := &fakeBroker{clk: clk, service: svc, started: map[int64]time.Time{}}
	rec := stats.NewRecorder("p", epoch, time.Second, nil)
	l := openLoop{clk: clk, arrivals: schedule.Arrivals{Rate: rate}, shard: schedule.Whole, maxInFlight: 1, spawn: inline}
	l.run(context.Background(), epoch, bounds{count: n, timeout: time.Second}, rec, b)
	tot, _ := rec.Close(clk.Now())

	// The model: attempt m starts at max(its due time, the previous end).
	var free time.Duration
	over100, over100svc := int64(0), int64(0)
	lat := stats.NewHistogram()
	for m := int64(0); m < n; m++ {
		due := time.Duration(m) * 10 * time.Millisecond
		start := max(due, free)
		free = start + svc(m)
		if free-due > 100*time.Millisecond {
			over100++
		}
		if svc(m) > 100*time.Millisecond {
			over100svc++
		}
		_ = lat.RecordValue(int64(free - due))
	}
	if over100 < 40 {
		t.Fatalf("model: only %d slow attempts; the test lost its point", over100)
	}
	if got := countAbove(tot.Latency, 100*time.Millisecond); got != over100 {
		t.Errorf("latency: %d attempts above 100 ms, want %d (every attempt queued behind the stall)", got, over100)
	}
	if got := countAbove(tot.Service, 100*time.Millisecond); got != over100svc {
		t.Errorf("service time: %d attempts above 100 ms, want %d (only the stalled one)", got, over100svc)
	}
	if !tot.Latency.Equals(lat) {
		t.Errorf("latency histogram differs from the model: p99 %v vs %v", stats.Summarize(tot.Latency).P99MS, stats.Summarize(lat).P99MS)
	}
	if got := stats.Summarize(tot.Lag).MaxMS; got < 480 {
		t.Errorf("max start lag %vms: the attempt behind the stall started ~491 ms late", got)
	}
}

func countAbove(h *hdr.Histogram, d time.Duration) int64 {
	var n int64
	for _, bar := range h.Distribution() {
		if bar.From > int64(d) {
			n += bar.Count
		}
	}
	return n
}

// A closed loop makes exactly its count, split between shards, whatever
// the number of workers.
func TestClosedLoopCount(t *testing.T) {
	for _, sh := range []schedule.Shard{schedule.Whole, {Index: 0, Count: 3}, {Index: 2, Count: 3}} {
		var n atomic.Int64
		j := countingJob{n: &n}
		rec := stats.NewRecorder("p", time.Now(), time.Second, nil)
		l := closedLoop{clk: realClock{}, workers: 7, shard: sh}
		l.run(context.Background(), time.Now(), bounds{count: 100, timeout: time.Second}, rec, j)
		if want := sh.Share(100); n.Load() != want {
			t.Errorf("shard %v: %d attempts, want %d", sh, n.Load(), want)
		}
	}
}

type countingJob struct{ n *atomic.Int64 }

func (j countingJob) login(int64) (workload.Login, error) { return workload.Login{}, nil }
func (j countingJob) connect(context.Context, workload.Login) (workload.Session, stats.Outcome) {
	j.n.Add(1)
	return nil, stats.Accepted()
}
func (j countingJob) after(workload.Session) {}

// A cancelled run stops scheduling at once.
func TestOpenLoopStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int64
	j := cancellingJob{n: &n, cancel: cancel, at: 5}
	rec := stats.NewRecorder("p", time.Now(), time.Second, nil)
	l := openLoop{clk: realClock{}, arrivals: schedule.Arrivals{Rate: 1000}, shard: schedule.Whole, maxInFlight: 10, spawn: inline}
	done := make(chan struct{})
	go func() {
		l.run(ctx, time.Now(), bounds{window: time.Hour, timeout: time.Second}, rec, j)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not stop after cancel")
	}
	if got := n.Load(); got != 5 {
		t.Errorf("%d attempts, want 5 (cancelled during the 5th)", got)
	}
}

type cancellingJob struct {
	n      *atomic.Int64
	cancel func()
	at     int64
}

func (j cancellingJob) login(int64) (workload.Login, error) { return workload.Login{}, nil }
func (j cancellingJob) connect(context.Context, workload.Login) (workload.Session, stats.Outcome) {
	if j.n.Add(1) == j.at {
		j.cancel()
	}
	return nil, stats.Accepted()
}
func (j cancellingJob) after(workload.Session) {}
