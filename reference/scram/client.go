package scram

import (
	"crypto/subtle"
	"fmt"
	"strings"
)

// DefaultMaxIterations bounds the iteration count a client accepts from a
// server, so that a hostile server cannot make it spin on PBKDF2.
const DefaultMaxIterations = 1 << 20

// Client is the client side of one SCRAM conversation:
//
//	First()                  -> client-first (CONNECT Authentication-Data)
//	Final(server-first)      -> client-final (AUTH 0x18)
//	VerifyServerFinal(v=...) -> nil when the server proved it knows ServerKey
//
// A Client is used by one connection at a time and is not reusable.
type Client struct {
	alg  Algorithm
	user string
	pass string
	cfg  clientConfig

	first      ClientFirst
	serverKey  []byte
	authMsg    []byte
	responded  bool
	verifiedOK bool
}

// ClientOption changes how a Client behaves.
type ClientOption func(*clientConfig)

type clientConfig struct {
	nonce         string
	gs2Header     string
	derive        func(alg Algorithm, password string, salt []byte, iterations int) ([]byte, error)
	maxIterations int
}

// WithClientNonce fixes the client nonce (test vectors, malformed-message
// scenarios); by default it is 24 random base62 characters.
func WithClientNonce(nonce string) ClientOption {
	return func(c *clientConfig) { c.nonce = nonce }
}

// WithGS2Header sets the GS2 header verbatim ("n,,", "y,,", "n,a=admin,",
// see GS2Header); the default is "n,,".
func WithGS2Header(h string) ClientOption {
	return func(c *clientConfig) { c.gs2Header = h }
}

// WithSaltedPassword replaces the PBKDF2 computation, e.g. with a cache.
func WithSaltedPassword(f func(alg Algorithm, password string, salt []byte, iterations int) ([]byte, error)) ClientOption {
	return func(c *clientConfig) { c.derive = f }
}

// WithMaxIterations changes the largest iteration count accepted
// (DefaultMaxIterations).
func WithMaxIterations(n int) ClientOption {
	return func(c *clientConfig) { c.maxIterations = n }
}

// NewClient starts a conversation for user and password. The user name is
// escaped in `n=`; the password is used as given (no SASLprep, like EMQX).
func NewClient(alg Algorithm, user, password string, opts ...ClientOption) (*Client, error) {
	if err := alg.check(); err != nil {
		return nil, err
	}
	cfg := clientConfig{gs2Header: "n,,", derive: SaltedPassword, maxIterations: DefaultMaxIterations}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.nonce == "" {
		n, err := NewNonce(24)
		if err != nil {
			return nil, err
		}
		cfg.nonce = n
	}
	c := &Client{alg: alg, user: user, pass: password, cfg: cfg}
	c.first = ClientFirst{GS2Header: cfg.gs2Header, User: user, Nonce: cfg.nonce}
	c.first.Bare = strings.TrimPrefix(c.first.String(), cfg.gs2Header)
	return c, nil
}

// Algorithm is the conversation's hash.
func (c *Client) Algorithm() Algorithm { return c.alg }

// Nonce is the client nonce.
func (c *Client) Nonce() string { return c.first.Nonce }

// GS2Header is the header the client-first message starts with.
func (c *Client) GS2Header() string { return c.first.GS2Header }

// First returns the client-first message.
func (c *Client) First() []byte { return []byte(c.first.String()) }

// Respond computes the client-final message for a server-first message and
// returns it unformatted, so that a test can alter a field before sending
// it (ClientFinal.String formats it).
func (c *Client) Respond(serverFirst []byte) (ClientFinal, error) {
	if c.responded {
		return ClientFinal{}, msgError("server-first", ErrState, "")
	}
	c.responded = true
	sf, err := ParseServerFirst(serverFirst)
	if err != nil {
		return ClientFinal{}, err
	}
	// The server nonce must extend ours (catalogue A16); a server that
	// echoes our nonce alone adds no freshness.
	if !strings.HasPrefix(sf.Nonce, c.first.Nonce) || len(sf.Nonce) == len(c.first.Nonce) {
		return ClientFinal{}, msgError("server-first", ErrNonceMismatch, "server nonce does not extend the client nonce")
	}
	if sf.Iterations > c.cfg.maxIterations {
		return ClientFinal{}, msgError("server-first", ErrMalformed, fmt.Sprintf("iteration count %d above the limit %d", sf.Iterations, c.cfg.maxIterations))
	}
	sp, err := c.cfg.derive(c.alg, c.pass, sf.Salt, sf.Iterations)
	if err != nil {
		return ClientFinal{}, err
	}
	final := ClientFinal{ChannelBinding: []byte(c.first.GS2Header), Nonce: sf.Nonce}
	c.authMsg = AuthMessage(c.first.Bare, string(serverFirst), final.FormatWithoutProof())
	final.Proof = ClientProof(c.alg, ClientKey(c.alg, sp), c.authMsg)
	c.serverKey = ServerKey(c.alg, sp)
	return final, nil
}

// Final returns the client-final message for a server-first message.
func (c *Client) Final(serverFirst []byte) ([]byte, error) {
	m, err := c.Respond(serverFirst)
	if err != nil {
		return nil, err
	}
	return []byte(m.String()), nil
}

// VerifyServerFinal checks the server-final message: `v=` must be
// HMAC(ServerKey, AuthMessage), compared in constant time.
func (c *Client) VerifyServerFinal(msg []byte) error {
	if c.authMsg == nil {
		return msgError("server-final", ErrState, "no client-final was sent")
	}
	m, err := ParseServerFinal(msg)
	if err != nil {
		return err
	}
	if m.Error != "" {
		return msgError("server-final", ErrServerError, m.Error)
	}
	want := ServerSignature(c.alg, c.serverKey, c.authMsg)
	if subtle.ConstantTimeCompare(want, m.Verifier) != 1 {
		return msgError("server-final", ErrServerSignature, "")
	}
	c.verifiedOK = true
	return nil
}

// Verified reports whether VerifyServerFinal succeeded.
func (c *Client) Verified() bool { return c.verifiedOK }
