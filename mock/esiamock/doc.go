// Package esiamock is a faithful emulator of ESIA (ЕСИА, the identity
// provider of Gosuslugi) for tests and demos: an [http.Handler] serving
// ESIA's own URL space over a [world.World].
//
// # Endpoints
//
//   - GET /aas/oauth2/ac and /aas/oauth2/v2/ac: authorization requests.
//     The legacy endpoint verifies a detached CMS (PKCS #7) client_secret
//     over scope+timestamp+client_id+state; v2 verifies a raw 64-byte GOST
//     R 34.10-2012-256 signature over
//     client_id+scope+scope_org+timestamp+state+redirect_uri and the
//     client_certificate_hash (Streebog-256 of the DER certificate). A
//     valid request leads to the login page (/login), then to the
//     organisation picker (/login/org) when scope_org or usr_org asks for
//     one, then to redirect_uri?code=…&state=….
//   - POST /aas/oauth2/te and /aas/oauth2/v3/te: token requests with
//     grant_type authorization_code, refresh_token or client_credentials.
//     v3 signs client_id+scope+scope_org+timestamp+state+redirect_uri+code
//     for codes. For refresh tokens public clients disagree between
//     client_id+scope+scope_org+timestamp+state+redirect_uri and
//     client_id+scope+timestamp+state+refresh_token; a system accepts
//     exactly one ([System.RefreshVariant], [WithRefreshVariant]), by
//     default the first, which the esia client signs by default, so a
//     client signing the other is caught with ESIA-007053.
//     client_credentials accepts
//     client_id+scope+scope_org+timestamp+state+redirect_uri (which equals
//     go-api-epgu's string when scope_org is empty).
//   - GET /rs/prns/{oid} (embed=(contacts.elements,…)), /ctts, /roles,
//     /orgs, /addrs, /docs, /kids, /vhls; /rs/orgs/{oid}, /emps,
//     /emps/{oid}, /emps/{oid}/grps, /grps, /grps/{grp_id}: the REST API,
//     with collections {"stateFacts":["hasSize"],"size":N,"elements":[…]}
//     whose elements are absolute URLs unless embed=(elements).
//   - GET /idp/ext/Logout?client_id=…&redirect_url=…: ends the single
//     sign-on session.
//   - GET /public/esia.zip and /_mock/esia/cert.pem: the emulator's
//     token-verification certificates; POST /_mock/esia/login: enqueue a
//     headless login (see [Server.EnqueueLogin]). On a sandbox's control
//     listener the same endpoints live under /_mock/esia/, plus
//     GET/POST /_mock/esia/systems to list and register systems (see
//     [Server.ServeControl]).
//
// # Tokens
//
// Access and id tokens are JWTs signed with the emulator's own key
// ([Keys]): GOST3410_2012_256 (64-byte signature, OpenSSL layout) or RS256
// according to the system's [System.JWTAlg]. Claims follow the real
// service: the access token header is {"ver":1,"typ":"JWT","sbt":"access",
// "alg":…}; its payload carries nbf, scope (person scopes suffixed with
// "?oid=<oid>", scope_org items with "?org_oid=<org>"), iss
// ("http://<host>/", http and the trailing slash even behind TLS),
// urn:esia:sid, urn:esia:sbj_id (a number), exp, iat and client_id. The id
// token carries iss, aud, sub (a number), nbf, iat, exp, auth_time, amr,
// urn:esia:amd, urn:esia:sid and urn:esia:sbj. Tokens live one hour on the
// world clock; refresh tokens are UUIDs, issued for access_type=offline
// and rotated on use.
//
// # Errors
//
// Errors use ESIA's shapes: a redirect to the callback with error,
// error_description ("ESIA-007014: The request doesn`t contain the
// mandatory parameter [state, client_id]." — with ESIA's backtick) and
// state for /ac; HTTP 400 JSON {"error","error_description","state"} for
// /te; {"code":"ESIA-005011","message":"SecurityErrorEnum.invalidToken"}
// for REST. When there is no trusted callback (unknown client_id or
// redirect_uri) /ac renders an HTML error page with status 400 and the
// description in the X-ESIA-Error header. See the Code constants for the
// codes used.
//
// Error texts seen in public bug reports and client sources, used
// verbatim: ESIA-007014 "The request doesn`t contain the mandatory
// parameter [...]." (with ESIA's backtick), ESIA-007005 "The client is not
// authorized to request an access token using this method.", ESIA-007011
// "The provided authorization grant or refresh token is invalid, expired,
// revoked, does not match the redirection URI used in the authorization
// request, or was issued to another client." (RFC 6749's wording, the same
// whatever the reason), ESIA-007053 "OAuthErrorEnum.clientSecretWrong" and
// the REST messages "SecurityErrorEnum.invalidToken", "expiredToken" and
// "scopeNotAllowed". Every other text (007002, 007003, 007004, 007006 to
// 007009, 007012, 007015, 007023, 007038 to 007040, 007194, 005030) is
// inferred from the code's published meaning and may differ from ESIA's
// own; the codes are what clients should match on.
//
// Sandbox choices where ESIA is not documented: timestamps may be
// [DefaultTimestampWindow] away from the world clock; state must be a
// UUID and may be used once per client and endpoint within the window
// (a replay answers ESIA-007003); codes live [DefaultCodeLifetime] and are
// one-time (reuse also revokes refresh tokens issued from them); a code
// must be exchanged at the generation that issued it; PKCE methods are
// S256 and GOST3411 (RFC 7636 "plain" answers ESIA-007003
// [code_challenge_method], and the esia client refuses to send it); REST "not found" is ESIA-005030 with HTTP 404; the
// org card needs an org scope bound to that organisation (scope_org or a
// "?org_oid=" item); groups use grp_id mnemonics from [GroupMnemonic].
//
// # Sandbox integration
//
// Requests go through the sandbox's emulator pipeline ([emu.Pipeline]):
// [Server.Adapter] reads the method (from the route, an http.ServeMux
// pattern), the credential (client_id, bearer token or login id) and
// renders ESIA's error formats; [Server.ServeCall] serves a request whose
// tenant it resolved. Served on its own ([Server.ServeHTTP]), the emulator
// has one world and a request's tenant is the X-Mock-Tenant header or,
// without it, "esia:<client_id>" of the system ([Server.ResetTenant] drops
// that system's runtime state); inside a sandbox every tenant has its own
// world and emulator, and [WithIssueHook] maps every client_id, login id and
// access token to it. Control endpoints ([Server.ServeControl]) answer
// JSON, errors as {"error": "..."}, and 405 for a wrong method. [DefaultKeys] and [DefaultClientCredentials]
// are fixed SANDBOX-ONLY keys embedded from keys/, so starting an emulator
// costs no key generation and the verification certificate is stable
// across runs.
//
// Every request is journalled under party "esia" (methods "ac", "v2/ac",
// "te", "v3/te", "login", "login/org", "logout", "rs/prns", "rs/orgs")
// with secrets replaced by a fingerprint marker and, for signed requests,
// a "signature_valid" parameter; fault rules for party "esia" answer in
// the same ESIA formats. Rules of kind drop_after and error_after run the
// request first (an authorization code is consumed, tokens are issued),
// then drop the connection or answer the rule's error instead of the
// result.
package esiamock
