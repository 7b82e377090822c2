package core

import (
	"crypto/sha256"
	"encoding/hex"
)

// Fingerprint returns a short, non-reversible digest of a secret (a bot
// token, an access token): the first 12 hexadecimal digits of its SHA-256
// under a gosdk-specific prefix. Limiter keys and log records identify a
// token by its fingerprint, never by the token itself. Equal secrets have
// equal fingerprints, so two clients of one token share their limits.
func Fingerprint(secret string) string {
	h := sha256.New()
	h.Write([]byte("gosdk limiter key\x00"))
	h.Write([]byte(secret))
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:6])
}

// LimitKey builds a limiter key in the scheme every gosdk client uses:
//
//	<party>:<kind>:<fingerprint>[:<scope>]
//
// party is the client ("telegram", "vk", "ok", "esia"), kind what the
// key paces ("bot" for everything a Telegram bot sends, "chat" and "group"
// for one chat, "app", "page", ...), fingerprint the [Fingerprint] of the
// token the request is made with, and scope, when not empty, the chat or
// page inside that token's budget. For example
// "telegram:chat:3f9a1c2b7d4e:-1001234567890". Rules of a [KeyedLimiter]
// select keys by prefix, such as "telegram:group:".
func LimitKey(party, kind, fingerprint, scope string) string {
	k := party + ":" + kind + ":" + fingerprint
	if scope != "" {
		k += ":" + scope
	}
	return k
}
