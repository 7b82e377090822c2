package world

// SetAwaitHook makes j call f each time Await is about to wait for the
// next Record (tests only).
func SetAwaitHook(j *Journal, f func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.onWait = f
}
