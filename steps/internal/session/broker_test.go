package session

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/inproc"
)

// The tests that need a broker run against the in-process reference on
// loopback, configured as the session scenarios configure it: an HMAC JWT
// authenticator and authorization that denies what no rule allows.

const secret = "emqxsecret"

// startBroker provisions a reference broker; extra is merged into the JWT
// authenticator's configuration.
func startBroker(t *testing.T, extra map[string]any) target.Instance {
	t.Helper()
	jwt := map[string]any{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based", "secret": secret}
	for k, v := range extra {
		jwt[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	inst, err := inproc.Reference{}.Provision(ctx, target.Setup{
		Authentication: []map[string]any{jwt},
		Authorization:  map[string]any{"no_match": "deny", "deny_action": "ignore", "cache": map[string]any{"enable": false}},
		Keys:           tokens.NewKeyring(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Close() })
	return inst
}

// token signs claims for the broker, with an exp an hour away unless
// claims has one.
func token(t *testing.T, claims map[string]any) string {
	t.Helper()
	all := map[string]any{"exp": time.Now().Add(time.Hour).Unix()}
	for k, v := range claims {
		all[k] = v
	}
	tok, err := tokens.Mint("HS256", []byte(secret), all, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// request is the CONNECT of clientID carrying tok, built as the steps
// build it.
func request(v target.Version, clientID, tok string) client.Request {
	spec := ClientSpec{Version: v, ClientID: clientID}
	req := BaseRequest(spec)
	PlaceToken(&req, spec, TokenField("", map[string]any{"from": "password"}), tok)
	req.Wire = true
	return req
}

// connect connects with req and returns the raw connection, closed when
// the test ends.
func connect(t *testing.T, inst target.Instance, req client.Request) *mqttwire.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ans, s, err := client.Connect(ctx, inst.Dial, req, mqttwire.NewTrace())
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Accepted() {
		t.Fatalf("expected the CONNECT of %s accepted, got %s", req.ClientID, ans)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s.(client.WireSession).Wire()
}

// watcher dials a watcher of marks on inst, closed when the test ends.
func watcher(t *testing.T, inst target.Instance, name string, marks *Marks) *Watcher {
	t.Helper()
	claims := map[string]any{}
	for k, text := range WatcherClaims("") {
		var v any
		if err := json.Unmarshal([]byte(text), &v); err != nil {
			t.Fatalf("watcher claim %s: %v", k, err)
		}
		claims[k] = v
	}
	req := request(target.MQTT5, WatcherClientID(marks.UID(), name), token(t, claims))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w, err := DialWatcher(ctx, inst.Dial, mqttwire.NewTrace(), name, req, marks)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}
