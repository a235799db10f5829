package steps

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// A by-hand broker checking {jid: "${username}@localhost"} stands in for a
// scenario's {bound: "${username}"}.
func standInMint(claims map[string]string, dropped ...string) *mint {
	auth := hmacAuth(map[string]any{"verify_claims": map[string]any{"jid": "${username}@localhost"}})
	auth.ClaimStandIns = map[string]target.ClaimStandIn{"bound": {Declared: "jid", Template: "${username}"}}
	spec := newTokenSpec()
	for k, v := range claims {
		spec.claims[k] = v
	}
	for _, d := range dropped {
		spec.dropped[d] = true
	}
	return &mint{auth: auth, keys: tokens.NewKeyring(), now: time.Unix(1719830400, 0), clientID: "client-a", username: "user-a", spec: spec}
}

func TestStandInKeepsARightValueRight(t *testing.T) {
	tok, err := standInMint(map[string]string{"bound": `"user-a"`}).build()
	if err != nil {
		t.Fatal(err)
	}
	c := decodeClaims(t, tok)
	if c["jid"] != "user-a@localhost" || c["bound"] != nil {
		t.Errorf("claims %v: want the declared jid as rendered and no bound claim", c)
	}
}

func TestStandInCarriesAWrongValue(t *testing.T) {
	for value, want := range map[string]any{`"user-b"`: "user-b", `123`: float64(123), `["user-a"]`: []any{"user-a"}} {
		tok, err := standInMint(map[string]string{"bound": value}).build()
		if err != nil {
			t.Fatal(err)
		}
		c := decodeClaims(t, tok)
		if got := c["jid"]; canonicalJSON(got) != canonicalJSON(want) {
			t.Errorf("%s: jid %v, want %v", value, got, want)
		}
	}
}

func TestStandInDropsTheDeclaredClaim(t *testing.T) {
	tok, err := standInMint(nil, "bound").build()
	if err != nil {
		t.Fatal(err)
	}
	if c := decodeClaims(t, tok); c["jid"] != nil {
		t.Errorf("jid %v: dropping the scenario's claim drops its stand-in", c["jid"])
	}
}

func TestStandInRefusesAWrongValueThatIsRight(t *testing.T) {
	_, err := standInMint(map[string]string{"bound": `"user-a@localhost"`}).build()
	if _, ok := target.AsNotApplicable(err); !ok {
		t.Errorf("got %v, want not applicable", err)
	}
}

func TestKeptClaimsAreLeftAlone(t *testing.T) {
	auth := hmacAuth(map[string]any{"verify_claims": map[string]any{"jid": "${username}@localhost"}})
	auth.KeptClaims = []string{"jid"}
	spec := newTokenSpec()
	spec.claims["jid"] = `"other"`
	m := &mint{auth: auth, keys: tokens.NewKeyring(), now: time.Now(), clientID: "c", username: "u", spec: spec}
	_, err := m.build()
	if reason, ok := target.AsNotApplicable(err); !ok || !strings.Contains(reason, `"jid" claim, which the broker's verify_claims checks`) {
		t.Errorf("got %v", err)
	}
	spec.claims = map[string]string{}
	tok, err := m.build()
	if err != nil {
		t.Fatal(err)
	}
	if c := decodeClaims(t, tok); c["jid"] != "u@localhost" {
		t.Errorf("jid %v, want the kept claim rendered", c["jid"])
	}
}

func canonicalJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
