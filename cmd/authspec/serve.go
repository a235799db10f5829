package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/reference/faults"
)

func newServeCmd() *cobra.Command {
	var (
		listen, apiListen, apiKey, apiSecret string
		configFile, profile, logFormat       string
		logLevel                             string
		faultNames                           []string
		jwksMinRefresh                       time.Duration
		oidc                                 serveOIDC
		tlsListen, tlsCert, tlsKey, tlsCA    string
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the bundled reference broker (MQTT 5 and 3.1.1, EMQX-compatible JWT and SCRAM authentication)",
		Long: `Run the bundled reference broker until interrupted.

With no --config it starts EMQX Cloud's documented default: JWT read from the
CONNECT password, HMAC secret "emqxsecret". --config takes an EMQX-shaped JSON
file: an array of authenticators, or an object with "authentication",
"authorization" and "authentication_settings". Each authentication decision
is logged in one line naming the check that decided it.

With --oidc-provider ADDR it also serves an OpenID Connect provider there
(discovery, jwks_uri, a token endpoint with the client credentials grant) and,
without --config, the broker verifies the provider's tokens: a JWKS
authenticator on its jwks_uri with verify_claims {iss, aud}.

MQTT over TLS is served on --tls-listen (127.0.0.1:8883), with --tls-cert and
--tls-key, or else a certificate signed by a CA generated at start whose PEM
is written to --tls-ca-file (a temporary file by default; its path is
printed), e.g. mosquitto_pub --cafile <that file> -p 8883.

Faults (deliberate defects, to see what a failing report looks like):
` + faultHelp(),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if jwksMinRefresh <= 0 {
				return usageError("--jwks-min-refresh must be positive, got %s", jwksMinRefresh)
			}
			prof, ok := security.Parse(profile)
			if !ok {
				return usageError("--security-profile must be legacy or hardened, not %q", profile)
			}
			cfg := []byte(reference.CloudDefaultConfig)
			if configFile != "" {
				data, err := os.ReadFile(configFile)
				if err != nil {
					return usageError("--config: %v", err)
				}
				cfg = data
			}
			var level slog.Level
			if err := level.UnmarshalText([]byte(logLevel)); err != nil {
				return usageError("--log-level must be debug, info, warn or error, not %q", logLevel)
			}
			hopts := &slog.HandlerOptions{Level: level}
			var handler slog.Handler
			switch logFormat {
			case "text":
				handler = slog.NewTextHandler(os.Stderr, hopts)
			case "json":
				handler = slog.NewJSONHandler(os.Stderr, hopts)
			default:
				return usageError("--log-format must be text or json, not %q", logFormat)
			}
			if oidc.listen != "" {
				p, err := oidc.start()
				if err != nil {
					return err
				}
				defer p.Close()
				oidc.describe(cmd.ErrOrStderr(), p)
				if configFile == "" {
					cfg = oidc.config(p)
				}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			opts := []reference.Option{}
			caWritten := ""
			if tlsListen != "" {
				// Only the default listener (no --tls-* flag given) may quietly
				// step aside: when its port is taken (another broker, a parallel
				// test) or no CA can be written (a FROM scratch container has no
				// /tmp), serve runs without TLS rather than not at all. Anything
				// the user asked for explicitly that fails is an error.
				defaulted := !cmd.Flags().Changed("tls-listen") && tlsCert == "" && tlsKey == "" && tlsCA == ""
				if defaulted && !portFree(tlsListen) {
					fmt.Fprintf(cmd.ErrOrStderr(), "authspec reference: %s is in use, no MQTT over TLS (give --tls-listen)\n", tlsListen)
				} else {
					tlsCfg, caFile, err := serveTLSConfig(tlsCert, tlsKey, tlsCA, tlsListen)
					switch {
					case err != nil && defaulted:
						fmt.Fprintf(cmd.ErrOrStderr(), "authspec reference: no MQTT over TLS: %v (give --tls-cert/--tls-key or --tls-ca-file)\n", err)
					case err != nil:
						return usageError("%v", err)
					default:
						caWritten = caFile
						if caFile != "" && tlsCA == "" {
							// Our temporary directory: the CA means nothing once
							// this broker is gone.
							defer os.RemoveAll(filepath.Dir(caFile))
						}
						opts = append(opts, reference.WithTLSListen(tlsListen, tlsCfg))
					}
				}
			}
			b, err := reference.Start(ctx, append(opts,
				reference.WithMQTTListen(listen),
				reference.WithAPIListen(apiListen),
				reference.WithAPIKey(apiKey, apiSecret),
				reference.WithConfig(cfg),
				reference.WithSecurityProfile(prof),
				reference.WithFault(faultNames...),
				reference.WithLogger(slog.New(handler)),
				reference.WithJWKSMinRefresh(jwksMinRefresh),
			)...)
			if err != nil {
				return usageError("start reference: %v", err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "authspec reference: MQTT on %s, management API on %s (profile %s", b.MQTTAddr(), b.APIURL(), prof)
			if len(faultNames) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), ", faults %s", strings.Join(faultNames, ","))
			}
			fmt.Fprintln(cmd.ErrOrStderr(), ")")
			if b.TLSAddr() != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "authspec reference: MQTT over TLS on %s", b.TLSAddr())
				if caWritten != "" {
					fmt.Fprintf(cmd.ErrOrStderr(), ", CA certificate in %s", caWritten)
				}
				fmt.Fprintln(cmd.ErrOrStderr())
			}
			<-ctx.Done()
			return b.Close()
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:1883", "MQTT TCP listen address")
	f.StringVar(&tlsListen, "tls-listen", "127.0.0.1:8883", "MQTT over TLS listen address (empty: none; the default is skipped with a warning when taken)")
	f.StringVar(&tlsCert, "tls-cert", "", "TLS server certificate chain, PEM (default: one signed by a CA generated at start)")
	f.StringVar(&tlsKey, "tls-key", "", "TLS server private key, PEM (with --tls-cert)")
	f.StringVar(&tlsCA, "tls-ca-file", "", "where to write the generated CA's PEM (default: a new temporary file, printed at start)")
	f.StringVar(&apiListen, "api-listen", "127.0.0.1:18083", "management API listen address (empty: no API)")
	f.StringVar(&apiKey, "api-key", reference.DefaultAPIKey, "management API key (HTTP basic auth user)")
	f.StringVar(&apiSecret, "api-secret", reference.DefaultAPISecret, "management API secret (HTTP basic auth password)")
	f.StringVar(&configFile, "config", "", "EMQX-shaped JSON configuration file (default: JWT, HMAC secret emqxsecret)")
	f.StringVar(&profile, "security-profile", "legacy", "legacy | hardened")
	f.StringVar(&logFormat, "log-format", "text", "text | json")
	f.StringVar(&logLevel, "log-level", "info", "debug | info | warn | error (warn silences the per-decision lines, e.g. under load)")
	f.StringSliceVar(&faultNames, "fault", nil, "switch on a deliberate defect (repeatable; see the list above)")
	// A test aid: EMQX raises a JWKS refresh_interval below 10 s to 10 s
	// (JWT-JWKS-10); a lower floor lets the refresh scenarios, which
	// configure 1 s, run in seconds against a reference judged through its
	// API. Anything above the 1.5 s JWT-JWKS-10 watches keeps that
	// scenario passing.
	oidc.flags(f)
	f.DurationVar(&jwksMinRefresh, "jwks-min-refresh", 10*time.Second, "floor of the JWKS refresh_interval (EMQX: 10s; tests lower it, e.g. 2s)")
	return cmd
}

// portFree reports whether addr can be listened on now.
func portFree(addr string) bool {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	_ = ln.Close()
	return true
}

func faultHelp() string {
	var b strings.Builder
	for _, d := range faults.All() {
		fmt.Fprintf(&b, "  %-34s %s (breaks %s)\n", d.Name, d.Doc, strings.Join(d.IDs, ", "))
	}
	return b.String()
}
