package jwtauth

import (
	"encoding/base64"

	"github.com/authspec/authspec/reference/config/schema"
)

// hmacAlgs are the algorithms of `algorithm: hmac-based` (JWT-HMAC-01,
// JWT-HMAC-06); the comparison with a token's alg is case-sensitive (SEC-06).
var hmacAlgs = []string{"HS256", "HS384", "HS512"}

// parseSecret reads secret and secret_base64_encoded (JWT-HMAC-03, -04).
func parseSecret(o *schema.Object, env parseEnv) ([]byte, error) {
	secret, err := o.RequiredString("secret")
	if err != nil {
		return nil, err
	}
	encoded, err := o.Bool("secret_base64_encoded", false)
	if err != nil {
		return nil, err
	}
	key := []byte(secret)
	if encoded && !env.hmacIgnoreSecretBase64 {
		decoded, derr := base64.StdEncoding.DecodeString(secret)
		switch {
		case derr == nil:
			key = decoded
		case env.hmacAcceptInvalidBase64:
			// keep the literal text
		default:
			return nil, schema.Errorf(o.Field("secret"), "not valid base64 (secret_base64_encoded is true): invalid secret")
		}
	}
	if len(key) == 0 {
		// An empty HMAC key lets anyone sign tokens.
		return nil, schema.Errorf(o.Field("secret"), "must not be empty")
	}
	return key, nil
}
