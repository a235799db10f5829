package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Paging of GET /authentication/{id}/users, as EMQX's management API pages.
const (
	defaultPageLimit = 100
	maxPageLimit     = 10000
)

type usersPage struct {
	Data []User   `json:"data"`
	Meta pageMeta `json:"meta"`
}

type pageMeta struct {
	Page    int  `json:"page"`
	Limit   int  `json:"limit"`
	Count   int  `json:"count"`
	HasNext bool `json:"hasnext"`
}

const userNotFound = "User not found"

// GET /authentication/{id}/users?page=&limit=&like_user_id=&is_superuser=
func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	q := r.URL.Query()
	page, okPage := positiveParam(q.Get("page"), 1)
	limit, okLimit := positiveParam(q.Get("limit"), defaultPageLimit)
	if !okPage || !okLimit || limit > maxPageLimit {
		writeError(w, http.StatusBadRequest, "INVALID_PARAMETER", "page_limit_invalid")
		return
	}
	var superuser *bool
	switch s := q.Get("is_superuser"); s {
	case "":
	case "true", "false":
		b := s == "true"
		superuser = &b
	default:
		badRequest(w, "is_superuser: must be true or false, got %q", s)
		return
	}
	users, err := h.b.ListUsers(r.Context(), id)
	if err != nil {
		fail(w, err, notFoundAuthenticator(id))
		return
	}
	like := q.Get("like_user_id")
	users = slices.DeleteFunc(slices.Clone(users), func(u User) bool {
		return !strings.Contains(u.UserID, like) || (superuser != nil && u.IsSuperuser != *superuser)
	})
	start := min((page-1)*limit, len(users))
	end := min(start+limit, len(users))
	writeJSON(w, http.StatusOK, usersPage{
		Data: append([]User{}, users[start:end]...),
		Meta: pageMeta{Page: page, Limit: limit, Count: len(users), HasNext: end < len(users)},
	})
}

func positiveParam(s string, def int) (int, bool) {
	if s == "" {
		return def, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1
}

// POST /authentication/{id}/users with {user_id, password, is_superuser}:
// 201 with the user.
func (h *Handler) addUser(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	fields, ok := h.userFields(w, r, "user_id", "password", "is_superuser")
	if !ok {
		return
	}
	var u NewUser
	for _, f := range []struct {
		name string
		dst  any
	}{{"user_id", &u.UserID}, {"password", &u.Password}, {"is_superuser", &u.IsSuperuser}} {
		raw, present := fields[f.name]
		if !present {
			if f.name == "is_superuser" {
				continue
			}
			badRequest(w, "Missing required parameter: %s", f.name)
			return
		}
		if err := decodeField(raw, f.name, f.dst); err != nil {
			badRequest(w, "%v", err)
			return
		}
	}
	if u.UserID == "" {
		badRequest(w, "user_id: must not be empty")
		return
	}
	user, err := h.b.AddUser(r.Context(), id, u)
	if err != nil {
		fail(w, err, notFoundAuthenticator(id))
		return
	}
	writeJSON(w, http.StatusCreated, user)
}

// GET /authentication/{id}/users/{user_id}
func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	user, err := h.b.GetUser(r.Context(), r.PathValue("id"), r.PathValue("user_id"))
	if err != nil {
		fail(w, err, userNotFound)
		return
	}
	writeJSON(w, http.StatusOK, user)
}

// PUT /authentication/{id}/users/{user_id} with {password, is_superuser}
// (at least one): 200 with the user.
func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	fields, ok := h.userFields(w, r, "password", "is_superuser")
	if !ok {
		return
	}
	if len(fields) == 0 {
		badRequest(w, "Missing required parameter: password")
		return
	}
	var u UserUpdate
	if raw, ok := fields["password"]; ok {
		u.Password = new(string)
		if err := decodeField(raw, "password", u.Password); err != nil {
			badRequest(w, "%v", err)
			return
		}
	}
	if raw, ok := fields["is_superuser"]; ok {
		u.IsSuperuser = new(bool)
		if err := decodeField(raw, "is_superuser", u.IsSuperuser); err != nil {
			badRequest(w, "%v", err)
			return
		}
	}
	user, err := h.b.UpdateUser(r.Context(), r.PathValue("id"), r.PathValue("user_id"), u)
	if err != nil {
		fail(w, err, userNotFound)
		return
	}
	writeJSON(w, http.StatusOK, user)
}

// DELETE /authentication/{id}/users/{user_id}: 204.
func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request) {
	if err := h.b.DeleteUser(r.Context(), r.PathValue("id"), r.PathValue("user_id")); err != nil {
		fail(w, err, userNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// userFields reads a JSON object whose fields must be among allowed.
func (h *Handler) userFields(w http.ResponseWriter, r *http.Request, allowed ...string) (map[string]json.RawMessage, bool) {
	body, ok := h.readObject(w, r)
	if !ok {
		return nil, false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		badRequest(w, "request body: %v", err)
		return nil, false
	}
	for name := range fields {
		if !slices.Contains(allowed, name) {
			badRequest(w, "unknown field %q (allowed: %s)", name, strings.Join(allowed, ", "))
			return nil, false
		}
	}
	return fields, true
}

// decodeField decodes one field strictly: a string field takes a string, a
// boolean a boolean, and null is refused.
func decodeField(raw json.RawMessage, name string, dst any) error {
	want := "a string"
	if _, isBool := dst.(*bool); isBool {
		want = "a boolean"
	}
	if string(raw) == "null" || json.Unmarshal(raw, dst) != nil {
		return fmt.Errorf("%s: must be %s, got %s", name, want, jsonKind(raw))
	}
	return nil
}
