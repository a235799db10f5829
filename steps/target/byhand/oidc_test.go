package byhand

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/reports"
)

// A broker configured by hand with the suite's OIDC provider: its endpoint
// is the provider's jwks_uri at serve.oidc_listen, its verify_claims name
// the provider's issuer and the broker's audience. The JWKS scenarios do
// not apply to it (its endpoint is not the suite's JWKS endpoint).
func TestByHandOIDCBroker(t *testing.T) {
	oidc := freeAddr(t)
	chain := fmt.Sprintf(`{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "http://%s/keys", "refresh_interval": 1,
	  "verify_claims": {"iss": "http://%s", "aud": "plant-7-broker"}}`, oidc, oidc)
	s := judgeByHand(t, "["+chain+"]", "  - "+chain+"\n", fmt.Sprintf("{oidc_listen: %q}", oidc),
		"JWT-OIDC-01", "JWT-OIDC-02", "JWT-OIDC-03", "JWT-JWKS-01")
	for _, id := range []string{"JWT-OIDC-01", "JWT-OIDC-02", "JWT-OIDC-03"} {
		if v := s.IDs[id].Verdict; v != reports.VerdictPass {
			t.Errorf("%s: %s %s, want pass", id, v, s.IDs[id].Message)
		}
	}
	if r := s.IDs["JWT-JWKS-01"]; r.Verdict != reports.VerdictNotApplicable {
		t.Errorf("JWT-JWKS-01: %s %s, want not applicable (the broker fetches from the OIDC provider)", r.Verdict, r.Message)
	}
}

func TestByHandOIDCDeclarationErrors(t *testing.T) {
	cases := []struct{ name, auth, want string }{
		{"no iss", `{mechanism: jwt, use_jwks: true, endpoint: "http://127.0.0.1:18100/keys", verify_claims: {aud: b}}`,
			"checks iss (http://127.0.0.1:18100, the provider's issuer) and aud"},
		{"iss elsewhere", `{mechanism: jwt, use_jwks: true, endpoint: "http://127.0.0.1:18100/keys", verify_claims: {iss: "http://127.0.0.1:9", aud: b}}`,
			"checks iss"},
		{"not jwks_uri", `{mechanism: jwt, use_jwks: true, endpoint: "http://127.0.0.1:18100/jwks", verify_claims: {iss: "http://127.0.0.1:18100", aud: b}}`,
			"publishes its keys at http://127.0.0.1:18100/keys"},
	}
	for _, c := range cases {
		p, err := profile.Parse([]byte("name: x\nmqtt: {url: tcp://127.0.0.1:1883}\nconfigure: by-hand\nauthentication:\n  - "+c.auth+"\n"), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := New(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to say %q", c.name, err, c.want)
		}
	}
}
