package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The authorization sources endpoints, as emqx_authz_api_sources serves
// them (EMQX 5.8 and 6.x alike): the list with GET and POST (which puts the
// new source first), one source by type with GET, PUT and DELETE, its
// position with POST .../move, and the whole order with PUT .../order.
// Every change is checked whole and applied at once (Backend
// SetAuthorizationSources), so a refused request leaves the sources in
// force as they were.

var errNotObject = errors.New("must be a JSON object")

// sourceTypes are the authorization source types EMQX registers
// (emqx_authz_schema:source_types/0: file, http, ldap, built_in_database,
// mongodb, mysql, postgresql, redis). A type outside them is refused 400,
// as EMQX's schema check refuses it; a type among them that the broker
// cannot run is the Backend's 400.
var sourceTypes = []string{"built_in_database", "file", "http", "ldap", "mongodb", "mysql", "postgresql", "redis"}

func knownSourceType(t string) bool { return slices.Contains(sourceTypes, t) }

func notFoundSource(t string) string { return "Not found: " + t }

// sourceType reads a source object's "type".
func sourceType(raw json.RawMessage) (string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return "", errNotObject
	}
	t, ok := obj["type"]
	if !ok {
		return "", errors.New("missing_type_field")
	}
	var s string
	if err := json.Unmarshal(t, &s); err != nil {
		return "", fmt.Errorf("type: must be a string, got %s", jsonKind(t))
	}
	if !knownSourceType(s) {
		return "", fmt.Errorf("unknown_authz_type: %q (EMQX's types: %s)", s, strings.Join(sourceTypes, ", "))
	}
	return s, nil
}

// sourceIndex finds the source of a type in a list; -1 when absent.
func sourceIndex(list []json.RawMessage, t string) int {
	return slices.IndexFunc(list, func(raw json.RawMessage) bool {
		got, err := sourceType(raw)
		return err == nil && got == t
	})
}

// duplicateTypes names the types present more than once, as EMQX's
// check_dup_types does.
func duplicateTypes(list []json.RawMessage) []string {
	seen := map[string]bool{}
	var dup []string
	for _, raw := range list {
		t, _ := sourceType(raw)
		if seen[t] && !slices.Contains(dup, t) {
			dup = append(dup, t)
		}
		seen[t] = true
	}
	return dup
}

// pathSourceType reads the {type} path parameter; an unknown type is 400,
// as EMQX's path check (an enum of the source types) answers it.
func pathSourceType(w http.ResponseWriter, r *http.Request) (string, bool) {
	t := r.PathValue("type")
	if !knownSourceType(t) {
		badRequest(w, "type: unknown authorization source type %q (EMQX's types: %s)", t, strings.Join(sourceTypes, ", "))
		return "", false
	}
	return t, true
}

// withSources runs change over the current list under the sources lock and
// applies what it returns; change answers and returns false to refuse.
func (h *Handler) withSources(w http.ResponseWriter, r *http.Request,
	change func(list []json.RawMessage) ([]json.RawMessage, bool)) {
	h.sourcesMu.Lock()
	defer h.sourcesMu.Unlock()
	list, err := h.b.AuthorizationSources(r.Context())
	if err != nil {
		fail(w, err, "")
		return
	}
	next, ok := change(slices.Clone(list))
	if !ok {
		return
	}
	if dup := duplicateTypes(next); len(dup) > 0 {
		badRequest(w, "{duplicated_authz_source_type,[%s]}", strings.Join(dup, ","))
		return
	}
	if err := h.b.SetAuthorizationSources(r.Context(), next); err != nil {
		fail(w, err, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// showSource is a stored source as the API shows it: redacted.
func showSource(raw json.RawMessage) (any, error) {
	v, err := decodeValue(raw)
	if err != nil {
		return nil, fmt.Errorf("a stored authorization source is not JSON: %w", err)
	}
	redactValue(v)
	return v, nil
}

// GET /authorization/sources: 200 {"sources": [...]}, secrets redacted.
func (h *Handler) listSources(w http.ResponseWriter, r *http.Request) {
	list, err := h.b.AuthorizationSources(r.Context())
	if err != nil {
		fail(w, err, "")
		return
	}
	out := make([]any, 0, len(list))
	for _, raw := range list {
		v, err := showSource(raw)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", err.Error())
			return
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"sources": out})
}

// POST /authorization/sources: 204; the new source goes first (EMQX's
// ?CMD_PREPEND). A type already configured is 400.
func (h *Handler) createSource(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readObject(w, r)
	if !ok {
		return
	}
	if _, err := sourceType(body); err != nil {
		badRequest(w, "%v", err)
		return
	}
	h.withSources(w, r, func(list []json.RawMessage) ([]json.RawMessage, bool) {
		return append([]json.RawMessage{body}, list...), true
	})
}

// GET /authorization/sources/{type}: 200 with the source, 404 when none of
// that type is configured.
func (h *Handler) getSource(w http.ResponseWriter, r *http.Request) {
	t, ok := pathSourceType(w, r)
	if !ok {
		return
	}
	list, err := h.b.AuthorizationSources(r.Context())
	if err != nil {
		fail(w, err, "")
		return
	}
	i := sourceIndex(list, t)
	if i < 0 {
		writeError(w, http.StatusNotFound, "NOT_FOUND", notFoundSource(t))
		return
	}
	v, err := showSource(list[i])
	if err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// PUT /authorization/sources/{type}: 204, in place. Redacted values sent
// back keep the stored ones (emqx_utils:deobfuscate); a body of another
// type is 400 "Type mismatch".
func (h *Handler) updateSource(w http.ResponseWriter, r *http.Request) {
	t, ok := pathSourceType(w, r)
	if !ok {
		return
	}
	body, ok := h.readObject(w, r)
	if !ok {
		return
	}
	bodyType, err := sourceType(body)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	h.withSources(w, r, func(list []json.RawMessage) ([]json.RawMessage, bool) {
		i := sourceIndex(list, t)
		switch {
		case i < 0:
			writeError(w, http.StatusNotFound, "NOT_FOUND", notFoundSource(t))
			return nil, false
		case bodyType != t:
			badRequest(w, "Type mismatch")
			return nil, false
		}
		merged, err := deobfuscate(body, list[i])
		if err != nil {
			badRequest(w, "%v", err)
			return nil, false
		}
		list[i] = merged
		return list, true
	})
}

// DELETE /authorization/sources/{type}: 204, 404 when not configured.
func (h *Handler) deleteSource(w http.ResponseWriter, r *http.Request) {
	t, ok := pathSourceType(w, r)
	if !ok {
		return
	}
	h.withSources(w, r, func(list []json.RawMessage) ([]json.RawMessage, bool) {
		i := sourceIndex(list, t)
		if i < 0 {
			writeError(w, http.StatusNotFound, "NOT_FOUND", notFoundSource(t))
			return nil, false
		}
		return slices.Delete(list, i, i+1), true
	})
}

// POST /authorization/sources/{type}/move with {"position": "front" |
// "rear" | "before:TYPE" | "after:TYPE"}: 204. The moved source must be
// configured (404); a position naming no configured source is 400, as
// EMQX's config update refuses it.
func (h *Handler) moveSource(w http.ResponseWriter, r *http.Request) {
	t, ok := pathSourceType(w, r)
	if !ok {
		return
	}
	body, ok := h.readObject(w, r)
	if !ok {
		return
	}
	var req map[string]json.RawMessage
	_ = json.Unmarshal(body, &req)
	var position string
	if raw, ok := req["position"]; !ok || json.Unmarshal(raw, &position) != nil {
		badRequest(w, "position: a string is required")
		return
	}
	h.withSources(w, r, func(list []json.RawMessage) ([]json.RawMessage, bool) {
		i := sourceIndex(list, t)
		if i < 0 {
			writeError(w, http.StatusNotFound, "NOT_FOUND", notFoundSource(t))
			return nil, false
		}
		moved := list[i]
		rest := slices.Delete(slices.Clone(list), i, i+1)
		switch {
		case position == "front":
			return append([]json.RawMessage{moved}, rest...), true
		case position == "rear":
			return append(rest, moved), true
		case position == "before:":
			badRequest(w, "Invalid parameter. Cannot be placed before an empty target")
			return nil, false
		case position == "after:":
			badRequest(w, "Invalid parameter. Cannot be placed after an empty target")
			return nil, false
		}
		where, other, ok := strings.Cut(position, ":")
		if !ok || (where != "before" && where != "after") {
			badRequest(w, "Invalid parameter. Unknow position")
			return nil, false
		}
		if !knownSourceType(other) {
			badRequest(w, "Unknown authz Source Type: %s", other)
			return nil, false
		}
		j := sourceIndex(rest, other)
		if j < 0 {
			badRequest(w, "{pre_config_update,emqx_authz,{type_not_found,%s}}", other)
			return nil, false
		}
		if where == "after" {
			j++
		}
		return slices.Insert(rest, j, moved), true
	})
}

// PUT /authorization/sources/order with [{"type": ...}, ...]: 204. The
// list must name every configured source once and nothing else (400 with
// EMQX's messages otherwise).
func (h *Handler) reorderSources(w http.ResponseWriter, r *http.Request) {
	body, ok := h.readJSON(w, r)
	if !ok {
		return
	}
	var entries []map[string]json.RawMessage
	if err := json.Unmarshal(body, &entries); err != nil {
		badRequest(w, "request body must be an array of {\"type\": ...} objects")
		return
	}
	var types []string
	for i, e := range entries {
		var t string
		if err := json.Unmarshal(e["type"], &t); err != nil || !knownSourceType(t) {
			badRequest(w, "[%d].type: one of %s is required", i, strings.Join(sourceTypes, ", "))
			return
		}
		if len(e) != 1 {
			badRequest(w, "[%d]: only the field \"type\" is allowed", i)
			return
		}
		types = append(types, t)
	}
	h.withSources(w, r, func(list []json.RawMessage) ([]json.RawMessage, bool) {
		var next []json.RawMessage
		var notFound []string
		remaining := slices.Clone(list)
		for _, t := range types {
			i := sourceIndex(remaining, t)
			if i < 0 {
				notFound = append(notFound, t)
				continue
			}
			next = append(next, remaining[i])
			remaining = slices.Delete(remaining, i, i+1)
		}
		var notReordered []string
		for _, raw := range remaining {
			t, _ := sourceType(raw)
			notReordered = append(notReordered, t)
		}
		var msgs []string
		if len(notFound) > 0 {
			msgs = append(msgs, "Authorization sources: "+strings.Join(notFound, ", ")+" are not found")
		}
		if len(notReordered) > 0 {
			msgs = append(msgs, "No positions are specified for authorization sources: "+strings.Join(notReordered, ", "))
		}
		if len(msgs) > 0 {
			badRequest(w, "%s", strings.Join(msgs, ", "))
			return nil, false
		}
		return next, true
	})
}
