package workload

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/stats"
)

// The wire driver's path for password and anonymous logins: the CONNECT is
// encoded into a stack buffer and written once, the CONNACK read into a
// stack buffer, one deadline set per attempt. mqttwire.Conn (the path SCRAM
// takes, for its AUTH exchange) is a general test client: a 4 KiB read
// buffer, mochi's packet model and a deadline and context hook per read and
// write; in a connect storm that was a third of the generator's own CPU per
// connection, and in a hold most of its memory per connection.

// errLeanProtocol marks a packet a connect storm does not expect (Classify:
// protocol).
var errLeanProtocol = errors.New("protocol error")

// appendConnect appends an MQTT 5 CONNECT for l (Clean Start, no
// properties) to b.
func appendConnect(b []byte, l Login) ([]byte, error) {
	for _, f := range []struct {
		name string
		n    int
	}{{"client id", len(l.ClientID)}, {"username", len(l.Username)}, {"password", len(l.Password)}} {
		if f.n > 0xFFFF {
			return b, fmt.Errorf("the %s is %d bytes, more than MQTT's 65535", f.name, f.n)
		}
	}
	flags := byte(0x02)
	n := 10 + 1 + 2 + len(l.ClientID) // variable header, properties length, client ID
	if l.Username != "" {
		flags |= 0x80
		n += 2 + len(l.Username)
	}
	if l.HasPassword {
		flags |= 0x40
		n += 2 + len(l.Password)
	}
	b = append(b, 0x10)
	b = appendVarint(b, n)
	b = append(b, 0, 4, 'M', 'Q', 'T', 'T', 5, flags, byte(l.Keepalive>>8), byte(l.Keepalive), 0)
	b = appendString(b, l.ClientID)
	if l.Username != "" {
		b = appendString(b, l.Username)
	}
	if l.HasPassword {
		b = append(b, byte(len(l.Password)>>8), byte(len(l.Password)))
		b = append(b, l.Password...)
	}
	return b, nil
}

func appendVarint(b []byte, n int) []byte {
	for {
		c := byte(n & 0x7F)
		n >>= 7
		if n > 0 {
			c |= 0x80
		}
		b = append(b, c)
		if n == 0 {
			return b
		}
	}
}

func appendString(b []byte, s string) []byte {
	b = append(b, byte(len(s)>>8), byte(len(s)))
	return append(b, s...)
}

// readPacket reads one whole packet, in as few reads as the kernel
// allows: the first read takes whatever has arrived, up to len(buf) (a
// CONNACK comes in one segment, so one read system call, not one for the
// header and one for the body). It returns the first byte, the body after
// the remaining length, and any bytes read past the packet (rest: the start
// of the next one, which the caller keeps). A packet larger than buf is
// read into a buffer of its own, exactly to its end.
func readPacket(r io.Reader, buf []byte) (first byte, body, rest []byte, err error) {
	have, err := io.ReadAtLeast(r, buf, 2)
	if err != nil {
		return 0, nil, nil, err
	}
	// The remaining length: up to four bytes of 7 bits each.
	n, shift, i := 0, 0, 1
	for ; ; i++ {
		for i >= have {
			m, err := r.Read(buf[have:])
			if err != nil {
				return buf[0], nil, nil, err
			}
			have += m
		}
		c := buf[i]
		n |= int(c&0x7F) << shift
		if c&0x80 == 0 {
			break
		}
		if i == 4 {
			return buf[0], nil, nil, fmt.Errorf("%w: remaining length over four bytes", mqttwire.ErrMalformed)
		}
		shift += 7
	}
	total := i + 1 + n
	if total > len(buf) {
		big := make([]byte, total)
		copy(big, buf[:have])
		if _, err := io.ReadFull(r, big[have:]); err != nil {
			return buf[0], nil, nil, err
		}
		return big[0], big[i+1:], nil, nil
	}
	if have < total {
		if _, err := io.ReadFull(r, buf[have:total]); err != nil {
			return buf[0], nil, nil, err
		}
		have = total
	}
	return buf[0], buf[i+1 : total], buf[total:have], nil
}

// leanConnect sends l's CONNECT over nc and reads the CONNACK. The
// connection's deadline is ctx's (or timeout from now); a cancellation of
// ctx interrupts the wait. pending is what was read past the CONNACK.
func leanConnect(ctx context.Context, nc net.Conn, l Login, timeout time.Duration) (pending []byte, o stats.Outcome) {
	if err := setDeadline(ctx, nc, timeout); err != nil {
		return nil, stats.Failed(Classify(err), err)
	}
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	var scratch [256]byte
	pk, err := appendConnect(scratch[:0], l)
	if err != nil {
		return nil, stats.Failed(stats.CauseClient, err)
	}
	if _, err := nc.Write(pk); err != nil {
		err = leanIOError(ctx, "writing the CONNECT", err)
		return nil, stats.Failed(Classify(err), err)
	}
	first, body, rest, err := readPacket(nc, scratch[:])
	if err != nil {
		err = leanIOError(ctx, "waiting for the CONNACK", err)
		return nil, stats.Failed(Classify(err), err)
	}
	switch {
	case first == 0x20 && len(body) >= 2:
	case first>>4 == mqttwire.TypeDisconnect:
		err := fmt.Errorf("%w: waiting for the CONNACK, the server sent DISCONNECT 0x%02X", errLeanProtocol, reasonOf(body))
		return nil, stats.Failed(stats.CauseProtocol, err)
	default:
		err := fmt.Errorf("%w: waiting for the CONNACK, the server sent packet type %d (%d bytes)", errLeanProtocol, first>>4, len(body))
		return nil, stats.Failed(stats.CauseProtocol, err)
	}
	if code := body[1]; code >= 0x80 {
		text := mqttwire.ReasonName(mqttwire.TypeConnack, 5, code)
		if rs := reasonString(body[2:]); rs != "" {
			text = fmt.Sprintf("%s (%s)", text, rs)
		}
		return nil, stats.Refusal(code, text)
	}
	// The attempt's deadline stays on the socket: nothing reads or writes
	// until Ping or Close, which set their own. Bytes read past the CONNACK
	// (none, from a broker that sends nothing unasked) are kept for Ping.
	if len(rest) > 0 {
		pending = append([]byte(nil), rest...)
	}
	return pending, stats.Accepted()
}

func reasonOf(body []byte) byte {
	if len(body) == 0 {
		return 0
	}
	return body[0]
}

// reasonString finds the Reason String property (0x1F) in a CONNACK's
// properties; it stops at a property it cannot size.
func reasonString(props []byte) string {
	if len(props) == 0 {
		return ""
	}
	n, i := 0, 0
	for shift := 0; i < len(props) && i < 4; i++ {
		n |= int(props[i]&0x7F) << shift
		shift += 7
		if props[i]&0x80 == 0 {
			i++
			break
		}
	}
	p := props[i:min(len(props), i+n)]
	for len(p) > 0 {
		id := p[0]
		p = p[1:]
		switch id {
		case 0x24, 0x25, 0x28, 0x29, 0x2A: // byte
			p = p[min(1, len(p)):]
		case 0x13, 0x21, 0x22: // two-byte integer
			p = p[min(2, len(p)):]
		case 0x11, 0x27: // four-byte integer
			p = p[min(4, len(p)):]
		case 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F: // string or binary data
			if len(p) < 2 {
				return ""
			}
			l := int(p[0])<<8 | int(p[1])
			if len(p) < 2+l {
				return ""
			}
			if id == 0x1F {
				return string(p[2 : 2+l])
			}
			p = p[2+l:]
		case 0x26: // user property: a string pair
			for range 2 {
				if len(p) < 2 || len(p) < 2+(int(p[0])<<8|int(p[1])) {
					return ""
				}
				p = p[2+(int(p[0])<<8|int(p[1])):]
			}
		default:
			return ""
		}
	}
	return ""
}

func setDeadline(ctx context.Context, nc net.Conn, timeout time.Duration) error {
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(timeout)
	}
	return nc.SetDeadline(dl)
}

// leanIOError names what was being done and tells a cancellation from a
// deadline (both surface as a deadline error from the connection).
func leanIOError(ctx context.Context, doing string, err error) error {
	if cerr := ctx.Err(); errors.Is(cerr, context.Canceled) {
		return fmt.Errorf("%s: %w", doing, cerr)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("%s: %w: %w", doing, mqttwire.ErrTimeout, err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: %w: %w", doing, mqttwire.ErrConnectionClosed, err)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// leanSession is a held connection: the socket and nothing else.
type leanSession struct {
	nc      net.Conn
	timeout time.Duration
	pending []byte // read past the CONNACK: the start of the next packet
}

var (
	pingreq    = []byte{0xC0, 0}
	disconnect = []byte{0xE0, 0}
)

// Ping sends PINGREQ and waits for PINGRESP; any other packet (a
// DISCONNECT when the broker drops the client) means the connection is no
// longer held.
func (s leanSession) Ping(ctx context.Context) error {
	if err := setDeadline(ctx, s.nc, s.timeout); err != nil {
		return err
	}
	if _, err := s.nc.Write(pingreq); err != nil {
		return leanIOError(ctx, "writing PINGREQ", err)
	}
	var r io.Reader = s.nc
	if len(s.pending) > 0 {
		r = io.MultiReader(bytes.NewReader(s.pending), s.nc)
	}
	var scratch [64]byte
	first, body, _, err := readPacket(r, scratch[:])
	if err != nil {
		return leanIOError(ctx, "waiting for PINGRESP", err)
	}
	if first != 0xD0 {
		return fmt.Errorf("%w: waiting for PINGRESP, the server sent packet type %d (%d bytes)", errLeanProtocol, first>>4, len(body))
	}
	return nil
}

// Close sends DISCONNECT (normal disconnection) and closes.
func (s leanSession) Close(ctx context.Context) error {
	err := setDeadline(ctx, s.nc, s.timeout)
	if err == nil {
		_, err = s.nc.Write(disconnect)
	}
	return errors.Join(err, s.nc.Close())
}

// Drop closes the socket without DISCONNECT, as a device losing power
// would (see Dropper).
func (s leanSession) Drop() error { return s.nc.Close() }
