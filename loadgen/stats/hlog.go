package stats

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Tag is the interval-log tag of a phase's histogram kind ("latency",
// "service" or "lag"), e.g. "jwt-HS256.latency". Characters the log format forbids
// in tags (commas, spaces, line breaks) are replaced by '_'.
func Tag(phase, kind string) string {
	return tagUnsafe.ReplaceAllString(phase, "_") + "." + kind
}

var tagUnsafe = regexp.MustCompile(`[^A-Za-z0-9_.:#/+-]`)

// SplitTag is the inverse of Tag: phase and kind.
func SplitTag(tag string) (phase, kind string) {
	i := strings.LastIndexByte(tag, '.')
	if i < 0 {
		return tag, ""
	}
	return tag[:i], tag[i+1:]
}

// Hlog is an HdrHistogram interval log being written: the standard format
// (version comment, StartTime, legend, then one tagged line per interval
// histogram with absolute timestamps), which HdrHistogram's own tools and
// HistogramLogReader read. It is kept in memory (each line is a compressed
// histogram, a few hundred bytes) and written out at the end of the run.
// Safe for concurrent use.
type Hlog struct {
	mu  sync.Mutex
	buf bytes.Buffer
	w   *hdr.HistogramLogWriter
}

// NewHlog starts a log for a run that started at start.
func NewHlog(start time.Time) *Hlog {
	l := &Hlog{}
	l.w = hdr.NewHistogramLogWriter(&l.buf)
	_ = l.w.OutputLogFormatVersion()
	_ = l.w.OutputComment("[authspec load: values in nanoseconds; tags are <phase>.latency (scheduled start to CONNACK), <phase>.service (actual start to CONNACK), <phase>.lag (scheduled to actual start)]")
	_ = l.w.OutputStartTime(start.UnixMilli())
	_ = l.w.OutputLegend()
	return l
}

// Add writes one interval histogram under tag, stamped [from, to).
func (l *Hlog) Add(tag string, h *hdr.Histogram, from, to time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	h.SetTag(tag)
	h.SetStartTimeMs(from.UnixMilli())
	h.SetEndTimeMs(to.UnixMilli())
	if err := l.w.OutputIntervalHistogram(h); err != nil {
		return fmt.Errorf("hlog: %w", err)
	}
	return nil
}

// WriteTo writes the log.
func (l *Hlog) WriteTo(w io.Writer) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.NewReader(l.buf.Bytes()).WriteTo(w)
}

// IntervalHistogram is one line of an interval log.
type IntervalHistogram struct {
	Tag   string
	Start time.Time
	End   time.Time
	Hist  *hdr.Histogram
}

// ReadHlog reads every interval histogram of a log, in order.
func ReadHlog(r io.Reader) ([]IntervalHistogram, error) {
	rd := hdr.NewHistogramLogReader(r)
	var out []IntervalHistogram
	for {
		h, err := rd.NextIntervalHistogram()
		if err != nil {
			return out, fmt.Errorf("hlog: interval %d: %w", len(out)+1, err)
		}
		if h == nil {
			return out, nil
		}
		out = append(out, IntervalHistogram{
			Tag: h.Tag(), Hist: h,
			Start: time.UnixMilli(h.StartTimeMs()), End: time.UnixMilli(h.EndTimeMs()),
		})
	}
}

// TotalsByTag merges the intervals of a log by tag: the whole-run histogram of
// each tag. Merging is exact (counts added bucket by bucket) because every
// histogram of a run shares one geometry; a value that would not fit is
// reported as an error rather than dropped silently.
func TotalsByTag(intervals []IntervalHistogram) (map[string]*hdr.Histogram, error) {
	out := map[string]*hdr.Histogram{}
	for _, iv := range intervals {
		t := out[iv.Tag]
		if t == nil {
			t = NewHistogram()
			out[iv.Tag] = t
		}
		if dropped := t.Merge(iv.Hist); dropped != 0 {
			return nil, fmt.Errorf("hlog: tag %s: %d values outside the run's histogram range", iv.Tag, dropped)
		}
	}
	return out, nil
}
