package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/container"
	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/fixtures/testenv"
	"github.com/authspec/authspec/fixtures/thirdparty"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/runner"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/byhand"
	"github.com/authspec/authspec/steps/target/containertarget"
)

// Real third-party brokers from Debian's packages: in containers built
// here (the shipped profiles) when Docker answers, else as processes of the
// installed packages (the same profiles without their container section,
// judged through the Go API). AUTHSPEC_E2E_PROCESSES=1 takes the second
// way even where Docker answers.

// judge runs a profile's broker the way the suite can here and returns the
// exit code and summary.
func judge(t *testing.T, profilePath string, edit func(*profile.Profile), process func(context.Context, *profile.Profile) (*profile.Profile, func(), error)) (int, *reports.Summary) {
	t.Helper()
	dir := reportsDir(t)
	// Both probes must answer: testcontainers falls back to the default
	// socket when DOCKER_HOST names none, testenv honours DOCKER_HOST.
	if os.Getenv("AUTHSPEC_E2E_PROCESSES") == "" && testenv.DockerAvailable(context.Background()) == nil &&
		container.EngineAvailable(context.Background()) == nil {
		needImage(t, loadProfile(t, profilePath, nil))
		if edit == nil {
			r := runAuthspec(t, e2eRunBound, "conform", "--target", profilePath, "--reports", dir)
			s := summary(t, dir, strings.TrimSuffix(filepath.Base(profilePath), ".yaml"))
			noContainerLeft(t, r)
			return r.code, s
		}
		p := loadProfile(t, profilePath, edit)
		tg, err := containertarget.New(p, containertarget.WithSourceRoot(repoRoot(t)), containertarget.WithLog(testLog{t}))
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := tg.Close(); err != nil {
				t.Error(err)
			}
		}()
		return runGo(t, tg, dir)
	}
	p := loadProfile(t, profilePath, edit)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	local, stop, err := process(ctx, p)
	switch {
	case errors.Is(err, thirdparty.ErrNotInstalled), errors.Is(err, thirdparty.ErrNotPermitted):
		testenv.Unavailable(t, "no Docker engine (or AUTHSPEC_E2E_PROCESSES set), and %v", err)
	case err != nil:
		t.Fatal(err)
	}
	defer stop()
	tg, err := byhand.New(local)
	if err != nil {
		t.Fatal(err)
	}
	return runGo(t, tg, dir)
}

// needImage ends the test (testenv's rule) when the profile's Debian image
// is neither cached nor buildable here (debootstrap missing).
func needImage(t *testing.T, p *profile.Profile) {
	t.Helper()
	if p.Container == nil || p.Container.Build == nil || p.Container.Build.Recipe != profile.DebianRecipe {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := container.CanBuildDebianBrokerImage(ctx, p.Container.Image, p.Container.Build.Packages)
	if errors.Is(err, container.ErrCannotBuild) {
		testenv.Unavailable(t, "%v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func loadProfile(t *testing.T, path string, edit func(*profile.Profile)) *profile.Profile {
	t.Helper()
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(p)
	}
	return p
}

func runGo(t *testing.T, tg target.Target, dir string) (int, *reports.Summary) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), e2eRunBound)
	defer cancel()
	res, err := runner.Run(ctx, runner.Options{Target: tg, ReportsDir: dir, Version: "e2e"})
	if err != nil {
		t.Fatal(err)
	}
	return res.ExitCode, summary(t, dir, tg.Name())
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func stopProcess(p *thirdparty.Process) func() {
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = p.Stop(ctx)
	}
}

// TestConformMosquitto: Mosquitto has no JWT, so the profile claiming it
// must come out non-conformant, with messages saying why.
func TestConformMosquitto(t *testing.T) {
	t.Parallel()
	code, s := judge(t, shippedProfile(t, "mosquitto-2.yaml"), nil, func(ctx context.Context, p *profile.Profile) (*profile.Profile, func(), error) {
		proc, err := thirdparty.StartMosquitto(ctx, thirdparty.MosquittoOptions{})
		if err != nil {
			return nil, nil, err
		}
		return proc.Profile(p), stopProcess(proc), nil
	})
	logTable(t, s)
	if code != reports.ExitFailures {
		t.Errorf("exit %d, want %d (failures)", code, reports.ExitFailures)
	}
	if s.Totals.Error != 0 {
		t.Errorf("%d IDs in error: mosquitto answers every CONNECT", s.Totals.Error)
	}
	hmac := s.IDs["JWT-HMAC-02"]
	want := "expected CONNACK 0x87, got CONNACK 0x00: the broker accepted the CONNECT although the token is signed with another secret"
	if hmac.Verdict != reports.VerdictFail || !strings.Contains(hmac.Message, want) {
		t.Errorf("JWT-HMAC-02: %s %q, want fail with %q", hmac.Verdict, hmac.Message, want)
	}
	for _, id := range []string{"JWT-HMAC-06", "JWT-CLAIM-01", "SEC-01", "SEC-06"} {
		if v := s.IDs[id].Verdict; v != reports.VerdictFail {
			t.Errorf("%s: %s, want fail (mosquitto accepts any token)", id, v)
		}
	}
	// A valid token is accepted like any other password.
	if v := s.IDs["JWT-HMAC-01"].Verdict; v != reports.VerdictPass {
		t.Errorf("JWT-HMAC-01: %s, want pass", v)
	}
	// The negative twin: a valid token in the Username with a Password that
	// is none is accepted too.
	if r := s.IDs["JWT-SRC-01"]; r.Verdict != reports.VerdictFail || !strings.Contains(r.Message, "the client sends the token as its username") {
		t.Errorf("JWT-SRC-01: %s %q, want fail on the negative twin", r.Verdict, r.Message)
	}
}

// TestConformEjabberd judges ejabberd's mod_mqtt with JWT authentication:
// conformant (with non-strict reason codes) on what its profile claims; on
// every ID, it fails what fixtures/thirdparty/FINDINGS.md found.
func TestConformEjabberd(t *testing.T) {
	t.Parallel()
	start := func(ctx context.Context, p *profile.Profile) (*profile.Profile, func(), error) {
		// ejabberdctl is run from /usr/sbin, but only a PATH that has it
		// (root's) has the tools it calls too.
		if _, err := exec.LookPath("ejabberdctl"); err != nil {
			return nil, nil, fmt.Errorf("%w: ejabberdctl is not on PATH (apt-get install -y ejabberd; run as root)", thirdparty.ErrNotInstalled)
		}
		jwk, err := os.ReadFile(shippedProfile(t, "ejabberd/key.jwk"))
		if err != nil {
			return nil, nil, err
		}
		e, err := thirdparty.StartEjabberd(ctx, thirdparty.EjabberdOptions{JWK: jwk})
		if err != nil {
			return nil, nil, err
		}
		local, err := e.Profile(p)
		if err != nil {
			stopProcess(e.Process)()
			return nil, nil, err
		}
		return local, stopProcess(e.Process), nil
	}
	code, s := judge(t, shippedProfile(t, "ejabberd.yaml"), nil, start)
	logTable(t, s)
	if code != reports.ExitConformant || s.Totals.Fail != 0 || s.Totals.Error != 0 {
		t.Errorf("exit %d, totals %+v: want conformant on the claimed IDs", code, s.Totals)
	}
	if s.Totals.NonStrict == 0 || s.IDs["JWT-CLAIM-01"].Verdict != reports.VerdictNonStrict {
		t.Errorf("JWT-CLAIM-01 %s: ejabberd refuses an expired token with 0x87 where EMQX says 0x86 (non-strict)", s.IDs["JWT-CLAIM-01"].Verdict)
	}
	// exp is required (variants: {A1: exp-required}): judged under that
	// reading, refused with 0x87 where a failed claim is 0x86.
	if r := s.IDs["JWT-CLAIM-04"]; r.Verdict != reports.VerdictNonStrict || r.Reading != "A1=exp-required" {
		t.Errorf("JWT-CLAIM-04: %s %q %q, want non-strict under A1=exp-required", r.Verdict, r.Reading, r.Message)
	}
	// Stand-ins that could not fail are not applicable, never a pass.
	for _, id := range []string{"JWT-VC-06", "JWT-VC-09"} {
		if r := s.IDs[id]; r.Verdict != reports.VerdictNotApplicable {
			t.Errorf("%s: %s, want not applicable (the jid claim cannot show it)", id, r.Verdict)
		}
	}

	// Every ID claimed: what ejabberd does not do comes out as failures.
	code, all := judge(t, shippedProfile(t, "ejabberd.yaml"), func(p *profile.Profile) {
		p.Name, p.ClaimList = "ejabberd-all-ids", nil
	}, start)
	logTable(t, all)
	if code != reports.ExitFailures {
		t.Errorf("every ID claimed: exit %d, want %d", code, reports.ExitFailures)
	}
	var failing []string
	for id, r := range all.IDs {
		if r.Verdict == reports.VerdictFail {
			failing = append(failing, id)
		}
	}
	for _, id := range []string{"JWT-CLAIM-02", "JWT-CLAIM-05", "JWT-SRC-07", "JWT-SRC-01", "JWT-VC-01"} {
		if !slices.Contains(failing, id) {
			t.Errorf("%s: %s, want fail (FINDINGS.md)", id, all.IDs[id].Verdict)
		}
	}
	for id := range s.IDs {
		if s.IDs[id].Verdict != reports.VerdictNotApplicable && slices.Contains(failing, id) {
			t.Errorf("%s is claimed and fails when every ID is claimed", id)
		}
	}
}
