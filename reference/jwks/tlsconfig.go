package jwks

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// tlsConfig builds the client TLS settings for an https endpoint from the
// ssl block (JWT-JWKS-13). A nil result means Go's defaults: verification
// against the system roots.
func tlsConfig(ssl SSL, verifyDefault Verify, p policy) (*tls.Config, error) {
	if p.tlsSkipVerify {
		return &tls.Config{InsecureSkipVerify: true}, nil // the fault: no check at all
	}
	if !ssl.Enable {
		return nil, nil
	}
	verify := ssl.Verify
	if verify == "" {
		verify = verifyDefault
	}
	if verify == "" {
		verify = VerifyNone
	}
	if verify == VerifyNone && p.tlsAlwaysVerify {
		verify = VerifyPeer // the fault: verify_none is not honoured
	}

	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if sni := ssl.ServerNameIndication; sni != "" && sni != "disable" {
		cfg.ServerName = sni
	}
	switch verify {
	case VerifyNone:
		// EMQX's legacy default: a self-signed endpoint works.
		cfg.InsecureSkipVerify = true
	case VerifyPeer:
		if ssl.CACertFile != "" {
			pool, err := loadCAs(ssl.CACertFile)
			if err != nil {
				return nil, err
			}
			cfg.RootCAs = pool
		}
	default:
		return nil, fmt.Errorf("jwks: ssl.verify %q: want verify_none or verify_peer", verify)
	}

	switch {
	case ssl.CertFile != "" && ssl.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(ssl.CertFile, ssl.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("jwks: ssl client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	case ssl.CertFile != "" || ssl.KeyFile != "":
		return nil, errors.New("jwks: ssl.certfile and ssl.keyfile go together")
	}
	return cfg, nil
}

func loadCAs(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("jwks: ssl.cacertfile: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("jwks: ssl.cacertfile %s holds no PEM certificate", path)
	}
	return pool, nil
}
