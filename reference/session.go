package reference

import (
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
)

// session is what the reference remembers of one authenticated connection:
// the identity its authenticator granted and the bookkeeping the hooks need
// between packets. Fields after mu are guarded by it; the others are set once
// in OnConnect, before the session is published to other goroutines.
type session struct {
	client   clientinfo.Client // as seen at CONNECT (after clientid_override, ClientID is the new one)
	identity authn.Identity
	// authMethod and authData go into the success CONNACK (SCRAM server-final,
	// or the echoed method when no authenticator handled it, CHAIN-03).
	authMethod string
	authData   []byte
	// enhanced is the authenticator that completed an enhanced
	// authentication, for re-authentication (SCRAM-23).
	enhanced authn.Authenticator

	mu sync.Mutex
	// pubDecision is the authorization of the PUBLISH being processed: the
	// decision is taken in OnPacketRead, where QoS and retain are known, and
	// read back in OnACLCheck and OnPublish, which mochi calls next on the
	// same goroutine.
	pubDecision decision
	// subDecisions holds the decisions for the filters of the SUBSCRIBE being
	// processed, taken in OnSubscribe where the requested QoS is known.
	subDecisions map[string]decision
	// reauth is the exchange of a re-authentication under way.
	reauth authn.Exchange
	// expiry disconnects the client when its authentication expires.
	expiry *time.Timer
	// expired is set once the authentication expired (JWT-EXP-03: the Will
	// is then authorized as of the expiry instant).
	expired bool
}

// sessions indexes live sessions by mochi client. The client pointer, not
// the client ID, is the key: a taken-over session shares the ID.
type sessions struct {
	mu sync.RWMutex
	m  map[*mqtt.Client]*session
}

func newSessions() *sessions { return &sessions{m: map[*mqtt.Client]*session{}} }

func (s *sessions) get(cl *mqtt.Client) *session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.m[cl]
}

func (s *sessions) put(cl *mqtt.Client, ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[cl] = ss
}

func (s *sessions) remove(cl *mqtt.Client) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.m[cl]
	delete(s.m, cl)
	return ss
}

func (s *sessions) all() map[*mqtt.Client]*session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[*mqtt.Client]*session, len(s.m))
	for k, v := range s.m {
		out[k] = v
	}
	return out
}
