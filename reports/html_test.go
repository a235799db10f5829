package reports

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestHTMLIsSelfContained(t *testing.T) {
	s, _ := fixtureSummary(t)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, s); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, banned := range []string{"<script", "<link", "src=", "http://", "https://", "@import"} {
		if strings.Contains(page, banned) {
			t.Errorf("index.html contains %q: it must be self-contained", banned)
		}
	}
	// Every ID shows its verdict colour and its observed code in the matrix.
	for id, r := range s.IDs {
		cell := regexp.MustCompile(`class="cell ` + regexp.QuoteMeta(verdictClass(r.Verdict)) + `[^"]*" href="#id-` + regexp.QuoteMeta(id) + `"[^>]*>` + regexp.QuoteMeta(id) + `<small>` + regexp.QuoteMeta(cellCode(r)))
		if !cell.MatchString(page) {
			t.Errorf("no %s cell for %s with code %s", r.Verdict, id, cellCode(r))
		}
	}
	for _, want := range []string{"fixture-broker: by-hand", "authspec 0.0.0-test", "2026-11-03T10:00:00Z", "<details id=", "<h4>packet trace</h4>"} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

func TestHTMLEscapesWhatTheBrokerSays(t *testing.T) {
	data := []byte(`[{"uri":"features/x.feature","name":"X","elements":[{"name":"SCRAM-01 <script>alert(1)</script>","line":3,"type":"scenario",
	  "tags":[{"name":"@SCRAM"},{"name":"@SCRAM-01"}],
	  "steps":[{"keyword":"Then ","name":"refused","result":{"status":"failed","error_message":"Expected: x\nActual: </pre><img src=x onerror=alert(1)>"},
	    "embeddings":[{"name":"packet trace","mime_type":"text/plain","data":"PHNjcmlwdD5ldmlsPC9zY3JpcHQ+"},
	                  {"name":"observed","mime_type":"application/vnd.authspec.observed+text","data":"IjxiPjB4ODc8L2I+"}]}]}]}]`)
	s := mustBuild(t, data, nil)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, s); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, raw := range []string{"<script>", "<img", "<b>0x87"} {
		if strings.Contains(page, raw) {
			t.Errorf("index.html carries %q unescaped", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;evil&lt;/script&gt;") {
		t.Error("the packet trace is not shown escaped")
	}
}
