@JWT-PK
Feature: JWT-PK Tokens signed with a private key (algorithm: public-key)
  A public-key authenticator verifies tokens with its configured public key
  (a PEM string or a path to a PEM file), with the algorithms that fit the
  key's type, and nothing else.

  @JWT-PK-01 @any-version
  Scenario Outline: JWT-PK-01 an <alg> token signed with the matching <kind> private key is accepted
    Requirement: "Tokens signed with the private key matching the configured public key (a
    PEM string, or a path to a PEM file) are accepted: RS256/384/512 and PS256/384/512 with
    an RSA key, ES256/384/512 with a P-256/P-384/P-521 key, EdDSA with an Ed25519 key. The
    docs list only RS* and ES* (ambiguity A9)."
    Ambiguity A9 concerns the second Examples block only (tagged @ambiguity there).

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<<kind> public key>"}]
      """
    And a valid <alg> token
    When the client connects
    Then the connection is accepted

    Examples: algorithms the docs list
      | alg   | kind    |
      | RS256 | rsa     |
      | RS384 | rsa     |
      | RS512 | rsa     |
      | ES256 | ec-p256 |
      | ES384 | ec-p384 |
      | ES512 | ec-p521 |

    @ambiguity @A9
    Examples: algorithms EMQX also accepts (ambiguity A9)
      Reading 1 (the docs): only RS256/384/512 and ES256/384/512, so a docs-only broker
      refuses these. Reading 2 (EMQX 6.1.3/6.2.2 and later, the reference): PS256/384/512 and
      EdDSA are accepted too.
      | alg   | kind    |
      | PS256 | rsa     |
      | PS384 | rsa     |
      | PS512 | rsa     |
      | EdDSA | ed25519 |

  @JWT-PK-01 @any-version
  Scenario Outline: JWT-PK-01 a public key given as a path to a <kind> PEM file verifies <alg> tokens
    Requirement: "Tokens signed with the private key matching the configured public key (a
    PEM string, or a path to a PEM file) are accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<<kind> public key file>"}]
      """
    And a valid <alg> token
    When the client connects
    Then the connection is accepted

    Examples:
      | alg   | kind    |
      | RS256 | rsa     |
      | ES256 | ec-p256 |

  @JWT-PK-01 @ambiguity @A9 @A9=docs-only @any-version
  Scenario Outline: JWT-PK-01 under reading docs-only an <alg> token gives BF
    Requirement: "Tokens signed with the private key matching the configured public key (a
    PEM string, or a path to a PEM file) are accepted: RS256/384/512 and PS256/384/512 with
    an RSA key, ES256/384/512 with a P-256/P-384/P-521 key, EdDSA with an Ed25519 key. The
    docs list only RS* and ES* (ambiguity A9)."
    Ambiguity A9, reading docs-only, for a profile that declares it: only the documented
    RS* and ES* algorithms verify, so PS* and EdDSA tokens are refused.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<<kind> public key>"}]
      """
    And a valid <alg> token
    When the client connects
    Then the connection is refused with BF

    Examples:
      | alg   | kind    |
      | PS256 | rsa     |
      | EdDSA | ed25519 |

  @JWT-PK-02 @any-version
  Scenario Outline: JWT-PK-02 an <alg> token signed with another <kind> key gives BF
    Requirement: "A token signed with another private key, or whose `alg` does not fit the
    key type (e.g. ES256 against an RSA key), gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<<kind> public key>"}]
      """
    And a valid <alg> token
    And the token is signed by another key
    When the client connects
    Then the connection is refused with BF

    Examples:
      | alg   | kind    |
      | RS256 | rsa     |
      | PS256 | rsa     |
      | ES256 | ec-p256 |
      | ES384 | ec-p384 |
      | ES512 | ec-p521 |
      | EdDSA | ed25519 |

  @JWT-PK-02 @any-version
  Scenario Outline: JWT-PK-02 an <alg> token against a <kind> key gives BF
    Requirement: "A token signed with another private key, or whose `alg` does not fit the
    key type (e.g. ES256 against an RSA key), gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<<kind> public key>"}]
      """
    And a valid token
    And the token is signed with <alg> instead
    When the client connects
    Then the connection is refused with BF

    Examples:
      | alg   | kind    |
      | ES256 | rsa     |
      | EdDSA | rsa     |
      | RS256 | ec-p256 |
      | ES384 | ec-p256 |
      | ES256 | ed25519 |

  @JWT-PK-03 @any-version
  Scenario Outline: JWT-PK-03 a public-key authenticator refuses an <alg> token with BF
    Requirement: "A public-key authenticator refuses HS* and `none` tokens with BF, including
    an HS256 token whose HMAC key is the PEM text of the configured public key (key
    confusion)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<rsa public key>"}]
      """
    And a valid token
    And the token is signed with <alg> instead
    When the client connects
    Then the connection is refused with BF

    Examples:
      | alg   |
      | HS256 |
      | HS384 |
      | HS512 |

  @JWT-PK-03 @any-version
  Scenario: JWT-PK-03 a public-key authenticator refuses an unsigned alg none token with BF
    Requirement: "A public-key authenticator refuses HS* and `none` tokens with BF, including
    an HS256 token whose HMAC key is the PEM text of the configured public key (key
    confusion)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<rsa public key>"}]
      """
    And a valid token
    And the token is unsigned with alg "none"
    When the client connects
    Then the connection is refused with BF

  @JWT-PK-03 @any-version
  Scenario Outline: JWT-PK-03 an HS256 token keyed with the <kind> public key's PEM text gives BF
    Requirement: "A public-key authenticator refuses HS* and `none` tokens with BF, including
    an HS256 token whose HMAC key is the PEM text of the configured public key (key
    confusion)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<<kind> public key>"}]
      """
    And a valid token
    And the token is an HS256 token keyed with the configured public key's PEM text
    When the client connects
    Then the connection is refused with BF

    Examples:
      | kind    |
      | rsa     |
      | ec-p256 |
      | ed25519 |

  @JWT-PK-04
  Scenario Outline: JWT-PK-04 <case> is refused at creation
    Requirement: "A malformed PEM string, a missing PEM file, or a file without a valid key
    makes creating the authenticator fail (`invalid_public_key`; management API: HTTP 400);
    with `enable: false` creation succeeds."

    Given no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": false,
       "algorithm": "public-key", "public_key": "<public_key>"}
      """
    Then creating the authenticator is refused
    And the chain has no "jwt" authenticator

    Examples:
      | case                        | public_key                                                   |
      | a string that is not PEM    | not a key                                                    |
      | a PEM block holding garbage | -----BEGIN PUBLIC KEY-----\\nZ2FyYmFnZQ==\\n-----END PUBLIC KEY----- |
      | a missing PEM file          | <missing file>                                               |
      | a file without a valid key  | <file without a key>                                         |

  @JWT-PK-04
  Scenario Outline: JWT-PK-04 <case> is accepted at creation with enable false
    Requirement: "A malformed PEM string, a missing PEM file, or a file without a valid key
    makes creating the authenticator fail (`invalid_public_key`; management API: HTTP 400);
    with `enable: false` creation succeeds."

    Given no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": false, "enable": false,
       "algorithm": "public-key", "public_key": "<public_key>"}
      """
    Then creating the authenticator succeeds
    And the chain has a "jwt" authenticator

    Examples:
      | case                     | public_key     |
      | a string that is not PEM | not a key      |
      | a missing PEM file       | <missing file> |

  @JWT-PK-04
  Scenario: JWT-PK-04 a valid PEM public key is accepted at creation
    Requirement: "A malformed PEM string, a missing PEM file, or a file without a valid key
    makes creating the authenticator fail (`invalid_public_key`; management API: HTTP 400);
    with `enable: false` creation succeeds."

    Given no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": false,
       "algorithm": "public-key", "public_key": "<ec-p256 public key>"}
      """
    Then creating the authenticator succeeds
    And the chain has a "jwt" authenticator

  @JWT-PK-05 @any-version
  Scenario Outline: JWT-PK-05 a <kind> token altered in its <segment> after signing gives BF
    Requirement: "A token whose header or payload was altered after signing gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "public-key", "public_key": "<<kind> public key>"}]
      """
    And a valid token
    And the token is altered after signing in its <segment>
    When the client connects
    Then the connection is refused with BF

    Examples:
      | kind    | segment |
      | rsa     | payload |
      | rsa     | header  |
      | ec-p256 | payload |
      | ed25519 | payload |
