// Package reference is authspec's bundled broker: an MQTT 5 (and 3.1.1)
// broker built on mochi-mqtt with EMQX-compatible JWT and SCRAM-over-HTTP
// authentication. The authentication and authorization logic lives in
// reference/authn, reference/authz and their sub-packages; this package is
// the thin glue between them and mochi's hooks, plus the management API.
package reference

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authz"
	"github.com/authspec/authspec/reference/clientinfo"
)

// ClientInfo is what the broker shows of a connected client, as EMQX's
// /api/v5/clients/{clientid} does: who it is (its Client ID, after any
// clientid_override, and the attributes of its latest authentication),
// whether it is still connected, and what its authentication granted.
// Credentials (Password, Authentication-Data) are not shown.
type ClientInfo struct {
	clientinfo.Client
	Connected bool
	Grant     authz.Grant
}

// Broker is a running reference broker.
type Broker struct {
	o   options
	log *slog.Logger
	// defects are the glue's deliberate defects (self-test only).
	defects brokerDefects
	// aclDefects are the authorization engine's deliberate defects
	// (self-test only), built once from the fault list.
	aclDefects authz.Defects
	server     *mqtt.Server
	sessions   *sessions
	cfg        *configState
	mqttLn     net.Listener
	tlsLn      net.Listener // nil without WithTLSListen (tls.go)
	tlsAddr    string
	apiLn      net.Listener
	apiSrv     *http.Server
	// emptyPasswordMark marks a CONNECT that had the password flag and a
	// zero-length password (see keepEmptyPassword).
	emptyPasswordMark string
	closeMu           sync.Mutex
	closed            bool
}

// maxPacketSize is EMQX's default max_packet_size (1 MB): a larger CONNECT
// is refused before authentication (SEC-04).
const maxPacketSize = 1 << 20

// Start starts a broker and returns once its listeners accept connections.
func Start(ctx context.Context, opts ...Option) (*Broker, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	defects, err := defectsFor(o.faults)
	if err != nil {
		return nil, err
	}
	log := o.log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	b := &Broker{o: o, log: log, sessions: newSessions(), emptyPasswordMark: "authspec-empty-password-" + rand.Text()}
	env := authn.Env{Profile: o.profile, Log: log, Now: o.now}
	b.defects.apply(defects.glue)
	b.aclDefects = authz.NewDefects(defects.acl...)
	b.cfg, err = newConfigState(env, o, defects)
	if err != nil {
		return nil, err
	}

	caps := mqtt.NewDefaultServerCapabilities()
	if !b.defects.noMaxPacketSize {
		caps.MaximumPacketSize = maxPacketSize
	}
	b.server = mqtt.New(&mqtt.Options{
		InlineClient: false,
		Capabilities: caps,
		// mochi's own logging is noise next to the decision log.
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err := b.server.AddHook(&hook{b: b}, nil); err != nil {
		b.cfg.close()
		return nil, err
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", o.mqttListen)
	if err != nil {
		b.cfg.close()
		return nil, fmt.Errorf("mqtt listener: %w", err)
	}
	b.mqttLn = &idleListener{Listener: ln, idle: o.connectTimeout, readFirstPacket: b.defects.connectReadInAcceptLoop,
		holdFirstPacket: b.defects.firstPacketHeld}
	if err := b.server.AddListener(listeners.NewNet("tcp:default", b.mqttLn)); err != nil {
		_ = ln.Close()
		b.cfg.close()
		return nil, err
	}
	if err := b.startTLS(ctx); err != nil {
		_ = ln.Close()
		b.cfg.close()
		return nil, err
	}
	if o.apiListen != "" {
		if err := b.startAPI(ctx); err != nil {
			_ = ln.Close()
			if b.tlsLn != nil {
				_ = b.tlsLn.Close()
			}
			b.cfg.close()
			return nil, err
		}
	}
	if err := b.server.Serve(); err != nil {
		_ = b.Close()
		return nil, err
	}
	return b, nil
}

// MQTTAddr is the host:port of the MQTT TCP listener.
func (b *Broker) MQTTAddr() string { return b.mqttLn.Addr().String() }

// APIURL is the base URL of the management API, e.g. http://127.0.0.1:18083,
// or "" when the API is off.
func (b *Broker) APIURL() string {
	if b.apiLn == nil {
		return ""
	}
	return "http://" + b.apiLn.Addr().String()
}

// APIKey returns the key and secret the management API accepts.
func (b *Broker) APIKey() (key, secret string) { return b.o.apiKey, b.o.apiSecret }

// Client returns what the broker shows of a connected client.
func (b *Broker) Client(clientID string) (ClientInfo, bool) {
	cl, ok := b.server.Clients.Get(clientID)
	if !ok {
		return ClientInfo{}, false
	}
	info := ClientInfo{
		Client: clientinfo.Client{
			Protocol:    cl.Properties.ProtocolVersion,
			ClientID:    cl.ID,
			Username:    string(cl.Properties.Username),
			HasUsername: len(cl.Properties.Username) > 0,
			PeerHost:    peerHost(cl.Net.Remote),
			Listener:    clientinfo.DefaultListener,
			Zone:        clientinfo.DefaultZone,
		},
		Connected: !cl.Closed(),
	}
	if ss := b.sessions.get(cl); ss != nil {
		info.Grant = ss.identity.Grant
		info.ClientAttrs = ss.identity.ClientAttrs
	}
	if info.ClientAttrs == nil {
		info.ClientAttrs = map[string]string{}
	}
	return info, true
}

// Close stops the broker and every background task.
func (b *Broker) Close() error {
	b.closeMu.Lock()
	defer b.closeMu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	var errs []error
	if b.apiSrv != nil {
		// A grace period for requests in flight, then a forced close: a
		// request still running after it (a loaded machine, a client that
		// never reads its answer) must not turn a broker's shutdown into an
		// error of the scenario that used it.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if err := b.apiSrv.Shutdown(ctx); errors.Is(err, context.DeadlineExceeded) {
			err = b.apiSrv.Close()
			errs = append(errs, err)
		} else {
			errs = append(errs, err)
		}
		cancel()
	}
	for _, ss := range b.sessions.all() {
		ss.mu.Lock()
		if ss.expiry != nil {
			ss.expiry.Stop()
		}
		ss.mu.Unlock()
	}
	// mochi's own shutdown lists each listener's clients under a read lock
	// it takes twice (Clients.GetByListener calls Len, mochi-mqtt v2.7.9):
	// a client connecting or leaving in between asks for the write lock,
	// and the broker deadlocks for good (seen twice in ~25 self-test runs).
	// Closing the listeners first, with a closer that takes the lock once,
	// leaves mochi's Close no clients to list: a listener calls its closer
	// only the first time it is closed.
	b.server.Listeners.CloseAll(b.disconnectListenerClients)
	errs = append(errs, b.server.Close())
	b.cfg.close()
	return errors.Join(errs...)
}

// disconnectListenerClients disconnects the clients of one listener as
// mochi's shutdown does (DISCONNECT 0x8B), listing them under one read lock.
func (b *Broker) disconnectListenerClients(listener string) {
	for _, cl := range b.server.Clients.GetAll() {
		if cl.Net.Listener == listener && !cl.Closed() {
			_ = b.server.DisconnectClient(cl, packets.ErrServerShuttingDown)
		}
	}
}

func (b *Broker) now() time.Time {
	if b.o.now != nil {
		return b.o.now()
	}
	return time.Now()
}

// idleListener bounds the wait for a CONNECT: mochi reads the first packet
// with no deadline, so a peer that opens TCP and sends nothing would hold a
// goroutine forever. mochi sets its keepalive deadline once the CONNECT is
// processed, which replaces this one.
type idleListener struct {
	net.Listener
	idle time.Duration
	// readFirstPacket is the fault connect-read-in-accept-loop,
	// holdFirstPacket first-packet-held (SEC-10, abuse_faults.go).
	readFirstPacket, holdFirstPacket bool
}

func (l *idleListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil && l.idle > 0 {
		_ = c.SetReadDeadline(time.Now().Add(l.idle))
	}
	if err == nil && l.readFirstPacket {
		c = readFirstPacketInline(c)
	}
	if err == nil && l.holdFirstPacket {
		c = &heldConn{Conn: c}
	}
	return c, err
}
