package scramdrive

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference/scram"
	"github.com/authspec/authspec/steps/target"
)

// User is a backend user as a scenario describes it. Its answer is built
// when the client connects (Push), once the authenticator's algorithm and
// iteration count are known.
type User struct {
	Name, Password string
	Documented     bool              // the catalogue's documented answer (password "public")
	Fields         map[string]string // extra answer fields as the scenario wrote them (JSON)
	Lacks          []string          // answer fields to leave out
	KeysCase       string            // "upper" or "lower"; "" keeps the backend's
	SaltCase       string
	expireAt       time.Time // the rendered expire_at of the last Push, zero when none
}

// Users are a scenario's backend users, in the order it named them.
type Users []*User

// Get returns the user called name, adding it.
func (us *Users) Get(name string) *User {
	for _, u := range *us {
		if u.Name == name {
			return u
		}
	}
	u := &User{Name: name, Fields: map[string]string{}}
	*us = append(*us, u)
	return u
}

// ExpireAt is the expire_at the last Push gave name's answer (zero: none).
func (us Users) ExpireAt(name string) time.Time {
	var at time.Time
	for _, u := range us {
		if u.Name == name {
			at = u.expireAt
		}
	}
	return at
}

// DocumentedAnswer is EMQX's SCRAM documentation's backend answer for
// password "public" (SHA-256, 4096 iterations; catalogue, Vectors).
var DocumentedAnswer = scrambackend.Keys{
	StoredKey: "008F5E0CC6316BB172F511E93E4756EEA876B5B5125F1CD2FD69A2C30F9A0D73",
	ServerKey: "81466E185EC642AFAE1EFA75953735D6C0934D099149AAAB601D59F8F8162580",
	Salt:      "6633653634383437393466356532333165656435346432393464366165393137",
}

// Settings are the SCRAM authenticator's algorithm and iteration count,
// which the backend's keys must be derived with.
type Settings struct {
	Algorithm  scram.Algorithm
	Iterations int
}

// AuthenticatorSettings returns the chain's first SCRAM authenticator's
// settings (EMQX's defaults, sha256 and 4096, without one).
func AuthenticatorSettings(chain []target.Applied) (Settings, error) {
	s := Settings{Algorithm: scram.SHA256, Iterations: 4096}
	var cfg map[string]any
	for _, a := range chain {
		if target.Mechanism(a.Config) == "scram:http" {
			cfg = a.Config
			break
		}
	}
	if name, ok := cfg["algorithm"].(string); ok {
		alg, err := scram.ParseAlgorithm(name)
		if err != nil {
			return Settings{}, fmt.Errorf("the SCRAM authenticator's algorithm: %w", err)
		}
		s.Algorithm = alg
	}
	switch n := cfg["iteration_count"].(type) {
	case json.Number:
		i, err := n.Int64()
		if err != nil || i < 1 {
			return Settings{}, fmt.Errorf("the SCRAM authenticator's iteration_count %s is not a positive integer", n)
		}
		s.Iterations = int(i)
	case float64:
		s.Iterations = int(n)
	}
	return s, nil
}

// Push gives backend (nil: none runs) the users and the reply every
// answer follows (force, nil: none). It runs before every SCRAM
// connection (AddUser replaces), so a field's value, which value renders
// from the scenario's text (JSON where NOW stands for the time), is taken
// at the last moment.
func Push(backend *scrambackend.Server, users Users, force *scrambackend.Reply, s Settings, value func(text string) (any, error)) error {
	if backend == nil {
		return nil
	}
	for _, u := range users {
		if err := pushUser(backend, u, s, value); err != nil {
			return fmt.Errorf("SCRAM backend user %q: %w", u.Name, err)
		}
	}
	if force != nil {
		backend.Force(*force)
	}
	return nil
}

func pushUser(backend *scrambackend.Server, u *User, s Settings, value func(string) (any, error)) error {
	user := scrambackend.User{Name: u.Name, Password: u.Password, Algorithm: s.Algorithm, Iterations: s.Iterations, Extra: map[string]any{}}
	if u.Documented {
		keys := DocumentedAnswer
		user.Keys = &keys
	}
	u.expireAt = time.Time{}
	for name, text := range u.Fields {
		v, err := value(text)
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
	if err := backend.AddUser(user); err != nil {
		return err
	}
	if len(u.Lacks) == 0 && u.KeysCase == "" && u.SaltCase == "" {
		return nil
	}
	return reshape(backend, u, user)
}

// reshape rewrites the answer the backend derived for u: the same keys in
// another case, or the fields without some of them.
func reshape(backend *scrambackend.Server, u *User, user scrambackend.User) error {
	fields, _ := backend.Answer(u.Name)
	keys := scrambackend.Keys{
		StoredKey: recase(fields["stored_key"], u.KeysCase),
		ServerKey: recase(fields["server_key"], u.KeysCase),
		Salt:      recase(fields["salt"], u.SaltCase),
	}
	user.Keys = &keys
	if len(u.Lacks) > 0 {
		body := map[string]any{"stored_key": keys.StoredKey, "server_key": keys.ServerKey, "salt": keys.Salt}
		for k, v := range user.Extra {
			body[k] = v
		}
		for _, name := range u.Lacks {
			delete(body, name)
		}
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		user.Reply = &scrambackend.Reply{Body: b}
	}
	return backend.AddUser(user)
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

// RenderMillis replaces NOW_MS, NOW_MS+N and NOW_MS-N in an answer field's
// text with Unix milliseconds of now plus or minus N. It runs before the
// NOW (seconds) expressions are rendered, which would read NOW_MS as NOW.
func RenderMillis(text string, now time.Time) string {
	return nowMillis.ReplaceAllStringFunc(text, func(m string) string {
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
}

// NoteRequests writes the backend's requests after the first noted into
// the packet trace, so a failing scenario's report shows what the broker
// asked beside what it answered, and returns how many are noted now.
func NoteRequests(trace *mqttwire.Trace, backend *scrambackend.Server, noted int) int {
	if backend == nil {
		return noted
	}
	reqs := backend.Requests()
	for _, r := range reqs[min(noted, len(reqs)):] {
		where := r.Path
		if r.RawQuery != "" {
			where += "?" + r.RawQuery
		}
		trace.Note("SCRAM backend request: %s %s body %q", r.Method, where, r.Body)
	}
	return len(reqs)
}
