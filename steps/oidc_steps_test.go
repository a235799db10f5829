package steps

import (
	"context"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/oidcdrive"
)

// A provider that fails ends the token step in error (not fail: the
// provider is the harness's), with its answer in the message, and never
// hangs the step.
func TestProviderFailureEndsTheTokenStepInErrorWithItsAnswer(t *testing.T) {
	p, err := oidcprovider.Start(oidcprovider.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.AddClient(oidcprovider.Client{ID: oidcdrive.ClientID, Secret: oidcdrive.ClientSecret, Audience: []string{"mqtt-broker"}})
	k, err := oidcprovider.GenerateKey(jose.ES256, "k1")
	if err != nil {
		t.Fatal(err)
	}
	p.Rotate(k)
	st := &scenario{}
	tc := oidcprovider.NewTokenClient(p.TokenURL(), 500*time.Millisecond)

	if _, tok, err := fetchToken(context.Background(), st, tc, oidcdrive.ClientID); err != nil || oidcdrive.HeaderField(tok, "kid") != "k1" {
		t.Fatalf("a working provider: token %q, err %v", tok, err)
	}
	cases := []struct {
		name   string
		answer oidcprovider.Answer
		want   string
	}{
		{"error answer", oidcprovider.Answer{Kind: oidcprovider.AnswerError, Status: 500, Body: `{"error":"server_error","error_description":"database down"}`}, "database down"},
		{"malformed token", oidcprovider.Answer{Kind: oidcprovider.AnswerNotAJWT, Body: "opaque-123"}, "opaque-123"},
		{"slow", oidcprovider.Answer{Kind: oidcprovider.AnswerSlow, Delay: time.Minute}, "timeout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p.AnswerWith(c.answer)
			start := time.Now()
			_, _, err := fetchToken(context.Background(), st, tc, oidcdrive.ClientID)
			if err == nil || !strings.HasPrefix(err.Error(), reports.HarnessErrorPrefix) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want a harness error mentioning %q", err, c.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("the step took %s", d)
			}
		})
	}
	p.AnswerWith(oidcprovider.Answer{})
	url := p.TokenURL()
	_ = p.Close()
	_, _, err = fetchToken(context.Background(), st, oidcprovider.NewTokenClient(url, time.Second), oidcdrive.ClientID)
	if err == nil || !strings.Contains(err.Error(), oidcprovider.CauseRefused) {
		t.Errorf("provider down: err = %v, want a harness error naming %q", err, oidcprovider.CauseRefused)
	}
}
