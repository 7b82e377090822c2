package mock

import (
	"net/http"
	"os"
	"path/filepath"

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
	// Dir is a private temporary directory holding the default system's
	// key and certificate files and the ESIA certificate (for signers that
	// read files, such as openssl); removed when the sandbox closes.
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

func startESIA(sb *Sandbox) (*partyRuntime, error) {
	url := sb.URL("esia")
	srv, err := esiamock.New(sb.World, append([]esiamock.Option{esiamock.WithBaseURL(url)}, sb.cfg.esiaOpts...)...)
	if err != nil {
		return nil, err
	}
	cc, err := esiamock.DefaultClientCredentials()
	if err != nil {
		return nil, err
	}
	if err := srv.RegisterSystem(esiamock.System{
		ClientID:          cc.ClientID,
		Certificates:      []string{string(cc.CertificatePEM)},
		RedirectURIs:      ESIARedirectURIs,
		JWTAlg:            esiamock.AlgGOST,
		ClientCredentials: true,
	}); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gosmock-esia-")
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		"client_key.pem":  cc.KeyPEM,
		"client_cert.pem": cc.CertificatePEM,
		"esia_cert.pem":   srv.Keys().CertificatesPEM(),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	sb.ESIAURL = url
	sb.ESIA = &ESIA{Server: srv, URL: url, Dir: dir}
	return &partyRuntime{
		handler:     srv,
		credentials: func() any { return esiaCredentials(sb) },
		control:     http.HandlerFunc(srv.ServeControl),
		resetTenant: srv.ResetTenant,
		close:       func() error { return os.RemoveAll(dir) },
	}, nil
}

func esiaCredentials(sb *Sandbox) ESIACredentials {
	if sb.ESIA == nil {
		return ESIACredentials{}
	}
	cc, err := esiamock.DefaultClientCredentials()
	if err != nil {
		return ESIACredentials{}
	}
	c := ESIACredentials{
		ClientID: cc.ClientID, KeyPEM: string(cc.KeyPEM), CertificatePEM: string(cc.CertificatePEM),
		CertificateHash:     cc.CertificateHash,
		KeyFile:             filepath.Join(sb.ESIA.Dir, "client_key.pem"),
		CertificateFile:     filepath.Join(sb.ESIA.Dir, "client_cert.pem"),
		ESIACertificatePEM:  string(sb.ESIA.Keys().CertificatesPEM()),
		ESIACertificateFile: filepath.Join(sb.ESIA.Dir, "esia_cert.pem"),
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
		for _, e := range sb.World.EmployeesOf(p.OID) {
			if e.Active {
				c.OrgOID = e.OrgOID
				break
			}
		}
	}
	if p, err := sb.World.Person(world.DefaultChiefOID); err == nil && p.Password != "" {
		pick(p)
	} else {
		for _, p := range sb.World.People() {
			if p.Password != "" {
				pick(p)
				break
			}
		}
	}
	return c
}
