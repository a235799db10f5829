@JWT-EXP
Feature: JWT-EXP Expiry while connected
  A token with exp ends the authentication at exp: by default the broker then
  disconnects the client; with disconnect_after_expire false only the token's
  rules expire. Tokens here expire a second or two after they are minted
  (NOW+1, NOW+2), so the scenarios wait no longer than that.

  @JWT-EXP-01
  Scenario Outline: JWT-EXP-01 when the token expires the broker <ends it> (MQTT <version>)
    Requirement: "With `disconnect_after_expire: true` (default) the broker sends DISCONNECT
    0x87 when the token's `exp` passes and closes the connection; a 3.1.1 client sees the
    connection close. A token without `exp` sets no timer."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client speaks MQTT <version>
    And a valid token
    And the token's "exp" claim is NOW+1
    When the client connects
    Then the connection is accepted
    And <end>

    Examples:
      | version | ends it               | end                                                               |
      | 5       | sends DISCONNECT 0x87 | the broker disconnects the client with 0x87 at the token's expiry |

    @v311
    Examples: MQTT 3.1.1 has no server DISCONNECT
      | version | ends it               | end                                                             |
      | 3.1.1   | closes the connection | the broker closes the client's connection at the token's expiry |

  @JWT-EXP-01 @ambiguity @A1 @any-version
  Scenario: JWT-EXP-01 a token without exp sets no timer
    Requirement: "... A token without `exp` sets no timer."

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

  @JWT-EXP-02
  Scenario: JWT-EXP-02 with disconnect_after_expire false the connection outlives exp, the rules do not
    Requirement: "With `disconnect_after_expire: false` the connection stays open after
    `exp`; only the ACL expiry of JWT-ACL-08 applies."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false, "algorithm": "hmac-based",
        "secret": "emqxsecret", "disconnect_after_expire": false}]
      """
    And the authorization settings are:
      """json
      {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And a valid token
    And the token's "exp" claim is NOW+1
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "t/#"}]
    When the client connects
    Then the client may publish to "t/1"
    When the token's exp has passed
    Then the client is still connected
    And the client may not publish to "t/1"

  @JWT-EXP-03
  Scenario Outline: JWT-EXP-03 on an expiry disconnect a Will on "<will>" is <fate>
    Requirement: "On an expiry disconnect the client's Will message, if it has one, is
    published and authorized as of the expiry instant, so a Will topic the token's ACL
    allows is delivered."
    The token's rules allow publishing to will/#; no_match is deny. At the disconnect the
    token has just expired: a broker that judged the Will with rules already expired would
    drop it.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And client "watcher" subscribes to "<will>"
    And the client has a Will on "<will>"
    And a valid token
    And the token's "exp" claim is NOW+1
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "will/#"}]
    When the client connects
    Then the broker disconnects the client with 0x87 at the token's expiry
    And <delivery>

    Examples:
      | will       | fate                              | delivery                                                |
      | will/dev-1 | delivered (the rules allow it)    | client "watcher" receives the client's Will             |
      | gone/dev-1 | not delivered (the rules deny it) | client "watcher" receives no message within 0.5 seconds |
