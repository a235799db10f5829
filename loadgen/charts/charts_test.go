package charts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// Charts are drawn for any run, including one whose phases accepted
// nothing (a broker refusing everyone) and one with no phase at all
// (interrupted before the first).
func TestWriteEdgeCases(t *testing.T) {
	t0 := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	lat := stats.NewHistogram()
	for i := range 1000 {
		_ = lat.RecordValue(int64(i+1) * 1000)
	}
	runs := map[string]*results.Run{
		"empty": {Started: t0},
		"refused": {Started: t0, Phases: []results.Phase{{Name: "jwt-HS256", Mode: "open",
			Intervals: []stats.Interval{{Start: t0, LengthS: 1, Asked: 10, Failed: 10}}}}},
		"normal": {Started: t0, Phases: []results.Phase{{Name: "anonymous", Mode: "closed",
			Intervals: []stats.Interval{{Start: t0, LengthS: 1, Asked: 10, Succeeded: 10, P50MS: 1, P99MS: 2, MaxMS: 3},
				{Start: t0.Add(time.Second), LengthS: 1, Asked: 12, Succeeded: 12, P50MS: 1, P99MS: 2, MaxMS: 3}}}}},
	}
	for name, run := range runs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			files, err := Write(dir, run, map[string]*hdr.Histogram{stats.Tag("anonymous", "latency"): lat})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 4 {
				t.Fatalf("files %v", files)
			}
			for _, f := range files {
				data, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil || !strings.Contains(string(data), "<svg") {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
}
