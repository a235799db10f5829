package scramhttp

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/scram"
)

// SCRAM-05: any status but 200 ignores the client at once, with no AUTH.
func TestBackendStatusIgnores(t *testing.T) {
	r := newRig(t, nil)
	for _, status := range []int{201, 204, 301, 302, 400, 401, 403, 404, 500, 503} {
		r.backend.Force(scrambackend.Reply{Status: status})
		res := r.mustIgnoreAt("backend-status-")
		if want := "backend-status-" + itoa(status); res.Check != want {
			t.Errorf("status %d: check %q", status, res.Check)
		}
	}
	r.backend.ClearForce()
	// An unknown user is the backend's 404.
	cl := newClient(t, scram.SHA256, "nobody", "p")
	if res := r.auth.Authenticate(ctx(t), mqtt5(scram.SHA256, cl.First())); res.Outcome != authn.Ignore || res.Check != "backend-status-404" {
		t.Fatalf("unknown user: %s %s", res.Outcome, res.Check)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// SCRAM-05: request_timeout bounds a slow or silent backend.
func TestBackendTimeout(t *testing.T) {
	r := newRig(t, map[string]any{"request_timeout": "200ms"})
	for _, reply := range []scrambackend.Reply{{Delay: 3 * time.Second}, {Hang: true}} {
		r.backend.Force(reply)
		began := time.Now()
		r.mustIgnoreAt("backend-timeout")
		if took := time.Since(began); took > 2*time.Second {
			t.Fatalf("ignore after %s with request_timeout 200ms", took)
		}
	}
}

// SCRAM-05: a connection error ignores the client.
func TestBackendDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := newRig(t, map[string]any{"url": "http://" + addr + "/auth?username=${username}", "connect_timeout": "1s"})
	r.mustIgnoreAt("backend-request")
}

// SCRAM-13: the answer's Content-Type decides how it is read.
func TestAnswerContentType(t *testing.T) {
	r := newRig(t, nil)
	for _, ct := range []string{"application/json; charset=utf-8", "application/json;charset=UTF-8"} {
		r.backend.Force(scrambackend.Reply{ContentType: ct})
		r.mustAccept(scram.SHA256, "u", "p")
	}
	r.backend.Force(scrambackend.Reply{Form: true})
	r.mustAccept(scram.SHA256, "u", "p")
	for _, ct := range []string{"text/plain", "text/json", "application/xml", "Application/JSON", "json"} {
		r.backend.Force(scrambackend.Reply{ContentType: ct})
		r.mustIgnoreAt("backend-content-type")
	}
	r.backend.Force(scrambackend.Reply{NoContentType: true})
	r.mustIgnoreAt("backend-content-type")
}

// SCRAM-06: unusable 200 answers ignore the client; `result` is not read.
func TestUnusableAnswers(t *testing.T) {
	r := newRig(t, nil)
	good, _ := r.backend.Answer("u")
	field := func(k string) string { return good[k].(string) }
	bodies := map[string]string{
		"empty":                 ``,
		"not json":              `stored_key=1`,
		"array":                 `[1,2]`,
		"string":                `"x"`,
		"null":                  `null`,
		"trailing":              `{"stored_key":"00","server_key":"00","salt":"00"} x`,
		"no stored_key":         `{"server_key":"` + field("server_key") + `","salt":"` + field("salt") + `"}`,
		"no server_key":         `{"stored_key":"` + field("stored_key") + `","salt":"` + field("salt") + `"}`,
		"no salt":               `{"stored_key":"` + field("stored_key") + `","server_key":"` + field("server_key") + `"}`,
		"odd hex":               `{"stored_key":"` + field("stored_key") + `0","server_key":"` + field("server_key") + `","salt":"` + field("salt") + `"}`,
		"not hex":               `{"stored_key":"zz","server_key":"` + field("server_key") + `","salt":"` + field("salt") + `"}`,
		"number salt":           `{"stored_key":"` + field("stored_key") + `","server_key":"` + field("server_key") + `","salt":1234}`,
		"null key":              `{"stored_key":null,"server_key":"` + field("server_key") + `","salt":"` + field("salt") + `"}`,
		"result allow, no keys": `{"result":"allow"}`,
	}
	for name, body := range bodies {
		r.backend.Force(scrambackend.Reply{Body: []byte(body)})
		res := r.auth.Authenticate(ctx(t), mqtt5(scram.SHA256, newClient(t, scram.SHA256, "u", "p").First()))
		if res.Outcome != authn.Ignore || !strings.HasPrefix(res.Check, "backend-") {
			t.Errorf("%s: %s %s", name, res.Outcome, res.Check)
		}
	}
	// `result` is not consulted: deny or ignore with good keys still works.
	for _, result := range []string{"deny", "ignore", "allow"} {
		r.addUser(scrambackend.User{Name: "u", Password: "p", Extra: map[string]any{"result": result}})
		r.backend.ClearForce()
		r.mustAccept(scram.SHA256, "u", "p")
	}
}

// SCRAM-06: a 10 MB answer is cut at MaxAnswerBytes and ignored.
func TestHugeAnswer(t *testing.T) {
	r := newRig(t, nil)
	r.backend.Force(scrambackend.Reply{Pad: 10 << 20})
	r.mustIgnoreAt("backend-body-too-large")
	// Just under the bound is fine.
	r.backend.Force(scrambackend.Reply{Pad: MaxAnswerBytes - 1024})
	r.mustAccept(scram.SHA256, "u", "p")
}
