package reference

import (
	"bytes"
	"testing"

	"github.com/mochi-mqtt/server/v2/packets"
)

func connectBody(t *testing.T, v byte, user, pass string, will bool) []byte {
	t.Helper()
	pk := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Connect}, ProtocolVersion: v,
		Connect: packets.ConnectParams{ProtocolName: []byte("MQTT"), Clean: true, ClientIdentifier: "c",
			UsernameFlag: user != "", Username: []byte(user), PasswordFlag: pass != "", Password: []byte(pass),
			WillFlag: will, WillTopic: "w", WillPayload: []byte("x")}}
	if v == 5 {
		pk.Properties.SessionExpiryInterval = 7
		pk.Properties.SessionExpiryIntervalFlag = true
	}
	var buf bytes.Buffer
	if err := pk.ConnectEncode(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	i := 1
	for b[i]&0x80 != 0 {
		i++
	}
	return b[i+1:]
}

// The fault's parser must tell a CONNECT whose Password flag has no
// Password from well-formed ones, in both protocol versions.
func TestPasswordFlagWithoutPassword(t *testing.T) {
	for _, v := range []byte{4, 5} {
		for _, will := range []bool{false, true} {
			if passwordFlagWithoutPassword(connectBody(t, v, "u", "p", will)) {
				t.Errorf("v%d will=%v: a CONNECT with its Password flagged as missing", v, will)
			}
			if passwordFlagWithoutPassword(connectBody(t, v, "u", "", will)) {
				t.Errorf("v%d will=%v: a CONNECT without Password flag flagged", v, will)
			}
			body := connectBody(t, v, "u", "", will)
			// Flags are after the protocol name (6 bytes) and level.
			body[7] |= 0x40
			if !passwordFlagWithoutPassword(body) {
				t.Errorf("v%d will=%v: the Password flag without a Password was not seen", v, will)
			}
		}
	}
}
