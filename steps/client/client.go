// Package client makes the CONNECT attempts of the scenarios and reports
// what the broker answered, in one shape whichever MQTT client was used:
// paho.golang for ordinary MQTT 5 connections, mqttwire (a raw client) for
// MQTT 3.1.1 and for CONNECTs paho cannot make plainly (an
// Authentication-Method without an enhanced-authentication handler), and
// for sessions that publish, subscribe or wait for the broker's DISCONNECT
// packet by packet (Request.Wire).
// Every connection is recorded in the scenario's packet trace.
package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/target"
)

// Request is one CONNECT. Has* tell an absent field from an empty one.
type Request struct {
	Version     target.Version
	ClientID    string
	Username    string
	HasUsername bool
	Password    []byte
	HasPassword bool
	// AuthMethod is the MQTT 5 Authentication-Method ("" = absent).
	AuthMethod string
	// Will is the CONNECT's Will message (nil: none).
	Will *mqttwire.Will
	// UserProperties are MQTT 5 CONNECT user properties (SEC-04 pads a
	// CONNECT past the broker's maximum packet size with them).
	UserProperties []mqttwire.UserProperty
	// Wire makes the connection with the raw client, whose session can
	// publish, subscribe and see the broker's DISCONNECT packet by packet
	// (see WireSession). A Will or user properties imply it.
	Wire bool
	// Label names the connection in the packet trace.
	Label string
}

// Answer is what the broker answered a CONNECT with.
type Answer struct {
	Version target.Version
	// Connack: a CONNACK arrived, and Code is its reason code (MQTT 5) or
	// return code (3.1.1).
	Connack    bool
	Code       byte
	AuthMethod string // the CONNACK's Authentication-Method
	// Closed: the broker closed the connection without a CONNACK.
	Closed bool
	// TimedOut: no answer before the step's deadline.
	TimedOut bool
	// Unexpected describes another packet that arrived instead of CONNACK
	// (e.g. an AUTH), "" otherwise.
	Unexpected string
}

// Accepted reports a CONNACK with code 0.
func (a Answer) Accepted() bool { return a.Connack && a.Code == 0 }

// Observed renders the answer for the report cell: "0x87" for MQTT 5,
// "rc 5" for a 3.1.1 return code, or a word for answers without a code.
func (a Answer) Observed() string {
	switch {
	case a.Connack && a.Version == target.MQTT311:
		return fmt.Sprintf("rc %d", a.Code)
	case a.Connack:
		return fmt.Sprintf("0x%02X", a.Code)
	case a.Unexpected != "":
		return "unexpected packet"
	case a.TimedOut:
		return "timeout"
	case a.Closed:
		return "closed"
	}
	return "no answer"
}

// String describes the answer in a sentence for failure messages.
func (a Answer) String() string {
	switch {
	case a.Connack && a.Version == target.MQTT311:
		return fmt.Sprintf("CONNACK return code %d", a.Code)
	case a.Connack:
		return fmt.Sprintf("CONNACK 0x%02X", a.Code)
	case a.Unexpected != "":
		return "no CONNACK but " + a.Unexpected
	case a.TimedOut:
		return "no answer before the deadline"
	case a.Closed:
		return "the connection closed without a CONNACK"
	}
	return "no answer"
}

// Session is a connection that a CONNECT opened, kept for later steps.
type Session interface {
	// Alive checks that the broker still serves the connection with a
	// round trip.
	Alive(ctx context.Context) error
	Close() error
}

// Dialer opens a network connection to the broker.
type Dialer func(ctx context.Context) (net.Conn, error)

// DialError is a failure to reach the broker at all.
type DialError struct{ Err error }

func (e *DialError) Error() string { return "dial: " + e.Err.Error() }
func (e *DialError) Unwrap() error { return e.Err }

// Connect dials and sends req, waiting for the answer until ctx's deadline.
// A refusal, a closed connection or a timeout is an Answer, not an error;
// the error is for not reaching the broker (*DialError) or for a request
// that cannot be encoded. The session is non-nil when the CONNECT was
// accepted; the caller closes it.
func Connect(ctx context.Context, dial Dialer, req Request, trace *mqttwire.Trace) (Answer, Session, error) {
	nc, err := dial(ctx)
	if err != nil {
		return Answer{}, nil, &DialError{Err: err}
	}
	nc = trace.Wrap(req.Label, nc)
	if req.Version == target.MQTT5 && req.AuthMethod == "" && !req.wire() {
		return connectPaho(ctx, nc, req)
	}
	return connectWire(ctx, nc, req)
}

// connectWire uses the raw client.
func connectWire(ctx context.Context, nc net.Conn, req Request) (Answer, Session, error) {
	version := byte(5)
	if req.Version == target.MQTT311 {
		version = 4
	}
	conn := mqttwire.NewConn(nc, mqttwire.WithProtocolVersion(version))
	ack, err := conn.Connect(ctx, mqttwire.Connect{
		ProtocolVersion: version,
		ClientID:        req.ClientID,
		Username:        req.Username,
		HasUsername:     req.HasUsername,
		Password:        req.Password,
		HasPassword:     req.HasPassword,
		Clean:           true,
		Keepalive:       60,
		AuthMethod:      req.AuthMethod,
		Will:            req.Will,
		UserProperties:  req.UserProperties,
	})
	answer := Answer{Version: req.Version}
	if err != nil {
		_ = conn.Close()
		var unexpected *mqttwire.UnexpectedPacketError
		switch {
		case errors.As(err, &unexpected):
			answer.Unexpected = mqttwire.Describe(unexpected.Packet)
		case errors.Is(err, mqttwire.ErrTimeout):
			answer.TimedOut = true
		case errors.Is(err, mqttwire.ErrConnectionClosed):
			answer.Closed = true
		default:
			return answer, nil, err
		}
		return answer, nil, nil
	}
	answer.Connack, answer.Code, answer.AuthMethod = true, ack.ReasonCode, ack.AuthMethod
	if !ack.Accepted() {
		_ = conn.Close()
		return answer, nil, nil
	}
	return answer, wireSession{conn}, nil
}

// wire reports whether the request needs the raw client.
func (r Request) wire() bool { return r.Wire || r.Will != nil || len(r.UserProperties) > 0 }

type wireSession struct{ c *mqttwire.Conn }

// WireSession is a session made with the raw client (Request.Wire): its
// connection can be driven packet by packet.
type WireSession interface {
	Session
	Wire() *mqttwire.Conn
}

// NewWireSession is the session of a connection the caller made with the
// raw client itself (a SCRAM exchange), for later steps and the scenario's
// clean-up.
func NewWireSession(conn *mqttwire.Conn) WireSession { return wireSession{conn} }

// Wire returns the session's raw connection.
func (s wireSession) Wire() *mqttwire.Conn { return s.c }

func (s wireSession) Alive(ctx context.Context) error { return s.c.Ping(ctx) }

func (s wireSession) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = s.c.Disconnect(ctx, 0)
	return s.c.Close()
}
