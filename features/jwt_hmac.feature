@JWT-HMAC
Feature: JWT-HMAC HMAC-signed tokens (algorithm: hmac-based)
  An HMAC authenticator verifies HS256, HS384 and HS512 tokens with its
  configured secret, and nothing else.

  @JWT-HMAC-01 @any-version
  Scenario Outline: JWT-HMAC-01 an <alg> token signed with the configured secret is accepted
    Requirement: "HS256, HS384 and HS512 tokens signed with the configured `secret` (its raw
    bytes) are accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "<secret>"}]
      """
    And a valid <alg> token
    When the client connects
    Then the connection is accepted

    Examples:
      | alg   | secret                        |
      | HS256 | emqxsecret                    |
      | HS384 | emqxsecret                    |
      | HS512 | emqxsecret                    |
      | HS256 | another secret, longer and with spaces |

  @JWT-HMAC-02
  Scenario Outline: JWT-HMAC-02 an <alg> token signed with another secret gives BF
    Requirement: "A token signed with another secret gives BF: 0x87/5 when JWT is alone,
    while under legacy a later authenticator may still accept the client (CHAIN-05)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client speaks MQTT <version>
    And a valid <alg> token
    And the token is signed with another secret
    When the client connects
    Then the connection is refused with BF

    Examples:
      | alg   | version |
      | HS256 | 5       |
      | HS384 | 5       |
      | HS512 | 5       |

    @v311
    Examples: MQTT 3.1.1 return codes
      | alg   | version |
      | HS256 | 3.1.1   |

  @JWT-HMAC-03 @any-version
  Scenario: JWT-HMAC-03 with secret_base64_encoded a token signed with the decoded bytes is accepted
    Requirement: "With `secret_base64_encoded: true` the configured secret is base64-decoded
    before use: a token signed with the decoded bytes is accepted, one signed with the
    literal base64 text gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "YWJjZGVm", "secret_base64_encoded": true}]
      """
    And a valid token
    When the client connects
    Then the connection is accepted

  @JWT-HMAC-03 @any-version
  Scenario: JWT-HMAC-03 with secret_base64_encoded a token signed with the base64 text gives BF
    Requirement: "With `secret_base64_encoded: true` the configured secret is base64-decoded
    before use: a token signed with the decoded bytes is accepted, one signed with the
    literal base64 text gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "YWJjZGVm", "secret_base64_encoded": true}]
      """
    And a valid token
    And the token is signed with the secret's text as configured
    When the client connects
    Then the connection is refused with BF

  @JWT-HMAC-03 @any-version
  Scenario: JWT-HMAC-03 without secret_base64_encoded the secret's text is used as it is
    Requirement: "With `secret_base64_encoded: true` the configured secret is base64-decoded
    before use: a token signed with the decoded bytes is accepted, one signed with the
    literal base64 text gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "YWJjZGVm", "secret_base64_encoded": false}]
      """
    And a valid token
    And the token is signed with the secret's text base64-decoded
    When the client connects
    Then the connection is refused with BF

  @JWT-HMAC-04
  Scenario: JWT-HMAC-04 a secret that is not valid base64 is refused at creation
    Requirement: "With `secret_base64_encoded: true`, a secret that is not valid base64 (e.g.
    `emqxsecret`) makes creating the authenticator fail with an invalid-secret error
    (management API: HTTP 400); no authenticator is created."

    Given no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
       "secret": "emqxsecret", "secret_base64_encoded": true}
      """
    Then creating the authenticator is refused
    And the chain has no "jwt" authenticator

  @JWT-HMAC-04
  Scenario: JWT-HMAC-04 a secret that is valid base64 is accepted at creation
    Requirement: "With `secret_base64_encoded: true`, a secret that is not valid base64 (e.g.
    `emqxsecret`) makes creating the authenticator fail with an invalid-secret error
    (management API: HTTP 400); no authenticator is created."

    Given no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
       "secret": "YWJjZGVm", "secret_base64_encoded": true}
      """
    Then creating the authenticator succeeds
    And the chain has a "jwt" authenticator

  @JWT-HMAC-05 @ambiguity @A1 @exact-config @any-version
  Scenario: JWT-HMAC-05 the documented seed token is accepted with secret emqxsecret and never expires
    Requirement: "With secret `emqxsecret`, the seed token (see Vectors) as Password with any
    Username is accepted and never expires, as it has no `exp`. The docs present
    `emqxsecret` as the default secret; EMQX 5.x/6.x requires `secret`, so scenarios
    configure it (ambiguity A13)."
    Ambiguity A13, reading 1 (EMQX Cloud docs): `emqxsecret` is the default secret, so a
    broker with no secret configured accepts the seed token. Reading 2 (EMQX 5.x/6.x code,
    the reference): `secret` is required and has no default. This scenario configures the
    secret explicitly, so both readings expect the token to be accepted.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret", "secret_base64_encoded": false}]
      """
    And the seed token from the catalogue
    And the client's username is "whoever"
    When the client connects
    Then the connection is accepted
    And the connection is still open after 1 second

  @JWT-HMAC-06 @any-version
  Scenario Outline: JWT-HMAC-06 an HMAC authenticator refuses a valid <alg> token with BF
    Requirement: "An HMAC authenticator accepts only HS256/HS384/HS512: tokens whose `alg` is
    RS*, PS*, ES*, EdDSA or `none` give BF, including an RS256 token whose "signature" is an
    HMAC keyed with the RSA public key (key confusion)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token is signed with <alg> instead
    When the client connects
    Then the connection is refused with BF

    Examples:
      | alg   |
      | RS256 |
      | RS384 |
      | RS512 |
      | PS256 |
      | PS384 |
      | PS512 |
      | ES256 |
      | ES384 |
      | ES512 |
      | EdDSA |

  @JWT-HMAC-06 @any-version
  Scenario: JWT-HMAC-06 an HMAC authenticator refuses an unsigned alg none token with BF
    Requirement: "An HMAC authenticator accepts only HS256/HS384/HS512: tokens whose `alg` is
    RS*, PS*, ES*, EdDSA or `none` give BF, including an RS256 token whose "signature" is an
    HMAC keyed with the RSA public key (key confusion)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token is unsigned with alg "none"
    When the client connects
    Then the connection is refused with BF

  @JWT-HMAC-06 @any-version
  Scenario Outline: JWT-HMAC-06 an RS256 header over an HMAC keyed with <key> gives BF
    Requirement: "An HMAC authenticator accepts only HS256/HS384/HS512: tokens whose `alg` is
    RS*, PS*, ES*, EdDSA or `none` give BF, including an RS256 token whose "signature" is an
    HMAC keyed with the RSA public key (key confusion)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token claims RS256 but carries an HMAC keyed with <key>
    When the client connects
    Then the connection is refused with BF

    Examples:
      | key                          |
      | an RSA public key's PEM text |
      | the configured secret        |

  @JWT-HMAC-07 @any-version
  Scenario Outline: JWT-HMAC-07 a superuser (<mode> mode) may publish and subscribe where its own acl denies
    Requirement: "`is_superuser` true (JWT-CLAIM-07) in a verified token, in any mode, makes
    the client a superuser: every publish and subscribe is allowed, including topics its
    own `acl` claim denies."
    The token's old-format acl is {}, which denies everything, whatever no_match (allow
    here) says.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>}]
      """
    And the authorization settings are:
      """json
      {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And a valid token
    And the token's "is_superuser" claim is true
    And the token's "acl" claim is {}
    When the client connects
    Then the client may publish to "any/topic"
    And the client may subscribe to "any/#"

    Examples:
      | mode       | mode_config                                                     |
      | HMAC       | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | public-key | "algorithm": "public-key", "public_key": "<any public key>"     |
      | public-key | "algorithm": "public-key", "public_key": "<ed25519 public key>" |

  @JWT-HMAC-07 @any-version
  Scenario: JWT-HMAC-07 a superuser (JWKS mode) may publish and subscribe where its own acl denies
    Requirement: "`is_superuser` true (JWT-CLAIM-07) in a verified token, in any mode, makes
    the client a superuser: every publish and subscribe is allowed, including topics its
    own `acl` claim denies."

    Given the JWKS endpoint serves an ES256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And the broker has fetched the key set
    And a valid token
    And the token's "is_superuser" claim is true
    And the token's "acl" claim is [{"permission": "deny", "action": "all", "topic": "#"}]
    When the client connects
    Then the client may publish to "any/topic"
    And the client may subscribe to "any/#"

  @JWT-HMAC-07 @any-version
  Scenario: JWT-HMAC-07 the same token without is_superuser is held to its acl (control)
    Requirement: "`is_superuser` true (JWT-CLAIM-07) in a verified token, in any mode, makes
    the client a superuser ..."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And a valid token
    And the token's "acl" claim is {}
    When the client connects
    Then the client may not publish to "any/topic"
    And the client may not subscribe to "any/#"

  @JWT-HMAC-08 @any-version
  Scenario Outline: JWT-HMAC-08 an HMAC token with header <field> <value> is accepted
    Requirement: "In HMAC and public-key modes the header's `kid` and `typ` are ignored: a
    valid token with any `kid` or `typ` value is accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's header "<field>" is <value>
    When the client connects
    Then the connection is accepted

    Examples:
      | field | value            |
      | kid   | "no-such-key"    |
      | kid   | 42               |
      | kid   | ""               |
      | typ   | "at+jwt"         |
      | typ   | "not a type"     |
      | typ   | absent           |

  @JWT-HMAC-08 @any-version
  Scenario Outline: JWT-HMAC-08 a public-key token with header <field> <value> is accepted
    Requirement: "In HMAC and public-key modes the header's `kid` and `typ` are ignored: a
    valid token with any `kid` or `typ` value is accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<any public key>"}]
      """
    And a valid token
    And the token's header "<field>" is <value>
    When the client connects
    Then the connection is accepted

    Examples:
      | field | value            |
      | kid   | "no-such-key"    |
      | typ   | "JOSE"           |
      | typ   | absent           |
