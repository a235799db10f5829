package workload

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"syscall"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/stats"
)

// Classify names the cause of a failed attempt from its error.
func Classify(err error) stats.Cause {
	var (
		unexpected *mqttwire.UnexpectedPacketError
		disconnect *mqttwire.DisconnectError
		ne         net.Error
	)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return stats.CauseInterrupted
	case errors.Is(err, syscall.ECONNREFUSED):
		return stats.CauseRefused
	case errors.Is(err, syscall.EADDRNOTAVAIL), errors.Is(err, syscall.EADDRINUSE):
		return stats.CauseNoPort
	case errors.Is(err, mqttwire.ErrTimeout), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return stats.CauseTimeout
	case errors.Is(err, mqttwire.ErrConnectionClosed), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return stats.CauseReset
	case errors.Is(err, mqttwire.ErrMalformed), errors.Is(err, errLeanProtocol), errors.As(err, &unexpected), errors.As(err, &disconnect):
		return stats.CauseProtocol
	}
	return stats.CauseOther
}
