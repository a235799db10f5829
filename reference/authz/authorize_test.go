package authz

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
)

var t0 = time.Unix(1_800_000_000, 0)

// ask is one authorization question in a table: the client's token acl as
// JSON ("" for none), the action, and the broker's settings.
type ask struct {
	id       string
	acl      string // token acl claim; "" = the token carried none
	client   clientinfo.Client
	grant    Grant // Rules are set from acl
	act      Action
	topic    string
	qos      byte
	retain   bool
	settings string // authorization block; "" = defaults
	profile  security.Profile
	now      time.Time
	faults   []string
	allow    bool
}

func (a ask) request(t testing.TB) Request {
	t.Helper()
	c, g := a.client, a.grant
	if c.ClientID == "" {
		c.ClientID = "c1"
	}
	if a.acl != "" {
		rules, err := ParseTokenACL(decode(t, a.acl))
		if err != nil {
			t.Fatalf("%s: acl %s: %v", a.id, a.acl, err)
		}
		g.Rules = rules
	}
	s, err := ParseSettings(json.RawMessage(a.settings))
	if err != nil {
		t.Fatalf("%s: settings: %v", a.id, err)
	}
	act := a.act
	if act == 0 {
		act = Publish
	}
	now := a.now
	if now.IsZero() {
		now = t0
	}
	return Request{Client: c, Grant: g, Action: act, Topic: a.topic, QoS: a.qos, Retain: a.retain, Now: now,
		Settings: s, Profile: a.profile, Defects: defectsOn(a.faults...)}
}

func runAsks(t *testing.T, asks []ask) {
	t.Helper()
	for _, a := range asks {
		name := a.id + "/" + a.act.String() + " " + a.topic
		t.Run(name, func(t *testing.T) {
			d := Authorize(a.request(t))
			if d.Allow != a.allow {
				t.Fatalf("acl %s, client %+v, %s %q qos %d retain %v: got %v, want allow=%v",
					a.acl, a.client, a.act, a.topic, a.qos, a.retain, d, a.allow)
			}
			if d.Reason == "" {
				t.Fatalf("decision without a reason")
			}
		})
	}
}

const denyAll = `{"no_match": "deny"}`

func TestOldFormat(t *testing.T) {
	acl := `{"pub": ["p/#"], "sub": ["s/+"], "all": ["a/${username}"]}`
	user := clientinfo.Client{Username: "u"}
	runAsks(t, []ask{
		{id: "JWT-ACL-01", acl: `{}`, topic: "x", allow: false},
		{id: "JWT-ACL-01", acl: `{}`, act: Subscribe, topic: "x", allow: false},
		{id: "JWT-ACL-01", acl: acl, topic: "p/1", allow: true},
		{id: "JWT-ACL-01", acl: acl, act: Subscribe, topic: "p/1", allow: false},
		{id: "JWT-ACL-01", acl: acl, act: Subscribe, topic: "s/1", allow: true},
		{id: "JWT-ACL-01", acl: acl, topic: "s/1", allow: false},
		{id: "JWT-ACL-01", acl: acl, client: user, topic: "a/u", allow: true},
		{id: "JWT-ACL-01", acl: acl, client: user, act: Subscribe, topic: "a/u", allow: true},
		{id: "JWT-ACL-01", acl: acl, topic: "elsewhere", allow: false},
		// Old format is decisive: neither a source nor no_match is asked.
		{id: "JWT-ACL-06", acl: acl, topic: "elsewhere", settings: sourceAllowAll, allow: false},
		// A list EMQX cannot compile is a backend failure when checked:
		// legacy passes on to the sources and no_match, hardened denies.
		{id: "JWT-ACL-01", acl: `{"pub": "p/#"}`, topic: "p/1", allow: true},
		{id: "JWT-ACL-01", acl: `{"pub": "p/#"}`, topic: "p/1", settings: denyAll, allow: false},
		{id: "JWT-ACL-01", acl: `{"sub": [1]}`, topic: "q", profile: security.Hardened, allow: false},
		{id: "JWT-ACL-01", acl: `{"sub": [1]}`, topic: "q", allow: true},
		// An entry before the bad list still decides.
		{id: "JWT-ACL-01", acl: `{"pub": ["p"], "sub": null}`, topic: "p", profile: security.Hardened, allow: true},
	})
}

const sourceAllowAll = `{"sources": [{"type": "file", "rules": "{allow, all}."}], "no_match": "deny"}`
const sourceDenyAll = `{"sources": [{"type": "file", "rules": "{deny, all}."}]}`

func TestNewFormat(t *testing.T) {
	ordered := `[{"permission": "deny", "action": "publish", "topic": "t/secret"},
	             {"permission": "allow", "action": "all", "topic": "t/#"},
	             {"permission": "deny", "action": "all", "topic": "#"}]`
	runAsks(t, []ask{
		{id: "JWT-ACL-05", acl: ordered, topic: "t/secret", allow: false},
		{id: "JWT-ACL-05", acl: ordered, act: Subscribe, topic: "t/secret", allow: true},
		{id: "JWT-ACL-05", acl: ordered, topic: "t/x", allow: true},
		{id: "JWT-ACL-05", acl: ordered, topic: "u", allow: false},
		// No rule matches: the sources, then no_match decide.
		{id: "JWT-ACL-06", acl: `[{"permission": "deny", "action": "pub", "topic": "t"}]`, topic: "u", allow: true},
		{id: "JWT-ACL-06", acl: `[{"permission": "deny", "action": "pub", "topic": "t"}]`, topic: "u", settings: denyAll, allow: false},
		{id: "JWT-ACL-06", acl: `[{"permission": "deny", "action": "pub", "topic": "t"}]`, topic: "u", settings: sourceDenyAll, allow: false},
		{id: "JWT-ACL-06", acl: `[{"permission": "deny", "action": "pub", "topic": "t"}]`, topic: "u", settings: sourceAllowAll, allow: true},
		// The token's rules come before every source.
		{id: "JWT-ACL-06", acl: `[{"permission": "allow", "action": "pub", "topic": "t"}]`, topic: "t", settings: sourceDenyAll, allow: true},
		{id: "JWT-ACL-06", acl: `[{"permission": "deny", "action": "pub", "topic": "t"}]`, topic: "t", settings: sourceAllowAll, allow: false},
		{id: "JWT-ACL-06", acl: `[]`, topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-10", acl: `[{"permission": "allow", "action": "pub", "topics": ["a", "b"]}]`, topic: "b", settings: denyAll, allow: true},
		{id: "JWT-ACL-10", acl: `[{"permission": "allow", "action": "pub", "topics": ["a", "b"]}]`, act: Subscribe, topic: "b", settings: denyAll, allow: false},
		{id: "JWT-ACL-10", acl: `[{"permission": "allow", "action": "sub", "topic": "a"}]`, act: Subscribe, topic: "a", settings: denyAll, allow: true},
		{id: "JWT-ACL-10", acl: `[{"permission": "allow", "action": "subscribe", "topic": "a"}]`, topic: "a", settings: denyAll, allow: false},
		{id: "JWT-ACL-10", acl: `[{"permission": "allow", "action": "all", "topic": "a"}]`, act: Subscribe, topic: "a", settings: denyAll, allow: true},
	})
}

func TestSuperuser(t *testing.T) {
	su := Grant{Superuser: true}
	runAsks(t, []ask{
		{id: "JWT-HMAC-07", acl: `{}`, grant: su, topic: "x", allow: true},
		{id: "JWT-HMAC-07", acl: `[{"permission": "deny", "action": "all", "topic": "#"}]`, grant: su, act: Subscribe, topic: "#", allow: true},
		{id: "JWT-ACL-06", grant: su, topic: "$SYS/x", settings: sourceDenyAll, allow: true},
		{id: "SCRAM-15", grant: su, topic: "x", settings: denyAll, allow: true},
	})
}

func TestNoRulesCarried(t *testing.T) {
	runAsks(t, []ask{
		{id: "JWT-ACL-07", topic: "x", allow: true},
		{id: "JWT-ACL-07", topic: "x", settings: denyAll, allow: false},
		{id: "JWT-ACL-07", topic: "x", settings: sourceDenyAll, allow: false},
		{id: "JWT-ACL-07", topic: "x", settings: sourceAllowAll, allow: true},
		{id: "JWT-ACL-07", topic: "x", settings: `{"sources": [{"type": "file", "enable": false, "rules": "{deny, all}."}]}`, allow: true},
	})
}

func TestWildcardsAndFilters(t *testing.T) {
	rule := func(action, topic string) string {
		return `[{"permission": "allow", "action": "` + action + `", "topic": "` + topic + `"}]`
	}
	runAsks(t, []ask{
		{id: "JWT-ACL-02", acl: rule("pub", "a/+"), topic: "a/b", settings: denyAll, allow: true},
		{id: "JWT-ACL-02", acl: rule("pub", "a/+"), topic: "a/b/c", settings: denyAll, allow: false},
		{id: "JWT-ACL-02", acl: `{"pub": ["a/+"]}`, topic: "a/b/c", allow: false},
		{id: "JWT-ACL-13", acl: rule("sub", "a/#"), act: Subscribe, topic: "a/+/b", settings: denyAll, allow: true},
		{id: "JWT-ACL-13", acl: rule("sub", "a/#"), act: Subscribe, topic: "a", settings: denyAll, allow: true},
		{id: "JWT-ACL-13", acl: rule("sub", "a/b"), act: Subscribe, topic: "a/+", settings: denyAll, allow: false},
		{id: "JWT-ACL-13", acl: rule("sub", "a/+"), act: Subscribe, topic: "a/#", settings: denyAll, allow: true},
		{id: "JWT-ACL-14", acl: rule("all", "#"), act: Subscribe, topic: "$SYS/#", settings: denyAll, allow: false},
		{id: "JWT-ACL-14", acl: rule("all", "#"), topic: "$SYS/x", settings: denyAll, allow: false},
		{id: "JWT-ACL-14", acl: rule("all", "+/x"), topic: "$SYS/x", settings: denyAll, allow: false},
		{id: "JWT-ACL-14", acl: rule("all", "$SYS/#"), topic: "$SYS/x", settings: denyAll, allow: true},
		{id: "JWT-ACL-14", acl: `{"all": ["#"]}`, act: Subscribe, topic: "$SYS/x", allow: false},
		{id: "JWT-ACL-17", acl: rule("sub", "t/#"), act: Subscribe, topic: "$share/g/t/#", settings: denyAll, allow: true},
		{id: "JWT-ACL-17", acl: rule("sub", "t/#"), act: Subscribe, topic: "$share/g/u/#", settings: denyAll, allow: false},
		{id: "JWT-ACL-17", acl: rule("sub", "$share/g/t/#"), act: Subscribe, topic: "$share/g/t/#", settings: denyAll, allow: false},
		{id: "JWT-ACL-17", acl: `{"sub": ["t/#"]}`, act: Subscribe, topic: "$share/grp/t/x", allow: true},
		// Publishing to a "$share/..." name is not a shared subscription.
		{id: "JWT-ACL-17", acl: rule("pub", "t"), topic: "$share/g/t", settings: denyAll, allow: false},
	})
}

func TestPlaceholders(t *testing.T) {
	full := clientinfo.Client{ClientID: "cid", Username: "usr", CertCommonName: "cn1", Zone: "z1",
		ClientAttrs: map[string]string{"role": "admin", "sn": "10c61f1a1f47", "empty": ""}}
	runAsks(t, []ask{
		{id: "JWT-ACL-03", acl: `{"pub": ["t/${clientid}/${username}"]}`, client: full, topic: "t/cid/usr", allow: true},
		{id: "JWT-ACL-03", acl: `{"pub": ["t/${clientid}/${username}"]}`, client: full, topic: "t/other/usr", allow: false},
		{id: "JWT-ACL-03", acl: `{"pub": ["t/${clientid}"]}`, client: full, topic: "t/${clientid}", allow: false},
		{id: "JWT-ACL-03", acl: `{"pub": ["${cert_common_name}/${zone}/#"]}`, client: full, topic: "cn1/z1/x", allow: true},
		{id: "JWT-ACL-03", acl: `{"pub": ["${zone}"]}`, topic: "default", allow: true},
		{id: "JWT-ACL-03", acl: `{"pub": ["t/${.username}"]}`, client: full, topic: "t/usr", allow: true},
		// Placeholders authorization does not render stay literal text.
		{id: "JWT-ACL-03", acl: `{"pub": ["t/${peerhost}"]}`, client: full, topic: "t/${peerhost}", allow: true},
		{id: "JWT-ACL-03", acl: `{"pub": ["t/${$}{username}"]}`, client: full, topic: "t/${$}{username}", allow: true},
		{id: "JWT-ACL-03", acl: `{"pub": ["t/${$}/${username}"]}`, client: full, topic: "t/$/usr", allow: true},
		{id: "JWT-ACL-03", acl: `[{"permission": "allow", "action": "all", "topic": "${username}/+"}]`, client: full, act: Subscribe, topic: "usr/x", settings: denyAll, allow: true},
		{id: "JWT-ACL-04", acl: `{"pub": ["eq t/${username}"]}`, client: full, topic: "t/usr", allow: false},
		{id: "JWT-ACL-04", acl: `{"pub": ["eq t/${username}"]}`, client: full, topic: "t/${username}", allow: true},
		{id: "JWT-ACL-04", acl: `{"sub": ["eq t/#"]}`, act: Subscribe, topic: "t/#", allow: true},
		{id: "JWT-ACL-04", acl: `{"sub": ["eq t/#"]}`, act: Subscribe, topic: "t/x", allow: false},
		{id: "JWT-ACL-04", acl: `[{"permission": "allow", "action": "all", "topic": "eq t/+"}]`, topic: "t/+", settings: denyAll, allow: true},
		{id: "JWT-ACL-04", acl: `[{"permission": "allow", "action": "all", "topic": "eq t/+"}]`, topic: "t/x", settings: denyAll, allow: false},
		{id: "JWT-ACL-15", acl: `{"all": ["${client_attrs.role}/#"]}`, client: full, topic: "admin/x", allow: true},
		{id: "JWT-ACL-15", acl: `{"all": ["${client_attrs.role}/#"]}`, client: full, topic: "user/x", allow: false},
		{id: "JWT-ACL-15", acl: `{"all": ["d/${client_attrs.sn}"]}`, client: full, act: Subscribe, topic: "d/10c61f1a1f47", allow: true},
		{id: "JWT-ACL-15", acl: `{"all": ["d/${client_attrs.empty}"]}`, client: full, topic: "d/", allow: true},
	})
}

func TestUnrenderablePlaceholders(t *testing.T) {
	// JWT-ACL-16: a rule (or filter) whose placeholder is undefined or whose
	// value holds / + # does not match under legacy and denies under
	// hardened.
	plus := clientinfo.Client{Username: "+"}
	slash := clientinfo.Client{Username: "other/level"}
	deny := `[{"permission": "deny", "action": "all", "topic": "tenant/${username}/data"}]`
	allow := `[{"permission": "allow", "action": "all", "topic": "tenant/${username}/data"}]`
	missing := `[{"permission": "allow", "action": "all", "topics": ["d/${client_attrs.missing}", "open/#"]}]`
	runAsks(t, []ask{
		{id: "JWT-ACL-16", acl: deny, client: plus, topic: "tenant/other/data", allow: true},
		{id: "JWT-ACL-16", acl: allow, client: plus, topic: "tenant/other/data", settings: denyAll, allow: false},
		{id: "JWT-ACL-16", acl: allow, client: plus, topic: "tenant/+/data", settings: denyAll, allow: false},
		{id: "JWT-ACL-16", acl: allow, client: slash, topic: "tenant/other/level/data", profile: security.Hardened, allow: false},
		{id: "JWT-ACL-16", acl: deny, client: slash, topic: "tenant/other/level/data", allow: true},
		{id: "JWT-ACL-16", acl: `{"pub": ["t/${username}"]}`, client: clientinfo.Client{Username: "#"}, topic: "t/x", allow: false},
		// topic_template_allow lets the characters through.
		{id: "JWT-ACL-16", acl: allow, client: plus, topic: "tenant/x/data", settings: `{"topic_template_allow": {"plus": true}}`, profile: security.Hardened, allow: true},
		{id: "JWT-ACL-16", acl: allow, client: slash, topic: "tenant/other/level/data", settings: `{"topic_template_allow": {"slash": true}, "no_match": "deny"}`, allow: true},
		// Undefined: legacy skips the filter, the rule's other filters still
		// apply; hardened denies once the filter is reached.
		{id: "JWT-ACL-16", acl: missing, topic: "d/x", settings: denyAll, allow: false},
		{id: "JWT-ACL-16", acl: missing, topic: "open/x", settings: denyAll, allow: true},
		{id: "JWT-ACL-16", acl: missing, topic: "open/x", profile: security.Hardened, allow: false},
		{id: "JWT-ACL-16", acl: missing, topic: "open/x", profile: security.Hardened, settings: `{"ignore_backend_failures": true}`, allow: true},
		{id: "JWT-ACL-16", acl: `[{"permission": "deny", "action": "all", "topic": "t/${cert_common_name}"}]`, topic: "t/x", profile: security.Hardened, allow: false},
		{id: "JWT-ACL-16", acl: `[{"permission": "deny", "action": "all", "topic": "t/${cert_common_name}"}]`, topic: "t/x", allow: true},
		{id: "JWT-ACL-16", acl: `[{"permission": "deny", "action": "all", "topic": "t/${username}"}]`, topic: "t/", allow: true},
		{id: "JWT-ACL-16", acl: `[{"permission": "deny", "action": "all", "topic": "t/${client_attrs.a.b}"}]`, client: clientinfo.Client{ClientAttrs: map[string]string{"a.b": "x"}}, topic: "t/x", allow: true},
		// A bad value anywhere beats an undefined one, as in EMQX.
		{id: "JWT-ACL-16", acl: `[{"permission": "allow", "action": "all", "topics": ["${cert_common_name}/${username}", "other"]}]`, client: plus, topic: "other", settings: denyAll, allow: false},
		// An earlier filter that matches decides before a bad one is rendered.
		{id: "JWT-ACL-16", acl: `[{"permission": "allow", "action": "all", "topics": ["ok", "t/${username}"]}]`, client: plus, topic: "ok", profile: security.Hardened, allow: true},
		// Old format: the same rules.
		{id: "JWT-ACL-16", acl: `{"pub": ["t/${client_attrs.x}"]}`, topic: "t/x", profile: security.Hardened, allow: false},
		{id: "JWT-ACL-16", acl: `{"pub": ["t/${client_attrs.x}"], "all": ["t/#"]}`, topic: "t/x", allow: true},
	})
}

func TestQoSAndRetain(t *testing.T) {
	rule := func(extra string) string {
		return `[{"permission": "allow", "action": "all", "topic": "t"` + extra + `}]`
	}
	pubRule := func(extra string) string {
		return `[{"permission": "allow", "action": "pub", "topic": "t"` + extra + `}]`
	}
	runAsks(t, []ask{
		{id: "JWT-ACL-11", acl: rule(`, "qos": 1`), topic: "t", qos: 1, settings: denyAll, allow: true},
		{id: "JWT-ACL-11", acl: rule(`, "qos": 1`), topic: "t", qos: 0, settings: denyAll, allow: false},
		{id: "JWT-ACL-11", acl: rule(`, "qos": [0, 2]`), act: Subscribe, topic: "t", qos: 2, settings: denyAll, allow: true},
		{id: "JWT-ACL-11", acl: rule(`, "qos": [0, 2]`), act: Subscribe, topic: "t", qos: 1, settings: denyAll, allow: false},
		{id: "JWT-ACL-11", acl: rule(`, "qos": "0,1"`), topic: "t", qos: 1, settings: denyAll, allow: true},
		{id: "JWT-ACL-11", acl: rule(`, "qos": "0,1"`), topic: "t", qos: 2, settings: denyAll, allow: false},
		{id: "JWT-ACL-11", acl: rule(`, "qos": ["2"]`), topic: "t", qos: 2, settings: denyAll, allow: true},
		{id: "JWT-ACL-11", acl: rule(`, "qos": []`), topic: "t", qos: 0, settings: denyAll, allow: false},
		{id: "JWT-ACL-11", acl: rule(``), topic: "t", qos: 2, retain: true, settings: denyAll, allow: true},
		{id: "JWT-ACL-11", acl: pubRule(`, "retain": true`), topic: "t", retain: true, settings: denyAll, allow: true},
		{id: "JWT-ACL-11", acl: pubRule(`, "retain": true`), topic: "t", retain: false, settings: denyAll, allow: false},
		{id: "JWT-ACL-11", acl: pubRule(`, "retain": "false"`), topic: "t", retain: true, settings: denyAll, allow: false},
		{id: "JWT-ACL-11", acl: pubRule(`, "retain": 0`), topic: "t", retain: false, settings: denyAll, allow: true},
		{id: "JWT-ACL-11", acl: pubRule(`, "retain": "1"`), topic: "t", retain: true, settings: denyAll, allow: true},
		{id: "JWT-ACL-11", acl: pubRule(`, "retain": "all"`), topic: "t", retain: true, settings: denyAll, allow: true},
		// Under "all" retain narrows publishes only.
		{id: "JWT-ACL-11", acl: rule(`, "retain": true`), topic: "t", retain: false, settings: denyAll, allow: false},
		{id: "JWT-ACL-11", acl: rule(`, "retain": true`), act: Subscribe, topic: "t", settings: denyAll, allow: true},
	})
}

func TestWhoFilters(t *testing.T) {
	rule := func(extra string) string {
		return `[{"permission": "allow", "action": "all", "topic": "t"` + extra + `}]`
	}
	c := clientinfo.Client{ClientID: "client-7", Username: "user-3", PeerHost: "192.168.5.20", Zone: "z1", Listener: "ssl:default"}
	runAsks(t, []ask{
		{id: "JWT-ACL-12", acl: rule(`, "username_re": "^user-[0-9]+$"`), client: c, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "username_re": "^admin"`), client: c, topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-12", acl: rule(`, "username_re": ".*"`), topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-12", acl: rule(`, "clientid_re": "client"`), client: c, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "clientid_re": "^c$"`), client: c, topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-12", acl: rule(`, "ipaddr": "192.168.5.0/24"`), client: c, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "ipaddr": "192.168.5.7/24"`), client: c, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "ipaddr": "192.168.5.20"`), client: c, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "ipaddr": "10.0.0.0/8"`), client: c, topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-12", acl: rule(`, "ipaddr": "::ffff:192.168.5.0/120"`), client: c, topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-12", acl: rule(`, "ipaddr": "192.168.5.0/24"`), client: clientinfo.Client{PeerHost: "::ffff:192.168.5.1"}, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "ipaddr": "127.0.0.1"`), topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-12", acl: rule(`, "zone": "z1"`), client: c, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "zone": "default"`), client: c, topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-12", acl: rule(`, "zone": "default"`), topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "zone_re": "^z[0-9]$"`), client: c, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "listener": "ssl:default"`), client: c, topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "listener": "tcp:default"`), client: c, topic: "t", settings: denyAll, allow: false},
		{id: "JWT-ACL-12", acl: rule(`, "listener_re": "^tcp:"`), topic: "t", settings: denyAll, allow: true},
		{id: "JWT-ACL-12", acl: rule(`, "listener_re": "^tcp:"`), client: c, topic: "t", settings: denyAll, allow: false},
		// All filters must hold.
		{id: "JWT-ACL-12", acl: rule(`, "zone": "z1", "clientid_re": "^x"`), client: c, topic: "t", settings: denyAll, allow: false},
		// username and clientid do not narrow a rule.
		{id: "JWT-ACL-12", acl: rule(`, "username": "someone-else", "clientid": "nobody"`), client: c, topic: "t", settings: denyAll, allow: true},
	})
}

func TestRulesExpiry(t *testing.T) {
	exp := t0.Add(10 * time.Second)
	g := Grant{ExpireAt: exp}
	acl := `{"pub": ["t"]}`
	newACL := `[{"permission": "allow", "action": "pub", "topic": "t"}]`
	runAsks(t, []ask{
		{id: "JWT-ACL-08", acl: acl, grant: g, topic: "t", now: exp.Add(-time.Second), allow: true},
		// 6.x: still allowed while exp >= now, in whole seconds (A15).
		{id: "JWT-ACL-08", acl: acl, grant: g, topic: "t", now: exp, allow: true},
		{id: "JWT-ACL-08", acl: acl, grant: g, topic: "t", now: exp.Add(999 * time.Millisecond), allow: true},
		{id: "JWT-ACL-08", acl: acl, grant: g, topic: "t", now: exp.Add(time.Second), allow: false},
		{id: "JWT-ACL-08", acl: newACL, grant: g, act: Subscribe, topic: "x", now: exp.Add(time.Hour), allow: false},
		// Expired rules deny even what no_match would allow.
		{id: "JWT-EXP-02", acl: newACL, grant: g, topic: "other", now: exp.Add(time.Hour), allow: false},
		{id: "JWT-EXP-02", acl: newACL, grant: g, topic: "other", now: exp.Add(-time.Second), allow: true},
		// No exp: the rules never expire (JWT-CLAIM-04).
		{id: "JWT-ACL-08", acl: acl, topic: "t", now: t0.Add(100 * 365 * 24 * time.Hour), allow: true},
		// A14: a fractional exp makes the rules deny everything at once.
		{id: "JWT-ACL-08", acl: acl, grant: Grant{ExpireAt: exp, ExpireNotInteger: true}, topic: "t", allow: false},
		// The superuser check comes before the expiry.
		{id: "JWT-HMAC-07", acl: acl, grant: Grant{Superuser: true, ExpireAt: exp}, topic: "x", now: exp.Add(time.Hour), allow: true},
		// A client without rules has nothing to expire.
		{id: "JWT-ACL-07", grant: g, topic: "x", now: exp.Add(time.Hour), allow: true},
	})
}

func TestUnknownActionIsDenied(t *testing.T) {
	req := ask{grant: Grant{Superuser: true}, topic: "t"}.request(t)
	req.Action = 7
	if d := Authorize(req); d.Allow || !strings.Contains(d.Reason, "action(7)") {
		t.Fatalf("got %v", d)
	}
}

func TestRulesExpiryConversion(t *testing.T) {
	cases := []struct {
		in         any
		want       int64
		notInteger bool
		bad        bool
	}{
		{json.Number("1800000010"), 1800000010, false, false},
		{"1800000010", 1800000010, false, false},
		{float64(1800000010), 1800000010, false, false},
		{json.Number("1800000010.5"), 1800000010, true, false},
		{json.Number("1800000010.0"), 1800000010, true, false},
		{"17.5", 17, true, false},
		{1800000010.25, 1800000010, true, false},
		{true, 0, false, true},
		{"soon", 0, false, true},
		{nil, 0, false, true},
	}
	for _, c := range cases {
		at, frac, err := RulesExpiry(c.in)
		if (err != nil) != c.bad {
			t.Errorf("RulesExpiry(%#v) error %v, want bad=%v", c.in, err, c.bad)
			continue
		}
		if err == nil && (at.Unix() != c.want || frac != c.notInteger) {
			t.Errorf("RulesExpiry(%#v) = %v, %v; want %d, %v", c.in, at.Unix(), frac, c.want, c.notInteger)
		}
	}
}

func TestDecisionReasons(t *testing.T) {
	acl := `[{"permission": "allow", "action": "pub", "topic": "t/#"}]`
	cases := []struct {
		a    ask
		want string
	}{
		{ask{grant: Grant{Superuser: true}, topic: "x"}, "superuser"},
		{ask{acl: acl, topic: "t/1"}, `token rule 1 (allow publish ["t/#"])`},
		{ask{acl: acl, topic: "u"}, "no_match: allow"},
		{ask{acl: acl, topic: "u", settings: sourceDenyAll}, "source 1 (file) rule 1 (deny all [\"all\"])"},
		{ask{acl: `{}`, topic: "u"}, "old format"},
		{ask{acl: acl, topic: "t", grant: Grant{ExpireAt: t0.Add(-time.Hour)}}, "expired"},
	}
	for _, c := range cases {
		d := Authorize(c.a.request(t))
		if !strings.Contains(d.Reason, c.want) {
			t.Errorf("reason %q, want it to contain %q", d.Reason, c.want)
		}
		if !strings.HasPrefix(d.String(), "allow: ") && !strings.HasPrefix(d.String(), "deny: ") {
			t.Errorf("String() = %q", d.String())
		}
	}
}

func BenchmarkAuthorize(b *testing.B) {
	acl := `[
	 {"permission": "deny", "action": "all", "topic": "$SYS/#"},
	 {"permission": "allow", "action": "pub", "topic": "devices/${clientid}/telemetry", "qos": [0, 1]},
	 {"permission": "allow", "action": "sub", "topic": "devices/${clientid}/commands/#"},
	 {"permission": "allow", "action": "all", "topic": "tenants/${client_attrs.tenant}/+/status"},
	 {"permission": "deny", "action": "pub", "topic": "broadcast/#", "retain": true},
	 {"permission": "allow", "action": "sub", "topics": ["broadcast/#", "eq alerts/#"]},
	 {"permission": "allow", "action": "all", "topic": "users/${username}/#", "username_re": "^user-"},
	 {"permission": "allow", "action": "all", "topic": "lan/#", "ipaddr": "10.0.0.0/8"},
	 {"permission": "allow", "action": "pub", "topic": "zones/${zone}/+", "listener": "tcp:default"},
	 {"permission": "allow", "action": "all", "topic": "shared/+/data/#"}
	]`
	a := ask{
		acl:      acl,
		client:   clientinfo.Client{ClientID: "dev-42", Username: "user-42", PeerHost: "10.1.2.3", ClientAttrs: map[string]string{"tenant": "acme"}},
		topic:    "shared/x/data/y/z", // decided by the last rule
		qos:      1,
		settings: denyAll,
	}
	req := a.request(b)
	b.ReportAllocs()
	for b.Loop() {
		if !Authorize(req).Allow {
			b.Fatal("denied")
		}
	}
}
