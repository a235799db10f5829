package byhand

import "github.com/authspec/authspec/reference/config/security"

// EMQX's defaults of the authenticator fields the scenarios use, per
// mechanism, so a field one side leaves out compares as its default. A
// field absent from these tables has no default: absent equals only absent.
var defaults = map[string]map[string]any{
	"jwt": {
		"enable":                  true,
		"from":                    "password",
		"use_jwks":                false,
		"algorithm":               "hmac-based",
		"secret_base64_encoded":   false,
		"acl_claim_name":          "acl",
		"disconnect_after_expire": true,
		"verify_claims":           map[string]any{},
		"refresh_interval":        300,
		"pool_size":               8,
		"max_fail_count":          5,
		"headers":                 map[string]any{"Accept": "application/json"},
		"ssl":                     map[string]any{"enable": false},
		"precondition":            "",
	},
	"scram:http": {
		"enable":          true,
		"algorithm":       "sha256",
		"iteration_count": 4096,
		"request_timeout": "5s",
		"precondition":    "",
	},
	"password_based:built_in_database": {
		"enable":       true,
		"user_id_type": "username",
		"precondition": "",
	},
}

// onMissingDefault is on_missing_jwt's default, which depends on the
// security profile.
func onMissingDefault(p security.Profile) string {
	if p.IsHardened() {
		return "deny"
	}
	return "ignore"
}

// observedBy lists, for the JWT settings a scenario may leave at their
// default without depending on it, the behaviours (IDs or groups) whose scenarios
// do observe the default. A scenario outside the list that leaves such a
// setting out runs with the broker's declared value; one that sets the
// field, or observes it, needs the same value. Every field not listed here
// (from, use_jwks, algorithm, secret_base64_encoded, enable, ...) changes
// what every scenario of that authenticator sees, so it must always match.
var observedBy = map[string][]string{
	// A connection that outlives its token's exp: expiry, the ACL's expiry,
	// tokens without exp ("never expires") and fractional exp.
	"disconnect_after_expire": {"JWT-EXP", "JWT-ACL-08", "JWT-CLAIM-04", "JWT-CLAIM-09", "JWT-HMAC-05"},
	// A CONNECT without the token's field.
	"on_missing_jwt": {"JWT-SRC-03", "JWT-SRC-06"},
	// Authorization by the token's rules.
	"acl_claim_name": {"JWT-ACL", "JWT-HMAC-07", "JWT-EXP-03", "JWT-CLAIM-07"},
	// The JWKS fetcher: the scenarios about its schedule set
	// refresh_interval themselves, except JWT-JWKS-11, which counts on the
	// default's five minutes; the others only wait for a fetch, whenever it
	// comes.
	"refresh_interval": {"JWT-JWKS-11"},
	"pool_size":        {"JWT-JWKS-02"},
	"max_fail_count":   {"JWT-JWKS-05"},
	"headers":          {"JWT-JWKS-03"},
	"ssl":              {"JWT-JWKS-13"},
}

// notObservedUnder: a scenario expecting one of these readings of a
// catalogue ambiguity does not observe the field's default, although its
// ID does under the reference's reading. Under A1 exp-required a token
// without exp is refused at CONNECT, so no connection outlives it.
var notObservedUnder = map[string]map[string]string{
	"disconnect_after_expire": {"A1": "exp-required"},
}

// observes reports whether a scenario with ids (expecting readings)
// observes the default of field of a mech authenticator.
func observes(mech, field string, ids []string, readings map[string]string) bool {
	names, ok := observedBy[field]
	if mech != "jwt" || !ok {
		return true
	}
	for id, reading := range notObservedUnder[field] {
		if readings[id] == reading {
			return false
		}
	}
	for _, id := range ids {
		for _, n := range names {
			if id == n || groupOf(id) == n {
				return true
			}
		}
	}
	return false
}
