@JWT-OIDC
Feature: JWT-OIDC Tokens from an OpenID Connect provider
  The client gets its JWT from an OAuth 2.0 authorization server with
  OpenID Connect (the client credentials grant at its token endpoint) and
  sends it as the CONNECT Password; the broker verifies it with the keys the
  provider publishes at the jwks_uri of its discovery document. The suite
  serves the provider itself (zitadel's OpenID Provider library): "<oidc
  jwks_uri>" is the jwks_uri its discovery document names, "<oidc issuer>"
  its issuer, "<oidc audience>" the audience of the tokens it issues for the
  broker. No token here is minted by the suite: each one is the provider's
  answer to a token request. "The broker has fetched the provider's key set"
  waits for the broker's fetch at jwks_uri (the next one after the provider
  last changed its keys), never for a fixed time.

  @JWT-OIDC-01
  Scenario Outline: JWT-OIDC-01 a token from the provider's token endpoint, signed with an <alg> key at its jwks_uri, is accepted
    Requirement: "A token issued by an OpenID Connect provider (client credentials grant at
    its token endpoint, signed with a key published at the `jwks_uri` of its discovery
    document) is accepted by a JWT authenticator with `use_jwks: true` whose `endpoint` is
    that `jwks_uri`; `verify_claims` binds it to the provider and the broker (`{"iss":
    "<issuer>", "aud": "<audience>"}`)."
    The provider's token carries aud as an array, a kid, nbf, jti and client_id, as
    OpenID providers issue them.

    Given the OIDC provider signs with an <alg> key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<oidc jwks_uri>",
        "refresh_interval": 1, "verify_claims": {"iss": "<oidc issuer>", "aud": "<oidc audience>"}}]
      """
    And the broker has fetched the provider's key set
    When the client gets a token from the OIDC provider
    And the client connects
    Then the connection is accepted

    Examples:
      | alg   |
      | RS256 |
      | ES256 |

  @JWT-OIDC-02
  Scenario: JWT-OIDC-02 a token of another issuer, signed with its own keys, gives BF
    Requirement: "A token of another issuer (signed with its own keys) gives BF; a token the
    same provider issued for another audience gives 0x86/4 (JWT-VC-04)."
    The other provider issues its token for the same audience, so only its issuer and its
    keys differ: the signature fails before any claim is read.

    Given the OIDC provider signs with an RS256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<oidc jwks_uri>",
        "refresh_interval": 1, "verify_claims": {"iss": "<oidc issuer>", "aud": "<oidc audience>"}}]
      """
    And the broker has fetched the provider's key set
    When the client gets a token from another OIDC provider
    And the client connects
    Then the connection is refused with BF
    When the client gets a token from the OIDC provider
    And the client connects
    Then the connection is accepted

  @JWT-OIDC-02
  Scenario: JWT-OIDC-02 a token the same provider issued for another audience gives 0x86
    Requirement: "A token of another issuer (signed with its own keys) gives BF; a token the
    same provider issued for another audience gives 0x86/4 (JWT-VC-04)."

    Given the OIDC provider signs with an ES256 key "k1"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<oidc jwks_uri>",
        "refresh_interval": 1, "verify_claims": {"iss": "<oidc issuer>", "aud": "<oidc audience>"}}]
      """
    And the broker has fetched the provider's key set
    When the client gets a token from the OIDC provider for another audience
    And the client connects
    Then the connection is refused with 0x86
    When the client gets a token from the OIDC provider
    And the client connects
    Then the connection is accepted

  @JWT-OIDC-03
  Scenario: JWT-OIDC-03 after a key rotation, new tokens verify once the set is refreshed, old ones while the old key is published
    Requirement: "When the provider rotates its signing key, tokens signed with the new key
    are accepted once the authenticator has refreshed the set (JWT-JWKS-02), and tokens
    signed with the old key keep working while the old key is still published."
    The provider rotates from an RS256 key to an ES256 key, publishing both, as providers
    do during a rotation; then it withdraws the old one.

    Given the OIDC provider signs with an RS256 key "old"
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": true, "endpoint": "<oidc jwks_uri>",
        "refresh_interval": 1, "verify_claims": {"iss": "<oidc issuer>", "aud": "<oidc audience>"}}]
      """
    And the broker has fetched the provider's key set
    And the client gets a token from the OIDC provider
    And the client keeps its token as "before"
    When the client connects
    Then the connection is accepted
    When the OIDC provider rotates to an ES256 key "new"
    And the broker fetches the provider's key set again
    And the client gets a token from the OIDC provider
    Then the token is signed by the provider's key "new"
    When the client connects
    Then the connection is accepted
    When the client uses its token "before"
    And the client connects
    Then the connection is accepted
    When the OIDC provider stops publishing key "old"
    And the broker fetches the provider's key set again
    And the client uses its token "before"
    And the client connects
    Then the connection is refused with BF
