package authz

import (
	"errors"
	"fmt"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/reference/placeholder"
)

// check is one authorization question, prepared once per Authorize call and
// put to every rule in turn.
type check struct {
	client *clientinfo.Client
	action Action
	name   string   // the topic, or the subscription's real filter
	levels []string // name split at "/"
	qos    byte
	retain bool

	profile security.Profile
	// failDeny: a rule whose placeholders cannot be rendered denies (EMQX's
	// authz_backend_failure policy: hardened, unless
	// authorization.ignore_backend_failures); otherwise it does not match.
	failDeny bool

	render          placeholder.Options
	mf              matchFaults
	ignoreQoSRetain bool // fault acl-qos-retain-ignored
	ignoreWho       bool // fault acl-who-filters-ignored
	eqIgnored       bool // fault acl-eq-prefix-ignored

	// Scratch space reused by every rendered filter of the check.
	buf     []byte
	scratch []string
}

func newCheck(req *Request, name string) check {
	fs := req.Defects
	return check{
		client:   &req.Client,
		action:   req.Action,
		name:     name,
		levels:   levels(name),
		qos:      req.QoS,
		retain:   req.Retain,
		profile:  req.Profile,
		failDeny: req.Profile.IsHardened() && !req.Settings.IgnoreBackendFailures && !fs.hardenedPlaceholdersOK,
		render:   renderOptions(req.Settings.TopicTemplateAllow, fs),
		mf: matchFaults{
			plusMultiLevel:    fs.plusMultiLevel,
			plusSkipsWildcard: fs.plusRejectsWildcardLevel,
			dollarUnguarded:   fs.dollarTopicsUnguarded,
		},
		ignoreQoSRetain: fs.qoSRetainIgnored,
		ignoreWho:       fs.whoFiltersIgnored,
		eqIgnored:       fs.eqPrefixIgnored,
	}
}

// outcome is what one rule (or one rule list) says about a check.
type outcome uint8

const (
	noMatch outcome = iota
	matchedAllow
	matchedDeny
)

func matched(allow bool) outcome {
	if allow {
		return matchedAllow
	}
	return matchedDeny
}

// match asks one rule, as emqx_authz_rule:match/4 does: action, then who,
// then topics. note explains an outcome forced by a placeholder that could
// not be rendered (JWT-ACL-16).
func (r *Rule) match(ck *check) (o outcome, note string) {
	if !r.action.matches(ck.action, ck.qos, ck.retain, ck.ignoreQoSRetain) {
		return noMatch, ""
	}
	if !ck.ignoreWho {
		for i := range r.who {
			if !r.who[i].holds(ck.client, ck.profile) {
				return noMatch, ""
			}
		}
	}
	if r.allTopics {
		return matched(r.allow), ""
	}
	for i := range r.topics {
		f := &r.topics[i]
		if f.eq && ck.eqIgnored {
			f = f.asWritten
		}
		ok, rerr := f.covers(ck)
		switch rerr {
		case renderUndefined:
			// Legacy: EMQX skips this filter and tries the rule's others;
			// hardened: the rule denies.
			if ck.failDeny {
				return matchedDeny, fmt.Sprintf("placeholder undefined in %q", f.text)
			}
			continue
		case renderBadValue:
			// Legacy: the whole rule does not match; hardened: it denies.
			if ck.failDeny {
				return matchedDeny, fmt.Sprintf("placeholder value with / + or # in %q", f.text)
			}
			return noMatch, ""
		}
		if ok {
			return matched(r.allow), ""
		}
	}
	return noMatch, ""
}

// covers reports whether the filter covers the check's topic or filter.
func (f *topicFilter) covers(ck *check) (bool, renderError) {
	switch {
	case f.eq:
		return ck.name == f.literal, renderOK
	case f.tmpl != nil:
		var err error
		ck.buf, err = f.tmpl.Append(ck.buf[:0], ck.client, &ck.render)
		switch {
		case errors.Is(err, placeholder.ErrUndefined):
			return false, renderUndefined
		case err != nil:
			return false, renderBadValue
		}
		ck.scratch = appendLevels(ck.scratch[:0], string(ck.buf))
		return matchLevels(ck.levels, ck.scratch, ck.mf), renderOK
	}
	return matchLevels(ck.levels, f.levels, ck.mf), renderOK
}

// matchList asks rules in order; the first that matches decides. It
// returns the index of the deciding rule, or -1.
func matchList(rules []Rule, ck *check, lastWins bool) (o outcome, idx int, note string) {
	idx = -1
	for i := range rules {
		ro, n := rules[i].match(ck)
		if ro == noMatch {
			continue
		}
		if !lastWins {
			return ro, i, n
		}
		o, idx, note = ro, i, n
	}
	return o, idx, note
}
