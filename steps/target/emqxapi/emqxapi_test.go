package emqxapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authspec/authspec/steps/target"
)

// fakeEMQX answers like EMQX's API for the calls the client makes, and
// records what it was sent.
func fakeEMQX(t *testing.T) (*Client, *[]string) {
	t.Helper()
	var seen []string
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v5/authentication", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, "create "+string(body))
		var cfg map[string]any
		_ = json.Unmarshal(body, &cfg)
		if cfg["secret"] == "bad" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":"BAD_REQUEST","message":"invalid secret"}`))
			return
		}
		_, _ = w.Write(body)
	})
	mux.HandleFunc("GET /api/v5/authentication", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`[{"id":"jwt","mechanism":"jwt"},{"id":"password_based:built_in_database"}]`))
	})
	mux.HandleFunc("POST /api/v5/authentication/{id}/users", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, "user "+r.PathValue("id")+" "+string(body))
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("GET /api/v5/clients/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "c1" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write([]byte(`{"clientid":"c1","username":"u","connected":true,"client_attrs":{"a":"b"}}`))
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k, s, ok := r.BasicAuth(); !ok || k != "key" || s != "secret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &Client{Base: srv.URL, Key: "key", Secret: "secret"}, &seen
}

func TestCreateAuthenticator(t *testing.T) {
	c, seen := fakeEMQX(t)
	ctx := context.Background()
	if err := c.CreateAuthenticator(ctx, []byte(`{"mechanism":"jwt","secret":"good"}`)); err != nil {
		t.Fatalf("expected the authenticator created, got %v", err)
	}
	err := c.CreateAuthenticator(ctx, []byte(`{"mechanism":"jwt","secret":"bad"}`))
	var refused *target.ConfigRefusedError
	if !errors.As(err, &refused) || refused.Status != 400 {
		t.Fatalf("expected a ConfigRefusedError with HTTP 400, got %v", err)
	}
	ids, err := c.AuthenticatorIDs(ctx)
	if err != nil || len(ids) != 2 || ids[0] != "jwt" {
		t.Fatalf("expected [jwt password_based:built_in_database], got %v (%v)", ids, err)
	}
	if len(*seen) != 2 {
		t.Fatalf("expected two creation requests, got %v", *seen)
	}
}

func TestUsersAndClients(t *testing.T) {
	c, seen := fakeEMQX(t)
	ctx := context.Background()
	if err := c.AddUser(ctx, "password_based:built_in_database", target.User{UserID: "alice", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if got := (*seen)[0]; got != `user password_based:built_in_database {"user_id":"alice","password":"pw","is_superuser":false}` {
		t.Fatalf("unexpected request: %s", got)
	}
	info, found, err := c.Client(ctx, "c1")
	if err != nil || !found || !info.Connected || info.ClientAttrs["a"] != "b" {
		t.Fatalf("expected client c1, got %+v %v %v", info, found, err)
	}
	if _, found, err := c.Client(ctx, "nobody"); err != nil || found {
		t.Fatalf("expected not found, got %v %v", found, err)
	}
}

func TestWrongCredentialsAreAnError(t *testing.T) {
	c, _ := fakeEMQX(t)
	c.Secret = "wrong"
	if _, err := c.AuthenticatorIDs(context.Background()); err == nil {
		t.Fatal("expected an error for HTTP 401")
	}
	var none Client
	if err := none.CreateAuthenticator(context.Background(), []byte(`{}`)); err == nil {
		t.Fatal("expected an error without an API URL")
	}
}
