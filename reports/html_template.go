package reports

// indexHTML is the template of index.html. It lives in a Go file rather than an
// embedded file because subdirectories of reports/ are run outputs (gitignored).
const indexHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authspec conformance: {{.Target}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
pre { background: #f7f7f7; border: 1px solid #ddd; padding: .5em; overflow-x: auto; white-space: pre-wrap; }
.meta { color: #555; }
.exit-0 { color: #1b5e20; font-weight: bold; }
.exit-1, .exit-3 { color: #b71c1c; font-weight: bold; }
.cell { display: inline-block; margin: 2px; padding: .2em .4em; border-radius: 3px; text-decoration: none; min-width: 7em; }
.cell small { display: block; font-family: monospace; }
.v-pass { background: #2e7d32; color: #fff; }
.v-non-strict { background: #f9a825; color: #000; }
.v-fail { background: #c62828; color: #fff; }
.v-not-applicable { background: #9e9e9e; color: #fff; }
.v-error { background: #111; color: #fff; }
.gap { outline: 3px dashed #6a1b9a; }
.stale { outline: 3px solid #6a1b9a; }
.badge { font-size: .8em; padding: 0 .3em; border: 1px solid #6a1b9a; color: #6a1b9a; border-radius: 3px; }
td.code { font-family: monospace; }
td.msg { white-space: pre-wrap; }
details { margin: .5em 0; border: 1px solid #ccc; padding: .3em .6em; }
summary { cursor: pointer; }
</style>
</head>
<body>
<h1>authspec conformance: {{.Target}}</h1>
<p class="meta">Profile: {{if .Profile}}{{.Profile}}{{else}}{{.Target}}{{end}} &middot; authspec {{.Version}} &middot; started {{.Started}} &middot; took {{.Duration}}</p>
{{- with .Adapter}}
<p class="meta">Adapter: <code>{{.Adapter}}</code> &middot; {{.Groups}} configurations, {{.Applies}} applies ({{.CannotExpress}} not expressible, {{.Refused}} refused, {{.FailedApplies}} failed), {{printf "%.1f" .ApplySeconds}} s applying{{if .BrokerDown}} &middot; broker down: {{.BrokerDown}}{{end}}</p>
{{- end}}
<p class="exit-{{.ExitCode}}">Exit code {{.ExitCode}}{{if eq .ExitCode 0}}: conformant{{end}}</p>
{{- if .ExitReasons}}
<ul>{{range .ExitReasons}}<li>{{.}}</li>{{end}}</ul>
{{- end}}

<h2>Totals (IDs)</h2>
<table>
<tr><th class="v-pass">pass</th><th class="v-non-strict">non-strict</th><th class="v-fail">fail</th><th class="v-not-applicable">n/a</th><th class="v-error">error</th><th>of the fails: known gaps</th><th>baselined, now passing</th></tr>
<tr><td>{{.Totals.Pass}}</td><td>{{.Totals.NonStrict}}</td><td>{{.Totals.Fail}}</td><td>{{.Totals.NotApplicable}}</td><td>{{.Totals.Error}}</td><td>{{.Totals.Baselined}}</td><td>{{.Totals.BaselineNowPassing}}</td></tr>
</table>
<p class="meta">A cell shows the ID and the reason code the broker answered with. <span class="badge">gap</span> a baselined known gap (dashed); <span class="badge">stale</span> a baselined ID that now passes (gates the run).</p>

<h2>Matrix: group &times; verdict</h2>
<table class="matrix">
<tr><th>group</th>{{range .Verdicts}}<th class="{{.Class}}">{{.Label}}</th>{{end}}</tr>
{{- range .Matrix}}
<tr><th>{{.Group}}</th>{{range .Columns}}<td>{{range .}}<a class="cell {{.Class}}{{if .Baseline}} {{.Baseline}}{{end}}" href="#id-{{.ID}}" title="{{.Title}}">{{.ID}}<small>{{.Code}}{{if .Baseline}} ({{.Baseline}}){{end}}{{if .Reading}} {{.Reading}}{{end}}</small></a>{{end}}</td>{{end}}</tr>
{{- end}}
</table>

<h2>Behaviours</h2>
{{- range .Groups}}
<h3>{{.Name}}</h3>
<table>
<tr><th>ID</th><th>verdict</th><th>observed</th><th>scenarios</th><th>step</th><th>message</th></tr>
{{- range .Rows}}
<tr id="id-{{.ID}}"><td>{{.ID}}{{if .Baseline}} <span class="badge" title="{{.BaselineReason}}">{{.Baseline}}</span>{{end}}</td><td class="{{.Class}}">{{.Verdict}}</td><td class="code">{{.Code}}</td><td>{{.Scenarios}}</td><td>{{.Step}}</td><td class="msg">{{.Message}}{{if .Detail}} <a href="#{{.Detail}}">details</a>{{end}}{{if .BaselineReason}}<br><em>baseline: {{.BaselineReason}}</em>{{end}}{{if .Reading}}<br><em>{{.Reading}}</em>{{end}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- if .Details}}

<h2>Failures and errors</h2>
{{- range .Details}}
<details id="{{.Anchor}}">
<summary><span class="cell {{.Class}}">{{.Verdict}}</span> {{.Name}}</summary>
<p>{{.Where}}{{if .Observed}} &middot; observed <code>{{.Observed}}</code>{{end}}</p>
{{- if .Step}}
<p>Step: <code>{{.Step}}</code></p>
{{- end}}
<pre>{{.Message}}</pre>
{{- if .Trace}}
<h4>packet trace</h4>
<pre>{{.Trace}}</pre>
{{- end}}
{{- range .Other}}
<h4>{{.Name}} ({{.MediaType}})</h4>
<pre>{{.Text}}</pre>
{{- end}}
</details>
{{- end}}
{{- end}}
{{- if .Unidentified}}

<h2>Scenarios without a catalogue ID</h2>
<ul>{{range .Unidentified}}<li>{{.URI}}:{{.Line}} {{.Name}} ({{.Verdict}})</li>{{end}}</ul>
{{- end}}
{{- if .BaselineNotRun}}

<h2>Baselined IDs not run</h2>
<p>{{range $i, $id := .BaselineNotRun}}{{if $i}}, {{end}}{{$id}}{{end}}</p>
{{- end}}
</body>
</html>
`
