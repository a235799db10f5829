package stats

import (
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram geometry shared by every histogram of a run, so merges never
// drop values: 1 µs to 1 h, three significant digits.
const (
	LowestNS  int64 = 1_000
	HighestNS int64 = 3_600_000_000_000
	Digits          = 3
)

// NewHistogram returns an empty histogram with the run geometry.
func NewHistogram() *hdr.Histogram { return hdr.New(LowestNS, HighestNS, Digits) }

// record adds d, clamped into the trackable range; it reports whether d
// had to be clamped (a latency beyond an hour).
func record(h *hdr.Histogram, d time.Duration) (clamped bool) {
	v := int64(d)
	switch {
	case v < LowestNS:
		v = LowestNS
	case v > HighestNS:
		v, clamped = HighestNS, true
	}
	_ = h.RecordValue(v) // in range by construction
	return clamped
}

// Summary is a histogram's percentiles in milliseconds.
type Summary struct {
	Count  int64   `json:"count"`
	MinMS  float64 `json:"min_ms"`
	MeanMS float64 `json:"mean_ms"`
	P50MS  float64 `json:"p50_ms"`
	P90MS  float64 `json:"p90_ms"`
	P99MS  float64 `json:"p99_ms"`
	P999MS float64 `json:"p99_9_ms"`
	MaxMS  float64 `json:"max_ms"`
}

// Summarize reads the percentiles of h (all zero when h is empty).
func Summarize(h *hdr.Histogram) Summary {
	if h == nil || h.TotalCount() == 0 {
		return Summary{}
	}
	ms := func(ns int64) float64 { return float64(ns) / 1e6 }
	return Summary{
		Count:  h.TotalCount(),
		MinMS:  ms(h.Min()),
		MeanMS: h.Mean() / 1e6,
		P50MS:  ms(h.ValueAtQuantile(50)),
		P90MS:  ms(h.ValueAtQuantile(90)),
		P99MS:  ms(h.ValueAtQuantile(99)),
		P999MS: ms(h.ValueAtQuantile(99.9)),
		MaxMS:  ms(h.Max()),
	}
}
