package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Names of the files a run leaves in reports/<target-name>/ (contract).
const (
	CucumberFile = "cucumber.json"
	JUnitFile    = "junit.xml"
	SummaryFile  = "summary.json"
	HTMLFile     = "index.html"
)

// MarshalSummary renders summary.json (indented, with <, > and & left readable).
func MarshalSummary(s *Summary) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	return buf.Bytes(), nil
}

// WriteAll writes cucumber.json (as godog produced it), junit.xml, summary.json and
// index.html into dir, creating it. It writes every file it can and reports the
// first failure, so a broken writer never costs the other reports.
func WriteAll(dir string, s *Summary, cucumberJSON []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	render := map[string]func() ([]byte, error){
		CucumberFile: func() ([]byte, error) { return cucumberJSON, nil },
		JUnitFile:    func() ([]byte, error) { return renderTo(WriteJUnit, s) },
		SummaryFile:  func() ([]byte, error) { return MarshalSummary(s) },
		HTMLFile:     func() ([]byte, error) { return renderTo(WriteHTML, s) },
	}
	var first error
	for _, name := range []string{CucumberFile, JUnitFile, SummaryFile, HTMLFile} {
		data, err := render[name]()
		if err == nil {
			err = writeFileAtomic(filepath.Join(dir, name), data)
		}
		if err != nil && first == nil {
			first = fmt.Errorf("reports: %s: %w", name, err)
		}
	}
	return first
}

func renderTo(write func(io.Writer, *Summary) error, s *Summary) ([]byte, error) {
	var buf bytes.Buffer
	if err := write(&buf, s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeFileAtomic writes through a temporary file and a rename, so a reader (or a
// crash) never sees half a report.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
