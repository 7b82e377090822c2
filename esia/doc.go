// Package esia is a client of ESIA (ЕСИА), the identity provider of
// Gosuslugi, for information systems (IS) registered on its tech portal.
//
// It covers the OAuth 2.0 / OpenID Connect flow with ESIA's signed client
// secret, token verification, the REST API for persons and organisations,
// and the check every government-page flow needs: is this user the chief or
// an administrator of organisation X ([Client.Authority]).
//
// # Protocols
//
// ESIA speaks two generations and the client speaks both ([Config].Protocol):
//
//   - [ProtocolV2] (default): GET /aas/oauth2/v2/ac and POST
//     /aas/oauth2/v3/te. client_secret is a raw GOST R 34.10-2012-256
//     signature (OpenSSL layout) and client_certificate_hash the Streebog-256
//     hash of the DER certificate. Signed strings:
//     ac: client_id+scope+scope_org+timestamp+state+redirect_uri;
//     te (code): the same + code; te (client_credentials):
//     client_id+scope+timestamp+state+redirect_uri; te (refresh): see
//     [RefreshSigning].
//   - [ProtocolLegacy]: /aas/oauth2/ac and /aas/oauth2/te with a detached
//     CMS (PKCS#7) signature of scope+timestamp+client_id+state.
//
// The timestamp is "2006.01.02 15:04:05 -0700" ([TimestampLayout]), state a
// UUID v4 ([NewState]); client_secret is base64url without padding unless
// [Config].SecretEncoding says otherwise.
//
// # Signing
//
// A [Signer] produces client_secret: [NewGOSTSigner] (in process, pure Go
// via esia/gost), [NewOpenSSLSigner] (openssl with the GOST engine),
// [NewCommandSigner] (CryptoPro csptest or any command; output byte-reversed
// by default) and [NewRSASigner] (test stands).
//
// # Flow
//
//	c, err := esia.New(esia.Config{ClientID: "MYIS", RedirectURL: cb,
//		Scopes: []string{"openid", "fullname", "usr_org"}, Signer: signer,
//		Certificates: [][]byte{esiaGOSTCertPEM, esiaRSACertPEM}})
//	state := esia.NewState()                        // keep it in the session
//	u, err := c.AuthCodeURL(ctx, state)             // redirect the browser
//	code, err := esia.ParseCallback(r, state)       // on the callback
//	tok, err := c.Exchange(ctx, code)               // *oauth2.Token, id_token in Extra
//	access, id, err := c.VerifyToken(tok)           // signature, iss, aud, times
//	a, err := c.Authority(ctx, oauth2.StaticTokenSource(tok), orgOID)
//
// Token requests go through the module's HTTP core (internal/transport):
// they are not idempotent (a code is single-use) and never retried once they
// may have reached ESIA; REST reads are retried. [Client.TokenSource]
// refreshes with a freshly signed secret, [Client.SystemToken] gets
// client_credentials tokens, [Client.HTTPClient] gives an authenticated
// *http.Client.
//
// # Tokens
//
// [Client.VerifyAccessToken] and [Client.VerifyIDToken] accept
// GOST3410_2012_256 (raw 64-byte signature over header.payload in the
// OpenSSL layout, as ESIA signs; the CryptoPro byte order only with
// [Config].AcceptReversedGOST) and RS256, trying every configured ESIA
// certificate (rotation). "none" and other algorithms are refused. iss must
// be the configured issuer ("http://esia.gosuslugi.ru/" for production),
// client_id (access) or aud (id) the IS, exp/nbf/iat within [Config].Leeway.
//
// # Errors
//
// ESIA answers become [*Error] with the ESIA code ([CodeClientSecretWrong],
// [CodeWrongTime], ...), matching sentinels such as [ErrClientSecretWrong]
// and [ErrInvalidGrant] with errors.Is. Secrets (client_secret, codes,
// tokens) never appear in errors or logs.
package esia
