package scram

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// conversation runs a server up to the point where it waits for the
// client-final message, with a client for the same user.
func conversation(t *testing.T, alg Algorithm, password string, clientOpts []ClientOption, serverOpts ...ServerOption) (*Client, *Server, []byte) {
	t.Helper()
	cl, err := NewClient(alg, "us,er=", password, clientOpts...)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(alg, serverOpts...)
	if err != nil {
		t.Fatal(err)
	}
	first, err := srv.ReadClientFirst(cl.First())
	if err != nil {
		t.Fatal(err)
	}
	if first.User != "us,er=" {
		t.Fatalf("server sees user %q", first.User)
	}
	creds, err := NewCredentials(alg, "pencil", []byte("salt"), 64)
	if err != nil {
		t.Fatal(err)
	}
	sf, err := srv.ServerFirst(creds)
	if err != nil {
		t.Fatal(err)
	}
	return cl, srv, sf
}

func TestServerAcceptsFlagYAndAuthzID(t *testing.T) {
	for _, header := range []string{"n,,", "y,,", GS2Header("n", "ad,min"), GS2Header("y", "x")} {
		for _, alg := range []Algorithm{SHA256, SHA512} {
			cl, srv, sf := conversation(t, alg, "pencil", []ClientOption{WithGS2Header(header)})
			cf, err := cl.Final(sf)
			if err != nil {
				t.Fatal(err)
			}
			fin, err := srv.ReadClientFinal(cf)
			if err != nil {
				t.Fatalf("%s %q: %v", alg, header, err)
			}
			if err := cl.VerifyServerFinal(fin); err != nil {
				t.Fatalf("%s %q: %v", alg, header, err)
			}
		}
	}
}

func TestServerNonceExtendsClientNonce(t *testing.T) {
	cl, _, sf := conversation(t, SHA256, "pencil", nil)
	m, err := ParseServerFirst(sf)
	if err != nil {
		t.Fatal(err)
	}
	snonce, ok := strings.CutPrefix(m.Nonce, cl.Nonce())
	if !ok || len(snonce) != NonceLength || strings.Trim(snonce, base62) != "" {
		t.Fatalf("combined nonce %q does not extend %q with %d base62 characters", m.Nonce, cl.Nonce(), NonceLength)
	}
}

func TestServerRefusesBadClientFinal(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		name   string
		alter  func(m *ClientFinal)
		header string
		want   error
	}{
		{"wrong password", nil, "", ErrProof},
		{"nonce mismatch", func(m *ClientFinal) { m.Nonce += "x" }, "", ErrNonceMismatch},
		{"client nonce only", func(m *ClientFinal) { m.Nonce = m.Nonce[:24] }, "", ErrNonceMismatch},
		{"c= flag y after n", func(m *ClientFinal) { m.ChannelBinding = []byte("y,,") }, "", ErrChannelBindingMismatch},
		{"c= flag n after y", func(m *ClientFinal) { m.ChannelBinding = []byte("n,,") }, "y,,", ErrChannelBindingMismatch},
		{"c= other authzid", func(m *ClientFinal) { m.ChannelBinding = []byte("n,a=root,") }, "n,a=admin,", ErrChannelBindingMismatch},
		{"c= p=", func(m *ClientFinal) { m.ChannelBinding = []byte("p=tls-unique,,xyz") }, "", ErrChannelBinding},
		{"c= empty", func(m *ClientFinal) { m.ChannelBinding = nil }, "", ErrChannelBindingMismatch},
		{"short proof", func(m *ClientFinal) { m.Proof = m.Proof[:16] }, "", ErrProofLength},
		{"long proof", func(m *ClientFinal) { m.Proof = append(m.Proof, 0) }, "", ErrProofLength},
		{"flipped proof", func(m *ClientFinal) { m.Proof[0] ^= 1 }, "", ErrProof},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			password := "pencil"
			if c.alter == nil {
				password = "wrong"
			}
			var opts []ClientOption
			if c.header != "" {
				opts = append(opts, WithGS2Header(c.header))
			}
			cl, srv, sf := conversation(t, SHA256, password, opts)
			m, err := cl.Respond(sf)
			if err != nil {
				t.Fatal(err)
			}
			if c.alter != nil {
				c.alter(&m)
			}
			fin, err := srv.ReadClientFinal([]byte(m.String()))
			if !errors.Is(err, c.want) || fin != nil {
				t.Fatalf("got %q, %v; want %v", fin, err, c.want)
			}
			if srv.Done() {
				t.Fatal("server done after a refusal")
			}
			if _, err := srv.ReadClientFinal([]byte(m.String())); !errors.Is(err, ErrState) {
				t.Fatalf("a second client-final after a refusal: %v", err)
			}
		})
	}
	// Raw malformed messages that cannot be built from ClientFinal.
	for _, raw := range []string{"", "garbage", "c=biws,r=x,p=!!!!", "c=***,r=x,p=" + b64(make([]byte, 32))} {
		_, srv, _ := conversation(t, SHA256, "pencil", nil)
		if _, err := srv.ReadClientFinal([]byte(raw)); err == nil {
			t.Errorf("%q accepted", raw)
		}
	}
}

func TestServerStepsInOrder(t *testing.T) {
	srv, _ := NewServer(SHA256)
	if _, err := srv.ReadClientFinal([]byte("c=biws,r=a,p=AA==")); !errors.Is(err, ErrState) {
		t.Fatalf("client-final first: %v", err)
	}
	srv, _ = NewServer(SHA256)
	if _, err := srv.ServerFirst(Credentials{Iterations: 1, StoredKey: []byte{1}, ServerKey: []byte{1}}); !errors.Is(err, ErrState) {
		t.Fatalf("server-first before client-first: %v", err)
	}
	srv, _ = NewServer(SHA256)
	if _, err := srv.ReadClientFirst([]byte("n,,n=u,r=a")); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ServerFirst(Credentials{Iterations: 0, StoredKey: []byte{1}, ServerKey: []byte{1}}); err == nil {
		t.Fatal("zero iterations accepted")
	}
	// A finished conversation does not run again.
	cl, srv2, sf := conversation(t, SHA256, "pencil", nil)
	cf, _ := cl.Final(sf)
	if _, err := srv2.ReadClientFinal(cf); err != nil {
		t.Fatal(err)
	}
	if _, err := srv2.ReadClientFinal(cf); !errors.Is(err, ErrState) {
		t.Fatalf("replayed client-final: %v", err)
	}
}

func TestClientRefusesBadServer(t *testing.T) {
	cl, _ := NewClient(SHA256, "u", "p", WithClientNonce("abc"))
	if _, err := cl.Final([]byte("r=abc,s=AA==,i=1")); !errors.Is(err, ErrNonceMismatch) {
		t.Fatalf("echoed nonce: %v", err)
	}
	cl, _ = NewClient(SHA256, "u", "p", WithClientNonce("abc"))
	if _, err := cl.Final([]byte("r=xyzabc,s=AA==,i=1")); !errors.Is(err, ErrNonceMismatch) {
		t.Fatalf("foreign nonce: %v", err)
	}
	cl, _ = NewClient(SHA256, "u", "p", WithClientNonce("abc"), WithMaxIterations(10))
	if _, err := cl.Final([]byte("r=abcd,s=AA==,i=11")); err == nil {
		t.Fatal("iteration count above the limit accepted")
	}
	cl, srv, sf := conversation(t, SHA512, "pencil", nil)
	cf, _ := cl.Final(sf)
	if _, err := srv.ReadClientFinal(cf); err != nil {
		t.Fatal(err)
	}
	if err := cl.VerifyServerFinal([]byte("v=" + base64.StdEncoding.EncodeToString(make([]byte, 64)))); !errors.Is(err, ErrServerSignature) {
		t.Fatalf("forged v=: %v", err)
	}
	if err := cl.VerifyServerFinal([]byte("e=other-error")); !errors.Is(err, ErrServerError) {
		t.Fatalf("e=: %v", err)
	}
	if cl.Verified() {
		t.Fatal("Verified after failures")
	}
}

func TestDefects(t *testing.T) {
	// SkipProofCheck: a wrong password passes.
	cl, srv, sf := conversation(t, SHA256, "wrong", nil, SkipProofCheck())
	cf, _ := cl.Final(sf)
	if _, err := srv.ReadClientFinal(cf); err != nil {
		t.Fatalf("SkipProofCheck: %v", err)
	}
	// SignWithStoredKey: the client rejects the signature.
	cl, srv, sf = conversation(t, SHA256, "pencil", nil, SignWithStoredKey())
	cf, _ = cl.Final(sf)
	fin, err := srv.ReadClientFinal(cf)
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.VerifyServerFinal(fin); !errors.Is(err, ErrServerSignature) {
		t.Fatalf("SignWithStoredKey: client says %v", err)
	}
	// SkipNonceCheck: a foreign nonce passes (the proof covers it, so the
	// client computes the proof over the altered message).
	cl, srv, sf = conversation(t, SHA256, "pencil", nil, SkipNonceCheck())
	m, _ := cl.Respond(sf)
	m.Nonce = "other"
	if _, err := srv.ReadClientFinal([]byte(m.String())); errors.Is(err, ErrNonceMismatch) {
		t.Fatalf("SkipNonceCheck still checks: %v", err)
	}
	// AcceptChannelBinding: p= passes both messages.
	srv, _ = NewServer(SHA256, AcceptChannelBinding())
	if _, err := srv.ReadClientFirst([]byte("p=tls-unique,,n=u,r=abc")); err != nil {
		t.Fatalf("AcceptChannelBinding: %v", err)
	}
	creds, _ := NewCredentials(SHA256, "pencil", []byte("salt"), 64)
	sf, _ = srv.ServerFirst(creds)
	cl, _ = NewClient(SHA256, "u", "pencil", WithClientNonce("abc"), WithGS2Header("p=tls-unique,,"))
	m, err = cl.Respond(sf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ReadClientFinal([]byte(m.String())); err != nil {
		t.Fatalf("AcceptChannelBinding final: %v", err)
	}
}
