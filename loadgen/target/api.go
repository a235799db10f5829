package target

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// API provisions through EMQX's management API (/api/v5/authentication),
// which the reference also serves, with HTTP basic auth as EMQX's API keys
// are used.
type API struct {
	Base        string // e.g. http://127.0.0.1:18083
	Key, Secret string
	HTTP        *http.Client

	once     sync.Once
	original []map[string]any
	saved    bool
}

// NewAPI returns a provisioner for the API at base.
func NewAPI(base, key, secret string) *API {
	return &API{Base: base, Key: key, Secret: secret, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

func (a *API) do(ctx context.Context, method, path string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.Base+"/api/v5"+path, rd)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(a.Key, a.Secret)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("management API: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, fmt.Errorf("management API: %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("management API: %s %s: HTTP %d: %s", method, path, resp.StatusCode, bytes.TrimSpace(data))
	}
	return data, nil
}

// chain lists the configured authenticators (secrets redacted).
func (a *API) chain(ctx context.Context) ([]map[string]any, error) {
	data, err := a.do(ctx, http.MethodGet, "/authentication", nil)
	if err != nil {
		return nil, err
	}
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("management API: GET /authentication: %w", err)
	}
	return list, nil
}

// Enabled reads an authenticator's "enable" (true when absent, EMQX's
// default).
func Enabled(cfg map[string]any) bool {
	on, ok := cfg["enable"].(bool)
	return on || !ok
}

// ID is EMQX's authenticator ID: "mechanism" or "mechanism:backend".
func ID(cfg map[string]any) string {
	m, _ := cfg["mechanism"].(string)
	if b, _ := cfg["backend"].(string); b != "" {
		return m + ":" + b
	}
	return m
}

func (a *API) path(id string) string { return "/authentication/" + url.PathEscape(id) }

// put writes cfg without its read-only "id" field. Redacted values
// ("******") keep the stored ones, as in EMQX.
func (a *API) put(ctx context.Context, cfg map[string]any) error {
	body := make(map[string]any, len(cfg))
	for k, v := range cfg {
		if k != "id" {
			body[k] = v
		}
	}
	_, err := a.do(ctx, http.MethodPut, a.path(ID(cfg)), body)
	return err
}

func (a *API) Apply(ctx context.Context, chain []json.RawMessage) error {
	current, err := a.chain(ctx)
	if err != nil {
		return err
	}
	a.once.Do(func() {
		// Copies: the loop below changes "enable" in current's maps.
		for _, cfg := range current {
			a.original = append(a.original, maps.Clone(cfg))
		}
		a.saved = true
	})
	want := map[string]map[string]any{}
	var order []string
	for _, raw := range chain {
		var cfg map[string]any
		if err := json.Unmarshal(raw, &cfg); err != nil {
			return fmt.Errorf("authenticator configuration: %w", err)
		}
		cfg["enable"] = true
		want[ID(cfg)] = cfg
		order = append(order, ID(cfg))
	}
	have := map[string]bool{}
	for _, cfg := range current {
		id := ID(cfg)
		have[id] = true
		if _, ok := want[id]; ok {
			continue
		}
		if Enabled(cfg) {
			cfg["enable"] = false
			if err := a.put(ctx, cfg); err != nil {
				return err
			}
		}
	}
	for _, id := range order {
		if have[id] {
			err = a.put(ctx, want[id])
		} else {
			_, err = a.do(ctx, http.MethodPost, "/authentication", want[id])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (a *API) Restore(ctx context.Context) error {
	if !a.saved {
		return nil
	}
	current, err := a.chain(ctx)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, cfg := range a.original {
		keep[ID(cfg)] = true
	}
	for _, cfg := range current {
		if id := ID(cfg); !keep[id] {
			if _, err := a.do(ctx, http.MethodDelete, a.path(id), nil); err != nil {
				return err
			}
		}
	}
	for _, cfg := range a.original {
		if err := a.put(ctx, cfg); err != nil {
			return err
		}
	}
	return nil
}
