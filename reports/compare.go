// `authspec report compare` puts the summaries of several conformance runs side by
// side, the way Autobahn's test suite shows agents by cases: the targets as
// columns, the catalogue IDs as rows grouped by catalogue group, each cell
// the verdict and the reason code observed. It writes one self-contained
// HTML page (inline CSS, no script, no network; the reasons on hover through
// title attributes and as numbered footnotes) and a Markdown table for CI
// logs.
//
// Its input is each run's summary.json (reports/<target>/), read leniently
// about additions (a per-ID reading of an ambiguity is shown when present)
// and strictly about what it needs: a run without a target name, a file
// that does not parse, or two runs of the same target are errors.
//
// (It lives in package reports, not a sub-package: subdirectories of
// reports/ are run outputs, ignored by git.)

package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ComparedRun is one run's summary, as compare reads it.
type ComparedRun struct {
	// Source is the summary.json the run was read from.
	Source    string
	Target    string
	Version   string
	Started   string
	DurationS float64
	Profile   string
	Totals    Totals
	// Judged is summary.json's judged verdictCount, or computed from the totals
	// for summaries written before it existed.
	Judged int
	IDs    map[string]ComparedResult
}

// ComparedResult is one ID of one run.
type ComparedResult struct {
	Verdict  Verdict
	Message  string
	Group    string
	Observed string
	// Reading is the ambiguity reading the ID was judged on ("" when the
	// summary has none).
	Reading string
}

// comparedSummary is the part of summary.json compare reads.
type comparedSummary struct {
	Target          *string                   `json:"target"`
	AuthspecVersion string                    `json:"authspec_version"`
	Started         string                    `json:"started"`
	DurationS       float64                   `json:"duration_s"`
	Profile         string                    `json:"profile"`
	IDs             map[string]comparedResult `json:"ids"`
	Totals          Totals                    `json:"totals"`
	Judged          *int                      `json:"judged"`
}

type comparedResult struct {
	Verdict  Verdict `json:"verdict"`
	Message  string  `json:"message"`
	Group    string  `json:"group"`
	Observed string  `json:"observed"`
	// An ambiguity reading: another change adds it to summary.json; both
	// names it may take are read.
	Reading json.RawMessage `json:"reading"`
	Variant json.RawMessage `json:"variant"`
}

// LoadRuns reads the runs, in the order given. Each path is a run directory
// holding summary.json, or the summary.json itself.
func LoadRuns(paths []string) ([]ComparedRun, error) {
	if len(paths) == 0 {
		return nil, errors.New("no run directory given (reports/<target>/ of each run)")
	}
	var runs []ComparedRun
	seen := map[string]string{}
	for _, p := range paths {
		r, err := loadComparedRun(p)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[r.Target]; dup {
			return nil, fmt.Errorf("%s and %s are both runs of target %q: a column per target, so give one run of each", first, r.Source, r.Target)
		}
		seen[r.Target] = r.Source
		runs = append(runs, r)
	}
	return runs, nil
}

func loadComparedRun(path string) (ComparedRun, error) {
	st, err := os.Stat(path)
	if err != nil {
		return ComparedRun{}, fmt.Errorf("run %s: %w", path, unwrapPath(err))
	}
	if st.IsDir() {
		path = filepath.Join(path, SummaryFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ComparedRun{}, fmt.Errorf("run %s: %w (is it a run directory, reports/<target>/?)", path, unwrapPath(err))
	}
	var raw comparedSummary
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return ComparedRun{}, fmt.Errorf("%s: not a summary.json: %v", path, err)
	}
	switch {
	case raw.Target == nil || *raw.Target == "":
		return ComparedRun{}, fmt.Errorf("%s: not a summary.json: no target", path)
	case raw.IDs == nil:
		return ComparedRun{}, fmt.Errorf("%s: not a summary.json: no ids", path)
	}
	r := ComparedRun{
		Source: path, Target: *raw.Target, Version: raw.AuthspecVersion, Started: raw.Started,
		DurationS: raw.DurationS, Profile: raw.Profile, Totals: raw.Totals, IDs: map[string]ComparedResult{},
	}
	r.Judged = r.Totals.Pass + r.Totals.NonStrict + r.Totals.Fail
	if raw.Judged != nil {
		r.Judged = *raw.Judged
	}
	for id, x := range raw.IDs {
		if !knownVerdict(x.Verdict) {
			return ComparedRun{}, fmt.Errorf("%s: %s: unknown verdict %q", path, id, x.Verdict)
		}
		group := x.Group
		if group == "" {
			group = GroupOf(id)
		}
		reading := readingText(x.Reading)
		if reading == "" {
			reading = readingText(x.Variant)
		}
		r.IDs[id] = ComparedResult{Verdict: x.Verdict, Message: x.Message, Group: group, Observed: x.Observed, Reading: reading}
	}
	return r, nil
}

func knownVerdict(v Verdict) bool {
	for _, k := range Verdicts {
		if v == k {
			return true
		}
	}
	return false
}

// readingText renders a reading as text: a string as it is, anything else
// as compact JSON; "" when absent or null.
func readingText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return buf.String()
	}
	return string(raw)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Comparison is the comparison: runs as columns, IDs as rows by group, and the
// footnotes the cells point to.
type Comparison struct {
	Runs   []ComparedRun
	Groups []ComparisonGroup
	Notes  []string // Notes[i] is footnote i+1
}

// ComparisonGroup is one catalogue group's rows.
type ComparisonGroup struct {
	Name string
	Rows []ComparisonRow
}

// ComparisonRow is one ID across the runs.
type ComparisonRow struct {
	ID    string
	Cells []ComparisonCell // parallel to Comparison.Runs
}

// ComparisonCell is one ID of one run.
type ComparisonCell struct {
	// Verdict is "" when the run did not run the ID.
	Verdict  Verdict
	Observed string
	Reading  string
	// Note is the footnote number of the cell's explanation (0: none).
	Note int
}

// Text is the cell's explanation: what its footnote says.
func (c ComparisonCell) Text(m *Comparison) string {
	if c.Note == 0 {
		return ""
	}
	return m.Notes[c.Note-1]
}

// Compare lays the runs out. Rows are every ID any run has, grouped by
// catalogue group, groups and IDs in name order.
func Compare(runs []ComparedRun) *Comparison {
	m := &Comparison{Runs: runs}
	groups := map[string][]string{}
	seen := map[string]bool{}
	for _, r := range runs {
		for id, res := range r.IDs {
			if !seen[id] {
				seen[id] = true
				groups[res.Group] = append(groups[res.Group], id)
			}
		}
	}
	noteOf := map[string]int{}
	for _, name := range sortedKeys(groups) {
		ids := groups[name]
		sort.Strings(ids)
		g := ComparisonGroup{Name: name}
		for _, id := range ids {
			row := ComparisonRow{ID: id}
			for _, r := range runs {
				res, ok := r.IDs[id]
				if !ok {
					row.Cells = append(row.Cells, ComparisonCell{})
					continue
				}
				c := ComparisonCell{Verdict: res.Verdict, Observed: res.Observed, Reading: res.Reading}
				if text := compareNote(res); text != "" {
					if noteOf[text] == 0 {
						m.Notes = append(m.Notes, text)
						noteOf[text] = len(m.Notes)
					}
					c.Note = noteOf[text]
				}
				row.Cells = append(row.Cells, c)
			}
			g.Rows = append(g.Rows, row)
		}
		m.Groups = append(m.Groups, g)
	}
	return m
}

// compareNote is the footnote of a result: its verdict's message (the reason
// it is not applicable, the failure, the non-strict code) and the reading
// it was judged on. Identical texts share one footnote.
func compareNote(r ComparedResult) string {
	var parts []string
	msg := strings.TrimSpace(r.Message)
	if strings.HasPrefix(msg, NotClaimedPrefix) {
		// One note for every ID a profile leaves out, not one per ID.
		msg = "the profile does not claim it"
	}
	if msg != "" {
		parts = append(parts, compareLabel(r.Verdict)+": "+msg)
	}
	if r.Reading != "" {
		parts = append(parts, "judged on reading "+r.Reading)
	}
	return strings.Join(parts, "; ")
}

// compareLabel is a verdict as the cells show it.
func compareLabel(v Verdict) string {
	switch v {
	case VerdictNotApplicable:
		return "n/a"
	case "":
		return "not run"
	}
	return string(v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
