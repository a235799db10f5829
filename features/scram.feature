@SCRAM
Feature: SCRAM SCRAM with an HTTP backend (MQTT 5.0 enhanced authentication)
  The SCRAM authenticator runs the exchange in AUTH packets before the CONNACK
  and asks an HTTP backend for the user's stored_key, server_key and salt. The
  suite serves that backend ("<scram backend url>"), gives it the scenario's
  users, and records every request the broker makes to it. The SCRAM client
  derives its proof from the password and verifies the broker's v=.

  @SCRAM-01 @ambiguity
  Scenario Outline: SCRAM-01 a <method> exchange ends in CONNACK 0x00 with a server signature the client verifies (<algorithm>)
    Requirement: "The client sends CONNECT with Authentication-Method `SCRAM-SHA-256`
    (authenticator `algorithm: sha256`, the default) or `SCRAM-SHA-512` (`sha512`) and
    Authentication-Data `n,,n=<user>,r=<cnonce>`; the broker answers AUTH 0x18 with the same
    method and `r=<cnonce><snonce>,s=<base64 salt>,i=<count>`, the client sends AUTH 0x18 with
    `c=biws,r=<cnonce><snonce>,p=<base64 proof>`, and the broker answers CONNACK 0x00 carrying
    the method and `v=<base64 server signature>`, which the client verifies."
    Ambiguity A16, reading 1 (EMQX 6.x, sasl_auth 2.3.3): the server nonce is 15 characters
    from 0x22-0x7F without `,`, which can include DEL. Reading 2 (sasl_auth 2.3.4, the
    reference): 16 base62 characters. Either way the suite only requires that r= extends the
    client nonce and holds no `,`.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get"<algorithm_config>,
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the broker sent AUTH 0x18 with Authentication-Method "<method>"
    And the server-first message extends the client nonce
    And the connection is accepted
    And the CONNACK carries Authentication-Method "<method>"
    And the CONNACK's server signature verifies

    Examples:
      | method        | algorithm       | algorithm_config        |
      | SCRAM-SHA-256 | the default     |                         |
      | SCRAM-SHA-256 | sha256          | , "algorithm": "sha256" |
      | SCRAM-SHA-512 | sha512          | , "algorithm": "sha512" |

  @SCRAM-02
  Scenario: SCRAM-02 an accepted attempt makes one backend request, for the client-first message
    Requirement: "The broker sends at most one HTTP request per attempt, when the
    client-first message arrives and before its AUTH 0x18; the client-final step sends none.
    EMQX 6.2+ may answer from its authentication cache instead (on by default and keyed on
    CONNECT fields, not the SCRAM user name), so scenarios run with it off."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the SCRAM backend had received 1 request when the server-first message arrived
    And the SCRAM backend received 1 request

  @SCRAM-02
  Scenario: SCRAM-02 a refused attempt makes one backend request too
    Requirement: "The broker sends at most one HTTP request per attempt, when the
    client-first message arrives and before its AUTH 0x18; the client-final step sends none.
    EMQX 6.2+ may answer from its authentication cache instead (on by default and keyed on
    CONNECT fields, not the SCRAM user name), so scenarios run with it off."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "wrong"
    Then the connection is refused with 0x87
    And the SCRAM backend had received 1 request when the server-first message arrived
    And the SCRAM backend received 1 request

  @SCRAM-03
  Scenario Outline: SCRAM-03 the documented answer with its keys in <keys> case and its salt in <salt> case is usable
    Requirement: "The backend's 200 answer must carry `stored_key`, `server_key` and `salt` as
    hex (either case); the salt sent in `s=` is the hex-decoded bytes, and `i=` is the
    authenticator's `iteration_count` (default 4096), which the answer cannot change."
    The answer is the one EMQX's documentation shows for password "public": its salt is the
    hex of the 32 ASCII characters f3e6484794f5e231eed54d294d6ae917, and its keys verify only
    with those characters as the PBKDF2 salt and 4096 iterations.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "myuser" with the catalogue's documented answer for password "public"
    And the SCRAM backend's answer for "myuser" writes the keys in <keys> case and the salt in <salt> case
    When the SCRAM client connects as "myuser" with password "public"
    Then the server-first message carries the salt "f3e6484794f5e231eed54d294d6ae917"
    And the server-first message carries i=4096
    And the connection is accepted
    And the CONNACK's server signature verifies

    Examples:
      | keys  | salt  |
      | upper | lower |
      | lower | upper |

  @SCRAM-03
  Scenario Outline: SCRAM-03 i= is the iteration_count configured <configured>, whatever the answer says
    Requirement: "The backend's 200 answer must carry `stored_key`, `server_key` and `salt` as
    hex (either case); the salt sent in `s=` is the hex-decoded bytes, and `i=` is the
    authenticator's `iteration_count` (default 4096), which the answer cannot change."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get"<iteration_config>,
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "iteration_count": 1000
    When the SCRAM client connects as "u" with password "p"
    Then the server-first message carries i=<iterations>
    And the connection is accepted

    Examples:
      | configured | iteration_config          | iterations |
      | by default |                           | 4096       |
      | as 8192    | , "iteration_count": 8192 | 8192       |

  @SCRAM-04
  Scenario Outline: SCRAM-04 a wrong password gives CONNACK 0x87 without v= (<algorithm>)
    Requirement: "A wrong password (a client proof that does not verify) gives CONNACK 0x87
    without `v=`, never 0x86."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get", "algorithm": "<algorithm>",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "not-p"
    Then the connection is refused with 0x87
    And the CONNACK carries no server-final message

    Examples:
      | algorithm |
      | sha256    |
      | sha512    |

  @SCRAM-05
  Scenario Outline: SCRAM-05 a backend answer with status <status> makes SCRAM ignore the client (<profile>)
    Requirement: "Any status other than 200 (204, 3xx, 4xx, 5xx), a request timeout
    (`request_timeout`, default 5 s) or a connection error makes the authenticator ignore the
    client: with SCRAM alone the CONNECT gets CONNACK 0x87 at once, with no AUTH, under both
    profiles."
    Ambiguity A6 (resolved): the docs and EMQX's code agree that such an answer means ignore.
    The answer still carries the user's keys, so only its status can make the broker ignore
    the client.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the security profile is <profile>
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend answers with status <status>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker sent no AUTH packet

    Examples:
      | status | profile  |
      | 201    | legacy   |
      | 204    | legacy   |
      | 301    | legacy   |
      | 302    | legacy   |
      | 400    | legacy   |
      | 401    | legacy   |
      | 403    | legacy   |
      | 404    | legacy   |
      | 500    | legacy   |
      | 503    | legacy   |
      | 404    | hardened |
      | 503    | hardened |

  @SCRAM-05
  Scenario: SCRAM-05 a backend slower than request_timeout makes SCRAM ignore the client
    Requirement: "Any status other than 200 (204, 3xx, 4xx, 5xx), a request timeout
    (`request_timeout`, default 5 s) or a connection error makes the authenticator ignore the
    client: with SCRAM alone the CONNECT gets CONNACK 0x87 at once, with no AUTH, under both
    profiles."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get", "request_timeout": "300ms",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend answers after 1.5 seconds
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker sent no AUTH packet

  @SCRAM-05
  Scenario: SCRAM-05 a backend that cannot be reached makes SCRAM ignore the client
    Requirement: "Any status other than 200 (204, 3xx, 4xx, 5xx), a request timeout
    (`request_timeout`, default 5 s) or a connection error makes the authenticator ignore the
    client: with SCRAM alone the CONNECT gets CONNACK 0x87 at once, with no AUTH, under both
    profiles."
    Nothing listens on port 1 of the loopback address, so the connection is refused.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "http://127.0.0.1:1/auth?username=${username}"}]
      """
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker sent no AUTH packet

  @SCRAM-06
  Scenario Outline: SCRAM-06 a 200 answer that <problem> makes SCRAM ignore the client
    Requirement: "A 200 answer whose body does not parse, lacks `stored_key`, `server_key` or
    `salt`, or holds one that is not even-length hex also makes the authenticator ignore the
    client (0x87 at once when alone); a `result` field is not consulted, and the broker neither
    hangs nor crashes."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend has user "v" with password "p"
    And the SCRAM backend's answer for "u" <change>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker sent no AUTH packet
    And the broker then accepts a SCRAM client connecting as "v" with password "p"

    Examples:
      | problem                      | change                      |
      | lacks stored_key             | lacks "stored_key"          |
      | lacks server_key             | lacks "server_key"          |
      | lacks salt                   | lacks "salt"                |
      | has an odd-length hex salt   | has "salt": "abc"           |
      | has a stored_key not in hex  | has "stored_key": "0g1h"    |
      | has a server_key not in text | has "server_key": 42        |

  @SCRAM-06
  Scenario Outline: SCRAM-06 a 200 answer whose body is <body_kind> makes SCRAM ignore the client
    Requirement: "A 200 answer whose body does not parse, lacks `stored_key`, `server_key` or
    `salt`, or holds one that is not even-length hex also makes the authenticator ignore the
    client (0x87 at once when alone); a `result` field is not consulted, and the broker neither
    hangs nor crashes."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend answers with the body:
      """
      <body>
      """
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker sent no AUTH packet
    And the broker then accepts a SCRAM client connecting as "u" with password "p"

    Examples:
      | body_kind        | body                  |
      | not JSON         | stored_key=00         |
      | cut short        | {"stored_key": "00",  |
      | a JSON list      | ["stored_key"]        |
      | empty            |                       |

  @SCRAM-06
  Scenario Outline: SCRAM-06 a "result": "<result>" field in the answer is not consulted
    Requirement: "A 200 answer whose body does not parse, lacks `stored_key`, `server_key` or
    `salt`, or holds one that is not even-length hex also makes the authenticator ignore the
    client (0x87 at once when alone); a `result` field is not consulted, and the broker neither
    hangs nor crashes."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "result": "<result>"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the CONNACK's server signature verifies

    Examples:
      | result |
      | deny   |
      | ignore |

  @SCRAM-07
  Scenario: SCRAM-07 expire_at in the answer ends the authentication with DISCONNECT 0x87
    Requirement: "An `expire_at` in the answer ends the authentication at that time: the client
    gets DISCONNECT 0x87, and the rules from the answer's `acl` expire at the same moment."
    The rules cannot be observed to expire on a connection the broker closes at that moment;
    the disconnect is what this scenario checks.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "expire_at": NOW+2
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the SCRAM client is disconnected with 0x87 once the answer's expire_at has passed

  @SCRAM-08 @ambiguity @A7
  Scenario Outline: SCRAM-08 a CONNECT with Authentication-Method "<method>" to a <algorithm> authenticator is ignored
    Requirement: "A CONNECT whose Authentication-Method is not the authenticator's (e.g.
    `SCRAM-SHA-1`, or `SCRAM-SHA-512` to a sha256 authenticator), or that has no
    Authentication-Data, is ignored, so with SCRAM alone it gets CONNACK 0x87; MQTT 5 suggests
    0x8C Bad authentication method (ambiguity A7)."
    Ambiguity A7, reading 1 (MQTT 5): a method no authenticator handles gets 0x8C Bad
    authentication method. Reading 2 (EMQX and the reference): the authenticator ignores the
    CONNECT, asks its backend nothing, and the chain ends in 0x87.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get", "algorithm": "<algorithm>",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client's CONNECT carries Authentication-Method "<method>"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker sent no AUTH packet
    And the SCRAM backend received no request

    Examples:
      | method        | algorithm |
      | SCRAM-SHA-1   | sha256    |
      | SCRAM-SHA-512 | sha256    |
      | SCRAM-SHA-256 | sha512    |
      | SCRAM-SHA3-256 | sha256   |

  @SCRAM-08 @ambiguity @A7
  Scenario: SCRAM-08 a CONNECT without Authentication-Data is ignored
    Requirement: "A CONNECT whose Authentication-Method is not the authenticator's (e.g.
    `SCRAM-SHA-1`, or `SCRAM-SHA-512` to a sha256 authenticator), or that has no
    Authentication-Data, is ignored, so with SCRAM alone it gets CONNACK 0x87; MQTT 5 suggests
    0x8C Bad authentication method (ambiguity A7)."
    Ambiguity A7: see the scenario above.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client's CONNECT carries no Authentication-Data
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker sent no AUTH packet
    And the SCRAM backend received no request

  @SCRAM-09
  Scenario Outline: SCRAM-09 a client-first message with <problem> gives CONNACK 0x87
    Requirement: "Malformed SCRAM messages give CONNACK 0x87 and never crash the broker:
    channel-binding flag `p=`, an `m=` extension, an empty user name or nonce, a client-final
    nonce other than the combined nonce, a `c=` whose GS2 header differs from the first
    message's, bad base64, or a proof of the wrong length. Flag `y` and an `a=` authorization
    identity are accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client's client-first message is malformed: <kind>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker then accepts a SCRAM client connecting as "u" with password "p"

    Examples:
      | problem                        | kind            |
      | channel-binding flag p=        | channel-binding |
      | an m= extension                | extension       |
      | an empty user name             | empty-user      |
      | an empty nonce                 | empty-nonce     |

  @SCRAM-09
  Scenario Outline: SCRAM-09 a client-final message with <problem> gives CONNACK 0x87
    Requirement: "Malformed SCRAM messages give CONNACK 0x87 and never crash the broker:
    channel-binding flag `p=`, an `m=` extension, an empty user name or nonce, a client-final
    nonce other than the combined nonce, a `c=` whose GS2 header differs from the first
    message's, bad base64, or a proof of the wrong length. Flag `y` and an `a=` authorization
    identity are accepted."
    A changed nonce or c= comes with a proof computed over the message as sent, so only the
    nonce or channel-binding check can refuse it.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client's client-final message is malformed: <kind>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker then accepts a SCRAM client connecting as "u" with password "p"

    Examples:
      | problem                                  | kind                  |
      | a nonce other than the combined nonce    | nonce-mismatch        |
      | the client nonce alone                   | client-nonce-only     |
      | a c= of another GS2 header               | gs2-mismatch          |
      | a c= asking for channel binding          | final-channel-binding |
      | a proof not in base64                    | bad-base64-proof      |
      | a c= not in base64                       | bad-base64-binding    |
      | a proof too short                        | short-proof           |
      | a proof too long                         | long-proof            |

  @SCRAM-09
  Scenario Outline: SCRAM-09 a client whose GS2 header is "<header>" is accepted
    Requirement: "Malformed SCRAM messages give CONNACK 0x87 and never crash the broker:
    channel-binding flag `p=`, an `m=` extension, an empty user name or nonce, a client-final
    nonce other than the combined nonce, a `c=` whose GS2 header differs from the first
    message's, bad base64, or a proof of the wrong length. Flag `y` and an `a=` authorization
    identity are accepted."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client's GS2 header is "<header>"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the CONNACK's server signature verifies

    Examples:
      | header     |
      | y,,        |
      | n,a=admin, |
      | y,a=u,     |

  @SCRAM-10
  Scenario: SCRAM-10 the request's placeholders are filled from the SCRAM exchange and the CONNECT
    Requirement: "In the request, `${username}` is the SCRAM user name from `n=` (with `=2C` and
    `=3D` unescaped), not the CONNECT Username; `${clientid}` is the CONNECT Client ID,
    `${password}` renders as empty, and `${peerhost}`, `${cert_common_name}`,
    `${cert_subject}` and `${client_attrs.NAME}` are also filled."
    The connection has no TLS and the client no attributes, so the certificate and attribute
    placeholders are filled with nothing.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}&clientid=${clientid}&password=${password}&peerhost=${peerhost}&cn=${cert_common_name}&subject=${cert_subject}&tenant=${client_attrs.tenant}"}]
      """
    And the SCRAM backend has user "a,b=c" with password "p"
    And the client's username is "connect-user"
    And the client's password is "connect-password"
    When the SCRAM client connects as "a,b=c" with password "p"
    Then the connection is accepted
    And the SCRAM backend's request has query parameter "username" = "a,b=c"
    And the SCRAM backend's request has query parameter "clientid" = "<client ID>"
    And the SCRAM backend's request has query parameter "password" = ""
    And the SCRAM backend's request has query parameter "peerhost" = "<client address>"
    And the SCRAM backend's request has query parameter "cn" = ""
    And the SCRAM backend's request has query parameter "subject" = ""
    And the SCRAM backend's request has query parameter "tenant" = ""

  @SCRAM-11
  Scenario: SCRAM-11 with method get the body map goes into the query, after the url's own query
    Requirement: "With `method: get` the rendered `body` map is URL-encoded into the query
    string, after any query already in `url`; with `method: post` it is sent as a JSON body, or
    form-encoded when `content-type: application/x-www-form-urlencoded` is configured."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?from=url",
        "body": {"username": "${username}", "clientid": "${clientid}"}}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the SCRAM backend's request is a GET to "/auth"
    And the SCRAM backend's request query starts with "from=url&"
    And the SCRAM backend's request has query parameter "username" = "u"
    And the SCRAM backend's request has query parameter "clientid" = "<client ID>"

  @SCRAM-11
  Scenario: SCRAM-11 with method post the body map is sent as JSON
    Requirement: "With `method: get` the rendered `body` map is URL-encoded into the query
    string, after any query already in `url`; with `method: post` it is sent as a JSON body, or
    form-encoded when `content-type: application/x-www-form-urlencoded` is configured."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "post",
        "url": "<scram backend url>/auth",
        "body": {"username": "${username}", "clientid": "${clientid}"}}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the SCRAM backend's request is a POST to "/auth"
    And the SCRAM backend's request body is the JSON object:
      """json
      {"username": "u", "clientid": "<client ID>"}
      """

  @SCRAM-11
  Scenario: SCRAM-11 with method post and a form content-type the body map is form-encoded
    Requirement: "With `method: get` the rendered `body` map is URL-encoded into the query
    string, after any query already in `url`; with `method: post` it is sent as a JSON body, or
    form-encoded when `content-type: application/x-www-form-urlencoded` is configured."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "post",
        "url": "<scram backend url>/auth",
        "headers": {"content-type": "application/x-www-form-urlencoded"},
        "body": {"username": "${username}"}}]
      """
    And the SCRAM backend has user "a,b" with password "p"
    When the SCRAM client connects as "a,b" with password "p"
    Then the connection is accepted
    And the SCRAM backend's request is a POST to "/auth"
    And the SCRAM backend's request body is "username=a%2Cb"

  @SCRAM-12
  Scenario Outline: SCRAM-12 a <method> request carries EMQX's default headers
    Requirement: "Requests carry `accept: application/json`, `cache-control: no-cache`,
    `connection: keep-alive` and `keep-alive: timeout=30, max=1000`, and POST adds
    `content-type: application/json`; configured headers are lower-cased and merged in, may use
    placeholders, and a configured `content-type` is dropped for GET."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "<config_method>",
        "url": "<scram backend url>/auth", "body": {"username": "${username}"}}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the SCRAM backend's request is a <method> to "/auth"
    And the SCRAM backend's request has header "accept" = "application/json"
    And the SCRAM backend's request has header "cache-control" = "no-cache"
    And the SCRAM backend's request has header "connection" = "keep-alive"
    And the SCRAM backend's request has header "keep-alive" = "timeout=30, max=1000"
    And the SCRAM backend's request <content_type>

    Examples:
      | method | config_method | content_type                                      |
      | GET    | get           | has no header "content-type"                      |
      | POST   | post          | has header "content-type" = "application/json"   |

  @SCRAM-12
  Scenario: SCRAM-12 configured headers replace the defaults of the same name and may use placeholders
    Requirement: "Requests carry `accept: application/json`, `cache-control: no-cache`,
    `connection: keep-alive` and `keep-alive: timeout=30, max=1000`, and POST adds
    `content-type: application/json`; configured headers are lower-cased and merged in, may use
    placeholders, and a configured `content-type` is dropped for GET."
    "Accept" is configured with a capital: lower-cased, it replaces the default accept
    instead of being sent beside it.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}",
        "headers": {"Accept": "application/x-www-form-urlencoded", "X-Client": "id-${clientid}",
                    "content-type": "application/json"}}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the SCRAM backend's request has header "accept" = "application/x-www-form-urlencoded"
    And the SCRAM backend's request has header "x-client" = "id-<client ID>"
    And the SCRAM backend's request has header "cache-control" = "no-cache"
    And the SCRAM backend's request has no header "content-type"

  @SCRAM-13
  Scenario Outline: SCRAM-13 an answer with Content-Type "<content_type>" is used
    Requirement: "The answer's Content-Type must start with `application/json` or
    `application/x-www-form-urlencoded`; any other makes the authenticator ignore the client
    (0x87 when alone). The docs require JSON only (ambiguity A11)."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend answers with Content-Type "<content_type>"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the CONNACK's server signature verifies

    Examples:
      | content_type                    |
      | application/json                |
      | application/json; charset=utf-8 |

  @SCRAM-13 @ambiguity @A11
  Scenario: SCRAM-13 a form-encoded answer is used
    Requirement: "The answer's Content-Type must start with `application/json` or
    `application/x-www-form-urlencoded`; any other makes the authenticator ignore the client
    (0x87 when alone). The docs require JSON only (ambiguity A11)."
    Ambiguity A11, reading 1 (the docs): the answer must be application/json, so a
    form-encoded one makes the authenticator ignore the client. Reading 2 (EMQX's code, the
    reference): a form-encoded answer is read as well, and the client is accepted.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend answers form-encoded
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the CONNACK's server signature verifies

  @SCRAM-13
  Scenario Outline: SCRAM-13 a JSON answer with Content-Type <content_type> makes SCRAM ignore the client
    Requirement: "The answer's Content-Type must start with `application/json` or
    `application/x-www-form-urlencoded`; any other makes the authenticator ignore the client
    (0x87 when alone). The docs require JSON only (ambiguity A11)."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend answers <how>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87
    And the broker sent no AUTH packet

    Examples:
      | content_type             | how                                          |
      | text/plain               | with Content-Type "text/plain"               |
      | text/json                | with Content-Type "text/json"                |
      | application/octet-stream | with Content-Type "application/octet-stream" |
      | missing                  | without a Content-Type                       |

  @SCRAM-14
  Scenario Outline: SCRAM-14 expire_at <what> <effect>
    Requirement: "`expire_at` is an integer in Unix seconds; a past value, a non-integer, or one
    that looks like milliseconds (greater than half the current time in ms) makes the
    authenticator ignore the client (0x87 when alone)."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "expire_at": <expire_at>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is <outcome>

    Examples:
      | what                             | expire_at      | effect                   | outcome           |
      | an hour ahead in Unix seconds    | NOW+3600       | is accepted              | accepted          |
      | in the past                      | NOW-60         | makes SCRAM ignore it    | refused with 0x87 |
      | with a fraction                  | NOW+3600.5     | makes SCRAM ignore it    | refused with 0x87 |
      | in Unix milliseconds             | NOW_MS+3600000 | makes SCRAM ignore it    | refused with 0x87 |

  @SCRAM-15
  Scenario Outline: SCRAM-15 is_superuser <value> <effect>
    Requirement: "`is_superuser` in the answer (values as in JWT-CLAIM-07) makes the client a
    superuser once the exchange succeeds, so authorization allows it everything."
    Authorization denies what no rule allows, and no rule allows anything.

    Given the authentication chain:
      """json
      {"authentication": [{"mechanism": "scram", "backend": "http", "method": "get",
                           "url": "<scram backend url>/auth?username=${username}"}],
       "authorization": {"no_match": "deny", "cache": {"enable": false}, "sources": []}}
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "is_superuser": <value>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the SCRAM client's subscription to "any/topic" is <outcome>

    Examples:
      | value   | effect                       | outcome           |
      | true    | makes the client a superuser | granted           |
      | "true"  | makes the client a superuser | granted           |
      | 1       | makes the client a superuser | granted           |
      | "1"     | makes the client a superuser | granted           |
      | false   | does not                     | refused with 0x87 |
      | 0       | does not                     | refused with 0x87 |
      | "false" | does not                     | refused with 0x87 |

  @SCRAM-16
  Scenario: SCRAM-16 acl rules in the answer are enforced
    Requirement: "`acl` in the answer must be a list of new-format rules, enforced as in
    JWT-ACL-05; an object or an invalid rule makes the authenticator ignore the client (0x87
    when alone), where JWT refuses an invalid rule with 0x86."

    Given the authentication chain:
      """json
      {"authentication": [{"mechanism": "scram", "backend": "http", "method": "get",
                           "url": "<scram backend url>/auth?username=${username}"}],
       "authorization": {"no_match": "deny", "cache": {"enable": false}, "sources": []}}
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "acl": [{"permission": "allow", "action": "subscribe", "topic": "t/allowed"}]
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the SCRAM client's subscription to "t/allowed" is granted
    And the SCRAM client's subscription to "t/other" is refused with 0x87

  @SCRAM-16
  Scenario Outline: SCRAM-16 an acl that is <problem> makes SCRAM ignore the client
    Requirement: "`acl` in the answer must be a list of new-format rules, enforced as in
    JWT-ACL-05; an object or an invalid rule makes the authenticator ignore the client (0x87
    when alone), where JWT refuses an invalid rule with 0x86."

    Given the authentication chain:
      """json
      {"authentication": [{"mechanism": "scram", "backend": "http", "method": "get",
                           "url": "<scram backend url>/auth?username=${username}"}],
       "authorization": {"no_match": "deny", "cache": {"enable": false}, "sources": []}}
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "acl": <acl>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87

    Examples:
      | problem                          | acl                                                                      |
      | an object (the old token format) | {"sub": ["t/allowed"]}                                                   |
      | a list with an invalid rule      | [{"permission": "maybe", "action": "subscribe", "topic": "t/allowed"}]   |

  @SCRAM-17
  Scenario: SCRAM-17 client_attrs in the answer become the client's attributes
    Requirement: "`client_attrs` in the answer become the client's attributes as in
    JWT-ATTR-01 and JWT-ATTR-02; a value that is not a string fails the attempt (0x87 when
    SCRAM is alone)."
    As in JWT-ATTR-02, a key that is not a valid attribute name is dropped.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "client_attrs": {"tenant": "acme", "bad key!": "dropped"}
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the broker shows the SCRAM client with attribute "tenant" = "acme"
    And the broker shows the SCRAM client without attribute "bad key!"

  @SCRAM-17
  Scenario Outline: SCRAM-17 a client_attrs value that is <kind> fails the attempt
    Requirement: "`client_attrs` in the answer become the client's attributes as in
    JWT-ATTR-01 and JWT-ATTR-02; a value that is not a string fails the attempt (0x87 when
    SCRAM is alone)."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "client_attrs": {"tenant": <value>}
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x87

    Examples:
      | kind       | value      |
      | a number   | 42         |
      | a boolean  | true       |
      | an object  | {"a": "b"} |

  @SCRAM-18
  Scenario: SCRAM-18 clientid_override in the answer is ignored
    Requirement: "`clientid_override` in the answer is ignored: the client keeps its CONNECT
    Client ID."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM backend's answer for "u" has "clientid_override": "overridden-id"
    And the client's client ID is "scram-18-client"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the broker shows the client under client ID "scram-18-client"

  @SCRAM-19
  Scenario Outline: SCRAM-19 a client without enhanced authentication is refused when SCRAM is the only authenticator (MQTT <version>)
    Requirement: "SCRAM serves MQTT 5 only: an MQTT 3.1.1 client whose only authenticator is
    SCRAM gets return code 5."
    The client sends the SCRAM user's name and password in the CONNECT, which is not how
    SCRAM authenticates: SCRAM ignores it, and so the chain refuses it.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the client speaks MQTT <version>
    And the client's username is "u"
    And the client's password is "p"
    When the client connects
    Then the connection is refused with 0x87

    Examples:
      | version |
      | 5       |

    @v311
    Examples: MQTT 3.1.1 return codes
      | version |
      | 3.1.1   |

  @SCRAM-20
  Scenario: SCRAM-20 an AUTH with another Authentication-Method while connecting gets CONNACK 0x8C
    Requirement: "An AUTH whose Authentication-Method differs from the CONNECT's gets CONNACK
    0x8C while connecting and DISCONNECT 0x8C once connected."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client sends its client-final message in an AUTH with Authentication-Method "SCRAM-SHA-512"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x8C

  @SCRAM-20
  Scenario: SCRAM-20 an AUTH with another Authentication-Method once connected gets DISCONNECT 0x8C
    Requirement: "An AUTH whose Authentication-Method differs from the CONNECT's gets CONNACK
    0x8C while connecting and DISCONNECT 0x8C once connected."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    When the SCRAM client sends AUTH 0x19 with Authentication-Method "SCRAM-SHA-512"
    Then the SCRAM client is disconnected with 0x8C within 1 second

  @SCRAM-21
  Scenario: SCRAM-21 an AUTH without Authentication-Method while connecting gets CONNACK 0x82
    Requirement: "An AUTH without Authentication-Method gets CONNACK 0x82 while connecting and
    DISCONNECT 0x82 once connected."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client sends its client-final message in an AUTH with no Authentication-Method
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x82

  @SCRAM-21
  Scenario: SCRAM-21 an AUTH without Authentication-Method once connected gets DISCONNECT 0x82
    Requirement: "An AUTH without Authentication-Method gets CONNACK 0x82 while connecting and
    DISCONNECT 0x82 once connected."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    When the SCRAM client sends AUTH 0x19 with no Authentication-Method
    Then the SCRAM client is disconnected with 0x82 within 1 second

  @SCRAM-22
  Scenario Outline: SCRAM-22 an AUTH <code> answering the server-first message gets CONNACK 0x82
    Requirement: "An AUTH whose reason code the state does not expect (connecting or
    re-authenticating: only 0x18; connected: only 0x19) gets CONNACK 0x82 while connecting and
    DISCONNECT 0x82 once connected."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client sends its client-final message in an AUTH with reason code <code>
    When the SCRAM client connects as "u" with password "p"
    Then the connection is refused with 0x82

    Examples:
      | code |
      | 0x19 |
      | 0x00 |

  @SCRAM-22
  Scenario Outline: SCRAM-22 an AUTH <code> from a connected client gets DISCONNECT 0x82
    Requirement: "An AUTH whose reason code the state does not expect (connecting or
    re-authenticating: only 0x18; connected: only 0x19) gets CONNACK 0x82 while connecting and
    DISCONNECT 0x82 once connected."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    When the SCRAM client sends AUTH <code> with the connection's Authentication-Method
    Then the SCRAM client is disconnected with 0x82 within 1 second

    Examples:
      | code |
      | 0x18 |
      | 0x00 |

  @SCRAM-22
  Scenario: SCRAM-22 an AUTH 0x19 in the middle of a re-authentication gets DISCONNECT 0x82
    Requirement: "An AUTH whose reason code the state does not expect (connecting or
    re-authenticating: only 0x18; connected: only 0x19) gets CONNACK 0x82 while connecting and
    DISCONNECT 0x82 once connected."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    When the SCRAM client starts a re-authentication as "u"
    And the SCRAM client sends AUTH 0x19 with the connection's Authentication-Method
    Then the SCRAM client is disconnected with 0x82 within 1 second

  @SCRAM-23
  Scenario: SCRAM-23 a connected client re-authenticates and gets AUTH 0x00 with v=
    Requirement: "Re-authentication: a connected client sends AUTH 0x19 with a new client-first
    message, the broker answers AUTH 0x18, and after the client's AUTH 0x18 the broker sends
    AUTH 0x00 with `v=`, or DISCONNECT 0x87 on failure."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    When the SCRAM client re-authenticates as "u" with password "p"
    Then the re-authentication ends in AUTH 0x00 with a server signature that verifies
    And the SCRAM backend received 2 requests
    And the connection is still open after 0.1 seconds

  @SCRAM-23
  Scenario: SCRAM-23 a failed re-authentication gets DISCONNECT 0x87
    Requirement: "Re-authentication: a connected client sends AUTH 0x19 with a new client-first
    message, the broker answers AUTH 0x18, and after the client's AUTH 0x18 the broker sends
    AUTH 0x00 with `v=`, or DISCONNECT 0x87 on failure."

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    When the SCRAM client re-authenticates as "u" with password "not-p"
    Then the SCRAM client is disconnected with 0x87 within 1 second

  @SCRAM-24
  Scenario: SCRAM-24 a client that pauses longer than the idle timeout between steps completes the exchange
    Requirement: "The exchange has no timeout of its own: a client that pauses between steps
    for longer than `mqtt.idle_timeout` still completes it (EMQX stops the idle timer once
    CONNECT arrives)."
    The pause is the target's idle timeout plus 0.3 s: EMQX's mqtt.idle_timeout is 15 s by
    default; the in-process reference runs with 1 s to keep the suite fast.

    Given the authentication chain:
      """json
      [{"mechanism": "scram", "backend": "http", "method": "get",
        "url": "<scram backend url>/auth?username=${username}"}]
      """
    And the SCRAM backend has user "u" with password "p"
    And the SCRAM client pauses longer than the broker's idle timeout before its client-final message
    When the SCRAM client connects as "u" with password "p"
    Then the connection is accepted
    And the CONNACK's server signature verifies
