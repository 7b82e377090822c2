package gpmock

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
)

// CredentialKeyEnv is the environment variable a standalone server reads
// its credential key from (cmd/gosmock): 32 bytes as 64 hex digits or
// standard base64.
const CredentialKeyEnv = "GOSPUBLIKI_CREDENTIAL_KEY"

// SandboxCredentialKey returns the fixed key the sandbox encrypts page
// credentials under. SANDBOX-ONLY: it is public (anyone can derive it), so
// it protects nothing; a server holding real credentials takes its own key
// from WithCredentialKey.
func SandboxCredentialKey() []byte {
	k := sha256.Sum256([]byte("gospubliki sandbox-only credential key; never use for real credentials"))
	return k[:]
}

// ParseCredentialKey decodes a credential key written as 64 hex digits or
// as standard base64 of 32 bytes. Its error never repeats the input.
func ParseCredentialKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, errors.New("gpmock: a credential key is 32 bytes written as 64 hex digits or base64")
}

// WithCredentialKey sets the AES-256 key (32 bytes) page credentials are
// encrypted under at rest (AES-GCM, a random nonce per encryption, the
// page's cabinet and reference as additional data). Without it the server
// draws a random key: credentials it stores cannot be read by another
// server. A key of another length makes connecting a page fail.
func WithCredentialKey(key []byte) Option {
	return func(s *Server) {
		s.sealer, s.sealerErr = newSealer(key)
	}
}

// sealer encrypts and decrypts page credentials.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	if len(key) != 32 {
		return nil, errors.New("gpmock: the credential key must be 32 bytes")
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: g}, nil
}

func randomSealer() *sealer {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	s, _ := newSealer(k)
	return s
}

// aad binds a ciphertext to its page, so that one page's credentials
// cannot be moved to another in an imported state.
func aad(cabinetID int64, ref string) []byte {
	return []byte("gospubliki/community/" + ref + "/" + itoa(cabinetID))
}

// seal returns nonce ‖ ciphertext of the credentials' JSON.
func (s *sealer) seal(cr CommunityCredentials, cabinetID int64, ref string) ([]byte, error) {
	plain, err := json.Marshal(cr)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := s.aead.Seal(nonce, nonce, plain, aad(cabinetID, ref))
	clear(plain)
	return out, nil
}

// errSealed is the error of credentials that cannot be decrypted (another
// key, or tampered with).
var errSealed = errors.New("gpmock: the page's credentials cannot be decrypted with this server's key")

func (s *sealer) open(box []byte, cabinetID int64, ref string) (CommunityCredentials, error) {
	var cr CommunityCredentials
	n := s.aead.NonceSize()
	if len(box) < n+s.aead.Overhead() {
		return cr, errSealed
	}
	plain, err := s.aead.Open(nil, box[:n], box[n:], aad(cabinetID, ref))
	if err != nil {
		return cr, errSealed
	}
	defer clear(plain)
	if err := json.Unmarshal(plain, &cr); err != nil {
		return cr, errSealed
	}
	return cr, nil
}
