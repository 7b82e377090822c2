package mock

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock/esiamock"
)

// TestSystemSignerParsedOnce: the same key and certificate give the same
// signer (parsed once, shared), which signs verifiably; a key that does not
// parse is refused, every time; keys beyond the cache's bound still work.
func TestSystemSignerParsedOnce(t *testing.T) {
	cc, err := esiamock.DefaultClientCredentials()
	require.NoError(t, err)
	a, err := systemSigner(string(cc.KeyPEM), string(cc.CertificatePEM))
	require.NoError(t, err)
	b, err := systemSigner(string(cc.KeyPEM), string(cc.CertificatePEM))
	require.NoError(t, err)
	assert.Same(t, a, b)
	sig, err := a.Sign(context.Background(), []byte("message"), esia.SignRaw)
	require.NoError(t, err)
	cert, err := gost.ParseCertificatePEM(cc.CertificatePEM)
	require.NoError(t, err)
	assert.True(t, gost.VerifyMessage(cert.PublicKey, []byte("message"), sig))

	for range 2 {
		_, err = systemSigner("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", string(cc.CertificatePEM))
		require.Error(t, err)
	}
	for range maxSystemSigners + 2 {
		o, err := esiamock.NewGOSTClientCredentials(rand.Reader, "OTHER")
		require.NoError(t, err)
		s, err := systemSigner(string(o.KeyPEM), string(o.CertificatePEM))
		require.NoError(t, err)
		assert.NotSame(t, a, s)
	}
	assert.LessOrEqual(t, systemSignerCount.Load(), int64(maxSystemSigners))
}
