package session

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// Marks numbers the payloads one scenario publishes and recognises them,
// so that a watcher on a broker shared with other runs counts only its own
// messages.
type Marks struct {
	uid string
	n   int
}

// NewMarks returns the marks of a new scenario.
func NewMarks() *Marks {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &Marks{uid: hex.EncodeToString(b)}
}

// UID is the scenario's mark; it also names its watchers' Client IDs.
func (m *Marks) UID() string { return m.uid }

// Next is a new payload of the scenario; what says what it is ("publish",
// "will").
func (m *Marks) Next(what string) []byte {
	m.n++
	return fmt.Appendf(nil, "authspec %s %s #%d", m.uid, what, m.n)
}

// Ours reports whether payload is one of the scenario's.
func (m *Marks) Ours(payload []byte) bool {
	return strings.HasPrefix(string(payload), "authspec "+m.uid+" ")
}
