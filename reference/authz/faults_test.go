package authz

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/reference/faults"
)

// Every acl fault must change an answer of the behaviour its IDs name. Each
// case is asked once without the fault (the right answer) and once with it
// (the opposite).
func TestFaultsBreakTheirBehaviour(t *testing.T) {
	exp := t0.Add(-time.Hour)
	checks := map[faults.Name][]ask{
		faults.ACLOldFormatFallThrough: {
			{id: "JWT-ACL-01", acl: `{}`, topic: "x", allow: false},
			{id: "JWT-ACL-06", acl: `{"pub": ["t"]}`, topic: "x", settings: sourceAllowAll, allow: false},
		},
		faults.ACLNewFormatDenyOnNoMatch: {
			{id: "JWT-ACL-06", acl: `[{"permission": "deny", "action": "pub", "topic": "t"}]`, topic: "x", allow: true},
		},
		faults.ACLPlusMultiLevel: {
			{id: "JWT-ACL-02", acl: `{"pub": ["a/+"]}`, topic: "a/b/c", allow: false},
		},
		faults.ACLPlaceholdersNotRendered: {
			{id: "JWT-ACL-03", acl: `{"pub": ["t/${clientid}/${username}"]}`, client: clientinfo.Client{ClientID: "c", Username: "u"}, topic: "t/c/u", allow: true},
		},
		faults.ACLEqPrefixIgnored: {
			{id: "JWT-ACL-04", acl: `{"sub": ["eq t/#"]}`, act: Subscribe, topic: "t/x", allow: false},
			{id: "JWT-ACL-04", acl: `{"pub": ["eq t/${username}"]}`, client: clientinfo.Client{Username: "u"}, topic: "t/${username}", allow: true},
		},
		faults.ACLLastMatchWins: {
			{id: "JWT-ACL-05", acl: `[{"permission": "allow", "action": "pub", "topic": "t"}, {"permission": "deny", "action": "all", "topic": "#"}]`, topic: "t", allow: true},
		},
		faults.ACLNoRulesDeny: {
			{id: "JWT-ACL-07", topic: "x", allow: true},
		},
		faults.ACLExpiryIgnored: {
			{id: "JWT-ACL-08", acl: `{"pub": ["t"]}`, grant: Grant{ExpireAt: exp}, topic: "t", allow: false},
			{id: "JWT-EXP-02", acl: `[{"permission": "allow", "action": "pub", "topic": "t"}]`, grant: Grant{ExpireAt: exp}, topic: "t", allow: false},
		},
		faults.ACLQoSRetainIgnored: {
			{id: "JWT-ACL-11", acl: `[{"permission": "allow", "action": "pub", "topic": "t", "qos": 1}]`, topic: "t", qos: 2, settings: denyAll, allow: false},
			{id: "JWT-ACL-11", acl: `[{"permission": "allow", "action": "pub", "topic": "t", "retain": false}]`, topic: "t", retain: true, settings: denyAll, allow: false},
		},
		faults.ACLWhoFiltersIgnored: {
			{id: "JWT-ACL-12", acl: `[{"permission": "allow", "action": "pub", "topic": "t", "username_re": "^admin$"}]`, client: clientinfo.Client{Username: "bob"}, topic: "t", settings: denyAll, allow: false},
		},
		faults.ACLPlusRejectsWildcardLevel: {
			{id: "JWT-ACL-13", acl: `{"sub": ["a/+"]}`, act: Subscribe, topic: "a/#", allow: true},
		},
		faults.ACLDollarTopicsUnguarded: {
			{id: "JWT-ACL-14", acl: `{"sub": ["#"]}`, act: Subscribe, topic: "$SYS/x", allow: false},
		},
		faults.ACLClientAttrsNotRendered: {
			{id: "JWT-ACL-15", acl: `{"all": ["${client_attrs.role}/#"]}`, client: clientinfo.Client{ClientAttrs: map[string]string{"role": "r"}}, topic: "r/x", allow: true},
		},
		faults.ACLUnsafePlaceholderValues: {
			{id: "JWT-ACL-16", acl: `[{"permission": "deny", "action": "all", "topic": "tenant/${username}/data"}]`, client: clientinfo.Client{Username: "+"}, topic: "tenant/other/data", allow: true},
			{id: "JWT-ACL-16", acl: `[{"permission": "allow", "action": "all", "topic": "t/${client_attrs.x}"}]`, topic: "t/", settings: denyAll, allow: false},
		},
		faults.ACLHardenedPlaceholdersOK: {
			{id: "JWT-ACL-16", acl: `[{"permission": "allow", "action": "all", "topic": "t/${username}"}, {"permission": "allow", "action": "all", "topic": "t/#"}]`,
				client: clientinfo.Client{Username: "+"}, topic: "t/x", profile: security.Hardened, allow: false},
		},
		faults.ACLSharePrefixKept: {
			{id: "JWT-ACL-17", acl: `{"sub": ["t/#"]}`, act: Subscribe, topic: "$share/g/t/#", allow: true},
		},
		faults.ACLSuperuserIgnored: {
			{id: "JWT-HMAC-07", acl: `{}`, grant: Grant{Superuser: true}, topic: "x", allow: true},
			{id: "SCRAM-15", grant: Grant{Superuser: true}, topic: "x", settings: denyAll, allow: true},
		},
	}
	parseChecks := map[faults.Name]struct {
		id, acl string
		want    error
	}{
		faults.ACLInvalidRulesSkipped:  {"JWT-ACL-09", `[{"permission": "allow", "action": "pub", "topic": "t", "qos": 3}]`, ErrInvalidRule},
		faults.ACLActionAliasesUnknown: {"JWT-ACL-10", `[{"permission": "allow", "action": "pub", "topic": "t"}]`, nil},
		faults.ACLWrongTypeIgnored:     {"JWT-ACL-09", `"t/#"`, ErrWrongType},
	}
	// Applied by the JWT authenticator, which reads the claim: tested in
	// reference/authn/jwtauth (defects_test.go).
	elsewhere := map[faults.Name]bool{faults.ACLClaimNameIgnored: true}

	for _, def := range faults.All() {
		if !strings.HasPrefix(string(def.Name), "acl-") || elsewhere[def.Name] {
			continue
		}
		asks, isCheck := checks[def.Name]
		pc, isParse := parseChecks[def.Name]
		if !isCheck && !isParse {
			t.Errorf("fault %s has no test here", def.Name)
			continue
		}
		for _, a := range asks {
			if !slices.Contains(def.IDs, a.id) {
				t.Errorf("fault %s: case for %s, which the fault does not declare", def.Name, a.id)
			}
			t.Run(string(def.Name)+"/"+a.id, func(t *testing.T) {
				if got := Authorize(a.request(t)); got.Allow != a.allow {
					t.Fatalf("without the fault: %v, want allow=%v", got, a.allow)
				}
				a.faults = []string{string(def.Name)}
				if got := Authorize(a.request(t)); got.Allow == a.allow {
					t.Fatalf("with the fault: %v, the fault changed nothing", got)
				}
			})
		}
		if isParse {
			if !slices.Contains(def.IDs, pc.id) {
				t.Errorf("fault %s: case for %s, which the fault does not declare", def.Name, pc.id)
			}
			t.Run(string(def.Name)+"/"+pc.id, func(t *testing.T) {
				claim := decode(t, pc.acl)
				if _, err := ParseTokenACL(claim); !errors.Is(err, pc.want) && !(pc.want == nil && err == nil) {
					t.Fatalf("without the fault: error %v, want %v", err, pc.want)
				}
				_, err := Parser{Defects: defectsOn(string(def.Name))}.TokenACL(claim)
				if (err == nil) == (pc.want == nil) {
					t.Fatalf("with the fault: error %v, the fault changed nothing", err)
				}
			})
		}
	}
}

// The declared faults cover every ID of the ACL catalogue section that
// authorization itself can break; the glue covers the rest (broker.go).
func TestFaultCoverage(t *testing.T) {
	covered := map[string]bool{}
	for _, def := range faults.All() {
		for _, id := range def.IDs {
			covered[id] = true
		}
	}
	for _, id := range []string{"JWT-ACL-01", "JWT-ACL-02", "JWT-ACL-03", "JWT-ACL-04", "JWT-ACL-05",
		"JWT-ACL-06", "JWT-ACL-07", "JWT-ACL-08", "JWT-ACL-09", "JWT-ACL-10", "JWT-ACL-11", "JWT-ACL-12",
		"JWT-ACL-13", "JWT-ACL-14", "JWT-ACL-15", "JWT-ACL-16", "JWT-ACL-17", "JWT-EXP-02", "JWT-HMAC-07"} {
		if !covered[id] {
			t.Errorf("no fault breaks %s", id)
		}
	}
}
