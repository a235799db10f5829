package loadgen

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/workload"
)

// holding keeps the sessions of a hold phase.
type holding struct {
	mu       sync.Mutex
	sessions []workload.Session
	// mem is this process's memory while the sessions were held.
	mem selfMemory
}

// holdJob connects like a storm but keeps every accepted session.
type holdJob struct {
	stormJob
	h *holding
}

func (j holdJob) after(s workload.Session) {
	j.h.mu.Lock()
	j.h.sessions = append(j.h.sessions, s)
	j.h.mu.Unlock()
}

// holdWorkers bounds the concurrent PINGREQs and DISCONNECTs at the end of
// a hold.
const holdWorkers = 64

// hold keeps the connections for HoldFor, reads the broker's resident set,
// checks every connection still answers PINGREQ, then disconnects them all.
// An interrupted run skips the wait but still checks and disconnects.
func (r *runner) hold(ctx context.Context, h *holding, target int64) *results.Hold {
	h.mu.Lock()
	sessions := h.sessions
	h.sessions = nil
	h.mu.Unlock()
	out := &results.Hold{Target: target, Held: int64(len(sessions))}
	start := time.Now()
	_ = r.clk.SleepUntil(ctx, start.Add(r.cfg.HoldFor))
	out.HeldForS = time.Since(start).Seconds()
	h.mem = readSelfMemory()
	if p := r.tgt.Process(); p != nil {
		if s, err := p.Sample(); err == nil {
			out.RSSHeld = s.RSSBytes
		}
	}
	var alive atomic.Int64
	each(sessions, func(s workload.Session) {
		pctx, cancel := context.WithTimeout(context.Background(), r.cfg.Timeout)
		defer cancel()
		if s.Ping(pctx) == nil {
			alive.Add(1)
		}
	})
	out.AliveAtEnd = alive.Load()
	each(sessions, func(s workload.Session) {
		cctx, cancel := context.WithTimeout(context.Background(), r.cfg.Timeout)
		defer cancel()
		_ = s.Close(cctx)
	})
	return out
}

// each runs f on every session, holdWorkers at a time.
func each(sessions []workload.Session, f func(workload.Session)) {
	var (
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range min(holdWorkers, len(sessions)) {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(len(sessions)) {
					return
				}
				f(sessions[i])
			}
		})
	}
	wg.Wait()
}
