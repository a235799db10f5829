package authz

import (
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// New-format rules (JWT-ACL-05, -09..-12), as EMQX's emqx_authz_rule_raw
// parses them:
//
//	{"permission": "allow"|"deny", "action": "publish"|"pub"|"subscribe"|"sub"|"all",
//	 "topic": "t/#" | "topics": ["t/#", "eq x"], "qos": 0|[0,1]|"0,1", "retain": true|"all"|...,
//	 "username_re": "...", "clientid_re": "...", "ipaddr": "10.0.0.0/8",
//	 "zone": "...", "zone_re": "...", "listener": "tcp:default", "listener_re": "..."}
//
// Other keys, "username" and "clientid" included, are ignored: EMQX drops
// them on purpose (JWT-ACL-12).

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidRule, fmt.Sprintf(format, a...))
}

func unusable(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrWrongType, fmt.Sprintf(format, a...))
}

func (p Parser) parseRule(v any) (Rule, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Rule{}, invalid("a rule must be an object, got %s", jsonType(v))
	}
	permRaw, hasPerm := m["permission"]
	actRaw, hasAct := m["action"]
	if !hasPerm || !hasAct {
		return Rule{}, invalid("missing 'permission' or 'action' field")
	}
	var r Rule
	var err error
	if r.topics, err = parseRuleTopics(m); err != nil {
		return Rule{}, err
	}
	switch permRaw {
	case "allow":
		r.allow = true
	case "deny":
	default:
		return Rule{}, invalid("permission must be allow or deny, got %s", show(permRaw))
	}
	if r.who, err = parseWho(m); err != nil {
		return Rule{}, err
	}
	if r.action.kind, err = p.parseActionType(actRaw); err != nil {
		return Rule{}, err
	}
	if r.action.qos, err = parseQoS(m["qos"]); err != nil {
		return Rule{}, err
	}
	r.action.retain = retainAny
	if r.action.kind != kindSubscribe {
		if r.action.retain, err = parseRetain(m["retain"]); err != nil {
			return Rule{}, err
		}
	}
	r.describe()
	return r, nil
}

func parseRuleTopics(m map[string]any) ([]topicFilter, error) {
	if t, ok := m["topic"].(string); ok {
		return []topicFilter{compileTopic(t)}, nil
	}
	l, ok := m["topics"].([]any)
	if !ok {
		return nil, invalid("missing 'topic' (a string) or 'topics' (a list)")
	}
	out := make([]topicFilter, 0, len(l))
	for _, e := range l {
		s, ok := e.(string)
		if !ok {
			// EMQX's parser crashes here (function_clause) rather than
			// refusing the rule, so the chain reports a backend failure.
			return nil, unusable("topics entry is %s, not a string", jsonType(e))
		}
		out = append(out, compileTopic(s))
	}
	return out, nil
}

func (p Parser) parseActionType(v any) (ruleKind, error) {
	s, _ := v.(string)
	if p.Defects.actionAliasesUnknown && (s == "pub" || s == "sub") {
		return 0, invalid("action must be publish, subscribe or all, got %q", s)
	}
	switch s {
	case "publish", "pub":
		return kindPublish, nil
	case "subscribe", "sub":
		return kindSubscribe, nil
	case "all":
		return kindAll, nil
	}
	return 0, invalid("action must be publish, pub, subscribe, sub or all, got %s", show(v))
}

// parseQoS reads qos: 0..2, a list of them (numbers or digit strings), or a
// comma-separated string "0,1" without spaces; absent or null means all. An
// empty list is valid and covers no QoS at all, as in EMQX.
func parseQoS(v any) (qosMask, error) {
	if v == nil {
		return allQoS, nil
	}
	bad := invalid("qos must be 0, 1, 2, a list of them or a string like \"0,1\", got %s", show(v))
	one := func(e any) (qosMask, bool) {
		if s, ok := e.(string); ok {
			switch s {
			case "0", "1", "2":
				return 1 << (s[0] - '0'), true
			}
			return 0, false
		}
		if n, ok := integer(e); ok && n >= 0 && n <= 2 {
			return 1 << n, true
		}
		return 0, false
	}
	switch q := v.(type) {
	case string:
		var mask qosMask
		for _, part := range strings.Split(q, ",") {
			b, ok := one(part)
			if !ok {
				return 0, bad
			}
			mask |= b
		}
		return mask, nil
	case []any:
		var mask qosMask
		for _, e := range q {
			b, ok := one(e)
			if !ok {
				return 0, bad
			}
			mask |= b
		}
		return mask, nil
	}
	if n, ok := integer(v); ok && n >= 0 && n <= 2 {
		return 1 << n, nil
	}
	return 0, bad
}

// parseRetain reads retain: true/false, 0/1, "true"/"false"/"0"/"1", "all";
// absent or null means all.
func parseRetain(v any) (retainCond, error) {
	switch v {
	case nil, "all":
		return retainAny, nil
	case true, "true", "1":
		return retainTrue, nil
	case false, "false", "0":
		return retainFalse, nil
	}
	if n, ok := integer(v); ok && (n == 0 || n == 1) {
		if n == 1 {
			return retainTrue, nil
		}
		return retainFalse, nil
	}
	return 0, invalid("retain must be true, false, 0, 1, \"true\", \"false\" or \"all\", got %s", show(v))
}

// parseWho reads the rule's client filters (JWT-ACL-12).
func parseWho(m map[string]any) ([]cond, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic errors and log text
	var who []cond
	for _, k := range keys {
		v := m[k]
		var c cond
		var err error
		switch k {
		case "username_re":
			c, err = parseReCond(fieldUsername, k, v)
		case "clientid_re":
			c, err = parseReCond(fieldClientID, k, v)
		case "zone_re":
			c, err = parseReCond(fieldZone, k, v)
		case "listener_re":
			c, err = parseReCond(fieldListener, k, v)
		case "zone":
			c, err = parseEqCond(fieldZone, k, v)
		case "listener":
			c, err = parseEqCond(fieldListener, k, v)
		case "ipaddr":
			c, err = parseIPCond(v)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		who = append(who, c)
	}
	return who, nil
}

func parseReCond(f field, key string, v any) (cond, error) {
	s, ok := v.(string)
	if !ok || s == "" {
		return cond{}, invalid("%s must be a non-empty regular expression, got %s", key, show(v))
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return cond{}, invalid("%s: %v", key, err)
	}
	return cond{kind: condRe, f: f, re: re}, nil
}

func parseEqCond(f field, key string, v any) (cond, error) {
	s, ok := v.(string)
	if !ok || s == "" {
		return cond{}, invalid("%s must be a non-empty string, got %s", key, show(v))
	}
	return cond{kind: condEq, f: f, value: s}, nil
}

func parseIPCond(v any) (cond, error) {
	s, ok := v.(string)
	if !ok || s == "" {
		return cond{}, invalid("ipaddr must be a non-empty string, got %s", show(v))
	}
	p, err := parseCIDR(s)
	if err != nil {
		// EMQX validates only that ipaddr is a string; its CIDR parser then
		// crashes, which the chain reports as a backend failure.
		return cond{}, unusable("ipaddr %q is not an address or CIDR", s)
	}
	return cond{kind: condIP, prefixes: []netip.Prefix{p}}, nil
}

// number reads a decoded JSON number.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// integer reads a decoded JSON integer. A json.Number must be written as an
// integer ("1.0" is not one, as in Erlang); a float64 from a plain
// json.Unmarshal cannot tell 1 from 1.0 and counts when integral.
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 64)
		return i, err == nil
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
		return 0, false
	case int:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

// show renders a decoded JSON value for an error message.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}
