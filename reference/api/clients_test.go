package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/authspec/authspec/reference/clientinfo"
)

func TestGetAndKickClient(t *testing.T) {
	a := newAPITest(t)
	at := time.Date(2026, 11, 3, 10, 4, 5, 123e6, time.UTC)
	a.fake.clients["c/1 x"] = Client{Client: clientinfo.Client{ClientID: "c/1 x", Protocol: 5, PeerHost: "127.0.0.1",
		Listener: "tcp:default", ClientAttrs: map[string]string{"role": "admin"}}, Connected: true, ProtoName: "MQTT",
		CleanStart: true, Keepalive: 60, Port: 50000, ConnectedAt: at, CreatedAt: at, IsSuperuser: true}
	a.fake.clients["named"] = Client{Client: clientinfo.Client{ClientID: "named", Username: "", HasUsername: true, Protocol: 4}}

	r := a.do("GET", "/clients/c%2F1%20x", "")
	a.expect(r, http.StatusOK, "")
	var c map[string]any
	r.json(t, &c)
	want := map[string]any{"clientid": "c/1 x", "username": nil, "connected": true, "proto_ver": 5.0,
		"is_superuser": true, "connected_at": "2026-11-03T10:04:05.123+00:00", "listener": "tcp:default"}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("%s = %#v, want %#v", k, c[k], v)
		}
	}
	if attrs, _ := c["client_attrs"].(map[string]any); attrs["role"] != "admin" {
		t.Errorf("client_attrs %v", c["client_attrs"])
	}

	r = a.do("GET", "/clients/named", "")
	r.json(t, &c)
	if c["username"] != "" || c["connected_at"] != nil || c["client_attrs"] == nil {
		t.Errorf("present empty username, absent times, empty attrs: %s", r.body)
	}

	r = a.do("GET", "/clients/ghost", "")
	a.expect(r, http.StatusNotFound, "CLIENTID_NOT_FOUND")
	if e := r.apiError(t); e.Message != "Client ID not found" {
		t.Errorf("message %q", e.Message)
	}

	a.expect(a.do("DELETE", "/clients/named", ""), http.StatusNoContent, "")
	if len(a.fake.kicked) != 1 || a.fake.kicked[0] != "named" {
		t.Fatalf("kicked %v", a.fake.kicked)
	}
	a.expect(a.do("DELETE", "/clients/named", ""), http.StatusNotFound, "CLIENTID_NOT_FOUND")
}
