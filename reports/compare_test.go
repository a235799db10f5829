package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// compareFixtureRuns are three hand-made summaries: a conformant run with a
// reading, a failing one with not-claimed IDs and a message that needs
// escaping, and an older summary (no judged field, no group on one ID, a
// reading under "variant") that lacks an ID the others have.
func compareFixtureRuns(t *testing.T) []ComparedRun {
	t.Helper()
	dirs := []string{"alpha", "beta", "gamma"}
	for i, d := range dirs {
		dirs[i] = filepath.Join("testdata", "compare", "runs", d)
	}
	runs, err := LoadRuns(dirs)
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

func TestCompareGoldenFiles(t *testing.T) {
	m := Compare(compareFixtureRuns(t))
	for name, write := range map[string]func(*bytes.Buffer) error{
		"compare.html": func(b *bytes.Buffer) error { return WriteCompareHTML(b, m) },
		"compare.md":   func(b *bytes.Buffer) error { return WriteCompareMarkdown(b, m) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, name, b.Bytes())
		})
	}
}

// TestCompareMatrix checks the layout the golden files freeze: groups, rows,
// a column per run, missing IDs, shared footnotes and readings.
func TestCompareMatrix(t *testing.T) {
	m := Compare(compareFixtureRuns(t))
	var names []string
	for _, g := range m.Groups {
		names = append(names, g.Name)
	}
	if got := strings.Join(names, ","); got != "JWT-HMAC,JWT-PK,JWT-SRC,SCRAM" {
		t.Errorf("groups %s", got)
	}
	cell := func(id string, run int) ComparisonCell {
		for _, g := range m.Groups {
			for _, r := range g.Rows {
				if r.ID == id {
					return r.Cells[run]
				}
			}
		}
		t.Fatalf("no row %s", id)
		return ComparisonCell{}
	}
	if c := cell("JWT-PK-01", 0); c.Verdict != "" {
		t.Errorf("JWT-PK-01 in alpha: %+v, want not run", c)
	}
	if c := cell("JWT-SRC-03", 0); c.Reading != "A1 exp required" || c.Text(m) != "judged on reading A1 exp required" {
		t.Errorf("alpha JWT-SRC-03 %+v %q", c, c.Text(m))
	}
	if c := cell("JWT-SRC-03", 2); c.Verdict != VerdictNonStrict || c.Reading != `{"ambiguity":"A1","reading":"exp optional"}` {
		t.Errorf("gamma JWT-SRC-03 %+v", c)
	}
	// One note for one reason, however many cells give it.
	a, b := cell("JWT-HMAC-01", 2), cell("JWT-HMAC-02", 2)
	if a.Note == 0 || a.Note != b.Note || !strings.HasPrefix(a.Text(m), "n/a: needs algorithm") {
		t.Errorf("shared n/a note: %+v %+v %q", a, b, a.Text(m))
	}
	if m.Runs[2].Judged != 2 {
		t.Errorf("gamma judged %d, want 2 computed from its totals", m.Runs[2].Judged)
	}
}

func TestCompareBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, SummaryFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	alpha := filepath.Join("testdata", "compare", "runs", "alpha")
	broken := write("broken", `{"target": "x", "ids": {`)
	noTarget := write("notarget", `{"ids": {}}`)
	badVerdict := write("verdict", `{"target": "v", "ids": {"SCRAM-01": {"verdict": "passed"}}}`)
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"nothing", nil, "no run directory given"},
		{"missing directory", []string{filepath.Join(dir, "nope")}, "nope: no such file or directory"},
		{"directory without summary", []string{empty}, "summary.json: no such file or directory (is it a run directory, reports/<target>/?)"},
		{"summary that does not parse", []string{broken}, "broken/summary.json: not a summary.json: unexpected EOF"},
		{"summary without target", []string{noTarget}, "notarget/summary.json: not a summary.json: no target"},
		{"unknown verdict", []string{badVerdict}, `SCRAM-01: unknown verdict "passed"`},
		{"same target twice", []string{alpha, filepath.Join(alpha, "summary.json")}, `are both runs of target "alpha"`},
	}
	for _, c := range cases {
		_, err := LoadRuns(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// TestCompareReadsWhatSummaryWrites: a summary written by reports is read back whole.
func TestCompareReadsWhatSummaryWrites(t *testing.T) {
	s := &Summary{Target: "rt", AuthspecVersion: "v", IDs: map[string]IDResult{
		"SCRAM-01": {Verdict: VerdictFail, Message: "m", Group: "SCRAM", Observed: "0x87"},
	}, Totals: Totals{Fail: 1}, Judged: 1}
	data, err := MarshalSummary(s)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, SummaryFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	runs, err := LoadRuns([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	got := runs[0].IDs["SCRAM-01"]
	if got != (ComparedResult{Verdict: VerdictFail, Message: "m", Group: "SCRAM", Observed: "0x87"}) || runs[0].Judged != 1 {
		t.Errorf("read back %+v judged %s", got, strconv.Itoa(runs[0].Judged))
	}
}
