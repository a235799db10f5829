package authz

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
)

// Rule is one compiled authorization rule: EMQX's {Permission, Who, Action,
// Topics}, whether it came from a token's new-format acl, a SCRAM backend
// answer or an acl.conf source.
type Rule struct {
	allow     bool
	who       []cond // all must hold; empty: everyone
	action    actionCond
	allTopics bool // the acl.conf atom `all`: every topic, "$" ones included
	topics    []topicFilter
	text      string // short description for logs
}

// String describes the rule for logs, e.g. `allow publish ["t/#"]`.
func (r *Rule) String() string { return r.text }

// Allow reports the rule's permission.
func (r *Rule) Allow() bool { return r.allow }

// ruleKind is what a rule's action covers.
type ruleKind uint8

const (
	kindPublish ruleKind = iota + 1
	kindSubscribe
	kindAll
)

func (k ruleKind) String() string {
	switch k {
	case kindPublish:
		return "publish"
	case kindSubscribe:
		return "subscribe"
	}
	return "all"
}

// qosMask has bit n set when QoS n is covered.
type qosMask uint8

const allQoS qosMask = 0b111

// retainCond is a rule's retain condition (publish and all rules only).
type retainCond uint8

const (
	retainAny retainCond = iota
	retainTrue
	retainFalse
)

// actionCond is the action part of a rule. EMQX's bare actions (`publish`
// in acl.conf) and those with options are the same condition once the
// defaults (all QoS, any retain) are filled in.
type actionCond struct {
	kind   ruleKind
	qos    qosMask
	retain retainCond
}

func (a actionCond) matches(act Action, qos byte, retain bool, ignoreQoSRetain bool) bool {
	switch {
	case act == Publish && a.kind == kindSubscribe, act == Subscribe && a.kind == kindPublish:
		return false
	case ignoreQoSRetain:
		return true
	}
	if qos > 2 || a.qos&(1<<qos) == 0 {
		return false
	}
	// JWT-ACL-11: retain narrows publishes only, under publish and all rules.
	if act == Publish {
		switch a.retain {
		case retainTrue:
			return retain
		case retainFalse:
			return !retain
		}
	}
	return true
}

// cond is one "who" condition of a rule. It is one concrete type rather
// than an interface so that checking a client does not make the client
// escape to the heap on every call.
type cond struct {
	kind     condKind
	f        field            // condEq, condRe
	name     string           // condAttr: the attribute name
	value    string           // condEq, condAttr without re
	re       *regexp.Regexp   // condRe, condAttr with a pattern (unanchored, as re:run/2 searches)
	prefixes []netip.Prefix   // condIP
	profile  security.Profile // condProfile
	subs     []cond           // condAny, condAll
}

type condKind uint8

const (
	condEq      condKind = iota + 1 // the property equals value
	condRe                          // the property matches re
	condAttr                        // a client attribute equals value or matches re
	condIP                          // the client's address lies in one of prefixes
	condProfile                     // acl.conf's {security_profile, legacy|hardened}
	condAny                         // acl.conf's {'or', [...]}
	condAll                         // acl.conf's {'and', [...]}
)

// Go's RE2 syntax is close to EMQX's PCRE for the patterns ACLs use;
// PCRE-only features (look-around, backreferences) are refused as invalid
// when a rule is parsed.

func (w *cond) holds(c *clientinfo.Client, p security.Profile) bool {
	switch w.kind {
	case condEq:
		v, ok := w.f.of(c)
		return ok && v == w.value
	case condRe:
		v, ok := w.f.of(c)
		return ok && w.re.MatchString(v)
	case condAttr:
		v, ok := c.ClientAttrs[w.name]
		if !ok {
			return false
		}
		if w.re != nil {
			return w.re.MatchString(v)
		}
		return v == w.value
	case condIP:
		addr, err := netip.ParseAddr(c.PeerHost)
		if err != nil {
			return false
		}
		addr = addr.Unmap()
		for _, pfx := range w.prefixes {
			if pfx.Contains(addr) {
				return true
			}
		}
		return false
	case condProfile:
		return p.Effective() == w.profile
	case condAny:
		for i := range w.subs {
			if w.subs[i].holds(c, p) {
				return true
			}
		}
		return false
	case condAll:
		for i := range w.subs {
			if !w.subs[i].holds(c, p) {
				return false
			}
		}
		return true
	}
	return false
}

func (w cond) String() string {
	switch w.kind {
	case condEq:
		return fmt.Sprintf("%s=%q", w.f, w.value)
	case condRe:
		return fmt.Sprintf("%s=~%q", w.f, w.re.String())
	case condAttr:
		if w.re != nil {
			return fmt.Sprintf("client_attrs.%s=~%q", w.name, w.re.String())
		}
		return fmt.Sprintf("client_attrs.%s=%q", w.name, w.value)
	case condIP:
		return fmt.Sprintf("ipaddr in %v", w.prefixes)
	case condProfile:
		return "security_profile=" + w.profile.String()
	case condAny:
		return fmt.Sprintf("or%v", w.subs)
	case condAll:
		return fmt.Sprintf("and%v", w.subs)
	}
	return "?"
}

// field names a client property a condition looks at.
type field uint8

const (
	fieldUsername field = iota + 1
	fieldClientID
	fieldZone
	fieldListener
)

func (f field) String() string {
	return [...]string{"", "username", "clientid", "zone", "listener"}[f]
}

func (f field) of(c *clientinfo.Client) (string, bool) {
	switch f {
	case fieldUsername:
		// EMQX: a client without a Username matches no username condition.
		return c.Username, c.Username != ""
	case fieldClientID:
		return c.ClientID, true
	case fieldZone:
		return c.ZoneOrDefault(), true
	case fieldListener:
		return c.ListenerOrDefault(), true
	}
	return "", false
}

// parseCIDR reads "10.0.0.0/8", a bare address, or a prefix with host bits
// set ("192.168.1.10/24" is taken as 192.168.1.0/24, as esockd_cidr:parse/2
// with adjust does).
func parseCIDR(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return p.Masked(), nil
}

// describe builds the rule's log text.
func (r *Rule) describe() {
	perm := "deny"
	if r.allow {
		perm = "allow"
	}
	var topics []string
	if r.allTopics {
		topics = []string{"all"}
	}
	for _, t := range r.topics {
		topics = append(topics, t.text)
	}
	who := ""
	if len(r.who) > 0 {
		who = fmt.Sprintf(" %v", r.who)
	}
	r.text = fmt.Sprintf("%s%s %s %q", perm, who, r.action.kind, topics)
}
