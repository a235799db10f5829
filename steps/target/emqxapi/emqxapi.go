// Package emqxapi is a client for the part of EMQX's management API (v5)
// the scenarios use: authenticators (/api/v5/authentication), their
// built-in database users, clients (/api/v5/clients/{clientid}), the
// authentication and authorization settings, the authorization sources
// (/api/v5/authorization/sources) and the release (/api/v5/status). The
// reference serves the same subset, so one client drives both. Fidelity
// (fidelity.go, FIDELITY.md) lists every request it can send, with the
// EMQX source each was checked against.
package emqxapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/authspec/authspec/steps/target"
)

// Client talks to one broker's management API with HTTP basic auth, as
// EMQX's API keys are used.
type Client struct {
	Base        string // e.g. http://127.0.0.1:18083
	Key, Secret string
	HTTP        http.Client
}

// maxBody bounds what is read of an answer.
const maxBody = 1 << 20

func (c *Client) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	if c.Base == "" {
		return 0, nil, fmt.Errorf("the broker has no management API")
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth(c.Key, c.Secret)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	return resp.StatusCode, data, nil
}

// CreateAuthenticator adds one authenticator to the chain. An HTTP 400 is
// a *target.ConfigRefusedError.
func (c *Client) CreateAuthenticator(ctx context.Context, config json.RawMessage) error {
	status, body, err := c.do(ctx, http.MethodPost, "/api/v5/authentication", config)
	if err != nil {
		return err
	}
	switch {
	case status == http.StatusBadRequest:
		return &target.ConfigRefusedError{Status: status, Body: string(body)}
	case status/100 != 2:
		return fmt.Errorf("POST /api/v5/authentication: HTTP %d: %s", status, body)
	}
	return nil
}

// AuthenticatorIDs lists the chain's authenticator IDs, in order.
func (c *Client) AuthenticatorIDs(ctx context.Context) ([]string, error) {
	status, body, err := c.do(ctx, http.MethodGet, "/api/v5/authentication", nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v5/authentication: HTTP %d: %s", status, body)
	}
	var list []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("GET /api/v5/authentication: %w", err)
	}
	ids := make([]string, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	return ids, nil
}

// AddUser adds a user to an authenticator with a user database
// ("password_based:built_in_database").
func (c *Client) AddUser(ctx context.Context, authenticatorID string, u target.User) error {
	body, err := json.Marshal(u)
	if err != nil {
		return err
	}
	path := "/api/v5/authentication/" + url.PathEscape(authenticatorID) + "/users"
	status, answer, err := c.do(ctx, http.MethodPost, path, body)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("POST %s (user %q): HTTP %d: %s", path, u.UserID, status, answer)
	}
	return nil
}

// Client returns what the broker shows of a client; false when it has none
// by that ID (HTTP 404).
func (c *Client) Client(ctx context.Context, clientID string) (target.ClientInfo, bool, error) {
	path := "/api/v5/clients/" + url.PathEscape(clientID)
	status, body, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return target.ClientInfo{}, false, err
	}
	switch status {
	case http.StatusNotFound:
		return target.ClientInfo{}, false, nil
	case http.StatusOK:
	default:
		return target.ClientInfo{}, false, fmt.Errorf("GET %s: HTTP %d: %s", path, status, body)
	}
	var info target.ClientInfo
	if err := json.Unmarshal(body, &info); err != nil {
		return target.ClientInfo{}, false, fmt.Errorf("GET %s: %w", path, err)
	}
	return info, true, nil
}
