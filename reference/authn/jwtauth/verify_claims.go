package jwtauth

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/schema"
	"github.com/authspec/authspec/reference/placeholder"
)

// ClaimCheck is one verify_claims entry: the token's claim Name must be a
// string equal to Expected rendered for the connecting client (JWT-VC-01).
// Expected is a template of the placeholder.VerifyClaims context:
// ${clientid} and ${username} are rendered, a Username the client did not
// send as "" (JWT-VC-02, -05), and any other placeholder stays literal text
// (JWT-VC-06), as emqx_auth_template does with disallowed variables.
type ClaimCheck struct {
	Name     string
	Expected placeholder.Template
}

// expected renders a verify_claims value for c, as the faults say.
func expected(t *placeholder.Template, c *clientinfo.Client, fs defects) string {
	if fs.verifyClaimsNoTemplates {
		return t.Text()
	}
	o := placeholder.VerifyClaims.Options()
	if fs.unknownPlaceholdersEmpty {
		o.Unknown = placeholder.UnknownEmpty
	}
	// The context renders an undefined placeholder as "" and forbids no
	// value: rendering cannot fail.
	s, _ := t.Render(c, &o)
	return s
}

// parseVerifyClaims reads verify_claims as a map {claim: value} or a list
// of {name, value} (JWT-VC-09). Values are strings; names are not empty.
func parseVerifyClaims(o *schema.Object, env parseEnv) ([]ClaimCheck, error) {
	raw, ok := o.Raw("verify_claims")
	if !ok {
		return nil, nil
	}
	path := o.Field("verify_claims")
	var checks []ClaimCheck
	add := func(name, value, at string) error {
		if name == "" && !env.allowEmptyClaimName {
			return schema.Errorf(at, "claim name must not be empty")
		}
		checks = append(checks, ClaimCheck{Name: name, Expected: placeholder.VerifyClaims.Parse(value)})
		return nil
	}
	switch schema.Kind(raw) {
	case "an object":
		obj, err := schema.Decode(raw, path)
		if err != nil {
			return nil, err
		}
		for _, name := range obj.Keys() {
			v, err := obj.String(name, "")
			if err != nil {
				return nil, err
			}
			if err := add(name, v, obj.Field(name)); err != nil {
				return nil, err
			}
		}
	case "a list":
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, schema.Errorf(path, "not valid JSON: %v", err)
		}
		for i, item := range items {
			at := schema.Join(path, "["+strconv.Itoa(i)+"]")
			obj, err := schema.Decode(item, at)
			if err != nil {
				return nil, err
			}
			name, err := obj.RequiredString("name")
			if err != nil {
				return nil, err
			}
			value, err := obj.RequiredString("value")
			if err != nil {
				return nil, err
			}
			if err := obj.Done(); err != nil {
				return nil, err
			}
			if err := add(name, value, obj.Field("name")); err != nil {
				return nil, err
			}
		}
	default:
		return nil, schema.Errorf(path, "must be an object or a list of {name, value}, got %s", schema.Kind(raw))
	}
	return checks, nil
}

// audCheck splits the aud entry from the others: EMQX checks it first, with
// its own rule (JWT-VC-04).
func audCheck(checks []ClaimCheck) (aud *ClaimCheck, rest []ClaimCheck) {
	for i := range checks {
		if checks[i].Name == "aud" && aud == nil {
			aud = &checks[i]
			continue
		}
		rest = append(rest, checks[i])
	}
	return aud, rest
}

// audMatches is EMQX's verify_aud_claim: a non-empty string equal to want,
// or a non-empty array containing want.
func audMatches(raw json.RawMessage, want string, fs defects) bool {
	switch schema.Kind(raw) {
	case "a string":
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return false
		}
		return s != "" && s == want
	case "a list":
		if fs.audStringOnly {
			return false
		}
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return false
		}
		for _, item := range items {
			var s string
			if schema.Kind(item) == "a string" && json.Unmarshal(item, &s) == nil && s == want {
				return true
			}
		}
	}
	return false
}

// claimEquals: only a JSON string equal to want matches (JWT-VC-07).
// faultyClaimEquals is what the faults verify-claims-scalar-text and
// verify-claims-case-insensitive let through.
func faultyClaimEquals(fs defects, raw json.RawMessage, want string) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch x := v.(type) {
	case string:
		return fs.verifyClaimsCaseInsensitive && strings.EqualFold(x, want)
	case float64, bool:
		return fs.verifyClaimsScalarText && strings.TrimSpace(string(raw)) == want
	}
	return false
}

func claimEquals(raw json.RawMessage, want string) bool {
	if schema.Kind(raw) != "a string" {
		return false
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && s == want
}
