package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/authspec/authspec/steps/target"
)

// connectPaho makes an MQTT 5 CONNECT with paho.golang.
func connectPaho(ctx context.Context, nc net.Conn, req Request) (Answer, Session, error) {
	timeout := time.Until(deadline(ctx))
	c := paho.NewClient(paho.ClientConfig{
		Conn: nc,
		// paho calls AuthHandler.Authenticated on a CONNACK carrying an
		// Authentication-Method without a nil check: always give one.
		AuthHandler:   refuseAuth{},
		PacketTimeout: timeout,
	})
	ack, err := c.Connect(ctx, &paho.Connect{
		ClientID:     req.ClientID,
		Username:     req.Username,
		UsernameFlag: req.HasUsername,
		Password:     req.Password,
		PasswordFlag: req.HasPassword,
		CleanStart:   true,
		KeepAlive:    60,
	})
	answer := Answer{Version: target.MQTT5}
	if ack != nil {
		answer.Connack, answer.Code = true, ack.ReasonCode
		if ack.Properties != nil {
			answer.AuthMethod = ack.Properties.AuthMethod
		}
	}
	switch {
	case err == nil:
		return answer, pahoSession{c}, nil
	case ack != nil:
		// A refusal: paho returns the CONNACK with an error and has closed
		// the connection.
		return answer, nil, nil
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		answer.TimedOut = true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed), isReset(err):
		answer.Closed = true
	default:
		answer.Unexpected = err.Error()
	}
	_ = nc.Close()
	return answer, nil, nil
}

func deadline(ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(5 * time.Second)
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op)
}

// refuseAuth answers an unexpected AUTH with an AUTH that carries no data;
// the JWT scenarios never start an enhanced authentication.
type refuseAuth struct{}

func (refuseAuth) Authenticate(*paho.Auth) *paho.Auth { return &paho.Auth{ReasonCode: 0x18} }
func (refuseAuth) Authenticated()                     {}

type pahoSession struct{ c *paho.Client }

// Alive makes a QoS 1 round trip: a PUBACK (whatever its code) shows the
// broker still serves the connection.
func (s pahoSession) Alive(ctx context.Context) error {
	select {
	case <-s.c.Done():
		return fmt.Errorf("the connection is closed")
	default:
	}
	resp, err := s.c.Publish(ctx, &paho.Publish{Topic: "authspec/alive", QoS: 1, Payload: []byte("ping")})
	if resp == nil && err != nil {
		return fmt.Errorf("no PUBACK: %w", err)
	}
	return nil
}

func (s pahoSession) Close() error {
	return s.c.Disconnect(&paho.Disconnect{ReasonCode: 0})
}
