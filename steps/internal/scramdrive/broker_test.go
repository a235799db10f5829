package scramdrive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/session"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/inproc"
)

// The driver against the in-process reference broker, whose SCRAM
// authenticator asks a real fixtures/scrambackend over loopback.

const stepTimeout = 5 * time.Second

// world is a reference broker with one SCRAM authenticator and the
// backend it asks.
type world struct {
	t       *testing.T
	inst    target.Instance
	backend *scrambackend.Server
	users   Users
}

// startWorld provisions a reference broker (with faults switched on) whose
// SCRAM authenticator asks a fresh backend; extra is added to the
// authenticator's configuration.
func startWorld(t *testing.T, extra map[string]any, faults ...string) *world {
	t.Helper()
	backend, err := scrambackend.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = backend.Close() })
	auth := map[string]any{"mechanism": "scram", "backend": "http", "method": "get",
		"url": "<scram backend url>/auth?username=${username}"}
	for k, v := range extra {
		auth[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	inst, err := inproc.Reference{Faults: faults}.Provision(ctx, target.Setup{
		Authentication: []map[string]any{auth}, ScramBackendURL: backend.URL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Close() })
	return &world{t: t, inst: inst, backend: backend}
}

// jsonValue is a field value as plain JSON (the step layer also renders
// NOW expressions).
func jsonValue(text string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// connect pushes the users and runs one SCRAM CONNECT as user.
func (w *world) connect(user, password string, a Attempt) (*Exchange, client.Answer, error) {
	w.t.Helper()
	settings, err := AuthenticatorSettings(w.inst.Authenticators())
	if err != nil {
		w.t.Fatal(err)
	}
	if err := Push(w.backend, w.users, nil, settings, jsonValue); err != nil {
		w.t.Fatal(err)
	}
	x, answer, err := Connect(context.Background(), w.inst, Params{
		User: user, Password: password, Algorithm: settings.Algorithm, Attempt: a,
		Connect: mqttwire.Connect{ClientID: "scram-" + user, Username: "authspec", HasUsername: true},
		Timeout: stepTimeout, Backend: w.backend, ExpireAt: w.users.ExpireAt(user),
	})
	if x != nil && answer.Accepted() {
		w.t.Cleanup(func() { _ = client.NewWireSession(x.Conn).Close() })
	}
	return x, answer, err
}

// accepted connects as user and fails the test unless the broker accepts.
func (w *world) accepted(user, password string) *Exchange {
	w.t.Helper()
	x, answer, err := w.connect(user, password, Attempt{})
	if err != nil || !answer.Accepted() {
		w.t.Fatalf("expected %s accepted, got %s (%v)", user, answer, err)
	}
	return x
}

func wantMismatch(t *testing.T, what string, err error) {
	t.Helper()
	if _, ok := verify.As(err); !ok {
		t.Errorf("%s: expected a Mismatch, got %v", what, err)
	}
}

func wantPass(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

func TestCorrectExchangeIsAcceptedAndItsSignatureVerifies(t *testing.T) {
	w := startWorld(t, nil)
	w.users.Get("u").Password = "p"
	x := w.accepted("u", "p")
	wantPass(t, "AUTH 0x18", x.SentAuth("SCRAM-SHA-256"))
	wantMismatch(t, "AUTH with another method", x.SentAuth("SCRAM-SHA-512"))
	wantMismatch(t, "no AUTH", x.SentNoAuth())
	wantPass(t, "nonce", x.ExtendsNonce())
	wantPass(t, "i=", x.Iterations(4096))
	wantMismatch(t, "another i=", x.Iterations(1000))
	wantPass(t, "signature", x.SignatureVerifies())
	wantMismatch(t, "no server-final", x.NoServerFinal())
	wantPass(t, "requests at server-first", x.RequestsAtServerFirst(1))
	wantMismatch(t, "other requests at server-first", x.RequestsAtServerFirst(0))
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	if err := client.NewWireSession(x.Conn).Alive(ctx); err != nil {
		t.Fatalf("expected the accepted connection alive: %v", err)
	}
	code, err := Subscription(ctx, x.Conn, "t/1", true)
	wantPass(t, "subscription", err)
	if code != "0x00" && code != "0x01" {
		t.Errorf("expected a granting SUBACK code, got %q", code)
	}
	_, err = Subscription(ctx, x.Conn, "t/2", false)
	wantMismatch(t, "a granted subscription expected refused", err)
}

func TestSHA512ExchangeUsesTheConfiguredHash(t *testing.T) {
	w := startWorld(t, map[string]any{"algorithm": "sha512", "iteration_count": json.Number("2048")})
	w.users.Get("u").Password = "p"
	x := w.accepted("u", "p")
	wantPass(t, "AUTH 0x18", x.SentAuth("SCRAM-SHA-512"))
	wantPass(t, "i=", x.Iterations(2048))
	wantPass(t, "signature", x.SignatureVerifies())
}

func TestWrongPasswordIsRefused(t *testing.T) {
	w := startWorld(t, nil)
	w.users.Get("u").Password = "p"
	x, answer, err := w.connect("u", "wrong", Attempt{})
	if err != nil || !answer.Connack || answer.Code != 0x87 {
		t.Fatalf("expected CONNACK 0x87, got %s (%v)", answer, err)
	}
	if err := x.SignatureVerifies(); err == nil {
		t.Error("expected no signature to check on a refused connection")
	} else if _, ok := verify.As(err); ok {
		t.Errorf("expected a scenario error, not a Mismatch: %v", err)
	}
	wantPass(t, "one request", x.RequestsAtServerFirst(1))
}

// A broker that signs v= with the wrong key is caught by the client.
func TestTamperedServerFinalIsDetected(t *testing.T) {
	w := startWorld(t, nil, "scram-wrong-server-signature")
	w.users.Get("u").Password = "p"
	x := w.accepted("u", "p")
	wantMismatch(t, "tampered v=", x.SignatureVerifies())
}

// The re-signed nonce-mismatch client-final is refused by a correct
// broker and accepted by one that skips only the nonce check, which shows
// that its proof is right over what is sent.
func TestResignedNonceMismatchProbesOnlyTheNonceCheck(t *testing.T) {
	for _, c := range []struct {
		faults []string
		accept bool
	}{{nil, false}, {[]string{"scram-skip-final-nonce-check"}, true}} {
		w := startWorld(t, nil, c.faults...)
		w.users.Get("u").Password = "p"
		var a Attempt
		if err := a.Malform("client-final", "nonce-mismatch"); err != nil {
			t.Fatal(err)
		}
		_, answer, err := w.connect("u", "p", a)
		if err != nil || answer.Accepted() != c.accept {
			t.Errorf("faults %v: expected accepted=%v, got %s (%v)", c.faults, c.accept, answer, err)
		}
	}
}

func TestOtherMethodGetsNoAuth(t *testing.T) {
	w := startWorld(t, nil)
	w.users.Get("u").Password = "p"
	x, answer, err := w.connect("u", "p", Attempt{Method: "SCRAM-SHA-1"})
	if err != nil || answer.Accepted() {
		t.Fatalf("expected a refusal, got %s (%v)", answer, err)
	}
	wantPass(t, "no AUTH", x.SentNoAuth())
	wantMismatch(t, "AUTH 0x18", x.SentAuth("SCRAM-SHA-1"))
	wantMismatch(t, "server-first", x.ExtendsNonce())
	if w.backend.RequestCount() != 0 {
		t.Errorf("expected no backend request, got %d", w.backend.RequestCount())
	}
}

func TestReauthentication(t *testing.T) {
	w := startWorld(t, nil)
	w.users.Get("u").Password = "p"
	x := w.accepted("u", "p")
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	r := reauth(t, ctx, x, "p")
	wantPass(t, "re-authentication", r.Succeeded())
	if data, err := x.NextAuthData(nil); err != nil || !bytes.HasPrefix(data, []byte("n,,n=u,r=")) {
		t.Errorf("expected a new client-first message, got %q (%v)", data, err)
	}
	// A wrong password ends the connection with DISCONNECT 0x87.
	r = reauth(t, ctx, x, "not-p")
	wantMismatch(t, "failed re-authentication", r.Succeeded())
	observed, err := Disconnected(ctx, x.Conn, r, Ending{Code: 0x87, Wait: stepTimeout})
	if err != nil || observed != "0x87" {
		t.Errorf("expected DISCONNECT 0x87, got %q (%v)", observed, err)
	}
	observed, err = Disconnected(ctx, x.Conn, r, Ending{Code: 0x8C, Wait: stepTimeout})
	wantMismatch(t, "another DISCONNECT code", err)
	if observed != "0x87" {
		t.Errorf("expected the observed code 0x87, got %q", observed)
	}
}

// reauth runs a whole re-authentication on x's connection.
func reauth(t *testing.T, ctx context.Context, x *Exchange, password string) *Reauth {
	t.Helper()
	r, err := NewReauth(x.Algorithm, "u", password)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx, x.Conn, x.Method); err != nil || r.Continued() != nil {
		t.Fatalf("expected AUTH 0x18, got %s (%v)", r.Describe(), err)
	}
	if !r.Pending() {
		t.Fatal("expected a client-final message ready")
	}
	if err := r.Finish(ctx, x.Conn, x.Method); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDisconnectedWithoutAConnection(t *testing.T) {
	observed, err := Disconnected(context.Background(), nil, nil, Ending{Code: 0x87, Wait: time.Millisecond})
	wantMismatch(t, "no connection", err)
	if observed != "open" {
		t.Errorf("expected the observed cell open, got %q", observed)
	}
}

func TestStillOpenConnectionIsAMismatch(t *testing.T) {
	w := startWorld(t, nil)
	w.users.Get("u").Password = "p"
	x := w.accepted("u", "p")
	observed, err := Disconnected(context.Background(), x.Conn, nil, Ending{Code: 0x87, Wait: 100 * time.Millisecond})
	wantMismatch(t, "open connection", err)
	if observed != "open" {
		t.Errorf("expected the observed cell open, got %q", observed)
	}
}

// The documented answer, its keys and salt recased, is usable; an answer
// without its salt is not.
func TestPushShapesTheAnswer(t *testing.T) {
	w := startWorld(t, nil)
	u := w.users.Get("myuser")
	u.Password, u.Documented, u.KeysCase, u.SaltCase = "public", true, "lower", "upper"
	x := w.accepted("myuser", "public")
	wantPass(t, "documented salt", x.Salt("f3e6484794f5e231eed54d294d6ae917"))
	wantMismatch(t, "another salt", x.Salt("f3e6"))
	wantPass(t, "signature", x.SignatureVerifies())

	w.users.Get("v").Password = "p"
	w.users.Get("v").Lacks = []string{"salt"}
	_, answer, err := w.connect("v", "p", Attempt{})
	if err != nil || answer.Accepted() {
		t.Errorf("expected an answer without salt refused, got %s (%v)", answer, err)
	}
}

func TestPushRecordsExpireAt(t *testing.T) {
	w := startWorld(t, nil)
	u := w.users.Get("u")
	u.Password = "p"
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	u.Fields["expire_at"] = strconv.FormatInt(at.Unix(), 10)
	x := w.accepted("u", "p")
	if !x.ExpireAt.Equal(at) {
		t.Errorf("expected expire_at %s, got %s", at, x.ExpireAt)
	}
	u.Fields["expire_at"] = `{"open": `
	settings, _ := AuthenticatorSettings(w.inst.Authenticators())
	if err := Push(w.backend, w.users, nil, settings, jsonValue); err == nil {
		t.Error("expected a field that is not JSON to fail the push")
	}
}

// The answer's client_attrs show in the broker's view of the client
// (session.AwaitClient), where the attribute checks find them.
func TestClientAttrsFromTheAnswer(t *testing.T) {
	w := startWorld(t, nil)
	u := w.users.Get("u")
	u.Password, u.Fields["client_attrs"] = "p", `{"tenant": "acme"}`
	w.accepted("u", "p")
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	v, err := session.AwaitClient(ctx, w.inst.(target.ClientInspector), "scram-u", session.Connected)
	if err != nil || !session.Connected(v) {
		t.Fatalf("expected scram-u connected, got %+v (%v)", v, err)
	}
	attrs := v.Info.ClientAttrs
	wantPass(t, "attribute", Attribute(attrs, "tenant", "acme"))
	wantMismatch(t, "another value", Attribute(attrs, "tenant", "other"))
	wantMismatch(t, "another name", Attribute(attrs, "region", "acme"))
	wantMismatch(t, "no attribute", NoAttribute(attrs, "tenant"))
	wantPass(t, "absent attribute", NoAttribute(attrs, "region"))
}

func TestBackendRequestOfAnExchange(t *testing.T) {
	w := startWorld(t, nil)
	w.users.Get("u").Password = "p"
	x := w.accepted("u", "p")
	c, err := LastRequest(w.backend.Requests(), Placeholders{ClientID: "scram-u", ClientAddress: x.ClientHost})
	if err != nil {
		t.Fatal(err)
	}
	wantPass(t, "method and path", c.MethodPath("GET", "/auth"))
	wantMismatch(t, "POST", c.MethodPath("POST", "/auth"))
	wantPass(t, "query prefix", c.QueryPrefix("username="))
	wantPass(t, "query parameter", c.QueryParam("username", "u"))
	wantMismatch(t, "another user", c.QueryParam("username", "<client ID>"))
	wantPass(t, "no such header", c.NoHeader("X-Never-Sent"))
	if _, err := LastRequest(nil, Placeholders{}); err == nil {
		t.Error("expected a backend without requests to be a mismatch")
	}
}

func TestUnreachableBrokerIsADialError(t *testing.T) {
	w := startWorld(t, nil)
	if err := w.inst.Close(); err != nil {
		t.Fatal(err)
	}
	x, _, err := w.connect("u", "p", Attempt{})
	var dial *client.DialError
	if x != nil || !errors.As(err, &dial) {
		t.Errorf("expected a DialError and no exchange, got %v", err)
	}
}
