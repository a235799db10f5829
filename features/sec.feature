@SEC
Feature: SEC Security: tokens the broker must resist
  Forged tokens that a careless verifier accepts. Every one of them must give
  BF, in every mode.

  @SEC-01 @any-version
  Scenario Outline: SEC-01 an unsigned token with alg "<alg>" gives BF in <mode> mode
    Requirement: "`alg: none` in any capitalisation, and tokens with an empty or stripped
    signature, give BF in every mode."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>}]
      """
    And a valid token
    And the token is unsigned with alg "<alg>"
    When the client connects
    Then the connection is refused with BF

    Examples:
      | mode       | alg  | mode_config                                                     |
      | HMAC       | none | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | HMAC       | None | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | HMAC       | NONE | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | HMAC       | nOnE | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | public-key | none | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | public-key | None | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | public-key | NONE | "algorithm": "public-key", "public_key": "<ec-p256 public key>" |

  @SEC-01 @any-version
  Scenario Outline: SEC-01 a token whose signature is <removal> gives BF in <mode> mode
    Requirement: "`alg: none` in any capitalisation, and tokens with an empty or stripped
    signature, give BF in every mode."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>}]
      """
    And a valid token
    And the token's signature is <removal>
    When the client connects
    Then the connection is refused with BF

    Examples:
      | mode       | removal  | mode_config                                                     |
      | HMAC       | stripped | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | HMAC       | empty    | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | public-key | stripped | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | public-key | empty    | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | public-key | empty    | "algorithm": "public-key", "public_key": "<ed25519 public key>" |

  @SEC-02 @any-version
  Scenario Outline: SEC-02 an <alg> signature with <which> = 0 gives BF in public-key mode
    Requirement: "ECDSA signatures with r = 0 or s = 0 (CVE-2022-21449, "psychic
    signatures") give BF."
    The "psychic signature" of CVE-2022-21449 is r = s = 0, which a broken verifier accepts
    for any message and key; r or s alone set to 0 must fail as well.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<<kind> public key>"}]
      """
    And a valid <alg> token
    And the token's ECDSA signature has <which> set to 0
    When the client connects
    Then the connection is refused with BF

    Examples:
      | alg   | kind    | which   |
      | ES256 | ec-p256 | r and s |
      | ES384 | ec-p384 | r and s |
      | ES512 | ec-p521 | r and s |
      | ES256 | ec-p256 | r       |
      | ES256 | ec-p256 | s       |

  @SEC-02 @any-version
  Scenario: SEC-02 an ES256 signature with r = s = 0 gives BF in JWKS mode
    Requirement: "ECDSA signatures with r = 0 or s = 0 (CVE-2022-21449, "psychic
    signatures") give BF."

    Given the JWKS endpoint serves an ES256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid token
    And the token's ECDSA signature has r and s set to 0
    When the client connects
    Then the connection is refused with BF

  @SEC-03 @any-version
  Scenario Outline: SEC-03 a token signed by a key its "<field>" header names gives BF (<mode>)
    Requirement: "Keys embedded in or referenced by the token header (`jwk`, `jku`, `x5u`,
    `x5c`) are never used: a token signed with such a key gives BF."
    The attacker's key is of the configured key's kind, so only trust in the header could
    make the signature verify. For jku and x5u the suite serves the attacker's JWK Set or
    certificate at the URL: a broker that fetched it would get a key that verifies.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>}]
      """
    And a valid token
    And the token is signed by an attacker's key named in its "<field>" header
    When the client connects
    Then the connection is refused with BF

    Examples:
      | field | mode                | mode_config                                                     |
      | jwk   | public-key, RSA     | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | jku   | public-key, RSA     | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | x5u   | public-key, RSA     | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | x5c   | public-key, RSA     | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | jwk   | public-key, P-256   | "algorithm": "public-key", "public_key": "<ec-p256 public key>" |
      | x5c   | public-key, Ed25519 | "algorithm": "public-key", "public_key": "<ed25519 public key>" |

  @SEC-03 @any-version
  Scenario Outline: SEC-03 a token signed by a key its "<field>" header names gives BF (JWKS)
    Requirement: "Keys embedded in or referenced by the token header (`jwk`, `jku`, `x5u`,
    `x5c`) are never used: a token signed with such a key gives BF."

    Given the JWKS endpoint serves an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<jwks endpoint>"}]
      """
    And the broker has fetched the key set
    And a valid token
    And the token is signed by an attacker's key named in its "<field>" header
    When the client connects
    Then the connection is refused with BF

    Examples:
      | field |
      | jwk   |
      | jku   |

  @SEC-04
  Scenario Outline: SEC-04 a <size>-byte <alg> token whose signature does not verify gives BF
    Requirement: "A token of up to 65535 bytes (the MQTT field limit) that does not verify,
    including one with deeply nested JSON, gives BF as fast as a short one and without
    unbounded memory use; a CONNECT larger than the broker's maximum packet size (EMQX
    default 1 MB) is refused before authentication (connection closed, MQTT 5 possibly
    after CONNACK 0x95)."
    Time and memory are measured by the reference's benchmarks (go test -bench
    ./reference/authn/jwtauth); a scenario checks the outcome.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>}]
      """
    And a valid <alg> token
    And the token's signature is corrupted
    And the token is padded to <size> bytes
    When the client connects
    Then the connection is refused with BF

    Examples:
      | size  | alg   | mode_config                                                 |
      | 65535 | HS256 | "algorithm": "hmac-based", "secret": "emqxsecret"           |
      | 65535 | RS256 | "algorithm": "public-key", "public_key": "<rsa public key>" |

  @SEC-04 @any-version
  Scenario Outline: SEC-04 a token whose <segment> is JSON nested <depth> levels deep, with a bad signature, gives BF
    Requirement: "A token of up to 65535 bytes (the MQTT field limit) that does not verify,
    including one with deeply nested JSON, gives BF ..."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's <segment> is JSON nested <depth> levels deep
    And the token's signature is corrupted
    When the client connects
    Then the connection is refused with BF

    Examples:
      | segment | depth |
      | payload | 1000  |
      | payload | 9000  |
      | header  | 10000 |

  @SEC-04
  Scenario: SEC-04 a CONNECT larger than the maximum packet size is refused before authentication
    Requirement: "... a CONNECT larger than the broker's maximum packet size (EMQX default 1
    MB) is refused before authentication (connection closed, MQTT 5 possibly after CONNACK
    0x95)."
    The token is valid: a broker that authenticated the oversized CONNECT would accept it.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the client's CONNECT carries 1100 KB of user properties
    When the client connects
    Then the broker refuses the CONNECT before authentication

  @SEC-05 @any-version
  Scenario Outline: SEC-05 an <alg> signature with Wycheproof's "<defect>" defect gives BF
    Requirement: "Third-party signature vectors (`../shared/vectors/`) marked invalid fail
    verification."
    Why not the vectors themselves: a JWS signature covers base64url(header) "."
    base64url(payload), and a Wycheproof vector signs an arbitrary message, so no vector can
    be sent as a token, and any signature taken from one fails on a token's signing input
    for the trivial reason that it was made over other bytes, which would prove nothing.
    Instead each scenario rebuilds the defect of one of the vectors' invalid families over
    the token's own signing input, with the configured key: the signature is right but for
    that defect. The vectors themselves run against the reference's verifier in go test
    ./reference/authn/jwtauth (TestWycheproof) when ../shared/vectors is present.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>}]
      """
    And a valid <alg> token
    And the token's signature has the defect "<defect>"
    When the client connects
    Then the connection is refused with BF

    Examples: ECDSA, IEEE P1363 encoding
      | alg   | defect          | mode_config                                                     |
      | ES256 | r = n           | "algorithm": "public-key", "public_key": "<ec-p256 public key>" |
      | ES256 | s = n           | "algorithm": "public-key", "public_key": "<ec-p256 public key>" |
      | ES384 | DER encoding    | "algorithm": "public-key", "public_key": "<ec-p384 public key>" |
      | ES256 | one byte longer | "algorithm": "public-key", "public_key": "<ec-p256 public key>" |

    Examples: RSA PKCS #1 v1.5 padding
      | alg   | defect                 | mode_config                                                 |
      | RS256 | padding 00 02          | "algorithm": "public-key", "public_key": "<rsa public key>" |
      | RS256 | BER-encoded DigestInfo | "algorithm": "public-key", "public_key": "<rsa public key>" |
      | RS256 | SHA-512 DigestInfo     | "algorithm": "public-key", "public_key": "<rsa public key>" |
      | RS512 | bytes after the digest | "algorithm": "public-key", "public_key": "<rsa public key>" |

    Examples: RSA-PSS, EdDSA and HMAC
      | alg   | defect                    | mode_config                                                     |
      | PS256 | salt length 20            | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | EdDSA | S + L                     | "algorithm": "public-key", "public_key": "<ed25519 public key>" |
      | EdDSA | one byte shorter          | "algorithm": "public-key", "public_key": "<ed25519 public key>" |
      | EdDSA | garbage appended          | "algorithm": "public-key", "public_key": "<ed25519 public key>" |
      | HS256 | tag truncated to 16 bytes | "algorithm": "hmac-based", "secret": "emqxsecret"               |

  @SEC-06 @any-version
  Scenario Outline: SEC-06 alg "<alg>" over a valid signature gives BF in <mode> mode
    Requirement: "`alg` is compared case-sensitively with the mode's list: `hs256` or
    `Rs256` with an otherwise valid signature gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>}]
      """
    And a valid token
    And the token's header "alg" is "<alg>"
    When the client connects
    Then the connection is refused with BF

    Examples:
      | mode       | alg   | mode_config                                                     |
      | HMAC       | hs256 | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | HMAC       | Hs256 | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | public-key | Rs256 | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | public-key | rs256 | "algorithm": "public-key", "public_key": "<rsa public key>"     |
      | public-key | es256 | "algorithm": "public-key", "public_key": "<ec-p256 public key>" |
      | public-key | EDDSA | "algorithm": "public-key", "public_key": "<ed25519 public key>" |

  @SEC-06 @any-version
  Scenario Outline: SEC-06 alg "<alg>" in its exact spelling is accepted in <mode> mode
    Requirement: "`alg` is compared case-sensitively with the mode's list: `hs256` or
    `Rs256` with an otherwise valid signature gives BF."
    The control case: the same token with the registered spelling is accepted, so a
    refusal above comes from the spelling alone.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>}]
      """
    And a valid token
    And the token's header "alg" is "<alg>"
    When the client connects
    Then the connection is accepted

    Examples:
      | mode       | alg   | mode_config                                                 |
      | HMAC       | HS256 | "algorithm": "hmac-based", "secret": "emqxsecret"           |
      | public-key | RS256 | "algorithm": "public-key", "public_key": "<rsa public key>" |
