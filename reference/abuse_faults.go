package reference

import (
	"bufio"
	"bytes"
	"io"
	"net"

	"github.com/mochi-mqtt/server/v2/packets"
)

// The broker glue's faults of SEC-10 (protocol abuse around
// authentication). The correct paths never call them.

// readFirstPacketInline is the fault connect-read-in-accept-loop: the
// first packet is read before Accept returns, as a broker that
// authenticates in its accept loop does, so one client sending its
// CONNECT slowly holds up every connection behind it. The bytes read are
// replayed to mochi.
func readFirstPacketInline(c net.Conn) net.Conn {
	r := bufio.NewReader(c)
	buf := make([]byte, 0, 64)
	head, err := r.ReadByte()
	if err != nil {
		return &replayConn{Conn: c, r: io.MultiReader(bytes.NewReader(buf), r)}
	}
	buf = append(buf, head)
	length, mult := 0, 1
	for i := 0; i < 4; i++ {
		b, err := r.ReadByte()
		if err != nil {
			return &replayConn{Conn: c, r: io.MultiReader(bytes.NewReader(buf), r)}
		}
		buf = append(buf, b)
		length += int(b&0x7f) * mult
		mult *= 128
		if b&0x80 == 0 {
			break
		}
	}
	body := make([]byte, min(length, 1<<20))
	n, _ := io.ReadFull(r, body)
	buf = append(buf, body[:n]...)
	return &replayConn{Conn: c, r: io.MultiReader(bytes.NewReader(buf), r)}
}

// replayConn serves the bytes read ahead, then the connection.
type replayConn struct {
	net.Conn
	r io.Reader
}

func (c *replayConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// secondConnectAsPing is the fault second-connect-ignored: a CONNECT on a
// connection that has already authenticated is treated as a PINGREQ, so
// the connection stays open (MQTT 5.0 section 3.1: a second CONNECT is a
// protocol error that closes the connection).
func secondConnectAsPing(pk packets.Packet) packets.Packet {
	return packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Pingreq}, ProtocolVersion: pk.ProtocolVersion}
}
