package social

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Outcome is how a publication to one page ended.
type Outcome string

// Outcomes of a FanOut.
const (
	// Published: the network confirmed the post; the result has a Receipt.
	Published Outcome = "published"
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
	// Receipt is set when Outcome is Published.
	Receipt Receipt
	// Err is the client's error when Outcome is Failed or Unknown.
	Err error
	// Reason is a short human-readable explanation for the report.
	Reason string
	// Duration is how long the publication took, including limiter waits.
	Duration time.Duration
}

// Report is the outcome of a FanOut, one result per publisher in the order
// the publishers were given.
type Report struct {
	Results   []PageResult
	Published int
	Failed    int
	Unknown   int
}

// Progress is passed to FanOutOptions.Progress after every page finishes.
type Progress struct {
	Done, Total int
	Last        PageResult
}

// FanOutOptions configures FanOut. The zero value is usable.
type FanOutOptions struct {
	// Concurrency bounds publications in flight (default 8).
	Concurrency int
	// Progress, when set, is called after each page finishes, from the
	// goroutine that finished it; calls do not overlap.
	Progress func(Progress)
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
// outcome is reported as Unknown and never retried. When ctx ends, pages not
// yet started are reported as Failed (not attempted).
func (o FanOutOptions) Run(ctx context.Context, post Post, publishers ...Publisher) *Report {
	n := o.Concurrency
	if n <= 0 {
		n = DefaultFanOutConcurrency
	}
	rep := &Report{Results: make([]PageResult, len(publishers))}
	if err := post.Validate(); err != nil {
		for i, p := range publishers {
			rep.Results[i] = failedResult(p, err, "invalid post: "+err.Error())
		}
		rep.count()
		return rep
	}
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
			finish(i, publishOne(ctx, p, post))
		}(i, p)
	}
	wg.Wait()
	rep.count()
	return rep
}

func publishOne(ctx context.Context, p Publisher, post Post) (r PageResult) {
	start := time.Now()
	page := p.Page()
	defer func() {
		if v := recover(); v != nil {
			// A panicking publisher must not take the whole fan-out down, and
			// it may have published: report the outcome as unknown.
			r = PageResult{Page: page, Outcome: Unknown, Err: fmt.Errorf("social: publisher panicked: %v", v),
				Reason: "publisher panicked"}
		}
		r.Duration = time.Since(start)
	}()
	rc, err := p.Publish(ctx, post)
	switch {
	case err == nil:
		return PageResult{Page: page, Outcome: Published, Receipt: rc}
	case errors.Is(err, ErrUnknownOutcome):
		return PageResult{Page: page, Outcome: Unknown, Err: err, Reason: err.Error()}
	default:
		return PageResult{Page: page, Outcome: Failed, Err: err, Reason: err.Error()}
	}
}

func failedResult(p Publisher, err error, reason string) PageResult {
	var page PageInfo
	if p != nil {
		page = p.Page()
	}
	return PageResult{Page: page, Outcome: Failed, Err: err, Reason: reason}
}

func (r *Report) count() {
	r.Published, r.Failed, r.Unknown = 0, 0, 0
	for _, res := range r.Results {
		switch res.Outcome {
		case Published:
			r.Published++
		case Unknown:
			r.Unknown++
		default:
			r.Failed++
		}
	}
}
