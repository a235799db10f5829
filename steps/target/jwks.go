package target

import (
	"fmt"
	"net"
)

// What JWKS scenarios need from a target beyond the authentication chain.

// JWKSEndpoint is the JWKS endpoint the suite serves for one scenario (the
// step layer runs it; the broker fetches from it). The placeholders stand
// for it in a configuration:
//
//	"<jwks endpoint>"        URL, plain HTTP
//	"<jwks https endpoint>"  HTTPSURL, HTTPS with a self-signed certificate
//	"<jwks ca file>"         path of a file holding that certificate (PEM)
type JWKSEndpoint struct {
	URL       string
	HTTPSURL  string
	CACertPEM []byte
}

// DefaultJWKSListen is where the suite's JWKS endpoint listens unless the
// target says otherwise: a free loopback port.
const DefaultJWKSListen = "127.0.0.1:0"

// JWKSHost is implemented by targets whose broker fetches its key set from
// a fixed address, such as a by-hand profile's serve.jwks_listen (the broker
// was configured with that endpoint once, so the suite serves exactly
// there). The HTTPS endpoint always takes a free port.
type JWKSHost interface {
	JWKSListen() string
}

// JWKSListen is the address the suite's plain-HTTP JWKS endpoint should
// listen on for t.
func JWKSListen(t Target) string {
	if h, ok := t.(JWKSHost); ok && h.JWKSListen() != "" {
		return h.JWKSListen()
	}
	return DefaultJWKSListen
}

// JWKSHTTPSListen is where the suite's HTTPS JWKS endpoint listens for t:
// a free port on the host of JWKSListen, so a broker that reaches the plain
// endpoint (in a container, through the Docker bridge) reaches this one.
func JWKSHTTPSListen(t Target) string {
	host, _, err := net.SplitHostPort(JWKSListen(t))
	if err != nil {
		return DefaultJWKSListen
	}
	return net.JoinHostPort(host, "0")
}

const (
	jwksPlaceholder       = "<jwks endpoint>"
	jwksHTTPSPlaceholder  = "<jwks https endpoint>"
	jwksCAFilePlaceholder = "<jwks ca file>"
)

func isJWKSPlaceholder(s string) bool {
	return s == jwksPlaceholder || s == jwksHTTPSPlaceholder || s == jwksCAFilePlaceholder
}

// jwksValue resolves a JWKS placeholder; ok is false for any other string.
func (r Resolver) jwksValue(p string) (value string, ok bool, err error) {
	if !isJWKSPlaceholder(p) {
		return "", false, nil
	}
	var v string
	switch p {
	case jwksPlaceholder:
		v = r.JWKS.URL
	case jwksHTTPSPlaceholder:
		v = r.JWKS.HTTPSURL
	case jwksCAFilePlaceholder:
		if r.JWKS.CACertPEM == nil {
			break
		}
		path, err := r.writeFile("jwks-ca.pem", string(r.JWKS.CACertPEM))
		return path, true, err
	}
	if v == "" {
		return "", true, fmt.Errorf(`placeholder %s: the scenario serves no JWKS endpoint (describe it with "the JWKS endpoint serves ...")`, p)
	}
	return v, true, nil
}
