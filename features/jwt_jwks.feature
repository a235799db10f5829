@JWT-JWKS
Feature: JWT-JWKS Keys from a JWKS endpoint (use_jwks: true)
  The authenticator verifies tokens with the keys of a JWK Set it fetches
  from its endpoint, in the background, and keeps fresh every
  refresh_interval. The suite serves that endpoint itself ("<jwks endpoint>",
  or "<jwks https endpoint>" with a self-signed certificate) and signs valid
  tokens with a key of the set it serves. "The broker has fetched the key
  set" waits for the broker's fetch at the endpoint (the next one after the
  endpoint last changed), never for a fixed time; scenarios that watch
  refreshes configure refresh_interval 1, the smallest a configuration can
  say (against the in-process reference it is not raised to 10 s, see
  JWT-JWKS-10).

  @JWT-JWKS-01 @any-version
  Scenario: JWT-JWKS-01 a token signed by any key of the set is accepted, whatever the keys' kid, alg and use
    Requirement: "The authenticator gets a JWK Set (`{"keys": [...]}`) by HTTP GET from
    `endpoint` and tries every key in order; a token any key verifies is accepted. The
    token's `kid` and the keys' `kid`, `alg` and `use` are not used, although the JWKS
    article describes `kid` as the way to pick the key (ambiguity A8)."
    The keys' own "alg" and "use" members say other things than what they sign: a broker
    that filters keys by them refuses some of these tokens.

    Given the JWKS endpoint serves these keys:
      | kid   | alg   | jwk alg | use |
      | k-rsa | RS256 | RS512   | enc |
      | k-ec  | ES256 |         |     |
      | k-ed  | EdDSA | ES256   | sig |
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid token
    And the token's header "kid" is absent
    When the token is signed by JWKS key "k-rsa"
    And the client connects
    Then the connection is accepted
    When the token is signed by JWKS key "k-ec"
    And the client connects
    Then the connection is accepted
    When the token is signed by JWKS key "k-ed"
    And the client connects
    Then the connection is accepted

  @JWT-JWKS-02 @any-version
  Scenario: JWT-JWKS-02 a key added at the endpoint verifies after the next refresh, a removed one stops verifying
    Requirement: "The set is fetched again every `refresh_interval` seconds (default 300): a
    key added at the endpoint verifies tokens after the next refresh, a key removed stops
    verifying after it. EMQX fetches once per pool worker (`pool_size`, default 8), so the
    endpoint sees several GETs per interval and workers may briefly disagree during a
    rotation."

    Given the JWKS endpoint serves an RS256 key "old"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "refresh_interval": 1}]
      """
    And the broker has fetched the key set
    And a valid token
    And the token is signed by JWKS key "old"
    When the client connects
    Then the connection is accepted
    When the JWKS endpoint serves an ES256 key "new"
    And the JWKS endpoint stops serving key "old"
    Then the broker fetches the key set again
    When the token is signed by JWKS key "new"
    And the client connects
    Then the connection is accepted
    When the token is signed by JWKS key "old"
    And the client connects
    Then the connection is refused with BF

  @JWT-JWKS-03
  Scenario: JWT-JWKS-03 a JWKS request carries the default Accept header, connection: close and te: trailers
    Requirement: "Every JWKS request carries the configured `headers` (default `Accept:
    application/json`), plus `connection: close` and, unless `te` is configured, `te:
    trailers`."

    Given the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    When the broker has fetched the key set
    Then every JWKS request carries these headers:
      | name       | value            |
      | Accept     | application/json |
      | Connection | close            |
      | Te         | trailers         |

  @JWT-JWKS-03
  Scenario: JWT-JWKS-03 a JWKS request carries the configured headers
    Requirement: "Every JWKS request carries the configured `headers` (default `Accept:
    application/json`), plus `connection: close` and, unless `te` is configured, `te:
    trailers`."

    Given the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "headers": {"X-Api-Key": "s3cret", "Accept": "application/jwk-set+json"}}]
      """
    When the broker has fetched the key set
    Then every JWKS request carries these headers:
      | name       | value                    |
      | X-Api-Key  | s3cret                   |
      | Accept     | application/jwk-set+json |
      | Connection | close                    |
      | Te         | trailers                 |

  @JWT-JWKS-03
  Scenario: JWT-JWKS-03 a configured te header replaces te: trailers
    Requirement: "Every JWKS request carries the configured `headers` (default `Accept:
    application/json`), plus `connection: close` and, unless `te` is configured, `te:
    trailers`."

    Given the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "headers": {"te": "deflate"}}]
      """
    When the broker has fetched the key set
    Then every JWKS request carries these headers:
      | name       | value   |
      | Te         | deflate |
      | Connection | close   |

  @JWT-JWKS-04 @any-version
  Scenario: JWT-JWKS-04 a token signed by a key that is not in the set gives BF
    Requirement: "A token signed by a key that is not in the set gives BF; a token whose
    `kid` matches no key in the set but whose signature a key in the set verifies is
    accepted (ambiguity A8)."
    The token names the kid of a key in the set, so only its signature can refuse it.

    Given the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid token
    And the token is signed by a key that is not in the JWKS set
    When the client connects
    Then the connection is refused with BF

  @JWT-JWKS-04 @ambiguity @A8 @any-version
  Scenario Outline: JWT-JWKS-04 a token whose kid is <kid case> is accepted when a key of the set verifies it
    Requirement: "A token signed by a key that is not in the set gives BF; a token whose
    `kid` matches no key in the set but whose signature a key in the set verifies is
    accepted (ambiguity A8)."
    Ambiguity A8, reading 1 (the JWKS article): the verifier picks the key by the token's
    `kid`, so a token whose `kid` is not in the set is refused. Reading 2 (EMQX, the
    reference): `kid` is ignored and every key is tried, so the token is accepted.

    Given the JWKS endpoint serves an RS256 key "k1"
    And the JWKS endpoint serves an RS256 key "k2"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid token
    And the token is signed by JWKS key "k2"
    And the token's header "kid" is <kid>
    When the client connects
    Then the connection is accepted

    Examples:
      | kid case               | kid       |
      | in no key of the set   | "no-such" |
      | the kid of another key | "k1"      |

  @JWT-JWKS-04 @ambiguity @A8 @A8=kid-selects @any-version
  Scenario Outline: JWT-JWKS-04 under reading kid-selects a token whose kid is <kid case> gives BF
    Requirement: "A token signed by a key that is not in the set gives BF; a token whose
    `kid` matches no key in the set but whose signature a key in the set verifies is
    accepted (ambiguity A8)."
    Ambiguity A8, reading kid-selects (the JWKS article), for a profile that declares it: the
    verifier picks the key by the token's `kid`, so a token whose `kid` names no key of the
    set, or another key, is refused although a key of the set verifies it.

    Given the JWKS endpoint serves an RS256 key "k1"
    And the JWKS endpoint serves an RS256 key "k2"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid token
    And the token is signed by JWKS key "k2"
    And the token's header "kid" is <kid>
    When the client connects
    Then the connection is refused with BF

    Examples:
      | kid case               | kid       |
      | in no key of the set   | "no-such" |
      | the kid of another key | "k1"      |

  @JWT-JWKS-05 @any-version
  Scenario: JWT-JWKS-05 failed refreshes keep the last good set until the max_fail_count-th in a row
    Requirement: "A failed refresh (endpoint down, connect or request timeout of 5 s, TLS
    error, body that is not a JWK Set) keeps the last good set; the set is dropped at the
    `max_fail_count`-th consecutive failure (default 5, so it survives 4), after which
    every token gives BF until a refresh succeeds, which restores the keys and resets the
    count. A CONNECT never waits for a fetch."
    With max_fail_count 2 the set survives one failure (an answer that is not JSON) and is
    dropped at the second (a reset connection); a good answer restores it and resets the
    count, so the next failure (a document whose keys is not a list) keeps it. Each step
    waits for the broker's next refresh (refresh_interval 1).

    Given the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "refresh_interval": 1, "max_fail_count": 2}]
      """
    And the broker has fetched the key set
    And a valid token
    When the JWKS endpoint answers with status 500 and a body that is not JSON
    Then the broker fetches the key set again
    When the client connects
    Then the connection is accepted
    When the JWKS endpoint resets every connection
    And the broker fetches the key set again
    And the client connects
    Then the connection is refused with BF
    When the JWKS endpoint answers with its key set
    And the broker fetches the key set again
    And the client connects
    Then the connection is accepted
    When the JWKS endpoint answers with the document {"keys": "k1"}
    And the broker fetches the key set again
    And the client connects
    Then the connection is accepted

  @JWT-JWKS-06 @any-version
  Scenario Outline: JWT-JWKS-06 the jwcrypto recipe's key set verifies RS256 tokens signed with key "<kid>"
    Requirement: "The JWK Set produced by the jwcrypto recipe in the JWKS article (RSA keys
    with `"alg": "RSA256"`, `"use": "sig"`, string `kid`) is accepted, and RS256 tokens
    signed with its keys are verified."
    "RSA256" is not a JWS algorithm name: a broker that checks the keys' alg drops them.

    Given the JWKS endpoint serves the jwcrypto recipe's key set of 3 keys
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid RS256 token
    And the token is signed by JWKS key "<kid>"
    When the client connects
    Then the connection is accepted

    Examples:
      | kid |
      | 1   |
      | 3   |

  @JWT-JWKS-07 @ambiguity @A10 @any-version
  Scenario Outline: JWT-JWKS-07 a JWK Set answered with status <status> replaces the keys
    Requirement: "The HTTP status of a JWKS response is not checked: a 404 or 500 whose body
    is a JWK Set replaces the keys, and a body that does not parse as a set (not JSON, or a
    single JWK without `keys`) is a failed refresh whatever the status (ambiguity A10)."
    Ambiguity A10, reading 1 (a status-checking broker): a non-2xx answer is a failed
    refresh, so the old key keeps verifying and the new one does not. Reading 2 (EMQX, the
    reference): the body decides, so the keys are replaced.

    Given the JWKS endpoint serves an RS256 key "old"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "refresh_interval": 1}]
      """
    And the broker has fetched the key set
    And a valid token
    When the JWKS endpoint serves an ES256 key "new"
    And the JWKS endpoint stops serving key "old"
    And the JWKS endpoint answers with its key set and status <status>
    And the broker fetches the key set again
    And the token is signed by JWKS key "new"
    And the client connects
    Then the connection is accepted
    When the token is signed by JWKS key "old"
    And the client connects
    Then the connection is refused with BF

    Examples:
      | status |
      | 404    |
      | 500    |

  @JWT-JWKS-07 @any-version
  Scenario: JWT-JWKS-07 an answer that is not a JWK Set is a failed refresh, whatever its status
    Requirement: "The HTTP status of a JWKS response is not checked: a 404 or 500 whose body
    is a JWK Set replaces the keys, and a body that does not parse as a set (not JSON, or a
    single JWK without `keys`) is a failed refresh whatever the status (ambiguity A10)."
    The endpoint now publishes only the new key, in three shapes that are not a set, one
    refresh each: the old set stays in force throughout.

    Given the JWKS endpoint serves an RS256 key "old"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "refresh_interval": 1}]
      """
    And the broker has fetched the key set
    And a valid token
    When the JWKS endpoint serves an ES256 key "new"
    And the JWKS endpoint stops serving key "old"
    And the JWKS endpoint answers with its first key alone, not in a set
    And the broker fetches the key set again
    And the token is signed by JWKS key "new"
    And the client connects
    Then the connection is refused with BF
    When the JWKS endpoint answers with a body that is not JSON
    And the broker fetches the key set again
    And the client connects
    Then the connection is refused with BF
    When the JWKS endpoint answers with status 404 and a body that is not JSON
    And the broker fetches the key set again
    And the token is signed by JWKS key "old"
    And the client connects
    Then the connection is accepted

  @JWT-JWKS-07 @ambiguity @A10 @A10=status-checked @any-version
  Scenario Outline: JWT-JWKS-07 under reading status-checked a JWK Set answered with status <status> is a failed refresh
    Requirement: "The HTTP status of a JWKS response is not checked: a 404 or 500 whose body
    is a JWK Set replaces the keys, and a body that does not parse as a set (not JSON, or a
    single JWK without `keys`) is a failed refresh whatever the status (ambiguity A10)."
    Ambiguity A10, reading status-checked, for a profile that declares it: a non-2xx answer
    is a failed refresh, so the old key keeps verifying and the new one does not.

    Given the JWKS endpoint serves an RS256 key "old"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "refresh_interval": 1}]
      """
    And the broker has fetched the key set
    And a valid token
    When the JWKS endpoint serves an ES256 key "new"
    And the JWKS endpoint stops serving key "old"
    And the JWKS endpoint answers with its key set and status <status>
    And the broker fetches the key set again
    And the token is signed by JWKS key "new"
    And the client connects
    Then the connection is refused with BF
    When the token is signed by JWKS key "old"
    And the client connects
    Then the connection is accepted

    Examples:
      | status |
      | 404    |
      | 500    |

  @JWT-JWKS-08 @any-version
  Scenario: JWT-JWKS-08 an empty set replaces the keys, and every token then gives BF
    Requirement: "An empty set `{"keys": []}` is a successful refresh: it replaces the keys,
    and every token then gives BF."

    Given the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "refresh_interval": 1}]
      """
    And the broker has fetched the key set
    And a valid token
    When the client connects
    Then the connection is accepted
    When the JWKS endpoint answers with an empty key set
    And the broker fetches the key set again
    And the client connects
    Then the connection is refused with BF

  @JWT-JWKS-09 @any-version
  Scenario Outline: JWT-JWKS-09 an <alg> token gives BF even when the set holds an oct key with its secret
    Requirement: "JWKS mode accepts only the public-key algorithms of JWT-PK-01: an HS*
    token gives BF even when the set holds an `oct` key whose bytes are the token's
    secret."

    Given the JWKS endpoint serves an RS256 key "k1"
    And the JWKS endpoint also serves an oct key "shared" holding the secret "jwks-oct-secret-0123456789abcdef"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid token
    And the token is an <alg> token keyed with the secret of oct key "shared"
    When the client connects
    Then the connection is refused with BF

    Examples:
      | alg   |
      | HS256 |
      | HS512 |

  @JWT-JWKS-10 @jwks-refresh-floor
  Scenario: JWT-JWKS-10 a refresh_interval of 1 is raised to 10 seconds
    Requirement: "A `refresh_interval` below 10 is raised to 10 seconds; 0 and negative
    values are refused at configuration."
    After its first fetch, a broker refreshing every second would fetch again within a
    second and a half; one that raised the interval to 10 s does not.

    Given the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
        "refresh_interval": 1}]
      """
    When the broker has fetched the key set
    Then the broker does not fetch the key set again within 1.5 seconds

  @JWT-JWKS-10
  Scenario: JWT-JWKS-10 refresh_interval 0 and -1 are refused at configuration, 1 is accepted
    Requirement: "A `refresh_interval` below 10 is raised to 10 seconds; 0 and negative
    values are refused at configuration."

    Given the JWKS endpoint serves an RS256 key "k1"
    And no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
       "refresh_interval": 0}
      """
    Then creating the authenticator is refused
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
       "refresh_interval": -1}
      """
    Then creating the authenticator is refused
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
       "refresh_interval": 1}
      """
    Then creating the authenticator succeeds

  @JWT-JWKS-11 @any-version
  Scenario: JWT-JWKS-11 until a fetch succeeds tokens give BF, and a CONNECT does not fetch
    Requirement: "The first fetch runs asynchronously when the authenticator is created:
    until a fetch succeeds every token gives BF (0x87/5 when JWT is alone), and a CONNECT
    does not trigger a fetch."
    The first fetch fails; the endpoint then serves the key, but the next scheduled
    refresh is five minutes away, so a broker that does not fetch on a CONNECT still has no
    keys.

    Given the JWKS endpoint serves an RS256 key "k1"
    And the JWKS endpoint answers with a body that is not JSON
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid token
    When the JWKS endpoint answers with its key set
    And the client connects
    Then the connection is refused with BF
    And the broker has not fetched the key set since the endpoint changed

  @JWT-JWKS-11
  Scenario: JWT-JWKS-11 creating the authenticator does not wait for the first fetch
    Requirement: "The first fetch runs asynchronously when the authenticator is created:
    until a fetch succeeds every token gives BF (0x87/5 when JWT is alone), and a CONNECT
    does not trigger a fetch."
    The endpoint does not answer: a broker that fetches before it answers the management
    API keeps the creation waiting for its 5 s request timeout.

    Given the JWKS endpoint serves an RS256 key "k1"
    And no authenticator is configured
    And a valid token
    When the authenticator is created while the JWKS endpoint does not answer:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}
      """
    Then creating the authenticator succeeds
    When the client connects
    Then the connection is refused with BF

  @JWT-JWKS-12
  Scenario: JWT-JWKS-12 header names outside [-0-9a-zA-Z_ ] are refused at configuration
    Requirement: "Names in `headers` must match `[-0-9a-zA-Z_ ]+`; a configuration with any
    other header name (e.g. one containing `:`) is refused (management API: HTTP 400)."

    Given the JWKS endpoint serves an RS256 key "k1"
    And no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
       "headers": {"X:Api-Key": "value"}}
      """
    Then creating the authenticator is refused
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
       "headers": {"X/Api-Key": "value"}}
      """
    Then creating the authenticator is refused
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
       "headers": {"X.Api-Key": "value"}}
      """
    Then creating the authenticator is refused
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>",
       "headers": {"X-Api_Key 2": "value"}}
      """
    Then creating the authenticator succeeds

  @JWT-JWKS-13 @any-version
  Scenario Outline: JWT-JWKS-13 a self-signed HTTPS endpoint with ssl <ssl> under the <profile> profile: <outcome>
    Requirement: "With TLS enabled for the endpoint (`ssl.enable: true`; default false),
    certificate verification defaults to `verify_none` under legacy, so a self-signed
    endpoint works, and to `verify_peer` under hardened, where that fetch fails and tokens
    give BF."

    Given the security profile is <profile>
    And the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true,
        "endpoint": "<jwks https endpoint>", "ssl": <ssl>}]
      """
    And the broker has tried to fetch the key set
    And a valid token
    When the client connects
    Then the connection is <outcome>

    Examples:
      | profile  | ssl                                                                       | outcome         |
      | legacy   | {"enable": true}                                                          | accepted        |
      | hardened | {"enable": true}                                                          | refused with BF |
      | legacy   | {"enable": true, "verify": "verify_peer"}                                 | refused with BF |
      | hardened | {"enable": true, "verify": "verify_peer", "cacertfile": "<jwks ca file>"} | accepted        |
