package social

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Outcome is how a publication to one page ended.
type Outcome string

// Outcomes of a FanOut.
const (
	// Published: the network confirmed the post; the result has a Receipt.
	Published Outcome = "published"
	// Scheduled: the network accepted the post for publication at a later
	// time (Receipt.ScheduledAt); it is not visible yet.
	Scheduled Outcome = "scheduled"
	// PartiallyPublished: some parts of the post are on the page (the
	// result's Receipt lists them), the rest failed or may have failed
	// (Err, a *PartialPublishError, says how). It is not retried: delete
	// or complete what was published.
	PartiallyPublished Outcome = "partially_published"
	// Failed: the network refused the post or it was never sent; publishing
	// again is safe.
	Failed Outcome = "failed"
	// Unknown: the request may have taken effect (a dropped connection, a
	// timeout, a server failure after sending). It is not retried.
	Unknown Outcome = "unknown"
)

// PageResult is one page's line of a FanOut report.
type PageResult struct {
	Page    PageInfo
	Outcome Outcome
	// Receipt is set when Outcome is Published, Scheduled or
	// PartiallyPublished (then it lists the published parts only).
	Receipt Receipt
	// Err is the client's error when Outcome is PartiallyPublished, Failed
	// or Unknown.
	Err error
	// Code is the network's own error code found in Err's chain (see
	// core.ErrorCode): "403" for a Telegram refusal, "15" for VK error 15,
	// "ESIA-007011". Empty when there is no error or the error carries no
	// network code (a dropped connection).
	Code string
	// Reason is a short human-readable explanation for the report.
	Reason string
	// Duration is how long the publication took, including limiter waits,
	// on the FanOut's clock.
	Duration time.Duration
}

// Report is the outcome of a FanOut, one result per publisher in the order
// the publishers were given, with the number of pages of each outcome.
type Report struct {
	// Results has one line per publisher, in the given order.
	Results []PageResult
	// Published, Scheduled, PartiallyPublished, Failed and Unknown count
	// the pages of each outcome; they add up to len(Results).
	Published          int
	Scheduled          int
	PartiallyPublished int
	Failed             int
	Unknown            int
}

// Count returns the number of pages with outcome o.
func (r *Report) Count(o Outcome) int {
	switch o {
	case Published:
		return r.Published
	case Scheduled:
		return r.Scheduled
	case PartiallyPublished:
		return r.PartiallyPublished
	case Failed:
		return r.Failed
	case Unknown:
		return r.Unknown
	}
	return 0
}

// Progress is passed to FanOutOptions.Progress after every page finishes.
type Progress struct {
	// Done is the number of pages finished so far, Total the number of
	// pages of the fan-out.
	Done, Total int
	// Last is the result of the page that just finished.
	Last PageResult
}

// FanOutOptions configures FanOut. The zero value is usable.
type FanOutOptions struct {
	// Concurrency bounds publications in flight (default 8).
	Concurrency int
	// Progress, when set, is called after each page finishes, from the
	// goroutine that finished it; calls do not overlap.
	Progress func(Progress)
	// Clock is the time on which the post's PublishAt is judged and
	// durations are measured (default: the system clock). FanOut passes it
	// to the publishers through the context (see WithClock); a publisher
	// configured with its own clock uses that one.
	Clock core.Clock
	// Ledger, when set, is claimed before each page is published and told
	// its outcome, so that runs sharing it (replicas of one service on one
	// Redis) publish a post to a page at most once: a page claimed by
	// another run is reported Failed with ErrInProgressElsewhere (nothing
	// published here), a page with a recorded outcome reports that
	// outcome, and a claim whose holder died reports Unknown. Recording a
	// page's outcome may take up to LedgerRecordTimeout after ctx ends. Nil
	// keeps no record.
	Ledger Ledger
}

// DefaultFanOutConcurrency is the number of publications FanOut keeps in
// flight when FanOutOptions.Concurrency is zero.
const DefaultFanOutConcurrency = 8

// FanOut publishes post to every publisher with the default options. See
// FanOutOptions.Run.
func FanOut(ctx context.Context, post Post, publishers ...Publisher) *Report {
	return FanOutOptions{}.Run(ctx, post, publishers...)
}

// Run publishes post to every publisher concurrently, never more than
// Concurrency at once. Each publisher applies its own network's rate limits.
// Every page gets exactly one attempt from FanOut: a failure with an unknown
// or partial outcome is reported as such and never retried. A publisher
// that panics is reported as Unknown (it may have published). When ctx
// ends, pages not yet started are reported as Failed (not attempted).
// Publishers receive the post with Key set to post.StableKey().
func (o FanOutOptions) Run(ctx context.Context, post Post, publishers ...Publisher) *Report {
	n := o.Concurrency
	if n <= 0 {
		n = DefaultFanOutConcurrency
	}
	clock := o.Clock
	if clock == nil {
		clock = core.SystemClock()
	} else {
		ctx = WithClock(ctx, clock)
	}
	rep := &Report{Results: make([]PageResult, len(publishers))}
	if err := post.Validate(); err != nil {
		for i, p := range publishers {
			rep.Results[i] = failedResult(p, err, "invalid post: "+err.Error())
		}
		rep.count()
		return rep
	}
	// Derive the key once: every page sees the same key and the content
	// (media included) is hashed once, not once per page.
	post.Key = post.StableKey()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
		sem  = make(chan struct{}, n)
	)
	finish := func(i int, r PageResult) {
		rep.Results[i] = r
		if o.Progress == nil {
			return
		}
		mu.Lock()
		done++
		o.Progress(Progress{Done: done, Total: len(publishers), Last: r})
		mu.Unlock()
	}
	for i, p := range publishers {
		if p == nil {
			finish(i, PageResult{Outcome: Failed, Err: errors.New("social: nil publisher"), Reason: "nil publisher"})
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			err := ctx.Err()
			finish(i, failedResult(p, err, "not attempted: "+err.Error()))
			continue
		}
		if err := ctx.Err(); err != nil {
			<-sem
			finish(i, failedResult(p, err, "not attempted: "+err.Error()))
			continue
		}
		wg.Add(1)
		go func(i int, p Publisher) {
			defer wg.Done()
			defer func() { <-sem }()
			finish(i, publishOne(ctx, clock, o.Ledger, p, post))
		}(i, p)
	}
	wg.Wait()
	rep.count()
	return rep
}

func publishOne(ctx context.Context, clock core.Clock, ledger Ledger, p Publisher, post Post) (r PageResult) {
	start := clock.Now()
	var page PageInfo
	defer func() {
		if v := recover(); v != nil {
			// A panicking publisher must not take the whole fan-out down, and
			// it may have published: report the outcome as unknown.
			r = PageResult{Page: page, Outcome: Unknown, Err: fmt.Errorf("social: publisher panicked: %v", v),
				Reason: "publisher panicked"}
		}
		r.Duration = clock.Now().Sub(start)
	}()
	page = p.Page()
	if ledger != nil {
		return publishClaimed(ctx, ledger, p, page, post)
	}
	rc, err := p.Publish(ctx, post)
	return Classify(page, rc, err)
}

// Classify returns the report line of one publication: its outcome from
// the Receipt and error a Publisher returned, the network's error code and
// a reason. FanOut uses it for every page; a cabinet that publishes to a
// page on its own (a retry after checking the page) uses it to report
// alike.
func Classify(page PageInfo, rc Receipt, err error) PageResult {
	r := PageResult{Page: page}
	switch {
	case err == nil && rc.Scheduled():
		r.Outcome, r.Receipt = Scheduled, rc
		r.Reason = "scheduled for " + rc.ScheduledAt.Format(time.RFC3339)
		return r
	case err == nil:
		r.Outcome, r.Receipt = Published, rc
		return r
	case errors.Is(err, ErrPartiallyPublished):
		// Checked before ErrUnknownOutcome: the failed part may itself be
		// of unknown outcome, but some parts are certainly published.
		r.Outcome, r.Receipt = PartiallyPublished, rc
	case errors.Is(err, ErrUnknownOutcome):
		r.Outcome = Unknown
	default:
		r.Outcome = Failed
	}
	r.Err, r.Reason, r.Code = err, err.Error(), core.ErrorCode(err)
	return r
}

func failedResult(p Publisher, err error, reason string) PageResult {
	var page PageInfo
	if p != nil {
		page = p.Page()
	}
	return PageResult{Page: page, Outcome: Failed, Err: err, Code: core.ErrorCode(err), Reason: reason}
}

func (r *Report) count() {
	r.Published, r.Scheduled, r.PartiallyPublished, r.Failed, r.Unknown = 0, 0, 0, 0, 0
	for _, res := range r.Results {
		switch res.Outcome {
		case Published:
			r.Published++
		case Scheduled:
			r.Scheduled++
		case PartiallyPublished:
			r.PartiallyPublished++
		case Unknown:
			r.Unknown++
		default:
			r.Failed++
		}
	}
}
