package ok_test

import "github.com/gospubliki/gosdk/core/coretest"

// autoClock is a virtual clock that skips every wait.
func autoClock() *coretest.Clock { return coretest.NewAutoClock() }
