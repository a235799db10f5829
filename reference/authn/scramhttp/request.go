package scramhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// requestTemplate is the configured request, parsed once: the URL split
// into base, path and query templates, the body and the headers.
type requestTemplate struct {
	method  string
	base    string // scheme://host[:port]
	path    template
	query   []queryPair
	body    []bodyPair // sorted by key, as EMQX's maps iterate
	headers []headerPair
}

type queryPair struct {
	key, value template
	keyOnly    bool // "?flag" without "=": EMQX keeps it as a bare key
}

type bodyPair struct{ key, value template }

type headerPair struct {
	name  string
	value template
}

// EMQX's default request headers (emqx_auth_http_utils:default_headers),
// SCRAM-12. POST adds content-type application/json.
var defaultHeaders = map[string]string{
	"accept":        "application/json",
	"cache-control": "no-cache",
	"connection":    "keep-alive",
	"keep-alive":    "timeout=30, max=1000",
}

const (
	contentTypeJSON = "application/json"
	contentTypeForm = "application/x-www-form-urlencoded"
)

// parseRequestTemplate validates the URL as emqx_auth_http_utils:parse_url
// does (scheme, host, no user info, no fragment) and prepares the templates.
func parseRequestTemplate(c Config, f defects) (requestTemplate, error) {
	rt := requestTemplate{method: c.Method}
	scheme, rest, ok := strings.Cut(c.URL, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return requestTemplate{}, fmt.Errorf("url %q: want http:// or https://", c.URL)
	}
	if strings.Contains(rest, "#") {
		return requestTemplate{}, fmt.Errorf("url %q: fragments are not supported", c.URL)
	}
	hostEnd := strings.IndexAny(rest, "/?")
	if hostEnd < 0 {
		hostEnd = len(rest)
	}
	host := rest[:hostEnd]
	if host == "" {
		return requestTemplate{}, fmt.Errorf("url %q: no host", c.URL)
	}
	if strings.Contains(host, "@") {
		return requestTemplate{}, fmt.Errorf("url %q: user info is not supported", c.URL)
	}
	if _, err := url.Parse(scheme + "://" + host); err != nil {
		return requestTemplate{}, fmt.Errorf("url %q: %v", c.URL, err)
	}
	rt.base = scheme + "://" + host
	path, rawQuery, _ := strings.Cut(rest[hostEnd:], "?")
	if path == "" {
		path = "/"
	}
	rt.path = parseTemplate(path)
	if rawQuery != "" {
		for _, kv := range strings.Split(rawQuery, "&") {
			if kv == "" {
				continue
			}
			k, v, hasValue := strings.Cut(kv, "=")
			key, err1 := url.QueryUnescape(k)
			value, err2 := url.QueryUnescape(v)
			if err1 != nil || err2 != nil {
				return requestTemplate{}, fmt.Errorf("url %q: bad query escape in %q", c.URL, kv)
			}
			rt.query = append(rt.query, queryPair{key: parseTemplate(key), value: parseTemplate(value), keyOnly: !hasValue})
		}
	}
	for _, k := range sortedKeys(c.Body) {
		rt.body = append(rt.body, bodyPair{key: parseTemplate(k), value: parseTemplate(c.Body[k])})
	}
	headers := map[string]string{}
	if !f.noDefaultHeaders {
		for k, v := range defaultHeaders {
			headers[k] = v
		}
		if c.Method == "post" {
			headers["content-type"] = contentTypeJSON
		}
	}
	for k, v := range c.Headers {
		headers[k] = v
	}
	if c.Method == "get" {
		delete(headers, "content-type") // SCRAM-12: GET carries no content-type
	}
	for _, k := range sortedKeys(headers) {
		rt.headers = append(rt.headers, headerPair{name: k, value: parseTemplate(headers[k])})
	}
	return rt, nil
}

// build renders the request for one client.
func (rt requestTemplate) build(ctx context.Context, v variables, f defects) (*http.Request, error) {
	target := rt.base + rt.path.render(v, url.PathEscape)
	query := rt.renderQuery(v)
	headers := make(http.Header, len(rt.headers)+1)
	for _, h := range rt.headers {
		headers.Set(h.name, h.value.render(v, nil))
	}
	var body io.Reader
	method := http.MethodPost
	if rt.method == "get" {
		method = http.MethodGet
		// SCRAM-11: the body map goes into the query string, after any
		// query already in the URL.
		for _, p := range rt.body {
			query = append(query, encodePair(p.key.render(v, nil), p.value.render(v, nil)))
		}
	} else {
		b, err := rt.renderBody(v, headers.Get("content-type"), f)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	if len(query) > 0 {
		target += "?" + strings.Join(query, "&")
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, err
	}
	req.Header = headers
	// EMQX's client sends no User-Agent; an empty value keeps Go's out.
	req.Header["User-Agent"] = []string{""}
	if host := headers.Get("host"); host != "" {
		req.Host = host
	}
	return req, nil
}

func (rt requestTemplate) renderQuery(v variables) []string {
	var out []string
	for _, p := range rt.query {
		if p.keyOnly {
			out = append(out, url.QueryEscape(p.key.render(v, nil)))
			continue
		}
		out = append(out, encodePair(p.key.render(v, nil), p.value.render(v, nil)))
	}
	return out
}

func encodePair(k, v string) string { return url.QueryEscape(k) + "=" + url.QueryEscape(v) }

// renderBody serialises a POST body: JSON by default, form-encoded when
// the content-type header says so (SCRAM-11). Any other content-type fails
// the request, as EMQX's serialize_body does.
func (rt requestTemplate) renderBody(v variables, contentType string, f defects) ([]byte, error) {
	media := contentTypeJSON
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return nil, fmt.Errorf("content-type %q: %v", contentType, err)
		}
		media = mt
	}
	if f.postFormAsJSON {
		media = contentTypeJSON
	}
	switch media {
	case contentTypeJSON:
		m := make(map[string]string, len(rt.body))
		for _, p := range rt.body {
			m[p.key.render(v, nil)] = p.value.render(v, nil)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // EMQX's JSON encoder leaves <, > and & as they are
		if err := enc.Encode(m); err != nil {
			return nil, err
		}
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
	case contentTypeForm:
		pairs := make([]string, 0, len(rt.body))
		for _, p := range rt.body {
			pairs = append(pairs, encodePair(p.key.render(v, nil), p.value.render(v, nil)))
		}
		return []byte(strings.Join(pairs, "&")), nil
	}
	return nil, fmt.Errorf("unsupported request content-type %q", contentType)
}
