package jwks

import (
	"crypto/x509"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authspec/authspec/fixtures/jwksserver"
)

// tlsFetch runs the first fetch of a Source on a self-signed HTTPS endpoint
// serving one key and returns its result.
func tlsFetch(t *testing.T, cfg Config, opts ...Option) FetchResult {
	t.Helper()
	srv := startServer(t, jwksserver.WithTLS())
	srv.SetKeys(mustKey(t, "ES256", "k"))
	if cfg.SSL.CACertFile == "ca" {
		cfg.SSL.CACertFile = filepath.Join(t.TempDir(), "ca.pem")
		if err := srv.WriteCACertFile(cfg.SSL.CACertFile); err != nil {
			t.Fatal(err)
		}
	}
	return manualSource(t, srv, cfg, opts...).LastFetch()
}

func wantCertError(t *testing.T, r FetchResult) {
	t.Helper()
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	if !errors.As(r.Err, &unknown) && !errors.As(r.Err, &hostname) {
		t.Fatalf("want a certificate verification failure, got %+v", r)
	}
	if r.Held != 0 {
		t.Fatalf("keys held after a TLS failure: %d", r.Held)
	}
}

// JWT-JWKS-13: with ssl.enable and no ssl.verify, legacy does not verify, so
// a self-signed endpoint works; hardened verifies, so the fetch fails.
func TestJWTJWKS13_VerifyDefaultsByProfile(t *testing.T) {
	t.Run("legacy", func(t *testing.T) {
		r := tlsFetch(t, Config{SSL: SSL{Enable: true}, VerifyDefault: VerifyDefaultFor(false)})
		if r.Err != nil || r.Held != 1 {
			t.Fatalf("legacy default on a self-signed endpoint: %+v", r)
		}
	})
	t.Run("legacy, VerifyDefault unset", func(t *testing.T) {
		if r := tlsFetch(t, Config{SSL: SSL{Enable: true}}); r.Err != nil {
			t.Fatalf("fetch: %v", r.Err)
		}
	})
	t.Run("hardened", func(t *testing.T) {
		wantCertError(t, tlsFetch(t, Config{SSL: SSL{Enable: true}, VerifyDefault: VerifyDefaultFor(true)}))
	})
}

// JWT-JWKS-13: an explicit ssl.verify wins over the profile's default.
func TestJWTJWKS13_ExplicitVerify(t *testing.T) {
	t.Run("verify_none under hardened", func(t *testing.T) {
		r := tlsFetch(t, Config{SSL: SSL{Enable: true, Verify: VerifyNone}, VerifyDefault: VerifyPeer})
		if r.Err != nil {
			t.Fatalf("fetch: %v", r.Err)
		}
	})
	t.Run("verify_peer under legacy", func(t *testing.T) {
		wantCertError(t, tlsFetch(t, Config{SSL: SSL{Enable: true, Verify: VerifyPeer}, VerifyDefault: VerifyNone}))
	})
	t.Run("verify_peer with the CA file", func(t *testing.T) {
		r := tlsFetch(t, Config{SSL: SSL{Enable: true, Verify: VerifyPeer, CACertFile: "ca"}})
		if r.Err != nil || r.Held != 1 {
			t.Fatalf("fetch: %+v", r)
		}
	})
	t.Run("verify_peer, CA file, SNI the certificate names", func(t *testing.T) {
		r := tlsFetch(t, Config{SSL: SSL{Enable: true, Verify: VerifyPeer, CACertFile: "ca", ServerNameIndication: "localhost"}})
		if r.Err != nil {
			t.Fatalf("fetch: %v", r.Err)
		}
	})
	t.Run("verify_peer, CA file, SNI the certificate does not name", func(t *testing.T) {
		wantCertError(t, tlsFetch(t, Config{SSL: SSL{Enable: true, Verify: VerifyPeer, CACertFile: "ca", ServerNameIndication: "keys.example"}}))
	})
}

// An https endpoint with ssl.enable false is verified against the system
// roots (OTP 26+ httpc's default), so a self-signed one fails.
func TestHTTPSWithoutSSLBlockVerifies(t *testing.T) {
	wantCertError(t, tlsFetch(t, Config{}))
}

func TestCACertFileWithoutCertificate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.pem")
	if err := writeFile(path, "not a certificate"); err != nil {
		t.Fatal(err)
	}
	_, err := New(Config{Endpoint: "https://127.0.0.1:1/", SSL: SSL{Enable: true, Verify: VerifyPeer, CACertFile: path}})
	if err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("New: %v", err)
	}
}
