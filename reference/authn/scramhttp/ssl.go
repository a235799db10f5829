package scramhttp

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"

	"github.com/authspec/authspec/reference/config/security"
)

// SSL is the `ssl` block of the configuration (EMQX's client TLS options).
type SSL struct {
	Enable     bool
	Verify     string // "verify_peer", "verify_none" or "" (profile default)
	CACertFile string
	CertFile   string
	KeyFile    string
	ServerName string // server_name_indication; "disable" sends none
}

// sslFields: EMQX's ssl_fields. The ones the reference does not implement
// (cipher and version lists, session reuse, ...) are accepted and ignored,
// so that a configuration written for EMQX loads unchanged.
var sslFields = map[string]func(*SSL, json.RawMessage) error{
	"enable":                    func(s *SSL, r json.RawMessage) error { return decode("ssl.enable", r, &s.Enable) },
	"verify":                    parseVerify,
	"cacertfile":                func(s *SSL, r json.RawMessage) error { return decode("ssl.cacertfile", r, &s.CACertFile) },
	"certfile":                  func(s *SSL, r json.RawMessage) error { return decode("ssl.certfile", r, &s.CertFile) },
	"keyfile":                   func(s *SSL, r json.RawMessage) error { return decode("ssl.keyfile", r, &s.KeyFile) },
	"server_name_indication":    parseSNI,
	"cacerts":                   ignoredSSL,
	"reuse_sessions":            ignoredSSL,
	"depth":                     ignoredSSL,
	"password":                  ignoredSSL,
	"versions":                  ignoredSSL,
	"ciphers":                   ignoredSSL,
	"secure_renegotiate":        ignoredSSL,
	"log_level":                 ignoredSSL,
	"hibernate_after":           ignoredSSL,
	"partial_chain":             ignoredSSL,
	"verify_peer_ext_key_usage": ignoredSSL,
}

func parseSSL(c *Config, r json.RawMessage) error {
	var fields map[string]json.RawMessage
	if err := decode("ssl", r, &fields); err != nil {
		return err
	}
	for _, name := range sortedKeys(fields) {
		parse, ok := sslFields[name]
		if !ok {
			return fmt.Errorf("unknown field \"ssl.%s\"", name)
		}
		if err := parse(&c.SSL, fields[name]); err != nil {
			return err
		}
	}
	return nil
}

func parseVerify(s *SSL, r json.RawMessage) error {
	if err := decode("ssl.verify", r, &s.Verify); err != nil {
		return err
	}
	if s.Verify != "verify_peer" && s.Verify != "verify_none" {
		return fmt.Errorf("ssl.verify: %q, want verify_peer or verify_none", s.Verify)
	}
	return nil
}

func parseSNI(s *SSL, r json.RawMessage) error {
	return decode("ssl.server_name_indication", r, &s.ServerName)
}

func ignoredSSL(*SSL, json.RawMessage) error { return nil }

// tlsConfig builds the client TLS configuration. Certificate verification
// defaults to verify_none under the legacy profile and verify_peer under
// hardened, as EMQX's client TLS does (catalogue JWT-JWKS-13).
func (s SSL) tlsConfig(profile security.Profile) (*tls.Config, error) {
	if !s.Enable {
		return nil, nil
	}
	verify := s.Verify
	if verify == "" {
		verify = "verify_none"
		if profile == security.Hardened {
			verify = "verify_peer"
		}
	}
	conf := &tls.Config{InsecureSkipVerify: verify == "verify_none"}
	if s.ServerName != "" && s.ServerName != "disable" {
		conf.ServerName = s.ServerName
	}
	if s.CACertFile != "" {
		pem, err := os.ReadFile(s.CACertFile)
		if err != nil {
			return nil, fmt.Errorf("ssl.cacertfile: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ssl.cacertfile: no certificate in %s", s.CACertFile)
		}
		conf.RootCAs = pool
	}
	if s.CertFile != "" || s.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(s.CertFile, s.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("ssl.certfile/keyfile: %v", err)
		}
		conf.Certificates = []tls.Certificate{cert}
	}
	return conf, nil
}
