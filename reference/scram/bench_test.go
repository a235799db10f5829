package scram

import "testing"

// BenchmarkServerVerify measures the broker's cost of the final step: parse
// the client-final message, verify the proof, sign the server-final message.
func BenchmarkServerVerify(b *testing.B) {
	for _, alg := range []Algorithm{SHA256, SHA512} {
		b.Run(alg.String(), func(b *testing.B) {
			creds, err := NewCredentials(alg, "pencil", []byte("0123456789abcdef"), 4096)
			if err != nil {
				b.Fatal(err)
			}
			cl, _ := NewClient(alg, "user", "pencil", WithClientNonce("clientnonce"))
			srv, _ := NewServer(alg, WithServerNonce("servernonce"))
			if _, err := srv.ReadClientFirst(cl.First()); err != nil {
				b.Fatal(err)
			}
			sf, _ := srv.ServerFirst(creds)
			cf, err := cl.Final(sf)
			if err != nil {
				b.Fatal(err)
			}
			first, _ := ParseClientFirst(cl.First())
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				// A fresh conversation in the state the final step finds
				// it in; only ReadClientFinal runs.
				s := &Server{alg: alg, state: awaitClientFinal, first: first, creds: creds,
					nonce: "clientnonceservernonce", serverFirst: string(sf)}
				if _, err := s.ReadClientFinal(cf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClientSaltedPassword measures the client's PBKDF2 at 4096
// iterations, the cost a client without a salted-password cache pays on
// every connection.
func BenchmarkClientSaltedPassword(b *testing.B) {
	for _, alg := range []Algorithm{SHA256, SHA512} {
		b.Run(alg.String(), func(b *testing.B) {
			salt := []byte("0123456789abcdef")
			for b.Loop() {
				if _, err := SaltedPassword(alg, "pencil", salt, 4096); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
