package scramhttp

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authspec/authspec/reference/authn"
)

// MaxAnswerBytes bounds how much of the backend's answer is read. A larger
// answer is unusable (SCRAM-06): a real credential answer is a few hundred
// bytes, and reading a hostile backend's 10 MB must not cost 10 MB per
// connecting client.
const MaxAnswerBytes = 1 << 20

// answer is a usable backend answer: the user's credentials and what a
// successful exchange grants.
type answer struct {
	salt, storedKey, serverKey []byte
	saltText                   string // the salt as the backend wrote it (hex)
	identity                   authn.Identity
	iterationCount             int    // an iteration_count field; used only under a fault
	result                     string // a result field; used only under a fault
}

// failure names why an answer or request is unusable; the authenticator
// then ignores the client (SCRAM-05, -06, -13, -14, -16, -17).
type failure struct {
	check  string
	detail string
}

func fail(check, format string, args ...any) *failure {
	return &failure{check: check, detail: fmt.Sprintf(format, args...)}
}

// readAnswer checks the status, bounds and parses the body, then
// interprets it. now is the broker's clock (expire_at).
func readAnswer(resp *http.Response, now time.Time, f defects) (answer, *failure) {
	if resp.StatusCode != http.StatusOK && !f.acceptNon200 {
		return answer{}, fail(fmt.Sprintf("backend-status-%d", resp.StatusCode), "backend answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBytes+1))
	if err != nil {
		return answer{}, fail("backend-read", "reading the answer: %v", err)
	}
	if len(body) > MaxAnswerBytes {
		return answer{}, fail("backend-body-too-large", "answer larger than %d bytes", MaxAnswerBytes)
	}
	fields, bad := parseBody(resp.Header.Get("Content-Type"), body, f)
	if bad != nil {
		return answer{}, bad
	}
	return interpret(fields, now, f)
}

// parseBody: the Content-Type must start with application/json or
// application/x-www-form-urlencoded (SCRAM-13, ambiguity A11); the prefix
// match is EMQX's, so "application/json; charset=utf-8" is JSON.
func parseBody(contentType string, body []byte, f defects) (map[string]any, *failure) {
	switch {
	case strings.HasPrefix(contentType, contentTypeJSON), f.ignoreContentType:
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber() // expire_at must be told apart from 1.7e9
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fail("backend-body", "answer is not JSON: %v", err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, fail("backend-body", "data after the JSON value")
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fail("backend-body", "answer is %s, want an object", jsonType(v))
		}
		return m, nil
	case strings.HasPrefix(contentType, contentTypeForm):
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fail("backend-body", "answer is not form-encoded: %v", err)
		}
		m := make(map[string]any, len(q))
		for k, vs := range q {
			m[k] = vs[len(vs)-1] // the last value wins, as in EMQX's maps:from_list
		}
		return m, nil
	}
	return nil, fail("backend-content-type", "answer Content-Type %q is neither JSON nor form-encoded", contentType)
}

// interpret reads the fields of a parsed answer (SCRAM-03, -06, -14..-18).
// The `result` field is not consulted (SCRAM-06) and `clientid_override`
// is ignored (SCRAM-18), except under the faults that break those.
func interpret(fields map[string]any, now time.Time, f defects) (answer, *failure) {
	var a answer
	for _, key := range []struct {
		name string
		dst  *[]byte
	}{{"stored_key", &a.storedKey}, {"server_key", &a.serverKey}, {"salt", &a.salt}} {
		raw, present := fields[key.name]
		if !present {
			return answer{}, fail("backend-keys", "answer lacks %s", key.name)
		}
		s, ok := raw.(string)
		if !ok {
			return answer{}, fail("backend-keys", "%s is %s, want hex text", key.name, jsonType(raw))
		}
		b, err := hex.DecodeString(s)
		if err != nil {
			return answer{}, fail("backend-keys", "%s is not even-length hex", key.name)
		}
		*key.dst = b
		if key.name == "salt" {
			a.saltText = s
		}
	}
	if v, ok := fields["is_superuser"]; ok && !f.superuserIgnored {
		a.identity.Superuser = isSuperuser(v)
	}
	if v, ok := fields["client_attrs"]; ok {
		attrs, err := clientAttrs(v, f.clientAttrsStringified)
		if err != nil {
			return answer{}, fail("client-attrs", "%v", err)
		}
		a.identity.ClientAttrs = attrs
	}
	if v, ok := fields["expire_at"]; ok {
		at, err := expireAt(v, now, f.expireAtMillis)
		if err != nil {
			return answer{}, fail("expire-at", "%v", err)
		}
		a.identity.ExpireAt = at
		a.identity.DisconnectOnExpire = !f.expireAtNoDisconnect
	}
	if v, ok := fields["acl"]; ok {
		rules, err := parseACL(v, f)
		switch {
		case err != nil && f.invalidACLDropped:
			// the fault: keep the client, drop the rules
		case err != nil:
			return answer{}, fail("acl", "%v", err)
		default:
			a.identity.Rules = rules
		}
	}
	if v, ok := fields["clientid_override"].(string); ok && v != "" && f.clientIDOverrideHonoured {
		a.identity.ClientIDOverride = v
	}
	if f.honourResultField {
		a.result, _ = fields["result"].(string)
	}
	if f.iterationFromAnswer {
		if n, ok := fields["iteration_count"].(json.Number); ok {
			if i, err := n.Int64(); err == nil && i > 0 && i <= 1<<24 {
				a.iterationCount = int(i)
			}
		}
	}
	return a, nil
}
