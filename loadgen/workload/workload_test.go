package workload

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/stats"
)

func TestNamesAndRange(t *testing.T) {
	id := Names{Prefix: "load-"}.Identity(42)
	if id.Username != "load-u000042" || id.ClientID != "load-c000042" {
		t.Errorf("%+v", id)
	}
	for _, i := range []int{0, 7, 123456, 1234567, -3} {
		id := Names{Prefix: "p-"}.Identity(i)
		if id.Username != fmt.Sprintf("p-u%06d", i) || id.ClientID != fmt.Sprintf("p-c%06d", i) {
			t.Errorf("identity %d: %+v", i, id)
		}
	}
	r := Range{First: 50, N: 3}
	got := []int{r.At(0), r.At(1), r.At(2), r.At(3), r.At(7)}
	if fmt.Sprint(got) != "[50 51 52 50 51]" {
		t.Errorf("Range.At = %v", got)
	}
}

// Every client gets its own token, signed so a verifier with the
// configured key accepts it, with sub = the client's username.
func TestJWTTokensVerify(t *testing.T) {
	for _, alg := range []string{"HS256", "HS512", "RS256", "PS256", "ES256", "EdDSA"} {
		t.Run(alg, func(t *testing.T) {
			w, err := NewJWT(JWTOptions{Alg: alg, Secret: "emqxsecret", Names: Names{Prefix: "t-"}})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Prepare(context.Background(), Range{First: 10, N: 4}); err != nil {
				t.Fatal(err)
			}
			var key any = []byte("emqxsecret")
			if w.o.Key != nil {
				key = w.o.Key.Public()
				if k, ok := key.(ed25519.PublicKey); ok {
					key = k
				}
			}
			seen := map[string]bool{}
			for _, i := range []int{10, 13, 99} { // 99 is outside the pool: minted fresh
				l, err := w.Login(i)
				if err != nil {
					t.Fatal(err)
				}
				tok, err := jwt.Parse(string(l.Password), func(*jwt.Token) (any, error) { return key, nil }, jwt.WithValidMethods([]string{alg}))
				if err != nil {
					t.Fatalf("client %d: %v", i, err)
				}
				sub, _ := tok.Claims.GetSubject()
				if sub != l.Username || l.Username != fmt.Sprintf("t-u%06d", i) || seen[string(l.Password)] {
					t.Errorf("client %d: sub %q username %q (duplicate token: %v)", i, sub, l.Username, seen[string(l.Password)])
				}
				seen[string(l.Password)] = true
			}
			if len(w.Authenticators()) != 1 {
				t.Errorf("authenticators %s", w.Authenticators())
			}
		})
	}
	if _, err := NewJWT(JWTOptions{Alg: "none"}); err == nil {
		t.Error("alg none accepted")
	}
	if _, err := NewJWT(JWTOptions{Alg: "HS256"}); err == nil {
		t.Error("HS256 without a secret accepted")
	}
}

func TestClassify(t *testing.T) {
	cases := map[stats.Cause]error{
		stats.CauseRefused:     &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)},
		stats.CauseNoPort:      &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EADDRNOTAVAIL)},
		stats.CauseTimeout:     fmt.Errorf("%w waiting for CONNACK", mqttwire.ErrTimeout),
		stats.CauseReset:       fmt.Errorf("%w: %w", mqttwire.ErrConnectionClosed, io.EOF),
		stats.CauseProtocol:    &mqttwire.UnexpectedPacketError{Want: "CONNACK"},
		stats.CauseInterrupted: context.Canceled,
		stats.CauseOther:       errors.New("something else"),
	}
	for want, err := range cases {
		if got := Classify(err); got != want {
			t.Errorf("Classify(%v) = %q, want %q", err, got, want)
		}
	}
}

// Connections leave from the given source addresses, in turn.
func TestDialerSources(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srcs := []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.3")}
	d := NewDialer(srcs, false)
	seen := map[string]int{}
	for range 4 {
		c, err := d.DialContext(context.Background(), ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		s, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		host, _, _ := net.SplitHostPort(s.RemoteAddr().String())
		seen[host]++
		c.Close()
		s.Close()
	}
	if seen["127.0.0.2"] != 2 || seen["127.0.0.3"] != 2 {
		t.Errorf("sources seen %v", seen)
	}
}

// Port exhaustion adds the next loopback address, once for concurrent
// failures, and not for a non-loopback target.
func TestDialerGrowsLoopback(t *testing.T) {
	d := NewDialer(nil, true)
	_, n := d.pick()
	first := d.addLoopback(n)
	second := d.addLoopback(n) // a concurrent failure that saw the same sources
	if !first || !second {
		t.Fatal("did not grow")
	}
	if got := fmt.Sprint(d.Sources()); got != "[kernel 127.0.0.2]" {
		t.Errorf("sources %s (two failures seen with the same count add one address)", got)
	}
	_, n = d.pick()
	d.addLoopback(n)
	if got := fmt.Sprint(d.Sources()); got != "[kernel 127.0.0.2 127.0.0.3]" {
		t.Errorf("sources %s", got)
	}
	if len(d.Notes()) != 2 {
		t.Errorf("notes %v", d.Notes())
	}
	if NewDialer(nil, false).addLoopback(1) {
		t.Error("grew for a non-loopback target")
	}
	for addr, want := range map[string]bool{"127.0.0.1:1883": true, "localhost:1": true, "[::1]:1": true, "10.0.0.1:1883": false, "x": false} {
		if IsLoopback(addr) != want {
			t.Errorf("IsLoopback(%q) != %v", addr, want)
		}
	}
}
