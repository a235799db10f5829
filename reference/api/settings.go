package api

import "net/http"

// GET /authorization/settings: no_match, deny_action, cache.
func (h *Handler) getAuthzSettings(w http.ResponseWriter, r *http.Request) {
	s, err := h.b.AuthorizationSettings(r.Context())
	if err != nil {
		fail(w, err, "")
		return
	}
	writeRaw(w, http.StatusOK, s)
}

// PUT /authorization/settings: 200 with the resulting settings, as EMQX.
func (h *Handler) putAuthzSettings(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readObject(w, r)
	if !ok {
		return
	}
	s, err := h.b.SetAuthorizationSettings(r.Context(), body)
	if err != nil {
		fail(w, err, "")
		return
	}
	writeRaw(w, http.StatusOK, s)
}
