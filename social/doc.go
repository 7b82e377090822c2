// Package social holds what the networks have in common: the network-neutral
// [Post] (text, media, poll, link, publish time, urgency), the [Receipt] of a
// publication, the [Publisher] interface every network client implements for
// one page or channel, [Requirement] reports for the «Госорганизация»
// (government organisation) checklist, and [FanOut], which publishes one post
// to many pages concurrently and reports each page's outcome: published,
// failed (with the reason), or unknown (the request may have taken effect and
// is never silently retried).
package social
