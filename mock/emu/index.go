package emu

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// ErrCredentialTaken is returned by [Index.Bind] for a credential that
// already belongs to another tenant.
var ErrCredentialTaken = errors.New("emu: credential belongs to another tenant")

type credKey struct{ party, cred string }

// Index maps every credential an emulator issues (a party and the
// credential: a bot token, an ESIA client_id or access token, ...) to the
// tenant it belongs to. It is safe for concurrent use.
type Index struct {
	mu       sync.RWMutex
	owner    map[credKey]string
	byTenant map[string]map[credKey]struct{}
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{owner: map[credKey]string{}, byTenant: map[string]map[credKey]struct{}{}}
}

// Bind records that cred of party belongs to tenant. Binding a credential
// to its own tenant again is a no-op; binding it to another tenant fails
// with [ErrCredentialTaken] (the error names the party, never the
// credential).
func (x *Index) Bind(party, cred, tenant string) error {
	if cred == "" {
		return nil
	}
	k := credKey{party, cred}
	x.mu.Lock()
	defer x.mu.Unlock()
	if t, ok := x.owner[k]; ok {
		if t == tenant {
			return nil
		}
		return fmt.Errorf("%w: a %s credential", ErrCredentialTaken, party)
	}
	x.owner[k] = tenant
	set := x.byTenant[tenant]
	if set == nil {
		set = map[credKey]struct{}{}
		x.byTenant[tenant] = set
	}
	set[k] = struct{}{}
	return nil
}

// Unbind forgets cred of party.
func (x *Index) Unbind(party, cred string) {
	k := credKey{party, cred}
	x.mu.Lock()
	defer x.mu.Unlock()
	if t, ok := x.owner[k]; ok {
		delete(x.owner, k)
		delete(x.byTenant[t], k)
	}
}

// Lookup returns the tenant cred of party belongs to.
func (x *Index) Lookup(party, cred string) (string, bool) {
	x.mu.RLock()
	t, ok := x.owner[credKey{party, cred}]
	x.mu.RUnlock()
	return t, ok
}

// Credentials returns how many credentials of party belong to tenant
// (every party when party is "").
func (x *Index) Credentials(tenant, party string) int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := 0
	for k := range x.byTenant[tenant] {
		if party == "" || k.party == party {
			n++
		}
	}
	return n
}

// Sync makes the credentials of party bound to tenant exactly creds: it
// unbinds the ones no longer listed and binds the new ones. It fails,
// binding nothing, when one of creds belongs to another tenant.
func (x *Index) Sync(party, tenant string, creds []string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	want := make(map[credKey]struct{}, len(creds))
	for _, c := range creds {
		if c == "" {
			continue
		}
		k := credKey{party, c}
		if t, ok := x.owner[k]; ok && t != tenant {
			return fmt.Errorf("%w: a %s credential", ErrCredentialTaken, party)
		}
		want[k] = struct{}{}
	}
	set := x.byTenant[tenant]
	if set == nil {
		set = map[credKey]struct{}{}
		x.byTenant[tenant] = set
	}
	for k := range set {
		if _, keep := want[k]; !keep && k.party == party {
			delete(set, k)
			delete(x.owner, k)
		}
	}
	for k := range want {
		set[k] = struct{}{}
		x.owner[k] = tenant
	}
	return nil
}

// DropTenant forgets every credential of tenant.
func (x *Index) DropTenant(tenant string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for k := range x.byTenant[tenant] {
		delete(x.owner, k)
	}
	delete(x.byTenant, tenant)
}

type tenantKey struct{}

// WithTenant returns a context carrying tenant, for calls one emulator
// makes to another through a [Transport].
func WithTenant(ctx context.Context, tenant string) context.Context {
	return context.WithValue(ctx, tenantKey{}, tenant)
}

// TenantFrom returns the tenant carried by ctx, or "".
func TenantFrom(ctx context.Context) string {
	t, _ := ctx.Value(tenantKey{}).(string)
	return t
}

// Transport is an [http.RoundTripper] that sends the tenant carried by the
// request's context ([WithTenant]) as the [TenantHeader], so a call from
// one emulator to another is served by the caller's tenant. The callee
// accepts it only with credentials of that tenant.
type Transport struct {
	// Base sends the requests (nil: http.DefaultTransport).
	Base http.RoundTripper
}

// RoundTrip implements [http.RoundTripper].
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	tenant := TenantFrom(r.Context())
	if tenant == "" || r.Header.Get(TenantHeader) == tenant {
		return base.RoundTrip(r)
	}
	r2 := r.Clone(r.Context())
	r2.Header.Set(TenantHeader, tenant)
	return base.RoundTrip(r2)
}
