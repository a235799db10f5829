package target

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Process is a broker process on this machine.
type Process struct{ PID int }

// Sample is a reading of a process's resources.
type Sample struct {
	RSSBytes int64         // resident set (VmRSS)
	CPU      time.Duration // user + system time so far
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// Sample reads /proc/<pid>/status (VmRSS) and /proc/<pid>/stat (utime,
// stime of the whole thread group).
func (p *Process) Sample() (Sample, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.PID))
	if err != nil {
		return Sample{}, fmt.Errorf("broker process %d: %w", p.PID, err)
	}
	var s Sample
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest) // "12345 kB"
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					s.RSSBytes = kb * 1024
				}
			}
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.PID))
	if err != nil {
		return Sample{}, fmt.Errorf("broker process %d: %w", p.PID, err)
	}
	// The command name (field 2) may contain spaces: fields are counted
	// after its closing parenthesis; utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return Sample{}, fmt.Errorf("broker process %d: unreadable /proc stat", p.PID)
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 13 {
		return Sample{}, fmt.Errorf("broker process %d: short /proc stat", p.PID)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return Sample{}, fmt.Errorf("broker process %d: unreadable CPU times", p.PID)
	}
	s.CPU = time.Duration(ut+st) * time.Second / clockTicks
	return s, nil
}
