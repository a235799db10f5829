package target

import "net"

// PeerHoster is implemented by instances whose broker sees the suite's
// connections come from another address than the connection's local one:
// a broker in a container, reached through Docker's port mapping, sees the
// bridge's gateway, not 127.0.0.1. Scenarios that check the client's
// address as the broker sees it (a SCRAM request's ${peerhost}, an ACL
// rule's ipaddr) ask here.
type PeerHoster interface {
	PeerHost() string
}

// PeerHost is the client's address as inst's broker sees a connection nc
// made to it.
func PeerHost(inst Instance, nc net.Conn) string {
	if p, ok := inst.(PeerHoster); ok && p.PeerHost() != "" {
		return p.PeerHost()
	}
	host, _, err := net.SplitHostPort(nc.LocalAddr().String())
	if err != nil {
		return ""
	}
	return host
}

// SeesLoopback reports whether inst's broker sees the suite's connections
// come from a loopback address (what scenarios that name 127.0.0.0/8
// assume).
func SeesLoopback(inst Instance) bool {
	p, ok := inst.(PeerHoster)
	if !ok || p.PeerHost() == "" {
		return true
	}
	ip := net.ParseIP(p.PeerHost())
	return ip != nil && ip.IsLoopback()
}
