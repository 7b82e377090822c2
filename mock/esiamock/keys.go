package esiamock

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"embed"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/esia/gost"
)

// Keys is the emulator's own signing material: a GOST R 34.10-2012-256 key
// and an RSA key with their self-signed certificates. JWTs of a system are
// signed with one of them according to its [System.JWTAlg]; the
// certificates are what an application configures to verify ESIA tokens
// (as it would load the files of esia.zip).
//
// SANDBOX ONLY: these keys are generated for the emulator and are never
// ESIA's.
type Keys struct {
	gostKey  *gost.PrivateKey
	gostCert []byte
	rsaKey   *rsa.PrivateKey
	rsaCert  []byte
}

// GenerateKeys creates fresh emulator keys from rand. It is slow (an RSA
// key); sandboxes share [DefaultKeys].
func GenerateKeys(rnd io.Reader) (*Keys, error) {
	now := time.Now().UTC().Truncate(time.Hour)
	return generateKeys(rnd, now.AddDate(-1, 0, 0), now.AddDate(10, 0, 0))
}

func generateKeys(rnd io.Reader, notBefore, notAfter time.Time) (*Keys, error) {
	gk, err := gost.GenerateKey(rnd, gost.CurveCryptoProA())
	if err != nil {
		return nil, fmt.Errorf("esiamock: gost key: %w", err)
	}
	tpl := &gost.CertificateTemplate{
		SerialNumber: big.NewInt(notBefore.Unix()),
		Subject:      pkix.Name{Country: []string{"RU"}, Organization: []string{"gosdk sandbox"}, CommonName: "ESIA SANDBOX GOST (not ESIA)"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
	}
	gcert, err := gost.CreateCertificate(rnd, tpl, &gk.PublicKey, nil, gk)
	if err != nil {
		return nil, fmt.Errorf("esiamock: gost certificate: %w", err)
	}
	rk, err := rsa.GenerateKey(rnd, 2048)
	if err != nil {
		return nil, fmt.Errorf("esiamock: rsa key: %w", err)
	}
	rtpl := &x509.Certificate{
		SerialNumber: big.NewInt(notBefore.Unix() + 1),
		Subject:      pkix.Name{Country: []string{"RU"}, Organization: []string{"gosdk sandbox"}, CommonName: "ESIA SANDBOX RSA (not ESIA)"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	rcert, err := x509.CreateCertificate(rnd, rtpl, rtpl, &rk.PublicKey, rk)
	if err != nil {
		return nil, fmt.Errorf("esiamock: rsa certificate: %w", err)
	}
	return &Keys{gostKey: gk, gostCert: gcert, rsaKey: rk, rsaCert: rcert}, nil
}

// ParseKeys loads emulator keys from PEM: a GOST private key and its
// certificate, and an RSA private key (PKCS #8 or PKCS #1) and its
// certificate.
func ParseKeys(gostKeyPEM, gostCertPEM, rsaKeyPEM, rsaCertPEM []byte) (*Keys, error) {
	gk, err := gost.ParsePrivateKeyPEM(gostKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("esiamock: gost key: %w", err)
	}
	gc, err := gost.ParseCertificatePEM(gostCertPEM)
	if err != nil {
		return nil, fmt.Errorf("esiamock: gost certificate: %w", err)
	}
	if !gc.PublicKey.Equal(&gk.PublicKey) {
		return nil, errors.New("esiamock: gost certificate does not match the key")
	}
	b, _ := pem.Decode(rsaKeyPEM)
	if b == nil {
		return nil, errors.New("esiamock: rsa key: no PEM block")
	}
	var rk *rsa.PrivateKey
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		var ok bool
		if rk, ok = k.(*rsa.PrivateKey); !ok {
			return nil, errors.New("esiamock: rsa key: not an RSA key")
		}
	} else if rk, err = x509.ParsePKCS1PrivateKey(b.Bytes); err != nil {
		return nil, fmt.Errorf("esiamock: rsa key: %w", err)
	}
	cb, _ := pem.Decode(rsaCertPEM)
	if cb == nil {
		return nil, errors.New("esiamock: rsa certificate: no PEM block")
	}
	rc, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("esiamock: rsa certificate: %w", err)
	}
	if !rk.PublicKey.Equal(rc.PublicKey) {
		return nil, errors.New("esiamock: rsa certificate does not match the key")
	}
	return &Keys{gostKey: gk, gostCert: gc.Raw, rsaKey: rk, rsaCert: cb.Bytes}, nil
}

var (
	defaultKeysOnce sync.Once
	defaultKeys     *Keys
	defaultKeysErr  error
)

// DefaultKeys returns the emulator keys shared by every sandbox: the fixed
// SANDBOX-ONLY keys embedded from keys/ (so the verification certificate
// is the same across runs and gosmock restarts), parsed once per process.
func DefaultKeys() (*Keys, error) {
	defaultKeysOnce.Do(func() {
		defaultKeys, defaultKeysErr = ParseKeys(embedded("esia_gost_key.pem"), embedded("esia_gost_cert.pem"),
			embedded("esia_rsa_key.pem"), embedded("esia_rsa_cert.pem"))
	})
	return defaultKeys, defaultKeysErr
}

// sandboxKeys holds the fixed sandbox keys. SANDBOX ONLY: published in the
// repository, never trusted by anything real.
//
//go:embed keys/*.pem
var sandboxKeys embed.FS

func embedded(name string) []byte {
	b, _ := sandboxKeys.ReadFile("keys/" + name)
	return b
}

// GOSTCertificatePEM returns the certificate that verifies
// GOST3410_2012_256 tokens.
func (k *Keys) GOSTCertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.gostCert})
}

// RSACertificatePEM returns the certificate that verifies RS256 tokens.
func (k *Keys) RSACertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.rsaCert})
}

// CertificatesPEM returns both certificates, GOST first: what an
// application loads to verify any token of the emulator.
func (k *Keys) CertificatesPEM() []byte {
	return append(k.GOSTCertificatePEM(), k.RSACertificatePEM()...)
}

// sign signs a JWT signing input with the key of alg.
func (k *Keys) sign(alg string, msg []byte) ([]byte, error) {
	switch alg {
	case AlgRS256:
		h := sha256.Sum256(msg)
		return rsa.SignPKCS1v15(rand.Reader, k.rsaKey, crypto.SHA256, h[:])
	case AlgGOST:
		return gost.SignMessage(rand.Reader, k.gostKey, msg)
	}
	return nil, fmt.Errorf("esiamock: unknown alg %q", alg)
}

// ClientCredentials are the secrets of a registered system as the
// application under test holds them. SANDBOX ONLY.
type ClientCredentials struct {
	// ClientID is the system's mnemonic.
	ClientID string
	// KeyPEM is the private key (PKCS #8 PEM).
	KeyPEM []byte
	// CertificatePEM is the certificate registered for the system.
	CertificatePEM []byte
	// CertificateHash is client_certificate_hash of the certificate.
	CertificateHash string
}

// NewGOSTClientCredentials creates a GOST R 34.10-2012-256 key (CryptoPro
// A parameters) and a self-signed certificate for a system.
func NewGOSTClientCredentials(rnd io.Reader, clientID string) (*ClientCredentials, error) {
	now := time.Now().UTC().Truncate(time.Hour)
	return newGOSTClientCredentials(rnd, clientID, now.AddDate(-1, 0, 0), now.AddDate(5, 0, 0))
}

func newGOSTClientCredentials(rnd io.Reader, clientID string, notBefore, notAfter time.Time) (*ClientCredentials, error) {
	k, err := gost.GenerateKey(rnd, gost.CurveCryptoProA())
	if err != nil {
		return nil, fmt.Errorf("esiamock: gost key: %w", err)
	}
	der, err := gost.CreateCertificate(rnd, &gost.CertificateTemplate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{Country: []string{"RU"}, Organization: []string{"gosdk sandbox"}, CommonName: clientID},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
	}, &k.PublicKey, nil, k)
	if err != nil {
		return nil, fmt.Errorf("esiamock: gost certificate: %w", err)
	}
	keyPEM, err := gost.EncodePrivateKeyPEM(k)
	if err != nil {
		return nil, fmt.Errorf("esiamock: gost key: %w", err)
	}
	return &ClientCredentials{
		ClientID:        clientID,
		KeyPEM:          keyPEM,
		CertificatePEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		CertificateHash: CertificateHash(der),
	}, nil
}

// NewRSAClientCredentials creates an RSA-2048 key and a self-signed
// certificate for a system (usable only with [WithRSAClients]).
func NewRSAClientCredentials(rnd io.Reader, clientID string) (*ClientCredentials, error) {
	k, err := rsa.GenerateKey(rnd, 2048)
	if err != nil {
		return nil, fmt.Errorf("esiamock: rsa key: %w", err)
	}
	now := time.Now().UTC().Truncate(time.Hour)
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{Country: []string{"RU"}, Organization: []string{"gosdk sandbox"}, CommonName: clientID},
		NotBefore:    now.AddDate(-1, 0, 0),
		NotAfter:     now.AddDate(5, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rnd, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		return nil, fmt.Errorf("esiamock: rsa certificate: %w", err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("esiamock: rsa key: %w", err)
	}
	return &ClientCredentials{
		ClientID:        clientID,
		KeyPEM:          pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}),
		CertificatePEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		CertificateHash: CertificateHash(der),
	}, nil
}

// DefaultClientID is the mnemonic of the system every sandbox registers.
const DefaultClientID = "GOSSDK_SANDBOX"

var (
	defaultClientOnce sync.Once
	defaultClient     *ClientCredentials
	defaultClientErr  error
)

// DefaultClientCredentials returns the GOST credentials of the
// [DefaultClientID] system: fixed SANDBOX-ONLY keys embedded from keys/,
// parsed once per process. The returned value is shared: do not modify it.
func DefaultClientCredentials() (*ClientCredentials, error) {
	defaultClientOnce.Do(func() {
		keyPEM, certPEM := embedded("client_gost_key.pem"), embedded("client_gost_cert.pem")
		k, err := gost.ParsePrivateKeyPEM(keyPEM)
		if err != nil {
			defaultClientErr = fmt.Errorf("esiamock: default client key: %w", err)
			return
		}
		c, err := gost.ParseCertificatePEM(certPEM)
		if err != nil {
			defaultClientErr = fmt.Errorf("esiamock: default client certificate: %w", err)
			return
		}
		if !c.PublicKey.Equal(&k.PublicKey) {
			defaultClientErr = errors.New("esiamock: default client certificate does not match its key")
			return
		}
		defaultClient = &ClientCredentials{ClientID: DefaultClientID, KeyPEM: keyPEM, CertificatePEM: certPEM, CertificateHash: CertificateHash(c.Raw)}
	})
	return defaultClient, defaultClientErr
}
