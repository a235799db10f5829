package scram

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestParseClientFirstAccepts(t *testing.T) {
	cases := []struct {
		msg                                    string
		header, flag, authz, user, nonce, bare string
	}{
		{"n,,n=user,r=abc", "n,,", "n", "", "user", "abc", "n=user,r=abc"},
		{"y,,n=user,r=abc", "y,,", "y", "", "user", "abc", "n=user,r=abc"},
		{"n,a=admin,n=user,r=abc", "n,a=admin,", "n", "admin", "user", "abc", "n=user,r=abc"},
		{"n,a=ad=2Cmin,n=us=3Der=2C1,r=abc", "n,a=ad=2Cmin,", "n", "ad,min", "us=er,1", "abc", "n=us=3Der=2C1,r=abc"},
		// Extensions after the nonce are skipped, as sasl_auth does.
		{"n,,n=user,r=abc,x=ext", "n,,", "n", "", "user", "abc", "n=user,r=abc,x=ext"},
		// "=" not followed by 2C or 3D is kept (EMQX leniency).
		{"n,,n=a=b,r=abc", "n,,", "n", "", "a=b", "abc", "n=a=b,r=abc"},
	}
	for _, c := range cases {
		m, err := ParseClientFirst([]byte(c.msg))
		if err != nil {
			t.Errorf("%q: %v", c.msg, err)
			continue
		}
		if m.GS2Header != c.header || m.CBindFlag != c.flag || m.AuthzID != c.authz || m.User != c.user || m.Nonce != c.nonce || m.Bare != c.bare {
			t.Errorf("%q parsed as %+v", c.msg, m)
		}
	}
}

func TestParseClientFirstRefuses(t *testing.T) {
	cases := []struct {
		msg  string
		want error
	}{
		{"", ErrMalformed},
		{"n,,n=user", ErrMalformed},
		{"p=tls-unique,,n=user,r=abc", ErrChannelBinding},
		{"p=tls-server-end-point,,n=user,r=abc", ErrChannelBinding},
		{"x,,n=user,r=abc", ErrMalformed},
		{",,n=user,r=abc", ErrMalformed},
		{"n,b=admin,n=user,r=abc", ErrMalformed},
		{"n,a=,n=user,r=abc", ErrMalformed},
		{"n,,m=ext,n=user,r=abc", ErrExtension},
		{"n,,n=,r=abc", ErrEmptyUser},
		{"n,,n=user,r=", ErrEmptyNonce},
		{"n,,r=abc,n=user", ErrMalformed},
		{"n,,u=user,r=abc", ErrMalformed},
		{"n=user,r=abc", ErrMalformed},
		{"\x00\xff,,,", ErrMalformed},
	}
	for _, c := range cases {
		_, err := ParseClientFirst([]byte(c.msg))
		if !errors.Is(err, c.want) {
			t.Errorf("%q: error %v, want %v", c.msg, err, c.want)
		}
	}
}

func TestParseClientFinal(t *testing.T) {
	proof := base64.StdEncoding.EncodeToString(make([]byte, 32))
	ok := []struct{ msg, nonce, without string }{
		{"c=biws,r=abc,p=" + proof, "abc", "c=biws,r=abc"},
		{"c=biws,r=abc,x=1,p=" + proof, "abc", "c=biws,r=abc,x=1"},
	}
	for _, c := range ok {
		m, err := ParseClientFinal([]byte(c.msg))
		if err != nil {
			t.Errorf("%q: %v", c.msg, err)
			continue
		}
		if string(m.ChannelBinding) != "n,," || m.Nonce != c.nonce || m.WithoutProof != c.without || len(m.Proof) != 32 {
			t.Errorf("%q parsed as %+v", c.msg, m)
		}
	}
	bad := []struct {
		msg  string
		want error
	}{
		{"", ErrMalformed},
		{"c=biws,r=abc", ErrMalformed},
		{"r=abc,c=biws,p=" + proof, ErrMalformed},
		{"c=biws,p=" + proof + ",r=abc", ErrMalformed},
		{"c=biws,r=abc,p=", ErrMalformed},
		{"c=biws,r=,p=" + proof, ErrEmptyNonce},
		{"c=bi!ws,r=abc,p=" + proof, ErrEncoding},
		{"c=biws,r=abc,p=%%%%", ErrEncoding},
		{"c=biws,r=abc,p=" + proof + ",x=1", ErrMalformed},
		{"c=biws,r=abc,p=" + proof + ",p=" + proof, ErrMalformed},
	}
	for _, c := range bad {
		_, err := ParseClientFinal([]byte(c.msg))
		if !errors.Is(err, c.want) {
			t.Errorf("%q: error %v, want %v", c.msg, err, c.want)
		}
	}
}

func TestServerFirstRoundTrip(t *testing.T) {
	m := ServerFirst{Nonce: "abcXYZ", Salt: []byte{0, 1, 2, 255}, Iterations: 4096}
	got, err := ParseServerFirst([]byte(m.String()))
	if err != nil || got.Nonce != m.Nonce || string(got.Salt) != string(m.Salt) || got.Iterations != 4096 {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for _, s := range []string{"", "m=x,r=a,s=AA==,i=1", "r=a,s=AA==", "r=,s=AA==,i=1", "r=a,s=!!,i=1", "r=a,s=AA==,i=0", "r=a,s=AA==,i=x", "s=AA==,r=a,i=1"} {
		if _, err := ParseServerFirst([]byte(s)); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestServerFinalParse(t *testing.T) {
	if m, err := ParseServerFinal([]byte("v=AAEC")); err != nil || len(m.Verifier) != 3 {
		t.Fatalf("v=: %+v %v", m, err)
	}
	if m, err := ParseServerFinal([]byte("e=invalid-proof")); err != nil || m.Error != "invalid-proof" {
		t.Fatalf("e=: %+v %v", m, err)
	}
	for _, s := range []string{"", "v=", "e=", "x=1", "v=!!"} {
		if _, err := ParseServerFinal([]byte(s)); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestEscapeName(t *testing.T) {
	for _, s := range []string{"plain", "a,b", "a=b", "=2C", ",=,", ""} {
		if got := UnescapeName(EscapeName(s)); got != s {
			t.Errorf("round trip of %q gives %q", s, got)
		}
	}
	if got := EscapeName("a,b=c"); got != "a=2Cb=3Dc" {
		t.Errorf("EscapeName = %q", got)
	}
	if got := UnescapeName("x=2"); got != "x=2" {
		t.Errorf("UnescapeName of a short sequence = %q", got)
	}
}

func TestNonce(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		n, err := NewNonce(NonceLength)
		if err != nil {
			t.Fatal(err)
		}
		if len(n) != NonceLength || strings.Trim(n, base62) != "" {
			t.Fatalf("nonce %q is not %d base62 characters", n, NonceLength)
		}
		if seen[n] {
			t.Fatalf("nonce %q repeated", n)
		}
		seen[n] = true
	}
}

func TestAlgorithmNames(t *testing.T) {
	for _, a := range []Algorithm{SHA256, SHA512} {
		p, err := ParseAlgorithm(a.String())
		if err != nil || p != a {
			t.Errorf("ParseAlgorithm(%q) = %v, %v", a, p, err)
		}
		m, ok := AlgorithmForMethod(a.Method())
		if !ok || m != a {
			t.Errorf("AlgorithmForMethod(%q) = %v, %v", a.Method(), m, ok)
		}
	}
	for _, bad := range []string{"SCRAM-SHA-1", "scram-sha-256", "SCRAM-SHA-256-PLUS", ""} {
		if _, ok := AlgorithmForMethod(bad); ok {
			t.Errorf("method %q accepted", bad)
		}
	}
	if _, err := ParseAlgorithm("sha1"); err == nil {
		t.Error("sha1 accepted")
	}
	if _, err := NewServer(Algorithm(0)); err == nil {
		t.Error("NewServer accepts the zero Algorithm")
	}
	if _, err := SaltedPassword(Algorithm(9), "p", nil, 1); err == nil {
		t.Error("SaltedPassword accepts an invalid Algorithm")
	}
}
