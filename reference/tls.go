package reference

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"github.com/mochi-mqtt/server/v2/listeners"
)

// MQTT over TLS: tokens are bearer credentials, and the seeds say they
// travel over TLS (EMQX's ssl:default listener, 8883). The TLS listener
// runs the same authentication as the TCP one; the connect idle timeout
// (and the SEC-10 fault) apply to it too.

// WithTLSListen adds an MQTT-over-TLS listener on addr with cfg (which
// must hold a certificate).
func WithTLSListen(addr string, cfg *tls.Config) Option {
	return func(o *options) error {
		if addr == "" {
			return errors.New("TLS listen address is empty")
		}
		if cfg == nil || (len(cfg.Certificates) == 0 && cfg.GetCertificate == nil) {
			return errors.New("TLS listener needs a certificate")
		}
		o.tlsListen, o.tlsConfig = addr, cfg
		return nil
	}
}

// startTLS opens the TLS listener, if configured, before Serve.
func (b *Broker) startTLS(ctx context.Context) error {
	if b.o.tlsListen == "" {
		return nil
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", b.o.tlsListen)
	if err != nil {
		return fmt.Errorf("mqtt tls listener: %w", err)
	}
	idle := &idleListener{Listener: ln, idle: b.o.connectTimeout, readFirstPacket: b.defects.connectReadInAcceptLoop,
		holdFirstPacket: b.defects.firstPacketHeld}
	cfg := b.o.tlsConfig.Clone()
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	b.tlsLn = tls.NewListener(idle, cfg)
	b.tlsAddr = ln.Addr().String()
	if err := b.server.AddListener(listeners.NewNet("ssl:default", b.tlsLn)); err != nil {
		_ = ln.Close()
		return err
	}
	return nil
}

// TLSAddr is the host:port of the MQTT-over-TLS listener, "" without one.
func (b *Broker) TLSAddr() string { return b.tlsAddr }
