package authz

import (
	"fmt"
	"net/netip"
	"regexp"

	"github.com/authspec/authspec/reference/config/security"
)

// ParseACLFile compiles the rules of an EMQX file source (the "rules" text
// of `{"type": "file"}`, acl.conf syntax), as emqx_authz_rule:compile/1
// reads each term:
//
//	{allow, all}.
//	{deny, {security_profile, hardened}}.
//	{Permission, Who, Action, all | [Topic, ...]}.
//
// Who: all, {username|user, "x" | {re, "x"}}, {clientid|client, ...},
// {client_attr, "name", "v" | {re, "v"}}, {zone, ...}, {listener, ...},
// {ipaddr, "cidr"}, {ipaddrs, ["cidr", ...]}, {security_profile, legacy},
// {'and', [Who, ...]}, {'or', [Who, ...]}.
// Action: publish, subscribe, all, or {Action, [{qos, 0 | [0, 1]}, {retain,
// true | false | all}]}. Topic: "t/#", "eq t/#" or {eq, "t/#"}, with the
// placeholders of token rules.
func ParseACLFile(text string) ([]Rule, error) {
	terms, err := readTerms(text)
	if err != nil {
		return nil, err
	}
	rules := make([]Rule, 0, len(terms))
	for _, t := range terms {
		r, err := compileTerm(t)
		if err != nil {
			return nil, fmt.Errorf("line %d: %s: %w", t.line, t, err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func compileTerm(t term) (Rule, error) {
	if t.kind != termTuple || (len(t.elems) != 2 && len(t.elems) != 4) {
		return Rule{}, fmt.Errorf("a rule is {Permission, Who} or {Permission, Who, Action, Topics}")
	}
	var r Rule
	switch {
	case t.elems[0].isAtom("allow"):
		r.allow = true
	case t.elems[0].isAtom("deny"):
	default:
		return Rule{}, fmt.Errorf("permission must be allow or deny, got %s", t.elems[0])
	}
	who, action, topics := t.elems[1], term{kind: termAtom, text: "all"}, term{kind: termAtom, text: "all"}
	if len(t.elems) == 2 {
		// Only {P, all} and {P, {security_profile, _}} have the short form.
		if !who.isAtom("all") && !isTagged(who, "security_profile", 2) {
			return Rule{}, fmt.Errorf("the two-element form takes all or {security_profile, _}")
		}
	} else {
		action, topics = t.elems[2], t.elems[3]
	}
	c, everyone, err := compileWho(who, 0)
	if err != nil {
		return Rule{}, err
	}
	if !everyone {
		r.who = []cond{c}
	}
	if r.action, err = compileAction(action); err != nil {
		return Rule{}, err
	}
	if topics.isAtom("all") {
		r.allTopics = true
	} else if topics.kind == termList {
		for _, e := range topics.elems {
			f, err := compileFileTopic(e)
			if err != nil {
				return Rule{}, err
			}
			r.topics = append(r.topics, f)
		}
	} else {
		return Rule{}, fmt.Errorf("topics must be all or a list, got %s", topics)
	}
	r.describe()
	return r, nil
}

func isTagged(t term, tag string, n int) bool {
	return t.kind == termTuple && len(t.elems) == n && t.elems[0].isAtom(tag)
}

// text reads a string or an atom (EMQX's bin/1 takes both).
func termText(t term) (string, bool) {
	if t.kind == termString || t.kind == termAtom {
		return t.text, true
	}
	return "", false
}

// compileWho compiles a Who; everyone reports the atom `all`.
func compileWho(t term, depth int) (c cond, everyone bool, err error) {
	if t.isAtom("all") {
		return cond{}, true, nil
	}
	if depth > maxTermDepth {
		return cond{}, false, fmt.Errorf("who nested too deep")
	}
	c, err = compileWhoTuple(t, depth)
	return c, false, err
}

func compileWhoTuple(t term, depth int) (cond, error) {
	if t.kind != termTuple || len(t.elems) < 2 || t.elems[0].kind != termAtom {
		return cond{}, fmt.Errorf("invalid who %s", t)
	}
	tag, arg := t.elems[0].text, t.elems[1]
	switch {
	case len(t.elems) == 3 && tag == "client_attr":
		name, ok := termText(arg)
		if !ok {
			return cond{}, fmt.Errorf("client_attr name must be a string, got %s", arg)
		}
		v := t.elems[2]
		if isTagged(v, "re", 2) {
			re, err := compileRe(v.elems[1])
			if err != nil {
				return cond{}, err
			}
			return cond{kind: condAttr, name: name, re: re}, nil
		}
		s, ok := termText(v)
		if !ok {
			return cond{}, fmt.Errorf("client_attr value must be a string, got %s", v)
		}
		return cond{kind: condAttr, name: name, value: s}, nil
	case len(t.elems) != 2:
		return cond{}, fmt.Errorf("invalid who %s", t)
	}
	switch tag {
	case "user", "username":
		return fieldCond(fieldUsername, arg)
	case "client", "clientid":
		return fieldCond(fieldClientID, arg)
	case "zone":
		return fieldCond(fieldZone, arg)
	case "listener":
		return fieldCond(fieldListener, arg)
	case "security_profile":
		switch {
		case arg.isAtom("legacy"):
			return cond{kind: condProfile, profile: security.Legacy}, nil
		case arg.isAtom("hardened"):
			return cond{kind: condProfile, profile: security.Hardened}, nil
		}
		return cond{}, fmt.Errorf("security_profile must be legacy or hardened, got %s", arg)
	case "ipaddr":
		p, err := compileCIDR(arg)
		if err != nil {
			return cond{}, err
		}
		return cond{kind: condIP, prefixes: []netip.Prefix{p}}, nil
	case "ipaddrs":
		if arg.kind != termList {
			return cond{}, fmt.Errorf("ipaddrs takes a list, got %s", arg)
		}
		c := cond{kind: condIP}
		for _, e := range arg.elems {
			p, err := compileCIDR(e)
			if err != nil {
				return cond{}, err
			}
			c.prefixes = append(c.prefixes, p)
		}
		return c, nil
	case "and", "or":
		if arg.kind != termList {
			return cond{}, fmt.Errorf("%s takes a list, got %s", tag, arg)
		}
		c := cond{kind: condAny, subs: make([]cond, 0, len(arg.elems))}
		if tag == "and" {
			c.kind = condAll
		}
		for _, e := range arg.elems {
			sub, everyone, err := compileWho(e, depth+1)
			if err != nil {
				return cond{}, err
			}
			if everyone { // `all` inside and/or: an empty 'and' always holds
				sub = cond{kind: condAll}
			}
			c.subs = append(c.subs, sub)
		}
		return c, nil
	}
	return cond{}, fmt.Errorf("unknown who %s", t)
}

func fieldCond(f field, arg term) (cond, error) {
	if isTagged(arg, "re", 2) {
		re, err := compileRe(arg.elems[1])
		if err != nil {
			return cond{}, err
		}
		return cond{kind: condRe, f: f, re: re}, nil
	}
	s, ok := termText(arg)
	if !ok {
		return cond{}, fmt.Errorf("%s must be a string or {re, Pattern}, got %s", f, arg)
	}
	return cond{kind: condEq, f: f, value: s}, nil
}

func compileRe(t term) (*regexp.Regexp, error) {
	s, ok := termText(t)
	if !ok {
		return nil, fmt.Errorf("a pattern must be a string, got %s", t)
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("invalid pattern %q: %v", s, err)
	}
	return re, nil
}

func compileCIDR(t term) (netip.Prefix, error) {
	s, ok := termText(t)
	if !ok {
		return netip.Prefix{}, fmt.Errorf("an address must be a string, got %s", t)
	}
	p, err := parseCIDR(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an address or CIDR", s)
	}
	return p, nil
}

func compileAction(t term) (actionCond, error) {
	a := actionCond{qos: allQoS, retain: retainAny}
	name := t
	var opts []term
	if t.kind == termTuple {
		if len(t.elems) != 2 || t.elems[1].kind != termList {
			return a, fmt.Errorf("invalid action %s", t)
		}
		name, opts = t.elems[0], t.elems[1].elems
	}
	switch {
	case name.isAtom("publish"):
		a.kind = kindPublish
	case name.isAtom("subscribe"):
		a.kind = kindSubscribe
	case name.isAtom("all"):
		a.kind = kindAll
	default:
		return a, fmt.Errorf("action must be publish, subscribe or all, got %s", name)
	}
	var mask qosMask
	sawQoS, sawRetain := false, false
	for _, o := range opts {
		switch {
		case isTagged(o, "qos", 2):
			sawQoS = true
			vals := []term{o.elems[1]}
			if o.elems[1].kind == termList {
				vals = o.elems[1].elems
			}
			for _, v := range vals {
				if v.kind != termInt || v.n < 0 || v.n > 2 {
					return a, fmt.Errorf("qos must be 0, 1 or 2, got %s", v)
				}
				mask |= 1 << v.n
			}
		case isTagged(o, "retain", 2):
			if sawRetain || a.kind == kindSubscribe {
				continue // proplists:get_value takes the first; subscribe has none
			}
			sawRetain = true
			switch v := o.elems[1]; {
			case v.isAtom("true"):
				a.retain = retainTrue
			case v.isAtom("false"):
				a.retain = retainFalse
			case v.isAtom("all"):
			default:
				return a, fmt.Errorf("retain must be true, false or all, got %s", v)
			}
		}
	}
	if sawQoS {
		a.qos = mask
	}
	return a, nil
}

func compileFileTopic(t term) (topicFilter, error) {
	if isTagged(t, "eq", 2) {
		s, ok := termText(t.elems[1])
		if !ok {
			return topicFilter{}, fmt.Errorf("{eq, Topic} takes a string, got %s", t.elems[1])
		}
		return compileEq(s), nil
	}
	if t.kind != termString {
		return topicFilter{}, fmt.Errorf("a topic must be a string or {eq, Topic}, got %s", t)
	}
	return compileTopic(t.text), nil
}
