package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureMeta is fixed so the golden files do not depend on the clock.
var fixtureMeta = Meta{
	Target:   "fixture-broker",
	Version:  "0.0.0-test",
	Started:  time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC),
	Duration: 12345 * time.Millisecond,
	Profile:  "fixture-broker: by-hand, JWT hmac-based from password",
}

// fixtureSummary builds the summary of testdata/cucumber.json, a hand-made godog
// cucumber record covering every verdict, with testdata/gaps.yaml as baseline.
func fixtureSummary(t *testing.T) (*Summary, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cucumber.json"))
	if err != nil {
		t.Fatal(err)
	}
	baseline, err := LoadBaseline(filepath.Join("testdata", "gaps.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Build(data, fixtureMeta, baseline)
	if err != nil {
		t.Fatal(err)
	}
	return s, data
}

func TestGoldenFiles(t *testing.T) {
	s, _ := fixtureSummary(t)
	writers := map[string]func() ([]byte, error){
		SummaryFile: func() ([]byte, error) { return MarshalSummary(s) },
		JUnitFile:   func() ([]byte, error) { return renderTo(WriteJUnit, s) },
		HTMLFile:    func() ([]byte, error) { return renderTo(WriteHTML, s) },
	}
	for name, render := range writers {
		t.Run(name, func(t *testing.T) {
			got, err := render()
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, name, got)
		})
	}
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./reports -update` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run `go test ./reports -update` after checking the change):\n%s", name, path, firstDifference(got, want))
	}
}

func firstDifference(got, want []byte) string {
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + string(g) + "\nwant: " + string(w)
		}
	}
	return "(no line differs)"
}

func TestWriteAllWritesEveryReport(t *testing.T) {
	s, cucumber := fixtureSummary(t)
	dir := filepath.Join(t.TempDir(), "reports", "fixture-broker")
	if err := WriteAll(dir, s, cucumber); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]func() ([]byte, error){
		CucumberFile: func() ([]byte, error) { return cucumber, nil },
		SummaryFile:  func() ([]byte, error) { return MarshalSummary(s) },
		JUnitFile:    func() ([]byte, error) { return renderTo(WriteJUnit, s) },
		HTMLFile:     func() ([]byte, error) { return renderTo(WriteHTML, s) },
	} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w, err := want()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, w) {
			t.Errorf("%s on disk differs from the writer's output", name)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("want exactly 4 files (no temporary leftovers), got %d", len(entries))
	}
}
