package steps

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"

	"github.com/authspec/authspec/steps/target"
)

// AnyVersionTag marks a scenario whose behaviour does not depend on the MQTT
// protocol version (signatures, claims, token format): it says nothing about
// the version, and its expected codes are MQTT 5's, which a 3.1.1 client
// reads as EMQX maps them (0x86 as 4, 0x87 as 5). The runner gives each such
// scenario a twin tagged MQTT311Tag (the tag every 3.1.1 scenario carries;
// with AnyVersionTag it marks the twin) whose title ends in MQTT311Suffix
// (steps/runner/versions.go); the scenario as written runs on MQTT 5.
//
// Which of the two a target runs: the in-process reference runs both
// (target.AllVersions); any other target runs the MQTT 5 one when it speaks
// MQTT 5 and the 3.1.1 twin otherwise, so a 3.1.1-only broker is judged on
// every protocol-independent behaviour, and a broker that speaks both is not
// asked the same question twice.
const (
	AnyVersionTag = "@any-version"
	MQTT311Tag    = "@v311"
	MQTT311Suffix = " (MQTT 3.1.1)"
)

// versionPick is how a scenario's tags decide its client's version.
type versionPick struct {
	anyVersion bool // tagged AnyVersionTag
	twin311    bool // the 3.1.1 twin
}

func pickVersion(tags []string) versionPick {
	anyV := slices.Contains(tags, AnyVersionTag)
	return versionPick{anyVersion: anyV, twin311: anyV && slices.Contains(tags, MQTT311Tag)}
}

// version is the client's version a scenario starts with.
func (p versionPick) version() target.Version {
	if p.twin311 {
		return target.MQTT311
	}
	return target.MQTT5
}

// applicable decides, once the broker is known, whether this copy of a
// protocol-independent scenario runs on it: "" when it does, else the
// reason it is not applicable.
func (p versionPick) applicable(t target.Target, inst target.Instance) string {
	if !p.anyVersion {
		return ""
	}
	v := p.version()
	if !target.Speaks(inst, v) {
		why := target.WhyNotSpoken(inst, v)
		if other := otherVersion(v); target.Speaks(inst, other) {
			why += fmt.Sprintf("; this protocol-independent scenario is judged on MQTT %s instead", other)
		}
		return why
	}
	if p.twin311 && target.Speaks(inst, target.MQTT5) && !target.CoversAllVersions(t) {
		return "protocol-independent: judged on MQTT 5, which the target speaks (the 3.1.1 twin runs on targets that speak only 3.1.1, and on the reference)"
	}
	return ""
}

// applicableBefore is applicable for a target that knows its versions
// before provisioning (target.Versioned); "" when it does not know them or
// the scenario runs.
func (p versionPick) applicableBefore(t target.Target) string {
	v, ok := t.(target.Versioned)
	if !ok || !p.anyVersion {
		return ""
	}
	return p.applicable(t, versionsOnly(v.Versions()))
}

// versionsOnly is an Instance that only knows its versions.
type versionsOnly []target.Version

func (v versionsOnly) Versions() []target.Version { return v }
func (versionsOnly) Dial(context.Context) (net.Conn, error) {
	return nil, errors.New("versionsOnly cannot dial")
}
func (versionsOnly) Authenticators() []target.Applied { return nil }
func (versionsOnly) Close() error                     { return nil }

func otherVersion(v target.Version) target.Version {
	if v == target.MQTT5 {
		return target.MQTT311
	}
	return target.MQTT5
}
