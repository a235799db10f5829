package loadgen

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/authspec/authspec/loadgen/charts"
	"github.com/authspec/authspec/loadgen/page"
	"github.com/authspec/authspec/loadgen/promtext"
	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
)

// Output says what WriteFiles writes.
type Output struct {
	Dir        string
	Prometheus bool // also write load.prom
	NoCharts   bool
}

// WriteFiles writes a run's files into o.Dir: load.hlog, the SVG charts,
// load.prom when asked, index.html (the page: every table and the charts
// inlined), and load.json last (it lists the others). `load` and `report
// merge` both write through here, so a merged run has the same page. The
// interval log is read back to draw the percentile spectrum, which also
// checks that it parses.
func WriteFiles(o Output, run *results.Run, hlog *stats.Hlog) error {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := hlog.WriteTo(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.Dir, results.HlogFile), buf.Bytes(), 0o644); err != nil {
		return err
	}
	run.Files = results.Files{JSON: results.JSONFile, Hlog: results.HlogFile}
	var errs []error
	ivs, err := stats.ReadHlog(&buf)
	if err != nil {
		return fmt.Errorf("reading back %s: %w", results.HlogFile, err)
	}
	totals, err := stats.TotalsByTag(ivs)
	if err != nil {
		return err
	}
	var drawn []charts.Chart
	if !o.NoCharts {
		drawn = charts.Draw(run, totals)
		for _, c := range drawn {
			err := os.WriteFile(filepath.Join(o.Dir, c.File), c.SVG, 0o644)
			if err == nil {
				run.Files.SVG = append(run.Files.SVG, c.File)
			}
			errs = append(errs, err)
		}
		run.Files.Page = page.File
	}
	if o.Prometheus {
		f, err := os.Create(filepath.Join(o.Dir, results.PrometheusFile))
		if err == nil {
			err = errors.Join(promtext.Write(f, run), f.Close())
		}
		if err == nil {
			run.Files.Prometheus = results.PrometheusFile
		}
		errs = append(errs, err)
	}
	if !o.NoCharts {
		var html bytes.Buffer
		err := page.Write(&html, run, drawn)
		if err == nil {
			err = os.WriteFile(filepath.Join(o.Dir, page.File), html.Bytes(), 0o644)
		}
		if err != nil {
			run.Files.Page = ""
		}
		errs = append(errs, err)
	}
	errs = append(errs, results.WriteJSON(filepath.Join(o.Dir, results.JSONFile), run))
	return errors.Join(errs...)
}
