package byhand

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/runner"
)

// The reference started with a fixed configuration stands for a broker
// configured by hand: the suite serves its JWKS endpoint and SCRAM backend
// where the profile's serve section says, which is where the broker's
// configuration points.

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// judgeByHand starts the reference with config and runs ids against it
// through a by-hand profile whose authentication is declared.
func judgeByHand(t *testing.T, config, declared, serve string, ids ...string) *reports.Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := reference.Start(ctx, reference.WithMQTTListen("127.0.0.1:0"), reference.WithAPIListen(""),
		reference.WithConfig([]byte(config)), reference.WithJWKSMinRefresh(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := profile.Parse([]byte(fmt.Sprintf("name: by-hand\nmqtt: {url: \"tcp://%s\"}\nconfigure: by-hand\nserve: %s\nauthentication:\n%s",
		b.MQTTAddr(), serve, declared)), "")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := runner.Run(ctx, runner.Options{Target: tg, IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range res.Summary.SortedIDs() {
		r := res.Summary.IDs[id]
		t.Logf("%s: %s %s", id, r.Verdict, r.Message)
	}
	return res.Summary
}

func TestByHandJWKSBroker(t *testing.T) {
	jwks := freeAddr(t)
	endpoint := "http://" + jwks + "/jwks"
	s := judgeByHand(t,
		fmt.Sprintf(`[{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": %q, "refresh_interval": 1}]`, endpoint),
		fmt.Sprintf("  - {mechanism: jwt, from: password, use_jwks: true, endpoint: %q, refresh_interval: 1}\n", endpoint),
		fmt.Sprintf("{jwks_listen: %q}", jwks),
		"JWT-JWKS-01", "JWT-JWKS-02", "JWT-JWKS-04", "JWT-JWKS-11")
	for _, id := range []string{"JWT-JWKS-01", "JWT-JWKS-02", "JWT-JWKS-04"} {
		if v := s.IDs[id].Verdict; v != reports.VerdictPass {
			t.Errorf("%s: %s %s, want pass", id, v, s.IDs[id].Message)
		}
	}
	// It counts on the default refresh_interval of five minutes.
	if r := s.IDs["JWT-JWKS-11"]; r.Verdict != reports.VerdictNotApplicable {
		t.Errorf("JWT-JWKS-11: %s %s, want not applicable (refresh_interval 1 declared)", r.Verdict, r.Message)
	}
}

func TestByHandSCRAMBroker(t *testing.T) {
	backend := freeAddr(t)
	url := "http://" + backend + "/auth?username=${username}"
	s := judgeByHand(t,
		fmt.Sprintf(`[{"mechanism": "scram", "backend": "http", "method": "get", "url": %q}]`, url),
		fmt.Sprintf("  - {mechanism: scram, backend: http, method: get, url: %q}\n", url),
		fmt.Sprintf("{scram_backend_listen: %q}", backend),
		"SCRAM-01", "SCRAM-04")
	for _, id := range []string{"SCRAM-01", "SCRAM-04"} {
		if v := s.IDs[id].Verdict; v != reports.VerdictPass {
			t.Errorf("%s: %s %s, want pass", id, v, s.IDs[id].Message)
		}
	}
}
