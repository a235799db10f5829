package scram

import (
	"bytes"
	"strings"
)

// Server is the server side of one SCRAM conversation:
//
//	ReadClientFirst(client-first)  -> who is asking (the caller fetches credentials)
//	ServerFirst(credentials)       -> server-first, sent in AUTH 0x18
//	ReadClientFinal(client-final)  -> server-final `v=...` on success
//
// A Server is used by one connection at a time and is not reusable: after an
// error or the final step every call returns ErrState.
type Server struct {
	alg   Algorithm
	cfg   serverConfig
	state serverState

	first       ClientFirst
	creds       Credentials
	nonce       string // combined nonce
	serverFirst string
}

type serverState int

const (
	awaitClientFirst serverState = iota
	awaitCredentials
	awaitClientFinal
	finished
	failed
)

// ServerOption changes how a Server behaves.
type ServerOption func(*serverConfig)

type serverConfig struct {
	nonce func() (string, error)
	defects
}

// WithServerNonce fixes the server nonce. It exists for reproducing test
// vectors: a fixed nonce makes the exchange replayable.
func WithServerNonce(nonce string) ServerOption {
	return func(c *serverConfig) { c.nonce = func() (string, error) { return nonce, nil } }
}

// NewServer starts a conversation for alg.
func NewServer(alg Algorithm, opts ...ServerOption) (*Server, error) {
	if err := alg.check(); err != nil {
		return nil, err
	}
	cfg := serverConfig{nonce: func() (string, error) { return NewNonce(NonceLength) }}
	for _, o := range opts {
		o(&cfg)
	}
	return &Server{alg: alg, cfg: cfg}, nil
}

// Algorithm is the conversation's hash.
func (s *Server) Algorithm() Algorithm { return s.alg }

// Done reports whether the conversation ended successfully.
func (s *Server) Done() bool { return s.state == finished }

// ReadClientFirst parses the client-first message.
func (s *Server) ReadClientFirst(msg []byte) (ClientFirst, error) {
	if s.state != awaitClientFirst {
		return ClientFirst{}, s.outOfOrder("client-first")
	}
	m, err := parseClientFirst(msg, s.cfg.acceptChannelBinding)
	if err != nil {
		s.state = failed
		return ClientFirst{}, err
	}
	s.first = m
	s.state = awaitCredentials
	return m, nil
}

// ServerFirst draws the server nonce and returns the server-first message
// for the user's credentials. The iteration count sent is c.Iterations.
func (s *Server) ServerFirst(c Credentials) ([]byte, error) {
	if s.state != awaitCredentials {
		return nil, s.outOfOrder("server-first")
	}
	if err := c.check(); err != nil {
		s.state = failed
		return nil, err
	}
	snonce, err := s.cfg.nonce()
	if err != nil {
		s.state = failed
		return nil, err
	}
	s.creds = c
	s.nonce = s.first.Nonce + snonce
	s.serverFirst = ServerFirst{Nonce: s.nonce, Salt: c.Salt, Iterations: c.Iterations}.String()
	s.state = awaitClientFinal
	return []byte(s.serverFirst), nil
}

// ReadClientFinal verifies the client-final message and returns the
// server-final message. The checks run in sasl_auth's order: shape and
// encodings, channel binding, nonce, proof length, proof.
func (s *Server) ReadClientFinal(msg []byte) ([]byte, error) {
	if s.state != awaitClientFinal {
		return nil, s.outOfOrder("client-final")
	}
	s.state = failed // until proven otherwise
	const what = "client-final"
	m, err := ParseClientFinal(msg)
	if err != nil {
		return nil, err
	}
	if err := s.checkChannelBinding(m.ChannelBinding); err != nil {
		return nil, err
	}
	if m.Nonce != s.nonce && !s.cfg.skipNonceCheck {
		return nil, msgError(what, ErrNonceMismatch, "")
	}
	if len(m.Proof) != s.alg.Size() {
		return nil, msgError(what, ErrProofLength, "")
	}
	authMessage := AuthMessage(s.first.Bare, s.serverFirst, m.WithoutProof)
	if !VerifyProof(s.alg, s.creds.StoredKey, authMessage, m.Proof) && !s.cfg.skipProofCheck {
		return nil, msgError(what, ErrProof, "")
	}
	key := s.creds.ServerKey
	if s.cfg.signWithStoredKey {
		key = s.creds.StoredKey
	}
	s.state = finished
	return []byte(ServerFinal{Verifier: ServerSignature(s.alg, key, authMessage)}.String()), nil
}

// checkChannelBinding: c= must decode to the client-first GS2 header, so a
// client cannot change its flag or authzid between the two messages.
func (s *Server) checkChannelBinding(cb []byte) error {
	const what = "client-final"
	if bytes.HasPrefix(cb, []byte("p=")) && !s.cfg.acceptChannelBinding {
		return msgError(what, ErrChannelBinding, "in c=")
	}
	if string(cb) == s.first.GS2Header {
		return nil
	}
	// Under the AcceptChannelBinding defect a `p=` header is followed by
	// the channel-binding data, which the reference never checks.
	if s.cfg.acceptChannelBinding && strings.HasPrefix(s.first.CBindFlag, "p=") && bytes.HasPrefix(cb, []byte(s.first.GS2Header)) {
		return nil
	}
	return msgError(what, ErrChannelBindingMismatch, "")
}

func (s *Server) outOfOrder(step string) error {
	s.state = failed
	return msgError(step, ErrState, "")
}
