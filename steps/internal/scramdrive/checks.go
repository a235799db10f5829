package scramdrive

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/internal/verify"
)

// The checks of what the broker sent during a SCRAM CONNECT. A behaviour
// violation is a verify.Mismatch; a plain error means the scenario checks
// something its exchange cannot show.

func describeAuths(auths []mqttwire.Auth) string {
	if len(auths) == 0 {
		return "no AUTH"
	}
	var parts []string
	for _, a := range auths {
		parts = append(parts, mqttwire.Describe(a.Packet))
	}
	return strings.Join(parts, ", then ")
}

// SentAuth checks that the broker's first AUTH is 0x18 with method.
func (x *Exchange) SentAuth(method string) error {
	want := fmt.Sprintf("AUTH 0x18 with Authentication-Method %q", method)
	if len(x.serverAuths) == 0 {
		return verify.New(want, "no AUTH")
	}
	if a := x.serverAuths[0]; a.ReasonCode != mqttwire.AuthContinue || a.Method != method {
		return verify.New(want, describeAuths(x.serverAuths))
	}
	return nil
}

// SentNoAuth checks that the broker sent no AUTH (the authenticator
// ignored the client).
func (x *Exchange) SentNoAuth() error {
	if len(x.serverAuths) > 0 {
		return verify.New("no AUTH (the authenticator ignores the client)", describeAuths(x.serverAuths))
	}
	return nil
}

// serverFirstAttr returns the value of the server-first message's
// attribute name ("r", "s", "i").
func (x *Exchange) serverFirstAttr(name string) (string, error) {
	if x.serverFirst == nil {
		return "", verify.New("a server-first message in AUTH 0x18", "no AUTH")
	}
	for _, attr := range strings.Split(string(x.serverFirst), ",") {
		if v, ok := strings.CutPrefix(attr, name+"="); ok {
			return v, nil
		}
	}
	return "", verify.New(fmt.Sprintf("a server-first message with %s=", name), fmt.Sprintf("%q", x.serverFirst))
}

// ExtendsNonce checks that r= is the client nonce followed by a server
// nonce; ambiguity A16 leaves the server nonce's alphabet open, except for
// the comma, which would end the attribute.
func (x *Exchange) ExtendsNonce() error {
	r, err := x.serverFirstAttr("r")
	if err != nil {
		return err
	}
	cnonce := x.conv.Nonce()
	if !strings.HasPrefix(r, cnonce) || len(r) == len(cnonce) {
		return verify.New(fmt.Sprintf("r= extending the client nonce %q", cnonce), fmt.Sprintf("r=%s", r))
	}
	if want := "r=" + r + ",s="; !strings.HasPrefix(string(x.serverFirst), want) {
		return verify.New("r= followed by s=", fmt.Sprintf("%q", x.serverFirst))
	}
	return nil
}

// Iterations checks the server-first message's i=.
func (x *Exchange) Iterations(n int) error {
	i, err := x.serverFirstAttr("i")
	if err != nil {
		return err
	}
	if i != strconv.Itoa(n) {
		return verify.New(fmt.Sprintf("i=%d", n), "i="+i)
	}
	return nil
}

// Salt checks that the server-first message's s= decodes to text.
func (x *Exchange) Salt(text string) error {
	s, err := x.serverFirstAttr("s")
	if err != nil {
		return err
	}
	salt, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return verify.New("s= in base64", "s="+s)
	}
	if string(salt) != text {
		return verify.New(fmt.Sprintf("s= decoding to the salt %q", text), fmt.Sprintf("%q", salt))
	}
	return nil
}

// SignatureVerifies checks the v= of the accepting CONNACK (SCRAM-01).
func (x *Exchange) SignatureVerifies() error {
	switch {
	case x.connack == nil || !x.connack.Accepted():
		return errors.New("the scenario checks the server signature of a connection that was not accepted")
	case x.verifyErr != nil:
		return verify.New("a CONNACK whose v= the client verifies", fmt.Sprintf("%q: %v", x.connack.AuthData, x.verifyErr))
	}
	return nil
}

// NoServerFinal checks that the CONNACK carries no Authentication-Data.
func (x *Exchange) NoServerFinal() error {
	if x.connack == nil {
		return errors.New("the scenario checks a CONNACK it did not get")
	}
	if len(x.connack.AuthData) > 0 {
		return verify.New("a CONNACK without Authentication-Data", fmt.Sprintf("%q", x.connack.AuthData))
	}
	return nil
}

// RequestsAtServerFirst checks how many backend requests had arrived when
// the server-first message did (SCRAM-02).
func (x *Exchange) RequestsAtServerFirst(want int) error {
	if x.serverFirst == nil {
		return verify.New("a server-first message", "no AUTH")
	}
	if x.requestsAtServerFirst != want {
		return verify.New(fmt.Sprintf("%d backend request(s) when the server-first message arrived", want),
			strconv.Itoa(x.requestsAtServerFirst))
	}
	return nil
}
