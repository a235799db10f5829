package jwtauth

import (
	"strconv"
	"testing"
)

// TestHeaderChecks covers SEC-07 and the JSON text rules: each token is
// validly signed with the configured secret, so only the rule refuses it,
// and the matching fault lets it in.
func TestHeaderChecks(t *testing.T) {
	payload := `{"sub":"x","exp":` + itoa(exp(3600e9)) + `}`
	cases := []struct {
		name, header, payload, check, fault string
	}{
		{"crit unknown extension", `{"alg":"HS256","crit":["authspec-ext"],"authspec-ext":1}`, payload, CheckHeader, "ignore-crit"},
		{"crit empty list", `{"alg":"HS256","crit":[]}`, payload, CheckHeader, "ignore-crit"},
		// A17: with crit ignored the b64 token is still refused.
		{"b64 false", `{"alg":"HS256","b64":false,"crit":["b64"]}`, payload, CheckHeader, "crit-b64-understood"},
		{"b64 false without crit", `{"alg":"HS256","b64":false}`, payload, CheckHeader, "ignore-b64"},
		{"duplicate header name", `{"alg":"HS256","typ":"JWT","typ":"JOSE"}`, payload, CheckHeader, "json-first-duplicate-wins"},
		{"BOM before the header", "\xef\xbb\xbf" + `{"alg":"HS256"}`, payload, CheckFormat, "lenient-json-text"},
		{"BOM before the payload", `{"alg":"HS256"}`, "\xef\xbb\xbf" + payload, CheckPayload, "lenient-json-text"},
		{"UTF-16 payload", `{"alg":"HS256"}`, utf16le(payload), CheckPayload, "lenient-json-text"},
		{"NaN exp", `{"alg":"HS256"}`, `{"sub":"x","nbf":NaN}`, CheckPayload, "lenient-json-text"},
		{"invalid UTF-8 in a claim", `{"alg":"HS256"}`, `{"sub":"a` + "\xff" + `"}`, CheckPayload, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := hmacRaw(t, "emqxsecret", c.header, c.payload)
			wantBF(t, auth(build(t, testEnv(t), hmacCfg), passwordClient(tok)), c.check)
			if c.fault != "" {
				wantAccept(t, auth(build(t, testEnv(t, c.fault), hmacCfg), passwordClient(tok)))
			}
		})
	}
	t.Run("b64 understood leaves other crit extensions refused", func(t *testing.T) {
		tok := hmacRaw(t, "emqxsecret", `{"alg":"HS256","b64":false,"crit":["b64","authspec-ext"],"authspec-ext":1}`, payload)
		wantBF(t, auth(build(t, testEnv(t, "crit-b64-understood"), hmacCfg), passwordClient(tok)), CheckHeader)
	})
	t.Run("b64 true is the ordinary encoding", func(t *testing.T) {
		tok := hmacRaw(t, "emqxsecret", `{"alg":"HS256","b64":true}`, payload)
		wantAccept(t, auth(build(t, testEnv(t), hmacCfg), passwordClient(tok)))
	})
	t.Run("a duplicate claim keeps its last value", func(t *testing.T) {
		tok := hmacRaw(t, "emqxsecret", `{"alg":"HS256"}`, `{"exp":`+itoa(exp(3600e9))+`,"exp":`+itoa(exp(-3600e9))+`}`)
		wantDeny86(t, auth(build(t, testEnv(t), hmacCfg), passwordClient(tok)), CheckExp)
		wantAccept(t, auth(build(t, testEnv(t, "json-first-duplicate-wins"), hmacCfg), passwordClient(tok)))
	})
}

func TestTimeClaimsLenientFault(t *testing.T) {
	for _, c := range []struct{ name, claim string }{
		{"hex exp", `"exp":"0x7fffffffffff"`},
		{"space-padded exp", `"exp":" ` + itoa(exp(3600e9)) + `"`},
		{"nbf beyond 64 bits", `"nbf":` + "18446744073709551617"},
		{"nbf out of float range", `"nbf":1e400`},
	} {
		t.Run(c.name, func(t *testing.T) {
			tok := hmacRaw(t, "emqxsecret", `{"alg":"HS256"}`, `{"sub":"x",`+c.claim+`}`)
			r := auth(build(t, testEnv(t), hmacCfg), passwordClient(tok))
			if r.Code != 0x86 {
				t.Fatalf("want 0x86, got %+v", r)
			}
			wantAccept(t, auth(build(t, testEnv(t, "time-claims-lenient"), hmacCfg), passwordClient(tok)))
		})
	}
}

func TestTimeClaimsOutOfRangeAbsentFault(t *testing.T) {
	for _, c := range []struct{ name, claim string }{
		{"nbf out of float range", `"nbf":1e400`},
		{"exp out of negative float range", `"exp":-1e400`},
	} {
		t.Run(c.name, func(t *testing.T) {
			tok := hmacRaw(t, "emqxsecret", `{"alg":"HS256"}`, `{"sub":"x",`+c.claim+`}`)
			r := auth(build(t, testEnv(t), hmacCfg), passwordClient(tok))
			if r.Code != 0x86 {
				t.Fatalf("want 0x86, got %+v", r)
			}
			wantAccept(t, auth(build(t, testEnv(t, "time-claims-out-of-range-absent"), hmacCfg), passwordClient(tok)))
		})
	}
	t.Run("numbers in range are still checked", func(t *testing.T) {
		tok := hmacRaw(t, "emqxsecret", `{"alg":"HS256"}`, `{"sub":"x","exp":1e-400,"nbf":`+itoa(exp(3600e9))+`}`)
		wantDeny86(t, auth(build(t, testEnv(t, "time-claims-out-of-range-absent"), hmacCfg), passwordClient(tok)), CheckExp)
	})
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

func utf16le(s string) string {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return string(out)
}
