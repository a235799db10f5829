package authz

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/authspec/authspec/reference/clientinfo"
)

// FuzzTokenACL parses arbitrary JSON as a token's acl claim (attacker
// controlled once the token verifies, and in SCRAM answers): it must never
// panic, and rules it accepts must answer any check without panicking.
func FuzzTokenACL(f *testing.F) {
	for _, s := range []string{
		`{"pub":["a/#"],"sub":["b/+"],"all":["c"]}`,
		`[{"permission":"allow","action":"publish","topic":"t/${clientid}"}]`,
		`[{"permission":"deny","action":"subscribe","topic":"eq t/#","qos":[0,1]}]`,
		`[{"permission":"allow","action":"all","topics":["a","b"],"retain":true}]`,
		`[{"permission":"allow","action":"publish","topic":"${client_attrs.x}/#","qos":2}]`,
		`[{"permission":"allow"}]`, `[1, null, "x"]`, `{}`, `[]`, `{"pub":"a"}`, `{"exp":1}`,
	} {
		f.Add([]byte(s), "a/b", byte(1))
	}
	f.Fuzz(func(t *testing.T, doc []byte, topic string, qos byte) {
		var v any
		if json.Unmarshal(doc, &v) != nil {
			return
		}
		rules, err := Parser{}.TokenACL(v)
		if err != nil || rules == nil {
			return
		}
		for _, action := range []Action{Publish, Subscribe} {
			Authorize(Request{
				Client: clientinfo.Client{ClientID: "c", Username: "u", PeerHost: "127.0.0.1", ClientAttrs: map[string]string{"x": "y"}},
				Grant:  Grant{Rules: rules},
				Action: action, Topic: topic, QoS: qos % 3, Now: time.Unix(1700000000, 0), Settings: DefaultSettings(),
			})
		}
	})
}
