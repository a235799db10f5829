package steps

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/scram"
	"github.com/authspec/authspec/steps/target"
)

func TestAnswerValue(t *testing.T) {
	now := time.Unix(1_800_000_000, 250_000_000)
	cases := map[string]any{
		`true`:               true,
		`"1"`:                "1",
		`NOW+60`:             json.Number("1800000060"),
		`NOW-60`:             json.Number("1799999940"),
		`NOW+3600.5`:         json.Number("1800003600.5"),
		`"NOW+60"`:           "1800000060",
		`NOW_MS+1000`:        json.Number("1800000001250"),
		`{"tenant": "acme"}`: map[string]any{"tenant": "acme"},
	}
	for text, want := range cases {
		got, err := answerValue(text, now)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("%s: expected %s, got %s", text, wb, gb)
		}
	}
	if _, err := answerValue(`{"open": `, now); err == nil {
		t.Error("expected an error for text that is not JSON")
	}
}

func TestScramMethodAndAlg(t *testing.T) {
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
		m, alg := scramMethodAndAlg(scramAttempt{method: c.method}, c.configured)
		if m != c.want || alg != c.alg {
			t.Errorf("%q over %v: expected %s/%v, got %s/%v", c.method, c.configured, c.want, c.alg, m, alg)
		}
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
	first, err := srv.ReadClientFirst(conv.First())
	if err != nil {
		t.Fatal(err)
	}
	serverFirst, err := srv.ServerFirst(creds)
	if err != nil {
		t.Fatal(err)
	}
	x := &scramExchange{alg: scram.SHA256, password: "p", conv: conv, user: first.User}
	final, err := scramAttempt{finalBroken: scramclient.FinalNonceMismatch}.clientFinal(x, serverFirst)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(final), "x,p=") {
		t.Fatalf("expected the changed nonce in %q", final)
	}
	if _, err := srv.ReadClientFinal(final); err != nil {
		t.Fatalf("expected a server that skips the nonce check to accept the re-signed proof: %v", err)
	}
	// Without re-signing (a proof of the wrong length is sent as broken)
	// the message is left alone.
	x.conv, _ = scram.NewClient(scram.SHA256, "u", "p")
	srv2, _ := scram.NewServer(scram.SHA256)
	_, _ = srv2.ReadClientFirst(x.conv.First())
	sf2, _ := srv2.ServerFirst(creds)
	short, err := scramAttempt{finalBroken: scramclient.FinalShortProof}.clientFinal(x, sf2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv2.ReadClientFinal(short); err == nil {
		t.Fatal("expected a short proof to be refused")
	}
}

func TestQuotedMethod(t *testing.T) {
	if got := quotedMethod(`Authentication-Method "SCRAM-SHA-512"`); got != "SCRAM-SHA-512" {
		t.Errorf("got %q", got)
	}
	if got := quotedMethod("no Authentication-Method"); got != "" {
		t.Errorf("got %q", got)
	}
}

func TestScramAuthenticatorSettings(t *testing.T) {
	chain := []target.Applied{
		{Config: map[string]any{"mechanism": "jwt"}},
		{Config: map[string]any{"mechanism": "scram", "backend": "http", "algorithm": "sha512", "iteration_count": json.Number("8192")}},
	}
	alg, n, err := scramAuthenticatorSettings(chain)
	if err != nil || alg != scram.SHA512 || n != 8192 {
		t.Errorf("expected sha512 and 8192, got %v %d %v", alg, n, err)
	}
	alg, n, err = scramAuthenticatorSettings(chain[:1])
	if err != nil || alg != scram.SHA256 || n != 4096 {
		t.Errorf("expected EMQX's defaults without a SCRAM authenticator, got %v %d %v", alg, n, err)
	}
	chain[1].Config["algorithm"] = "md5"
	if _, _, err := scramAuthenticatorSettings(chain); err == nil {
		t.Error("expected an error for an unknown algorithm")
	}
}
