package ok

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"net/url"
	"slices"
)

// Parameters that never take part in the signature: the signature itself
// and the OAuth access token (whose secret is mixed into the signing key
// instead).
const (
	paramSig         = "sig"
	paramAccessToken = "access_token"
)

// SecretFromToken returns the signing secret of a call made with an OAuth
// access token and no session secret key: the lowercase hexadecimal MD5 of
// accessToken followed by applicationSecretKey (both as UTF-8 bytes).
func SecretFromToken(accessToken, applicationSecretKey string) string {
	var arr [256]byte
	buf := arr[:0]
	if n := len(accessToken) + len(applicationSecretKey); n > len(arr) {
		buf = make([]byte, 0, n)
	}
	buf = append(append(buf, accessToken...), applicationSecretKey...)
	sum := md5.Sum(buf)
	return hex.EncodeToString(sum[:])
}

// Signature returns OK's request signature (the sig parameter) of params
// under secret:
//
//  1. drop sig and access_token;
//  2. sort the remaining parameters by name, comparing bytes;
//  3. join them as name=value with no separator, values raw (not
//     URL-encoded), as UTF-8;
//  4. append secret and take the lowercase hexadecimal MD5.
//
// secret is the session secret key when the call has one, otherwise
// SecretFromToken(accessToken, applicationSecretKey) for a call with an
// access token, or the application secret key for a call without a
// session. A parameter given several times is joined as its values
// separated by commas, the way the client sends list parameters; the
// client itself never sends a name twice.
func Signature(params url.Values, secret string) string {
	// Small requests sign without heap allocations but the result.
	var keyArr [16]string
	keys := keyArr[:0]
	n := len(secret)
	for k, vs := range params {
		if k == paramSig || k == paramAccessToken {
			continue
		}
		keys = append(keys, k)
		n += len(k) + 1
		for _, v := range vs {
			n += len(v) + 1
		}
	}
	slices.Sort(keys)
	var bufArr [512]byte
	buf := bufArr[:0]
	if n > len(bufArr) {
		buf = make([]byte, 0, n)
	}
	for _, k := range keys {
		buf = append(buf, k...)
		buf = append(buf, '=')
		for i, v := range params[k] {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, v...)
		}
	}
	buf = append(buf, secret...)
	sum := md5.Sum(buf)
	return hex.EncodeToString(sum[:])
}

// CheckSignature reports whether params carry the signature Signature
// computes for them under secret (params' own sig is ignored in the
// computation). The comparison takes constant time.
func CheckSignature(params url.Values, secret string) bool {
	want := Signature(params, secret)
	got := params.Get(paramSig)
	return len(got) == len(want) && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
