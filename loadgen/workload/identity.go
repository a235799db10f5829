package workload

import (
	"fmt"
	"strconv"
)

// Identity is one simulated client: distinct username and client ID per
// index, so a broker sees as many clients as the credential range holds.
type Identity struct {
	Index    int
	Username string
	ClientID string
}

// Names builds identities from a prefix: index 42 with prefix "load-" is
// username "load-u000042", client ID "load-c000042".
type Names struct{ Prefix string }

// Identity returns the identity of client index i.
// It runs for every attempt: concatenation, not fmt, which cost two
// formatted prints per connection.
func (n Names) Identity(i int) Identity {
	if i < 0 {
		return Identity{Index: i, Username: fmt.Sprintf("%su%06d", n.Prefix, i), ClientID: fmt.Sprintf("%sc%06d", n.Prefix, i)}
	}
	num := strconv.Itoa(i)
	if len(num) < 6 {
		num = "000000"[:6-len(num)] + num
	}
	return Identity{Index: i, Username: n.Prefix + "u" + num, ClientID: n.Prefix + "c" + num}
}

// Range is a block of client indexes [First, First+N): a shard's share of
// the credential range.
type Range struct{ First, N int }

// At is the i-th index of the range, wrapping around: a run makes more
// connections than it has clients, each client reconnecting in turn.
func (r Range) At(i int64) int { return r.First + int(i%int64(r.N)) }
