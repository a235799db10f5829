@JWT-ATTR
Feature: JWT-ATTR Client attributes from the token (client_attrs)
  A verified token's client_attrs claim sets the client's attributes, which
  the broker shows (EMQX: GET /api/v5/clients/{clientid}) and which ACL
  rules read as ${client_attrs.NAME}.

  @JWT-ATTR-01 @any-version
  Scenario: JWT-ATTR-01 client_attrs become the client's attributes
    Requirement: "A `client_attrs` object with string keys and values becomes the client's
    attributes, visible where the broker shows them (EMQX: the clients REST API) and usable
    as `${client_attrs.NAME}` in ACL rules."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client's client ID is "attr-client-1"
    And a valid token
    And the token's "client_attrs" claim is {"role": "sensor", "site": "plant-7"}
    When the client connects
    Then the connection is accepted
    And the broker shows the client's attributes as {"role": "sensor", "site": "plant-7"}

  @JWT-ATTR-01 @any-version
  Scenario: JWT-ATTR-01 ACL rules read the attribute as ${client_attrs.NAME}
    Requirement: "... and usable as `${client_attrs.NAME}` in ACL rules."

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
    And the token's "client_attrs" claim is {"role": "sensor", "site": "plant-7"}
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "s/${client_attrs.site}/#"}]
    When the client connects
    Then the client may publish to "s/plant-7/x"
    And the client may not publish to "s/plant-8/x"

  @JWT-ATTR-02 @any-version
  Scenario: JWT-ATTR-02 entries whose key is not a restricted string are dropped, the others kept
    Requirement: "Entries whose key does not match `^[A-Za-z0-9]+[A-Za-z0-9-_]*$` are dropped
    silently; the other entries are kept and the connection is accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client's client ID is "attr-client-2"
    And a valid token
    And the token's "client_attrs" claim is {"ok-1": "a", "good_2": "e", "bad key": "b", "-x": "c", "_y": "d", "dot.ted": "f", "": "g"}
    When the client connects
    Then the connection is accepted
    And the broker shows the client's attributes as {"ok-1": "a", "good_2": "e"}

  @JWT-ATTR-03 @ambiguity
  Scenario Outline: JWT-ATTR-03 client_attrs <what> gives BF although the token verified
    Requirement: "A valid key with a value that is not a string (number, bool, null,
    object), or a `client_attrs` that is not an object, gives BF (0x87/5 when JWT is alone)
    although the token verified; a list of strings is joined (`["a","b"]` becomes `"ab"`).
    The docs only say keys and values must be strings (ambiguity A3)."
    Ambiguity A3, reading 1 (the docs, read loosely): an entry that is not a string is
    dropped and the client accepted. Reading 2 (EMQX, the reference): the authentication
    fails.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client speaks MQTT <version>
    And a valid token
    And the token's "client_attrs" claim is <attrs>
    When the client connects
    Then the connection is refused with BF

    Examples:
      | what                 | version | attrs                       |
      | with a number value  | 5       | {"role": "sensor", "n": 42} |
      | with a boolean value | 5       | {"b": true}                 |
      | with a null value    | 5       | {"z": null}                 |
      | with an object value | 5       | {"o": {"a": "b"}}           |
      | that is a string     | 5       | "role=sensor"               |
      | that is a list       | 5       | ["role", "sensor"]          |

    @v311
    Examples: MQTT 3.1.1 return codes
      | what                | version | attrs     |
      | with a number value | 3.1.1   | {"n": 42} |

  @JWT-ATTR-03 @any-version
  Scenario: JWT-ATTR-03 a list of strings is joined into one value
    Requirement: "... a list of strings is joined (`["a","b"]` becomes `"ab"`)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client's client ID is "attr-client-3"
    And a valid token
    And the token's "client_attrs" claim is {"l": ["a", "b"], "s": "c"}
    When the client connects
    Then the connection is accepted
    And the broker shows the client's attributes as {"l": "ab", "s": "c"}
