package api

import (
	"encoding/json"
	"net/http"
)

func notFoundAuthenticator(id string) string { return "Authenticator '" + id + "' does not exist" }

// GET /authentication: the chain, in order, secrets redacted.
func (h *Handler) listAuthenticators(w http.ResponseWriter, r *http.Request) {
	list, err := h.b.ListAuthenticators(r.Context())
	if err != nil {
		fail(w, err, "")
		return
	}
	out := make([]map[string]any, 0, len(list))
	for _, a := range list {
		obj, err := showConfig(a, true)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", err.Error())
			return
		}
		out = append(out, obj)
	}
	writeJSON(w, http.StatusOK, out)
}

// POST /authentication: 200 with the created configuration and its ID
// (EMQX answers 200, not 201, here).
func (h *Handler) createAuthenticator(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readObject(w, r)
	if !ok {
		return
	}
	a, err := h.b.CreateAuthenticator(r.Context(), body)
	if err != nil {
		fail(w, err, "")
		return
	}
	obj, err := showConfig(a, false)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, obj)
}

// GET /authentication/{id}
func (h *Handler) getAuthenticator(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, err := h.b.GetAuthenticator(r.Context(), id)
	if err != nil {
		fail(w, err, notFoundAuthenticator(id))
		return
	}
	obj, err := showConfig(a, true)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, obj)
}

// PUT /authentication/{id}: 204. Redacted values sent back keep the stored
// ones.
func (h *Handler) updateAuthenticator(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	body, ok := h.readObject(w, r)
	if !ok {
		return
	}
	stored, err := h.b.GetAuthenticator(r.Context(), id)
	if err != nil {
		fail(w, err, notFoundAuthenticator(id))
		return
	}
	body, err = deobfuscate(body, stored.Config)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	if err := h.b.UpdateAuthenticator(r.Context(), id, body); err != nil {
		fail(w, err, notFoundAuthenticator(id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// DELETE /authentication/{id}: 204.
func (h *Handler) deleteAuthenticator(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := h.b.DeleteAuthenticator(r.Context(), id); err != nil {
		fail(w, err, notFoundAuthenticator(id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// PUT /authentication/{id}/position/{position}: 204.
func (h *Handler) moveAuthenticator(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	pos, ok := ParsePosition(r.PathValue("position"))
	if !ok {
		badRequest(w, "Invalid value for 'position'")
		return
	}
	if err := h.b.MoveAuthenticator(r.Context(), id, pos); err != nil {
		fail(w, err, notFoundAuthenticator(id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// PUT /authentication/order with [{"id": ...}, ...]: 204.
func (h *Handler) reorderAuthenticators(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readJSON(w, r)
	if !ok {
		return
	}
	var entries []map[string]json.RawMessage
	if err := json.Unmarshal(body, &entries); err != nil {
		badRequest(w, "request body must be an array of {\"id\": ...} objects")
		return
	}
	ids := make([]string, 0, len(entries))
	for i, e := range entries {
		var id string
		if err := json.Unmarshal(e["id"], &id); err != nil || id == "" {
			badRequest(w, "[%d].id: a non-empty string is required", i)
			return
		}
		if len(e) != 1 {
			badRequest(w, "[%d]: only the field \"id\" is allowed", i)
			return
		}
		ids = append(ids, id)
	}
	if err := h.b.ReorderAuthenticators(r.Context(), ids); err != nil {
		fail(w, err, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /authentication/settings
func (h *Handler) getAuthnSettings(w http.ResponseWriter, r *http.Request) {
	s, err := h.b.AuthenticationSettings(r.Context())
	if err != nil {
		fail(w, err, "")
		return
	}
	writeRaw(w, http.StatusOK, s)
}

// PUT /authentication/settings: 204.
func (h *Handler) putAuthnSettings(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readObject(w, r)
	if !ok {
		return
	}
	if err := h.b.SetAuthenticationSettings(r.Context(), body); err != nil {
		fail(w, err, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeRaw answers a JSON document the backend produced, after checking it
// is one.
func writeRaw(w http.ResponseWriter, status int, raw json.RawMessage) {
	if !json.Valid(raw) {
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "the broker produced invalid JSON")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(raw)
}
