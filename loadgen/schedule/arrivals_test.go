package schedule

import (
	"testing"
	"time"
)

func TestArrivalsWithoutRamp(t *testing.T) {
	a := Arrivals{Rate: 200}
	for j, want := range map[int64]time.Duration{0: 0, 1: 5 * time.Millisecond, 200: time.Second, 1999: 9995 * time.Millisecond} {
		if got := a.At(j); got != want {
			t.Errorf("At(%d) = %v, want %v", j, got, want)
		}
	}
	if got := a.CountBefore(10 * time.Second); got != 2000 {
		t.Errorf("CountBefore(10s) = %d, want 2000", got)
	}
}

// With a 2 s ramp to 100/s, 100 arrivals are due during the ramp (the
// area of the triangle), the rate then stays at 100/s.
func TestArrivalsRamp(t *testing.T) {
	a := Arrivals{Rate: 100, Ramp: 2 * time.Second}
	if got := a.CountBefore(2 * time.Second); got != 100 {
		t.Errorf("arrivals during the ramp = %d, want 100", got)
	}
	if got := a.CountBefore(3 * time.Second); got != 200 {
		t.Errorf("arrivals by 3 s = %d, want 200", got)
	}
	// Half-way through the ramp a quarter of the ramp's arrivals are due.
	if got := a.CountBefore(time.Second); got != 25 {
		t.Errorf("arrivals by 1 s = %d, want 25", got)
	}
	// Gaps shrink during the ramp and settle at 1/rate after it.
	early := a.At(2) - a.At(1)
	late := a.At(151) - a.At(150)
	if early <= late || late != 10*time.Millisecond {
		t.Errorf("gap early %v, late %v; want early > late = 10ms", early, late)
	}
	for j := int64(1); j < 400; j++ {
		if a.At(j) <= a.At(j-1) {
			t.Fatalf("At(%d) = %v is not after At(%d) = %v", j, a.At(j), j-1, a.At(j-1))
		}
	}
}

// CountBefore is the exact inverse of At on both sides of the boundary.
func TestCountBeforeInvertsAt(t *testing.T) {
	for _, a := range []Arrivals{{Rate: 3}, {Rate: 333.3}, {Rate: 50, Ramp: 700 * time.Millisecond}} {
		for _, d := range []time.Duration{time.Millisecond, 999 * time.Millisecond, time.Second, 7 * time.Second} {
			c := a.CountBefore(d)
			if c > 0 && a.At(c-1) >= d {
				t.Errorf("%+v: arrival %d at %v is not before %v", a, c-1, a.At(c-1), d)
			}
			if a.At(c) < d {
				t.Errorf("%+v: arrival %d at %v is before %v but not counted", a, c, a.At(c), d)
			}
		}
	}
}

func TestArrivalsValidate(t *testing.T) {
	for _, a := range []Arrivals{{Rate: 0}, {Rate: -5}, {Rate: 10, Ramp: -time.Second}} {
		if a.Validate() == nil {
			t.Errorf("%+v accepted", a)
		}
	}
}

func TestWorkerStart(t *testing.T) {
	if got := WorkerStart(0, 4, time.Second); got != 0 {
		t.Errorf("first worker at %v", got)
	}
	if got := WorkerStart(2, 4, time.Second); got != 500*time.Millisecond {
		t.Errorf("worker 2 of 4 at %v, want 500ms", got)
	}
}
