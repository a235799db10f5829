package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteCompareMarkdown writes the comparison as a GitHub-flavoured Markdown table
// for CI logs and pull requests: the totals, then one row per ID with a bold
// row per group, then the numbered notes the cells refer to ([3]).
func WriteCompareMarkdown(w io.Writer, m *Comparison) error {
	b := bufio.NewWriter(w)
	header := func(first string) {
		fmt.Fprintf(b, "| %s |", first)
		for _, r := range m.Runs {
			fmt.Fprintf(b, " %s |", mdEscape(r.Target))
		}
		b.WriteString("\n|---|")
		for range m.Runs {
			b.WriteString("---|")
		}
		b.WriteString("\n")
	}
	header("verdict")
	for _, v := range Verdicts {
		fmt.Fprintf(b, "| %s |", compareLabel(v))
		for _, r := range m.Runs {
			fmt.Fprintf(b, " %d |", verdictCount(r, v))
		}
		b.WriteString("\n")
	}
	b.WriteString("| **judged** |")
	for _, r := range m.Runs {
		fmt.Fprintf(b, " **%d** |", r.Judged)
	}
	b.WriteString("\n\n")

	header("ID")
	for _, g := range m.Groups {
		fmt.Fprintf(b, "| **%s** |%s\n", mdEscape(g.Name), strings.Repeat(" |", len(m.Runs)))
		for _, row := range g.Rows {
			fmt.Fprintf(b, "| %s |", row.ID)
			for _, c := range row.Cells {
				fmt.Fprintf(b, " %s |", mdCell(c))
			}
			b.WriteString("\n")
		}
	}
	if len(m.Notes) > 0 {
		b.WriteString("\n")
		for i, n := range m.Notes {
			fmt.Fprintf(b, "[%d] %s  \n", i+1, mdEscape(oneLine(n)))
		}
	}
	return b.Flush()
}

func mdCell(c ComparisonCell) string {
	s := compareLabel(c.Verdict)
	if c.Verdict == "" {
		s = "–"
	}
	if c.Observed != "" {
		s += " `" + strings.ReplaceAll(c.Observed, "`", "'") + "`"
	}
	if c.Note != 0 {
		s += fmt.Sprintf(" [%d]", c.Note)
	}
	return s
}

func verdictCount(r ComparedRun, v Verdict) int {
	switch v {
	case VerdictPass:
		return r.Totals.Pass
	case VerdictNonStrict:
		return r.Totals.NonStrict
	case VerdictFail:
		return r.Totals.Fail
	case VerdictNotApplicable:
		return r.Totals.NotApplicable
	}
	return r.Totals.Error
}

// mdEscape keeps text from breaking the table or turning into markup.
// Only what would break a table row or turn into HTML is escaped, so the
// raw text stays readable in a CI log.
var mdEscaper = strings.NewReplacer(`|`, `\|`, `<`, `&lt;`, `>`, `&gt;`)

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// oneLine joins a multi-line message (a failure's Expected/Actual lines).
func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, " / ")
}
