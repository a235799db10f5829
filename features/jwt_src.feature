@JWT-SRC
Feature: JWT-SRC Where the token comes from
  The JWT authenticator reads its token from one CONNECT field, chosen by its
  `from` setting, and does not look at the other one.

  @JWT-SRC-01 @any-version
  Scenario: JWT-SRC-01 a valid token in the Password is accepted whatever the Username
    Requirement: "By default (`from: password`) the JWT is read from the CONNECT Password
    field and any Username is accepted; a valid token gives 0x00."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the client's username is "any-username-at-all"
    When the client connects
    Then the connection is accepted

  @JWT-SRC-01 @any-version
  Scenario: JWT-SRC-01 a valid token in the Password is accepted without a Username
    Requirement: "By default (`from: password`) the JWT is read from the CONNECT Password
    field and any Username is accepted; a valid token gives 0x00."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "use_jwks": false, "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the client sends no username
    When the client connects
    Then the connection is accepted

  @JWT-SRC-01 @any-version
  Scenario: JWT-SRC-01 a valid token in the Username is not used when the token is read from the Password
    Requirement: "By default (`from: password`) the JWT is read from the CONNECT Password
    field and any Username is accepted; a valid token gives 0x00."
    The negative twin: the Username carries what would pass, the Password does not.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the client sends the token as its username
    And the client's password is "not-a-token"
    When the client connects
    Then the connection is refused with BF

  @JWT-SRC-02 @any-version
  Scenario: JWT-SRC-02 with from username the token is read from the Username
    Requirement: "With `from: username` the JWT is read from the Username field and the
    Password is not used."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "username", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the client's password is "not-a-token"
    When the client connects
    Then the connection is accepted

  @JWT-SRC-02 @any-version
  Scenario: JWT-SRC-02 with from username no Password is needed
    Requirement: "With `from: username` the JWT is read from the Username field and the
    Password is not used."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "username", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the client sends no password
    When the client connects
    Then the connection is accepted

  @JWT-SRC-02 @any-version
  Scenario: JWT-SRC-02 with from username a valid token in the Password is not used
    Requirement: "With `from: username` the JWT is read from the Username field and the
    Password is not used."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "username", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the client sends the token as its password
    And the client's username is "plain-username"
    When the client connects
    Then the connection is refused with BF

  @JWT-SRC-03
  Scenario Outline: JWT-SRC-03 a missing <field> with on_missing_jwt <on_missing> gives <code>
    Requirement: "When the configured field is absent (no Password, or no Username with
    `from: username`), `on_missing_jwt` decides: `ignore` passes the client on (0x87/5 when
    JWT is alone), `deny` refuses it with 0x86/4."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "<field>", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "on_missing_jwt": "<on_missing>"}]
      """
    And the client speaks MQTT <version>
    And the client sends no <field>
    When the client connects
    Then the connection is refused with <code>

    Examples:
      | field    | on_missing | version | code |
      | password | ignore     | 5       | 0x87 |
      | password | deny       | 5       | 0x86 |
      | username | ignore     | 5       | 0x87 |
      | username | deny       | 5       | 0x86 |

    @v311
    Examples: MQTT 3.1.1 return codes
      | field    | on_missing | version | code |
      | password | ignore     | 3.1.1   | 0x87 |
      | password | deny       | 3.1.1   | 0x86 |

  @JWT-SRC-03 @any-version
  Scenario Outline: JWT-SRC-03 the default of on_missing_jwt under the <profile> profile gives <code>
    Requirement: "The default is `ignore` under legacy and `deny` under hardened."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the security profile is <profile>
    And the client sends no password
    When the client connects
    Then the connection is refused with <code>

    Examples:
      | profile  | code |
      | legacy   | 0x87 |
      | hardened | 0x86 |

  @JWT-SRC-03 @any-version
  Scenario Outline: JWT-SRC-03 no Password with a valid token in the Username and on_missing_jwt <on_missing> gives <code>
    Requirement: "When the configured field is absent (no Password, or no Username with
    `from: username`), `on_missing_jwt` decides: `ignore` passes the client on (0x87/5 when
    JWT is alone), `deny` refuses it with 0x86/4. This holds even when the other field
    carries a valid token: the authenticator never looks there."
    The negative twin: the other field carries what would pass.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "on_missing_jwt": "<on_missing>"}]
      """
    And a valid token
    And the client sends the token as its username
    And the client sends no password
    When the client connects
    Then the connection is refused with <code>

    Examples:
      | on_missing | code |
      | ignore     | 0x87 |
      | deny       | 0x86 |

  @JWT-SRC-03
  Scenario Outline: JWT-SRC-03 no Username with a valid token in the Password and on_missing_jwt <on_missing> gives <code>
    Requirement: "When the configured field is absent (no Password, or no Username with
    `from: username`), `on_missing_jwt` decides: `ignore` passes the client on (0x87/5 when
    JWT is alone), `deny` refuses it with 0x86/4. This holds even when the other field
    carries a valid token: the authenticator never looks there."
    The negative twin: the other field carries what would pass. MQTT 5 only: a 3.1.1
    CONNECT may not carry a Password without a Username.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "username", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "on_missing_jwt": "<on_missing>"}]
      """
    And a valid token
    And the client sends the token as its password
    And the client sends no username
    When the client connects
    Then the connection is refused with <code>

    Examples:
      | on_missing | code |
      | ignore     | 0x87 |
      | deny       | 0x86 |

  @JWT-SRC-04
  Scenario Outline: JWT-SRC-04 an MQTT <version> client with <case> gets <outcome>
    Requirement: "MQTT 5.0 and MQTT 3.1.1 clients authenticate with a JWT the same way; a
    3.1.1 client gets return code 4 where MQTT 5 gets 0x86, and 5 where MQTT 5 gets 0x87."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client speaks MQTT <version>
    And a valid token
    And <case>
    When the client connects
    Then the connection is <outcome>

    Examples:
      | version | case                                    | outcome           |
      | 5       | the token's "sub" claim is "device-1"   | accepted          |
      | 5       | the token's "exp" claim is NOW-60       | refused with 0x86 |
      | 5       | the token is signed with another secret | refused with 0x87 |

    @v311
    Examples: MQTT 3.1.1 return codes
      | version | case                                    | outcome           |
      | 3.1.1   | the token's "sub" claim is "device-1"   | accepted          |
      | 3.1.1   | the token's "exp" claim is NOW-60       | refused with 0x86 |
      | 3.1.1   | the token is signed with another secret | refused with 0x87 |

  @JWT-SRC-05
  Scenario Outline: JWT-SRC-05 a CONNECT with Authentication-Method <method> is ignored by JWT
    Requirement: "An MQTT 5 CONNECT that carries an Authentication-Method property is
    ignored by the JWT authenticator whatever its Password holds, so with JWT alone it gets
    0x87."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "on_missing_jwt": "deny"}]
      """
    And a valid token
    And the client's CONNECT carries Authentication-Method "<method>"
    When the client connects
    Then the connection is refused with 0x87

    Examples:
      | method        |
      | SCRAM-SHA-256 |
      | JWT           |

  @JWT-SRC-06
  Scenario Outline: JWT-SRC-06 an empty Password is a malformed token, even with on_missing_jwt <on_missing>
    Requirement: "A zero-length Password is present, not missing: it is parsed as a
    malformed token and gives BF (0x87/5 when JWT is alone), even with `on_missing_jwt:
    deny`."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "on_missing_jwt": "<on_missing>"}]
      """
    And the client speaks MQTT <version>
    And the client sends an empty password
    When the client connects
    Then the connection is refused with BF

    Examples:
      | on_missing | version |
      | deny       | 5       |
      | ignore     | 5       |

    @v311
    Examples: MQTT 3.1.1 return codes
      | on_missing | version |
      | deny       | 3.1.1   |
      | ignore     | 3.1.1   |

  @JWT-SRC-07 @any-version
  Scenario Outline: JWT-SRC-07 a token that is not a JWS compact form gives BF: <shape>
    Requirement: "Only the JWS compact form (three base64url parts, no padding) is parsed: a
    five-part JWE, a `Bearer ` prefix, `=` padding in a segment, or any other string gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And <shape>
    When the client connects
    Then the connection is refused with BF

    Examples:
      | shape                                         |
      | the token is a five-part JWE                  |
      | the token carries a "Bearer " prefix          |
      | the token's segments carry "=" padding        |
      | the token's payload is not valid base64url    |
      | the token's header is not JSON                |
      | the token's payload is not JSON               |
      | the token is the text "not-a-jwt"             |
      | the token is the text "a.b"                   |
      | the token is the text "..."                   |

    Examples: JWS format abuse
      | shape                                                                     |
      | the token's segments use the "+/" alphabet                                |
      | the token has a line break inside its payload                             |
      | the token has a space inside its signature                                |
      | the token has a NUL byte inside its header                                |
      | the token has a byte that is not UTF-8 inside its payload                 |
      | the token ends with a trailing dot                                        |
      | the token is a JWE of a valid token, encrypted with the configured secret |
      | the token is a JWS whose payload is a valid token (cty "JWT")             |

    Examples: JSON text a careless parser forgives
      A parser that keeps the first of two equal names reads alg HS256 and checks the valid
      signature; RFC 7515 lets a verifier refuse duplicates or keep the last (alg none here),
      and both refuse.
      | shape                                                                            |
      | the token's header is the JSON text {"alg":"HS256","typ":"JWT","alg":"none"}     |
      | the token's header JSON starts with a byte-order mark                            |
      | the token's payload JSON starts with a byte-order mark                           |
      | the token's payload JSON is UTF-16                                               |
      | the token's payload is the JSON text {"sub":"authspec","exp":NOW+3600,"nbf":NaN} |
      | the token's payload is the JSON text {"sub":"authspec","nbf":-Infinity}          |
