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

  @JWT-ACL-01
  Scenario Outline: JWT-ACL-01 old-format acl <acl>: the client <may> <action> "<topic>"
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
    And the token's "acl" claim is <acl>
    When the client connects
    Then the connection is accepted
    And the client <may> <action> to "<topic>"

    Examples:
      | acl                                                    | may     | action    | topic   |
      | {"pub": ["t/pub"], "sub": ["t/sub"], "all": ["t/all"]} | may     | publish   | t/pub   |
      | {"pub": ["t/pub"], "sub": ["t/sub"], "all": ["t/all"]} | may not | publish   | t/sub   |
      | {"pub": ["t/pub"], "sub": ["t/sub"], "all": ["t/all"]} | may     | subscribe | t/sub   |
      | {"pub": ["t/pub"], "sub": ["t/sub"], "all": ["t/all"]} | may not | subscribe | t/pub   |
      | {"pub": ["t/pub"], "sub": ["t/sub"], "all": ["t/all"]} | may     | publish   | t/all   |
      | {"pub": ["t/pub"], "sub": ["t/sub"], "all": ["t/all"]} | may     | subscribe | t/all   |
      | {"pub": ["t/pub"], "sub": ["t/sub"], "all": ["t/all"]} | may not | publish   | t/other |
      | {}                                                     | may not | publish   | t/any   |
      | {}                                                     | may not | subscribe | t/any   |

  @JWT-ACL-02
  Scenario Outline: JWT-ACL-02 rule "<rule>" <may> match a publish to "<topic>"
    Requirement: "`+` and `#` in ACL topics match as MQTT topic filters: rule `a/+` allows
    publishing to `a/b`, not to `a/b/c`."

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
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "<rule>"}]
    When the client connects
    Then the client <may> publish to "<topic>"

    Examples:
      | rule  | may     | topic  |
      | a/+   | may     | a/b    |
      | a/+   | may not | a/b/c  |
      | a/+   | may not | a      |
      | a/+/c | may     | a/b/c  |
      | b/#   | may     | b/c/d  |
      | b/#   | may     | b      |
      | b/#   | may not | c/b    |

  @JWT-ACL-03
  Scenario Outline: JWT-ACL-03 rule "<rule>" with client ID "dev-7" and username "alice": <may> publish to "<topic>"
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
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "<rule>"}]
    When the client connects
    Then the client <may> publish to "<topic>"

    Examples:
      | rule            | may     | topic       |
      | c/${clientid}   | may     | c/dev-7     |
      | c/${clientid}   | may not | c/dev-8     |
      | u/${username}/# | may     | u/alice/x   |
      | u/${username}/# | may not | u/bob/x     |

    @ambiguity
    Examples: a placeholder the docs do not list (ambiguity A12)
      Reading 1 (the docs): only ${clientid} and ${username} are replaced, so ${zone} stays
      literal and z/default is denied. Reading 2 (EMQX, the reference): ${zone} is the
      client's zone, "default".
      | rule        | may     | topic     |
      | z/${zone}   | may     | z/default |
      | z/${zone}   | may not | z/other   |

  @JWT-ACL-04
  Scenario Outline: JWT-ACL-04 <format> rule "<rule>": the client <may> <action> "<topic>"
    Requirement: "The `eq ` prefix makes an exact, literal match with no wildcards and no
    placeholders, in both formats and for publish and subscribe: `eq t/${username}` matches
    only the literal `t/${username}`, `eq t/#` only the literal filter `t/#`."

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
    Then the client <may> <action> to "<topic>"

    Examples:
      | format | rule            | acl                                                                     | may     | action    | topic         |
      | new    | eq t/${username} | [{"permission": "allow", "action": "publish", "topic": "eq t/${username}"}] | may     | publish   | t/${username} |
      | new    | eq t/${username} | [{"permission": "allow", "action": "publish", "topic": "eq t/${username}"}] | may not | publish   | t/alice       |
      | new    | eq s/#          | [{"permission": "allow", "action": "subscribe", "topic": "eq s/#"}]     | may     | subscribe | s/#           |
      | new    | eq s/#          | [{"permission": "allow", "action": "subscribe", "topic": "eq s/#"}]     | may not | subscribe | s/x           |
      | old    | eq t/${username} | {"pub": ["eq t/${username}"]}                                           | may     | publish   | t/${username} |
      | old    | eq t/${username} | {"pub": ["eq t/${username}"]}                                           | may not | publish   | t/alice       |
      | old    | eq s/#          | {"sub": ["eq s/#"]}                                                     | may     | subscribe | s/#           |
      | old    | eq s/#          | {"sub": ["eq s/#"]}                                                     | may not | subscribe | s/+           |

  @JWT-ACL-05
  Scenario Outline: JWT-ACL-05 the first matching rule decides: the client <may> <action> "<topic>"
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
    Then the client <may> <action> to "<topic>"

    Examples:
      | may     | action    | topic    |
      | may not | publish   | t/secret |
      | may     | publish   | t/open   |
      | may not | subscribe | t/open   |
      | may not | publish   | x/y      |

  @JWT-ACL-06
  Scenario Outline: JWT-ACL-06 new-format rules fall through to the sources and no_match: <may> publish to "<topic>"
    Requirement: "Precedence: a superuser is allowed everything; otherwise the token's rules
    are checked before every configured authorization source, and `authorization.no_match`
    applies last. With the old format a topic matching no entry is denied and nothing else
    is asked; with the new format the sources and then `no_match` decide when no rule
    matches."
    The file source allows src/# and denies blocked/#; no_match is deny.

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
    Then the client <may> publish to "<topic>"

    Examples:
      | may     | topic        | decided by                   |
      | may     | tok/x        | the token's rule             |
      | may     | src/x        | the source                   |
      | may not | src/denied   | the token's rule, not source |
      | may     | blocked/open | the token's rule, not source |
      | may not | blocked/x    | the source                   |
      | may not | other/x      | no_match                     |

  @JWT-ACL-06
  Scenario Outline: JWT-ACL-06 an old-format acl decides alone: <may> publish to "<topic>"
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
    Then the client <may> publish to "<topic>"

    Examples:
      | may     | topic   |
      | may     | tok/x   |
      | may not | src/x   |
      | may not | other/x |

  @JWT-ACL-06
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

  @JWT-ACL-07
  Scenario Outline: JWT-ACL-07 with acl_claim_name "perms" the client <may> publish to "<topic>"
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
    Then the client <may> publish to "<topic>"

    Examples:
      | may     | topic |
      | may     | a/1   |
      | may not | b/1   |

  @JWT-ACL-07
  Scenario Outline: JWT-ACL-07 a token without the acl claim leaves it to <who>: <may> publish to "<topic>"
    Requirement: "The claim name is configurable (`acl_claim_name`, default `acl`); a token
    without that claim brings no rules, so the authorization sources and `no_match` decide."

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
    Then the client <may> publish to "<topic>"

    Examples:
      | who            | no_match | may     | topic   |
      | no_match allow | allow    | may     | other/x |
      | no_match deny  | deny     | may not | other/x |
      | the source     | deny     | may     | src/x   |

  @JWT-ACL-08
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

  @JWT-ACL-09
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
      | kind      | acl       |
      | a string  | "t/#"     |
      | a number  | 42        |
      | a boolean | true      |

  @JWT-ACL-10
  Scenario Outline: JWT-ACL-10 action names and topic lists: the client <may> <action> "<topic>"
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
    And the client <may> <action> to "<topic>"

    Examples:
      | may     | action    | topic |
      | may     | publish   | p/1   |
      | may not | subscribe | p/1   |
      | may     | subscribe | s/1   |
      | may     | subscribe | s/2   |
      | may not | publish   | s/2   |
      | may     | publish   | a/1   |
      | may     | subscribe | a/1   |
      | may     | publish   | P/1   |
      | may     | subscribe | S/1   |
      | may not | publish   | S/1   |

  @JWT-ACL-11
  Scenario Outline: JWT-ACL-11 qos and retain conditions: the client <may> <action> "<topic>" with QoS <qos>
    Requirement: "`qos` may be an integer, a list or a string like `"0,1"` (default: all
    levels) and is matched against the publish QoS or the requested subscription QoS;
    `retain` may be `true`, `false`, `0`, `1`, `"true"`, `"false"` or `"all"` (default all)
    and narrows publishes under `publish` and `all` rules."

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
    Then the client <may> <action> "<topic>" with QoS <qos>

    Examples:
      | may     | action                        | topic | qos |
      | may     | publish to                    | q/x   | 1   |
      | may not | publish to                    | q/x   | 2   |
      | may     | subscribe to                  | q/x   | 1   |
      | may not | subscribe to                  | q/x   | 0   |
      | may     | publish to                    | k/x   | 2   |
      | may not | publish to                    | k/x   | 1   |
      | may     | publish to                    | r/x   | 1   |
      | may not | publish a retained message to | r/x   | 1   |
      | may     | publish a retained message to | ar/x  | 1   |
      | may not | publish to                    | ar/x  | 1   |
      | may     | subscribe to                  | ar/x  | 1   |

  @JWT-ACL-12
  Scenario Outline: JWT-ACL-12 a rule narrowed by <condition> <may> apply to client "dev-1" of user "alice"
    Requirement: "A new-format rule may be narrowed by `username_re`, `clientid_re`, `ipaddr`
    (CIDR), `zone`, `zone_re`, `listener` or `listener_re`; any other key, including
    `username` and `clientid`, is ignored and does not narrow the rule."
    The client connects over loopback to the default TCP listener ("tcp:default") in zone
    "default".

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
    And the token's "acl" claim is [{"permission": "allow", "action": "publish", "topic": "t/1", <condition>}]
    When the client connects
    Then the client <may> publish to "t/1"

    Examples:
      | condition                     | may     |
      | "username_re": "^ali"         | may     |
      | "username_re": "^bob"         | may not |
      | "clientid_re": "^dev-"        | may     |
      | "clientid_re": "^srv-"        | may not |
      | "ipaddr": "127.0.0.0/8"       | may     |
      | "ipaddr": "10.0.0.0/8"        | may not |
      | "zone": "default"             | may     |
      | "zone": "other"               | may not |
      | "zone_re": "^def"             | may     |
      | "zone_re": "^x"               | may not |
      | "listener": "tcp:default"     | may     |
      | "listener": "ssl:default"     | may not |
      | "listener_re": "^tcp:"        | may     |
      | "listener_re": "^ws:"         | may not |
      | "username": "bob"             | may     |
      | "clientid": "srv-9"           | may     |

  @JWT-ACL-13
  Scenario Outline: JWT-ACL-13 rule "<rule>" <may> cover a subscription to "<filter>"
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
    Then the client <may> subscribe to "<filter>"

    Examples:
      | rule | may     | filter |
      | a/#  | may     | a/+/b  |
      | a/#  | may     | a/#    |
      | a/#  | may     | a      |
      | a/b  | may not | a/+    |
      | a/b  | may     | a/b    |
      | a/+  | may     | a/#    |
      | a/+  | may     | a/+    |
      | a/+  | may not | a/b/c  |

  @JWT-ACL-14
  Scenario Outline: JWT-ACL-14 rule "<rule>" <may> cover a subscription to "<filter>"
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
    And the token's "acl" claim is [{"permission": "allow", "action": "subscribe", "topic": "<rule>"}]
    When the client connects
    Then the client <may> subscribe to "<filter>"

    Examples:
      | rule     | may     | filter       |
      | #        | may not | $SYS/x       |
      | #        | may     | sys/x        |
      | +/info   | may not | $foo/info    |
      | +/info   | may     | foo/info     |
      | $SYS/#   | may     | $SYS/brokers |

  @JWT-ACL-15 @ambiguity
  Scenario Outline: JWT-ACL-15 rule "d/${client_attrs.role}/#" with attribute role "sensor": <may> publish to "<topic>"
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
    Then the client <may> publish to "<topic>"

    Examples:
      | may     | topic                   |
      | may     | d/sensor/1              |
      | may not | d/other/1               |
      | may not | d/${client_attrs.role}/1 |

  @JWT-ACL-16
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
      | profile  | value     | username                        | effect                     | may     | topic |
      | legacy   | "+"       | the client's username is "+"    | does not match             | may     | t/x   |
      | legacy   | "#"       | the client's username is "#"    | does not match             | may     | t/x/y |
      | legacy   | "a/b"     | the client's username is "a/b"  | does not match             | may     | t/a/b |
      | legacy   | undefined | the client sends no username    | does not match             | may     | t/    |
      | hardened | "+"       | the client's username is "+"    | denies                     | may not | t/x   |
      | hardened | undefined | the client sends no username    | denies                     | may not | t/    |

  @JWT-ACL-17
  Scenario Outline: JWT-ACL-17 rule "t/#" <may> cover a subscription to "<filter>"
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
    Then the client <may> subscribe to "<filter>"

    Examples:
      | may     | filter         |
      | may     | $share/g/t/x   |
      | may     | $share/g/t/#   |
      | may not | $share/g/u/x   |
      | may     | t/x            |

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
      | qos | answer               | answer check                                   |
      | 0   | dropped silently     | the client is still connected                  |
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
      | version | end                                    |
      | 3.1.1   | the broker closes the client's connection |
