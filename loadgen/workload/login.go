package workload

import (
	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/scram"
)

// Login is what a client presents in its CONNECT.
type Login struct {
	ClientID    string
	Username    string
	Password    []byte
	HasPassword bool
	// SCRAM, when set, runs MQTT 5 enhanced authentication instead of a
	// password.
	SCRAM *SCRAMLogin
	// Keepalive in seconds (0: off).
	Keepalive uint16
}

// SCRAMLogin is a SCRAM user; Cache, when set, keeps its salted password
// between connections as real clients may.
type SCRAMLogin struct {
	Alg      scram.Algorithm
	User     string
	Password string
	Cache    *scramclient.Cache
}
