package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/authspec/authspec/loadgen/stats"
)

// File names written in a run's output directory.
const (
	JSONFile       = "load.json"
	HlogFile       = "load.hlog"
	PrometheusFile = "load.prom"
)

// WriteJSON writes run as indented JSON to path.
func WriteJSON(path string, run *Run) error {
	data, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Loaded is a run read back with its interval log.
type Loaded struct {
	Path      string
	Run       *Run
	Intervals []stats.IntervalHistogram
}

// Load reads a load.json and the .hlog it names (relative to its
// directory).
func Load(path string) (*Loaded, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var run Run
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&run); err != nil {
		return nil, fmt.Errorf("%s: not a load result: %w", path, err)
	}
	if run.Format != FormatVersion {
		return nil, fmt.Errorf("%s: load result format %d, this authspec reads %d", path, run.Format, FormatVersion)
	}
	// Comparisons follow from the phases: recomputed, so a result written
	// before a column was added shows it too.
	run.Compare()
	if run.Files.Hlog == "" {
		return nil, fmt.Errorf("%s: names no .hlog file", path)
	}
	hlogPath := run.Files.Hlog
	if !filepath.IsAbs(hlogPath) {
		hlogPath = filepath.Join(filepath.Dir(path), hlogPath)
	}
	f, err := os.Open(hlogPath)
	if err != nil {
		return nil, fmt.Errorf("%s: its interval log: %w", path, err)
	}
	defer f.Close()
	ivs, err := stats.ReadHlog(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", hlogPath, err)
	}
	return &Loaded{Path: path, Run: &run, Intervals: ivs}, nil
}
