package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
	"github.com/mochi-mqtt/server/v2/listeners"

	"github.com/authspec/authspec/fixtures/mqttwire"
)

func rss() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n * 1024
		}
	}
	return 0
}

func main() {
	pending, _ := strconv.Atoi(os.Args[1])
	caps := mqtt.NewDefaultServerCapabilities()
	if pending > 0 {
		caps.MaximumClientWritesPending = int32(pending)
	}
	s := mqtt.New(&mqtt.Options{Capabilities: caps, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	_ = s.AddHook(new(allow), nil)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	_ = s.AddListener(listeners.NewNet("t", ln))
	_ = s.Serve()
	n := 5000
	runtime.GC()
	before := rss()
	var cs []*mqttwire.Conn
	for i := range n {
		c, err := mqttwire.Dial(context.Background(), ln.Addr().String())
		if err != nil {
			panic(err)
		}
		if _, err := c.Connect(context.Background(), mqttwire.Connect{ClientID: fmt.Sprint("c", i), Clean: true}); err != nil {
			panic(err)
		}
		cs = append(cs, c)
	}
	time.Sleep(time.Second)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("pending=%d: RSS +%.1f KiB/conn (both ends), stacks %.1f KiB/conn\n", caps.MaximumClientWritesPending, float64(rss()-before)/1024/float64(n), float64(ms.StackInuse)/1024/float64(n))
}

type allow struct{ mqtt.HookBase }

func (allow) ID() string { return "allow" }
func (allow) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}
func (allow) OnConnectAuthenticate(*mqtt.Client, packets.Packet) bool { return true }
func (allow) OnACLCheck(*mqtt.Client, string, bool) bool              { return true }
