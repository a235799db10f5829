package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/testenv"
)

// seedToken is the EMQX Cloud docs' test token (catalogue, Vectors).
const seedToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJFTVFYIENsb3VkIiwiaWF0IjoxNTE2MjM5MDIyfQ.-k9Ggc6L_Jxq4uUf9xwdJpwRrS3PquL-JZKtAJoOvBo"

// servedBroker is `authspec serve` running as a child process.
type servedBroker struct {
	mu  sync.Mutex
	log bytes.Buffer
}

func (s *servedBroker) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.Write(p)
}

func (s *servedBroker) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// startServeTLS runs `authspec serve args...` until the test ends and waits
// for its start-up line about TLS (or fails with its output).
func startServeTLS(t *testing.T, args ...string) *servedBroker {
	t.Helper()
	sb := runServe(t, args...)
	for deadline := time.Now().Add(15 * time.Second); !strings.Contains(sb.String(), "MQTT over TLS on"); {
		if time.Now().After(deadline) {
			t.Fatalf("authspec serve did not report its TLS listener within 15s:\n%s", sb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return sb
}

var caLine = regexp.MustCompile(`MQTT over TLS on (\S+), CA certificate in (\S+)`)

// TestServeTLSAcceptsMosquittoPub: `authspec serve` with no TLS flags
// answers MQTT over TLS on 127.0.0.1:8883 with a certificate of a CA it
// generates and prints, and Debian's mosquitto_pub trusting that CA
// authenticates with the seed token (and is refused with another).
func TestServeTLSAcceptsMosquittoPub(t *testing.T) {
	testenv.Need(t, "mosquitto_pub", "mosquitto-clients")
	t.Parallel()
	args := []string{"--listen", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--api-listen", ""}
	if ln, err := net.Listen("tcp", "127.0.0.1:8883"); err == nil {
		_ = ln.Close() // the default port is free: test the default
	} else {
		t.Logf("127.0.0.1:8883 is taken (%v): testing on a free port", err)
		args = append(args, "--tls-listen", fmt.Sprintf("127.0.0.1:%d", freePort(t)))
	}
	sb := startServeTLS(t, args...)
	m := caLine.FindStringSubmatch(sb.String())
	if m == nil {
		t.Fatalf("serve printed no TLS address and CA file:\n%s", sb.String())
	}
	_, port, _ := net.SplitHostPort(m[1])
	caFile := m[2]
	t.Cleanup(func() { _ = os.RemoveAll(filepath.Dir(caFile)) })
	for _, c := range []struct{ token, want string }{
		{seedToken, "received CONNACK (0)"},
		{"x.y.z", "received CONNACK (135)"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, _ := exec.CommandContext(ctx, "mosquitto_pub", "-V", "mqttv5", "--cafile", caFile, "-p", port,
			"-u", "a", "-P", c.token, "-t", "t", "-m", "m", "-d").CombinedOutput()
		cancel()
		if !bytes.Contains(out, []byte(c.want)) {
			t.Errorf("mosquitto_pub --cafile %s -p %s with %.12s...: want %q, got:\n%s\nserve:\n%s", caFile, port, c.token, c.want, out, sb.String())
		}
	}
	// Without the CA the handshake fails: the listener really is TLS.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "mosquitto_pub", "-V", "mqttv5", "-p", port,
		"-u", "a", "-P", seedToken, "-t", "t", "-m", "m", "-d").CombinedOutput()
	if err == nil || bytes.Contains(out, []byte("CONNACK (0)")) {
		t.Errorf("a plain-TCP client was accepted on the TLS port:\n%s", out)
	}
}

// TestConformReferenceOverTLS runs every scenario over mqtts:// against
// `authspec serve`, with the shipped reference-tls.yaml (its test CA and
// server certificate) pointed at free ports.
func TestConformReferenceOverTLS(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot(t), "fixtures", "profiles", "reference-tls")
	tlsPort, mqttPort, apiPort := freePort(t), freePort(t), freePort(t)
	apiURL := fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	sb := startServeTLS(t, "--listen", fmt.Sprintf("127.0.0.1:%d", mqttPort), "--api-listen", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--tls-listen", fmt.Sprintf("127.0.0.1:%d", tlsPort),
		"--tls-cert", filepath.Join(dir, "server.pem"), "--tls-key", filepath.Join(dir, "server-key.pem"),
		"--jwks-min-refresh", "2s", "--log-level", "warn")
	waitForAPI(t, apiURL, sb)

	shipped, err := os.ReadFile(shippedProfile(t, "reference-tls.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer(
		"mqtts://127.0.0.1:8883", fmt.Sprintf("mqtts://127.0.0.1:%d", tlsPort),
		"http://127.0.0.1:18083", apiURL,
		"ca_file: reference-tls/ca.pem", "ca_file: "+filepath.Join(dir, "ca.pem"),
	).Replace(string(shipped))
	if !strings.Contains(text, apiURL) || !strings.Contains(text, fmt.Sprintf(":%d", tlsPort)) || !strings.Contains(text, filepath.Join(dir, "ca.pem")) {
		t.Fatal("reference-tls.yaml no longer names mqtts://127.0.0.1:8883, http://127.0.0.1:18083 and reference-tls/ca.pem: update this test")
	}
	reports := reportsDir(t)
	r := runAuthspec(t, e2eRunBound, "conform", "--target", writeProfile(t, "reference-tls.yaml", text), "--reports", reports)
	s := summary(t, reports, "reference-tls")
	if r.code != 0 {
		t.Logf("serve:\n%s", sb.String())
	}
	wantConformant(t, r, s)
}
