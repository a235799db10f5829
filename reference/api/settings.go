package api

import (
	"encoding/json"
	"net/http"
)

// authzSettingFields are the fields /authorization/settings owns, in EMQX
// 6.x (emqx_authz_api_settings: emqx_schema:authz_fields() plus, since
// 6.1, ignore_backend_failures; include_mountpoint is left out, the
// reference has no mountpoints). Sources are not among them: they have
// their own endpoints.
var authzSettingFields = []string{"no_match", "deny_action", "cache", "ignore_backend_failures"}

// authzSettingDefaults are EMQX 6.x's schema defaults, which a PUT missing
// a field gets (emqx_schema:fill_defaults in settings/2).
func authzSettingDefaults() map[string]any {
	return map[string]any{
		"no_match":                "deny",
		"deny_action":             "ignore",
		"cache":                   map[string]any{},
		"ignore_backend_failures": false,
	}
}

// fillCacheDefaults completes a cache object with EMQX's defaults
// (emqx_schema fields("authz_cache")). Anything but an object is left for
// the backend to refuse.
func fillCacheDefaults(v any) any {
	c, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{"enable": true, "max_size": json.Number("32"), "ttl": "1m", "excludes": []any{}}
	for k, x := range c {
		out[k] = x
	}
	return out
}

// ownSettings keeps the settings' own fields of an authorization block,
// filling the missing ones with defaults.
func ownSettings(block map[string]any) map[string]any {
	out := authzSettingDefaults()
	for _, k := range authzSettingFields {
		if v, ok := block[k]; ok {
			out[k] = v
		}
	}
	out["cache"] = fillCacheDefaults(out["cache"])
	return out
}

// GET /authorization/settings: the settings' own fields, never the
// sources (emqx_authz_api_settings:settings/2).
func (h *Handler) getAuthzSettings(w http.ResponseWriter, r *http.Request) {
	s, err := h.b.AuthorizationSettings(r.Context())
	if err != nil {
		fail(w, err, "")
		return
	}
	h.writeSettings(w, s)
}

// PUT /authorization/settings: 200 with the resulting settings, as EMQX.
// Unknown top-level fields (such as "sources") are dropped without an
// error, as EMQX's request check drops them (hocon_tconf filters the body
// by its roots); missing fields take EMQX 6.x's defaults.
func (h *Handler) putAuthzSettings(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readObject(w, r)
	if !ok {
		return
	}
	var block map[string]any
	if err := decodeInto(body, &block); err != nil {
		badRequest(w, "request body: %v", err)
		return
	}
	next, err := json.Marshal(ownSettings(block))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", err.Error())
		return
	}
	s, err := h.b.SetAuthorizationSettings(r.Context(), next)
	if err != nil {
		fail(w, err, "")
		return
	}
	h.writeSettings(w, s)
}

func (h *Handler) writeSettings(w http.ResponseWriter, raw json.RawMessage) {
	var block map[string]any
	if err := decodeInto(raw, &block); err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "the broker's authorization settings: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, ownSettings(block))
}

// decodeInto decodes JSON keeping numbers as written.
func decodeInto(raw json.RawMessage, v *map[string]any) error {
	x, err := decodeValue(raw)
	if err != nil {
		return err
	}
	m, ok := x.(map[string]any)
	if !ok {
		return errNotObject
	}
	*v = m
	return nil
}
