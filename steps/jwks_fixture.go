package steps

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// jwksFixture is the JWKS endpoint the suite serves for one scenario: the
// same document over plain HTTP and over HTTPS with a self-signed
// certificate. Its handler answers from the scenario's model (the keys in
// the set, how the endpoint answers) and counts what it sees, so that steps
// wait for the broker's next fetch instead of sleeping.
type jwksFixture struct {
	keys        *tokens.Keyring
	plain, safe *jwksserver.Server

	mu      sync.Mutex
	defined map[string]*jwksKey // every key the scenario named
	octs    map[string][]byte   // the secrets of the oct keys served
	served  []jwksEntry         // the set, in document order
	reply   jwksReply
	release chan struct{} // closed when a hanging answer may end

	// Events: a fetch shows as a TLS ClientHello (HTTPS) and as a request.
	started  int       // ClientHellos and requests so far
	inflight int       // requests not answered yet
	hanging  int       // requests held by a reply that does not answer
	lastAt   time.Time // when the last event started
	mark     int       // events before the last change or wait: they do not count as "the next fetch"
	changed  chan struct{}
	// ended marks the requests (by their number in started) that have
	// been answered or abandoned; watched is the one waitBegun found.
	ended   map[int]bool
	watched int
}

// jwksKey is a key pair the scenario named: its public half is published
// when served, its private half signs tokens.
type jwksKey struct {
	name string
	alg  string // the JWS algorithm tokens signed by it use
	key  *tokens.Key
	// jwkAlg and use are the JWK's "alg" and "use" members ("" leaves them
	// out); kid is its "kid" (the name unless the scenario says otherwise).
	jwkAlg, use, kid string
}

// jwksEntry is one member of the served "keys": a key pair's public JWK,
// or a symmetric (oct) key.
type jwksEntry struct {
	name string
	jwk  json.RawMessage
}

type jwksReplyKind int

const (
	replySet       jwksReplyKind = iota // the set, with status
	replySingleJWK                      // the first served member alone
	replyBody                           // status and body as given
	replyHang                           // no answer until the broker gives up or the mode changes
	replyReset                          // the connection closed without an answer
	replyTrickle                        // the set, a byte at a time over a duration (SEC-11)
	replyOversized                      // the set padded with whitespace to a size (SEC-11)
)

type jwksReply struct {
	kind   jwksReplyKind
	status int
	body   []byte
	over   time.Duration // replyTrickle
	size   int           // replyOversized
}

// startJWKSFixture starts the plain endpoint where the target's broker
// expects it (target.JWKSListen) and the HTTPS one on a free port of the
// same host (target.JWKSHTTPSListen).
func startJWKSFixture(st *scenario) (*jwksFixture, error) {
	f := &jwksFixture{
		keys:    st.keys,
		defined: map[string]*jwksKey{},
		octs:    map[string][]byte{},
		reply:   jwksReply{kind: replySet, status: http.StatusOK},
		release: make(chan struct{}),
		changed: make(chan struct{}),
	}
	var err error
	if f.plain, err = jwksserver.Start(jwksserver.WithAddr(target.JWKSListen(st.suite.Target))); err != nil {
		return nil, err
	}
	if f.safe, err = jwksserver.Start(jwksserver.WithAddr(target.JWKSHTTPSListen(st.suite.Target)),
		jwksserver.WithTLS(), jwksserver.WithClientHelloObserver(f.hello)); err != nil {
		_ = f.plain.Close()
		return nil, err
	}
	for _, s := range []*jwksserver.Server{f.plain, f.safe} {
		s.ServeHandler(http.HandlerFunc(f.handle))
	}
	return f, nil
}

func (f *jwksFixture) endpoint() target.JWKSEndpoint {
	return target.JWKSEndpoint{URL: f.plain.URL(), HTTPSURL: f.safe.URL(), CACertPEM: f.safe.CACertPEM()}
}

func (f *jwksFixture) close() error {
	f.mu.Lock()
	f.releaseHangLocked()
	f.mu.Unlock()
	return errors.Join(f.plain.Close(), f.safe.Close())
}

// requests returns every request both endpoints received, in order per
// endpoint.
func (f *jwksFixture) requests() []jwksserver.Request {
	return append(f.plain.Requests(), f.safe.Requests()...)
}

// --- the model ---

// define names a key pair of alg's kind (RSA keys come from the keyring's
// per-process cache, so a scenario costs no key generation).
func (f *jwksFixture) define(name, alg string) (*jwksKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if k, ok := f.defined[name]; ok {
		if k.alg != alg {
			return nil, fmt.Errorf("JWKS key %q is an %s key, not %s", name, k.alg, alg)
		}
		return k, nil
	}
	kind, err := tokens.KindForAlg(alg)
	if err != nil {
		return nil, fmt.Errorf("JWKS key %q: %w", name, err)
	}
	tk, err := f.keys.Key(kind, "jwks "+name)
	if err != nil {
		return nil, err
	}
	k := &jwksKey{name: name, alg: alg, key: tk, kid: name}
	f.defined[name] = k
	return k, nil
}

func (f *jwksFixture) key(name string) (*jwksKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.defined[name]
	if !ok {
		return nil, fmt.Errorf("the scenario names no JWKS key %q", name)
	}
	return k, nil
}

// publicJWK is the JWK the endpoint publishes for k.
func (k *jwksKey) publicJWK() (json.RawMessage, error) {
	return jose.JSONWebKey{Key: k.key.Public(), KeyID: k.kid, Algorithm: k.jwkAlg, Use: k.use}.MarshalJSON()
}

// publish appends keys to the set.
func (f *jwksFixture) publish(keys ...*jwksKey) error {
	entries := make([]jwksEntry, 0, len(keys))
	for _, k := range keys {
		raw, err := k.publicJWK()
		if err != nil {
			return fmt.Errorf("JWKS key %q: %w", k.name, err)
		}
		entries = append(entries, jwksEntry{name: k.name, jwk: raw})
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.served = append(f.served, entries...)
	f.changedLocked()
	return nil
}

// serveOct appends a symmetric key holding secret (JWT-JWKS-09).
func (f *jwksFixture) serveOct(name, secret string) {
	raw, _ := json.Marshal(map[string]string{"kty": "oct", "kid": name, "k": base64.RawURLEncoding.EncodeToString([]byte(secret))})
	f.mu.Lock()
	defer f.mu.Unlock()
	f.served = append(f.served, jwksEntry{name: name, jwk: raw})
	f.octs[name] = []byte(secret)
	f.changedLocked()
}

func (f *jwksFixture) octSecret(name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.octs[name]
	if !ok {
		return nil, fmt.Errorf("the JWKS endpoint serves no oct key %q", name)
	}
	return s, nil
}

// unserve removes a member from the set.
func (f *jwksFixture) unserve(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.served)
	f.served = slices.DeleteFunc(f.served, func(e jwksEntry) bool { return e.name == name })
	if len(f.served) == n {
		return fmt.Errorf("the JWKS endpoint serves no key %q", name)
	}
	f.changedLocked()
	return nil
}

// answer changes how the endpoint answers; a hanging answer in progress
// ends with the new one.
func (f *jwksFixture) answer(r jwksReply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply = r
	f.releaseHangLocked()
	f.changedLocked()
}

func (f *jwksFixture) releaseHangLocked() {
	select {
	case <-f.release:
	default:
		close(f.release)
	}
	f.release = make(chan struct{})
}

// signingKey is the key a valid token is signed with: the first served key
// pair, else the first one the scenario named.
func (f *jwksFixture) signingKey() (*jwksKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.served {
		if k, ok := f.defined[e.name]; ok {
			return k, nil
		}
	}
	var first *jwksKey
	for _, k := range f.defined {
		if first == nil || k.name < first.name {
			first = k
		}
	}
	if first == nil {
		return nil, fmt.Errorf(`the scenario's JWKS endpoint has no key to sign a token with: add one ("the JWKS endpoint serves an RS256 key ...")`)
	}
	return first, nil
}

// --- the endpoint ---

// hello counts a TLS ClientHello: a broker that refuses the certificate
// sends no request, and its attempt is still a fetch (JWT-JWKS-13).
func (f *jwksFixture) hello() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.started++
	f.lastAt = time.Now()
	f.notifyLocked()
}

// handle answers one request from the model.
func (f *jwksFixture) handle(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.started++
	f.inflight++
	seq := f.started
	f.lastAt = time.Now()
	f.notifyLocked()
	rp, release := f.reply, f.release
	if rp.kind == replyHang {
		f.hanging++
	}
	doc := f.documentLocked(rp)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		if f.ended == nil {
			f.ended = map[int]bool{}
		}
		f.ended[seq] = true
		f.notifyLocked()
		f.mu.Unlock()
	}()

	switch rp.kind {
	case replyHang:
		select {
		case <-r.Context().Done():
		case <-release:
		}
		f.mu.Lock()
		f.hanging--
		f.mu.Unlock()
		if r.Context().Err() != nil {
			return
		}
		// The endpoint was slow, then answered as it does now.
		f.mu.Lock()
		rp = f.reply
		doc = f.documentLocked(rp)
		f.mu.Unlock()
		if rp.kind == replyHang || rp.kind == replyReset {
			return
		}
	case replyReset:
		resetConnection(w)
		return
	case replyTrickle:
		jwksserver.WriteTrickled(w, r, doc, rp.over, release)
		return
	case replyOversized:
		jwksserver.WriteOversized(w, r, doc, rp.size, release)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rp.status)
	_, _ = w.Write(doc)
}

// documentLocked renders the body of reply rp.
func (f *jwksFixture) documentLocked(rp jwksReply) []byte {
	switch rp.kind {
	case replySet, replyTrickle, replyOversized:
		keys := make([]json.RawMessage, 0, len(f.served))
		for _, e := range f.served {
			keys = append(keys, e.jwk)
		}
		doc, _ := json.Marshal(map[string]any{"keys": keys})
		return doc
	case replySingleJWK:
		if len(f.served) == 0 {
			return []byte(`{}`)
		}
		return f.served[0].jwk
	}
	return rp.body
}

// resetConnection closes the connection under the request without an
// answer, with an RST where the connection is plain TCP.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func (f *jwksFixture) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// changedLocked marks a change of the endpoint: fetches that started before
// it do not count as the broker's next fetch, except those held by a hanging
// reply, which are answered from the new state when released.
func (f *jwksFixture) changedLocked() { f.mark = f.started - f.hanging }

// --- waiting for the broker ---

// fetchQuiet is how long the endpoint must see nothing new before a fetch
// counts as over: EMQX fetches once per pool worker, so one refresh is a
// burst of requests.
const fetchQuiet = 150 * time.Millisecond

// waitFetch waits for the broker's next fetch after the last change of the
// endpoint (or the last wait): a ClientHello or a request, then every
// request answered and nothing new for fetchQuiet. It returns false when
// ctx ended first.
func (f *jwksFixture) waitFetch(ctx context.Context) bool {
	for {
		f.mu.Lock()
		begun := f.started > f.mark
		settled := begun && f.inflight == 0 && time.Since(f.lastAt) >= fetchQuiet
		if settled {
			f.mark = f.started
		}
		wait, changed := fetchQuiet-time.Since(f.lastAt), f.changed
		f.mu.Unlock()
		if settled {
			return true
		}
		var tick <-chan time.Time
		var t *time.Timer
		if begun && wait > 0 {
			t = time.NewTimer(wait)
			tick = t.C
		}
		select {
		case <-ctx.Done():
		case <-changed:
		case <-tick:
		}
		if t != nil {
			t.Stop()
		}
		if ctx.Err() != nil {
			return false
		}
	}
}

// waitBegun waits for a request (or ClientHello) after the last change of
// the endpoint, without waiting for it to end; false when ctx ended first.
func (f *jwksFixture) waitBegun(ctx context.Context) bool {
	for {
		f.mu.Lock()
		begun, changed := f.started > f.mark, f.changed
		if begun {
			f.watched = f.mark + 1
		}
		f.mu.Unlock()
		if begun {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-changed:
		}
	}
}

// waitEnded waits until the request waitBegun found has been answered or
// abandoned (later ones may be under way: a broker retries); false when
// ctx ended first.
func (f *jwksFixture) waitEnded(ctx context.Context) bool {
	for {
		f.mu.Lock()
		idle, changed := f.ended[f.watched], f.changed
		f.mu.Unlock()
		if idle {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-changed:
		}
	}
}

// everFetched reports whether anything has reached the endpoint yet.
func (f *jwksFixture) everFetched() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.started > 0
}

// fetchedSinceMark reports whether anything reached the endpoint after its
// last change or the last wait.
func (f *jwksFixture) fetchedSinceMark() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.started > f.mark
}

// quietFor waits d and reports whether the endpoint saw nothing new
// meanwhile (the mark moves to now first).
func (f *jwksFixture) quietFor(ctx context.Context, d time.Duration) (bool, error) {
	f.mu.Lock()
	f.mark = f.started
	f.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		f.mu.Lock()
		moved, changed := f.started > f.mark, f.changed
		f.mu.Unlock()
		if moved {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-t.C:
			return !f.fetchedSinceMark(), nil
		case <-changed:
		}
	}
}
