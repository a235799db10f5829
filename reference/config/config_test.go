package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/authspec/authspec/reference/authz"
)

func TestParseShapes(t *testing.T) {
	t.Run("array", func(t *testing.T) {
		f, err := Parse([]byte(`[{"mechanism":"jwt","algorithm":"hmac-based","secret":"s"},
			{"mechanism":"password_based","backend":"built_in_database","enable":false,"precondition":"str_eq(listener, 'tcp:default')"}]`))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Authentication) != 2 || f.Authentication[0].ID != "jwt" || !f.Authentication[0].Enable ||
			f.Authentication[1].ID != "password_based:built_in_database" || f.Authentication[1].Enable ||
			f.Authentication[1].Precondition == "" {
			t.Fatalf("%+v", f.Authentication)
		}
	})
	t.Run("object", func(t *testing.T) {
		f, err := Parse([]byte(`{"authentication":[{"mechanism":"jwt","algorithm":"hmac-based","secret":"s"}],
			"authorization":{"no_match":"deny","cache":{"enable":false}},
			"authentication_settings":{"ignore_backend_failures":true,"node_cache":{"enable":false,"cache_ttl":"1m"}}}`))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Authentication) != 1 || !f.Settings.IgnoreBackendFailures || !strings.Contains(string(f.Authorization), `"no_match"`) ||
			f.AuthzSettings.NoMatch != authz.Deny {
			t.Fatalf("%+v", f)
		}
	})
	t.Run("single authenticator object", func(t *testing.T) {
		f, err := Parse([]byte(`{"authentication":{"mechanism":"jwt","algorithm":"hmac-based","secret":"s"}}`))
		if err != nil || len(f.Authentication) != 1 {
			t.Fatalf("%v %+v", err, f)
		}
	})
	t.Run("empty", func(t *testing.T) {
		for _, in := range []string{`[]`, `{}`, ` [ ] `} {
			f, err := Parse([]byte(in))
			if err != nil || len(f.Authentication) != 0 {
				t.Fatalf("%s: %v", in, err)
			}
		}
	})
}

func TestParseErrors(t *testing.T) {
	for in, want := range map[string]string{
		`"jwt"`:                                      "must be a JSON array of authenticators or an object",
		`{"authentication":[],"authz":{}}`:           "authz: unknown field",
		`{"authentication":"jwt"}`:                   "authentication: must be a list of authenticators",
		`{"authorization":[]}`:                       "authorization: must be an object",
		`[{"algorithm":"hmac-based"}]`:               "authentication[0].mechanism: is required",
		`[{"mechanism":5}]`:                          "authentication[0].mechanism: must be a string",
		`[{"mechanism":"jwt","enable":"no"}]`:        "authentication[0].enable: must be a boolean",
		`[{"mechanism":"jwt","precondition":"f(("}]`: "authentication[0].precondition: bad precondition expression",
		`[{"mechanism":"jwt"},{"mechanism":"jwt"}]`:  "authentication[1]: a second jwt authenticator",
		`[5]`: "authentication[0]: must be an object",
		`{"authentication_settings":{"ignore_backend_failures":1}}`:  "authentication_settings.ignore_backend_failures: must be a boolean",
		`{"authentication_settings":{"node_cache":{"enable":true}}}`: "authentication_settings.node_cache.enable: the reference has no authentication cache",
		`{"authentication_settings":{"bogus":true}}`:                 "authentication_settings.bogus: unknown field",
		`[{"mechanism":"jwt"}`:                                       "not valid JSON",
	} {
		_, err := Parse([]byte(in))
		var fe *FieldError
		if err == nil || !strings.Contains(err.Error(), want) || !errors.As(err, &fe) {
			t.Errorf("%s: want FieldError %q, got %v", in, want, err)
		}
	}
}
