package attack

import (
	"strings"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/client"
)

// EncodeConnect is the wire form of an MQTT 5 CONNECT of req's Client ID,
// Username and Password (clean start, keep-alive 30 s): an attacker's
// valid CONNECT when req carries a valid token.
func EncodeConnect(req client.Request) ([]byte, error) {
	pk := mqttwire.Packet{
		FixedHeader:     mqttwire.FixedHeader{Type: mqttwire.TypeConnect},
		ProtocolVersion: 5,
		Connect: mqttwire.ConnectParams{
			ProtocolName:     []byte("MQTT"),
			Clean:            true,
			Keepalive:        30,
			ClientIdentifier: req.ClientID,
			UsernameFlag:     req.HasUsername,
			Username:         []byte(req.Username),
			PasswordFlag:     req.HasPassword,
			Password:         req.Password,
		},
	}
	return mqttwire.Encode(&pk)
}

// connectFlagsOffset is where the Connect Flags byte of an MQTT 5 CONNECT
// is: fixed header, protocol name "MQTT" (6 bytes), protocol level.
func connectFlagsOffset(b []byte) int {
	i := 1
	for i < len(b) && b[i]&0x80 != 0 {
		i++
	}
	return i + 1 + 6 + 1
}

// passwordFlagNoPassword is a CONNECT whose Password flag is set but whose
// payload ends after the Username.
func passwordFlagNoPassword() ([]byte, error) {
	b, err := EncodeConnect(client.Request{ClientID: "attacker-nopass", Username: "attacker", HasUsername: true})
	if err != nil {
		return nil, err
	}
	b[connectFlagsOffset(b)] |= 0x40
	return b, nil
}

// authBeforeConnect is an AUTH (Continue Authentication, a SCRAM
// client-first message) sent as the first packet.
func authBeforeConnect() ([]byte, error) {
	pk := mqttwire.Packet{FixedHeader: mqttwire.FixedHeader{Type: mqttwire.TypeAuth}, ProtocolVersion: 5, ReasonCode: 0x18,
		Properties: mqttwire.Properties{AuthenticationMethod: "SCRAM-SHA-256", AuthenticationData: []byte("n,,n=attacker,r=abc")}}
	return mqttwire.Encode(&pk)
}

// longUsername is a CONNECT with a Username of the MQTT maximum, 65535
// bytes, and a Password that is no token.
func longUsername() ([]byte, error) {
	return EncodeConnect(client.Request{ClientID: "attacker-long", Username: strings.Repeat("u", 65535), HasUsername: true,
		Password: []byte("not-a-token"), HasPassword: true})
}
