package authz

import "strings"

// Topic matching as EMQX's emqx_topic:match/2 does it for authorization.
//
// The name being checked is a PUBLISH topic or a SUBSCRIBE filter; both are
// split into levels and compared with the rule's filter level by level. A
// subscription filter is treated as a topic whose levels happen to be "+" or
// "#" (JWT-ACL-13): rule "a/#" covers filter "a/+/b", rule "a/b" does not
// cover "a/+" (the literal level "b" is not "+"), and rule "a/+" covers "a/#"
// because a rule's "+" accepts any one level, "#" included.

// matchFaults are the matcher's deliberate defects, resolved once per check
// from the request's Defects so the hot path tests plain booleans.
type matchFaults struct {
	plusMultiLevel    bool // "+" swallows one or more levels (acl-plus-multi-level)
	plusSkipsWildcard bool // "+" refuses a "+"/"#" level of a filter (acl-plus-rejects-wildcard-level)
	dollarUnguarded   bool // leading wildcards match "$" topics (acl-dollar-topics-unguarded)
}

// matchLevels reports whether name (split into levels) is covered by filter
// (split into levels).
func matchLevels(name, filter []string, mf matchFaults) bool {
	// JWT-ACL-14: a filter starting with a wildcard never matches a name whose
	// first level starts with "$" ($SYS/..., and also "$share" when a filter
	// was not stripped).
	if !mf.dollarUnguarded && len(name) > 0 && len(filter) > 0 &&
		strings.HasPrefix(name[0], "$") && isWildcard(filter[0]) {
		return false
	}
	return matchTokens(name, filter, mf)
}

func matchTokens(name, filter []string, mf matchFaults) bool {
	for {
		switch {
		case len(name) == 0 && len(filter) == 0:
			return true
		case len(filter) == 1 && filter[0] == "#":
			// "#" as the last rule level covers the rest, including nothing
			// at all: rule "a/#" covers "a".
			return true
		case len(name) == 0 || len(filter) == 0:
			return false
		case filter[0] == "+":
			if mf.plusSkipsWildcard && isWildcard(name[0]) {
				return false
			}
			if mf.plusMultiLevel {
				for i := 1; i <= len(name); i++ {
					if matchTokens(name[i:], filter[1:], mf) {
						return true
					}
				}
				return false
			}
			name, filter = name[1:], filter[1:]
		case name[0] == filter[0]:
			name, filter = name[1:], filter[1:]
		default:
			return false
		}
	}
}

func isWildcard(level string) bool { return level == "+" || level == "#" }

// levels splits a topic or filter at "/" as emqx_topic:words/1 does: ""
// gives one empty level, "a/" gives "a" and "".
func levels(topic string) []string { return appendLevels(nil, topic) }

// appendLevels appends topic's levels to dst.
func appendLevels(dst []string, topic string) []string {
	for {
		i := strings.IndexByte(topic, '/')
		if i < 0 {
			return append(dst, topic)
		}
		dst = append(dst, topic[:i])
		topic = topic[i+1:]
	}
}

// shareRealTopic strips the "$share/<group>/" prefix of a shared subscription
// filter (JWT-ACL-17): EMQX's channel checks only the real filter. A "$share"
// filter without a group and a filter part is left alone; the broker refuses
// it as malformed before authorization.
func shareRealTopic(filter string) string {
	rest, ok := strings.CutPrefix(filter, "$share/")
	if !ok {
		return filter
	}
	group, topic, ok := strings.Cut(rest, "/")
	if !ok || group == "" {
		return filter
	}
	return topic
}
