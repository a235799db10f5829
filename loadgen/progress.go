package loadgen

import (
	"fmt"
	"io"
	"time"

	"github.com/authspec/authspec/loadgen/stats"
)

// display shows a phase's progress: on a terminal one status line
// rewritten in place (carriage return and erase-line), otherwise a plain
// line every `every`, which logs and CI output keep readable.
//
// A rewritten line is all the display needs, so it is written here rather
// than with a progress-bar library (vbauerster/mpb): one line, no bars to
// lay out, no render goroutine of the library's own competing with the
// generator for the two cores of a local run.
type display struct {
	w     io.Writer
	tty   bool
	every time.Duration
	last  time.Time
	// planned is the phase's schedule length (0: unknown) and asked its
	// asked rate (0: closed loop).
	planned time.Duration
	asked   float64
}

func (d *display) update(l stats.Live, now time.Time) {
	if d.w == nil {
		return
	}
	if !d.tty {
		if now.Sub(d.last) < d.every {
			return
		}
		d.last = now
	}
	line := d.line(l)
	if d.tty {
		fmt.Fprintf(d.w, "\r\033[K%s", line)
	} else {
		fmt.Fprintln(d.w, line)
	}
}

func (d *display) line(l stats.Live) string {
	el := l.Elapsed.Truncate(100 * time.Millisecond)
	when := el.String()
	if d.planned > 0 {
		when += "/" + d.planned.String()
	}
	s := fmt.Sprintf("[%s] %s  ok %d  failed %d  in flight %d", l.Phase, when, l.Succeeded, l.Failed, l.InFlight)
	if iv := l.Last; iv != nil && iv.LengthS > 0 {
		s += fmt.Sprintf("  rate %.0f/s", float64(iv.Succeeded)/iv.LengthS)
		if d.asked > 0 {
			s += fmt.Sprintf(" (asked %.0f/s)", d.asked)
		}
		if iv.Succeeded > 0 {
			s += fmt.Sprintf("  p50 %.2fms p99 %.2fms", iv.P50MS, iv.P99MS)
		}
	}
	return s
}

// finish ends the status line of a terminal display.
func (d *display) finish() {
	if d.w != nil && d.tty {
		fmt.Fprintln(d.w)
	}
}
