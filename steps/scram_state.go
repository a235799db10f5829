package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference/scram"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/forge"
	"github.com/authspec/authspec/steps/target"
)

// scramScenario is the SCRAM side of a scenario: the credential backend the
// suite serves, the users and answer shapes the scenario gives it, how the
// client's next attempt deviates from a correct exchange, and what the
// exchanges observed.
type scramScenario struct {
	backend *scrambackend.Server
	users   []*scramUser
	force   *scrambackend.Reply // shapes every answer, whoever asks

	attempt scramAttempt   // deviations of the next connection only
	last    *scramExchange // the last CONNECT's exchange
	conn    *mqttwire.Conn // the last accepted SCRAM connection
	reauth  *scramReauth   // the last re-authentication on conn
	noted   int            // backend requests already written to the packet trace
}

// noteRequests writes the backend requests that arrived since the last call
// into the packet trace, so a failing scenario's report shows what the
// broker asked beside what it answered.
func (s *scramScenario) noteRequests(trace *mqttwire.Trace) {
	if s.backend == nil {
		return
	}
	reqs := s.backend.Requests()
	for _, r := range reqs[min(s.noted, len(reqs)):] {
		where := r.Path
		if r.RawQuery != "" {
			where += "?" + r.RawQuery
		}
		trace.Note("SCRAM backend request: %s %s body %q", r.Method, where, r.Body)
	}
	s.noted = len(reqs)
}

// scramUser is a backend user as the scenario describes it. The answer is
// built when the client connects, once the authenticator's algorithm and
// iteration count are known.
type scramUser struct {
	name, password string
	documented     bool              // the catalogue's documented answer (password "public")
	fields         map[string]string // extra answer fields as the scenario wrote them (JSON)
	lacks          []string          // answer fields to leave out
	keysCase       string            // "upper" or "lower"; "" keeps the backend's
	saltCase       string
	expireAt       time.Time // the rendered expire_at, zero when none
}

// documentedAnswer is EMQX's SCRAM documentation's backend answer for
// password "public" (SHA-256, 4096 iterations; catalogue, Vectors).
var documentedAnswer = scrambackend.Keys{
	StoredKey: "008F5E0CC6316BB172F511E93E4756EEA876B5B5125F1CD2FD69A2C30F9A0D73",
	ServerKey: "81466E185EC642AFAE1EFA75953735D6C0934D099149AAAB601D59F8F8162580",
	Salt:      "6633653634383437393466356532333165656435346432393464366165393137",
}

// scramOf returns the scenario's SCRAM state, creating it on first use (a
// scenario may connect a SCRAM client without running a backend, e.g. to
// an unreachable url).
func (st *scenario) scramOf() *scramScenario {
	if st.scram == nil {
		st.scram = &scramScenario{}
	}
	return st.scram
}

// scramAfter stops the backend: hanging and delayed answers are abandoned.
func scramAfter(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.scram == nil {
		return ctx, nil
	}
	// The accepted SCRAM connections are in st.sessions, which the suite's
	// own After hook closes.
	if b := st.scram.backend; b != nil {
		st.scram.backend = nil
		if cerr := b.Close(); cerr != nil {
			return ctx, reports.HarnessError(fmt.Errorf("stopping the SCRAM backend: %w", cerr))
		}
	}
	return ctx, nil
}

// user returns the scenario's user called name, adding it.
func (s *scramScenario) user(name string) *scramUser {
	for _, u := range s.users {
		if u.name == name {
			return u
		}
	}
	u := &scramUser{name: name, fields: map[string]string{}}
	s.users = append(s.users, u)
	return u
}

// scramAuthenticatorSettings returns the chain's first SCRAM authenticator's
// algorithm and iteration count (EMQX's defaults: sha256, 4096), which the
// backend's keys must be derived with.
func scramAuthenticatorSettings(chain []target.Applied) (scram.Algorithm, int, error) {
	alg, iterations := scram.SHA256, 4096
	var cfg map[string]any
	for _, a := range chain {
		if target.Mechanism(a.Config) == "scram:http" {
			cfg = a.Config
			break
		}
	}
	if s, ok := cfg["algorithm"].(string); ok {
		parsed, err := scram.ParseAlgorithm(s)
		if err != nil {
			return 0, 0, fmt.Errorf("the SCRAM authenticator's algorithm: %w", err)
		}
		alg = parsed
	}
	switch n := cfg["iteration_count"].(type) {
	case json.Number:
		i, err := n.Int64()
		if err != nil || i < 1 {
			return 0, 0, fmt.Errorf("the SCRAM authenticator's iteration_count %s is not a positive integer", n)
		}
		iterations = int(i)
	case float64:
		iterations = int(n)
	}
	return alg, iterations, nil
}

// push gives the backend the scenario's users and answer shapes. It runs
// before every SCRAM connection (AddUser replaces), so NOW in a field is
// rendered at the last moment.
func (s *scramScenario) push(chain []target.Applied, now time.Time) error {
	if s.backend == nil {
		return nil
	}
	alg, iterations, err := scramAuthenticatorSettings(chain)
	if err != nil {
		return err
	}
	for _, u := range s.users {
		if err := s.pushUser(u, alg, iterations, now); err != nil {
			return fmt.Errorf("SCRAM backend user %q: %w", u.name, err)
		}
	}
	if s.force != nil {
		s.backend.Force(*s.force)
	}
	return nil
}

func (s *scramScenario) pushUser(u *scramUser, alg scram.Algorithm, iterations int, now time.Time) error {
	user := scrambackend.User{Name: u.name, Password: u.password, Algorithm: alg, Iterations: iterations, Extra: map[string]any{}}
	if u.documented {
		keys := documentedAnswer
		user.Keys = &keys
	}
	u.expireAt = time.Time{}
	for name, text := range u.fields {
		v, err := answerValue(text, now)
		if err != nil {
			return fmt.Errorf("answer field %q: %w", name, err)
		}
		user.Extra[name] = v
		if n, ok := v.(json.Number); ok && name == "expire_at" {
			if sec, err := n.Int64(); err == nil {
				u.expireAt = time.Unix(sec, 0)
			}
		}
	}
	if err := s.backend.AddUser(user); err != nil {
		return err
	}
	if len(u.lacks) == 0 && u.keysCase == "" && u.saltCase == "" {
		return nil
	}
	// Rewrite the answer the backend derived: the same keys in another
	// case, or the fields without some of them.
	fields, _ := s.backend.Answer(u.name)
	keys := scrambackend.Keys{
		StoredKey: recase(fields["stored_key"], u.keysCase),
		ServerKey: recase(fields["server_key"], u.keysCase),
		Salt:      recase(fields["salt"], u.saltCase),
	}
	user.Keys = &keys
	if len(u.lacks) > 0 {
		body := map[string]any{"stored_key": keys.StoredKey, "server_key": keys.ServerKey, "salt": keys.Salt}
		for k, v := range user.Extra {
			body[k] = v
		}
		for _, name := range u.lacks {
			delete(body, name)
		}
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		user.Reply = &scrambackend.Reply{Body: b}
	}
	return s.backend.AddUser(user)
}

func recase(v any, c string) string {
	s, _ := v.(string)
	switch c {
	case "upper":
		return strings.ToUpper(s)
	case "lower":
		return strings.ToLower(s)
	}
	return s
}

// nowMillis matches NOW_MS, NOW_MS+N and NOW_MS-N: Unix milliseconds.
var nowMillis = regexp.MustCompile(`NOW_MS(?:([+-])(\d+))?`)

// answerValue reads a field value as a scenario writes it: JSON, where
// NOW, NOW+N, NOW-N (Unix seconds) and NOW_MS+N (Unix milliseconds) are
// rendered first, so `NOW+60` is a number and `"NOW+60"` a string.
func answerValue(text string, now time.Time) (any, error) {
	text = nowMillis.ReplaceAllStringFunc(text, func(m string) string {
		sub := nowMillis.FindStringSubmatch(m)
		ms := now.UnixMilli()
		if n, err := strconv.ParseInt(sub[2], 10, 64); err == nil {
			if sub[1] == "-" {
				n = -n
			}
			ms += n
		}
		return strconv.FormatInt(ms, 10)
	})
	rendered, err := forge.RenderNow(text, now)
	if err != nil {
		return nil, err
	}
	var v any
	if err := decodeJSON([]byte(rendered), &v); err != nil {
		return nil, fmt.Errorf("%s: %w", text, err)
	}
	return v, nil
}
