package authz

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
)

// Action is what a client asks to do.
type Action uint8

const (
	Publish Action = iota + 1
	Subscribe
)

func (a Action) String() string {
	switch a {
	case Publish:
		return "publish"
	case Subscribe:
		return "subscribe"
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Grant is what authentication granted a client beyond its identity: it
// is the client's part of every authorization question, with the identity
// (clientinfo.Client) it was granted to. The broker keeps it per
// connection and replaces it on re-authentication.
type Grant struct {
	// Superuser: the authenticator said is_superuser (JWT-HMAC-07,
	// SCRAM-15): every action is allowed.
	Superuser bool
	// Rules the authenticator granted; nil when it brought none (JWT-ACL-07).
	Rules *Rules
	// ExpireAt is when the authentication expires (the token's exp, SCRAM
	// expire_at); zero means never (JWT-CLAIM-04). Rules stop applying once
	// the current second is past it: every action is then denied
	// (JWT-ACL-08).
	ExpireAt time.Time
	// ExpireNotInteger: the token's exp was a fraction (ambiguity A14).
	// EMQX's expiry check wants an integer, so the rules deny every action.
	ExpireNotInteger bool
}

// RulesExpiry converts a token's exp claim, as decoded (a number,
// json.Number, or a numeric string, which EMQX converts before its checks,
// JWT-CLAIM-05), into Grant.ExpireAt and Grant.ExpireNotInteger.
// A number written with a fraction or an exponent is not an integer, even
// 1719830400.0, as for EMQX's JSON decoder.
func RulesExpiry(exp any) (at time.Time, notInteger bool, err error) {
	var text string
	switch v := exp.(type) {
	case json.Number:
		text = string(v)
	case string:
		text = v
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<62 {
			return time.Unix(int64(v), 0), false, nil
		}
		text = strconv.FormatFloat(v, 'f', -1, 64)
	case int64:
		return time.Unix(v, 0), false, nil
	case int:
		return time.Unix(int64(v), 0), false, nil
	default:
		return time.Time{}, false, fmt.Errorf("exp is %s, not a number", jsonType(exp))
	}
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return time.Unix(i, 0), false, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return time.Time{}, false, fmt.Errorf("exp %q is not a number", text)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}

// Request is one authorization question.
type Request struct {
	// Client is who asks; Grant what its authentication granted.
	Client clientinfo.Client
	Grant  Grant
	Action Action
	// Topic is the PUBLISH topic, or the SUBSCRIBE filter as sent
	// ("$share/g/t/#" included: the real filter is checked, JWT-ACL-17).
	Topic string
	// QoS is the publish QoS or the requested subscription QoS.
	QoS    byte
	Retain bool
	// Now is the instant of the check: the broker's clock, or the expiry
	// instant when a Will is judged (JWT-EXP-03).
	Now time.Time

	Settings Settings
	// Profile: under Hardened a rule that cannot be evaluated (JWT-ACL-16)
	// or a token acl that cannot be compiled denies; under Legacy it does
	// not match.
	Profile security.Profile
	// Defects are the deliberate defects switched on (self-test only).
	Defects Defects
}

// Decision is authorization's answer. Reason says which rule or default
// decided, for the broker's log line.
type Decision struct {
	Allow  bool
	Reason string
}

func (d Decision) String() string {
	if d.Allow {
		return "allow: " + d.Reason
	}
	return "deny: " + d.Reason
}

// Authorize answers one request (JWT-ACL-06): a superuser is allowed
// everything; otherwise the client's own rules are asked first (old format:
// decisive, denying on no match; new format: the first matching rule
// decides, else fall through), then the configured sources in order, and
// authorization.no_match decides last.
func Authorize(req Request) Decision {
	fs := req.Defects
	if req.Action != Publish && req.Action != Subscribe {
		return Decision{Allow: false, Reason: fmt.Sprintf("unknown %s", req.Action)}
	}
	if req.Grant.Superuser && !fs.superuserIgnored {
		return Decision{Allow: true, Reason: "superuser"}
	}
	name := req.Topic
	if req.Action == Subscribe && !fs.sharePrefixKept {
		name = shareRealTopic(name)
	}
	ck := newCheck(&req, name)

	if rules := req.Grant.Rules; rules != nil {
		if why, expired := rulesExpired(&req.Grant, req.Now, fs); expired {
			return Decision{Allow: false, Reason: why}
		}
		v := rules.check(&ck, fs)
		if v.o != noMatch {
			return Decision{Allow: v.o == matchedAllow, Reason: v.reason}
		}
	} else if fs.noRulesDeny {
		return Decision{Allow: false, Reason: "client carries no rules"}
	}

	for i := range req.Settings.Sources {
		src := &req.Settings.Sources[i]
		if !src.Enable {
			continue
		}
		o, idx, note := matchList(src.rules, &ck, false)
		if o != noMatch {
			return Decision{
				Allow:  o == matchedAllow,
				Reason: fmt.Sprintf("source %d (%s) rule %d (%s)%s", i+1, src.Type, idx+1, src.rules[idx].text, withNote(note)),
			}
		}
	}
	return Decision{Allow: req.Settings.NoMatch == Allow, Reason: "no_match: " + req.Settings.NoMatch.String()}
}

// rulesExpired applies the expiry of the client's rules as
// emqx_authz_client_info does in 6.x: the rules apply while exp >= now in
// whole seconds, so they deny from the second after exp (ambiguity A15), and
// a fractional exp denies at once (A14).
func rulesExpired(g *Grant, now time.Time, fs Defects) (string, bool) {
	if fs.expiryIgnored {
		return "", false
	}
	if g.ExpireNotInteger {
		return "token rules: exp is not an integer", true
	}
	if g.ExpireAt.IsZero() {
		return "", false
	}
	if now.Unix() > g.ExpireAt.Unix() {
		return fmt.Sprintf("token rules expired at %s", g.ExpireAt.UTC().Format(time.RFC3339)), true
	}
	return "", false
}
