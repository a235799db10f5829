package containertarget

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/container"
	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/fixtures/testenv"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
)

// TestMain is the leak check: no container of this test process may be
// left when the tests end (Ryuk is off).
func TestMain(m *testing.M) {
	code := m.Run()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if container.EngineAvailable(ctx) == nil {
		left, err := container.Leftovers(ctx, container.Session())
		switch {
		case err != nil:
			fmt.Fprintf(os.Stderr, "leak check: %v\n", err)
			code = 1
		case len(left) > 0:
			fmt.Fprintf(os.Stderr, "leak check: containers left behind: %v\n", left)
			code = 1
		}
	}
	os.Exit(code)
}

func needEngine(t *testing.T) {
	t.Helper()
	testenv.NeedDocker(t)
}

func load(t *testing.T, text string) *profile.Profile {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const hmacChain = `  - {mechanism: jwt, from: password, use_jwks: false, algorithm: hmac-based, secret: emqxsecret}
`

func TestABrokerThatCannotStartIsUnreachableOnce(t *testing.T) {
	needEngine(t)
	tg, err := New(load(t, "name: ghost\nconfigure: by-hand\nauthentication:\n"+hmacChain+
		"container: {image: \"authspec/no-such-image:never\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	s := target.Setup{Authentication: []map[string]any{{"mechanism": "jwt", "algorithm": "hmac-based", "secret": "x"}}}
	_, err = tg.Provision(context.Background(), s)
	if !reports.IsUnreachable(err) || !strings.Contains(err.Error(), "image authspec/no-such-image:never is missing") {
		t.Fatalf("got %v", err)
	}
	started := time.Now()
	if _, err2 := tg.Provision(context.Background(), s); err2 != err || time.Since(started) > 100*time.Millisecond {
		t.Errorf("the second scenario: %v after %s, want the same error at once", err2, time.Since(started))
	}
	if tg.Broker() != nil {
		t.Error("a broker that did not start is no broker")
	}
}

func TestUnclaimedScenariosStartNothing(t *testing.T) {
	tg, err := New(load(t, "name: ghost\nconfigure: by-hand\nclaims: [JWT-HMAC]\nauthentication:\n"+hmacChain+
		"container: {image: \"authspec/no-such-image:never\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = tg.Provision(context.Background(), target.Setup{IDs: []string{"SCRAM-01"}})
	if reason, ok := target.AsNotApplicable(err); !ok || reason != "the profile does not claim SCRAM-01" {
		t.Errorf("got %v", err)
	}
	if tg.Broker() != nil {
		t.Error("the container started for a scenario the profile does not claim")
	}
}

// TestMosquittoContainer starts the shipped mosquitto profile's broker (a
// Debian image built here and cached), provisions one scenario against
// it, and removes it.
func TestMosquittoContainer(t *testing.T) {
	needEngine(t)
	p, err := profile.Load(filepath.Join("..", "..", "..", "fixtures", "profiles", "mosquitto-2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if b := p.Container.Build; b != nil && b.Recipe == profile.DebianRecipe {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := container.CanBuildDebianBrokerImage(ctx, p.Container.Image, b.Packages)
		cancel()
		if errors.Is(err, container.ErrCannotBuild) {
			testenv.Unavailable(t, "%v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	tg, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	inst, err := tg.Provision(ctx, target.Setup{
		Authentication: []map[string]any{{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based", "secret": "emqxsecret"}},
		IDs:            []string{"JWT-HMAC-01"},
	})
	if err != nil {
		t.Fatal(err)
	}
	b := tg.Broker()
	if b == nil {
		t.Fatal("no broker after a provisioned scenario")
	}
	nc, err := inst.Dial(ctx)
	if err != nil {
		t.Fatalf("dial the mapped port: %v", err)
	}
	nc.Close()
	peer, ok := inst.(target.PeerHoster)
	if !ok || peer.PeerHost() == "" || target.SeesLoopback(inst) {
		t.Errorf("a container broker sees the suite's clients through the bridge, got %v", peer)
	}
	if err := tg.Close(); err != nil {
		t.Fatal(err)
	}
	left, err := container.Leftovers(context.Background(), container.Session())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range left {
		if id == b.ID() {
			t.Errorf("container %s still there after Close", id)
		}
	}
}
