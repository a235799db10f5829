// Package workload is what one connection attempt of a load run does:
// whose credentials it presents (anonymous, a JWT per client, a SCRAM user
// per client), which authenticators the broker needs for that, and the MQTT
// client that carries it (Driver: the raw mqttwire client by default,
// paho.golang as a cross-check).
package workload
