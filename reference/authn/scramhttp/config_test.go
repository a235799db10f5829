package scramhttp

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/scram"
)

const minimal = `{"mechanism":"scram","backend":"http","method":"get","url":"http://127.0.0.1:1/auth"`

func TestConfigDefaults(t *testing.T) {
	c, err := ParseConfig(json.RawMessage(minimal + `}`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Enable || c.Algorithm != scram.SHA256 || c.IterationCount != 4096 || c.RequestTimeout != 5*time.Second ||
		c.ConnectTimeout != 15*time.Second || c.PoolSize != 8 || c.EnablePipelining != 100 || c.Precondition != "" {
		t.Fatalf("defaults %+v", c)
	}
}

func TestConfigAllFields(t *testing.T) {
	raw := minimal + `,"algorithm":"sha512","iteration_count":8192,"headers":{"X-A":"1"},"body":{"u":"${username}"},
		"request_timeout":"1500ms","connect_timeout":"1m","pool_size":2,"enable_pipelining":1,"enable":false,
		"precondition":"${listener} == 'tcp:default'","max_retries":3,"retry_interval":"1s","max_inactive":"10s",
		"ssl":{"enable":false,"verify":"verify_peer","ciphers":[],"versions":["tlsv1.3"]}}`
	c, err := ParseConfig(json.RawMessage(raw))
	if err != nil {
		t.Fatal(err)
	}
	if c.Enable || c.Algorithm != scram.SHA512 || c.IterationCount != 8192 || c.Headers["x-a"] != "1" || c.Body["u"] != "${username}" ||
		c.RequestTimeout != 1500*time.Millisecond || c.ConnectTimeout != time.Minute || c.PoolSize != 2 || c.SSL.Verify != "verify_peer" {
		t.Fatalf("parsed %+v", c)
	}
	a, err := New(json.RawMessage(raw), authn.Env{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	sa := a.(*Authenticator)
	if sa.Enabled() || sa.Precondition() == "" || sa.Config().PoolSize != 2 {
		t.Fatal("accessors disagree with the configuration")
	}
}

func TestConfigDurations(t *testing.T) {
	for in, want := range map[string]time.Duration{
		`"5s"`: 5 * time.Second, `"250ms"`: 250 * time.Millisecond, `"2m"`: 2 * time.Minute, `"1h"`: time.Hour,
		`"1d"`: 24 * time.Hour, `"1m30s"`: 90 * time.Second, `1000`: time.Second, `"750"`: 750 * time.Millisecond,
	} {
		c, err := ParseConfig(json.RawMessage(minimal + `,"request_timeout":` + in + `}`))
		if err != nil || c.RequestTimeout != want {
			t.Errorf("request_timeout %s: %v, %v; want %v", in, c.RequestTimeout, err, want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	cases := map[string]string{
		`{}`:                        `"mechanism" is required`,
		`[]`:                        "JSON object",
		`not json`:                  "JSON object",
		minimal + `,"foo":1}`:       `unknown field "foo"`,
		minimal + `,"ssl":{"x":1}}`: `unknown field "ssl.x"`,
		minimal + `,"password_hash_algorithm":{}}`:                                 `unknown field "password_hash_algorithm"`,
		`{"mechanism":"jwt","backend":"http","method":"get","url":"http://h/"}`:    "mechanism",
		`{"mechanism":"scram","backend":"mysql","method":"get","url":"http://h/"}`: "backend",
		`{"mechanism":"scram","backend":"http","url":"http://h/"}`:                 `"method" is required`,
		`{"mechanism":"scram","backend":"http","method":"get"}`:                    `"url" is required`,
		`{"mechanism":"scram","backend":"http","method":"put","url":"http://h/"}`:  "method",
		minimal + `,"algorithm":"sha1"}`:                                           "algorithm",
		minimal + `,"iteration_count":0}`:                                          "iteration_count",
		minimal + `,"iteration_count":"4096"}`:                                     "iteration_count",
		minimal + `,"request_timeout":"soon"}`:                                     "request_timeout",
		minimal + `,"request_timeout":"-1s"}`:                                      "request_timeout",
		minimal + `,"pool_size":0}`:                                                "pool_size",
		minimal + `,"headers":{"a b":"x"}}`:                                        "headers",
		minimal + `,"headers":{"a":1}}`:                                            "headers.a",
		minimal + `,"body":{"a":{"b":"c"}}}`:                                       "body.a",
		minimal + `,"enable":"yes"}`:                                               "enable",
		minimal + `,"ssl":{"verify":"maybe"}}`:                                     "ssl.verify",
	}
	for raw, want := range cases {
		_, err := ParseConfig(json.RawMessage(raw))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one mentioning %s", raw, err, want)
		}
	}
}

func TestURLErrors(t *testing.T) {
	for u, want := range map[string]string{
		"ftp://h/x":          "http",
		"h/x":                "http",
		"http:///x":          "no host",
		"http://user:pw@h/x": "user info",
		"http://h/x#frag":    "fragment",
		"https://h/x":        "ssl.enable",
		"http://h/x?a=%zz":   "escape",
	} {
		raw, _ := json.Marshal(map[string]any{"mechanism": "scram", "backend": "http", "method": "get", "url": u})
		_, err := New(raw, authn.Env{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("url %s: error %v, want one mentioning %q", u, err, want)
		}
	}
	raw, _ := json.Marshal(map[string]any{"mechanism": "scram", "backend": "http", "method": "get", "url": "https://h/x", "ssl": map[string]any{"enable": true}})
	a, err := New(raw, authn.Env{})
	if err != nil {
		t.Fatalf("https with ssl: %v", err)
	}
	a.Close()
	raw, _ = json.Marshal(map[string]any{"mechanism": "scram", "backend": "http", "method": "get", "url": "https://h/x", "ssl": map[string]any{"enable": true, "cacertfile": "/nonexistent.pem"}})
	if _, err := New(raw, authn.Env{}); err == nil || !strings.Contains(err.Error(), "cacertfile") {
		t.Fatalf("missing cacertfile: %v", err)
	}
}
