package reports

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// index.html: self-contained (inline CSS, no script, no network), an Autobahn-style
// matrix whose cells show the verdict and the observed reason code, then one table per
// group, then the details of every failing or erroring scenario. html/template escapes
// everything that comes from the run.

var indexTemplate = template.Must(template.New("index").Parse(indexHTML))

// WriteHTML writes the summary as a self-contained HTML page.
func WriteHTML(w io.Writer, s *Summary) error {
	if err := indexTemplate.Execute(w, newHTMLView(s)); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

type htmlView struct {
	Target, Profile, Version, Started, Duration string
	ExitCode                                    int
	ExitReasons                                 []string
	Totals                                      Totals
	Verdicts                                    []htmlVerdict
	Matrix                                      []htmlMatrixRow
	Groups                                      []htmlGroup
	Details                                     []htmlDetail
	Unidentified                                []UnidentifiedScenario
	BaselineNotRun                              []string
	Adapter                                     *AdapterRun
}

type htmlVerdict struct{ Label, Class string }

type htmlMatrixRow struct {
	Group   string
	Columns [][]htmlCell // one per verdict, in Verdicts order
}

type htmlCell struct {
	ID, Class, Code, Title string
	Baseline               string // "", "gap" or "stale"
	Reading                string // ambiguity readings judged under, "A1=exp-required"
}

type htmlGroup struct {
	Name string
	Rows []htmlRow
}

type htmlRow struct {
	ID, Verdict, Class, Code, Message, Step, Baseline, BaselineReason, Detail string
	Scenarios                                                                 int
	// Reading: the catalogue ambiguity readings the verdict was judged under.
	Reading string
}

type htmlDetail struct {
	Anchor, ID, Name, Verdict, Class, Where, Step, Message, Observed, Trace string
	Other                                                                   []htmlAttachment
}

type htmlAttachment struct{ Name, MediaType, Text string }

func newHTMLView(s *Summary) htmlView {
	code, reasons := s.Gate()
	v := htmlView{
		Target: s.Target, Profile: s.Profile, Version: s.AuthspecVersion,
		Started: s.Started, Duration: s.Meta.Duration.Round(time.Millisecond).String(),
		ExitCode: code, ExitReasons: reasons, Totals: s.Totals,
		Unidentified: s.Unidentified, BaselineNotRun: s.BaselineNotRun,
		Adapter: s.Adapter,
	}
	for _, vd := range Verdicts {
		v.Verdicts = append(v.Verdicts, htmlVerdict{Label: verdictLabel(vd), Class: verdictClass(vd)})
	}

	// The first detailed scenario of each ID, so its row can link to it.
	detailOf := map[string]string{}
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		if sc.Verdict != VerdictFail && sc.Verdict != VerdictError {
			continue
		}
		d := newHTMLDetail(i, sc)
		v.Details = append(v.Details, d)
		for _, id := range sc.IDs {
			if _, ok := detailOf[id]; !ok {
				detailOf[id] = d.Anchor
			}
		}
	}

	byGroup := map[string][]string{}
	for _, id := range s.SortedIDs() {
		g := s.IDs[id].Group
		byGroup[g] = append(byGroup[g], id)
	}
	groups := make([]string, 0, len(byGroup))
	for g := range byGroup {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		row := htmlMatrixRow{Group: g, Columns: make([][]htmlCell, len(Verdicts))}
		grp := htmlGroup{Name: g}
		for _, id := range byGroup[g] {
			r := s.IDs[id]
			col := verdictIndex(r.Verdict)
			title := printable(r.Message)
			if rt := readingsText(r.Readings); rt != "" {
				title = strings.TrimPrefix(title+" ("+rt+")", " ")
			}
			row.Columns[col] = append(row.Columns[col], htmlCell{
				ID: id, Class: verdictClass(r.Verdict), Code: cellCode(r),
				Title: title, Baseline: baselineMark(r), Reading: strings.Join(r.Readings, " "),
			})
			hr := htmlRow{
				ID: id, Verdict: verdictLabel(r.Verdict), Class: verdictClass(r.Verdict), Code: cellCode(r),
				Message: printable(r.Message), Scenarios: r.Scenarios, Baseline: baselineMark(r), Detail: detailOf[id],
				Reading: readingsText(r.Readings),
			}
			if r.Baseline != nil {
				hr.BaselineReason = r.Baseline.Reason
			}
			hr.Step = decidingStep(s, id, r.Verdict)
			grp.Rows = append(grp.Rows, hr)
		}
		v.Matrix = append(v.Matrix, row)
		v.Groups = append(v.Groups, grp)
	}
	return v
}

func newHTMLDetail(i int, sc *Scenario) htmlDetail {
	d := htmlDetail{
		Anchor: fmt.Sprintf("scenario-%d", i+1), ID: sc.ID(), Name: sc.Name,
		Verdict: verdictLabel(sc.Verdict), Class: verdictClass(sc.Verdict),
		Where: fmt.Sprintf("%s:%d", sc.URI, sc.Line), Step: sc.FailingStep,
		Message: printable(sc.Message), Observed: printable(sc.Observed), Trace: printable(sc.PacketTrace()),
	}
	for _, a := range sc.Attachments {
		if a.Name == PacketTraceName || strings.HasPrefix(a.MediaType, "application/vnd.authspec.") {
			continue
		}
		text := "(binary attachment, see cucumber.json)"
		if strings.HasPrefix(a.MediaType, "text/") && utf8.Valid(a.Data) {
			text = printable(string(a.Data))
		}
		d.Other = append(d.Other, htmlAttachment{Name: a.Name, MediaType: a.MediaType, Text: text})
	}
	return d
}

// decidingStep is the failing or skipped step of the first scenario that decided the ID.
func decidingStep(s *Summary, id string, v Verdict) string {
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		if sc.Verdict != v {
			continue
		}
		for _, sid := range sc.IDs {
			if sid == id {
				return sc.FailingStep
			}
		}
	}
	return ""
}

func cellCode(r IDResult) string {
	switch {
	case r.Verdict == VerdictNotApplicable:
		return "n/a"
	case r.Observed != "":
		return r.Observed
	default:
		return "-"
	}
}

func baselineMark(r IDResult) string {
	switch {
	case r.Baseline == nil:
		return ""
	case r.Baseline.Status == BaselineNowPassing:
		return "stale"
	default:
		return "gap"
	}
}

func verdictIndex(v Verdict) int {
	for i, vd := range Verdicts {
		if vd == v {
			return i
		}
	}
	return len(Verdicts) - 1
}

func verdictLabel(v Verdict) string {
	if v == VerdictNotApplicable {
		return "n/a"
	}
	return string(v)
}

// printable replaces what HTML cannot show (control characters other than tab and
// newlines, invalid UTF-8) with U+FFFD, so a broker's garbage cannot break the page.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return '\uFFFD'
		}
		return r
	}, s)
}

func verdictClass(v Verdict) string { return "v-" + string(v) }
