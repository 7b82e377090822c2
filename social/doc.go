// Package social holds what the networks have in common: the network-neutral
// [Post] (text, media, poll, link, publish time, urgency, and a stable
// [Post.Key]), the [Receipt] of a publication with every published [Part],
// the [Publisher] interface every network client implements for one page or
// channel with its optional verbs ([Editor], [Deleter], [PostStatsReader],
// [PageStatsReader]), [Requirement] reports for the «Госорганизация»
// (government organisation) checklist with the requirement codes the
// networks share ([ReqOpen], [ReqPhoto], [ReqGovMark], ...), the
// [MarkWatcher] that tells when a page loses its mark, and [FanOut], which
// publishes one post to many pages concurrently and reports each page's
// outcome.
//
// # Outcomes
//
// A FanOut report says for each page: published; scheduled on the network;
// partially published (some parts are on the page, the receipt lists them);
// failed (with the reason and the network's error code); or unknown (the
// request may have taken effect and is never silently retried).
//
// # Keys and repeats
//
// A Post's StableKey identifies a publication across attempts. Publishers
// of networks that de-duplicate posts (VK's guid) send
// [IdempotencyToken](key, page), so a repeat by the cabinet within the
// network's window cannot post twice. Networks that cannot de-duplicate
// (Telegram) never repeat a send of unknown outcome: the caller checks the
// page first.
//
// # Time
//
// A post's PublishAt is judged on a clock the caller supplies
// ([FanOutOptions].Clock, [WithClock]), so that a cabinet running on a
// sandbox clock publishes what is due on that clock.
//
// # The «Госорганизация» mark
//
// A network client that can read marks implements [MarkReader] (vk and ok
// do, in as few calls as their APIs allow). A [MarkWatcher] reads a set of
// pages every [WatchOptions].Interval on a core.Clock and reports each
// [MarkChange]: [MarkLost], [MarkGranted], [PageRenamed], [PageGone]. A
// mark the network did not return is [MarkUnknown] and never taken for a
// loss; a failed reading goes to OnError and the watch goes on.
package social
