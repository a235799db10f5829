package emqxapi

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The fidelity table: every request the emqx-api target (this client and
// steps/target/apitarget) can send, with the answers EMQX gives it and the
// EMQX source each was read from. FIDELITY.md renders it (a test keeps the
// two equal), and the end-to-end test of the API target fails on any
// request the suite makes that no row allows.

// EMQX sources the rows were checked against (emqx/emqx).
const (
	// EMQX58 is the 5.8 release emqx.yaml runs.
	EMQX58 = "v5.8.6"
	// EMQX60 is the latest 6.x release tag.
	EMQX60 = "e6.0.1"
	// EMQXMain is the development line the catalogue follows (security
	// profiles and ignore_backend_failures appear only there).
	EMQXMain = "master@50e04386de (6.3.0-beta.2)"
)

// Request is one row of the fidelity table.
type Request struct {
	Method string
	// Path with {name} for a path segment (sent escaped) and an optional
	// fixed query.
	Path string
	// Body is the shape sent ("" for none).
	Body string
	// Statuses are the answers the target expects; NotFoundCode, when set,
	// is the EMQX error code a 404 among them carries (a 404 without it is
	// a path the broker does not serve).
	Statuses     []int
	NotFoundCode string
	// Checked names the EMQX module:function read, and where the releases
	// differ.
	Checked string
	// CheckBody, when set, checks a body sent against the row's shape.
	CheckBody func(body []byte) error `json:"-"`
}

// Fidelity is the table.
var Fidelity = []Request{
	{Method: "GET", Path: "/api/v5/status?format=json", Statuses: []int{200},
		Checked: "emqx_mgmt_api_status:get_status/2, running_status/1 (no credentials). `rel_vsn` is in " + EMQX58 + " and " + EMQX60 + ", gone in " + EMQXMain + ": the target takes a missing or unknown release as 6.x"},
	{Method: "GET", Path: "/api/v5/authentication", Statuses: []int{200},
		Checked: "emqx_authn_api:authenticators/2, list_authenticators/1: a list, each with `id`, secrets `******` (emqx_utils:redact). Same in all three"},
	{Method: "POST", Path: "/api/v5/authentication", Body: "one authenticator's configuration (EMQX's JSON shape, no `id`)", Statuses: []int{200, 400},
		Checked:   "emqx_authn_api:authenticators/2, create_authenticator/3: 200 with the configuration and `id` (not 201); 400 BAD_REQUEST for a configuration EMQX refuses (scenarios that expect the refusal). Same in all three",
		CheckBody: objectBody},
	{Method: "DELETE", Path: "/api/v5/authentication/{id}", Statuses: []int{204},
		Checked: "emqx_authn_api:authenticator/2, delete_authenticator/3. Same in all three"},
	{Method: "POST", Path: "/api/v5/authentication/{id}/users", Body: "`{user_id, password, is_superuser}`", Statuses: []int{201},
		Checked:   "emqx_authn_api:authenticator_users/2, add_user/3 (request_user_create). " + EMQXMain + " adds an optional `namespace`, not sent",
		CheckBody: fieldsBody("user_id", "password", "is_superuser")},
	{Method: "GET", Path: "/api/v5/clients/{clientid}", Statuses: []int{200, 404}, NotFoundCode: "CLIENTID_NOT_FOUND",
		Checked: "emqx_mgmt_api_clients:client/2: 200 with `client_attrs`; 404 CLIENTID_NOT_FOUND while the client is not registered (the attribute step asks again). Same in all three"},
	{Method: "GET", Path: "/api/v5/authentication/settings", Statuses: []int{200},
		Checked: "emqx_authn_api:authentication_settings/2. Not in " + EMQX58 + " (never sent to a 5.x broker); " + EMQX60 + " has only `node_cache`; " + EMQXMain + " adds `ignore_backend_failures`"},
	{Method: "PUT", Path: "/api/v5/authentication/settings", Body: "the object GET returned, `ignore_backend_failures` changed", Statuses: []int{204},
		Checked:   "emqx_authn_api:authentication_settings/2 (update_config of the whole object, so every field read is sent back). Sent only when the broker shows `ignore_backend_failures` (" + EMQXMain + ")",
		CheckBody: objectBody},
	{Method: "GET", Path: "/api/v5/authorization/settings", Statuses: []int{200},
		Checked: "emqx_authz_api_settings:settings/2: `no_match`, `deny_action`, `cache`, never `sources`; " + EMQXMain + " adds `include_mountpoint`, `ignore_backend_failures`"},
	{Method: "PUT", Path: "/api/v5/authorization/settings", Body: "the object GET returned (its own fields only, never `sources`), the scenario's fields over it", Statuses: []int{200},
		Checked:   "emqx_authz_api_settings:settings/2: 200 with the settings. " + EMQX58 + " needs all of `no_match`, `deny_action`, `cache` (its function clause matches them; a body missing one fails); " + EMQX60 + " and " + EMQXMain + " fill missing ones with defaults, which is why every field read is sent back. Unknown top-level fields such as `sources` are dropped silently (hocon_tconf:filter_by_roots), so sources go through their own endpoints",
		CheckBody: fieldsBody("no_match", "deny_action", "cache", "include_mountpoint", "ignore_backend_failures")},
	{Method: "GET", Path: "/api/v5/authorization/sources", Statuses: []int{200},
		Checked: "emqx_authz_api_sources:sources/2: `{\"sources\": [...]}` in order, file sources with their `rules` read back, secrets `******`. Same in all three"},
	{Method: "POST", Path: "/api/v5/authorization/sources", Body: "one source with its `type` (`{\"type\": \"file\", \"enable\": true, \"rules\": \"...\"}`)", Statuses: []int{204},
		Checked:   "emqx_authz_api_sources:sources/2, update_config(?CMD_PREPEND): 204, the source goes first; a type already configured is 400 ({duplicated_authz_source_type, ...}). Same in all three",
		CheckBody: sourceBody},
	{Method: "PUT", Path: "/api/v5/authorization/sources/{type}", Body: "the source of that type (as read, `enable` changed, or the scenario's)", Statuses: []int{204},
		Checked:   "emqx_authz_api_sources:source/2 (with_source, emqx_utils:deobfuscate, ?CMD_REPLACE in place): `******` keeps the stored value; 404 NOT_FOUND when not configured, 400 \"Type mismatch\". Same in all three",
		CheckBody: sourceBody},
	{Method: "DELETE", Path: "/api/v5/authorization/sources/{type}", Statuses: []int{204},
		Checked: "emqx_authz_api_sources:source/2 (?CMD_DELETE): 404 NOT_FOUND when not configured. Same in all three"},
	{Method: "POST", Path: "/api/v5/authorization/sources/{type}/move", Body: "`{\"position\": \"front\" | \"rear\" | \"before:TYPE\" | \"after:TYPE\"}`", Statuses: []int{204},
		Checked:   "emqx_authz_api_sources:source_move/2, parse_position/1: 404 for a source not configured, 400 for a bad position. Same in all three",
		CheckBody: fieldsBody("position")},
}

func objectBody(body []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return fmt.Errorf("the body is not a JSON object: %s", abbreviate(body))
	}
	return nil
}

// fieldsBody allows an object with only the given fields.
func fieldsBody(allowed ...string) func([]byte) error {
	return func(body []byte) error {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
			return fmt.Errorf("the body is not a JSON object: %s", abbreviate(body))
		}
		for k := range obj {
			if !slices.Contains(allowed, k) {
				return fmt.Errorf("the body has %q, not among its fields (%s)", k, strings.Join(allowed, ", "))
			}
		}
		return nil
	}
}

func sourceBody(body []byte) error {
	var src struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(body, &src); err != nil || src.Type == "" {
		return fmt.Errorf("the body is not a source with a type: %s", abbreviate(body))
	}
	return nil
}

func abbreviate(b []byte) string {
	if len(b) > 120 {
		return string(b[:120]) + "..."
	}
	return string(b)
}

// SourceTypes are EMQX's authorization source types
// (emqx_authz_schema:source_types/0 in every release named above).
var SourceTypes = []string{"built_in_database", "file", "http", "ldap", "mongodb", "mysql", "postgresql", "redis"}

// Match finds the row a request (its escaped path and raw query, as sent)
// falls under.
func Match(method, escapedPath, rawQuery string) (Request, bool) {
	for _, r := range Fidelity {
		if r.Method != method {
			continue
		}
		pattern, query, _ := strings.Cut(r.Path, "?")
		if query != rawQuery {
			continue
		}
		if pathMatches(pattern, escapedPath) {
			return r, true
		}
	}
	return Request{}, false
}

func pathMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if xs[i] == "" || (p == "{type}" && !slices.Contains(SourceTypes, xs[i])) {
				return false
			}
			continue
		}
		if p != xs[i] {
			return false
		}
	}
	return true
}

// Allows reports whether the row accepts an answer: a status it lists,
// and for a 404 the row's EMQX code (a 404 with another code is a path
// the broker does not serve).
func (r Request) Allows(status int, answer []byte) error {
	if !slices.Contains(r.Statuses, status) {
		return fmt.Errorf("%s %s answered %d (%s); the table expects %v", r.Method, r.Path, status, abbreviate(answer), r.Statuses)
	}
	if status == 404 {
		var e struct {
			Code string `json:"code"`
		}
		if err := json.Unmarshal(answer, &e); err != nil || e.Code != r.NotFoundCode {
			return fmt.Errorf("%s %s answered 404 %s; the table expects 404 only with code %s", r.Method, r.Path, abbreviate(answer), r.NotFoundCode)
		}
	}
	return nil
}

// MarkdownTable renders the table for FIDELITY.md.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| method | path | body | expected | checked against (emqx/emqx) |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, r := range Fidelity {
		body := r.Body
		if body == "" {
			body = "none"
		}
		var st []string
		for _, s := range r.Statuses {
			x := fmt.Sprint(s)
			if s == 404 && r.NotFoundCode != "" {
				x += " " + r.NotFoundCode
			}
			st = append(st, x)
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", r.Method, r.Path, strings.ReplaceAll(body, "|", "\\|"), strings.Join(st, ", "), strings.ReplaceAll(r.Checked, "|", "\\|"))
	}
	return b.String()
}
