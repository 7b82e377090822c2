package ok_test

import (
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gospubliki/gosdk/ok"
)

// The published test vectors (aiookru documentation, recomputed).
const (
	vecToken         = "-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7"
	vecAppSecret     = "ABC123DEF456GHI789JKL123"
	vecTokenSecret   = "b1a2b89707a94624c43afae67d59274c"
	vecAppKey        = "ABCDEFGHIGKLMNOPK"
	vecSig           = "232c8eb921951c4dba9b72606f9ddb4c"
	vecSessionSecret = "ae5362b5b588cc7294c2414d71b74d5d"
	vecSessionSig    = "03a41413523ea8092507949d6e711963"
)

func vecParams() url.Values {
	return url.Values{"application_key": {vecAppKey}, "format": {"json"}, "method": {"events.get"}, "access_token": {vecToken}}
}

func TestSecretFromTokenVector(t *testing.T) {
	assert.Equal(t, vecTokenSecret, ok.SecretFromToken(vecToken, vecAppSecret))
}

func TestSignatureVectors(t *testing.T) {
	p := vecParams()
	assert.Equal(t, vecSig, ok.Signature(p, vecTokenSecret))
	assert.Equal(t, vecSessionSig, ok.Signature(p, vecSessionSecret))
	// sig and access_token never take part.
	p.Set("sig", "whatever")
	p.Set("access_token", "another token")
	assert.Equal(t, vecSig, ok.Signature(p, vecTokenSecret))
	p.Set("sig", vecSig)
	assert.True(t, ok.CheckSignature(p, vecTokenSecret))
	assert.False(t, ok.CheckSignature(p, vecSessionSecret))
	p.Set("format", "JSON")
	assert.False(t, ok.CheckSignature(p, vecTokenSecret), "values are signed as sent")
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestSignatureRawUTF8SortedByBytes(t *testing.T) {
	p := url.Values{
		"text":   {"Привет, мир & a=b"},
		"empty":  {""},
		"Zeta":   {"upper sorts first"},
		"fields": {"a,b"},
	}
	// Byte order: "Zeta" < "empty" < "fields" < "text"; values raw, UTF-8.
	want := md5hex("Zeta=upper sorts first" + "empty=" + "fields=a,b" + "text=Привет, мир & a=b" + "s3cr3t")
	assert.Equal(t, want, ok.Signature(p, "s3cr3t"))
	// A repeated parameter is signed as its values joined by commas.
	assert.Equal(t, ok.Signature(url.Values{"ids": {"1,2"}}, "k"), ok.Signature(url.Values{"ids": {"1", "2"}}, "k"))
	// Nothing to sign but the secret.
	assert.Equal(t, md5hex("k"), ok.Signature(url.Values{"sig": {"x"}, "access_token": {"y"}}, "k"))
}
