//go:build !linux

package workload

import "syscall"

// bindAddressNoPort is Linux-only; elsewhere the bind picks the port.
func bindAddressNoPort(network, address string, c syscall.RawConn) error { return nil }
