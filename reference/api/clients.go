package api

import (
	"errors"
	"net/http"
	"time"
)

// clientJSON is the subset of EMQX's client info the reference reports.
type clientJSON struct {
	ClientID       string            `json:"clientid"`
	Username       *string           `json:"username"`
	Connected      bool              `json:"connected"`
	ProtoName      string            `json:"proto_name"`
	ProtoVer       int               `json:"proto_ver"`
	CleanStart     bool              `json:"clean_start"`
	Keepalive      int               `json:"keepalive"`
	IPAddress      string            `json:"ip_address"`
	Port           int               `json:"port"`
	Listener       string            `json:"listener"`
	Node           string            `json:"node"`
	ExpiryInterval int               `json:"expiry_interval"`
	IsExpired      bool              `json:"is_expired"`
	ConnectedAt    *string           `json:"connected_at"`
	CreatedAt      *string           `json:"created_at"`
	IsSuperuser    bool              `json:"is_superuser"`
	ClientAttrs    map[string]string `json:"client_attrs"`
}

// rfc3339ms is EMQX's timestamp format: milliseconds and a numeric offset.
const rfc3339ms = "2006-01-02T15:04:05.000-07:00"

func timestamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(rfc3339ms)
	return &s
}

var errClientNotFound = errorBody{Code: "CLIENTID_NOT_FOUND", Message: "Client ID not found"}

// GET /clients/{clientid}
func (h *Handler) getClient(w http.ResponseWriter, r *http.Request) {
	c, err := h.b.LookupClient(r.Context(), r.PathValue("clientid"))
	if errors.Is(err, ErrNotFound) {
		writeJSON(w, http.StatusNotFound, errClientNotFound)
		return
	}
	if err != nil {
		fail(w, err, "")
		return
	}
	out := clientJSON{
		ClientID: c.ClientID, Connected: c.Connected, ProtoName: c.ProtoName, ProtoVer: int(c.Protocol),
		CleanStart: c.CleanStart, Keepalive: c.Keepalive, IPAddress: c.PeerHost, Port: c.Port,
		Listener: c.Listener, Node: c.Node, ExpiryInterval: c.ExpiryInterval,
		ConnectedAt: timestamp(c.ConnectedAt), CreatedAt: timestamp(c.CreatedAt), IsSuperuser: c.IsSuperuser,
		ClientAttrs: c.ClientAttrs,
	}
	if c.HasUsername {
		out.Username = &c.Username
	}
	if out.ClientAttrs == nil {
		out.ClientAttrs = map[string]string{}
	}
	writeJSON(w, http.StatusOK, out)
}

// DELETE /clients/{clientid}: 204 once the client is kicked out.
func (h *Handler) kickClient(w http.ResponseWriter, r *http.Request) {
	err := h.b.KickClient(r.Context(), r.PathValue("clientid"))
	if errors.Is(err, ErrNotFound) {
		writeJSON(w, http.StatusNotFound, errClientNotFound)
		return
	}
	if err != nil {
		fail(w, err, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
