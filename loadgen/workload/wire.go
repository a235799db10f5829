package workload

import (
	"context"
	"fmt"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/reference/scram"
)

// wireDriver connects with mqttwire: one synchronous connection, no
// goroutine of its own, so a connect storm or 10,000 held connections cost
// the generator little more than the sockets.
type wireDriver struct {
	dialer  *Dialer
	timeout time.Duration
}

func (w *wireDriver) Name() string { return DriverWire }

func (w *wireDriver) Connect(ctx context.Context, addr string, l Login) (Session, stats.Outcome) {
	nc, err := w.dialer.DialContext(ctx, addr)
	if err != nil {
		return nil, stats.Failed(Classify(err), err)
	}
	if l.SCRAM == nil {
		pending, o := leanConnect(ctx, nc, l, w.timeout)
		if !o.OK() {
			_ = nc.Close()
			return nil, o
		}
		return leanSession{nc: nc, timeout: w.timeout, pending: pending}, stats.Accepted()
	}
	c := mqttwire.NewConn(nc, mqttwire.WithTimeout(w.timeout))
	p := mqttwire.Connect{
		ProtocolVersion: 5, ClientID: l.ClientID, Clean: true, Keepalive: l.Keepalive,
		Username: l.Username, HasUsername: l.Username != "",
		Password: l.Password, HasPassword: l.HasPassword,
	}
	var conv *scram.Client
	if s := l.SCRAM; s != nil {
		var opts []scram.ClientOption
		if s.Cache != nil {
			opts = append(opts, s.Cache.ClientOption(s.User))
		}
		if conv, err = scram.NewClient(s.Alg, s.User, s.Password, opts...); err != nil {
			_ = c.Close()
			return nil, stats.Failed(stats.CauseClient, err)
		}
		method := s.Alg.Method()
		p.AuthMethod, p.AuthData = method, conv.First()
		p.OnAuth = func(server mqttwire.Auth) (mqttwire.Auth, error) {
			final, err := conv.Final(server.Data)
			if err != nil {
				return mqttwire.Auth{}, err
			}
			return mqttwire.Auth{ReasonCode: mqttwire.AuthContinue, Method: method, Data: final}, nil
		}
	}
	ack, err := c.Connect(ctx, p)
	if err != nil {
		_ = c.Close()
		return nil, stats.Failed(Classify(err), err)
	}
	if !ack.Accepted() {
		_ = c.Close()
		return nil, stats.Refusal(ack.ReasonCode, refusalText(ack))
	}
	if conv != nil {
		if err := conv.VerifyServerFinal(ack.AuthData); err != nil {
			_ = c.Close()
			return nil, stats.Outcome{Connack: true, Cause: stats.CauseVerify, Err: err}
		}
	}
	return wireSession{c}, stats.Accepted()
}

func refusalText(ack mqttwire.Connack) string {
	name := mqttwire.ReasonName(mqttwire.TypeConnack, 5, ack.ReasonCode)
	if ack.ReasonString != "" {
		return fmt.Sprintf("%s (%s)", name, ack.ReasonString)
	}
	return name
}

type wireSession struct{ c *mqttwire.Conn }

func (s wireSession) Ping(ctx context.Context) error { return s.c.Ping(ctx) }

func (s wireSession) Close(ctx context.Context) error { return s.c.Disconnect(ctx, 0) }

func (s wireSession) Drop() error { return s.c.Close() }
