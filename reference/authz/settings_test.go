package authz

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseSettingsDefaults(t *testing.T) {
	for _, raw := range []string{"", "  ", "null", "{}"} {
		s, err := ParseSettings(json.RawMessage(raw))
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if s.NoMatch != Allow || s.DenyAction != DenyIgnore || !s.CacheEnable || len(s.Sources) != 0 || s.IgnoreBackendFailures {
			t.Errorf("%q: defaults %+v", raw, s)
		}
	}
}

func TestParseSettingsFull(t *testing.T) {
	raw := `{
	  "no_match": "deny",
	  "deny_action": "disconnect",
	  "cache": {"enable": false, "max_size": 32, "ttl": "1m", "excludes": ["$SYS/#"]},
	  "ignore_backend_failures": true,
	  "topic_template_allow": {"plus": true, "hash": false, "slash": true},
	  "sources": [
	    {"type": "file", "enable": true, "precondition": "", "rules": "{allow, {username, \"admin\"}, all, [\"#\"]}.\n{deny, all}."},
	    {"type": "file", "enable": false, "rules": ""}
	  ]
	}`
	s, err := ParseSettings(json.RawMessage(raw))
	if err != nil {
		t.Fatal(err)
	}
	if s.NoMatch != Deny || s.DenyAction != DenyDisconnect || s.CacheEnable || !s.IgnoreBackendFailures {
		t.Errorf("parsed %+v", s)
	}
	if (s.TopicTemplateAllow != TemplateAllow{Plus: true, Slash: true}) {
		t.Errorf("topic_template_allow %+v", s.TopicTemplateAllow)
	}
	if len(s.Sources) != 2 || len(s.Sources[0].rules) != 2 || s.Sources[1].Enable || len(s.Sources[1].rules) != 0 {
		t.Fatalf("sources %+v", s.Sources)
	}

	// JSON round trip, as the management API echoes the settings.
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseSettings(out)
	if err != nil {
		t.Fatalf("re-parsing %s: %v", out, err)
	}
	if again.NoMatch != s.NoMatch || again.DenyAction != s.DenyAction || again.CacheEnable != s.CacheEnable ||
		again.TopicTemplateAllow != s.TopicTemplateAllow || len(again.Sources) != 2 || again.Sources[0].Rules != s.Sources[0].Rules {
		t.Errorf("round trip changed the settings: %s", out)
	}
	def, _ := json.Marshal(DefaultSettings())
	if !strings.Contains(string(def), `"no_match":"allow"`) || !strings.Contains(string(def), `"cache":{"enable":true}`) {
		t.Errorf("defaults marshal to %s", def)
	}
}

func TestParseSettingsErrors(t *testing.T) {
	cases := []struct{ raw, want string }{
		{`{"nomatch": "deny"}`, `unknown field "nomatch"`},
		{`{"cache": {"enable": false, "size": 3}}`, `authorization.cache: unknown field "size"`},
		{`{"topic_template_allow": {"dollar": true}}`, `unknown field "dollar"`},
		{`{"sources": [{"type": "file", "rules": "", "extra": 1}]}`, `authorization.sources[0]: unknown field "extra"`},
		{`{"no_match": "maybe"}`, `authorization.no_match: must be "allow" or "deny"`},
		{`{"no_match": true}`, `authorization.no_match`},
		{`{"deny_action": "drop"}`, `authorization.deny_action: must be "ignore" or "disconnect"`},
		{`{"cache": {"enable": "no"}}`, `authorization.cache.enable: must be a boolean`},
		{`{"cache": {"enable": null}}`, `authorization.cache.enable: must be a boolean`},
		{`{"cache": {"max_size": 0}}`, `authorization.cache.max_size`},
		{`{"cache": true}`, `authorization.cache: must be an object`},
		{`{"sources": {}}`, `authorization.sources: must be a list`},
		{`{"sources": [{"type": "http"}]}`, `source type "http" is not supported`},
		{`{"sources": [{"rules": "{allow, all}."}]}`, `missing field "type"`},
		{`{"sources": [{"type": "file"}]}`, `missing field "rules"`},
		{`{"sources": [{"type": "file", "path": "/etc/acl.conf"}]}`, `paths are not read`},
		{`{"sources": [{"type": "file", "rules": "", "precondition": "x"}]}`, `precondition: not supported`},
		{`{"sources": [{"type": "file", "rules": "{allow, all}"}]}`, `sources[0].rules: line 1`},
		{`[]`, `authorization: must be an object`},
		{`{`, `authorization: must be an object`},
	}
	for _, c := range cases {
		_, err := ParseSettings(json.RawMessage(c.raw))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.raw, err, c.want)
		}
	}
}

func TestTemplateAllowForbidden(t *testing.T) {
	for _, plus := range []bool{false, true} {
		for _, hash := range []bool{false, true} {
			for _, slash := range []bool{false, true} {
				a := TemplateAllow{Plus: plus, Hash: hash, Slash: slash}
				f := a.forbidden()
				if strings.Contains(f, "+") == plus || strings.Contains(f, "#") == hash || strings.Contains(f, "/") == slash || len(f) > 3 {
					t.Errorf("%+v forbids %q", a, f)
				}
			}
		}
	}
}
