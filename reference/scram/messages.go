package scram

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// The four messages of a SCRAM exchange. Parse* functions take the raw
// Authentication-Data of an MQTT packet; String methods format a message for
// it. Field values are kept exactly as sent where they enter the AuthMessage
// (Bare, WithoutProof), because the proof is computed over those bytes.

// ClientFirst is `gs2-header client-first-message-bare`, e.g.
// "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL".
type ClientFirst struct {
	GS2Header string // gs2-cbind-flag "," [authzid] ",", e.g. "n,," or "y,a=admin,"
	CBindFlag string // "n" or "y" ("p=..." only under the AcceptChannelBinding defect)
	AuthzID   string // unescaped; "" when absent
	User      string // unescaped (=2C -> ",", =3D -> "=")
	Nonce     string // client nonce
	Bare      string // client-first-message-bare as sent
}

// String formats the message from GS2Header, User (escaped here) and Nonce.
func (m ClientFirst) String() string {
	return m.GS2Header + "n=" + EscapeName(m.User) + ",r=" + m.Nonce
}

// GS2Header builds a GS2 header: flag "n" or "y" and an optional
// authorization identity.
func GS2Header(flag, authzID string) string {
	if authzID == "" {
		return flag + ",,"
	}
	return flag + ",a=" + EscapeName(authzID) + ","
}

// ParseClientFirst parses a client-first message with EMQX's acceptance rules.
func ParseClientFirst(msg []byte) (ClientFirst, error) {
	return parseClientFirst(msg, false)
}

func parseClientFirst(msg []byte, allowChannelBinding bool) (ClientFirst, error) {
	const what = "client-first"
	s := string(msg)
	parts := strings.Split(s, ",")
	if len(parts) < 4 {
		return ClientFirst{}, msgError(what, ErrMalformed, "want gs2-header, n= and r=")
	}
	var m ClientFirst
	switch flag := parts[0]; {
	case flag == "n" || flag == "y":
		m.CBindFlag = flag
	case strings.HasPrefix(flag, "p="):
		if !allowChannelBinding {
			return ClientFirst{}, msgError(what, ErrChannelBinding, flag)
		}
		m.CBindFlag = flag
	default:
		return ClientFirst{}, msgError(what, ErrMalformed, "gs2 flag "+strconv.Quote(flag))
	}
	switch authz := parts[1]; {
	case authz == "":
	case strings.HasPrefix(authz, "a=") && len(authz) > 2:
		m.AuthzID = UnescapeName(authz[2:])
	default:
		return ClientFirst{}, msgError(what, ErrMalformed, "authzid "+strconv.Quote(authz))
	}
	if strings.HasPrefix(parts[2], "m=") {
		return ClientFirst{}, msgError(what, ErrExtension, "")
	}
	if !strings.HasPrefix(parts[2], "n=") {
		return ClientFirst{}, msgError(what, ErrMalformed, "want n= after the gs2 header")
	}
	if len(parts[2]) == 2 {
		return ClientFirst{}, msgError(what, ErrEmptyUser, "")
	}
	m.User = UnescapeName(parts[2][2:])
	if !strings.HasPrefix(parts[3], "r=") {
		return ClientFirst{}, msgError(what, ErrMalformed, "want r= after n=")
	}
	if len(parts[3]) == 2 {
		return ClientFirst{}, msgError(what, ErrEmptyNonce, "")
	}
	m.Nonce = parts[3][2:]
	// Anything after the nonce is an optional extension, which sasl_auth
	// skips; so does the reference.
	m.GS2Header = parts[0] + "," + parts[1] + ","
	m.Bare = s[len(m.GS2Header):]
	return m, nil
}

// ServerFirst is `r=<combined nonce>,s=<base64 salt>,i=<iterations>`.
type ServerFirst struct {
	Nonce      string // client nonce + server nonce
	Salt       []byte
	Iterations int
}

func (m ServerFirst) String() string {
	return "r=" + m.Nonce + ",s=" + base64.StdEncoding.EncodeToString(m.Salt) + ",i=" + strconv.Itoa(m.Iterations)
}

// ParseServerFirst parses a server-first message (client side).
func ParseServerFirst(msg []byte) (ServerFirst, error) {
	const what = "server-first"
	parts := strings.Split(string(msg), ",")
	if len(parts) > 0 && strings.HasPrefix(parts[0], "m=") {
		return ServerFirst{}, msgError(what, ErrExtension, "")
	}
	if len(parts) < 3 {
		return ServerFirst{}, msgError(what, ErrMalformed, "want r=, s= and i=")
	}
	var m ServerFirst
	if !strings.HasPrefix(parts[0], "r=") {
		return ServerFirst{}, msgError(what, ErrMalformed, "want r= first")
	}
	if m.Nonce = parts[0][2:]; m.Nonce == "" {
		return ServerFirst{}, msgError(what, ErrEmptyNonce, "")
	}
	if !strings.HasPrefix(parts[1], "s=") {
		return ServerFirst{}, msgError(what, ErrMalformed, "want s= after r=")
	}
	salt, err := base64.StdEncoding.DecodeString(parts[1][2:])
	if err != nil {
		return ServerFirst{}, msgError(what, ErrEncoding, "salt")
	}
	m.Salt = salt
	if !strings.HasPrefix(parts[2], "i=") {
		return ServerFirst{}, msgError(what, ErrMalformed, "want i= after s=")
	}
	n, err := strconv.Atoi(parts[2][2:])
	if err != nil || n < 1 {
		return ServerFirst{}, msgError(what, ErrMalformed, "iteration count "+strconv.Quote(parts[2][2:]))
	}
	m.Iterations = n
	return m, nil
}

// ClientFinal is `c=<base64 gs2 header>,r=<combined nonce>[,ext...],p=<base64
// proof>`.
type ClientFinal struct {
	ChannelBinding []byte   // decoded c=: the GS2 header (plus cbind-data under `p=`)
	Nonce          string   // combined nonce
	Extensions     []string // raw, between r= and p=
	Proof          []byte
	WithoutProof   string // client-final-message-without-proof as sent (empty when formatting)
}

// String formats the message; ChannelBinding is base64-encoded here.
func (m ClientFinal) String() string {
	return m.FormatWithoutProof() + ",p=" + base64.StdEncoding.EncodeToString(m.Proof)
}

// FormatWithoutProof formats client-final-message-without-proof.
func (m ClientFinal) FormatWithoutProof() string {
	s := "c=" + base64.StdEncoding.EncodeToString(m.ChannelBinding) + ",r=" + m.Nonce
	for _, e := range m.Extensions {
		s += "," + e
	}
	return s
}

// ParseClientFinal parses a client-final message. It checks the shape and
// the encodings; whether c= and r= match the conversation is the server's
// business (Server.ReadClientFinal).
func ParseClientFinal(msg []byte) (ClientFinal, error) {
	const what = "client-final"
	s := string(msg)
	parts := strings.Split(s, ",")
	if len(parts) < 3 {
		return ClientFinal{}, msgError(what, ErrMalformed, "want c=, r= and p=")
	}
	var m ClientFinal
	if !strings.HasPrefix(parts[0], "c=") {
		return ClientFinal{}, msgError(what, ErrMalformed, "want c= first")
	}
	cb, err := base64.StdEncoding.DecodeString(parts[0][2:])
	if err != nil {
		return ClientFinal{}, msgError(what, ErrEncoding, "c=")
	}
	m.ChannelBinding = cb
	if !strings.HasPrefix(parts[1], "r=") {
		return ClientFinal{}, msgError(what, ErrMalformed, "want r= after c=")
	}
	if m.Nonce = parts[1][2:]; m.Nonce == "" {
		return ClientFinal{}, msgError(what, ErrEmptyNonce, "")
	}
	last := parts[len(parts)-1]
	for _, ext := range parts[2 : len(parts)-1] {
		if strings.HasPrefix(ext, "p=") {
			return ClientFinal{}, msgError(what, ErrMalformed, "p= must be the last attribute")
		}
		m.Extensions = append(m.Extensions, ext)
	}
	if !strings.HasPrefix(last, "p=") || len(last) == 2 {
		return ClientFinal{}, msgError(what, ErrMalformed, "want a non-empty p= last")
	}
	proof, err := base64.StdEncoding.DecodeString(last[2:])
	if err != nil {
		return ClientFinal{}, msgError(what, ErrEncoding, "p=")
	}
	m.Proof = proof
	m.WithoutProof = s[:len(s)-len(last)-1]
	return m, nil
}

// ServerFinal is `v=<base64 server signature>` or `e=<error>`.
type ServerFinal struct {
	Verifier []byte
	Error    string
}

func (m ServerFinal) String() string {
	if m.Error != "" {
		return "e=" + m.Error
	}
	return "v=" + base64.StdEncoding.EncodeToString(m.Verifier)
}

// ParseServerFinal parses a server-final message (client side).
func ParseServerFinal(msg []byte) (ServerFinal, error) {
	const what = "server-final"
	first, _, _ := strings.Cut(string(msg), ",")
	switch {
	case strings.HasPrefix(first, "v=") && len(first) > 2:
		v, err := base64.StdEncoding.DecodeString(first[2:])
		if err != nil {
			return ServerFinal{}, msgError(what, ErrEncoding, "v=")
		}
		return ServerFinal{Verifier: v}, nil
	case strings.HasPrefix(first, "e=") && len(first) > 2:
		return ServerFinal{Error: first[2:]}, nil
	}
	return ServerFinal{}, msgError(what, ErrMalformed, "want v= or e=")
}
