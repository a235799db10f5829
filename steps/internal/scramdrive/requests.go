package scramdrive

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/steps/internal/verify"
)

// The checks of what the broker asked the SCRAM backend (SCRAM-02,
// SCRAM-10..12). Expected values may name the connecting client:
//
//	<client ID>       the SCRAM client's CONNECT Client ID
//	<client address>  the client's IP address as the broker sees it

// Placeholders are what the client placeholders of an expected value
// stand for.
type Placeholders struct {
	ClientID      string
	ClientAddress string // Exchange.ClientHost; "" before any exchange
}

// Expand fills the client placeholders of s.
func (p Placeholders) Expand(s string) string {
	return strings.NewReplacer("<client ID>", p.ClientID, "<client address>", p.ClientAddress).Replace(s)
}

// RequestCheck checks one backend request against expected values that
// may name the client.
type RequestCheck struct {
	Request scrambackend.Request
	Placeholders
}

// LastRequest checks the backend's most recent request; a backend that
// received none is a Mismatch.
func LastRequest(reqs []scrambackend.Request, p Placeholders) (RequestCheck, error) {
	if len(reqs) == 0 {
		return RequestCheck{}, verify.New("a request to the SCRAM backend", "none")
	}
	return RequestCheck{Request: reqs[len(reqs)-1], Placeholders: p}, nil
}

// MethodPath checks the request's method and path.
func (c RequestCheck) MethodPath(method, path string) error {
	r := c.Request
	if r.Method != method || r.Path != path {
		return verify.New(fmt.Sprintf("%s %s", method, path), fmt.Sprintf("%s %s", r.Method, r.Path))
	}
	return nil
}

// QueryPrefix checks the start of the request's raw query.
func (c RequestCheck) QueryPrefix(prefix string) error {
	if want := c.Expand(prefix); !strings.HasPrefix(c.Request.RawQuery, want) {
		return verify.New(fmt.Sprintf("a query starting with %q", want), fmt.Sprintf("%q", c.Request.RawQuery))
	}
	return nil
}

// QueryParam checks that the query has the parameter name once, with
// value.
func (c RequestCheck) QueryParam(name, value string) error {
	q, err := url.ParseQuery(c.Request.RawQuery)
	if err != nil {
		return verify.New("a well-formed query", fmt.Sprintf("%q: %v", c.Request.RawQuery, err))
	}
	want := c.Expand(value)
	if got, ok := q[name]; !ok || len(got) != 1 || got[0] != want {
		return verify.New(fmt.Sprintf("query parameter %s=%q", name, want), fmt.Sprintf("the query %q", c.Request.RawQuery))
	}
	return nil
}

// JSONBody checks that the body is the JSON object doc; a doc that is not
// one is a plain error (the scenario's defect).
func (c RequestCheck) JSONBody(doc string) error {
	var want, got map[string]any
	if err := json.Unmarshal([]byte(c.Expand(doc)), &want); err != nil {
		return fmt.Errorf("the scenario's expected body: %w", err)
	}
	if err := json.Unmarshal(c.Request.Body, &got); err != nil || !reflect.DeepEqual(want, got) {
		return verify.New(fmt.Sprintf("the JSON body %s", c.Expand(doc)), fmt.Sprintf("%q", c.Request.Body))
	}
	return nil
}

// Body checks the body byte for byte.
func (c RequestCheck) Body(body string) error {
	if want := c.Expand(body); string(c.Request.Body) != want {
		return verify.New(fmt.Sprintf("the body %q", want), fmt.Sprintf("%q", c.Request.Body))
	}
	return nil
}

// Header checks that the request has the header name once, with value.
func (c RequestCheck) Header(name, value string) error {
	want := c.Expand(value)
	if got := c.Request.Header.Values(name); len(got) != 1 || got[0] != want {
		return verify.New(fmt.Sprintf("one header %s: %s", name, want), fmt.Sprintf("%s: %q", name, got))
	}
	return nil
}

// NoHeader checks that the request has no header name.
func (c RequestCheck) NoHeader(name string) error {
	if got := c.Request.Header.Values(name); len(got) > 0 {
		return verify.New(fmt.Sprintf("no header %s", name), fmt.Sprintf("%s: %q", name, got))
	}
	return nil
}
