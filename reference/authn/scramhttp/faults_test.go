package scramhttp

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/reference/scram"
)

// Each fault must change what the behaviour it declares looks like from
// outside: these tests show the difference at the authenticator's boundary
// (the scenarios observe it on the wire).

func TestFaultScopeCoversEveryID(t *testing.T) {
	inScope := []string{"CHAIN-06", "SCRAM-23"}
	for i := 1; i <= 19; i++ {
		inScope = append(inScope, fmt.Sprintf("SCRAM-%02d", i))
	}
	broken := map[string]bool{}
	for _, d := range faults.All() {
		if strings.HasPrefix(string(d.Name), "scram-") {
			for _, id := range d.IDs {
				broken[id] = true
			}
		}
	}
	for _, id := range inScope {
		if !broken[id] {
			t.Errorf("no scram fault breaks %s", id)
		}
	}
}

func TestFaultWrongServerSignature(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramWrongServerSignature))
	res, cl := r.login(scram.SHA256, "u", "p")
	if res.Outcome != authn.Accept || cl.VerifyServerFinal(res.AuthData) == nil {
		t.Fatal("the client verifies the faulty signature")
	}
}

func TestFaultTwoBackendRequests(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramTwoBackendRequests))
	r.mustAccept(scram.SHA256, "u", "p")
	if n := r.backend.RequestCount(); n != 2 {
		t.Fatalf("%d requests", n)
	}
}

func TestFaultIterationFromAnswer(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramIterationFromAnswer))
	r.withExtra(map[string]any{"iteration_count": 8192})
	cl := newClient(t, scram.SHA256, "u", "p")
	first := r.begin(cl, mqtt5(scram.SHA256, cl.First()))
	if !strings.HasSuffix(string(first.AuthData), ",i=8192") {
		t.Fatalf("server-first %q", first.AuthData)
	}
}

func TestFaultSaltAsText(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramSaltAsText))
	if res, _ := r.login(scram.SHA256, "u", "p"); res.Outcome != authn.Deny {
		t.Fatalf("right password with the salt as text: %s", res.Outcome)
	}
}

func TestFaultSkipProofCheck(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramSkipProofCheck))
	if res, _ := r.login(scram.SHA256, "u", "wrong"); res.Outcome != authn.Accept {
		t.Fatalf("wrong password: %s", res.Outcome)
	}
}

func TestFaultWrongPassword0x86(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramWrongPassword0x86))
	if res, _ := r.login(scram.SHA256, "u", "wrong"); res.Code != authn.CodeBadUserNameOrPass {
		t.Fatalf("wrong password: 0x%02X", res.Code)
	}
}

func TestFaultAcceptNon200(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramAcceptNon200))
	r.backend.Force(scrambackend.Reply{Status: 500})
	r.mustAccept(scram.SHA256, "u", "p")
}

func TestFaultNoRequestTimeout(t *testing.T) {
	r := newRig(t, map[string]any{"request_timeout": "100ms"}, string(faults.ScramNoRequestTimeout))
	r.backend.Force(scrambackend.Reply{Delay: 600 * time.Millisecond})
	began := time.Now()
	r.mustAccept(scram.SHA256, "u", "p")
	if time.Since(began) < 600*time.Millisecond {
		t.Fatal("answered before the backend")
	}
}

func TestFaultHonourResultField(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramHonourResultField))
	r.withExtra(map[string]any{"result": "deny"})
	cl := newClient(t, scram.SHA256, "u", "p")
	if res := r.auth.Authenticate(ctx(t), mqtt5(scram.SHA256, cl.First())); res.Outcome != authn.Deny {
		t.Fatalf("result deny: %s", res.Outcome)
	}
	r.withExtra(map[string]any{"result": "ignore"})
	r.mustIgnoreAt("backend-result")
	r.withExtra(nil)
	r.mustAccept(scram.SHA256, "u", "p")
}

func TestFaultExpireAt(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramExpireAtNoDisconnect))
	r.withExtra(map[string]any{"expire_at": fixedNow.Unix() + 60})
	if res := r.mustAccept(scram.SHA256, "u", "p"); res.Identity.DisconnectOnExpire || res.Identity.ExpireAt.IsZero() {
		t.Fatalf("identity %+v", res.Identity)
	}
	r = newRig(t, nil, string(faults.ScramExpireAtMillis))
	r.withExtra(map[string]any{"expire_at": fixedNow.Unix() + 60})
	r.mustIgnoreAt("expire-at")
	r.withExtra(map[string]any{"expire_at": fixedNow.UnixMilli() + 60_000})
	if res := r.mustAccept(scram.SHA256, "u", "p"); !res.Identity.ExpireAt.Equal(fixedNow.Add(time.Minute)) {
		t.Fatalf("expire at %v", res.Identity.ExpireAt)
	}
}

func TestFaultAnyScramMethod(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramAnyScramMethod))
	c := mqtt5(scram.SHA256, newClient(t, scram.SHA256, "u", "p").First())
	c.AuthMethod = "SCRAM-SHA-1"
	if res := r.auth.Authenticate(ctx(t), c); res.Outcome != authn.Continue {
		t.Fatalf("SCRAM-SHA-1: %s", res.Outcome)
	}
}

func TestFaultDenyWithoutAuthMethod(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramDenyWithoutAuthMethod))
	res := r.auth.Authenticate(ctx(t), &clientinfo.Client{Protocol: 5, Password: []byte("jwt"), HasPassword: true})
	if res.Outcome != authn.Deny {
		t.Fatalf("password client: %s", res.Outcome)
	}
}

func TestFaultAcceptChannelBinding(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramAcceptChannelBinding))
	msg, _ := scramclient.MalformedClientFirst(scramclient.FirstChannelBinding, "u", "abc")
	if res := r.auth.Authenticate(ctx(t), mqtt5(scram.SHA256, msg)); res.Outcome != authn.Continue {
		t.Fatalf("p= client-first: %s", res.Outcome)
	}
}

func TestFaultSkipFinalNonceCheck(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramSkipFinalNonceCheck))
	cl := newClient(t, scram.SHA256, "u", "p")
	first := r.begin(cl, mqtt5(scram.SHA256, cl.First()))
	m, _ := cl.Respond(first.AuthData)
	msg, _ := scramclient.MalformedClientFinal(scramclient.FinalNonceMismatch, m)
	if res := first.Next.Step(ctx(t), msg); res.Check == "malformed-client-final" {
		t.Fatalf("nonce still checked: %s", res.Detail)
	}
}

func TestFaultUsernameFromConnect(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramUsernameFromConnect))
	c := richClient(t)
	req := r.request(c)
	if req.User != "connect-user" {
		t.Fatalf("backend asked for %q", req.User)
	}
}

func TestFaultPostFormAsJSON(t *testing.T) {
	r := newRig(t, map[string]any{
		"method": "post", "url": "BACKEND/auth", "body": map[string]string{"username": "${username}"},
		"headers": map[string]string{"content-type": "application/x-www-form-urlencoded"},
	}, string(faults.ScramPostFormAsJSON))
	req := r.request(richClient(t))
	var m map[string]string
	if json.Unmarshal(req.Body, &m) != nil {
		t.Fatalf("body %q is not JSON", req.Body)
	}
}

func TestFaultNoDefaultHeaders(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramNoDefaultHeaders))
	req := r.request(richClient(t))
	if req.Header.Get("Cache-Control") != "" || req.Header.Get("Accept") != "" {
		t.Fatalf("default headers sent: %v", req.Header)
	}
}

func TestFaultIgnoreContentType(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramIgnoreContentType))
	r.backend.Force(scrambackend.Reply{ContentType: "text/plain"})
	r.mustAccept(scram.SHA256, "u", "p")
}

func TestFaultSuperuserIgnored(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramSuperuserIgnored))
	r.withExtra(map[string]any{"is_superuser": true})
	if r.mustAccept(scram.SHA256, "u", "p").Identity.Superuser {
		t.Fatal("superuser kept")
	}
}

func TestFaultInvalidACLDropped(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramInvalidACLDropped))
	r.withExtra(map[string]any{"acl": map[string]any{"pub": []any{"t"}}})
	if res := r.mustAccept(scram.SHA256, "u", "p"); res.Identity.Rules != nil {
		t.Fatal("rules kept")
	}
}

func TestFaultClientAttrsStringified(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramClientAttrsStringified))
	r.withExtra(map[string]any{"client_attrs": map[string]any{"n": 5}})
	if got := r.mustAccept(scram.SHA256, "u", "p").Identity.ClientAttrs["n"]; got != "5" {
		t.Fatalf("attr n = %q", got)
	}
}

func TestFaultClientIDOverrideHonoured(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramClientIDOverrideHonoured))
	r.withExtra(map[string]any{"clientid_override": "other"})
	if got := r.mustAccept(scram.SHA256, "u", "p").Identity.ClientIDOverride; got != "other" {
		t.Fatalf("override %q", got)
	}
}

func TestFaultV311BadCredentials(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramV311BadCredentials))
	res := r.auth.Authenticate(ctx(t), &clientinfo.Client{Protocol: 4, Username: "u", HasUsername: true})
	if res.Outcome != authn.Deny || authn.V3Code(res.Code) != authn.CodeBadUserNameOrPassV3 {
		t.Fatalf("3.1.1 client: %s 0x%02X", res.Outcome, res.Code)
	}
}

func TestFaultReauthRefused(t *testing.T) {
	r := newRig(t, nil, string(faults.ScramReauthRefused))
	cl := newClient(t, scram.SHA256, "u", "p")
	if res := r.auth.Reauthenticate(ctx(t), mqtt5(scram.SHA256, cl.First())); res.Outcome != authn.Deny || res.Code != authn.CodeNotAuthorized {
		t.Fatalf("reauth: %s", res.Outcome)
	}
	r.mustAccept(scram.SHA256, "u", "p") // a CONNECT still works
}
