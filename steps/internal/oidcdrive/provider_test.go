package oidcdrive

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/internal/verify"
)

func start(t *testing.T) *Provider {
	t.Helper()
	p, err := Start(Options{Keys: tokens.NewKeyring(), Listen: "127.0.0.1:0", Audience: "mqtt-broker", OtherListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// claims reads a token's payload (the test trusts the provider's
// signature; fixtures/oidcprovider's tests verify it).
func claims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// The provider signs the scenario's tokens with the key it names, for the
// scenario's audience or the other one; another issuer's provider signs
// with its own key of the same algorithm.
func TestTokensFromTheScenariosKeys(t *testing.T) {
	p := start(t)
	if s := p.Setup(); s.Audience != "mqtt-broker" || !strings.HasPrefix(s.JWKSURI, s.Issuer) {
		t.Fatalf("setup %+v", s)
	}
	if err := p.SignWith("ES256", "k1"); err != nil {
		t.Fatal(err)
	}
	if err := p.SignWith("RS256", "k1"); err == nil {
		t.Error("k1 renamed as an RS256 key was accepted")
	}
	ctx := context.Background()
	tok, err := p.Tokens().Token(ctx, ClientID, ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	if HeaderField(tok.JWT, "kid") != "k1" || HeaderField(tok.JWT, "alg") != "ES256" {
		t.Errorf("token header: kid %q alg %q", HeaderField(tok.JWT, "kid"), HeaderField(tok.JWT, "alg"))
	}
	if c := claims(t, tok.JWT); c["iss"] != p.Setup().Issuer {
		t.Errorf("iss %v", c["iss"])
	}
	other, err := p.Tokens().Token(ctx, OtherClientID, ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	if aud, _ := claims(t, other.JWT)["aud"].([]any); len(aud) != 1 || aud[0] != OtherAudience {
		t.Errorf("the other client's aud %v", aud)
	}
	oc, err := p.OtherTokens()
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := oc.Token(ctx, ClientID, ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	if c := claims(t, foreign.JWT); c["iss"] == p.Setup().Issuer || HeaderField(foreign.JWT, "alg") != "ES256" {
		t.Errorf("another issuer's token: iss %v alg %s", c["iss"], HeaderField(foreign.JWT, "alg"))
	}
	if HeaderField("not a token", "kid") != "" {
		t.Error("HeaderField of garbage")
	}
}

func TestKeptTokens(t *testing.T) {
	p := start(t)
	if _, err := p.Kept("a"); err == nil {
		t.Fatal("a token never kept")
	}
	p.Keep("a", "tok-a")
	if tok, err := p.Kept("a"); err != nil || tok != "tok-a" {
		t.Fatalf("kept %q %v", tok, err)
	}
}

// AwaitFetch waits for a fetch of jwks_uri after the last rotation; none
// within the bound is a Mismatch, and the request log shows the fetches.
func TestAwaitFetch(t *testing.T) {
	p := start(t)
	if err := p.SignWith("ES256", "k1"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AwaitFetch(context.Background(), 100*time.Millisecond, "1"); err == nil {
		t.Fatal("a fetch counted without a request")
	} else if m, ok := verify.As(err); !ok || !strings.Contains(m.Expected, p.Setup().JWKSURI) {
		t.Fatalf("err %v, want a Mismatch naming jwks_uri", err)
	}
	get := func() {
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(p.Setup().JWKSURI)
		if err != nil {
			t.Error(err)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	go get()
	if _, err := p.AwaitFetch(context.Background(), 5*time.Second, "1"); err != nil {
		t.Fatal(err)
	}
	get()
	if err := p.SignWith("RS256", "k2"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AwaitFetch(context.Background(), 200*time.Millisecond, "1"); err == nil {
		t.Fatal("a fetch before the rotation counted")
	}
	if err := p.Withdraw("k1"); err != nil {
		t.Fatal(err)
	}
	if log := p.RequestLog(); strings.Count(log, "GET /keys -> 200") != 2 {
		t.Errorf("request log:\n%s", log)
	}
}

// front listens on loopback in front of a provider: it holds the first
// stall connections without answering (a process too busy to serve its
// own provider) and relays the later ones to the provider at to.
type front struct {
	ln    net.Listener
	to    string
	stall int

	mu       sync.Mutex
	accepted int
	conns    []net.Conn
}

func startFront(t *testing.T, stall int) *front {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &front{ln: ln, stall: stall}
	go f.serve()
	t.Cleanup(f.close)
	return f
}

func (f *front) issuer() string { return "http://" + f.ln.Addr().String() }

func (f *front) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.accepted++
		held := f.accepted <= f.stall
		f.conns = append(f.conns, c)
		f.mu.Unlock()
		if !held {
			go f.relay(c)
		}
	}
}

func (f *front) relay(c net.Conn) {
	f.mu.Lock()
	to := f.to
	f.mu.Unlock()
	p, err := net.DialTimeout("tcp", to, 5*time.Second)
	if err != nil {
		_ = c.Close()
		return
	}
	f.mu.Lock()
	f.conns = append(f.conns, p)
	f.mu.Unlock()
	go func() { _, _ = io.Copy(p, c); _ = p.Close() }()
	_, _ = io.Copy(c, p)
	_ = c.Close()
}

func (f *front) connections() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.accepted
}

func (f *front) close() {
	_ = f.ln.Close()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		_ = c.Close()
	}
}

// providerBehind starts a provider whose issuer is f's address.
func providerBehind(t *testing.T, f *front) {
	t.Helper()
	p, err := oidcprovider.Start(oidcprovider.Options{Issuer: f.issuer()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	f.mu.Lock()
	f.to = p.Addr()
	f.mu.Unlock()
}

// A discovery that gets no answer in time is asked again: the provider is
// the suite's own, and a process too busy to serve it in time (a scheduled
// target starts all its scenarios at once) is no reason to end the
// scenario in error. Each attempt keeps its timeout.
func TestDiscoveryAskedAgainAfterNoAnswer(t *testing.T) {
	f := startFront(t, 1)
	providerBehind(t, f)
	d, err := discover(f.issuer(), time.Second)
	if err != nil {
		t.Fatalf("discovery after one unanswered attempt: %v", err)
	}
	if d.Issuer != f.issuer() || d.JWKSURI != f.issuer()+oidcprovider.KeysPath {
		t.Errorf("discovery %+v", d)
	}
	if n := f.connections(); n != 2 {
		t.Errorf("%d connections, want the unanswered one and one more", n)
	}
}

// A provider that never answers ends the discovery in error after
// discoveryAttempts, each within the timeout: the wait is bounded.
func TestDiscoveryEndsAfterItsAttempts(t *testing.T) {
	f := startFront(t, discoveryAttempts)
	providerBehind(t, f)
	_, err := discover(f.issuer(), 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("no answer in %d attempts", discoveryAttempts)) {
		t.Fatalf("err %v, want no answer in %d attempts", err, discoveryAttempts)
	}
	if n := f.connections(); n != discoveryAttempts {
		t.Errorf("%d connections, want %d", n, discoveryAttempts)
	}
}

// A provider that answers, even wrongly, is not asked again.
func TestDiscoveryAnsweredIsNotAskedAgain(t *testing.T) {
	var mu sync.Mutex
	requests := 0
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		http.Error(w, "broken", http.StatusInternalServerError)
	}), ReadHeaderTimeout: 5 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	if _, err := discover("http://"+ln.Addr().String(), 5*time.Second); err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("err %v, want the provider's 500", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if requests != 1 {
		t.Errorf("%d requests, want 1", requests)
	}
}
