package emqxapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// What a provisioner needs beyond creating authenticators: reading the
// whole chain to restore it later, deleting, and the authentication and
// authorization settings.

// Authenticators returns the chain's configurations in order, as the API
// shows them: with their "id", and with secrets redacted ("******", see
// Redacted).
func (c *Client) Authenticators(ctx context.Context) ([]map[string]any, error) {
	status, body, err := c.do(ctx, http.MethodGet, "/api/v5/authentication", nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v5/authentication: HTTP %d: %s", status, body)
	}
	var list []map[string]any
	if err := decodeNumbers(body, &list); err != nil {
		return nil, fmt.Errorf("GET /api/v5/authentication: %w", err)
	}
	return list, nil
}

// DeleteAuthenticator removes one authenticator (and its users) from the
// chain.
func (c *Client) DeleteAuthenticator(ctx context.Context, id string) error {
	path := "/api/v5/authentication/" + url.PathEscape(id)
	status, body, err := c.do(ctx, http.MethodDelete, path, nil)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("DELETE %s: HTTP %d: %s", path, status, body)
	}
	return nil
}

// Settings paths.
const (
	AuthorizationSettingsPath  = "/api/v5/authorization/settings"
	AuthenticationSettingsPath = "/api/v5/authentication/settings"
)

// GetSettings reads a settings object (AuthorizationSettingsPath,
// AuthenticationSettingsPath).
func (c *Client) GetSettings(ctx context.Context, path string) (map[string]any, error) {
	status, body, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, &StatusError{Method: http.MethodGet, Path: path, Status: status, Body: string(body)}
	}
	var obj map[string]any
	if err := decodeNumbers(body, &obj); err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return obj, nil
}

// PutSettings replaces a settings object.
func (c *Client) PutSettings(ctx context.Context, path string, settings map[string]any) error {
	data, err := json.Marshal(settings)
	if err != nil {
		return err
	}
	status, body, err := c.do(ctx, http.MethodPut, path, data)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("PUT %s: HTTP %d: %s", path, status, body)
	}
	return nil
}

// StatusError is an answer with an unexpected HTTP status.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// Redacted is what EMQX's API shows instead of a secret.
const Redacted = "******"

// HasRedacted reports whether a configuration as the API showed it holds a
// redacted value, which cannot be written back as the secret it hides.
func HasRedacted(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, item := range x {
			if HasRedacted(item) {
				return true
			}
		}
	case []any:
		for _, item := range x {
			if HasRedacted(item) {
				return true
			}
		}
	case string:
		return x == Redacted
	}
	return false
}

// decodeNumbers keeps numbers as written (json.Number), so a configuration
// read back is written back unchanged.
func decodeNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}
