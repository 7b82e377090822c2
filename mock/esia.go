package mock

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/world"
)

func init() {
	registerParty(partyDef{name: "esia", order: 10, start: startESIA})
}

// WithESIAOptions passes options to [esiamock.New].
func WithESIAOptions(opts ...esiamock.Option) Option {
	return func(c *config) error { c.esiaOpts = append(c.esiaOpts, opts...); return nil }
}

// ESIA is the sandbox's ESIA emulator. The embedded [esiamock.Server]
// provides RegisterSystem, EnqueueLogin (headless logins), Keys, ...
type ESIA struct {
	*esiamock.Server
	// URL is the emulator's base URL: use it as the ESIA base URL
	// (URL + "/aas/oauth2/v2/ac", URL + "/rs/prns/…"). The JWT iss is
	// "http://<host:port>/".
	URL string
	// Dir holds the default system's key and certificate files and the
	// ESIA certificate, for signers that read files (openssl). It is a
	// content-addressed directory under the user's cache directory (or the
	// temporary directory), written once and shared by every sandbox with
	// the same keys, so starting a sandbox touches no disk. The keys are
	// SANDBOX-ONLY; do not write into the directory.
	Dir string
}

// ESIARedirectURIs are the callback URL patterns registered for the
// default system: any port on the loopback host names.
var ESIARedirectURIs = []string{"http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"}

// ESIACredentials are the ESIA credentials of the sandbox: the default
// registered system (SANDBOX-ONLY keys), the certificate that verifies the
// emulator's tokens, and a person who can log in.
type ESIACredentials struct {
	// ClientID is the mnemonic of the default system.
	ClientID string `json:"client_id"`
	// KeyPEM and CertificatePEM are the system's GOST R 34.10-2012 key
	// (PKCS #8) and certificate; CertificateHash is its
	// client_certificate_hash.
	KeyPEM          string `json:"key_pem"`
	CertificatePEM  string `json:"certificate_pem"`
	CertificateHash string `json:"certificate_hash"`
	// KeyFile and CertificateFile are the same key and certificate written
	// to files.
	KeyFile         string `json:"key_file,omitempty"`
	CertificateFile string `json:"certificate_file,omitempty"`
	// ESIACertificatePEM holds the emulator's token-verification
	// certificates (GOST, then RSA), as ESIA publishes them in esia.zip;
	// ESIACertificateFile is the same PEM written to a file.
	ESIACertificatePEM  string `json:"esia_certificate_pem"`
	ESIACertificateFile string `json:"esia_certificate_file,omitempty"`
	// RedirectURIs are the callback patterns registered for the system.
	RedirectURIs []string `json:"redirect_uris"`
	// Login, Password and PersonOID identify a person who can log in
	// (the default scenario's chief); OrgOID is their organisation.
	Login     string `json:"login,omitempty"`
	Password  string `json:"password,omitempty"`
	PersonOID int64  `json:"person_oid,omitempty"`
	OrgOID    int64  `json:"org_oid,omitempty"`
}

func startESIA(sb *Sandbox, t *Tenant) (*partyRuntime, error) {
	url := sb.URL("esia")
	opts := []esiamock.Option{esiamock.WithBaseURL(url), esiamock.WithIssueHook(func(cred string) error {
		return sb.index.Bind("esia", cred, t.Name)
	})}
	if sb.def != nil && sb.def.ESIA != nil {
		opts = append(opts, esiamock.WithKeys(sb.def.ESIA.Keys())) // one key set for every tenant
	}
	srv, err := esiamock.New(t.World, append(opts, sb.cfg.esiaOpts...)...)
	if err != nil {
		return nil, err
	}
	cc, err := esiamock.DefaultClientCredentials()
	if err != nil {
		return nil, err
	}
	if err := srv.RegisterSystem(esiamock.System{
		ClientID:          esiaClientID(t.Name),
		Certificates:      []string{string(cc.CertificatePEM)},
		RedirectURIs:      ESIARedirectURIs,
		JWTAlg:            esiamock.AlgGOST,
		ClientCredentials: true,
	}); err != nil {
		return nil, err
	}
	dir, err := esiaFilesDir(map[string][]byte{
		"client_key.pem":  cc.KeyPEM,
		"client_cert.pem": cc.CertificatePEM,
		"esia_cert.pem":   srv.Keys().CertificatesPEM(),
	})
	if err != nil {
		return nil, err
	}
	t.ESIA = &ESIA{Server: srv, URL: url, Dir: dir}
	return &partyRuntime{
		handler:     srv,
		adapter:     srv.Adapter(),
		credentials: func() any { return esiaCredentials(t) },
		control:     func() http.Handler { return http.HandlerFunc(srv.ServeControl) },
	}, nil
}

// esiaClientID is the default system's client_id in a tenant: the
// sandbox's own for the default tenant, with "-<tenant>" for the others.
func esiaClientID(tenant string) string {
	if tenant == DefaultTenant {
		return esiamock.DefaultClientID
	}
	return esiamock.DefaultClientID + "-" + tenant
}

// esiaFileDirs maps a content hash to the directory holding those files,
// so a process writes them once.
var esiaFileDirs sync.Map

// esiaFilesDir returns a directory holding files (name → content), named
// after a hash of the content, creating or repairing it when needed. Files
// are written atomically (temporary file, then rename), so concurrent test
// processes sharing the directory never see a partial file.
func esiaFilesDir(files map[string][]byte) (string, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
		h.Write(files[n])
		h.Write([]byte{0})
	}
	sum := hex.EncodeToString(h.Sum(nil))[:24]
	if d, ok := esiaFileDirs.Load(sum); ok {
		return d.(string), nil
	}
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "gosdk", "sandbox-esia-"+sum)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("mock: ESIA key directory: %w", err)
	}
	for _, n := range names {
		p := filepath.Join(dir, n)
		if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, files[n]) {
			continue
		}
		if err := writeFileAtomic(p, files[n]); err != nil {
			return "", fmt.Errorf("mock: ESIA key directory: %w", err)
		}
	}
	esiaFileDirs.Store(sum, dir)
	return dir, nil
}

func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, 0o600)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		_ = os.Remove(tmp)
	}
	return werr
}

func esiaCredentials(t *Tenant) ESIACredentials {
	if t.ESIA == nil {
		return ESIACredentials{}
	}
	cc, err := esiamock.DefaultClientCredentials()
	if err != nil {
		return ESIACredentials{}
	}
	c := ESIACredentials{
		ClientID: esiaClientID(t.Name), KeyPEM: string(cc.KeyPEM), CertificatePEM: string(cc.CertificatePEM),
		CertificateHash:     cc.CertificateHash,
		KeyFile:             filepath.Join(t.ESIA.Dir, "client_key.pem"),
		CertificateFile:     filepath.Join(t.ESIA.Dir, "client_cert.pem"),
		ESIACertificatePEM:  string(t.ESIA.Keys().CertificatesPEM()),
		ESIACertificateFile: filepath.Join(t.ESIA.Dir, "esia_cert.pem"),
		RedirectURIs:        ESIARedirectURIs,
	}
	pick := func(p world.Person) {
		c.PersonOID, c.Password = p.OID, p.Password
		switch {
		case p.Email != "":
			c.Login = p.Email
		case p.Phone != "":
			c.Login = world.FormatPhone(p.Phone)
		default:
			c.Login = p.SNILS
		}
		for _, e := range t.World.EmployeesOf(p.OID) {
			if e.Active {
				c.OrgOID = e.OrgOID
				break
			}
		}
	}
	if p, err := t.World.Person(world.DefaultChiefOID); err == nil && p.Password != "" {
		pick(p)
	} else {
		for _, p := range t.World.People() {
			if p.Password != "" {
				pick(p)
				break
			}
		}
	}
	return c
}

// esiaSystemClient returns an esia client acting as the tenant's default
// ESIA system (the SANDBOX-ONLY GOST key and certificate, the emulator's
// token certificates), over the sandbox's fail-closed HTTP client and on
// the world clock. cfg's BaseURL, ClientID, Signer and Certificates are
// filled in; the redirect URL and scopes are the caller's.
func esiaSystemClient(sb *Sandbox, t *Tenant, cfg esia.Config) (*esia.Client, error) {
	if t.ESIA == nil {
		return nil, fmt.Errorf("mock: tenant %s has no ESIA emulator", t.Name)
	}
	cr := esiaCredentials(t)
	signer, err := systemSigner(cr.KeyPEM, cr.CertificatePEM)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL, cfg.ClientID, cfg.Signer = t.ESIA.URL, cr.ClientID, signer
	cfg.Certificates = [][]byte{[]byte(cr.ESIACertificatePEM)}
	return esia.New(cfg, core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(t.World.Clock.Now)))
}

// systemSigners caches the signers of the systems' SANDBOX-ONLY keys by
// key and certificate: every tenant's default system has the same key
// (esiamock.DefaultClientCredentials), parsed once per process and shared
// read-only (a signer holds no state). At most maxSystemSigners are kept.
var (
	systemSigners     sync.Map // key PEM + "\x00" + certificate PEM → *esia.GOSTSigner
	systemSignerCount atomic.Int64
)

const maxSystemSigners = 16

// systemSigner returns the GOST signer of a system's key and certificate.
func systemSigner(keyPEM, certPEM string) (*esia.GOSTSigner, error) {
	k := keyPEM + "\x00" + certPEM
	if v, ok := systemSigners.Load(k); ok {
		return v.(*esia.GOSTSigner), nil
	}
	key, err := gost.ParsePrivateKeyPEM([]byte(keyPEM))
	if err != nil {
		return nil, err
	}
	cert, err := gost.ParseCertificatePEM([]byte(certPEM))
	if err != nil {
		return nil, err
	}
	signer, err := esia.NewGOSTSigner(key, cert)
	if err != nil {
		return nil, err
	}
	if systemSignerCount.Add(1) <= maxSystemSigners {
		v, _ := systemSigners.LoadOrStore(k, signer)
		return v.(*esia.GOSTSigner), nil
	}
	systemSignerCount.Add(-1)
	return signer, nil
}
