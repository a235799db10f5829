@JWT-CLAIM
Feature: JWT-CLAIM Standard claims
  A token whose signature verifies is still refused with 0x86 when its time
  claims say it is not valid now. NOW in a claim value is the suite's clock
  in Unix seconds when the token is minted; NOW+N and NOW-N offset it.

  @JWT-CLAIM-01
  Scenario Outline: JWT-CLAIM-01 a token whose exp is <when> gets <outcome>
    Requirement: "`exp` in the past gives 0x86/4; `exp` in the future is accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client speaks MQTT <version>
    And a valid token
    And the token's "exp" claim is <exp>
    When the client connects
    Then the connection is <outcome>

    Examples:
      | when                | exp        | version | outcome           |
      | an hour ago         | NOW-3600   | 5       | refused with 0x86 |
      | a minute ago        | NOW-60     | 5       | refused with 0x86 |
      | in an hour          | NOW+3600   | 5       | accepted          |

    @v311
    Examples: MQTT 3.1.1 return codes
      | when                | exp        | version | outcome           |
      | a minute ago        | NOW-60     | 3.1.1   | refused with 0x86 |
      | in an hour          | NOW+3600   | 3.1.1   | accepted          |

  @JWT-CLAIM-01 @any-version
  Scenario Outline: JWT-CLAIM-01 an exp in the past is refused even when the look-alike "<lookalike>" holds a future time
    Requirement: "`exp` in the past gives 0x86/4; `exp` in the future is accepted."
    The negative twin: a claim that only looks like `exp` carries what would pass.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "exp" claim is NOW-60
    And the token's "<lookalike>" claim is NOW+3600
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | lookalike |
      | Exp       |
      | EXP       |

  @JWT-CLAIM-01 @any-version
  Scenario Outline: JWT-CLAIM-01 a token whose claims name exp twice, the last <when>, is refused
    Requirement: "`exp` in the past gives 0x86/4; `exp` in the future is accepted."
    RFC 7515 section 4 (and RFC 7519 section 4) let a parser refuse duplicate member names or
    keep the last one: the reference keeps the last (0x86), a refusing one gives BF. A
    parser that keeps the first reads the future exp and lets an expired token in.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's payload is the JSON text {"sub":"authspec","exp":NOW+3600,"exp":<exp>}
    When the client connects
    Then the connection is refused

    Examples:
      | when        | exp      |
      | an hour ago | NOW-3600 |

  @JWT-CLAIM-02
  Scenario Outline: JWT-CLAIM-02 a token whose nbf is <when> gets <outcome>
    Requirement: "`nbf` in the future gives 0x86/4; `nbf` in the past is accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client speaks MQTT <version>
    And a valid token
    And the token's "nbf" claim is <nbf>
    When the client connects
    Then the connection is <outcome>

    Examples:
      | when           | nbf      | version | outcome           |
      | in a minute    | NOW+60   | 5       | refused with 0x86 |
      | in an hour     | NOW+3600 | 5       | refused with 0x86 |
      | a minute ago   | NOW-60   | 5       | accepted          |

    @v311
    Examples: MQTT 3.1.1 return codes
      | when           | nbf      | version | outcome           |
      | in a minute    | NOW+60   | 3.1.1   | refused with 0x86 |

  @JWT-CLAIM-02 @any-version
  Scenario Outline: JWT-CLAIM-02 an nbf in the future is refused even when the look-alike "<lookalike>" holds a past time
    Requirement: "`nbf` in the future gives 0x86/4; `nbf` in the past is accepted."
    The negative twin: a claim that only looks like `nbf` carries what would pass.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "nbf" claim is NOW+3600
    And the token's "<lookalike>" claim is NOW-60
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | lookalike |
      | Nbf       |
      | NBF       |

  @JWT-CLAIM-03 @ambiguity @A4 @any-version
  Scenario Outline: JWT-CLAIM-03 a token whose iat is <when> is accepted
    Requirement: "`iat` decides nothing: a token with `iat` in the future is accepted. The
    docs say iat is checked; EMQX's code ignores it and its tests assert it "should not
    matter" (ambiguity A4)."
    Ambiguity A4, reading 1 (the docs): `iat` is checked, so a token issued in the future is
    refused. Reading 2 (EMQX's code and tests, the reference): `iat` is ignored and the
    token is accepted.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "iat" claim is <iat>
    When the client connects
    Then the connection is accepted

    Examples:
      | when         | iat        |
      | in an hour   | NOW+3600   |
      | in a day     | NOW+86400  |
      | not a number | "whenever" |

  @JWT-CLAIM-03 @ambiguity @A4 @A4=iat-checked @any-version
  Scenario Outline: JWT-CLAIM-03 under reading iat-checked a token whose iat is <when> is refused
    Requirement: "`iat` decides nothing: a token with `iat` in the future is accepted. The
    docs say iat is checked; EMQX's code ignores it and its tests assert it "should not
    matter" (ambiguity A4)."
    Ambiguity A4, reading iat-checked (the docs), for a profile that declares it: a token
    issued in the future is refused as a failed claim.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "iat" claim is <iat>
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | when       | iat       |
      | in an hour | NOW+3600  |
      | in a day   | NOW+86400 |

  @JWT-CLAIM-04 @ambiguity @A1 @any-version
  Scenario: JWT-CLAIM-04 a token without exp is accepted and the connection stays open
    Requirement: "A token without `exp` is accepted and never expires (no disconnect timer,
    no ACL expiry); one document says `exp` is required (ambiguity A1)."
    Ambiguity A1, reading 1 (one document): `exp` is required and a token without it may be
    refused. Reading 2 (EMQX and the reference, and the same document's default token): a
    token without `exp` is accepted and never expires.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token has no "exp" claim
    When the client connects
    Then the connection is accepted
    And the connection is still open after 1 second

  @JWT-CLAIM-04 @ambiguity @A1 @A1=exp-required @any-version
  Scenario: JWT-CLAIM-04 under reading exp-required a token without exp is refused
    Requirement: "A token without `exp` is accepted and never expires (no disconnect timer,
    no ACL expiry); one document says `exp` is required (ambiguity A1)."
    Ambiguity A1, reading exp-required (one document), for a profile that declares it: a
    token without `exp` is refused as a failed claim, while one with `exp` is accepted.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token has no "exp" claim
    When the client connects
    Then the connection is refused with 0x86

  @JWT-CLAIM-05 @any-version
  Scenario Outline: JWT-CLAIM-05 <claim> written as <form> <value> gets <outcome>
    Requirement: "`exp` and `nbf` may be JSON numbers (fractions allowed, but see
    JWT-CLAIM-09) or numeric strings (`"1719830400"`, `"17.5"`), which are converted before
    the check; any other value (bool, null, object, `"1e9"`, other text) gives 0x86/4."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "disconnect_after_expire": false}]
      """
    And a valid token
    And the token's "<claim>" claim is <value>
    When the client connects
    Then the connection is <outcome>

    Examples: values that are converted and checked
      | claim | form                       | value          | outcome           |
      | exp   | a number with a fraction   | NOW+3600.5     | accepted          |
      | exp   | a numeric string           | "NOW+3600"     | accepted          |
      | exp   | a numeric string           | "NOW-60"       | refused with 0x86 |
      | exp   | a fractional string        | "17.5"         | refused with 0x86 |
      | nbf   | a numeric string           | "NOW-60"       | accepted          |
      | nbf   | a numeric string           | "NOW+3600"     | refused with 0x86 |
      | nbf   | a fractional string        | "17.5"         | accepted          |

    Examples: values that are refused
      | claim | form                       | value          | outcome           |
      | exp   | a boolean                  | true           | refused with 0x86 |
      | exp   | null                       | null           | refused with 0x86 |
      | exp   | an object                  | {"at": 1}      | refused with 0x86 |
      | exp   | an exponent string         | "1e12"         | refused with 0x86 |
      | exp   | other text                 | "tomorrow"     | refused with 0x86 |
      | nbf   | a boolean                  | false          | refused with 0x86 |
      | nbf   | other text                 | "yesterday"    | refused with 0x86 |

    Examples: values out of range, which careless readers wrap, trim or zero
      A 64-bit reader wraps NOW-3600+2^64 to an hour ago; EMQX's integers are unbounded, so
      nbf is far in the future. 1e400 is no float: the reference refuses it as not a number
      (0x86), a reader that fails on it may refuse the whole payload (BF), and one that
      reads it as 0 lets the client in.
      | claim | form                                   | value            | outcome           |
      | exp   | a hexadecimal string                   | "0x7fffffffffff" | refused with 0x86 |
      | exp   | a numeric string with a leading space  | " NOW+3600"      | refused with 0x86 |
      | exp   | a numeric string with a trailing space | "NOW+3600 "      | refused with 0x86 |
      | nbf   | an integer beyond 64 bits              | NOW-3600+2^64    | refused with 0x86 |
      | exp   | a negative integer beyond 64 bits      | NOW+3600-2^64    | refused with 0x86 |
      | nbf   | a number beyond float range            | 1e400            | refused           |
      | exp   | a negative number beyond float range   | -1e400           | refused           |

  @JWT-CLAIM-06 @any-version
  Scenario: JWT-CLAIM-06 a token whose exp is exactly now is refused
    Requirement: "Boundaries, in whole seconds of the broker's clock with no leeway: `exp`
    must be strictly after now (`exp` equal to now gives 0x86/4); `nbf` equal to now is
    accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "exp" claim is NOW
    When the client connects
    Then the connection is refused with 0x86

  @JWT-CLAIM-06 @any-version
  Scenario: JWT-CLAIM-06 a token whose nbf is exactly now is accepted
    Requirement: "Boundaries, in whole seconds of the broker's clock with no leeway: `exp`
    must be strictly after now (`exp` equal to now gives 0x86/4); `nbf` equal to now is
    accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "nbf" claim is NOW
    When the client connects
    Then the connection is accepted

  @JWT-CLAIM-06 @any-version
  Scenario: JWT-CLAIM-06 a token whose exp passed a second ago is refused, with no leeway
    Requirement: "Boundaries, in whole seconds of the broker's clock with no leeway: `exp`
    must be strictly after now (`exp` equal to now gives 0x86/4); `nbf` equal to now is
    accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "exp" claim is NOW-1
    When the client connects
    Then the connection is refused with 0x86

  @JWT-CLAIM-07 @any-version
  Scenario Outline: JWT-CLAIM-07 is_superuser <value> makes <who>
    Requirement: "`is_superuser` counts as true when it is `true`, `"true"`, `"1"`, an integer
    >= 1 or a string holding an integer >= 1 (`"2"`); any other value (`false`, `0`, `"yes"`,
    `1.0`, `null`) makes an ordinary client, and the connection is accepted either way."
    The token carries no acl and no_match is deny, so only a superuser may subscribe.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And a valid token
    And the token's "is_superuser" claim is <value>
    When the client connects
    Then the connection is accepted
    And the client <may> subscribe to "any/#"

    Examples: values that count as true
      | value  | who         | may |
      | true   | a superuser | may |
      | "true" | a superuser | may |
      | "1"    | a superuser | may |
      | 1      | a superuser | may |
      | 2      | a superuser | may |
      | "2"    | a superuser | may |

    Examples: values that do not
      | value | who                | may     |
      | false | an ordinary client | may not |
      | 0     | an ordinary client | may not |
      | "0"   | an ordinary client | may not |
      | "yes" | an ordinary client | may not |
      | 1.0   | an ordinary client | may not |
      | null  | an ordinary client | may not |

  @JWT-CLAIM-08 @any-version
  Scenario: JWT-CLAIM-08 clientid_override registers the client under the new Client ID
    Requirement: "A non-empty string claim `clientid_override` replaces the client's Client
    ID after authentication: the broker registers the client under the new ID (EMQX: the
    clients REST API lists it there)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client's client ID is "original-id"
    And a valid token
    And the token's "clientid_override" claim is "overridden-id"
    When the client connects
    Then the connection is accepted
    And the broker shows the client under client ID "overridden-id"

  @JWT-CLAIM-08 @any-version
  Scenario: JWT-CLAIM-08 an empty clientid_override leaves the Client ID as it is
    Requirement: "A non-empty string claim `clientid_override` replaces the client's Client
    ID after authentication: the broker registers the client under the new ID (EMQX: the
    clients REST API lists it there)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client's client ID is "original-id"
    And a valid token
    And the token's "clientid_override" claim is ""
    When the client connects
    Then the connection is accepted
    And the broker shows the client under client ID "original-id"

  @JWT-CLAIM-09 @ambiguity @A14 @any-version
  Scenario Outline: JWT-CLAIM-09 a fractional exp with disconnect_after_expire <disconnect> gets <outcome>
    Requirement: "A fractional `exp` (e.g. now + 10.5) with `disconnect_after_expire: true`
    (the default) gives BF, because EMQX's disconnect timer cannot take it; with `false` the
    token is accepted (ambiguity A14)."
    Ambiguity A14, reading 1 (the docs, silent): a fractional `exp` in the future is a
    valid expiry and the token is accepted either way. Reading 2 (EMQX's code, the
    reference): with `disconnect_after_expire: true` it gives BF; with `false` it is
    accepted.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "disconnect_after_expire": <disconnect>}]
      """
    And a valid token
    And the token's "exp" claim is NOW+3600.5
    When the client connects
    Then the connection is <outcome>

    Examples:
      | disconnect | outcome         |
      | true       | refused with BF |
      | false      | accepted        |

  @JWT-CLAIM-09 @ambiguity @A14 @any-version
  Scenario: JWT-CLAIM-09 a fractional exp with the default disconnect_after_expire gives BF
    Requirement: "A fractional `exp` (e.g. now + 10.5) with `disconnect_after_expire: true`
    (the default) gives BF, because EMQX's disconnect timer cannot take it; with `false` the
    token is accepted (ambiguity A14)."
    Ambiguity A14: see the scenario above; the default of `disconnect_after_expire` is true.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "exp" claim is NOW+3600.5
    When the client connects
    Then the connection is refused with BF

  @JWT-CLAIM-09 @ambiguity @A14 @A14=fraction-accepted @any-version
  Scenario Outline: JWT-CLAIM-09 under reading fraction-accepted a fractional exp with disconnect_after_expire <disconnect> is accepted
    Requirement: "A fractional `exp` (e.g. now + 10.5) with `disconnect_after_expire: true`
    (the default) gives BF, because EMQX's disconnect timer cannot take it; with `false` the
    token is accepted (ambiguity A14)."
    Ambiguity A14, reading fraction-accepted (the docs, silent), for a profile that declares
    it: a fractional `exp` in the future is a valid expiry either way.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "disconnect_after_expire": <disconnect>}]
      """
    And a valid token
    And the token's "exp" claim is NOW+3600.5
    When the client connects
    Then the connection is accepted

    Examples:
      | disconnect |
      | true       |
      | false      |
