package authz

import (
	"fmt"
	"strings"
)

// Rules are the authorization rules an authenticator granted a client: a
// token's acl claim in either format, or a SCRAM backend's acl list. The
// zero value is an empty new-format list; a nil *Rules means "no rules were
// carried" (JWT-ACL-07). Rules are immutable once parsed and safe for
// concurrent checks.
type Rules struct {
	old  *oldRules // non-nil: the old format (object with pub/sub/all)
	list []Rule    // the new format
}

// OldFormat reports whether the rules came as an object with pub/sub/all
// lists, which deny on no match (JWT-ACL-01).
func (r *Rules) OldFormat() bool { return r != nil && r.old != nil }

// Len is the number of new-format rules, or of old-format lists.
func (r *Rules) Len() int {
	switch {
	case r == nil:
		return 0
	case r.old != nil:
		return len(r.old.lists)
	}
	return len(r.list)
}

// String describes the rules for logs.
func (r *Rules) String() string {
	if r == nil {
		return "no rules"
	}
	var parts []string
	if r.old != nil {
		for _, l := range r.old.lists {
			if l.bad != "" {
				parts = append(parts, fmt.Sprintf("%s: unusable (%s)", l.key, l.bad))
				continue
			}
			parts = append(parts, l.rule.String())
		}
		return "old format: " + strings.Join(parts, "; ")
	}
	for _, x := range r.list {
		parts = append(parts, x.String())
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// oldRules is the old format: allow-lists in EMQX's checking order.
type oldRules struct {
	lists []oldList
}

// oldList is one of pub, sub and all, compiled to the rule EMQX builds for
// it: {allow, all, Action, Filters}.
type oldList struct {
	key  string
	rule Rule
	// bad is set when the value is not a list of strings. EMQX accepts such
	// a claim at CONNECT and only fails when it compiles the list during a
	// check, which its authorization counts as a backend failure.
	bad string
}

var oldKeys = []struct {
	key  string
	kind ruleKind
}{{"pub", kindPublish}, {"sub", kindSubscribe}, {"all", kindAll}}

// parseOldFormat compiles the old format. Other keys are ignored, and a
// missing key is an empty list, so {} denies everything (JWT-ACL-01).
func parseOldFormat(m map[string]any) *Rules {
	old := &oldRules{}
	for _, k := range oldKeys {
		l := oldList{key: k.key}
		l.rule = Rule{allow: true, action: actionCond{kind: k.kind, qos: allQoS}}
		switch v := m[k.key].(type) {
		case nil:
			if _, present := m[k.key]; present {
				l.bad = "null is not a list"
			}
		case []any:
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					l.bad = fmt.Sprintf("entry %s is not a string", show(e))
					break
				}
				l.rule.topics = append(l.rule.topics, compileTopic(s))
			}
		default:
			l.bad = fmt.Sprintf("%s is not a list", jsonType(v))
		}
		l.rule.describe()
		l.rule.text = k.key + ": " + l.rule.text
		old.lists = append(old.lists, l)
	}
	return &Rules{old: old}
}

// verdict is what the client's own rules say: matched (allow or deny,
// decisive) or not (fall through to the sources), and why.
type verdict struct {
	o      outcome
	reason string
}

// check asks the rules, as emqx_authz_client_info:authorize/4 does.
func (r *Rules) check(ck *check, fs Defects) verdict {
	if r.old != nil {
		return r.old.check(ck, fs)
	}
	o, idx, note := matchList(r.list, ck, fs.lastMatchWins)
	switch {
	case o != noMatch:
		return verdict{o, fmt.Sprintf("token rule %d (%s)%s", idx+1, r.list[idx].text, withNote(note))}
	case fs.newFormatDenyOnNoMatch:
		return verdict{matchedDeny, "token rules: no match"}
	}
	return verdict{noMatch, "token rules: no match"}
}

func (old *oldRules) check(ck *check, fs Defects) verdict {
	for _, l := range old.lists {
		if l.bad != "" {
			// A backend failure: legacy passes to the next source,
			// hardened denies.
			why := fmt.Sprintf("token acl %q unusable: %s", l.key, l.bad)
			if ck.failDeny {
				return verdict{matchedDeny, why}
			}
			return verdict{noMatch, why}
		}
		if o, note := l.rule.match(ck); o != noMatch {
			return verdict{o, fmt.Sprintf("token acl %s%s", l.rule.text, withNote(note))}
		}
	}
	if fs.oldFormatFallThrough {
		return verdict{noMatch, "token acl (old format): no match"}
	}
	return verdict{matchedDeny, "token acl (old format): no entry matches"}
}

func withNote(note string) string {
	if note == "" {
		return ""
	}
	return ": " + note
}
