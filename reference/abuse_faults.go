package reference

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"sync"
	"time"

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

// heldConn is the fault first-packet-held: the first packet is read
// before mochi sees it, and one that a careless broker waits on (an AUTH
// before CONNECT, a CONNECT whose Password flag has no Password, a CONNECT
// over 64 KB, as brokers with a fixed 64 KB read buffer do) is held
// without an answer until the peer gives up or a minute passes, instead
// of being refused or closed (SEC-10).
type heldConn struct {
	net.Conn
	once sync.Once
	r    io.Reader
	err  error
}

func (c *heldConn) Read(p []byte) (int, error) {
	c.once.Do(c.first)
	if c.err != nil {
		return 0, c.err
	}
	return c.r.Read(p)
}

func (c *heldConn) first() {
	br := bufio.NewReader(c.Conn)
	head, err := br.ReadByte()
	if err != nil {
		c.r = br
		return
	}
	buf := []byte{head}
	length, mult := 0, 1
	for i := 0; i < 4; i++ {
		b, err := br.ReadByte()
		if err != nil {
			c.r = io.MultiReader(bytes.NewReader(buf), br)
			return
		}
		buf = append(buf, b)
		length += int(b&0x7f) * mult
		mult *= 128
		if b&0x80 == 0 {
			break
		}
	}
	if length > 1<<20 {
		c.r = io.MultiReader(bytes.NewReader(buf), br)
		return
	}
	body := make([]byte, length)
	n, _ := io.ReadFull(br, body)
	body = body[:n]
	if head>>4 == packets.Auth || (head>>4 == packets.Connect && (length > 64<<10 || passwordFlagWithoutPassword(body))) {
		_ = c.Conn.SetReadDeadline(time.Now().Add(time.Minute))
		_, _ = io.Copy(io.Discard, br)
		c.err = io.EOF
		return
	}
	c.r = io.MultiReader(bytes.NewReader(append(buf, body...)), br)
}

// passwordFlagWithoutPassword walks a CONNECT's variable header and
// payload (MQTT 3.1.1 or 5) and reports a Password flag whose Password is
// missing.
func passwordFlagWithoutPassword(b []byte) bool {
	str := func(i int) int { // index after a two-byte-length field at i, or -1
		if i+2 > len(b) {
			return -1
		}
		n := int(b[i])<<8 | int(b[i+1])
		if i+2+n > len(b) {
			return -1
		}
		return i + 2 + n
	}
	i := str(0) // protocol name
	if i < 0 || i+4 > len(b) {
		return false
	}
	level, flags := b[i], b[i+1]
	i += 4 // level, flags, keepalive
	props := func() {
		if level != 5 {
			return
		}
		n, mult := 0, 1
		for j := 0; j < 4 && i < len(b); j++ {
			c := b[i]
			i++
			n += int(c&0x7f) * mult
			mult *= 128
			if c&0x80 == 0 {
				break
			}
		}
		i += n
	}
	props()
	if i = str(i); i < 0 { // client ID
		return false
	}
	if flags&0x04 != 0 { // Will
		props()
		if i = str(i); i < 0 {
			return false
		}
		if i = str(i); i < 0 {
			return false
		}
	}
	if flags&0x80 != 0 { // Username
		if i = str(i); i < 0 {
			return false
		}
	}
	return flags&0x40 != 0 && i >= len(b)
}
