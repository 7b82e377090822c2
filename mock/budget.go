package mock

import "github.com/gospubliki/gosdk/mock/world"

// The sandbox's memory budget: the journal entries and stored messages of
// all its worlds together (each world also keeps its own bounds,
// world.DefaultJournalLimit and world.DefaultMessageLimit). Pass
// WithWorldOptions(world.WithBudget(world.NewBudget(j, m))) to change it.
const (
	DefaultJournalBudget = 4 * world.DefaultJournalLimit
	DefaultMessageBudget = 4 * world.DefaultMessageLimit
)
