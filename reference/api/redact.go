package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// redacted is what EMQX shows instead of a secret; a PUT that sends it back
// keeps the stored value (see deobfuscate), so a client can read a
// configuration, change one field and write it back.
const redacted = "******"

// sensitiveKeys are the fields EMQX redacts when showing configuration
// (emqx_utils_redact).
var sensitiveKeys = map[string]bool{
	"account_key": true, "aws_secret_access_key": true, "bind_password": true, "jwt": true,
	"password": true, "private_key": true, "secret": true, "secret_access_key": true, "secret_key": true,
	"security_token": true, "sp_private_key": true, "token": true,
}

// sensitiveHeaders are the HTTP headers, in a "headers" object, whose values
// are redacted.
var sensitiveHeaders = map[string]bool{"authorization": true, "proxy-authorization": true}

func decodeValue(raw json.RawMessage) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber() // keep integers such as iteration_count exact
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// showConfig returns a stored configuration as the API shows it: with its
// ID, and redacted when redact is true.
func showConfig(a Authenticator, redact bool) (map[string]any, error) {
	v, err := decodeValue(a.Config)
	if err != nil {
		return nil, fmt.Errorf("stored configuration of %s is not JSON: %w", a.ID, err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("stored configuration of %s is not a JSON object", a.ID)
	}
	if redact {
		redactValue(obj)
	}
	obj["id"] = a.ID
	return obj, nil
}

func redactValue(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			switch {
			case sensitiveKeys[k]:
				t[k] = redacted
			case k == "headers":
				if h, ok := child.(map[string]any); ok {
					for name := range h {
						if sensitiveHeaders[strings.ToLower(name)] {
							h[name] = redacted
						}
					}
				}
				redactValue(child)
			default:
				redactValue(child)
			}
		}
	case []any:
		for _, child := range t {
			redactValue(child)
		}
	}
}

// deobfuscate replaces every "******" in update with the value stored at the
// same place, as EMQX does on PUT.
func deobfuscate(update, stored json.RawMessage) (json.RawMessage, error) {
	if !bytes.Contains(update, []byte(`"`+redacted+`"`)) {
		return update, nil
	}
	u, err := decodeValue(update)
	if err != nil {
		return nil, err
	}
	s, err := decodeValue(stored)
	if err != nil {
		return nil, err
	}
	restore(u, s)
	return json.Marshal(u)
}

func restore(update, stored any) {
	u, ok1 := update.(map[string]any)
	s, ok2 := stored.(map[string]any)
	if !ok1 || !ok2 {
		return
	}
	for k, v := range u {
		old, had := s[k]
		if !had {
			continue
		}
		if v == redacted {
			u[k] = old
			continue
		}
		restore(v, old)
	}
}
