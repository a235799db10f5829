package jwks

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// fetcher performs the GET of one refresh and reads the body, bounded.
type fetcher struct {
	client    *http.Client
	transport *http.Transport // ours to close; nil with WithHTTPClient
	endpoint  string
	header    http.Header
	host      string // a configured Host header, which Go takes from req.Host
	maxBody   int64
}

func newFetcher(cfg Config, set settings, o options, p policy) (*fetcher, error) {
	f := &fetcher{endpoint: set.endpoint.String(), maxBody: set.maxBody}
	if p.unboundedBody {
		f.maxBody = 1 << 40 // the fault: no cap worth the name (SEC-11)
	}
	f.header, f.host = requestHeader(set.headers, p)

	if o.client != nil {
		f.client = o.client
		return f, nil
	}
	tlsCfg, err := tlsConfig(cfg.SSL, cfg.VerifyDefault, p)
	if err != nil {
		return nil, err
	}
	f.transport = &http.Transport{
		// EMQX's httpc uses no proxy unless told; neither do we, so that
		// HTTP(S)_PROXY in a test environment cannot reroute the fetch.
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: set.requestTimeout}).DialContext,
		TLSClientConfig:     tlsCfg,
		TLSHandshakeTimeout: set.requestTimeout,
		// connection: close is sent on every request (JWT-JWKS-03).
		DisableKeepAlives: true,
		// No Accept-Encoding of our own: the endpoint sees only the headers
		// the catalogue lists, and the body cap applies to what is read.
		DisableCompression:     true,
		MaxResponseHeaderBytes: 64 << 10,
	}
	f.client = &http.Client{Transport: f.transport}
	return f, nil
}

// requestHeader builds the headers of every request (JWT-JWKS-03): the
// configured ones, connection: close, and te: trailers unless te is
// configured. A configured Host becomes the request's host.
func requestHeader(configured map[string]string, p policy) (http.Header, string) {
	h := http.Header{}
	if p.dropHeaders {
		return h, ""
	}
	var host string
	for name, value := range configured {
		if strings.EqualFold(name, "host") {
			host = value
			continue
		}
		h.Set(name, value)
	}
	h.Set("Connection", "close")
	if _, ok := h["Te"]; !ok {
		h.Set("Te", "trailers")
	}
	return h, host
}

// get runs one GET. The status is returned, never judged: whether it counts
// is the caller's policy (JWT-JWKS-07).
func (f *fetcher) get(ctx context.Context) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.endpoint, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header = f.header.Clone()
	if f.host != "" {
		req.Host = f.host
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > f.maxBody {
		return resp.StatusCode, nil, fmt.Errorf("body of %d bytes is over the %d-byte cap", resp.ContentLength, f.maxBody)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBody+1))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(body)) > f.maxBody {
		return resp.StatusCode, nil, fmt.Errorf("body is over the %d-byte cap", f.maxBody)
	}
	return resp.StatusCode, body, nil
}

func (f *fetcher) close() {
	if f.transport != nil {
		f.transport.CloseIdleConnections()
	}
}
