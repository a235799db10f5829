package emqxapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/authspec/authspec/steps/target"
)

// Authorization sources (/api/v5/authorization/sources ...), as
// emqx_authz_api_sources serves them in EMQX 5.8 and 6.x alike, and the
// broker's release (/api/v5/status).

// SourcesPath is the list of authorization sources.
const SourcesPath = "/api/v5/authorization/sources"

func sourcePath(sourceType string) string { return SourcesPath + "/" + url.PathEscape(sourceType) }

// Sources returns the authorization sources in order, as the API shows
// them (secrets redacted, see Redacted).
func (c *Client) Sources(ctx context.Context) ([]map[string]any, error) {
	status, body, err := c.do(ctx, http.MethodGet, SourcesPath, nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, &StatusError{Method: http.MethodGet, Path: SourcesPath, Status: status, Body: string(body)}
	}
	var list struct {
		Sources []map[string]any `json:"sources"`
	}
	if err := decodeNumbers(body, &list); err != nil {
		return nil, fmt.Errorf("GET %s: %w", SourcesPath, err)
	}
	return list.Sources, nil
}

// CreateSource adds a source; EMQX puts it first. An HTTP 400 is a
// *target.ConfigRefusedError.
func (c *Client) CreateSource(ctx context.Context, source map[string]any) error {
	return c.send(ctx, http.MethodPost, SourcesPath, source)
}

// UpdateSource replaces the source of a type in place; values sent back
// as Redacted keep the stored ones.
func (c *Client) UpdateSource(ctx context.Context, sourceType string, source map[string]any) error {
	return c.send(ctx, http.MethodPut, sourcePath(sourceType), source)
}

// DeleteSource removes the source of a type.
func (c *Client) DeleteSource(ctx context.Context, sourceType string) error {
	return c.send(ctx, http.MethodDelete, sourcePath(sourceType), nil)
}

// MoveSource moves the source of a type: position is "front", "rear",
// "before:TYPE" or "after:TYPE".
func (c *Client) MoveSource(ctx context.Context, sourceType, position string) error {
	return c.send(ctx, http.MethodPost, sourcePath(sourceType)+"/move", map[string]any{"position": position})
}

// send sends a JSON body (none when nil) and wants a 2xx; a 400 is a
// *target.ConfigRefusedError, any other status a *StatusError.
func (c *Client) send(ctx context.Context, method, path string, v any) error {
	var data []byte
	if v != nil {
		var err error
		if data, err = json.Marshal(v); err != nil {
			return err
		}
	}
	status, body, err := c.do(ctx, method, path, data)
	switch {
	case err != nil:
		return err
	case status == http.StatusBadRequest:
		return &target.ConfigRefusedError{Status: status, Body: string(body)}
	case status/100 != 2:
		return &StatusError{Method: method, Path: path, Status: status, Body: string(body)}
	}
	return nil
}

// StatusPath is EMQX's health check, served without credentials; with
// format=json it names the release (rel_vsn) in 5.x and early 6.x.
const StatusPath = "/api/v5/status?format=json"

// Release is what the broker says of itself.
type Release struct {
	// Version is rel_vsn as the broker gave it ("v5.8.6", "e6.0.1"); empty
	// when it gives none (EMQX 6.3 dropped the field).
	Version string
	// Major is the version's major number; 0 when unknown.
	Major int
}

// Before6 reports whether the broker is an EMQX older than 6: its API has
// no /authentication/settings. An unknown release is taken as 6.x, the
// API the catalogue follows.
func (r Release) Before6() bool { return r.Major > 0 && r.Major < 6 }

var relVsn = regexp.MustCompile(`^[ev]?(\d+)\.\d+`)

// Release asks the broker's status endpoint which release it runs.
func (c *Client) Release(ctx context.Context) (Release, error) {
	status, body, err := c.do(ctx, http.MethodGet, StatusPath, nil)
	if err != nil {
		return Release{}, err
	}
	if status != http.StatusOK {
		return Release{}, &StatusError{Method: http.MethodGet, Path: StatusPath, Status: status, Body: string(body)}
	}
	var s struct {
		RelVsn string `json:"rel_vsn"`
	}
	if err := json.Unmarshal(body, &s); err != nil {
		return Release{}, fmt.Errorf("GET %s: %w", StatusPath, err)
	}
	r := Release{Version: s.RelVsn}
	if m := relVsn.FindStringSubmatch(s.RelVsn); m != nil {
		r.Major, _ = strconv.Atoi(m[1])
	}
	return r, nil
}
