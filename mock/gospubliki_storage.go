package mock

import "github.com/gospubliki/gosdk/mock/gpmock"

// WithGospublikiStorage gives each tenant's Gospubliki cabinet server the
// options storage returns for the tenant's name (gpmock.WithPostStore and
// gpmock.WithStateStore: a database for a long-lived shared sandbox, one
// instance per tenant); an error fails the tenant's start. Without it the
// cabinet keeps its state in memory.
func WithGospublikiStorage(storage func(tenant string) ([]gpmock.Option, error)) Option {
	return func(c *config) error { c.gpStorage = storage; return nil }
}
