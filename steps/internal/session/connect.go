package session

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

// Field is a CONNECT field a scenario may set, leave out, or leave at the
// default.
type Field struct {
	Set    bool // the scenario decided this field
	Absent bool // ... to leave it out
	Value  []byte
}

// ClientSpec is the connecting client as the scenario describes it.
type ClientSpec struct {
	Version  target.Version
	ClientID string
	Username Field
	Password Field
	// TokenField is "password" or "username"; "" follows the
	// authenticator's `from`.
	TokenField string
	AuthMethod string
}

// DefaultUsername is sent unless the scenario says otherwise: most real
// clients send one, and JWT-SRC-01 says any Username is accepted.
const DefaultUsername = "authspec"

// NewClientID is a Client ID no other scenario uses.
func NewClientID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "authspec-" + hex.EncodeToString(b)
}

// BaseRequest is the CONNECT of c without a token: the defaults, then
// whatever the scenario set explicitly.
func BaseRequest(c ClientSpec) client.Request {
	req := client.Request{
		Version:     c.Version,
		ClientID:    c.ClientID,
		Username:    DefaultUsername,
		HasUsername: true,
		AuthMethod:  c.AuthMethod,
		Label:       c.ClientID,
	}
	if c.Username.Set {
		req.Username, req.HasUsername = string(c.Username.Value), !c.Username.Absent
	}
	if c.Password.Set {
		req.Password, req.HasPassword = c.Password.Value, !c.Password.Absent
	}
	return req
}

// TokenField is the CONNECT field that carries the token: the one the
// scenario chose, else the JWT authenticator's `from` (authConfig, as the
// broker has it), else the password.
func TokenField(chosen string, authConfig map[string]any) string {
	if chosen != "" {
		return chosen
	}
	if from, _ := authConfig["from"].(string); from != "" {
		return from
	}
	return "password"
}

// ClaimsUsername is the Username a token's claims are rendered for
// (${username}): the CONNECT's, unless the token takes its place.
func ClaimsUsername(req client.Request, where string) string {
	if req.HasUsername && where != "username" {
		return req.Username
	}
	return ""
}

// PlaceToken puts tok in the field where ("username" or "password") of
// req, unless the scenario set that field explicitly in c.
func PlaceToken(req *client.Request, c ClientSpec, where, tok string) {
	switch where {
	case "username":
		if !c.Username.Set {
			req.Username, req.HasUsername = tok, true
		}
	default:
		if !c.Password.Set {
			req.Password, req.HasPassword = []byte(tok), true
		}
	}
}

// WaitForFreshSecond returns early in a second of the clock. Claims at the
// boundary (exp equal to now) are checked in whole seconds, so a token
// minted late in a second could be checked in the next one and test
// "exp < now" instead of "exp = now".
func WaitForFreshSecond() {
	now := time.Now()
	if frac := time.Duration(now.Nanosecond()); frac > 600*time.Millisecond {
		time.Sleep(time.Second - frac + 5*time.Millisecond)
	}
}

// MaxPaddingKB bounds Padding.
const MaxPaddingKB = 4096

// Padding is kb KB of MQTT 5 user properties, which push a CONNECT past a
// broker's maximum packet size (SEC-04).
func Padding(kb int) ([]mqttwire.UserProperty, error) {
	if kb < 1 || kb > MaxPaddingKB {
		return nil, fmt.Errorf("between 1 and %d KB of user properties, not %d", MaxPaddingKB, kb)
	}
	const chunk = 60000 // under the 65535-byte limit of an MQTT string
	var props []mqttwire.UserProperty
	for left := kb * 1024; left > 0; left -= chunk {
		props = append(props, mqttwire.UserProperty{Key: "authspec-padding", Val: strings.Repeat("p", min(left, chunk))})
	}
	return props, nil
}
