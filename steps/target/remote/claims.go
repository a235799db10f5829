package remote

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
)

// Claims are the catalogue IDs and groups a profile claims; a nil list
// claims everything.
type Claims struct {
	list []string
}

// NewClaims takes a profile's claims (nil: every ID).
func NewClaims(list []string) Claims { return Claims{list: list} }

var idSuffix = regexp.MustCompile(`-\d\d$`)

// GroupOf is an ID's group: JWT-CLAIM-01 is in JWT-CLAIM.
func GroupOf(id string) string { return idSuffix.ReplaceAllString(id, "") }

func (c Claims) claims(id string) bool {
	if c.list == nil {
		return true
	}
	for _, have := range c.list {
		if have == id || have == GroupOf(id) {
			return true
		}
	}
	return false
}

// Check returns a not-applicable error when any of a scenario's IDs is
// outside the claims: its verdict counts for every ID it carries, so it
// runs only when the broker claims them all.
func (c Claims) Check(ids []string) error {
	var out []string
	for _, id := range ids {
		if !c.claims(id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.Strings(out)
	return target.NotApplicable("%s%s", reports.NotClaimedPrefix, strings.Join(out, ", "))
}

// Validate checks every claimed name against the IDs and groups of the
// suite's scenarios (known), so a typo in a profile is a configuration
// error rather than a silently smaller run.
func (c Claims) Validate(known []string) error {
	ids := map[string]bool{}
	for _, id := range known {
		ids[id] = true
		ids[GroupOf(id)] = true
	}
	var unknown []string
	for _, name := range c.list {
		if !ids[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("claims: %s: no such catalogue ID or group (see 'authspec conform --list')", strings.Join(unknown, ", "))
	}
	return nil
}
