package stats

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// Attempts are binned by the time they ended, arrivals by the time they
// were due; latency runs from due, service time from the start, and only
// accepted connections are timed.
func TestRecorderBinsAndCounts(t *testing.T) {
	hl := NewHlog(t0)
	r := NewRecorder("jwt-HS256", t0, time.Second, hl)
	r.Scheduled(at(100))
	r.Begin()
	r.Done(Accepted(), at(100), at(150), at(400)) // latency 300ms, service 250ms, lag 50ms
	r.Scheduled(at(900))
	r.Begin()
	r.Done(Refusal(0x86, "Bad User Name or Password"), at(900), at(900), at(1200))
	r.Scheduled(at(1500))
	r.Begin()
	r.Done(Failed(CauseTimeout, errors.New("no CONNACK")), at(1500), at(1500), at(2600))
	r.Scheduled(at(1600))
	r.Begin()
	r.Done(Failed(CauseTimeout, errors.New("later one")), at(1600), at(1600), at(2700))

	tot, err := r.Close(at(2800))
	if err != nil {
		t.Fatal(err)
	}
	c := tot.Counts
	if c.Attempts != 4 || c.Succeeded != 1 || c.Failed != 3 {
		t.Fatalf("counts %+v", c)
	}
	if c.Codes[0x00] != 1 || c.Codes[0x86] != 1 || c.Causes[CauseTimeout] != 2 {
		t.Errorf("codes %v causes %v", c.Codes, c.Causes)
	}
	if c.Examples["timeout"] != "no CONNACK" || c.Examples["0x86"] == "" {
		t.Errorf("examples %v: want the first message per cause and code", c.Examples)
	}
	if tot.Latency.TotalCount() != 1 || tot.Service.TotalCount() != 1 || tot.Lag.TotalCount() != 4 {
		t.Fatalf("histogram counts %d %d %d", tot.Latency.TotalCount(), tot.Service.TotalCount(), tot.Lag.TotalCount())
	}
	if got := Summarize(tot.Latency).MaxMS; got < 299.5 || got > 300.5 {
		t.Errorf("latency %vms, want 300", got)
	}
	if got := Summarize(tot.Service).MaxMS; got < 249.5 || got > 250.5 {
		t.Errorf("service %vms, want 250", got)
	}
	if len(tot.Intervals) != 3 {
		t.Fatalf("%d intervals, want 3", len(tot.Intervals))
	}
	want := []struct{ asked, attempts, ok, failed int64 }{{2, 1, 1, 0}, {2, 1, 0, 1}, {0, 2, 0, 2}}
	for i, w := range want {
		iv := tot.Intervals[i]
		if iv.Asked != w.asked || iv.Attempts != w.attempts || iv.Succeeded != w.ok || iv.Failed != w.failed {
			t.Errorf("interval %d = %+v, want %+v", i, iv, w)
		}
	}
	if last := tot.Intervals[2]; last.LengthS < 0.79 || last.LengthS > 0.81 {
		t.Errorf("last interval %vs long, want 0.8 (cut at the end)", last.LengthS)
	}
	// Three tags per interval in the log.
	var buf bytes.Buffer
	if _, err := hl.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	ivs, err := ReadHlog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 9 {
		t.Fatalf("%d interval histograms in the log, want 9", len(ivs))
	}
	totals, err := TotalsByTag(ivs)
	if err != nil {
		t.Fatal(err)
	}
	if !totals["jwt-HS256.latency"].Equals(tot.Latency) || !totals["jwt-HS256.lag"].Equals(tot.Lag) {
		t.Error("the log's merged histograms differ from the recorder's totals")
	}
}

// Flush closes only intervals that ended a whole interval ago; a late
// record for a closed interval goes to the oldest open one.
func TestRecorderFlush(t *testing.T) {
	r := NewRecorder("p", t0, time.Second, nil)
	r.Begin()
	r.Done(Accepted(), at(0), at(0), at(500))
	r.Flush(at(1500))
	if l := r.Live(at(1500)); l.Last != nil {
		t.Fatalf("interval 0 closed at 1.5s: %+v", l.Last)
	}
	r.Flush(at(2100))
	l := r.Live(at(2100))
	if l.Last == nil || l.Last.Succeeded != 1 || l.Completed != 1 {
		t.Fatalf("after 2.1s: %+v", l)
	}
	r.Begin()
	r.Done(Accepted(), at(100), at(100), at(900)) // interval 0 is closed
	tot, _ := r.Close(at(2500))
	if tot.Counts.Succeeded != 2 || tot.Latency.TotalCount() != 2 {
		t.Fatalf("late record lost: %+v", tot.Counts)
	}
	if tot.Intervals[1].Succeeded != 1 {
		t.Errorf("late record in interval %+v, want interval 1", tot.Intervals)
	}
}

func TestTagRoundTrip(t *testing.T) {
	tag := Tag("jwt HS256,x", "latency")
	if tag != "jwt_HS256_x.latency" {
		t.Errorf("Tag = %q", tag)
	}
	if p, k := SplitTag("jwt-HS256#2.service"); p != "jwt-HS256#2" || k != "service" {
		t.Errorf("SplitTag = %q %q", p, k)
	}
}
