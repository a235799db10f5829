package reports

import (
	"fmt"
	"html/template"
	"io"
)

// WriteCompareHTML writes the comparison as one self-contained page: inline CSS,
// no script, nothing fetched. A cell's explanation is its title (shown on
// hover) and a numbered footnote (for print and for readers without a
// pointer). html/template escapes everything that comes from the runs.
func WriteCompareHTML(w io.Writer, m *Comparison) error {
	if err := comparePageTemplate.Execute(w, m); err != nil {
		return fmt.Errorf("compare: html: %w", err)
	}
	return nil
}

var comparePageTemplate = template.Must(template.New("compare").Funcs(template.FuncMap{
	"compareLabel": compareLabel,
	"class": func(v Verdict) string {
		if v == "" {
			return "v-none"
		}
		return "v-" + string(v)
	},
	"text":         func(m *Comparison, c ComparisonCell) string { return c.Text(m) },
	"cols":         func(m *Comparison) int { return len(m.Runs) + 1 },
	"inc":          func(i int) int { return i + 1 },
	"verdict":      func() []Verdict { return Verdicts },
	"verdictCount": verdictCount,
}).Parse(compareHTML))

const compareHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authspec: {{len .Runs}} targets compared</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; position: sticky; top: 0; }
th.id { font-family: monospace; font-weight: normal; white-space: nowrap; }
tr.group th { background: #e8eaf6; font-size: 1.05em; }
td.cell { white-space: nowrap; min-width: 6em; }
td.cell code { font-size: .9em; margin-left: .3em; }
td.cell sup a { color: inherit; }
td.cell .reading { display: block; font-size: .8em; }
.v-pass { background: #2e7d32; color: #fff; }
.v-non-strict { background: #f9a825; color: #000; }
.v-fail { background: #c62828; color: #fff; }
.v-not-applicable { background: #9e9e9e; color: #fff; }
.v-error { background: #111; color: #fff; }
.v-none { background: #fff; color: #777; }
.meta { color: #555; }
ol.notes li { margin: .2em 0; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>authspec: {{len .Runs}} targets compared</h1>
<ul class="meta">
{{- range .Runs}}
<li><strong>{{.Target}}</strong>: {{if .Profile}}{{.Profile}}; {{end}}authspec {{.Version}}, started {{.Started}}, {{.DurationS}} s ({{.Source}})</li>
{{- end}}
</ul>

<h2>Totals (IDs)</h2>
<table class="totals">
<thead><tr><th>verdict</th>{{range .Runs}}<th>{{.Target}}</th>{{end}}</tr></thead>
{{- range $v := verdict}}
<tr><th class="{{class $v}}">{{compareLabel $v}}</th>{{range $.Runs}}<td>{{verdictCount . $v}}</td>{{end}}</tr>
{{- end}}
<tr><th>judged (pass, non-strict or fail)</th>{{range .Runs}}<td>{{.Judged}}</td>{{end}}</tr>
</table>

<h2>Comparison: ID &times; target</h2>
<p class="meta">Each cell: the verdict and the reason code the broker answered with. A number refers to the notes below (the reason an ID was not applicable, a failure, a non-strict code, the ambiguity reading judged); hovering over a cell shows the same text. &ldquo;not run&rdquo;: the run did not select the ID.</p>
<table class="matrix">
<thead><tr><th>ID</th>{{range .Runs}}<th>{{.Target}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Groups}}
<tr class="group"><th colspan="{{cols $}}">{{.Name}}</th></tr>
{{- range .Rows}}
<tr><th class="id">{{.ID}}</th>{{range .Cells}}<td class="cell {{class .Verdict}}"{{with text $ .}} title="{{.}}"{{end}}>{{compareLabel .Verdict}}{{if .Observed}}<code>{{.Observed}}</code>{{end}}{{if .Note}}<sup><a href="#note-{{.Note}}">{{.Note}}</a></sup>{{end}}{{if .Reading}}<span class="reading">reading {{.Reading}}</span>{{end}}</td>{{end}}</tr>
{{- end}}
{{- end}}
</tbody>
</table>
{{- if .Notes}}

<h2>Notes</h2>
<ol class="notes">
{{- range $i, $n := .Notes}}
<li id="note-{{inc $i}}">{{$n}}</li>
{{- end}}
</ol>
{{- end}}
</body>
</html>
`
