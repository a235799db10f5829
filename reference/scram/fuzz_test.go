package scram

import (
	"bytes"
	"testing"
)

// FuzzServerExchange drives the server side of an exchange with an
// arbitrary client-first and client-final message (both come from the
// network in AUTH packets): it must never panic nor accept a proof it
// did not get from the password.
func FuzzServerExchange(f *testing.F) {
	for _, s := range [][2]string{
		{"n,,n=user,r=rOprNGfwEbeRWgbNEkqO", "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="},
		{"y,,n=us=2Cer,r=abc", "c=eSws,r=abc,p=AAAA"},
		{"p=tls-unique,,n=u,r=x", "c=cD10bHMtdW5pcXVlLCw=,r=x,p="},
		{"n,a=admin,n=u,r=x,m=ext", "c=biws,r=x,e=oops,p=QUJD"},
		{"n,,n=,r=", ",,,"},
		{"", ""},
		{"n,,n=u,r=x", "c=biws,r=x,p=" + string(bytes.Repeat([]byte("A"), 200))},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	creds, err := NewCredentials(SHA256, "pencil", []byte("saltsaltsalt"), 4096)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, first, final []byte) {
		srv, err := NewServer(SHA256, WithServerNonce("servernonce"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.ReadClientFirst(first); err != nil {
			return
		}
		if _, err := srv.ServerFirst(creds); err != nil {
			return
		}
		// Only the password's proof over this exchange's nonces verifies;
		// a made-up client-final never carries it.
		if _, err := srv.ReadClientFinal(final); err == nil {
			t.Fatalf("a made-up client-final was accepted: %q", final)
		}
	})
}
