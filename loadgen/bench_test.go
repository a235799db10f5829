package loadgen

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/loadgen/target"
	"github.com/authspec/authspec/loadgen/workload"
	"github.com/authspec/authspec/reference/scram"
)

// benchConnect connects and disconnects clients against the in-process
// reference, provisioned for w, 8 per core at once: ns/op is the inverse
// of the connection rate when both sides share the machine's cores (one
// process), with no load generator around it. Sequential connects would
// measure loopback round trips and wake-ups instead of work.
func benchConnect(b *testing.B, w workload.Workload) {
	ctx := context.Background()
	ref, err := target.StartReference(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer ref.Close()
	if err := ref.Provisioner().Apply(ctx, w.Authenticators()); err != nil {
		b.Fatal(err)
	}
	clients := workload.Range{First: 0, N: 200}
	if err := w.Prepare(ctx, clients); err != nil {
		b.Fatal(err)
	}
	d, _ := workload.NewDriver(workload.DriverWire, workload.NewDialer(nil, true), 5*time.Second)
	// Warm up: the salted-password cache, connection pools, the JIT of
	// nothing (Go), the kernel's socket caches.
	for i := range clients.N {
		connectOnce(b, d, ref.Addr(), w, clients.At(int64(i)))
	}
	b.ReportAllocs()
	b.SetParallelism(8)
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			connectOnce(b, d, ref.Addr(), w, clients.At(next.Add(1)))
		}
	})
}

func connectOnce(b testing.TB, d workload.Driver, addr string, w workload.Workload, client int) {
	l, err := w.Login(client)
	if err != nil {
		b.Error(err)
		return
	}
	s, o := d.Connect(context.Background(), addr, l)
	if !o.OK() {
		b.Errorf("client %d: %+v", client, o)
		return
	}
	_ = s.Close(context.Background())
}

// BenchmarkConnect: anonymous vs JWT CONNECT, sequential, in-process.
func BenchmarkConnect(b *testing.B) {
	names := workload.Names{Prefix: "bench-"}
	b.Run("anonymous", func(b *testing.B) { benchConnect(b, workload.NewAnonymous(names)) })
	for _, alg := range []string{"HS256", "RS256", "ES256", "EdDSA"} {
		b.Run("jwt-"+alg, func(b *testing.B) {
			w, err := workload.NewJWT(workload.JWTOptions{Alg: alg, Secret: "emqxsecret", Names: names})
			if err != nil {
				b.Fatal(err)
			}
			benchConnect(b, w)
		})
	}
}

// BenchmarkSCRAMHandshake: a whole SCRAM-SHA-256 exchange (CONNECT, AUTH
// both ways, CONNACK, the backend request) with and without the client's
// salted-password cache.
func BenchmarkSCRAMHandshake(b *testing.B) {
	backend, err := workload.StartBackend("", 4096)
	if err != nil {
		b.Fatal(err)
	}
	defer backend.Close()
	for _, cache := range []bool{true, false} {
		name := "nocache"
		if cache {
			name = "cache"
		}
		b.Run(name, func(b *testing.B) {
			w, err := workload.NewSCRAM(workload.SCRAMOptions{Alg: scram.SHA256, Cache: cache, Backend: backend,
				Names: workload.Names{Prefix: "bench-"}})
			if err != nil {
				b.Fatal(err)
			}
			benchConnect(b, w)
		})
	}
}

// BenchmarkGolangJWTParse is the yardstick of the reference's JWT path: a
// bare golang-jwt parse and verify of the tokens the jwt workload sends
// (sub, iat, exp), to set beside BenchmarkConnect's jwt-* minus anonymous
// (the broker's extra work per JWT connection; instruction counts under
// callgrind, README "Load generator" measurements).
func BenchmarkGolangJWTParse(b *testing.B) {
	names := workload.Names{Prefix: "bench-"}
	for _, alg := range []string{"HS256", "RS256"} {
		b.Run(alg, func(b *testing.B) {
			o := workload.JWTOptions{Alg: alg, Secret: "emqxsecret", Names: names}
			var key any = []byte("emqxsecret")
			if alg != "HS256" {
				kind, err := tokens.KindForAlg(alg)
				if err != nil {
					b.Fatal(err)
				}
				if o.Key, err = tokens.NewKey(kind); err != nil {
					b.Fatal(err)
				}
				key = o.Key.Public()
			}
			w, err := workload.NewJWT(o)
			if err != nil {
				b.Fatal(err)
			}
			l, err := w.Login(7)
			if err != nil {
				b.Fatal(err)
			}
			p := jwt.NewParser(jwt.WithValidMethods([]string{alg}), jwt.WithoutClaimsValidation())
			kf := func(*jwt.Token) (any, error) { return key, nil }
			tok := string(l.Password)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Parse(tok, kf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
