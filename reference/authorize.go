package reference

import (
	"time"

	"github.com/authspec/authspec/reference/authz"
)

// action is what a client asks authorization for.
type action = authz.Action

const (
	actionPublish   = authz.Publish
	actionSubscribe = authz.Subscribe
)

// decision is authorization's answer for one publish or filter.
type decision struct {
	allow  bool
	reason string
}

// authorize asks the authorization engine about one action of a session at
// instant at (the Will of an expired client is judged as of its expiry).
func (b *Broker) authorize(ss *session, act action, topic string, qos byte, retain bool, at time.Time) decision {
	ss.mu.Lock()
	id := ss.identity
	ss.mu.Unlock()
	// The attributes are the latest authentication's: a re-authentication
	// replaces the grant and the attributes, not the CONNECT's fields.
	client := ss.client
	client.ClientAttrs = id.ClientAttrs
	d := authz.Authorize(authz.Request{
		Client:   client,
		Grant:    id.Grant,
		Action:   act,
		Topic:    topic,
		QoS:      qos,
		Retain:   retain,
		Now:      at,
		Settings: b.cfg.authzSettings(),
		Profile:  b.o.profile,
		Defects:  b.aclDefects,
	})
	if !d.Allow {
		b.log.Info("authorization", "clientid", ss.client.ClientID, "action", act.String(), "topic", topic,
			"qos", qos, "retain", retain, "decision", "deny", "reason", d.Reason)
	}
	return decision{allow: d.Allow, reason: d.Reason}
}

// denyDisconnect reports authorization.deny_action = disconnect.
func (b *Broker) denyDisconnect() bool {
	return b.cfg.authzSettings().DenyAction == authz.DenyDisconnect
}
