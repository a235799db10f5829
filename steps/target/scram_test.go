package target

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

func TestScramBackendPlaceholderIsAPrefix(t *testing.T) {
	chain := []map[string]any{{
		"mechanism": "scram", "backend": "http",
		"url":     "<scram backend url>/auth?username=${username}",
		"headers": map[string]any{"x": "<scram backend url>"},
		"body":    map[string]any{"u": "not <scram backend url>"},
	}}
	applied, err := Resolver{ScramBackendURL: "http://127.0.0.1:9"}.Resolve(chain)
	if err != nil {
		t.Fatal(err)
	}
	cfg := applied[0].Config
	if cfg["url"] != "http://127.0.0.1:9/auth?username=${username}" {
		t.Errorf("url: expected the backend URL with the scenario's path and query, got %v", cfg["url"])
	}
	if cfg["headers"].(map[string]any)["x"] != "http://127.0.0.1:9" {
		t.Errorf("headers.x: expected the bare backend URL, got %v", cfg["headers"])
	}
	if cfg["body"].(map[string]any)["u"] != "not <scram backend url>" {
		t.Errorf("body.u: expected text that only contains the placeholder left alone, got %v", cfg["body"])
	}
	if chain[0]["url"] != "<scram backend url>/auth?username=${username}" {
		t.Error("the Setup's chain was changed")
	}

	_, err = Resolver{}.Resolve(chain)
	if err == nil || !strings.Contains(err.Error(), "no SCRAM backend") {
		t.Errorf("expected an error naming the missing backend, got %v", err)
	}
}

type fixedHost struct{ Target }

func (fixedHost) ScramBackendListen() string { return "127.0.0.1:18090" }

type idleInstance struct{ Instance }

func (idleInstance) IdleTimeout() time.Duration { return time.Second }

type plainInstance struct{}

func (plainInstance) Dial(context.Context) (net.Conn, error) { return nil, nil }
func (plainInstance) Versions() []Version                    { return nil }
func (plainInstance) Authenticators() []Applied              { return nil }
func (plainInstance) Close() error                           { return nil }

func TestScramTargetDefaults(t *testing.T) {
	if got := ScramBackendListen(fixedHost{}); got != "127.0.0.1:18090" {
		t.Errorf("expected the target's address, got %q", got)
	}
	if got := ScramBackendListen(nil); got != DefaultScramBackendListen {
		t.Errorf("expected the default address, got %q", got)
	}
	if got := IdleTimeout(idleInstance{}); got != time.Second {
		t.Errorf("expected the instance's idle timeout, got %s", got)
	}
	if got := IdleTimeout(plainInstance{}); got != DefaultIdleTimeout {
		t.Errorf("expected EMQX's default idle timeout, got %s", got)
	}
}
