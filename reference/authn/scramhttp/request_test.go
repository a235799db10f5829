package scramhttp

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/scram"
)

// request runs one CONNECT for the SCRAM user "a,b=c" and returns what the
// backend received.
func (r *rig) request(c *clientinfo.Client) scrambackend.Request {
	r.t.Helper()
	r.backend.ResetRequests()
	r.auth.Authenticate(ctx(r.t), c)
	reqs, err := r.backend.WaitRequests(ctx(r.t), 1)
	if err != nil || len(reqs) != 1 {
		r.t.Fatalf("backend got %d requests: %v", len(reqs), err)
	}
	return reqs[0]
}

func richClient(t *testing.T) *clientinfo.Client {
	c := mqtt5(scram.SHA256, newClient(t, scram.SHA256, "a,b=c", "p").First())
	c.ClientID = "cli 1"
	c.Username = "connect-user"
	c.HasUsername = true
	c.PeerHost = "127.0.0.9"
	c.CertCommonName = "cn1"
	c.CertSubject = "CN=cn1,O=x"
	c.ClientAttrs = map[string]string{"role": "r&d"}
	return c
}

var placeholderBody = map[string]string{
	"user":  "${username}",
	"cid":   "${clientid}",
	"pw":    "${password}",
	"peer":  "${peerhost}",
	"cn":    "${cert_common_name}",
	"subj":  "${cert_subject}",
	"role":  "${client_attrs.role}",
	"none":  "${client_attrs.missing}",
	"other": "${foo}",
	"mixed": "${username}-${clientid}",
}

// SCRAM-10, -11, -12 with GET: placeholders, the body after the URL's own
// query, default headers merged with configured ones, no content-type.
func TestGetRequest(t *testing.T) {
	r := newRig(t, map[string]any{
		"url":     "BACKEND/auth/${clientid}?fixed=1&u=${username}",
		"body":    placeholderBody,
		"headers": map[string]string{"X-Tenant": "${clientid}", "Accept": "application/json; q=1", "Content-Type": "text/plain"},
	})
	req := r.request(richClient(t))
	if req.Method != "GET" || req.Path != "/auth/cli 1" {
		t.Fatalf("method %s path %q", req.Method, req.Path)
	}
	wantQuery := "fixed=1&u=a%2Cb%3Dc&cid=cli+1&cn=cn1&mixed=a%2Cb%3Dc-cli+1&none=&other=%24%7Bfoo%7D&peer=127.0.0.9&pw=&role=r%26d&subj=CN%3Dcn1%2CO%3Dx&user=a%2Cb%3Dc"
	if req.RawQuery != wantQuery {
		t.Fatalf("query\n got %s\nwant %s", req.RawQuery, wantQuery)
	}
	if len(req.Body) != 0 {
		t.Fatalf("GET body %q", req.Body)
	}
	for name, want := range map[string]string{
		"Accept":        "application/json; q=1",
		"Cache-Control": "no-cache",
		"Connection":    "keep-alive",
		"Keep-Alive":    "timeout=30, max=1000",
		"X-Tenant":      "cli 1",
	} {
		if got := req.Header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	for _, absent := range []string{"Content-Type", "User-Agent", "Accept-Encoding"} {
		if v, ok := req.Header[absent]; ok {
			t.Errorf("header %s sent: %v", absent, v)
		}
	}
}

// SCRAM-11, -12 with POST and JSON.
func TestPostJSONRequest(t *testing.T) {
	r := newRig(t, map[string]any{"method": "post", "url": "BACKEND/auth?u=${username}", "body": placeholderBody})
	req := r.request(richClient(t))
	if req.Method != "POST" || req.RawQuery != "u=a%2Cb%3Dc" {
		t.Fatalf("method %s query %q", req.Method, req.RawQuery)
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("content-type %q", ct)
	}
	var got map[string]string
	if err := json.Unmarshal(req.Body, &got); err != nil {
		t.Fatalf("body %q: %v", req.Body, err)
	}
	want := map[string]string{
		"user": "a,b=c", "cid": "cli 1", "pw": "", "peer": "127.0.0.9", "cn": "cn1", "subj": "CN=cn1,O=x",
		"role": "r&d", "none": "", "other": "${foo}", "mixed": "a,b=c-cli 1",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("body %s = %q, want %q", k, got[k], v)
		}
	}
	if string(req.Body) != `{"cid":"cli 1","cn":"cn1","mixed":"a,b=c-cli 1","none":"","other":"${foo}","peer":"127.0.0.9","pw":"","role":"r&d","subj":"CN=cn1,O=x","user":"a,b=c"}` {
		t.Errorf("body bytes %s", req.Body)
	}
}

// SCRAM-11 with POST and a form body.
func TestPostFormRequest(t *testing.T) {
	r := newRig(t, map[string]any{
		"method": "post", "url": "BACKEND/auth",
		"headers": map[string]string{"content-type": "application/x-www-form-urlencoded"},
		"body":    map[string]string{"username": "${username}", "clientid": "${clientid}"},
	})
	req := r.request(richClient(t))
	if ct := req.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Fatalf("content-type %q", ct)
	}
	if string(req.Body) != "clientid=cli+1&username=a%2Cb%3Dc" {
		t.Fatalf("form body %q", req.Body)
	}
	q, _ := url.ParseQuery(string(req.Body))
	if q.Get("username") != "a,b=c" {
		t.Fatalf("form username %q", q.Get("username"))
	}
	// And the answer to it completes the exchange.
	r.addUser(scrambackend.User{Name: "u", Password: "p"})
	r.mustAccept(scram.SHA256, "u", "p")
}

// A POST content-type other than JSON or form fails the request, as EMQX's
// serialize_body does: the client is ignored and nothing is sent.
func TestPostUnknownContentType(t *testing.T) {
	r := newRig(t, map[string]any{"method": "post", "url": "BACKEND/auth", "headers": map[string]string{"content-type": "text/plain"}})
	r.mustIgnoreAt("backend-request")
	if n := r.backend.RequestCount(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// The caller's context bounds the request too (a broker shutting down).
func TestCallerContextCancels(t *testing.T) {
	r := newRig(t, nil)
	r.backend.Force(scrambackend.Reply{Hang: true})
	c, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	res := r.auth.Authenticate(c, mqtt5(scram.SHA256, newClient(t, scram.SHA256, "u", "p").First()))
	if res.Outcome != authn.Ignore || res.Check != "backend-request" || time.Since(began) > time.Second {
		t.Fatalf("%s %s after %s", res.Outcome, res.Check, time.Since(began))
	}
}
