package main

import "context"

// publish is the moderated post to every connected page.
func (f *flow) publish(ctx context.Context) error { return nil }

// analytics prints the cabinet's analytics.
func (f *flow) analytics(ctx context.Context) error { return nil }
