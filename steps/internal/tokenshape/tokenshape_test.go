package tokenshape

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/tokens"
)

var secret = []byte("emqxsecret")

func hs256(t *testing.T, claims map[string]any) string {
	t.Helper()
	tok, err := tokens.Mint("HS256", secret, claims, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// verifies reports whether tok is a valid HS256 token under the secret.
func verifies(tok string) bool {
	_, err := jwt.Parse(tok, func(*jwt.Token) (any, error) { return secret, nil }, jwt.WithValidMethods([]string{"HS256"}))
	return err == nil
}

func TestCorruptKeepsTheLengthAndBreaksTheSignature(t *testing.T) {
	tok := hs256(t, map[string]any{"sub": "a"})
	bad, err := ReshapeSignature(tok, Corrupt)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != len(tok) || bad == tok || verifies(bad) {
		t.Errorf("expected a token of the same length that does not verify, got %q from %q", bad, tok)
	}
	if !strings.HasPrefix(bad, tok[:strings.LastIndexByte(tok, '.')+1]) {
		t.Error("the header and payload changed")
	}
	if _, err := Corrupt(nil); err == nil {
		t.Error("an empty signature cannot be corrupted: expected an error")
	}
	if _, err := ReshapeSignature("a.b.!!", Corrupt); err == nil {
		t.Error("a signature that is not base64url: expected an error")
	}
}

func TestCheckECDSASize(t *testing.T) {
	for _, n := range []int{64, 96, 132} {
		if err := CheckECDSASize(make([]byte, n)); err != nil {
			t.Errorf("%d bytes: %v", n, err)
		}
	}
	if err := CheckECDSASize(make([]byte, 32)); err == nil {
		t.Error("a 32-byte signature (HS256) is no ECDSA signature: expected an error")
	}
}

func TestInsertInside(t *testing.T) {
	tok := hs256(t, map[string]any{"sub": "a"})
	parts := strings.Split(tok, ".")
	for i, seg := range Segments {
		got, err := InsertInside(tok, seg, "\r\n")
		if err != nil {
			t.Fatal(err)
		}
		gotParts := strings.Split(got, ".")
		want := parts[i][:len(parts[i])/2] + "\r\n" + parts[i][len(parts[i])/2:]
		if gotParts[i] != want {
			t.Errorf("%s: expected %q, got %q", seg, want, gotParts[i])
		}
	}
	if _, err := InsertInside("a.b", "header", " "); err == nil {
		t.Error("a two-part token: expected an error")
	}
	if _, err := InsertInside("ab.c.", "signature", " "); err == nil {
		t.Error("an empty signature has no middle: expected an error")
	}
}

func TestStandardAlphabetDiffersFromBase64url(t *testing.T) {
	tries := 0
	got, err := StandardAlphabet(func(nonce string) (string, error) {
		tries++
		return hs256(t, map[string]any{"sub": "a", "nonce": nonce}), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.ContainsAny(got, "+/") || strings.ContainsAny(got, "-_=") {
		t.Errorf("expected the standard alphabet without padding, got %q", got)
	}
	back := strings.NewReplacer("+", "-", "/", "_").Replace(got)
	if !verifies(back) {
		t.Errorf("the token in base64url (%q) should verify: only the alphabet may differ", back)
	}
	_, err = StandardAlphabet(func(string) (string, error) { return "abc.def.ghi", nil })
	if err == nil {
		t.Error("a token without '-' or '_' can never differ: expected an error")
	}
}

func TestPadTo(t *testing.T) {
	claims := map[string]any{"sub": "a"}
	sign := func(filler string) (string, error) { return hs256(t, WithClaim(claims, "filler", filler)), nil }
	for _, n := range []int{MinPadded, 1000, 4097, MaxLen} {
		tok, err := PadTo(n, sign)
		if err != nil {
			t.Fatalf("%d: %v", n, err)
		}
		if len(tok) > n || len(tok) < n-2 || !verifies(tok) {
			t.Errorf("%d: expected a valid token of %d..%d bytes, got %d", n, n-2, n, len(tok))
		}
	}
	if _, ok := claims["filler"]; ok {
		t.Error("WithClaim changed the claims it copied")
	}
	if _, err := PadTo(10, sign); err == nil {
		t.Error("10 bytes is shorter than any token: expected an error")
	}
	if CheckPaddedLength(MaxLen+1) == nil || CheckPaddedLength(MinPadded-1) == nil || CheckPaddedLength(MaxLen) != nil {
		t.Error("CheckPaddedLength bounds")
	}
}

func TestNestedHeader(t *testing.T) {
	h := NestedHeader("HS256", 3)
	var v struct {
		Alg string `json:"alg"`
		N   any    `json:"n"`
	}
	if err := json.Unmarshal(h, &v); err != nil || v.Alg != "HS256" {
		t.Fatalf("%s: %v", h, err)
	}
	if !bytes.Contains(h, []byte(`"n":[[[]]]`)) {
		t.Errorf("expected n nested 3 deep, got %s", h)
	}
}

func TestEncryptJWEHoldsTheToken(t *testing.T) {
	inner := hs256(t, map[string]any{"sub": "a"})
	jwe, err := EncryptJWE(inner, secret)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(jwe, ".") != 4 {
		t.Fatalf("expected a five-part compact JWE, got %q", jwe)
	}
	obj, err := jose.ParseEncryptedCompact(jwe, []jose.KeyAlgorithm{jose.PBES2_HS256_A128KW}, []jose.ContentEncryption{jose.A128GCM})
	if err != nil {
		t.Fatal(err)
	}
	if obj.Header.ExtraHeaders["cty"] != "JWT" {
		t.Errorf("expected cty JWT, got %v", obj.Header.ExtraHeaders)
	}
	plain, err := obj.Decrypt(secret)
	if err != nil || string(plain) != inner {
		t.Errorf("decrypting with the secret: %q %v, expected the inner token", plain, err)
	}
}

func TestWithSignatureOf(t *testing.T) {
	valid := hs256(t, map[string]any{"sub": "a"})
	got := WithSignatureOf("h.p.", valid)
	if got != "h.p."+valid[strings.LastIndexByte(valid, '.')+1:] {
		t.Errorf("expected the valid token's signature, got %q", got)
	}
	got = WithSignatureOf("h.p.", "x.y.")
	sig, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(got, "h.p."))
	if err != nil || len(sig) != 32 {
		t.Errorf("without a signature to carry: expected 32 random bytes, got %q %v", got, err)
	}
}

func TestEncodings(t *testing.T) {
	text := []byte(`{"a":"é"}`)
	if got := WithBOM(text); !bytes.Equal(got, append([]byte{0xEF, 0xBB, 0xBF}, text...)) {
		t.Errorf("BOM: %x", got)
	}
	got := UTF16(text)
	if !bytes.HasPrefix(got, []byte{0xFF, 0xFE}) || len(got) != 2+2*len([]rune(string(text))) {
		t.Fatalf("UTF-16: %x", got)
	}
	u := make([]uint16, 0, len(got)/2)
	for i := 2; i < len(got); i += 2 {
		u = append(u, uint16(got[i])|uint16(got[i+1])<<8)
	}
	if string(utf16.Decode(u)) != string(text) {
		t.Errorf("UTF-16 decodes to %q", string(utf16.Decode(u)))
	}
}
