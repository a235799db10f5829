package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// errorBody is EMQX's error shape.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{"INTERNAL_ERROR", "cannot encode the response: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, errorBody{Code: code, Message: message})
}

func badRequest(w http.ResponseWriter, format string, args ...any) {
	writeError(w, http.StatusBadRequest, "BAD_REQUEST", fmt.Sprintf(format, args...))
}

// fail answers a Backend error. notFound is the message for a bare
// ErrNotFound (one without its own message).
func fail(w http.ResponseWriter, err error, notFound string) {
	var ke *kindError
	hasMessage := errors.As(err, &ke)
	message := func(fallback string) string {
		if hasMessage {
			return err.Error()
		}
		return fallback
	}
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, "NOT_FOUND", message(notFound))
	case errors.Is(err, ErrAlreadyExists):
		writeError(w, http.StatusConflict, "ALREADY_EXISTS", message(err.Error()))
	case errors.Is(err, ErrUnsupported):
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", message("Operation not supported in this authentication type"))
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", err.Error())
	default:
		// EMQX answers every other configuration error 400 with the reason.
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
	}
}

// readJSON reads a bounded body that must be JSON; on failure it has
// answered and returns false.
func (h *Handler) readJSON(w http.ResponseWriter, r *http.Request) (json.RawMessage, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.o.maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "BAD_REQUEST",
			fmt.Sprintf("request body larger than %d bytes", tooLarge.Limit))
		return nil, false
	case err != nil:
		badRequest(w, "cannot read the request body: %v", err)
		return nil, false
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		badRequest(w, "request body is empty; a JSON document is required")
		return nil, false
	}
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v)
		badRequest(w, "request body is not valid JSON: %v", err)
		return nil, false
	}
	return body, true
}

// readObject reads a body that must be a JSON object.
func (h *Handler) readObject(w http.ResponseWriter, r *http.Request) (json.RawMessage, bool) {
	body, ok := h.readJSON(w, r)
	if !ok {
		return nil, false
	}
	if body[0] != '{' {
		badRequest(w, "request body must be a JSON object, got %s", jsonKind(body))
		return nil, false
	}
	return body, true
}

// jsonKind names the kind of a valid JSON value for error messages.
func jsonKind(v json.RawMessage) string {
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
