package workload

import (
	"context"
	"errors"
	"time"

	"github.com/eclipse/paho.golang/paho"

	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/loadgen/stats"
)

// pahoDriver connects with paho.golang, an independent MQTT 5 client, so
// figures can be cross-checked against a client the suite did not write.
// It costs more per connection (paho starts goroutines per client).
type pahoDriver struct {
	dialer  *Dialer
	timeout time.Duration
}

func (p *pahoDriver) Name() string { return DriverPaho }

func (p *pahoDriver) Connect(ctx context.Context, addr string, l Login) (Session, stats.Outcome) {
	nc, err := p.dialer.DialContext(ctx, addr)
	if err != nil {
		return nil, stats.Failed(Classify(err), err)
	}
	cfg := paho.ClientConfig{Conn: nc, PacketTimeout: p.timeout, OnClientError: func(error) {}}
	var auther *scramclient.Auther
	if s := l.SCRAM; s != nil {
		var opts []scramclient.Option
		if s.Cache != nil {
			opts = append(opts, scramclient.WithCache(s.Cache))
		}
		if auther, err = scramclient.New(s.Alg, s.User, s.Password, opts...); err != nil {
			_ = nc.Close()
			return nil, stats.Failed(stats.CauseClient, err)
		}
		// Not optional with paho: see scramclient.Auther.
		cfg.AuthHandler = auther
	}
	c := paho.NewClient(cfg)
	cp := &paho.Connect{
		ClientID: l.ClientID, CleanStart: true, KeepAlive: l.Keepalive,
		Username: l.Username, UsernameFlag: l.Username != "",
		Password: l.Password, PasswordFlag: l.HasPassword,
	}
	var ack *paho.Connack
	if auther != nil {
		ack, err = auther.Connect(ctx, c, cp)
	} else {
		ack, err = c.Connect(ctx, cp)
	}
	switch {
	case ack != nil && ack.ReasonCode >= 0x80:
		reason := ""
		if ack.Properties != nil {
			reason = ack.Properties.ReasonString
		}
		return nil, stats.Refusal(ack.ReasonCode, reason)
	case ack != nil && err != nil && auther != nil:
		// Accepted, but the server signature did not verify.
		_ = c.Disconnect(&paho.Disconnect{ReasonCode: 0})
		return nil, stats.Outcome{Connack: true, Cause: stats.CauseVerify, Err: err}
	case err != nil:
		_ = nc.Close()
		return nil, stats.Failed(Classify(err), err)
	}
	return pahoSession{c}, stats.Accepted()
}

type pahoSession struct{ c *paho.Client }

// Ping: paho exposes no PINGREQ of its own; a client whose connection
// failed has shut down (Done closed).
func (s pahoSession) Ping(ctx context.Context) error {
	select {
	case <-s.c.Done():
		return errors.New("paho: the connection has closed")
	default:
		return nil
	}
}

func (s pahoSession) Close(ctx context.Context) error {
	return s.c.Disconnect(&paho.Disconnect{ReasonCode: 0})
}
