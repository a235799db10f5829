package reference

import (
	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authn/jwtauth"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/reference/jwks"
)

// jwksFactory connects the JWT authenticator's use_jwks mode to the
// fetcher in reference/jwks. The two packages stay independent: jwtauth
// validates EMQX's configuration, jwks fetches and refreshes.
func jwksFactory(o options, d defectOptions) jwtauth.JWKSFactory {
	return func(c jwtauth.JWKSConfig, env authn.Env) (jwtauth.KeySource, error) {
		cfg := jwks.Config{
			Endpoint:        c.Endpoint,
			RefreshInterval: c.RefreshInterval,
			Headers:         c.Headers,
			MaxFailCount:    c.MaxFailCount,
			SSL: jwks.SSL{
				Enable:               c.SSL.Enable,
				Verify:               jwks.Verify(c.SSL.Verify),
				CACertFile:           c.SSL.CACertFile,
				CertFile:             c.SSL.CertFile,
				KeyFile:              c.SSL.KeyFile,
				ServerNameIndication: c.SSL.ServerNameIndication,
			},
			VerifyDefault: jwks.VerifyDefaultFor(env.Profile == security.Hardened),
		}
		opts := []jwks.Option{jwks.WithLogger(env.Logger()), jwks.WithDefects(d.jwks...)}
		if o.jwksMinRefresh > 0 {
			opts = append(opts, jwks.WithMinRefresh(o.jwksMinRefresh))
		}
		src, err := jwks.New(cfg, opts...)
		if err != nil {
			return nil, err
		}
		return keySource{src}, nil
	}
}

// keySource adapts a jwks.Source to the authenticator's KeyIDSource: the
// kids are only read by the fault jwks-use-kid (ambiguity A8).
type keySource struct{ *jwks.Source }

func (s keySource) KeysWithIDs() []jwtauth.IdentifiedKey {
	keys := s.Keys()
	out := make([]jwtauth.IdentifiedKey, len(keys))
	for i, k := range keys {
		out[i] = jwtauth.IdentifiedKey{KID: k.KeyID, Key: k.Public}
	}
	return out
}
