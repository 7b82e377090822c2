package okmock

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"net/url"
	"sort"
	"strings"
)

// Signature computes OK's request signature: the parameters except sig
// and access_token, sorted by key (byte order), joined as key=value with
// no separator, raw UTF-8 values, then lower(md5(joined + secret)). Only
// the first value of a repeated key counts.
func Signature(params url.Values, secret string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k == "sig" || k == "access_token" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := md5.New()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{'='})
		if v := params[k]; len(v) > 0 {
			h.Write([]byte(v[0]))
		}
	}
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil))
}

// SessionSecret derives the secret of a session call from an access token
// and the application secret: lower(md5(access_token + application
// secret)).
func SessionSecret(accessToken, appSecret string) string {
	sum := md5.Sum([]byte(accessToken + appSecret))
	return hex.EncodeToString(sum[:])
}

// verifySignature reports whether sig matches params under one of the
// secrets.
func verifySignature(params url.Values, sig string, secrets ...string) bool {
	sig = strings.ToLower(sig)
	if len(sig) != 32 {
		return false
	}
	ok := 0
	for _, s := range secrets {
		if s == "" {
			continue
		}
		ok |= subtle.ConstantTimeCompare([]byte(Signature(params, s)), []byte(sig))
	}
	return ok == 1
}
