@JWT-ACL
Feature: JWT-ACL Authorization rules in the token (the acl claim)
  A verified token may carry authorization rules: the old format (an object
  of pub, sub and all lists) or the new format (a list of rules). The
  scenarios connect a client with such a token and try its permissions:
  "may publish" at QoS 1 or 2 of an MQTT 5 client reads the PUBACK or PUBREC
  (0x87 when denied), at QoS 0 and for MQTT 3.1.1 a watcher subscribed to
  the topic tells by the delivery; "may subscribe" reads the SUBACK (0x87,
  3.1.1: 0x80 when denied). Every scenario turns EMQX's authorization cache
  off (JWT-ACL-08 says why) and states authorization.no_match.

  @JWT-ACL-01 @any-version
  Scenario: JWT-ACL-01 old-format pub, sub and all lists allow exactly their actions
    Requirement: "Old format: `acl` is an object whose `pub`, `sub` and `all` lists name the
    topic filters the client may publish to, subscribe to, or both; an action on a topic
    no listed filter matches is denied, so `{}` denies everything."
    no_match is allow: a denial comes from the token's acl alone.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And a valid token
    And the token's "acl" claim is {"pub": ["t/pub"], "sub": ["t/sub"], "all": ["t/all"]}
    When the client connects
    Then the connection is accepted
    And the client may publish to "t/pub"
    And the client may not publish to "t/sub"
    And the client may subscribe to "t/sub"
    And the client may not subscribe to "t/pub"
    And the client may publish to "t/all"
    And the client may subscribe to "t/all"
    And the client may not publish to "t/other"
    And the client may not subscribe to "t/other"

  @JWT-ACL-01 @any-version
  Scenario: JWT-ACL-01 an empty old-format acl {} denies everything
    Requirement: "... an action on a topic no listed filter matches is denied, so `{}` denies
    everything."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And a valid token
    And the token's "acl" claim is {}
    When the client connects
    Then the connection is accepted
    And the client may not publish to "t/any"
    And the client may not subscribe to "t/any"

  @JWT-ACL-02 @any-version
  Scenario: JWT-ACL-02 + matches exactly one level and # any number, as in MQTT topic filters
    Requirement: "`+` and `#` in ACL topics match as MQTT topic filters: rule `a/+` allows
    publishing to `a/b`, not to `a/b/c`."
    Rules: allow publish a/+, allow publish b/#, allow publish c/+/d; no_match is deny.

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
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topics": ["a/+", "b/#", "c/+/d"]}]
    When the client connects
    Then the client may publish to "a/b"
    And the client may not publish to "a/b/c"
    And the client may not publish to "a"
    And the client may publish to "b/c/d"
    And the client may publish to "b"
    And the client may not publish to "x/b"
    And the client may publish to "c/x/d"
    And the client may not publish to "c/x/y/d"

  @JWT-ACL-03 @any-version
  Scenario: JWT-ACL-03 ${clientid} and ${username} in rules are the client's values
    Requirement: "`${clientid}` and `${username}` in ACL topics are replaced with the
    client's values when each action is checked; EMQX also fills `${cert_common_name}` and
    `${zone}`, which the docs do not list (ambiguity A12)."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And the client's client ID is "dev-7"
    And the client's username is "alice"
    And a valid token
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topics": ["c/${clientid}", "u/${username}/#"]}]
    When the client connects
    Then the client may publish to "c/dev-7"
    And the client may not publish to "c/dev-8"
    And the client may publish to "u/alice/x"
    And the client may not publish to "u/bob/x"
    And the client may not publish to "c/${clientid}"

  @JWT-ACL-03 @ambiguity @A12 @any-version
  Scenario: JWT-ACL-03 ${zone} in a rule is the client's zone
    Requirement: "... EMQX also fills `${cert_common_name}` and `${zone}`, which the docs do
    not list (ambiguity A12)."
    Ambiguity A12, reading 1 (the docs): only ${clientid} and ${username} are replaced, so
    ${zone} stays literal and z/default is denied. Reading 2 (EMQX, the reference): ${zone}
    is the client's zone, "default".

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
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "z/${zone}"}]
    When the client connects
    Then the client may publish to "z/default"
    And the client may not publish to "z/other"

  @JWT-ACL-04 @any-version
  Scenario Outline: JWT-ACL-04 the eq prefix matches literally in the <format> format
    Requirement: "The `eq ` prefix makes an exact, literal match with no wildcards and no
    placeholders, in both formats and for publish and subscribe: `eq t/${username}` matches
    only the literal `t/${username}`, `eq t/#` only the literal filter `t/#`."
    Rules: publish "eq t/${username}", subscribe "eq s/#"; the client's username is alice.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And the client's username is "alice"
    And a valid token
    And the token's "acl" claim is <acl>
    When the client connects
    Then the client may publish to "t/${username}"
    And the client may not publish to "t/alice"
    And the client may subscribe to "s/#"
    And the client may not subscribe to "s/x"
    And the client may not subscribe to "s/+"

    Examples:
      | format | acl                                                                                                                                            |
      | new    | [{"permission": "allow", "action": "publish", "topic": "eq t/${username}"}, {"permission": "allow", "action": "subscribe", "topic": "eq s/#"}] |
      | old    | {"pub": ["eq t/${username}"], "sub": ["eq s/#"]}                                                                                               |

  @JWT-ACL-05 @any-version
  Scenario: JWT-ACL-05 the first rule whose action, topic, qos and retain match decides
    Requirement: "New format: `acl` is a list of rules `{permission: allow|deny, action,
    topic, qos, retain}` checked in order; the first rule whose action, topic, qos and
    retain all match decides."
    Rules: deny publish t/secret, then allow publish t/#, then deny subscribe t/#, then
    allow all t/#, then deny all #. no_match is allow.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And a valid token
    And the token's "acl" claim is [{"permission": "deny", "action": "publish", "topic": "t/secret"}, {"permission": "allow", "action": "publish", "topic": "t/#"}, {"permission": "deny", "action": "subscribe", "topic": "t/#"}, {"permission": "allow", "action": "all", "topic": "t/#"}, {"permission": "deny", "action": "all", "topic": "#"}]
    When the client connects
    Then the client may not publish to "t/secret"
    And the client may publish to "t/open"
    And the client may not subscribe to "t/open"
    And the client may not publish to "x/y"

  @JWT-ACL-06 @any-version
  Scenario: JWT-ACL-06 new-format rules come first, then the sources, then no_match
    Requirement: "Precedence: a superuser is allowed everything; otherwise the token's rules
    are checked before every configured authorization source, and `authorization.no_match`
    applies last. With the old format a topic matching no entry is denied and nothing else
    is asked; with the new format the sources and then `no_match` decide when no rule
    matches."
    The token allows tok/# and blocked/open and denies src/denied; the file source allows
    src/# and denies blocked/#; no_match is deny.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false},
       "sources": [{"type": "file", "enable": true,
                    "rules": "{allow, all, publish, [\"src/#\"]}.\n{deny, all, publish, [\"blocked/#\"]}."}]}
      """
    And a valid token
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "tok/#"}, {"permission": "deny", "action": "publish", "topic": "src/denied"}, {"permission": "allow", "action": "publish", "topic": "blocked/open"}]
    When the client connects
    Then the client may publish to "tok/x"
    And the client may publish to "src/x"
    And the client may not publish to "src/denied"
    And the client may publish to "blocked/open"
    And the client may not publish to "blocked/x"
    And the client may not publish to "other/x"

  @JWT-ACL-06 @any-version
  Scenario: JWT-ACL-06 an old-format acl decides alone
    Requirement: "With the old format a topic matching no entry is denied and nothing else
    is asked; with the new format the sources and then `no_match` decide when no rule
    matches."
    The file source allows src/#, and no_match is allow: neither is asked.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "allow", "deny_action": "ignore", "cache": {"enable": false},
       "sources": [{"type": "file", "enable": true, "rules": "{allow, all, publish, [\"src/#\"]}."}]}
      """
    And a valid token
    And the token's "acl" claim is {"pub": ["tok/#"]}
    When the client connects
    Then the client may publish to "tok/x"
    And the client may not publish to "src/x"
    And the client may not publish to "other/x"

  @JWT-ACL-06 @any-version
  Scenario: JWT-ACL-06 a superuser is allowed what its own acl and no_match deny
    Requirement: "Precedence: a superuser is allowed everything; otherwise the token's rules
    are checked before every configured authorization source, and `authorization.no_match`
    applies last."

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
    And the token's "is_superuser" claim is true
    And the token's "acl" claim is [{"permission": "deny", "action": "all", "topic": "#"}]
    When the client connects
    Then the client may publish to "any/x"
    And the client may subscribe to "any/#"

  @JWT-ACL-07 @any-version
  Scenario: JWT-ACL-07 with acl_claim_name "perms" the rules come from the perms claim
    Requirement: "The claim name is configurable (`acl_claim_name`, default `acl`); a token
    without that claim brings no rules, so the authorization sources and `no_match` decide."
    The token carries rules under "perms" (allowing a/1) and under "acl" (allowing b/1);
    only "perms" counts.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret", "acl_claim_name": "perms"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And a valid token
    And the token's "perms" claim is {"pub": ["a/1"]}
    And the token's "acl" claim is {"pub": ["b/1"]}
    When the client connects
    Then the client may publish to "a/1"
    And the client may not publish to "b/1"

  @JWT-ACL-07 @any-version
  Scenario Outline: JWT-ACL-07 a token without the acl claim leaves it to the source and no_match <no_match>
    Requirement: "The claim name is configurable (`acl_claim_name`, default `acl`); a token
    without that claim brings no rules, so the authorization sources and `no_match` decide."
    The file source allows src/#.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "<no_match>", "deny_action": "ignore", "cache": {"enable": false},
       "sources": [{"type": "file", "enable": true, "rules": "{allow, all, publish, [\"src/#\"]}."}]}
      """
    And a valid token
    And the token has no "acl" claim
    When the client connects
    Then the client may publish to "src/x"
    And the client <may> publish to "other/x"

    Examples:
      | no_match | may     |
      | allow    | may     |
      | deny     | may not |

  @JWT-ACL-08 @any-version
  Scenario: JWT-ACL-08 the token's rules deny everything once its exp has passed
    Requirement: "The token's rules expire at its `exp`: from then every publish and
    subscribe is denied, even when the connection stays open (`disconnect_after_expire:
    false`); 6.x still allows while `exp` >= now (ambiguity A15). EMQX's authorization cache
    (on by default, 1-minute TTL) can keep an allow past `exp`, so scenarios run with it
    off."
    The checks after exp wait until the second after it, where both readings of the
    boundary (A15) deny. no_match is allow, yet the expired rules deny.

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
    And the token's "acl" claim is [{"permission": "allow", "action": "all", "topic": "t/#"}]
    When the client connects
    Then the client may publish to "t/1"
    When the token's exp has passed
    Then the client may not publish to "t/1"
    And the client may not publish to "u/1"
    And the client may not subscribe to "t/#"

  @JWT-ACL-09
  Scenario Outline: JWT-ACL-09 a rule <what> refuses the CONNECT with 0x86 (MQTT <version>)
    Requirement: "An invalid new-format rule (missing permission, action or topic; unknown
    permission or action; qos 3; a bad retain value; a bad regex) refuses the CONNECT with
    0x86/4; an `acl` claim that is neither an object nor a list gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the client speaks MQTT <version>
    And a valid token
    And the token's "acl" claim is [{"permission": "allow", "action": "all", "topic": "ok/#"}, <rule>]
    When the client connects
    Then the connection is refused with 0x86

    Examples:
      | what                  | version | rule                                                                          |
      | without permission    | 5       | {"action": "all", "topic": "t"}                                               |
      | without action        | 5       | {"permission": "allow", "topic": "t"}                                         |
      | without topic         | 5       | {"permission": "allow", "action": "all"}                                      |
      | with permission maybe | 5       | {"permission": "maybe", "action": "all", "topic": "t"}                        |
      | with action read      | 5       | {"permission": "allow", "action": "read", "topic": "t"}                       |
      | with qos 3            | 5       | {"permission": "allow", "action": "publish", "topic": "t", "qos": 3}          |
      | with retain "maybe"   | 5       | {"permission": "allow", "action": "publish", "topic": "t", "retain": "maybe"} |
      | with a bad regex      | 5       | {"permission": "allow", "action": "all", "topic": "t", "username_re": "("}    |

    @v311
    Examples: MQTT 3.1.1 return codes
      | what                  | version | rule                                                   |
      | with permission maybe | 3.1.1   | {"permission": "maybe", "action": "all", "topic": "t"} |

  @JWT-ACL-09 @any-version
  Scenario Outline: JWT-ACL-09 an acl claim that is <kind> gives BF
    Requirement: "... an `acl` claim that is neither an object nor a list gives BF."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And a valid token
    And the token's "acl" claim is <acl>
    When the client connects
    Then the connection is refused with BF

    Examples:
      | kind      | acl   |
      | a string  | "t/#" |
      | a number  | 42    |
      | a boolean | true  |

  @JWT-ACL-10 @any-version
  Scenario: JWT-ACL-10 actions publish, pub, subscribe, sub and all, and topic or topics
    Requirement: "New-format `action` accepts `publish` or `pub`, `subscribe` or `sub`, and
    `all`; a rule names its filters with `topic` (one string) or `topics` (a list)."

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
    And the token's "acl" claim is [{"permission": "allow", "action": "pub", "topic": "p/1"}, {"permission": "allow", "action": "sub", "topics": ["s/1", "s/2"]}, {"permission": "allow", "action": "all", "topic": "a/1"}, {"permission": "allow", "action": "publish", "topics": ["P/1"]}, {"permission": "allow", "action": "subscribe", "topic": "S/1"}]
    When the client connects
    Then the connection is accepted
    And the client may publish to "p/1"
    And the client may not subscribe to "p/1"
    And the client may subscribe to "s/1"
    And the client may subscribe to "s/2"
    And the client may not publish to "s/2"
    And the client may publish to "a/1"
    And the client may subscribe to "a/1"
    And the client may publish to "P/1"
    And the client may subscribe to "S/1"
    And the client may not publish to "S/1"

  @JWT-ACL-11 @any-version
  Scenario: JWT-ACL-11 qos and retain conditions narrow the rules
    Requirement: "`qos` may be an integer, a list or a string like `"0,1"` (default: all
    levels) and is matched against the publish QoS or the requested subscription QoS;
    `retain` may be `true`, `false`, `0`, `1`, `"true"`, `"false"` or `"all"` (default all)
    and narrows publishes under `publish` and `all` rules."
    Rules: publish q/# at QoS [0, 1]; subscribe q/# at QoS "1,2"; publish k/# at QoS 2;
    publish r/# not retained; all ar/# retained only. no_match is deny.

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
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "q/#", "qos": [0, 1]}, {"permission": "allow", "action": "subscribe", "topic": "q/#", "qos": "1,2"}, {"permission": "allow", "action": "publish", "topic": "k/#", "qos": 2}, {"permission": "allow", "action": "publish", "topic": "r/#", "retain": false}, {"permission": "allow", "action": "all", "topic": "ar/#", "retain": "true"}]
    When the client connects
    Then the client may publish to "q/x" with QoS 1
    And the client may not publish to "q/x" with QoS 2
    And the client may subscribe to "q/x" with QoS 1
    And the client may not subscribe to "q/x" with QoS 0
    And the client may publish to "k/x" with QoS 2
    And the client may not publish to "k/x" with QoS 1
    And the client may publish to "r/x" with QoS 1
    And the client may not publish a retained message to "r/x" with QoS 1
    And the client may publish a retained message to "ar/x" with QoS 1
    And the client may not publish to "ar/x" with QoS 1
    And the client may subscribe to "ar/x" with QoS 1

  @JWT-ACL-12 @any-version
  Scenario Outline: JWT-ACL-12 a rule narrowed by <matching> applies to client "dev-1" of user "alice", one narrowed by <other> does not
    Requirement: "A new-format rule may be narrowed by `username_re`, `clientid_re`, `ipaddr`
    (CIDR), `zone`, `zone_re`, `listener` or `listener_re`; any other key, including
    `username` and `clientid`, is ignored and does not narrow the rule."
    The client connects over loopback to the default TCP listener ("tcp:default") in zone
    "default". The first rule allows t/1 under a condition the client meets (or a key that
    is ignored), the second allows t/2 under one it does not meet; no_match is deny.

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And the client's client ID is "dev-1"
    And the client's username is "alice"
    And a valid token
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "t/1", <matching>}, {"permission": "allow", "action": "publish", "topic": "t/2", <other>}]
    When the client connects
    Then the client may publish to "t/1"
    And the client may not publish to "t/2"

    Examples:
      | matching                  | other                     |
      | "username_re": "^ali"     | "username_re": "^bob"     |
      | "clientid_re": "^dev-"    | "clientid_re": "^srv-"    |
      | "ipaddr": "127.0.0.0/8"   | "ipaddr": "10.0.0.0/8"    |
      | "zone": "default"         | "zone": "other"           |
      | "zone_re": "^def"         | "zone_re": "^x"           |
      | "listener": "tcp:default" | "listener": "ssl:default" |
      | "listener_re": "^tcp:"    | "listener_re": "^ws:"     |
      | "username": "bob"         | "username_re": "^bob"     |
      | "clientid": "srv-9"       | "clientid_re": "^srv-"    |

  @JWT-ACL-13 @any-version
  Scenario Outline: JWT-ACL-13 rule "<rule>": a subscription filter is matched as a topic
    Requirement: "A subscription filter is matched against rule filters as if it were a
    topic: rule `a/#` allows subscribing to `a/+/b`, `a/#` and `a`, rule `a/b` does not allow
    `a/+`, and rule `a/+` also allows `a/#` (its trailing `#` is matched as an ordinary
    level)."

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
    And the token's "acl" claim is [{"permission": "allow", "action": "subscribe", "topic": "<rule>"}]
    When the client connects
    Then the client <may 1> subscribe to "<filter 1>"
    And the client <may 2> subscribe to "<filter 2>"
    And the client <may 3> subscribe to "<filter 3>"

    Examples:
      | rule | may 1 | filter 1 | may 2   | filter 2 | may 3   | filter 3 |
      | a/#  | may   | a/+/b    | may     | a/#      | may     | a        |
      | a/b  | may   | a/b      | may not | a/+      | may not | a/#      |
      | a/+  | may   | a/#      | may     | a/+      | may not | a/b/c    |

  @JWT-ACL-14 @any-version
  Scenario Outline: JWT-ACL-14 rule "<rule>" does not cover "<dollar>" but covers "<plain>"
    Requirement: "Rule filters starting with a wildcard (`#`, `+/...`) do not match topics
    or filters starting with `$` (e.g. `$SYS/x`)."

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
    And the token's "acl" claim is [{"permission": "allow", "action": "subscribe", "topic": "<rule>"}, {"permission": "allow", "action": "subscribe", "topic": "$SYS/brokers/#"}]
    When the client connects
    Then the client may not subscribe to "<dollar>"
    And the client may subscribe to "<plain>"
    And the client may subscribe to "$SYS/brokers/x"

    Examples:
      | rule   | dollar    | plain    |
      | #      | $SYS/x    | sys/x    |
      | +/info | $foo/info | foo/info |

  @JWT-ACL-15 @ambiguity @A12 @any-version
  Scenario: JWT-ACL-15 ${client_attrs.role} in a rule is the token's attribute role
    Requirement: "`${client_attrs.NAME}` in a rule topic is replaced with the client's
    attribute NAME, such as one set by the token's `client_attrs` (JWT-ATTR-01) (ambiguity
    A12)."
    Ambiguity A12, reading 1 (the docs): only ${clientid} and ${username} are replaced, so
    the rule is the literal text and d/sensor/1 is denied. Reading 2 (EMQX, the reference):
    the attribute is filled in.

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
    And the token's "client_attrs" claim is {"role": "sensor"}
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "d/${client_attrs.role}/#"}]
    When the client connects
    Then the client may publish to "d/sensor/1"
    And the client may not publish to "d/other/1"
    And the client may not publish to "d/${client_attrs.role}/1"

  @JWT-ACL-16 @any-version
  Scenario Outline: JWT-ACL-16 under <profile>, when ${username} is <value>, a deny rule on "t/${username}" <effect>
    Requirement: "When a placeholder in a rule is undefined for the client, or its value
    contains `/`, `+` or `#`, the rule does not match under legacy and denies under
    hardened."
    Rules: deny publish t/${username}, then allow publish t/#; no_match is deny. Had the
    value been put into the deny rule, it would cover the topic.

    Given the security profile is <profile>
    And the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And <username>
    And a valid token
    And the token's "acl" claim is [{"permission": "deny", "action": "publish", "topic": "t/${username}"}, {"permission": "allow", "action": "publish", "topic": "t/#"}]
    When the client connects
    Then the client <may> publish to "<topic>"

    Examples:
      | profile  | value     | username                       | effect         | may     | topic |
      | legacy   | "+"       | the client's username is "+"   | does not match | may     | t/x   |
      | legacy   | "#"       | the client's username is "#"   | does not match | may     | t/x/y |
      | legacy   | "a/b"     | the client's username is "a/b" | does not match | may     | t/a/b |
      | legacy   | undefined | the client sends no username   | does not match | may     | t/    |
      | hardened | "+"       | the client's username is "+"   | denies         | may not | t/x   |
      | hardened | undefined | the client sends no username   | denies         | may not | t/    |

  @JWT-ACL-17 @any-version
  Scenario: JWT-ACL-17 a shared subscription is checked without its $share/g/ prefix
    Requirement: "For a shared subscription `$share/g/t/#` the rules are checked against
    `t/#`, the filter without its `$share/g/` prefix."

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
    And the token's "acl" claim is [{"permission": "allow", "action": "subscribe", "topic": "t/#"}]
    When the client connects
    Then the client may subscribe to "$share/g/t/x"
    And the client may subscribe to "$share/g/t/#"
    And the client may not subscribe to "$share/g/u/x"
    And the client may subscribe to "t/x"

  @JWT-ACL-18
  Scenario Outline: JWT-ACL-18 one denied filter among others gets <denied> in the SUBACK (MQTT <version>)
    Requirement: "A denied subscription gets reason code 0x87 for that filter in the SUBACK
    (3.1.1: 0x80), while the other filters of the same SUBSCRIBE get their own results."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And the client speaks MQTT <version>
    And a valid token
    And the token's "acl" claim is [{"permission": "allow", "action": "subscribe", "topic": "ok/#"}]
    When the client connects
    And the client subscribes to these filters in one SUBSCRIBE:
      | filter | qos |
      | ok/1   | 1   |
      | no/1   | 1   |
      | ok/2   | 0   |
    Then the SUBACK carries <codes>

    Examples:
      | version | denied | codes            |
      | 5       | 0x87   | 0x01, 0x87, 0x00 |

    @v311
    Examples: MQTT 3.1.1 return codes
      | version | denied | codes            |
      | 3.1.1   | 0x80   | 0x01, 0x80, 0x00 |

  @JWT-ACL-19
  Scenario Outline: JWT-ACL-19 a denied QoS <qos> publish is <answer> and not delivered
    Requirement: "A denied publish is not delivered: QoS 0 is dropped silently, QoS 1 gets
    PUBACK 0x87, QoS 2 gets PUBREC 0x87, and a 3.1.1 client gets its usual acknowledgement.
    With `authorization.deny_action: disconnect` the client gets DISCONNECT 0x87 instead."

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
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "ok/#"}]
    And client "watcher" subscribes to "no/#"
    When the client connects
    And the client publishes to "no/x" with QoS <qos>
    Then <answer check>
    And client "watcher" receives no message within 0.5 seconds
    And the client is still connected

    Examples:
      | qos | answer               | answer check                                    |
      | 0   | dropped silently     | the client is still connected                   |
      | 1   | answered PUBACK 0x87 | the broker answers the publish with PUBACK 0x87 |
      | 2   | answered PUBREC 0x87 | the broker answers the publish with PUBREC 0x87 |

  @JWT-ACL-19 @v311
  Scenario: JWT-ACL-19 a denied publish of an MQTT 3.1.1 client is acknowledged as usual and not delivered
    Requirement: "A denied publish is not delivered: ... a 3.1.1 client gets its usual
    acknowledgement."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "ignore", "cache": {"enable": false}}
      """
    And the client speaks MQTT 3.1.1
    And a valid token
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "ok/#"}]
    And client "watcher" subscribes to "no/#"
    When the client connects
    And the client publishes to "no/x" with QoS 1
    Then the broker acknowledges the publish as usual
    And client "watcher" receives no message within 0.5 seconds
    And the client is still connected

  @JWT-ACL-19
  Scenario: JWT-ACL-19 an allowed publish reaches the watcher (control)
    Requirement: "A denied publish is not delivered ..."
    The same watcher receives what the rules allow, so its silence above is the broker's
    denial.

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
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "ok/#"}]
    And client "watcher" subscribes to "ok/#"
    When the client connects
    And the client publishes to "ok/x" with QoS 0
    Then client "watcher" receives the message published to "ok/x"

  @JWT-ACL-19
  Scenario Outline: JWT-ACL-19 with deny_action disconnect a denied publish ends the connection (MQTT <version>)
    Requirement: "With `authorization.deny_action: disconnect` the client gets DISCONNECT
    0x87 instead."

    Given the authentication chain:
      """json
      [{"mechanism": "jwt", "from": "password", "use_jwks": false,
        "algorithm": "hmac-based", "secret": "emqxsecret"}]
      """
    And the authorization settings are:
      """json
      {"no_match": "deny", "deny_action": "disconnect", "cache": {"enable": false}}
      """
    And the client speaks MQTT <version>
    And a valid token
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "ok/#"}]
    When the client connects
    And the client publishes to "no/x" with QoS 1
    Then <end>

    Examples:
      | version | end                                         |
      | 5       | the broker disconnects the client with 0x87 |

    @v311
    Examples: MQTT 3.1.1 has no server DISCONNECT
      | version | end                                       |
      | 3.1.1   | the broker closes the client's connection |
