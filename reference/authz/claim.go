package authz

import (
	"errors"
	"fmt"
)

// ErrInvalidRule: the claim is a list of new-format rules and one is invalid
// (JWT-ACL-09: the JWT authenticator refuses the CONNECT with 0x86).
var ErrInvalidRule = errors.New("invalid acl rule")

// ErrWrongType: the claim cannot be used at all, which EMQX's chain turns
// into a backend failure (JWT-ACL-09: BF): it is neither an object (old
// format) nor a list (new format), or it is a list whose rules EMQX's rule
// compiler crashes on instead of rejecting them (a "topics" entry that is not
// a string, an "ipaddr" that is not an address or CIDR).
var ErrWrongType = errors.New("acl claim is neither an object nor a list")

// Parser parses acl claims and backend answers. Its zero value is what every
// real run uses; Defects switches on the parse-time defects of the acl area
// (invalid rules skipped, action aliases unknown), for the self-test only.
type Parser struct {
	Defects Defects
}

// ParseTokenACL parses the value of a token's acl claim (as decoded by
// encoding/json: map[string]any, []any, ...; json.Number is understood).
// Errors wrap ErrInvalidRule or ErrWrongType.
func ParseTokenACL(claim any) (*Rules, error) { return Parser{}.TokenACL(claim) }

// ParseRuleList parses the acl of a SCRAM backend answer (SCRAM-16): a list
// of new-format rules. An object (the token's old format) or an invalid rule
// is an error wrapping ErrWrongType or ErrInvalidRule; the SCRAM
// authenticator ignores the client on either.
func ParseRuleList(v any) (*Rules, error) { return Parser{}.RuleList(v) }

// TokenACL is ParseTokenACL under p's faults.
func (p Parser) TokenACL(claim any) (*Rules, error) {
	switch c := claim.(type) {
	case map[string]any:
		return parseOldFormat(c), nil
	case []any:
		return p.parseNewFormat(c)
	}
	if p.Defects.wrongTypeIgnored {
		return nil, nil // no rules, as if the claim were absent
	}
	return nil, fmt.Errorf("%w: got %s", ErrWrongType, jsonType(claim))
}

// RuleList is ParseRuleList under p's faults.
func (p Parser) RuleList(v any) (*Rules, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%w: acl must be a list of rules, got %s", ErrWrongType, jsonType(v))
	}
	return p.parseNewFormat(l)
}

func (p Parser) parseNewFormat(raw []any) (*Rules, error) {
	rules := &Rules{list: make([]Rule, 0, len(raw))}
	for i, v := range raw {
		r, err := p.parseRule(v)
		if err != nil {
			if errors.Is(err, ErrInvalidRule) && p.Defects.invalidRulesSkipped {
				continue
			}
			return nil, fmt.Errorf("rule %d: %w", i+1, err)
		}
		rules.list = append(rules.list, r)
	}
	return rules, nil
}

// jsonType names the JSON type of a decoded value, for error messages.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	if _, ok := number(v); ok {
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}
