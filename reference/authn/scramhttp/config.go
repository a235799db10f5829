package scramhttp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/authspec/authspec/reference/scram"
)

// Config is a parsed EMQX SCRAM/HTTP authenticator configuration.
type Config struct {
	Enable           bool
	Precondition     string
	Algorithm        scram.Algorithm
	IterationCount   int
	Method           string // "get" or "post"
	URL              string
	Headers          map[string]string // configured headers, names lower-cased
	Body             map[string]string
	RequestTimeout   time.Duration
	ConnectTimeout   time.Duration
	PoolSize         int
	EnablePipelining int
	SSL              SSL
}

// EMQX's defaults (emqx_authn_http_schema, emqx_bridge_http_connector,
// emqx_authn_scram_mnesia_schema).
const (
	defaultIterationCount   = 4096
	defaultRequestTimeout   = 5 * time.Second
	defaultConnectTimeout   = 15 * time.Second
	defaultPoolSize         = 8
	defaultEnablePipelining = 100
)

// fieldParsers lists every field EMQX accepts for this authenticator. A
// field EMQX accepts but the reference has no use for (a deprecated retry
// setting, the idle-connection limit, the connector's own request template)
// is type-checked loosely and ignored.
var fieldParsers = map[string]func(*Config, json.RawMessage) error{
	"mechanism":       func(c *Config, r json.RawMessage) error { return wantString("mechanism", r, "scram") },
	"backend":         func(c *Config, r json.RawMessage) error { return wantString("backend", r, "http") },
	"enable":          func(c *Config, r json.RawMessage) error { return decode("enable", r, &c.Enable) },
	"precondition":    func(c *Config, r json.RawMessage) error { return decode("precondition", r, &c.Precondition) },
	"algorithm":       parseAlgorithm,
	"iteration_count": func(c *Config, r json.RawMessage) error { return positiveInt("iteration_count", r, &c.IterationCount) },
	"method":          parseMethod,
	"url":             func(c *Config, r json.RawMessage) error { return decode("url", r, &c.URL) },
	"headers":         parseHeaders,
	"body":            func(c *Config, r json.RawMessage) error { return stringMap("body", r, &c.Body) },
	"request_timeout": func(c *Config, r json.RawMessage) error { return duration("request_timeout", r, &c.RequestTimeout) },
	"connect_timeout": func(c *Config, r json.RawMessage) error { return duration("connect_timeout", r, &c.ConnectTimeout) },
	"pool_size":       func(c *Config, r json.RawMessage) error { return positiveInt("pool_size", r, &c.PoolSize) },
	"enable_pipelining": func(c *Config, r json.RawMessage) error {
		return positiveInt("enable_pipelining", r, &c.EnablePipelining)
	},
	"ssl":            parseSSL,
	"max_retries":    ignored,
	"retry_interval": ignored,
	"max_inactive":   ignored,
	"request":        ignored,
}

// ParseConfig reads EMQX's JSON shape. Unknown fields are an error naming the
// field; method and url are required.
func ParseConfig(raw json.RawMessage) (Config, error) {
	c := Config{
		Enable:           true,
		Algorithm:        scram.SHA256,
		IterationCount:   defaultIterationCount,
		RequestTimeout:   defaultRequestTimeout,
		ConnectTimeout:   defaultConnectTimeout,
		PoolSize:         defaultPoolSize,
		EnablePipelining: defaultEnablePipelining,
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return Config{}, fmt.Errorf("scram/http config: want a JSON object: %v", err)
	}
	for _, name := range sortedKeys(fields) {
		parse, ok := fieldParsers[name]
		if !ok {
			return Config{}, fmt.Errorf("scram/http config: unknown field %q", name)
		}
		if bytes.Equal(bytes.TrimSpace(fields[name]), []byte("null")) {
			continue // null means "not set": keep the default
		}
		if err := parse(&c, fields[name]); err != nil {
			return Config{}, fmt.Errorf("scram/http config: %w", err)
		}
	}
	for _, required := range []string{"mechanism", "backend", "method", "url"} {
		if _, ok := fields[required]; !ok {
			return Config{}, fmt.Errorf("scram/http config: field %q is required", required)
		}
	}
	if strings.HasPrefix(c.URL, "https://") && !c.SSL.Enable {
		// emqx_authn_http:check_ssl_opts
		return Config{}, fmt.Errorf("scram/http config: url is https but ssl.enable is false")
	}
	return c, nil
}

func parseAlgorithm(c *Config, r json.RawMessage) error {
	var s string
	if err := decode("algorithm", r, &s); err != nil {
		return err
	}
	alg, err := scram.ParseAlgorithm(s)
	if err != nil {
		return fmt.Errorf("algorithm: %v", err)
	}
	c.Algorithm = alg
	return nil
}

func parseMethod(c *Config, r json.RawMessage) error {
	if err := decode("method", r, &c.Method); err != nil {
		return err
	}
	if c.Method != "get" && c.Method != "post" {
		return fmt.Errorf("method: %q, want get or post", c.Method)
	}
	return nil
}

func parseHeaders(c *Config, r json.RawMessage) error {
	var raw map[string]string
	if err := stringMap("headers", r, &raw); err != nil {
		return err
	}
	c.Headers = map[string]string{}
	for name, v := range raw {
		if !validHeaderName(name) {
			return fmt.Errorf("headers: %q is not a valid header name", name)
		}
		c.Headers[strings.ToLower(name)] = v
	}
	return nil
}

// validHeaderName: RFC 9110 token characters.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("!#$%&'*+-.^_`|~", r):
		default:
			return false
		}
	}
	return true
}

func decode(field string, r json.RawMessage, dst any) error {
	if err := json.Unmarshal(r, dst); err != nil {
		return fmt.Errorf("%s: %s", field, typeError(err))
	}
	return nil
}

func wantString(field string, r json.RawMessage, want string) error {
	var s string
	if err := decode(field, r, &s); err != nil {
		return err
	}
	if s != want {
		return fmt.Errorf("%s: %q, want %q", field, s, want)
	}
	return nil
}

func positiveInt(field string, r json.RawMessage, dst *int) error {
	var n int
	if err := decode(field, r, &n); err != nil {
		return err
	}
	if n < 1 {
		return fmt.Errorf("%s: %d, want a positive integer", field, n)
	}
	*dst = n
	return nil
}

func stringMap(field string, r json.RawMessage, dst *map[string]string) error {
	var m map[string]any
	if err := decode(field, r, &m); err != nil {
		return err
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s.%s: want a string, got %s", field, k, jsonType(v))
		}
		out[k] = s
	}
	*dst = out
	return nil
}

func duration(field string, r json.RawMessage, dst *time.Duration) error {
	d, err := parseDuration(field, r)
	if err != nil {
		return err
	}
	*dst = d
	return nil
}

func ignored(*Config, json.RawMessage) error { return nil }

func typeError(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value)
	}
	return err.Error()
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64, json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
