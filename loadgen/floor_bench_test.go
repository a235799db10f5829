package loadgen

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authspec/authspec/loadgen/floor"
	"github.com/authspec/authspec/loadgen/target"
	"github.com/authspec/authspec/loadgen/workload"
)

// startMosquitto runs Debian's mosquitto on a free loopback port,
// anonymous access allowed (it then accepts any username and password), as
// the broker of the floor comparison: a broker in another process, so this
// process's CPU is the client's alone.
func startMosquitto(b *testing.B) string {
	b.Helper()
	bin, err := exec.LookPath("mosquitto")
	if err != nil {
		if bin, err = exec.LookPath("/usr/sbin/mosquitto"); err != nil {
			b.Skip("mosquitto is not installed (Debian package mosquitto)")
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	_ = ln.Close()
	conf := filepath.Join(b.TempDir(), "mosquitto.conf")
	cfg := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\nmax_connections -1\n", addr.Port)
	if err := os.WriteFile(conf, []byte(cfg), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", conf)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(5 * time.Second); ; {
		if c, err := net.DialTimeout("tcp", addr.String(), time.Second); err == nil {
			_ = c.Close()
			return addr.String()
		}
		if time.Now().After(deadline) {
			b.Fatal("mosquitto did not listen within 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// perConnection runs op b.N times, 100 at once as in the floor
// comparison (4000 connections 100 at once), and reports this process's
// CPU per connection (getrusage: user + system, so the kernel's TCP work
// on the client side is in it; the broker's is not).
func perConnection(b *testing.B, op func() error) {
	b.SetParallelism(max(1, 100/max(1, runtimeProcs())))
	var failed atomic.Int64
	cpu0 := target.SelfCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(); err != nil && failed.Add(1) == 1 {
				b.Error(err)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((target.SelfCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/conn")
}

// BenchmarkFloor puts the generator's MQTT client beside the floor program
// (loadgen/floor: dial, fixed CONNECT, CONNACK, close) against the same
// mosquitto, in one process run: cpu-µs/conn is the figure to compare
// (ns/op is the inverse of the rate, which the machine's other load
// moves more). The load generator's whole loop is measured by `authspec
// load` beside `authspec load floor` (README, Load generator,
// Measurements).
func BenchmarkFloor(b *testing.B) {
	addr := startMosquitto(b)
	const timeout = 5 * time.Second
	b.Run("floor", func(b *testing.B) {
		perConnection(b, func() error {
			var buf [64]byte
			return floor.Once(addr, timeout, floor.Connect, false, buf[:])
		})
	})
	b.Run("floor+disconnect", func(b *testing.B) {
		perConnection(b, func() error {
			var buf [64]byte
			return floor.Once(addr, timeout, floor.Connect, true, buf[:])
		})
	})
	names := workload.Names{Prefix: "floor-"}
	jwt, err := workload.NewJWT(workload.JWTOptions{Alg: "HS256", Secret: "emqxsecret", Names: names})
	if err != nil {
		b.Fatal(err)
	}
	clients := workload.Range{First: 0, N: 1000}
	if err := jwt.Prepare(context.Background(), clients); err != nil {
		b.Fatal(err)
	}
	d, err := workload.NewDriver(workload.DriverWire, workload.NewDialer(nil, true), timeout)
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []workload.Workload{workload.NewAnonymous(names), jwt} {
		for _, drop := range []bool{true, false} {
			end := "disconnect"
			if drop {
				end = "close"
			}
			b.Run(fmt.Sprintf("wire/%s/%s", w.Name(), end), func(b *testing.B) {
				var next atomic.Int64
				perConnection(b, func() error {
					l, err := w.Login(clients.At(next.Add(1)))
					if err != nil {
						return err
					}
					ctx, cancel := context.WithTimeout(context.Background(), timeout)
					defer cancel()
					s, o := d.Connect(ctx, addr, l)
					if !o.OK() {
						return fmt.Errorf("%+v", o)
					}
					if drop {
						return s.(workload.Dropper).Drop()
					}
					return s.Close(context.Background())
				})
			})
		}
	}
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
