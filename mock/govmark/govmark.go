// Package govmark is what the VK and OK emulators share to run the
// «Госорганизация» mark as the networks do: an ESIA login of the page's
// administrator through the esia client, with the network's own registered
// system and key ([Verifier]), and the review decided on the world clock
// ([Reviewer]) over the shared state machine of [world.GovMark].
//
// Every call a [Verifier] makes to the ESIA emulator carries the tenant it
// was built for ([emu.WithTenant] through an [emu.Transport]), so a network
// emulator of one tenant never reaches another tenant's ESIA.
package govmark

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock/emu"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/world"
)

// DefaultReviewDelay is when a network decides a request, on the world
// clock: at the end of the 24 hours both networks announce.
const DefaultReviewDelay = 24 * time.Hour

// Decider returns why a page under review must be rejected (none: it is
// confirmed). It runs when the decision is due, on the page as it is then.
type Decider func(p world.Page) []string

type pageKey struct {
	network string
	id      int64
}

// Reviewer decides «Госорганизация» requests of one world on its clock.
// It is safe for concurrent use.
type Reviewer struct {
	w     *world.World
	delay time.Duration

	mu      sync.Mutex
	pending map[pageKey]*pending
}

type pending struct{ t *world.Timer }

// NewReviewer returns a reviewer deciding each request delay after it was
// submitted ([DefaultReviewDelay] when delay is zero or negative).
func NewReviewer(w *world.World, delay time.Duration) *Reviewer {
	if delay <= 0 {
		delay = DefaultReviewDelay
	}
	return &Reviewer{w: w, delay: delay, pending: map[pageKey]*pending{}}
}

// Submit submits a page for the mark (none, rejected or lost → under
// review, [world.World.RequestGovMark]) and schedules the decision on the
// world clock: confirmed when decide returns no reason, rejected with its
// reasons otherwise. A newer request for the page replaces the pending
// decision; a page that left the review in the meantime is left alone.
func (r *Reviewer) Submit(network string, id int64, decide Decider) (world.GovMark, error) {
	mark, err := r.w.RequestGovMark(network, id)
	if err != nil {
		return mark, err
	}
	k := pageKey{network, id}
	p := &pending{}
	r.mu.Lock()
	if old := r.pending[k]; old != nil && old.t != nil {
		old.t.Stop()
	}
	r.pending[k] = p
	p.t = r.w.Clock.AfterFunc(r.delay, func() {
		r.mu.Lock()
		current := r.pending[k] == p
		if current {
			delete(r.pending, k)
		}
		r.mu.Unlock()
		if !current {
			return
		}
		page, err := r.w.Page(network, id)
		if err != nil || page.Gov.Status != world.GovUnderReview {
			return
		}
		if reasons := decide(page); len(reasons) > 0 {
			_, _ = r.w.RejectGovMark(network, id, reasons...)
			return
		}
		_, _ = r.w.ConfirmGovMark(network, id)
	})
	r.mu.Unlock()
	return mark, nil
}

// Pending returns how many decisions are scheduled.
func (r *Reviewer) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pending)
}

// Stop cancels every pending decision (a world reset).
func (r *Reviewer) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, p := range r.pending {
		if p.t != nil {
			p.t.Stop()
		}
		delete(r.pending, k)
	}
}

var systemCreds sync.Map // client id → *esiamock.ClientCredentials

// SystemCredentials returns a network's own ESIA system credentials: a
// GOST key and certificate derived deterministically from name (the same
// in every process), SANDBOX ONLY.
func SystemCredentials(name string) (*esiamock.ClientCredentials, error) {
	if c, ok := systemCreds.Load(name); ok {
		return c.(*esiamock.ClientCredentials), nil
	}
	c, err := esiamock.NewGOSTClientCredentials(newSeedReader("govmark:"+name), name)
	if err != nil {
		return nil, err
	}
	got, _ := systemCreds.LoadOrStore(name, c)
	return got.(*esiamock.ClientCredentials), nil
}

// seedReader is a deterministic byte stream (SHA-256 in counter mode).
type seedReader struct {
	seed []byte
	n    uint64
	buf  []byte
}

func newSeedReader(seed string) *seedReader { return &seedReader{seed: []byte(seed)} }

func (r *seedReader) Read(p []byte) (int, error) {
	for i := range p {
		if len(r.buf) == 0 {
			h := sha256.New()
			h.Write(r.seed)
			h.Write([]byte{byte(r.n), byte(r.n >> 8), byte(r.n >> 16), byte(r.n >> 24)})
			r.n++
			r.buf = h.Sum(nil)
		}
		p[i], r.buf = r.buf[0], r.buf[1:]
	}
	return len(p), nil
}

// VerifierConfig describes a network's ESIA system.
type VerifierConfig struct {
	// BaseURL is the ESIA emulator's URL.
	BaseURL string
	// ClientID is the network's system mnemonic; Credentials its key and
	// certificate (see [SystemCredentials]).
	ClientID    string
	Credentials *esiamock.ClientCredentials
	// ESIACertificatesPEM verify the emulator's tokens.
	ESIACertificatesPEM []byte
	// RedirectURL is the network's callback.
	RedirectURL string
	// HTTPClient sends the requests (its transport is wrapped in an
	// [emu.Transport]); nil: a default client.
	HTTPClient *http.Client
	// Now is the world clock (signing timestamps); nil: time.Now.
	Now func() time.Time
	// Tenant is the tenant every call carries.
	Tenant string
}

// Verifier logs a page administrator in through ESIA and checks their
// authority in the organisation they chose. Its ESIA client is built at
// the first login it serves (a tenant that never verifies a page never
// pays for it); concurrent first logins share one client.
type Verifier struct {
	client func() (*esia.Client, error)
	tenant string
}

// parsedCredentials is a system's key and certificate, parsed.
type parsedCredentials struct {
	key  *gost.PrivateKey
	cert *gost.Certificate
}

// parsedCreds caches the parsed key and certificate of each
// [esiamock.ClientCredentials] (SANDBOX ONLY, immutable, shared read-only
// by every verifier of the process: [SystemCredentials] returns the same
// value for a name).
var parsedCreds sync.Map // *esiamock.ClientCredentials → parsedCredentials

func parseCredentials(cc *esiamock.ClientCredentials) (parsedCredentials, error) {
	if v, ok := parsedCreds.Load(cc); ok {
		return v.(parsedCredentials), nil
	}
	key, err := gost.ParsePrivateKeyPEM(cc.KeyPEM)
	if err != nil {
		return parsedCredentials{}, fmt.Errorf("govmark: system key: %w", err)
	}
	cert, err := gost.ParseCertificatePEM(cc.CertificatePEM)
	if err != nil {
		return parsedCredentials{}, fmt.Errorf("govmark: system certificate: %w", err)
	}
	v, _ := parsedCreds.LoadOrStore(cc, parsedCredentials{key: key, cert: cert})
	return v.(parsedCredentials), nil
}

// NewVerifier builds a verifier. The system's key and certificate are
// checked now (parsed once per process for the same credentials); the
// ESIA client is built at the first login.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if cfg.Credentials == nil {
		return nil, errors.New("govmark: no system credentials")
	}
	pc, err := parseCredentials(cfg.Credentials)
	if err != nil {
		return nil, err
	}
	signer, err := esia.NewGOSTSigner(pc.key, pc.cert)
	if err != nil {
		return nil, err
	}
	build := func() (*esia.Client, error) {
		base := http.DefaultTransport
		hc := &http.Client{Timeout: 30 * time.Second}
		if cfg.HTTPClient != nil {
			c := *cfg.HTTPClient
			hc = &c
			if hc.Transport != nil {
				base = hc.Transport
			}
		}
		hc.Transport = &emu.Transport{Base: base}
		opts := []core.Option{core.WithHTTPClient(hc)}
		if cfg.Now != nil {
			opts = append(opts, core.WithClock(core.NowFunc(cfg.Now)))
		}
		return esia.New(esia.Config{
			BaseURL: cfg.BaseURL, ClientID: cfg.ClientID, RedirectURL: cfg.RedirectURL,
			Scopes: []string{"openid", "fullname", "usr_org"}, OrgScopes: []string{"org_shortname"},
			Signer: signer, Certificates: [][]byte{cfg.ESIACertificatesPEM},
		}, opts...)
	}
	return &Verifier{client: sync.OnceValues(build), tenant: cfg.Tenant}, nil
}

func (v *Verifier) ctx(ctx context.Context) context.Context {
	if v.tenant == "" {
		return ctx
	}
	return emu.WithTenant(ctx, v.tenant)
}

// AuthURL returns the ESIA authorization URL for state.
func (v *Verifier) AuthURL(ctx context.Context, state string) (string, error) {
	c, err := v.client()
	if err != nil {
		return "", err
	}
	return c.AuthCodeURL(v.ctx(ctx), state)
}

// Result is a verified ESIA login.
type Result struct {
	// PersonOID is who logged in; OrgOID the organisation they chose.
	PersonOID, OrgOID int64
	// Chief and Admin are their roles in it.
	Chief, Admin bool
	// OGRN is the organisation's.
	OGRN string
}

// ErrNoAuthority is returned by [Verifier.Verify] when the person is
// neither the chief nor an administrator of the chosen organisation.
var ErrNoAuthority = errors.New("govmark: not the chief or an administrator of the organisation")

// Verify trades the code for tokens, verifies them, finds the chosen
// organisation (the scope_org items of the token; fallbackOrg when the
// token names none) and checks with [esia.Client.Authority] that the
// person is its chief or an administrator.
func (v *Verifier) Verify(ctx context.Context, code string, fallbackOrg int64) (Result, error) {
	c, err := v.client()
	if err != nil {
		return Result{}, err
	}
	ctx = v.ctx(ctx)
	tok, err := c.Exchange(ctx, code)
	if err != nil {
		return Result{}, err
	}
	claims, _, err := c.VerifyToken(tok)
	if err != nil {
		return Result{}, err
	}
	res := Result{PersonOID: claims.SbjID, OrgOID: fallbackOrg}
	for _, s := range claims.Scope {
		if s.OrgOID != 0 {
			res.OrgOID = s.OrgOID
			break
		}
	}
	if res.OrgOID == 0 {
		return res, fmt.Errorf("%w: no organisation chosen", ErrNoAuthority)
	}
	a, err := c.Authority(ctx, oauth2.StaticTokenSource(tok), res.OrgOID)
	if err != nil {
		if errors.Is(err, esia.ErrNotAuthorized) {
			return res, fmt.Errorf("%w: %v", ErrNoAuthority, err)
		}
		return res, err
	}
	res.Chief, res.Admin = a.Chief, a.Admin
	if a.Organization != nil {
		res.OGRN = a.Organization.OGRN
	}
	return res, nil
}
