package forge

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
func standInMint(claims map[string]string, dropped ...string) *Mint {
	auth := hmacAuth(map[string]any{"verify_claims": map[string]any{"jid": "${username}@localhost"}})
	auth.ClaimStandIns = map[string]target.ClaimStandIn{"bound": {Declared: "jid", Template: "${username}", DeclaredTemplate: "${username}@localhost"}}
	spec := NewSpec()
	for k, v := range claims {
		spec.Claims[k] = v
	}
	for _, d := range dropped {
		spec.Dropped[d] = true
	}
	return &Mint{Auth: auth, Keys: tokens.NewKeyring(), Now: time.Unix(1719830400, 0), ClientID: "client-a", Username: "user-a", Spec: spec}
}

func TestStandInKeepsARightValueRight(t *testing.T) {
	tok, err := standInMint(map[string]string{"bound": `"user-a"`}).Build()
	if err != nil {
		t.Fatal(err)
	}
	c := decodeClaims(t, tok)
	if c["jid"] != "user-a@localhost" || c["bound"] != nil {
		t.Errorf("claims %v: want the declared jid as rendered and no bound claim", c)
	}
}

func TestStandInCarriesAWrongValue(t *testing.T) {
	for value, want := range map[string]any{
		`"user-b"`:        "user-b@localhost",      // another client's value
		`"${username}"`:   "${username}@localhost", // the template unrendered
		`"USER-A"`:        "USER-A@localhost",      // another case: another user's
		`"other@x"`:       "other@x@localhost",     // any other value: another user's
		`123`:             float64(123),            // a number that does not read as the value
		`["user-a"]`:      []any{"user-a@localhost"},
		`{"v": "user-a"}`: map[string]any{"v": "user-a@localhost"},
	} {
		tok, err := standInMint(map[string]string{"bound": value}).Build()
		if err != nil {
			t.Fatal(err)
		}
		c := decodeClaims(t, tok)
		if got := c["jid"]; canonicalJSON(got) != canonicalJSON(want) {
			t.Errorf("%s: jid %v, want %v", value, got, want)
		}
	}
}

// A value the declared claim cannot carry with its meaning makes the
// scenario not applicable rather than a pass that proves nothing.
func TestStandInThatCannotFailIsNotApplicable(t *testing.T) {
	auth := hmacAuth(map[string]any{"verify_claims": map[string]any{"sub": "${username}-${clientid}"}})
	auth.ClaimStandIns = map[string]target.ClaimStandIn{"uid": {Declared: "sub", Template: "123", DeclaredTemplate: "${username}-${clientid}"}}
	for value, want := range map[string]string{
		`123`:  "the scenario's number 123 reads as its expected \"123\"",
		`true`: "", // does not read as "123": carried as it is
	} {
		spec := NewSpec()
		spec.Claims["uid"] = value
		m := &Mint{Auth: auth, Keys: tokens.NewKeyring(), Now: time.Now(), ClientID: "c", Username: "u", Spec: spec}
		_, err := m.Build()
		reason, na := target.AsNotApplicable(err)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", value, err)
		case want != "" && (!na || !strings.Contains(reason, want)):
			t.Errorf("%s: got %v, want not applicable: %s", value, err, want)
		}
	}
	// A declared value that is a number's text stands for a number.
	auth.ClaimStandIns["uid"] = target.ClaimStandIn{Declared: "sub", Template: "123", DeclaredTemplate: "42"}
	spec := NewSpec()
	spec.Claims["uid"] = "123"
	tok, err := (&Mint{Auth: auth, Keys: tokens.NewKeyring(), Now: time.Now(), ClientID: "c", Username: "u", Spec: spec}).Build()
	if err != nil {
		t.Fatal(err)
	}
	if c := decodeClaims(t, tok); c["sub"] != float64(42) {
		t.Errorf("sub %v, want the number 42", c["sub"])
	}
	// Another client's value where the declared template does not depend
	// on what differs.
	auth.ClaimStandIns["uid"] = target.ClaimStandIn{Declared: "sub", Template: "${clientid}", DeclaredTemplate: "${username}"}
	spec.Claims["uid"] = `"client-b"`
	_, err = (&Mint{Auth: auth, Keys: tokens.NewKeyring(), Now: time.Now(), ClientID: "c", Username: "u", Spec: spec}).Build()
	if _, na := target.AsNotApplicable(err); !na {
		t.Errorf("got %v, want not applicable", err)
	}
}

// A look-alike of the scenario's claim is the same look-alike of the
// declared one (the negative twins of JWT-VC-03, JWT-VC-04).
func TestStandInLookAlike(t *testing.T) {
	m := standInMint(map[string]string{"Bound": `"user-a"`}, "bound")
	tok, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	c := decodeClaims(t, tok)
	if c["Jid"] != "user-a@localhost" || c["jid"] != nil || c["Bound"] != nil {
		t.Errorf("claims %v: want Jid as rendered, no jid, no Bound", c)
	}
}

func TestStandInDropsTheDeclaredClaim(t *testing.T) {
	tok, err := standInMint(nil, "bound").Build()
	if err != nil {
		t.Fatal(err)
	}
	if c := decodeClaims(t, tok); c["jid"] != nil {
		t.Errorf("jid %v: dropping the scenario's claim drops its stand-in", c["jid"])
	}
}

func TestStandInRefusesAWrongValueThatIsRight(t *testing.T) {
	auth := hmacAuth(map[string]any{"verify_claims": map[string]any{"jid": "${username}@localhost"}})
	auth.ClaimStandIns = map[string]target.ClaimStandIn{"tenant": {Declared: "jid", Template: "acme", DeclaredTemplate: "${username}@localhost"}}
	for value, want := range map[string]any{
		`"user-a@localhost"`: nil, // wrong for acme, right for jid: not applicable
		`"ACME"`:             "USER-A@LOCALHOST",
		`"other"`:            "other",
	} {
		spec := NewSpec()
		spec.Claims["tenant"] = value
		tok, err := (&Mint{Auth: auth, Keys: tokens.NewKeyring(), Now: time.Now(), ClientID: "client-a", Username: "user-a", Spec: spec}).Build()
		if want == nil {
			if _, ok := target.AsNotApplicable(err); !ok {
				t.Errorf("%s: got %v, want not applicable", value, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if c := decodeClaims(t, tok); c["jid"] != want {
			t.Errorf("%s: jid %v, want %v", value, c["jid"], want)
		}
	}
}

func TestKeptClaimsAreLeftAlone(t *testing.T) {
	auth := hmacAuth(map[string]any{"verify_claims": map[string]any{"jid": "${username}@localhost"}})
	auth.KeptClaims = []string{"jid"}
	spec := NewSpec()
	spec.Claims["jid"] = `"other"`
	m := &Mint{Auth: auth, Keys: tokens.NewKeyring(), Now: time.Now(), ClientID: "c", Username: "u", Spec: spec}
	_, err := m.Build()
	if reason, ok := target.AsNotApplicable(err); !ok || !strings.Contains(reason, `"jid" claim, which the broker's verify_claims checks`) {
		t.Errorf("got %v", err)
	}
	spec.Claims = map[string]string{}
	tok, err := m.Build()
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
