@SEC
Feature: SEC Security: tokens the broker must resist
  Forged tokens that a careless verifier accepts. Every one of them must give
  BF, in every mode.

  @SEC-01
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

  @SEC-01
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

  @SEC-06
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

  @SEC-06
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
