package scram

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

// The catalogue's Vectors section (behaviors.md): every value is checked
// byte for byte.

const docSaltHex = "6633653634383437393466356532333165656435346432393464366165393137"

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in test vector: %v", err)
	}
	return b
}

func TestDocBackendAnswerKeys(t *testing.T) {
	salt := mustHex(t, docSaltHex)
	if string(salt) != "f3e6484794f5e231eed54d294d6ae917" {
		t.Fatalf("salt decodes to %q", salt)
	}
	cases := []struct {
		alg                       Algorithm
		password                  string
		salted, stored, serverKey string
	}{
		{SHA256, "public",
			"32122470eb6b192f97a56639def187072651bd2deff6727c5c8f0c4427b15678",
			"008F5E0CC6316BB172F511E93E4756EEA876B5B5125F1CD2FD69A2C30F9A0D73",
			"81466E185EC642AFAE1EFA75953735D6C0934D099149AAAB601D59F8F8162580"},
		{SHA512, "p",
			"6156926bfd8314668dc3284e7c227e293e02f9b67516eb5a82b0ee099a48943e2fedaf9124c92f3deb0fe2b753c2c4cf88cbe803958ff606446366e916c48806",
			"1ACB86B1BA8CB897307FDCC16678D513C68BED4484EF60F83DBFA4F06A973DA1FF468FD5DE6016EABD4650B242D604FA9E5987A796682F5E0A7197F8A664FAC9",
			"356322EF8D9FB47239E6458EA8AE4104DF01804DFDDCC2DFA1E7536502867530BD78655E4A7B4983954747C4BF38945192666609CB783347FBEDB4CD41F18685"},
	}
	for _, c := range cases {
		t.Run(c.alg.String(), func(t *testing.T) {
			sp, err := SaltedPassword(c.alg, c.password, salt, 4096)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(sp); got != c.salted {
				t.Errorf("SaltedPassword = %s, want %s", got, c.salted)
			}
			creds, err := NewCredentials(c.alg, c.password, salt, 4096)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ToUpper(hex.EncodeToString(creds.StoredKey)); got != c.stored {
				t.Errorf("stored_key = %s, want %s", got, c.stored)
			}
			if got := strings.ToUpper(hex.EncodeToString(creds.ServerKey)); got != c.serverKey {
				t.Errorf("server_key = %s, want %s", got, c.serverKey)
			}
			// The catalogue: the hex text as salt, or another count, does
			// not reproduce the keys (so a test using them can tell).
			for _, wrong := range []struct {
				salt []byte
				iter int
			}{{[]byte(docSaltHex), 4096}, {salt, 4095}, {salt, 8192}} {
				other, err := NewCredentials(c.alg, c.password, wrong.salt, wrong.iter)
				if err != nil {
					t.Fatal(err)
				}
				if strings.EqualFold(hex.EncodeToString(other.StoredKey), c.stored) {
					t.Errorf("salt %q i=%d reproduces stored_key", wrong.salt, wrong.iter)
				}
			}
		})
	}
}

type exchangeVector struct {
	name                     string
	alg                      Algorithm
	user, password           string
	salt                     []byte
	iterations               int
	clientNonce, serverNonce string
	clientFirst, serverFirst string
	clientFinal, serverFinal string
}

func exchangeVectors(t *testing.T) []exchangeVector {
	docSalt := mustHex(t, docSaltHex)
	rfcSalt, err := base64.StdEncoding.DecodeString("W22ZaJ0SNY7soEsUEjb6gQ==")
	if err != nil {
		t.Fatal(err)
	}
	return []exchangeVector{
		{
			name: "RFC7677-section3", alg: SHA256, user: "user", password: "pencil", salt: rfcSalt, iterations: 4096,
			clientNonce: "rOprNGfwEbeRWgbNEkqO", serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
			clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
			serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
			clientFinal: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
			serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
		},
		{
			name: "doc-SHA-256", alg: SHA256, user: "myuser", password: "public", salt: docSalt, iterations: 4096,
			clientNonce: "clientnonce123", serverNonce: "servernonce456",
			clientFirst: "n,,n=myuser,r=clientnonce123",
			serverFirst: "r=clientnonce123servernonce456,s=ZjNlNjQ4NDc5NGY1ZTIzMWVlZDU0ZDI5NGQ2YWU5MTc=,i=4096",
			clientFinal: "c=biws,r=clientnonce123servernonce456,p=N1rzlysEkbR/0YNJK2XuUcabv/Rfh0TAM28g4NTTaIk=",
			serverFinal: "v=E4/n4r/4jvphd2lS4SA1YhjVAgAlO40F3g7phZatHXU=",
		},
		{
			name: "doc-SHA-512", alg: SHA512, user: "u", password: "p", salt: docSalt, iterations: 4096,
			clientNonce: "clientnonce123", serverNonce: "servernonce456",
			clientFirst: "n,,n=u,r=clientnonce123",
			serverFirst: "r=clientnonce123servernonce456,s=ZjNlNjQ4NDc5NGY1ZTIzMWVlZDU0ZDI5NGQ2YWU5MTc=,i=4096",
			clientFinal: "c=biws,r=clientnonce123servernonce456,p=DQRIo1TveJy6WK76UHys23sO/oYbUguyebuGedyDQhIwsNmaND5j9BLh/a/jQ+piOgZjrVEtQFE9e3ldmYc0dw==",
			serverFinal: "v=TGpB6sYOzVHdxaPYLC2tRjBHgdUHZYQtGjwAHPWmc/Jj2N0f80TA5eTzO8w6PRcwuJnrHLEetp5UeoUIaPkTVA==",
		},
	}
}

// TestExchangeVectors runs both sides of each catalogued exchange with the
// fixed nonces and compares every message byte for byte.
func TestExchangeVectors(t *testing.T) {
	for _, v := range exchangeVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			cl, err := NewClient(v.alg, v.user, v.password, WithClientNonce(v.clientNonce))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(cl.First()); got != v.clientFirst {
				t.Fatalf("client-first = %q, want %q", got, v.clientFirst)
			}
			srv, err := NewServer(v.alg, WithServerNonce(v.serverNonce))
			if err != nil {
				t.Fatal(err)
			}
			first, err := srv.ReadClientFirst([]byte(v.clientFirst))
			if err != nil {
				t.Fatal(err)
			}
			if first.User != v.user || first.Nonce != v.clientNonce {
				t.Fatalf("parsed user %q nonce %q", first.User, first.Nonce)
			}
			creds, err := NewCredentials(v.alg, v.password, v.salt, v.iterations)
			if err != nil {
				t.Fatal(err)
			}
			sf, err := srv.ServerFirst(creds)
			if err != nil {
				t.Fatal(err)
			}
			if string(sf) != v.serverFirst {
				t.Fatalf("server-first = %q, want %q", sf, v.serverFirst)
			}
			cf, err := cl.Final(sf)
			if err != nil {
				t.Fatal(err)
			}
			if string(cf) != v.clientFinal {
				t.Fatalf("client-final = %q, want %q", cf, v.clientFinal)
			}
			sfin, err := srv.ReadClientFinal(cf)
			if err != nil {
				t.Fatal(err)
			}
			if string(sfin) != v.serverFinal {
				t.Fatalf("server-final = %q, want %q", sfin, v.serverFinal)
			}
			if !srv.Done() {
				t.Error("server not done after the final step")
			}
			if err := cl.VerifyServerFinal(sfin); err != nil || !cl.Verified() {
				t.Fatalf("client rejects the server-final: %v", err)
			}
		})
	}
}

// TestExchangeVectorsServerOnly feeds the catalogued client messages to the
// server alone, so the server is checked independently of our client.
func TestExchangeVectorsServerOnly(t *testing.T) {
	for _, v := range exchangeVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			srv, _ := NewServer(v.alg, WithServerNonce(v.serverNonce))
			if _, err := srv.ReadClientFirst([]byte(v.clientFirst)); err != nil {
				t.Fatal(err)
			}
			creds, _ := NewCredentials(v.alg, v.password, v.salt, v.iterations)
			if _, err := srv.ServerFirst(creds); err != nil {
				t.Fatal(err)
			}
			got, err := srv.ReadClientFinal([]byte(v.clientFinal))
			if err != nil || string(got) != v.serverFinal {
				t.Fatalf("server-final = %q, %v; want %q", got, err, v.serverFinal)
			}
		})
	}
}
