package stats

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Recorder collects one phase of a run. Attempts are binned into intervals
// by the time they ended (arrivals by the time they were due); an interval
// is closed (its histograms written to the .hlog, merged into the phase's
// totals and freed) once Flush is called a whole interval after its end, so
// memory stays bounded however long the run. Safe for concurrent use.
type Recorder struct {
	phase    string
	start    time.Time
	interval time.Duration
	hlog     *Hlog

	mu        sync.Mutex
	windows   map[int64]*window
	closedTo  int64 // windows with an index below this are closed
	latency   *hdr.Histogram
	service   *hdr.Histogram
	lag       *hdr.Histogram
	counts    Counts
	intervals []Interval
	hlogErr   error

	scheduled atomic.Int64
	inFlight  atomic.Int64
	completed atomic.Int64
	succeeded atomic.Int64
	failed    atomic.Int64
	last      atomic.Pointer[Interval]
}

type window struct {
	lat, svc, lag                   *hdr.Histogram
	asked, attempts, succeeded, bad int64
}

// Counts are a phase's attempt counts.
type Counts struct {
	Attempts  int64
	Succeeded int64
	Failed    int64
	// Codes counts every CONNACK by reason code, 0x00 included.
	Codes map[byte]int64
	// Causes counts failures other than refusals.
	Causes map[Cause]int64
	// Examples keeps the first error message per cause ("timeout") and per
	// refusing code ("0x86"), so results say what happened.
	Examples map[string]string
	// Clamped counts latencies beyond the histograms' range (1 h).
	Clamped int64
}

// Interval is one interval of a phase, for the charts and the JSON.
type Interval struct {
	Start     time.Time `json:"start"`
	OffsetS   float64   `json:"t_s"` // from the phase's start
	LengthS   float64   `json:"length_s"`
	Asked     int64     `json:"asked"`    // arrivals due in it (attempts started, in a closed loop)
	Attempts  int64     `json:"attempts"` // attempts that ended in it
	Succeeded int64     `json:"succeeded"`
	Failed    int64     `json:"failed"`
	P50MS     float64   `json:"p50_ms"`
	P99MS     float64   `json:"p99_ms"`
	MaxMS     float64   `json:"max_ms"`
}

// Totals is a closed phase.
type Totals struct {
	Latency *hdr.Histogram
	Service *hdr.Histogram
	// Lag is how late attempts started against their schedule (all
	// attempts): the generator's own delay, part of every latency.
	Lag       *hdr.Histogram
	Counts    Counts
	Intervals []Interval
}

// NewRecorder starts recording phase from start, in intervals of interval,
// writing interval histograms to hlog (nil: none) with the tags
// Tag(phase, "latency"), Tag(phase, "service") and Tag(phase, "lag").
func NewRecorder(phase string, start time.Time, interval time.Duration, hlog *Hlog) *Recorder {
	if interval <= 0 {
		interval = time.Second
	}
	return &Recorder{
		phase: phase, start: start, interval: interval, hlog: hlog,
		windows: map[int64]*window{},
		latency: NewHistogram(), service: NewHistogram(), lag: NewHistogram(),
		counts: Counts{Codes: map[byte]int64{}, Causes: map[Cause]int64{}, Examples: map[string]string{}},
	}
}

// Start is the phase's start time.
func (r *Recorder) Start() time.Time { return r.start }

func (r *Recorder) index(t time.Time) int64 {
	d := t.Sub(r.start)
	if d < 0 {
		return 0
	}
	return int64(d / r.interval)
}

// win returns the open window for t; a time in an interval already closed
// (a goroutine descheduled for a whole interval) goes to the oldest open one.
func (r *Recorder) win(t time.Time) *window {
	i := max(r.index(t), r.closedTo)
	w := r.windows[i]
	if w == nil {
		w = newWindow()
		r.windows[i] = w
	}
	return w
}

func newWindow() *window {
	return &window{lat: NewHistogram(), svc: NewHistogram(), lag: NewHistogram()}
}

// Scheduled records an arrival due at due (open loop), or an attempt
// started at due (closed loop).
func (r *Recorder) Scheduled(due time.Time) {
	r.scheduled.Add(1)
	r.mu.Lock()
	r.win(due).asked++
	r.mu.Unlock()
}

// Begin marks an attempt as started, for the live in-flight count.
func (r *Recorder) Begin() { r.inFlight.Add(1) }

// Done records an attempt that was due at due, started at started and
// ended (CONNACK received, or failed) at done. Latency (done - due) and
// service time (done - started) are recorded for accepted connections
// only; refusals and failures are counted. The lag (started - due) is
// recorded for every attempt.
func (r *Recorder) Done(o Outcome, due, started, done time.Time) {
	r.inFlight.Add(-1)
	r.completed.Add(1)
	if o.OK() {
		r.succeeded.Add(1)
	} else {
		r.failed.Add(1)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.win(done)
	w.attempts++
	record(w.lag, started.Sub(due))
	c := &r.counts
	c.Attempts++
	if o.Connack {
		c.Codes[o.Code]++
	}
	if o.OK() {
		w.succeeded++
		c.Succeeded++
		if record(w.lat, done.Sub(due)) {
			c.Clamped++
		}
		record(w.svc, done.Sub(started))
		return
	}
	w.bad++
	c.Failed++
	key := string(o.Cause)
	if o.Cause != "" {
		c.Causes[o.Cause]++
	} else {
		key = CodeKey(o.Code)
	}
	if _, seen := c.Examples[key]; !seen && o.Err != nil {
		c.Examples[key] = o.Err.Error()
	}
}

// Flush closes the intervals that ended more than one interval before now.
func (r *Recorder) Flush(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for cur := r.index(now); r.closedTo < cur-1; {
		r.closeWindow(r.closedTo, time.Time{})
	}
}

// Close closes every interval (the last one ends at end) and returns the
// phase's totals. Record nothing after Close.
func (r *Recorder) Close(end time.Time) (Totals, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	last := r.index(end)
	for i := range r.windows {
		last = max(last, i)
	}
	for r.closedTo <= last {
		r.closeWindow(r.closedTo, end)
	}
	c := r.counts
	return Totals{Latency: r.latency, Service: r.service, Lag: r.lag, Counts: c, Intervals: r.intervals}, r.hlogErr
}

// closeWindow closes window i; a non-zero end cuts the interval short.
func (r *Recorder) closeWindow(i int64, end time.Time) {
	w := r.windows[i]
	delete(r.windows, i)
	r.closedTo = i + 1
	if w == nil {
		w = newWindow()
	}
	from := r.start.Add(time.Duration(i) * r.interval)
	to := from.Add(r.interval)
	if !end.IsZero() && end.Before(to) && end.After(from) {
		to = end
	}
	if r.hlog != nil {
		for _, h := range []struct {
			kind string
			h    *hdr.Histogram
		}{{"latency", w.lat}, {"service", w.svc}, {"lag", w.lag}} {
			if err := r.hlog.Add(Tag(r.phase, h.kind), h.h, from, to); err != nil && r.hlogErr == nil {
				r.hlogErr = err
			}
		}
	}
	r.latency.Merge(w.lat)
	r.service.Merge(w.svc)
	r.lag.Merge(w.lag)
	s := Summarize(w.lat)
	iv := Interval{
		Start: from, OffsetS: from.Sub(r.start).Seconds(), LengthS: to.Sub(from).Seconds(),
		Asked: w.asked, Attempts: w.attempts, Succeeded: w.succeeded, Failed: w.bad,
		P50MS: s.P50MS, P99MS: s.P99MS, MaxMS: s.MaxMS,
	}
	r.intervals = append(r.intervals, iv)
	r.last.Store(&iv)
}

// Live is a snapshot for the progress display.
type Live struct {
	Phase     string
	Elapsed   time.Duration
	Scheduled int64
	InFlight  int64
	Completed int64
	Succeeded int64
	Failed    int64
	// Last is the most recently closed interval (nil before the first).
	Last *Interval
}

// Live returns the running counts; it takes no lock on the hot path.
func (r *Recorder) Live(now time.Time) Live {
	return Live{
		Phase: r.phase, Elapsed: now.Sub(r.start),
		Scheduled: r.scheduled.Load(), InFlight: r.inFlight.Load(), Completed: r.completed.Load(),
		Succeeded: r.succeeded.Load(), Failed: r.failed.Load(), Last: r.last.Load(),
	}
}

// SortedCodes returns the codes of m in ascending order.
func SortedCodes(m map[byte]int64) []byte {
	out := make([]byte, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
