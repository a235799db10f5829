package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Prefix is the path prefix of every endpoint, as in EMQX 5 and 6.
const Prefix = "/api/v5"

// DefaultMaxBody bounds request bodies.
const DefaultMaxBody = 1 << 20

// Handler serves the management API over a Backend.
type Handler struct {
	b   Backend
	o   options
	mux *http.ServeMux
	// Credentials are compared as hashes, so the comparison takes the same
	// time whatever their lengths.
	keyHash, secretHash [32]byte
	// sourcesMu serialises changes to the authorization sources, each a
	// read, an edit and a write of the whole list.
	sourcesMu sync.Mutex
}

// Option configures a Handler.
type Option func(*options)

type options struct {
	key, secret string
	maxBody     int64
	log         *slog.Logger
	node        string
	version     string
}

// WithAPIKey sets the API key and secret accepted as HTTP basic auth
// (required).
func WithAPIKey(key, secret string) Option {
	return func(o *options) { o.key, o.secret = key, secret }
}

// WithMaxBody bounds request bodies (default DefaultMaxBody).
func WithMaxBody(n int64) Option { return func(o *options) { o.maxBody = n } }

// WithLogger logs every request with its status.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithNode sets the node name and release version that /status reports.
func WithNode(name, version string) Option {
	return func(o *options) { o.node, o.version = name, version }
}

// New builds the API over b.
func New(b Backend, opts ...Option) (*Handler, error) {
	o := options{maxBody: DefaultMaxBody, log: slog.New(slog.DiscardHandler), node: "authspec@127.0.0.1",
		version: "dev"}
	for _, opt := range opts {
		opt(&o)
	}
	if b == nil {
		return nil, errors.New("api: no backend")
	}
	if o.key == "" || o.secret == "" {
		return nil, errors.New("api: an API key and secret are required (WithAPIKey)")
	}
	if o.maxBody <= 0 {
		return nil, fmt.Errorf("api: body limit must be positive, got %d", o.maxBody)
	}
	h := &Handler{b: b, o: o, mux: http.NewServeMux(),
		keyHash: sha256.Sum256([]byte(o.key)), secretHash: sha256.Sum256([]byte(o.secret))}
	h.routes()
	return h, nil
}

func (h *Handler) routes() {
	route := func(path string, m methods) { h.mux.Handle(Prefix+path, m) }
	route("/authentication", methods{"GET": h.listAuthenticators, "POST": h.createAuthenticator})
	route("/authentication/order", methods{"PUT": h.reorderAuthenticators})
	route("/authentication/settings", methods{"GET": h.getAuthnSettings, "PUT": h.putAuthnSettings})
	route("/authentication/{id}", methods{"GET": h.getAuthenticator, "PUT": h.updateAuthenticator,
		"DELETE": h.deleteAuthenticator})
	route("/authentication/{id}/position/{position}", methods{"PUT": h.moveAuthenticator})
	route("/authentication/{id}/users", methods{"GET": h.listUsers, "POST": h.addUser})
	route("/authentication/{id}/users/{user_id}", methods{"GET": h.getUser, "PUT": h.updateUser,
		"DELETE": h.deleteUser})
	route("/clients/{clientid}", methods{"GET": h.getClient, "DELETE": h.kickClient})
	route("/authorization/settings", methods{"GET": h.getAuthzSettings, "PUT": h.putAuthzSettings})
	route("/authorization/sources", methods{"GET": h.listSources, "POST": h.createSource})
	route("/authorization/sources/order", methods{"PUT": h.reorderSources})
	route("/authorization/sources/{type}", methods{"GET": h.getSource, "PUT": h.updateSource,
		"DELETE": h.deleteSource})
	route("/authorization/sources/{type}/move", methods{"POST": h.moveSource})
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Request Path Not Found")
	})
}

// ServeHTTP authenticates the caller (except for the status endpoint, which
// EMQX serves without credentials) and dispatches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		// A failing backend must not take the broker's API down with it.
		if p := recover(); p != nil {
			h.o.log.Error("api: panic serving request", "method", r.Method, "path", r.URL.Path, "panic", p)
			if !rec.wrote {
				writeError(rec, http.StatusInternalServerError, "INTERNAL_ERROR", "internal error")
			}
		}
		h.o.log.Info("api request", "method", r.Method, "path", r.URL.Path, "status", rec.status)
	}()
	if r.URL.Path == "/status" || r.URL.Path == Prefix+"/status" {
		h.status(rec, r)
		return
	}
	if !h.authorized(r) {
		rec.Header().Set("WWW-Authenticate", `Basic Realm="authspec"`)
		writeError(rec, http.StatusUnauthorized, "BAD_API_KEY_OR_SECRET", "Check api_key/api_secret")
		return
	}
	h.mux.ServeHTTP(rec, r)
}

func (h *Handler) authorized(r *http.Request) bool {
	key, secret, ok := r.BasicAuth()
	if !ok {
		return false
	}
	k, s := sha256.Sum256([]byte(key)), sha256.Sum256([]byte(secret))
	// Both compared, without short-circuit, so timing tells nothing about
	// which one was wrong.
	return subtle.ConstantTimeCompare(k[:], h.keyHash[:])&subtle.ConstantTimeCompare(s[:], h.secretHash[:]) == 1
}

// status answers like EMQX's /status: a text line by default, JSON with
// ?format=json.
func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methods{"GET": nil}.notAllowed(w)
		return
	}
	if r.URL.Query().Get("format") == "json" {
		writeJSON(w, http.StatusOK, map[string]string{"node_name": h.o.node, "rel_vsn": h.o.version,
			"broker_status": "started", "app_status": "running"})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "Node %s is started\nauthspec is running", h.o.node)
}

// methods dispatches one resource's requests by method; others get 405.
type methods map[string]http.HandlerFunc

func (m methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f, ok := m[r.Method]; ok && f != nil {
		f(w, r)
		return
	}
	m.notAllowed(w)
}

func (m methods) notAllowed(w http.ResponseWriter) {
	allowed := make([]string, 0, len(m))
	for method := range m {
		allowed = append(allowed, method)
	}
	slices.Sort(allowed)
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Method Not Allowed")
}

// statusRecorder remembers the status for the request log and whether a
// response was started (a panic after that cannot send a 500).
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}
