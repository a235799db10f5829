package scramdrive

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/scram"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// Checks and helpers that need no network.

func TestMethodAndAlg(t *testing.T) {
	cases := []struct {
		method     string
		configured scram.Algorithm
		want       string
		alg        scram.Algorithm
	}{
		{"", scram.SHA512, "SCRAM-SHA-512", scram.SHA512},
		{"SCRAM-SHA-512", scram.SHA256, "SCRAM-SHA-512", scram.SHA512},
		{"SCRAM-SHA-1", scram.SHA256, "SCRAM-SHA-1", scram.SHA256},
	}
	for _, c := range cases {
		m, alg := MethodAndAlg(Attempt{Method: c.method}, c.configured)
		if m != c.want || alg != c.alg {
			t.Errorf("%q over %v: expected %s/%v, got %s/%v", c.method, c.configured, c.want, c.alg, m, alg)
		}
	}
}

func TestMalformNamesTheMessageItBreaks(t *testing.T) {
	var a Attempt
	if err := a.Malform("client-final", string(scramclient.FinalNonceMismatch)); err != nil || a.FinalBroken != scramclient.FinalNonceMismatch {
		t.Errorf("expected the client-final broken, got %+v (%v)", a, err)
	}
	if err := a.Malform("client-first", string(scramclient.FinalNonceMismatch)); err == nil {
		t.Error("expected a client-final malformation refused for the client-first message")
	}
	if err := a.Malform("client-first", "no-such-thing"); err == nil || !strings.Contains(err.Error(), "unknown SCRAM malformation") {
		t.Errorf("expected an unknown malformation refused, got %v", err)
	}
}

// A re-signed malformed client-final message carries a proof that a
// server skipping only the nonce check would accept: the proof verifies
// over the message as sent.
func TestResignedFinalVerifiesOverWhatIsSent(t *testing.T) {
	creds, err := scram.NewCredentials(scram.SHA256, "p", []byte("salt-bytes"), 64)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := scram.NewServer(scram.SHA256, scram.SkipNonceCheck())
	conv, _ := scram.NewClient(scram.SHA256, "u", "p")
	if _, err := srv.ReadClientFirst(conv.First()); err != nil {
		t.Fatal(err)
	}
	serverFirst, err := srv.ServerFirst(creds)
	if err != nil {
		t.Fatal(err)
	}
	x := &Exchange{Algorithm: scram.SHA256, password: "p", conv: conv, user: "u"}
	final, err := Attempt{FinalBroken: scramclient.FinalNonceMismatch}.clientFinal(x, serverFirst)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(final), "x,p=") {
		t.Fatalf("expected the changed nonce in %q", final)
	}
	if _, err := srv.ReadClientFinal(final); err != nil {
		t.Fatalf("expected a server that skips the nonce check to accept the re-signed proof: %v", err)
	}
	// A malformation that is not re-signed (a proof of the wrong length)
	// is sent as broken.
	x.conv, _ = scram.NewClient(scram.SHA256, "u", "p")
	srv2, _ := scram.NewServer(scram.SHA256)
	_, _ = srv2.ReadClientFirst(x.conv.First())
	sf2, _ := srv2.ServerFirst(creds)
	short, err := Attempt{FinalBroken: scramclient.FinalShortProof}.clientFinal(x, sf2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv2.ReadClientFinal(short); err == nil {
		t.Fatal("expected a short proof to be refused")
	}
}

func TestAuthenticatorSettings(t *testing.T) {
	chain := []target.Applied{
		{Config: map[string]any{"mechanism": "jwt"}},
		{Config: map[string]any{"mechanism": "scram", "backend": "http", "algorithm": "sha512", "iteration_count": json.Number("8192")}},
	}
	s, err := AuthenticatorSettings(chain)
	if err != nil || s.Algorithm != scram.SHA512 || s.Iterations != 8192 {
		t.Errorf("expected sha512 and 8192, got %+v %v", s, err)
	}
	s, err = AuthenticatorSettings(chain[:1])
	if err != nil || s.Algorithm != scram.SHA256 || s.Iterations != 4096 {
		t.Errorf("expected EMQX's defaults without a SCRAM authenticator, got %+v %v", s, err)
	}
	chain[1].Config["iteration_count"] = json.Number("0")
	if _, err := AuthenticatorSettings(chain); err == nil {
		t.Error("expected an error for a zero iteration_count")
	}
	chain[1].Config["algorithm"] = "md5"
	if _, err := AuthenticatorSettings(chain); err == nil {
		t.Error("expected an error for an unknown algorithm")
	}
}

func TestRenderMillis(t *testing.T) {
	now := time.Unix(1_800_000_000, 250_000_000)
	cases := map[string]string{
		"NOW_MS":           "1800000000250",
		"NOW_MS+1000":      "1800000001250",
		`"NOW_MS-250"`:     `"1800000000000"`,
		"NOW+60":           "NOW+60",
		`[NOW_MS, NOW_MS]`: "[1800000000250, 1800000000250]",
	}
	for text, want := range cases {
		if got := RenderMillis(text, now); got != want {
			t.Errorf("%s: expected %s, got %s", text, want, got)
		}
	}
}

func TestUsersGetAddsOnce(t *testing.T) {
	var us Users
	a := us.Get("a")
	a.Password = "p"
	if us.Get("a") != a || len(us) != 1 || us.Get("b") == a || len(us) != 2 {
		t.Errorf("expected one user per name, got %d", len(us))
	}
	if !us.ExpireAt("a").IsZero() {
		t.Error("expected no expire_at before a push")
	}
}

func TestRequestChecks(t *testing.T) {
	r := scrambackend.Request{
		Method: "POST", Path: "/auth", RawQuery: "clientid=c1&peer=10.0.0.1",
		Header: http.Header{"Content-Type": {"application/json"}, "X-Twice": {"a", "b"}},
		Body:   []byte(`{"username": "u", "clientid": "c1"}`),
	}
	c, err := LastRequest([]scrambackend.Request{{Method: "GET"}, r}, Placeholders{ClientID: "c1", ClientAddress: "10.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	wantPass(t, "method", c.MethodPath("POST", "/auth"))
	wantPass(t, "query prefix", c.QueryPrefix("clientid=<client ID>"))
	wantMismatch(t, "other query prefix", c.QueryPrefix("peer="))
	wantPass(t, "query parameter", c.QueryParam("peer", "<client address>"))
	wantMismatch(t, "missing parameter", c.QueryParam("username", "u"))
	wantPass(t, "JSON body", c.JSONBody(`{"clientid": "<client ID>", "username": "u"}`))
	wantMismatch(t, "other JSON body", c.JSONBody(`{"username": "u"}`))
	if err := c.JSONBody(`not json`); err == nil {
		t.Error("expected an expected body that is not JSON to be an error")
	} else if _, ok := verify.As(err); ok {
		t.Errorf("expected the scenario's defect, not a Mismatch: %v", err)
	}
	wantMismatch(t, "body byte for byte", c.Body(`{"username":"u","clientid":"c1"}`))
	wantPass(t, "header", c.Header("Content-Type", "application/json"))
	wantMismatch(t, "header twice", c.Header("X-Twice", "a"))
	wantMismatch(t, "present header", c.NoHeader("X-Twice"))
	wantPass(t, "absent header", c.NoHeader("Authorization"))
}
