package stats

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

// Two logs written by two processes merge into exactly the histogram of
// every value recorded in one: same counts in every bucket, hence the same
// percentiles, not averages of the two.
func TestHlogMergeIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	all := NewHistogram()
	var logs [][]byte
	for shard := range 2 {
		hl := NewHlog(t0.Add(time.Duration(shard) * 300 * time.Millisecond))
		for iv := range 5 {
			h := NewHistogram()
			for range 1000 {
				// Two different distributions, so averaging percentiles
				// would visibly differ from merging.
				v := time.Duration(rng.ExpFloat64() * float64(time.Millisecond) * float64(1+9*shard))
				record(h, v)
				record(all, v)
			}
			from := t0.Add(time.Duration(iv) * time.Second)
			if err := hl.Add(Tag("jwt", "latency"), h, from, from.Add(time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if _, err := hl.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		logs = append(logs, buf.Bytes())
	}
	var ivs []IntervalHistogram
	var p50s []float64
	for _, l := range logs {
		one, err := ReadHlog(bytes.NewReader(l))
		if err != nil {
			t.Fatal(err)
		}
		tot, _ := TotalsByTag(one)
		p50s = append(p50s, Summarize(tot["jwt.latency"]).P50MS)
		ivs = append(ivs, one...)
	}
	merged, err := TotalsByTag(ivs)
	if err != nil {
		t.Fatal(err)
	}
	m := merged["jwt.latency"]
	if !m.Equals(all) {
		t.Fatal("merged histogram differs from the histogram of all values")
	}
	if m.TotalCount() != 10000 {
		t.Errorf("merged count %d", m.TotalCount())
	}
	got, avg := Summarize(m).P50MS, (p50s[0]+p50s[1])/2
	if got == avg {
		t.Errorf("merged p50 %v equals the average of the shards' p50s; the test distributions are too alike", got)
	}
	if got != Summarize(all).P50MS {
		t.Errorf("merged p50 %v, want %v", got, Summarize(all).P50MS)
	}
	// Interval timestamps survive the log (absolute, to the millisecond).
	if !ivs[0].Start.Equal(t0) || !ivs[0].End.Equal(t0.Add(time.Second)) {
		t.Errorf("first interval %v..%v", ivs[0].Start, ivs[0].End)
	}
}

func TestReadHlogRejectsGarbage(t *testing.T) {
	_, err := ReadHlog(bytes.NewReader([]byte("Tag=x,0.0,1.0,0.0,notbase64!!\n")))
	if err == nil {
		t.Fatal("garbage accepted")
	}
}

func TestRecordClampsOutOfRange(t *testing.T) {
	h := NewHistogram()
	if !record(h, 2*time.Hour) {
		t.Error("2 h not reported as clamped")
	}
	record(h, -time.Second)
	if h.TotalCount() != 2 || h.Max() < HighestNS {
		t.Errorf("count %d max %d", h.TotalCount(), h.Max())
	}
}
