package main

import "context"

// steps are the story's steps, in order.
func (f *flow) steps() []func(context.Context) error {
	return []func(context.Context) error{f.verifyVK, f.verifyOK, f.review, f.placePOS, f.connect, f.publish, f.analytics}
}
