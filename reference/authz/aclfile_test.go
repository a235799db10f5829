package authz

import (
	"strings"
	"testing"

	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/security"
)

// EMQX's shipped acl.conf (apps/emqx_auth/etc/acl.conf), comments included.
const emqxDefaultACL = `%%--------------------------------------------------------------------
%% -type(ipaddr() :: {ipaddr, string()}).
%%--------------------------------------------------------------------

{allow, {username, {re, "^dashboard$"}}, subscribe, ["$SYS/#"]}.

{allow, {ipaddr, "127.0.0.1"}, all, ["$SYS/#", "#"]}.

{deny, all, subscribe, ["$SYS/#", {eq, "#"}]}.

{allow, all}.
%% NOTE! when deploy in production:
%% - Change the last rule to {deny, all}.
`

func fileSettings(rules string) string {
	q := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(rules)
	return `{"no_match": "deny", "sources": [{"type": "file", "rules": "` + q + `"}]}`
}

func TestACLFileDefault(t *testing.T) {
	s := fileSettings(emqxDefaultACL)
	local := clientinfo.Client{PeerHost: "127.0.0.1"}
	remote := clientinfo.Client{PeerHost: "10.0.0.9"}
	dash := clientinfo.Client{PeerHost: "10.0.0.9", Username: "dashboard"}
	runAsks(t, []ask{
		{id: "JWT-ACL-06", client: dash, act: Subscribe, topic: "$SYS/brokers", settings: s, allow: true},
		{id: "JWT-ACL-06", client: remote, act: Subscribe, topic: "$SYS/brokers", settings: s, allow: false},
		{id: "JWT-ACL-06", client: local, act: Subscribe, topic: "#", settings: s, allow: true},
		{id: "JWT-ACL-06", client: remote, act: Subscribe, topic: "#", settings: s, allow: false},
		{id: "JWT-ACL-06", client: remote, act: Subscribe, topic: "a/#", settings: s, allow: true},
		{id: "JWT-ACL-06", client: remote, topic: "$SYS/x", settings: s, allow: true},
	})
}

func TestACLFileForms(t *testing.T) {
	rules := `
% users
{allow, {user, "alice"}, publish, ["a/${username}"]}.
{allow, {'and', [{clientid, {re, "^dev-"}}, {zone, default}]}, {publish, [{qos, [0, 1]}, {retain, false}]}, [<<"dev/#">>]}.
{allow, {'or', [{listener, "ssl:default"}, {client_attr, "role", {re, "^adm"}}]}, all, all}.
{allow, {ipaddrs, ["10.0.0.0/8", "::1"]}, {subscribe, [{qos, 2}]}, ["lan/+"]}.
{deny, {security_profile, hardened}}.
{allow, {client_attr, "tier", "gold"}, all, [{eq, "gold/#"}, "eq x/+"]}.
`
	s := fileSettings(rules)
	retainFirst := `{"sources": [{"type": "file", "rules": "{deny, all, {all, [{retain, true}, {retain, false}]}, [\"r/#\"]}."}]}`
	runAsks(t, []ask{
		{id: "JWT-ACL-06", client: clientinfo.Client{Username: "alice"}, topic: "a/alice", settings: s, allow: true},
		{id: "JWT-ACL-06", client: clientinfo.Client{Username: "bob"}, topic: "a/bob", settings: s, allow: false},
		{id: "JWT-ACL-06", client: clientinfo.Client{ClientID: "dev-1"}, topic: "dev/t", qos: 1, settings: s, allow: true},
		{id: "JWT-ACL-06", client: clientinfo.Client{ClientID: "dev-1"}, topic: "dev/t", qos: 2, settings: s, allow: false},
		{id: "JWT-ACL-06", client: clientinfo.Client{ClientID: "dev-1"}, topic: "dev/t", retain: true, settings: s, allow: false},
		{id: "JWT-ACL-06", client: clientinfo.Client{ClientID: "dev-1", Zone: "z2"}, topic: "dev/t", settings: s, allow: false},
		{id: "JWT-ACL-06", client: clientinfo.Client{Listener: "ssl:default"}, act: Subscribe, topic: "$SYS/#", settings: s, allow: true},
		{id: "JWT-ACL-06", client: clientinfo.Client{ClientAttrs: map[string]string{"role": "admin"}}, topic: "z", settings: s, allow: true},
		{id: "JWT-ACL-06", client: clientinfo.Client{PeerHost: "10.2.3.4"}, act: Subscribe, topic: "lan/x", qos: 2, settings: s, allow: true},
		{id: "JWT-ACL-06", client: clientinfo.Client{PeerHost: "::1"}, act: Subscribe, topic: "lan/x", qos: 1, settings: s, allow: false},
		{id: "JWT-ACL-06", client: clientinfo.Client{PeerHost: "::1"}, act: Subscribe, topic: "lan/x", qos: 2, settings: s, allow: true},
		{id: "JWT-ACL-06", topic: "lan/x", profile: security.Hardened, settings: `{"sources": [{"type": "file", "rules": "{deny, {security_profile, hardened}}."}]}`, allow: false},
		{id: "JWT-ACL-06", topic: "lan/x", settings: `{"sources": [{"type": "file", "rules": "{deny, {security_profile, hardened}}."}]}`, allow: true},
		// proplists:get_value/2 takes the first retain option.
		{id: "JWT-ACL-11", topic: "r/x", retain: true, settings: retainFirst, allow: false},
		{id: "JWT-ACL-11", topic: "r/x", retain: false, settings: retainFirst, allow: true},
		// retain never narrows a subscription, so the rule denies it.
		{id: "JWT-ACL-11", act: Subscribe, topic: "r/x", settings: retainFirst, allow: false},
		{id: "JWT-ACL-04", client: clientinfo.Client{ClientAttrs: map[string]string{"tier": "gold"}}, act: Subscribe, topic: "gold/#", settings: s, allow: true},
		{id: "JWT-ACL-04", client: clientinfo.Client{ClientAttrs: map[string]string{"tier": "gold"}}, act: Subscribe, topic: "gold/x", settings: s, allow: false},
		{id: "JWT-ACL-04", client: clientinfo.Client{ClientAttrs: map[string]string{"tier": "gold"}}, topic: "x/+", settings: s, allow: true},
	})
}

func TestACLFileErrors(t *testing.T) {
	cases := []struct{ text, want string }{
		{`{allow, all}`, "line 1: expected '.'"},
		{"\n\n{allow, all, publish}.", "line 3"},
		{`{permit, all}.`, "permission must be allow or deny"},
		{`{allow, {username, "x"}}.`, "two-element form"},
		{`{allow, {username, {re, "("}}, all, ["#"]}.`, "invalid pattern"},
		{`{allow, {ipaddr, "1.2.3.4/40"}, all, ["#"]}.`, "not an address or CIDR"},
		{`{allow, all, unsubscribe, ["#"]}.`, "action must be publish, subscribe or all"},
		{`{allow, all, {publish, [{qos, 3}]}, ["#"]}.`, "qos must be 0, 1 or 2"},
		{`{allow, all, {publish, [{retain, maybe}]}, ["#"]}.`, "retain must be"},
		{`{allow, all, all, "#"}.`, "topics must be all or a list"},
		{`{allow, all, all, [foo]}.`, "a topic must be a string"},
		{`{allow, {security_profile, strict}}.`, "security_profile must be"},
		{`{allow, {peer, "x"}, all, ["#"]}.`, "unknown who"},
		{`{allow, all, all, ["unterminated]}.`, "unterminated"},
		{`{allow, all, all, ["a\qb"]}.`, "unsupported escape"},
		{`{allow, all, all, [#]}.`, "unexpected '#'"},
		{strings.Repeat("[", 200), "nested deeper"},
		{`{allow, {'and', ` + strings.Repeat(`[{'or', `, 70) + `]}, all, ["#"]}.`, "nested"},
	}
	for _, c := range cases {
		_, err := ParseACLFile(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.text, err, c.want)
		}
	}
}

func TestACLFileEmptyAndComments(t *testing.T) {
	for _, text := range []string{"", "% nothing\n", "  \n\t"} {
		rules, err := ParseACLFile(text)
		if err != nil || len(rules) != 0 {
			t.Errorf("%q: %v, %v", text, rules, err)
		}
	}
	rules, err := ParseACLFile(`{deny, all, all, ["a\"b", 'quoted atom' ]}.`)
	if err == nil {
		t.Fatalf("an atom as a topic must be refused, got %v", rules)
	}
	rules, err = ParseACLFile(`{deny, all, all, ["a\"b", "t\tu\\v\nw\s"]}. % trailing`)
	if err != nil || len(rules) != 1 || rules[0].topics[0].text != `a"b` || rules[0].topics[1].text != "t\tu\\v\nw " {
		t.Fatalf("escapes: %v, %v", rules, err)
	}
}
