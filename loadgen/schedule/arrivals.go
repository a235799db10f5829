package schedule

import (
	"fmt"
	"math"
	"time"
)

// Arrivals is an open-loop schedule: Rate arrivals per second for the whole
// run (every shard together), reached by a linear ramp from zero over Ramp.
// Arrival times do not depend on when earlier attempts finished; that is
// what makes the load open and lets latency be measured from the scheduled
// time (coordinated-omission correction).
type Arrivals struct {
	Rate float64 // per second, > 0
	Ramp time.Duration
}

// Validate checks that the schedule is usable.
func (a Arrivals) Validate() error {
	if !(a.Rate > 0) || math.IsInf(a.Rate, 0) {
		return fmt.Errorf("rate %v: the arrival rate must be a positive number of connections per second", a.Rate)
	}
	if a.Ramp < 0 {
		return fmt.Errorf("ramp-up %v: must not be negative", a.Ramp)
	}
	return nil
}

// At is the offset from the start of the run at which the run-wide j-th
// arrival (j from 0) is due.
//
// Without ramp the j-th arrival is due at j/Rate. With a ramp of T the rate
// grows linearly from 0 to R, so N(t) = R t^2 / 2T arrivals are due by
// t <= T (R T / 2 in all), then R per second: the j-th arrival is the t with
// N(t) = j.
func (a Arrivals) At(j int64) time.Duration {
	if j <= 0 {
		return 0
	}
	r := a.Rate
	t := a.Ramp.Seconds()
	var sec float64
	if rampArrivals := r * t / 2; t > 0 && float64(j) < rampArrivals {
		sec = math.Sqrt(2 * t * float64(j) / r)
	} else {
		sec = float64(j)/r + t/2 // = T + (j - RT/2)/R
	}
	return time.Duration(sec * float64(time.Second))
}

// CountBefore is the number of run-wide arrivals due strictly before d,
// the inverse of At (used to size a run bounded by duration).
func (a Arrivals) CountBefore(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	r := a.Rate
	t := a.Ramp.Seconds()
	s := d.Seconds()
	var n float64
	if t > 0 && s <= t {
		n = r * s * s / (2 * t)
	} else {
		n = r*s - r*t/2
	}
	c := int64(math.Ceil(n))
	// Rounding in the float inverse: settle on the exact boundary with At.
	for c > 0 && a.At(c-1) >= d {
		c--
	}
	for a.At(c) < d {
		c++
	}
	return c
}

// WorkerStart is when the w-th of n closed-loop workers starts: spread
// evenly over the ramp, the first at once.
func WorkerStart(w, n int, ramp time.Duration) time.Duration {
	if n <= 0 || ramp <= 0 || w <= 0 {
		return 0
	}
	return time.Duration(float64(ramp) * float64(w) / float64(n))
}
