@CHAIN
Feature: CHAIN The authentication chain
  Authenticators run in order; each accepts, denies, or ignores the client
  (passes it on). The second authenticator of these scenarios is EMQX's
  built-in database of users and passwords.

  @CHAIN-01 @any-version
  Scenario: CHAIN-01 the first authenticator that accepts decides
    Requirement: "Authenticators run in the configured order and disabled ones are skipped;
    "ignore" passes the client to the next, and the first accept or deny decides."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"},
       {"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "username"}]
      """
    And the built-in database has user "alice" with password "database-password"
    And the client's username is "alice"
    And a valid token
    When the client connects
    Then the connection is accepted

  @CHAIN-01 @any-version
  Scenario: CHAIN-01 the first authenticator that denies decides
    Requirement: "Authenticators run in the configured order and disabled ones are skipped;
    "ignore" passes the client to the next, and the first accept or deny decides."

    Given the authentication chain:
      """json
      [{"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "username"},
       {"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the built-in database has user "alice" with password "database-password"
    And the client's username is "alice"
    And a valid token
    When the client connects
    Then the connection is refused with 0x86

  @CHAIN-01 @any-version
  Scenario: CHAIN-01 an authenticator that ignores the client passes it to the next
    Requirement: "Authenticators run in the configured order and disabled ones are skipped;
    "ignore" passes the client to the next, and the first accept or deny decides."

    Given the authentication chain:
      """json
      [{"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "username"},
       {"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the built-in database has user "alice" with password "database-password"
    And the client's username is "bob"
    And a valid token
    When the client connects
    Then the connection is accepted

  @CHAIN-01 @any-version
  Scenario Outline: CHAIN-01 a database authenticator with enable <enable> <effect>
    Requirement: "Authenticators run in the configured order and disabled ones are skipped;
    "ignore" passes the client to the next, and the first accept or deny decides."

    Given the authentication chain:
      """json
      [{"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "username",
        "enable": <enable>},
       {"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the built-in database has user "alice" with password "database-password"
    And the client's username is "alice"
    And a valid token
    When the client connects
    Then the connection is <outcome>

    Examples:
      | enable | effect                                  | outcome           |
      | true   | denies a wrong password                 | refused with 0x86 |
      | false  | is skipped and the JWT decides          | accepted          |

  @CHAIN-02
  Scenario Outline: CHAIN-02 a client every authenticator ignores is refused (MQTT <version>)
    Requirement: "When every authenticator ignores the client, it is refused with 0x87/5."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "on_missing_jwt": "ignore"},
       {"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "username"}]
      """
    And the built-in database has user "alice" with password "database-password"
    And the client speaks MQTT <version>
    And the client's username is "bob"
    And the client sends no password
    When the client connects
    Then the connection is refused with 0x87

    Examples:
      | version |
      | 5       |

    @v311
    Examples: MQTT 3.1.1 return codes
      | version |
      | 3.1.1   |

  @CHAIN-03
  Scenario Outline: CHAIN-03 with no authenticator the <profile> profile gives <outcome> (MQTT <version>)
    Requirement: "With no authenticator configured, legacy accepts every client (0x00, also
    for a CONNECT carrying an Authentication-Method, whose CONNACK echoes the method), while
    hardened refuses every client with 0x87/5."

    Given no authenticator is configured
    And the security profile is <profile>
    And the client speaks MQTT <version>
    And the client's password is "anything"
    When the client connects
    Then the connection is <outcome>

    Examples:
      | profile  | version | outcome           |
      | legacy   | 5       | accepted          |
      | hardened | 5       | refused with 0x87 |

    @v311
    Examples: MQTT 3.1.1 return codes
      | profile  | version | outcome           |
      | legacy   | 3.1.1   | accepted          |
      | hardened | 3.1.1   | refused with 0x87 |

  @CHAIN-03
  Scenario: CHAIN-03 with no authenticator legacy accepts an Authentication-Method and echoes it
    Requirement: "With no authenticator configured, legacy accepts every client (0x00, also
    for a CONNECT carrying an Authentication-Method, whose CONNACK echoes the method), while
    hardened refuses every client with 0x87/5."

    Given no authenticator is configured
    And the client's CONNECT carries Authentication-Method "SCRAM-SHA-256"
    When the client connects
    Then the connection is accepted
    And the CONNACK carries Authentication-Method "SCRAM-SHA-256"

  @CHAIN-03
  Scenario: CHAIN-03 with no authenticator hardened refuses an Authentication-Method
    Requirement: "With no authenticator configured, legacy accepts every client (0x00, also
    for a CONNECT carrying an Authentication-Method, whose CONNACK echoes the method), while
    hardened refuses every client with 0x87/5."

    Given no authenticator is configured
    And the security profile is hardened
    And the client's CONNECT carries Authentication-Method "SCRAM-SHA-256"
    When the client connects
    Then the connection is refused with 0x87

  @CHAIN-04 @any-version
  Scenario Outline: CHAIN-04 a precondition on <variable> that renders <rendered> <effect>
    Requirement: "An authenticator with a `precondition` is skipped, as if it ignored the
    client, unless the expression renders to `"true"` for that client (e.g. a precondition
    on `listener` or `username`)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "precondition": "<precondition>"}]
      """
    And the client's username is "<username>"
    And a valid token
    When the client connects
    Then the connection is <outcome>

    Examples:
      | variable | precondition                      | username | rendered | effect            | outcome           |
      | username | str_eq(username, 'alice')         | alice    | true     | runs it           | accepted          |
      | username | str_eq(username, 'alice')         | bob      | false    | skips it          | refused with 0x87 |
      | listener | str_eq(listener, 'tcp:default')   | bob      | true     | runs it           | accepted          |
      | listener | str_eq(listener, 'ssl:default')   | bob      | false    | skips it          | refused with 0x87 |
      | username | concat([username, '-x'])          | alice    | alice-x  | skips it          | refused with 0x87 |

  @CHAIN-04 @any-version
  Scenario: CHAIN-04 a skipped authenticator passes the client to the next one
    Requirement: "An authenticator with a `precondition` is skipped, as if it ignored the
    client, unless the expression renders to `"true"` for that client (e.g. a precondition
    on `listener` or `username`)."

    Given the authentication chain:
      """json
      [{"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "username",
        "precondition": "str_eq(username, 'nobody')"},
       {"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the built-in database has user "alice" with password "database-password"
    And the client's username is "alice"
    And a valid token
    When the client connects
    Then the connection is accepted

  @CHAIN-05 @exact-config
  Scenario Outline: CHAIN-05 a bad JWT signature before an accepting authenticator under <profile> gives <outcome> (MQTT <version>)
    Requirement: "A JWT with a bad signature followed by an authenticator that accepts the
    client ends in 0x00 under legacy and 0x87/5 under hardened (unless
    `ignore_backend_failures` is true)."
    The token is the catalogue's seed token (signed with "emqxsecret"), which the JWT
    authenticator, configured with another secret, cannot verify; the database knows the
    client with that token as its password.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "not-the-signing-secret"},
       {"mechanism": "password_based", "backend": "built_in_database", "user_id_type": "username"}]
      """
    And the security profile is <profile>
    And authentication_settings.ignore_backend_failures is <ignore>
    And the built-in database has user "alice" with the seed token as password
    And the client speaks MQTT <version>
    And the client's username is "alice"
    And the seed token from the catalogue
    When the client connects
    Then the connection is <outcome>

    Examples:
      | profile  | ignore | version | outcome           |
      | legacy   | false  | 5       | accepted          |
      | hardened | false  | 5       | refused with 0x87 |
      | hardened | true   | 5       | accepted          |

    @v311
    Examples: MQTT 3.1.1 return codes
      | profile  | ignore | version | outcome           |
      | legacy   | false  | 3.1.1   | accepted          |
      | hardened | false  | 3.1.1   | refused with 0x87 |

  @CHAIN-06
  Scenario Outline: CHAIN-06 a JWT client is accepted by a chain of <order>
    Requirement: "Password-style authenticators (JWT, HTTP) ignore CONNECTs carrying an
    Authentication-Method and SCRAM ignores those without one, so one chain of JWT and SCRAM
    accepts both a JWT client and a SCRAM client."
    The JWT client is an MQTT 5 client with its token in the Password and no
    Authentication-Method: with SCRAM first, SCRAM must pass it on to the JWT authenticator.

    Given the authentication chain:
      """json
      [<first>, <second>]
      """
    And a valid token
    When the client connects
    Then the connection is accepted

    Examples:
      | order          | first                                                                                                             | second                                                                                                            |
      | JWT then SCRAM | {"mechanism": "jwt", "use_jwks": false, "algorithm": "hmac-based", "secret": "emqxsecret"}                        | {"mechanism": "scram", "backend": "http", "method": "get", "url": "<scram backend url>/auth?username=${username}"} |
      | SCRAM then JWT | {"mechanism": "scram", "backend": "http", "method": "get", "url": "<scram backend url>/auth?username=${username}"} | {"mechanism": "jwt", "use_jwks": false, "algorithm": "hmac-based", "secret": "emqxsecret"}                        |

  @CHAIN-06
  Scenario Outline: CHAIN-06 a SCRAM client is accepted by a chain of <order>
    Requirement: "Password-style authenticators (JWT, HTTP) ignore CONNECTs carrying an
    Authentication-Method and SCRAM ignores those without one, so one chain of JWT and SCRAM
    accepts both a JWT client and a SCRAM client."
    With the JWT authenticator first, it must pass the SCRAM client on without reading a token
    from its Password.

    Given the authentication chain:
      """json
      [<first>, <second>]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the broker sent AUTH 0x18 with Authentication-Method "SCRAM-SHA-256"
    And the connection is accepted
    And the CONNACK's server signature verifies

    Examples:
      | order          | first                                                                                                             | second                                                                                                            |
      | JWT then SCRAM | {"mechanism": "jwt", "use_jwks": false, "algorithm": "hmac-based", "secret": "emqxsecret"}                        | {"mechanism": "scram", "backend": "http", "method": "get", "url": "<scram backend url>/auth?username=${username}"} |
      | SCRAM then JWT | {"mechanism": "scram", "backend": "http", "method": "get", "url": "<scram backend url>/auth?username=${username}"} | {"mechanism": "jwt", "use_jwks": false, "algorithm": "hmac-based", "secret": "emqxsecret"}                        |
