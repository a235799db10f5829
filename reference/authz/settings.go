package authz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Permission is allow or deny.
type Permission uint8

const (
	Allow Permission = iota
	Deny
)

func (p Permission) String() string {
	if p == Deny {
		return "deny"
	}
	return "allow"
}

// DenyAction is what the broker does after denying a publish or a
// subscription (JWT-ACL-19): the broker glue reads it.
type DenyAction uint8

const (
	// DenyIgnore: drop the publish / answer the filter with 0x87 and carry on.
	DenyIgnore DenyAction = iota
	// DenyDisconnect: send DISCONNECT 0x87 and close the connection.
	DenyDisconnect
)

func (d DenyAction) String() string {
	if d == DenyDisconnect {
		return "disconnect"
	}
	return "ignore"
}

// Settings are the subset of EMQX's `authorization` block that the
// catalogue depends on, parsed by ParseSettings. The zero value is EMQX's
// shipped default behaviour except for its sources: no_match allow,
// deny_action ignore, no sources (see ParseSettings).
type Settings struct {
	NoMatch    Permission
	DenyAction DenyAction
	// CacheEnable is accepted and reported back but changes nothing: the
	// reference has no authorization cache and evaluates every check afresh.
	// EMQX's cache only changes outcomes after rules change or expire while a
	// cached answer lives (JWT-ACL-08), which is why the scenarios run EMQX
	// with it off; the reference behaves as EMQX does then.
	CacheEnable bool
	// IgnoreBackendFailures: under the hardened profile, a rule that cannot
	// be evaluated does not match instead of denying.
	IgnoreBackendFailures bool
	TopicTemplateAllow    TemplateAllow
	Sources               []Source

	cache json.RawMessage // as given, echoed by MarshalJSON
}

// Source is one configured authorization source. The reference implements
// EMQX's file source in the form its API takes (`{"type": "file", "enable":
// true, "rules": "<acl.conf text>"}`), which a real EMQX accepts unchanged, so
// one provisioning request configures both.
type Source struct {
	Type   string // "file"
	Enable bool
	Rules  string // the acl.conf text as given
	rules  []Rule
}

// DefaultSettings are the settings an empty configuration gives.
func DefaultSettings() Settings {
	return Settings{NoMatch: Allow, DenyAction: DenyIgnore, CacheEnable: true}
}

// ParseSettings reads EMQX's `authorization` block (as JSON): no_match
// (allow|deny, default allow, EMQX's shipped configuration), deny_action
// (ignore|disconnect, default ignore), cache ({enable, max_size, ttl,
// excludes}: accepted, ignored), ignore_backend_failures, topic_template_allow
// ({plus, hash, slash}) and sources (file sources with inline rules). An
// unknown field is an error naming it. Empty input (or null) gives
// DefaultSettings. EMQX ships a default file source (acl.conf) that allows
// 127.0.0.1 everything; the reference starts with no source, so only what a
// scenario configures decides.
func ParseSettings(raw json.RawMessage) (Settings, error) {
	s := DefaultSettings()
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return s, nil
	}
	err := decodeObject(raw, "authorization", map[string]func(json.RawMessage, string) error{
		"no_match": func(v json.RawMessage, path string) error {
			str, err := decodeEnum(v, path, "allow", "deny")
			s.NoMatch = map[string]Permission{"allow": Allow, "deny": Deny}[str]
			return err
		},
		"deny_action": func(v json.RawMessage, path string) error {
			str, err := decodeEnum(v, path, "ignore", "disconnect")
			s.DenyAction = map[string]DenyAction{"ignore": DenyIgnore, "disconnect": DenyDisconnect}[str]
			return err
		},
		"cache": func(v json.RawMessage, path string) error {
			s.cache = append(json.RawMessage(nil), v...)
			return parseCache(v, path, &s.CacheEnable)
		},
		"ignore_backend_failures": func(v json.RawMessage, path string) error {
			return decodeTyped(v, path, &s.IgnoreBackendFailures, "a boolean")
		},
		"topic_template_allow": func(v json.RawMessage, path string) error {
			return decodeObject(v, path, map[string]func(json.RawMessage, string) error{
				"plus": func(v json.RawMessage, p string) error {
					return decodeTyped(v, p, &s.TopicTemplateAllow.Plus, "a boolean")
				},
				"hash": func(v json.RawMessage, p string) error {
					return decodeTyped(v, p, &s.TopicTemplateAllow.Hash, "a boolean")
				},
				"slash": func(v json.RawMessage, p string) error {
					return decodeTyped(v, p, &s.TopicTemplateAllow.Slash, "a boolean")
				},
			})
		},
		"sources": func(v json.RawMessage, path string) error {
			var list []json.RawMessage
			if err := decodeTyped(v, path, &list, "a list"); err != nil {
				return err
			}
			for i, raw := range list {
				src, err := parseSource(raw, fmt.Sprintf("%s[%d]", path, i))
				if err != nil {
					return err
				}
				s.Sources = append(s.Sources, src)
			}
			return nil
		},
	})
	if err != nil {
		return Settings{}, err
	}
	return s, nil
}

func parseCache(v json.RawMessage, path string, enable *bool) error {
	var maxSize int
	var ttl string
	var excludes []string
	return decodeObject(v, path, map[string]func(json.RawMessage, string) error{
		"enable": func(v json.RawMessage, p string) error { return decodeTyped(v, p, enable, "a boolean") },
		"max_size": func(v json.RawMessage, p string) error {
			if err := decodeTyped(v, p, &maxSize, "an integer"); err != nil {
				return err
			}
			if maxSize < 1 || maxSize > 1048576 {
				return fmt.Errorf("%s: must be between 1 and 1048576, got %d", p, maxSize)
			}
			return nil
		},
		"ttl":      func(v json.RawMessage, p string) error { return decodeTyped(v, p, &ttl, "a duration string") },
		"excludes": func(v json.RawMessage, p string) error { return decodeTyped(v, p, &excludes, "a list of strings") },
	})
}

func parseSource(raw json.RawMessage, path string) (Source, error) {
	src := Source{Enable: true}
	var precondition string
	hasRules := false
	err := decodeObject(raw, path, map[string]func(json.RawMessage, string) error{
		"type": func(v json.RawMessage, p string) error {
			if err := decodeTyped(v, p, &src.Type, "a string"); err != nil {
				return err
			}
			if src.Type != "file" {
				return fmt.Errorf("%s: source type %q is not supported by the reference (supported: file)", p, src.Type)
			}
			return nil
		},
		"enable":       func(v json.RawMessage, p string) error { return decodeTyped(v, p, &src.Enable, "a boolean") },
		"precondition": func(v json.RawMessage, p string) error { return decodeTyped(v, p, &precondition, "a string") },
		"rules": func(v json.RawMessage, p string) error {
			hasRules = true
			return decodeTyped(v, p, &src.Rules, "a string")
		},
		"path": func(_ json.RawMessage, p string) error {
			return fmt.Errorf("%s: file sources must give their rules inline in \"rules\" (as EMQX's API takes them); paths are not read", p)
		},
	})
	switch {
	case err != nil:
		return Source{}, err
	case src.Type == "":
		return Source{}, fmt.Errorf("%s: missing field \"type\"", path)
	case !hasRules:
		return Source{}, fmt.Errorf("%s: missing field \"rules\"", path)
	case precondition != "":
		// EMQX's preconditions are variform expressions; no scenario needs
		// them on authorization sources.
		return Source{}, fmt.Errorf("%s.precondition: not supported by the reference", path)
	}
	if src.rules, err = ParseACLFile(src.Rules); err != nil {
		return Source{}, fmt.Errorf("%s.rules: %w", path, err)
	}
	return src, nil
}

// decodeObject decodes a JSON object whose fields each have a handler; any
// other field is an error naming it.
func decodeObject(raw json.RawMessage, path string, handlers map[string]func(json.RawMessage, string) error) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return fmt.Errorf("%s: must be an object", path)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h, ok := handlers[k]
		if !ok {
			known := make([]string, 0, len(handlers))
			for name := range handlers {
				known = append(known, name)
			}
			sort.Strings(known)
			return fmt.Errorf("%s: unknown field %q (known: %s)", path, k, strings.Join(known, ", "))
		}
		if err := h(m[k], path+"."+k); err != nil {
			return err
		}
	}
	return nil
}

func decodeTyped(raw json.RawMessage, path string, dst any, want string) error {
	if err := json.Unmarshal(raw, dst); err != nil || string(bytes.TrimSpace(raw)) == "null" {
		return fmt.Errorf("%s: must be %s, got %s", path, want, abbreviate(raw))
	}
	return nil
}

func decodeEnum(raw json.RawMessage, path string, allowed ...string) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		for _, a := range allowed {
			if s == a {
				return s, nil
			}
		}
	}
	return "", fmt.Errorf("%s: must be %s, got %s", path, strings.Join(quoteAll(allowed), " or "), abbreviate(raw))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func abbreviate(raw json.RawMessage) string {
	if len(raw) > 64 {
		return string(raw[:64]) + "..."
	}
	return string(raw)
}

// MarshalJSON writes the settings back in EMQX's shape, for the management
// API.
func (s Settings) MarshalJSON() ([]byte, error) {
	type source struct {
		Type   string `json:"type"`
		Enable bool   `json:"enable"`
		Rules  string `json:"rules"`
	}
	out := struct {
		NoMatch               string          `json:"no_match"`
		DenyAction            string          `json:"deny_action"`
		Cache                 json.RawMessage `json:"cache"`
		IgnoreBackendFailures bool            `json:"ignore_backend_failures"`
		TopicTemplateAllow    TemplateAllow   `json:"topic_template_allow"`
		Sources               []source        `json:"sources"`
	}{
		NoMatch:               s.NoMatch.String(),
		DenyAction:            s.DenyAction.String(),
		Cache:                 s.cache,
		IgnoreBackendFailures: s.IgnoreBackendFailures,
		TopicTemplateAllow:    s.TopicTemplateAllow,
		Sources:               []source{},
	}
	if out.Cache == nil {
		out.Cache, _ = json.Marshal(map[string]bool{"enable": s.CacheEnable})
	}
	for _, src := range s.Sources {
		out.Sources = append(out.Sources, source{Type: src.Type, Enable: src.Enable, Rules: src.Rules})
	}
	return json.Marshal(out)
}
