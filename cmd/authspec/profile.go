package main

import (
	"fmt"
	"os"
	"path/filepath"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/steps/runner"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/adaptertarget"
	"github.com/authspec/authspec/steps/target/apitarget"
	"github.com/authspec/authspec/steps/target/byhand"
	"github.com/authspec/authspec/steps/target/containertarget"
	"github.com/authspec/authspec/steps/target/inproc"
	"github.com/authspec/authspec/steps/target/remote"
)

// `authspec conform --target PROFILE.yaml`: a profile (design.md, "Targets
// (contract)") names the broker, who configures it and what it claims.
// Every problem with the profile is a configuration error (exit 2) naming
// the file, the line and the key; a broker that cannot be reached is found
// while the scenarios run, so the run still writes its reports (exit 3).

func init() { targetResolver = resolveTarget }

func resolveTarget(profilePath string, faultNames []string) (target.Target, string, error) {
	if profilePath == "" {
		return inproc.Reference{Faults: faultNames}, "bundled reference (in-process)", nil
	}
	if len(faultNames) > 0 {
		return nil, "", usageError("--fault switches on a defect of the bundled reference; with --target, start the faulty broker yourself ('authspec serve --fault NAME')")
	}
	p, err := profile.Load(profilePath)
	if err != nil {
		return nil, "", usageError("--target: %v", err)
	}
	t, err := targetOf(p)
	if err != nil {
		return nil, "", usageError("--target %s: %v", profilePath, err)
	}
	return t, describe(p), nil
}

// targetOf builds the target a profile describes, after checking its
// claims against the scenarios this binary carries.
func targetOf(p *profile.Profile) (target.Target, error) {
	known, err := knownIDs()
	if err != nil {
		return nil, err
	}
	if err := remote.NewClaims(p.ClaimList).Validate(known); err != nil {
		return nil, err
	}
	switch {
	case p.Container != nil:
		// testcontainers announces every engine connection on stderr; a
		// run's output is its report (errors carry the container's log).
		tclog.SetDefault(tclog.NewNoopLogger())
		return containertarget.New(p, containertarget.WithSourceRoot(sourceRoot()), containertarget.WithLog(os.Stderr))
	case p.Configure == profile.CommandMode:
		return adaptertarget.New(p, adaptertarget.WithLog(os.Stderr))
	case p.Configure == profile.EMQXAPI:
		return apitarget.New(p, apitarget.WithLog(os.Stderr))
	default:
		return byhand.New(p)
	}
}

// knownIDs are the catalogue IDs of the embedded scenarios (every ID of the
// catalogue has one; the catalogue file itself is not shipped).
func knownIDs() ([]string, error) {
	fsys, err := runner.FeatureFS()
	if err != nil {
		return nil, err
	}
	all, err := runner.Select(fsys, "")
	if err != nil {
		return nil, err
	}
	return runner.IDsOf(all), nil
}

// sourceRoot is where the reference image is built from when a container
// profile needs it and it is missing: the authspec module in the working
// directory or above it (AUTHSPEC_SOURCE_ROOT overrides). "" when there is
// none; the image must then exist.
func sourceRoot() string {
	if root := os.Getenv("AUTHSPEC_SOURCE_ROOT"); root != "" {
		return root
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "cmd", "authspec")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// describe is the profile line of the reports.
func describe(p *profile.Profile) string {
	how := string(p.Configure)
	if p.Container != nil {
		how += ", container " + p.Container.Image
	} else if p.MQTT.URL != "" {
		how += ", " + p.MQTT.URL
	}
	return fmt.Sprintf("%s (%s; reason_codes %s)", p.Source, how, p.ReasonCodes)
}
