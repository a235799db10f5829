@JWT-VC
Feature: JWT-VC Custom claim checks (verify_claims)
  verify_claims names claims the token must carry with given values;
  ${clientid} and ${username} in a value are the connecting client's.
  Unless a scenario says otherwise, its token carries every configured claim
  with the value rendered for the connecting client.

  @JWT-VC-01 @any-version
  Scenario Outline: JWT-VC-01 a <mode> token whose claim equals the configured value is accepted
    Requirement: "Each configured claim must be present in the token and equal to the
    configured value rendered as a string; a different value gives 0x86/4. The checks apply
    in every mode (HMAC, public key, JWKS)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>,
        "verify_claims": {"sub": "device-1", "tenant": "acme"}}]
      """
    And a valid token
    When the client connects
    Then the connection is accepted

    Examples:
      | mode       | mode_config                                                     |
      | HMAC       | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | public-key | "algorithm": "public-key", "public_key": "<any public key>" |

  @JWT-VC-01
  Scenario Outline: JWT-VC-01 a <mode> token whose claim differs from the configured value is refused
    Requirement: "Each configured claim must be present in the token and equal to the
    configured value rendered as a string; a different value gives 0x86/4. The checks apply
    in every mode (HMAC, public key, JWKS)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, <mode_config>,
        "verify_claims": {"sub": "device-1", "tenant": "acme"}}]
      """
    And the client speaks MQTT <version>
    And a valid token
    And the token's "tenant" claim is "<value>"
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | mode       | version | value | mode_config                                                     |
      | HMAC       | 5       | other | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | HMAC       | 5       | ACME  | "algorithm": "hmac-based", "secret": "emqxsecret"               |
      | public-key | 5       | other | "algorithm": "public-key", "public_key": "<any public key>" |

    @v311
    Examples: MQTT 3.1.1 return codes
      | mode | version | value | mode_config                                       |
      | HMAC | 3.1.1   | other | "algorithm": "hmac-based", "secret": "emqxsecret" |

  @JWT-VC-02 @any-version
  Scenario Outline: JWT-VC-02 ${<field>} binds the token to the client's <field>
    Requirement: "`${clientid}` and `${username}` in an expected value are replaced with the
    connecting client's Client ID and Username before comparison (e.g. `{"username":
    "${username}"}` binds the token to the username)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"bound": "${<field>}"}}]
      """
    And the client's client ID is "client-a"
    And the client's username is "user-a"
    And a valid token
    And the token's "bound" claim is "<claim>"
    When the client connects
    Then the connection is <outcome>

    Examples:
      | field    | claim       | outcome           |
      | username | user-a      | accepted          |
      | username | user-b      | refused with 0x86 |
      | username | ${username} | refused with 0x86 |
      | clientid | client-a    | accepted          |
      | clientid | client-b    | refused with 0x86 |
      | clientid | user-a      | refused with 0x86 |

  @JWT-VC-03 @any-version
  Scenario Outline: JWT-VC-03 a token without the configured claim <claim> is refused
    Requirement: "A configured claim missing from the token gives 0x86/4."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"sub": "device-1", "username": "${username}"}}]
      """
    And the client's username is "user-a"
    And a valid token
    And the token has no "<claim>" claim
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | claim    |
      | sub      |
      | username |

  @JWT-VC-03 @any-version
  Scenario Outline: JWT-VC-03 a token without the configured claim is refused even when the look-alike "<lookalike>" holds its value
    Requirement: "A configured claim missing from the token gives 0x86/4."
    The negative twin: a claim that only looks like the configured one carries what would
    pass.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"tenant": "acme"}}]
      """
    And a valid token
    And the token has no "tenant" claim
    And the token's "<lookalike>" claim is "acme"
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | lookalike |
      | Tenant    |
      | TENANT    |

  @JWT-VC-04 @any-version
  Scenario Outline: JWT-VC-04 an aud of <form> passes the expected aud
    Requirement: "An expected `aud` (templates allowed) passes when the token's `aud` is a
    string equal to it or an array containing it; a missing `aud`, `""`, `[]` or any other
    type gives 0x86/4."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"aud": "mqtt-broker"}}]
      """
    And a valid token
    And the token's "aud" claim is <aud>
    When the client connects
    Then the connection is accepted

    Examples:
      | form                        | aud                              |
      | the same string             | "mqtt-broker"                    |
      | an array holding it         | ["mqtt-broker"]                  |
      | an array holding it second  | ["other-service", "mqtt-broker"] |

  @JWT-VC-04 @any-version
  Scenario Outline: JWT-VC-04 an aud of <form> is refused
    Requirement: "An expected `aud` (templates allowed) passes when the token's `aud` is a
    string equal to it or an array containing it; a missing `aud`, `""`, `[]` or any other
    type gives 0x86/4."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"aud": "mqtt-broker"}}]
      """
    And a valid token
    And the token's "aud" claim is <aud>
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | form                        | aud                           |
      | another string              | "other-service"               |
      | an empty string             | ""                            |
      | an empty array              | []                            |
      | an array without it         | ["other-service"]             |
      | a number                    | 42                            |
      | an object                   | {"aud": "mqtt-broker"}        |
      | a boolean                   | true                          |

  @JWT-VC-04 @any-version
  Scenario: JWT-VC-04 a token without aud is refused when aud is expected
    Requirement: "An expected `aud` (templates allowed) passes when the token's `aud` is a
    string equal to it or an array containing it; a missing `aud`, `""`, `[]` or any other
    type gives 0x86/4."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"aud": "mqtt-broker"}}]
      """
    And a valid token
    And the token has no "aud" claim
    When the client connects
    Then the connection is refused with 0x86

  @JWT-VC-04 @any-version
  Scenario Outline: JWT-VC-04 an expected aud with a template is rendered: <aud>
    Requirement: "An expected `aud` (templates allowed) passes when the token's `aud` is a
    string equal to it or an array containing it; a missing `aud`, `""`, `[]` or any other
    type gives 0x86/4."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"aud": "broker-${clientid}"}}]
      """
    And the client's client ID is "client-a"
    And a valid token
    And the token's "aud" claim is <aud>
    When the client connects
    Then the connection is <outcome>

    Examples:
      | aud                           | outcome           |
      | ["x", "broker-client-a"]      | accepted          |
      | "broker-client-b"             | refused with 0x86 |

  @JWT-VC-04 @any-version
  Scenario Outline: JWT-VC-04 a token without aud is refused even when the look-alike "<lookalike>" holds the expected aud
    Requirement: "An expected `aud` (templates allowed) passes when the token's `aud` is a
    string equal to it or an array containing it; a missing `aud`, `""`, `[]` or any other
    type gives 0x86/4."
    The negative twin: a claim that only looks like `aud` carries what would pass.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"aud": "mqtt-broker"}}]
      """
    And a valid token
    And the token has no "aud" claim
    And the token's "<lookalike>" claim is "mqtt-broker"
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | lookalike |
      | Aud       |
      | AUD       |

  @JWT-VC-05 @any-version
  Scenario Outline: JWT-VC-05 a template mixing placeholders and text expects <expected>
    Requirement: "Templates may mix placeholders and literal text (`${username}-${clientid}`);
    a value the client did not send renders as empty, so with no Username that template
    expects `-myclient`."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"who": "${username}-${clientid}"}}]
      """
    And the client's client ID is "myclient"
    And <username>
    And a valid token
    And the token's "who" claim is "<claim>"
    When the client connects
    Then the connection is <outcome>

    Examples:
      | username                           | expected        | claim                   | outcome           |
      | the client's username is "alice"   | alice-myclient  | alice-myclient          | accepted          |
      | the client sends no username       | -myclient       | -myclient               | accepted          |
      | the client sends no username       | -myclient       | myclient                | refused with 0x86 |
      | the client sends no username       | -myclient       | ${username}-myclient    | refused with 0x86 |

  @JWT-VC-06 @any-version
  Scenario Outline: JWT-VC-06 the unknown placeholder <placeholder> stays literal text
    Requirement: "Any other placeholder (`${foo}`, `${password}`) stays literal text and the
    configuration is accepted, so such a claim matches only that literal string."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"k": "<placeholder>"}}]
      """
    And a valid token
    And the token's "k" claim is "<claim>"
    When the client connects
    Then the connection is <outcome>

    Examples:
      | placeholder  | claim       | outcome           |
      | ${foo}       | ${foo}      | accepted          |
      | ${foo}       |             | refused with 0x86 |
      | ${password}  | ${password} | accepted          |
      | ${password}  |             | refused with 0x86 |

  @JWT-VC-07 @any-version
  Scenario Outline: JWT-VC-07 a claim holding <form> never matches the expected string
    Requirement: "A claim whose value in the token is not a string (number, bool, array,
    object) never matches: `"uid": 123` against expected `"123"` gives 0x86/4."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"uid": "<expected>"}}]
      """
    And a valid token
    And the token's "uid" claim is <value>
    When the client connects
    Then the connection is <outcome>

    Examples:
      | form          | expected | value        | outcome           |
      | the string    | 123      | "123"        | accepted          |
      | a number      | 123      | 123          | refused with 0x86 |
      | a boolean     | true     | true         | refused with 0x86 |
      | an array      | 123      | ["123"]      | refused with 0x86 |
      | an object     | 123      | {"v": "123"} | refused with 0x86 |

  @JWT-VC-08 @any-version
  Scenario Outline: JWT-VC-08 a bad signature decides before a failing <claim>
    Requirement: "Checks run in the order signature, `aud`, `exp`/`nbf`, custom claims: a
    token that fails its signature gives BF even when its claims fail too (an expired token
    with a bad signature gets 0x87, not 0x86)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "verify_claims": {"aud": "mqtt-broker", "tenant": "acme"}}]
      """
    And a valid token
    And <claim_step>
    And the token is signed with another secret
    When the client connects
    Then the connection is refused with BF

    Examples:
      | claim   | claim_step                              |
      | exp     | the token's "exp" claim is NOW-60       |
      | nbf     | the token's "nbf" claim is NOW+3600     |
      | aud     | the token's "aud" claim is "other"      |
      | tenant  | the token's "tenant" claim is "other"   |

  @JWT-VC-09 @any-version
  Scenario Outline: JWT-VC-09 verify_claims as a list of name and value: <case>
    Requirement: "`verify_claims` may be configured as a map `{claim: value}` or a list of
    `{name, value}` objects; an empty claim name is refused at configuration (management
    API: HTTP 400)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret",
        "verify_claims": [{"name": "sub", "value": "device-1"}, {"name": "who", "value": "${clientid}"}]}]
      """
    And the client's client ID is "client-a"
    And a valid token
    And <case>
    When the client connects
    Then the connection is <outcome>

    Examples:
      | case                                    | outcome           |
      | the token's "sub" claim is "device-1"   | accepted          |
      | the token's "who" claim is "client-a"   | accepted          |
      | the token's "sub" claim is "device-2"   | refused with 0x86 |
      | the token's "who" claim is "client-b"   | refused with 0x86 |
      | the token has no "who" claim            | refused with 0x86 |

  @JWT-VC-09
  Scenario Outline: JWT-VC-09 an empty claim name in <form> form is refused at creation
    Requirement: "`verify_claims` may be configured as a map `{claim: value}` or a list of
    `{name, value}` objects; an empty claim name is refused at configuration (management
    API: HTTP 400)."

    Given no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
       "secret": "emqxsecret", "verify_claims": <verify_claims>}
      """
    Then creating the authenticator is refused
    And the chain has no "jwt" authenticator

    Examples:
      | form | verify_claims                       |
      | map  | {"": "x"}                           |
      | list | [{"name": "", "value": "x"}]        |

  @JWT-VC-09
  Scenario Outline: JWT-VC-09 verify_claims in <form> form is accepted at creation
    Requirement: "`verify_claims` may be configured as a map `{claim: value}` or a list of
    `{name, value}` objects; an empty claim name is refused at configuration (management
    API: HTTP 400)."

    Given no authenticator is configured
    When the authenticator is created with:
      """json
      {"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
       "secret": "emqxsecret", "verify_claims": <verify_claims>}
      """
    Then creating the authenticator succeeds
    And the chain has a "jwt" authenticator

    Examples:
      | form | verify_claims                         |
      | map  | {"sub": "x"}                          |
      | list | [{"name": "sub", "value": "x"}]       |
