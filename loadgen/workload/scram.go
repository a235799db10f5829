package workload

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/scram"
)

// SCRAMOptions configure the SCRAM workload.
type SCRAMOptions struct {
	Alg scram.Algorithm // default SHA256
	// Iterations is the PBKDF2 iteration count of every user (default
	// 4096, EMQX's).
	Iterations int
	// Cache keeps each user's salted password after its first connection,
	// as real clients may; without it every handshake pays PBKDF2 on the
	// client side.
	Cache bool
	// Backend is the credential backend the broker's scram authenticator
	// asks; workloads of one run share it (StartBackend). Required.
	Backend *scrambackend.Server
	Names   Names
}

// StartBackend starts a credential backend for SCRAM workloads on listen
// (default 127.0.0.1:0) deriving keys with iterations. It keeps one
// request on record only: a load run must not grow the record.
func StartBackend(listen string, iterations int) (*scrambackend.Server, error) {
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	return scrambackend.Start(scrambackend.WithAddr(listen), scrambackend.WithIterations(iterations),
		scrambackend.WithRecordLimit(1))
}

// SCRAM runs the full MQTT 5 enhanced authentication (SCRAM-SHA-256/512
// over AUTH packets) per connection, against EMQX's scram authenticator
// with an HTTP backend served by this process (fixtures/scrambackend).
type SCRAM struct {
	o       SCRAMOptions
	backend *scrambackend.Server
	cache   *scramclient.Cache
}

// NewSCRAM returns the workload over o.Backend.
func NewSCRAM(o SCRAMOptions) (*SCRAM, error) {
	if o.Alg == 0 {
		o.Alg = scram.SHA256
	}
	if !o.Alg.Valid() {
		return nil, fmt.Errorf("invalid SCRAM algorithm %v", o.Alg)
	}
	if o.Iterations == 0 {
		o.Iterations = 4096
	}
	if o.Backend == nil {
		return nil, fmt.Errorf("SCRAM workload without a credential backend")
	}
	s := &SCRAM{o: o, backend: o.Backend}
	if o.Cache {
		s.cache = scramclient.NewCache()
	}
	return s, nil
}

func (s *SCRAM) Name() string {
	if s.o.Cache {
		return KindSCRAM + "-" + s.o.Alg.String() + "-cache"
	}
	return KindSCRAM + "-" + s.o.Alg.String() + "-nocache"
}

func (s *SCRAM) Kind() string { return KindSCRAM }

// Close leaves the shared backend to its owner.
func (s *SCRAM) Close() error { return nil }

// Authenticators is EMQX's scram authenticator with an HTTP backend.
func (s *SCRAM) Authenticators() []json.RawMessage {
	raw, _ := json.Marshal(map[string]any{
		"mechanism": "scram", "backend": "http", "method": "get", "enable": true,
		"url":       s.backend.URL() + "/auth?username=${username}",
		"algorithm": s.o.Alg.String(), "iteration_count": s.o.Iterations,
	})
	return []json.RawMessage{raw}
}

func (s *SCRAM) Info() map[string]any {
	info := map[string]any{"alg": s.o.Alg.String(), "iterations": s.o.Iterations, "salt_cache": s.o.Cache}
	if s.cache != nil {
		hits, misses := s.cache.Stats()
		info["salt_cache_hits"], info["salt_cache_misses"] = hits, misses
	}
	return info
}

// password is a user's password: derived from the name, so any process
// knows every user's password without sharing state.
func password(user string) string {
	sum := sha256.Sum256([]byte("authspec-load:" + user))
	return fmt.Sprintf("%x", sum[:12])
}

// Prepare adds the users of r the backend does not have yet (PBKDF2 per
// user, on every core). Users already there keep their salt, so salted
// passwords cached by an earlier phase stay valid.
func (s *SCRAM) Prepare(ctx context.Context, r Range) error {
	err := parallel(ctx, r.N, func(i int) error {
		name := s.o.Names.Identity(r.First + i).Username
		if _, ok := s.backend.Answer(name); ok {
			return nil
		}
		return s.backend.AddUser(scrambackend.User{Name: name, Password: password(name), Algorithm: s.o.Alg})
	})
	if err != nil {
		return fmt.Errorf("adding %d SCRAM users: %w", r.N, err)
	}
	return nil
}

func (s *SCRAM) Login(i int) (Login, error) {
	id := s.o.Names.Identity(i)
	return Login{ClientID: id.ClientID, Username: id.Username,
		SCRAM: &SCRAMLogin{Alg: s.o.Alg, User: id.Username, Password: password(id.Username), Cache: s.cache}}, nil
}
