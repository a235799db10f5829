package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"

	"github.com/authspec/authspec/steps/target/emqxapi"
)

// apiRecorder is a reverse proxy on loopback between the suite and a
// broker's management API that records every request and its answer, to
// hold them against the fidelity table (emqxapi.Fidelity).
type apiRecorder struct {
	url string

	mu        sync.Mutex
	exchanges []exchange
}

type exchange struct {
	method, path, query string
	body                []byte
	status              int
	answer              []byte
}

// maxRecorded bounds what is kept of a body.
const maxRecorded = 1 << 20

func newAPIRecorder(t *testing.T, upstream string) *apiRecorder {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	rec := &apiRecorder{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ModifyResponse = func(resp *http.Response) error {
		answer, err := io.ReadAll(io.LimitReader(resp.Body, maxRecorded))
		resp.Body.Close()
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(answer))
		ex := resp.Request.Context().Value(exchangeKey{}).(*exchange)
		ex.status, ex.answer = resp.StatusCode, answer
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRecorded))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		ex := &exchange{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, body: body}
		proxy.ServeHTTP(w, r.WithContext(contextWith(r, ex)))
		rec.mu.Lock()
		rec.exchanges = append(rec.exchanges, *ex)
		rec.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	rec.url = srv.URL
	return rec
}

type exchangeKey struct{}

// violations lists, once each, the requests outside the table and the
// answers the table does not expect. No request at all is one too.
func (rec *apiRecorder) violations() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.exchanges) == 0 {
		return []string{"the suite made no request to the management API"}
	}
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, ex := range rec.exchanges {
		what := ex.method + " " + ex.path
		if ex.query != "" {
			what += "?" + ex.query
		}
		row, ok := emqxapi.Match(ex.method, ex.path, ex.query)
		if !ok {
			add(fmt.Sprintf("%s: not in the fidelity table (answered %d)", what, ex.status))
			continue
		}
		if err := row.Allows(ex.status, ex.answer); err != nil {
			add(fmt.Sprintf("%s: %v", what, err))
		}
		if row.CheckBody != nil {
			if err := row.CheckBody(ex.body); err != nil {
				add(fmt.Sprintf("%s: %v", what, err))
			}
		} else if len(bytes.TrimSpace(ex.body)) > 0 {
			add(fmt.Sprintf("%s: sent a body where the table has none", what))
		}
	}
	return out
}

// rowsUsed names the table rows the requests fell under ("METHOD PATH").
func (rec *apiRecorder) rowsUsed() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []string
	for _, ex := range rec.exchanges {
		if row, ok := emqxapi.Match(ex.method, ex.path, ex.query); ok {
			out = append(out, row.Method+" "+row.Path)
		}
	}
	return out
}

func contextWith(r *http.Request, ex *exchange) context.Context {
	return context.WithValue(r.Context(), exchangeKey{}, ex)
}
