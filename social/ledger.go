package social

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrInProgressElsewhere is matched by the error of a page FanOut did not
// publish because another run (another replica) holds the page's claim in
// a shared Ledger.
var ErrInProgressElsewhere = errors.New("social: publication in progress elsewhere")

// LedgerRecordTimeout bounds how long FanOut spends recording a page's
// outcome in its Ledger after the publication, which it does even when
// the run's context has ended.
const LedgerRecordTimeout = 2 * time.Second

// ClaimState is what Ledger.Claim found for a post and a page.
type ClaimState int

const (
	// Claimed: the caller now holds the claim and publishes, then calls
	// Ledger.Record.
	Claimed ClaimState = iota
	// ClaimedElsewhere: another holder's claim is live; the caller must
	// not publish.
	ClaimedElsewhere
	// Recorded: an outcome was recorded (LedgerEntry.Result); the caller
	// reports it instead of publishing.
	Recorded
	// Abandoned: a claim was taken and expired without a recorded outcome
	// (its holder died): the post may be on the page. The caller reports
	// the outcome as Unknown and does not publish.
	Abandoned
)

// String returns the state's name.
func (s ClaimState) String() string {
	switch s {
	case Claimed:
		return "claimed"
	case ClaimedElsewhere:
		return "claimed elsewhere"
	case Recorded:
		return "recorded"
	case Abandoned:
		return "abandoned"
	}
	return fmt.Sprintf("ClaimState(%d)", int(s))
}

// LedgerEntry is the answer of Ledger.Claim.
type LedgerEntry struct {
	State ClaimState
	// Result is the recorded outcome when State is Recorded: Outcome,
	// Receipt, Code and Reason (Err is not kept across processes).
	Result PageResult
}

// Ledger records, per post key and page, that a publication is under way
// and how it ended, so that several FanOut runs (replicas of one service
// sharing the ledger) publish one post to one page at most once. FanOut
// uses it when FanOutOptions.Ledger is set; without one FanOut keeps no
// record. Implementations are safe for concurrent use.
type Ledger interface {
	// Claim claims (key, page) for the caller, or reports who has it.
	Claim(ctx context.Context, key string, page PageInfo) (LedgerEntry, error)
	// Record stores the outcome of the caller's claim. A Failed outcome
	// (nothing was published) releases the claim so that a later run may
	// publish; any other outcome is kept.
	Record(ctx context.Context, key string, r PageResult) error
}

// MemoryLedger is an in-process Ledger: it de-duplicates FanOut runs of
// one process. Claims never expire (the process that holds one is alive).
// The zero value is ready to use.
type MemoryLedger struct {
	mu      sync.Mutex
	claims  map[string]bool
	records map[string]PageResult
}

var _ Ledger = (*MemoryLedger)(nil)

func ledgerID(key string, page PageInfo) string { return key + "\x00" + page.String() }

// Claim implements Ledger.
func (l *MemoryLedger) Claim(_ context.Context, key string, page PageInfo) (LedgerEntry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := ledgerID(key, page)
	if r, ok := l.records[id]; ok {
		return LedgerEntry{State: Recorded, Result: r}, nil
	}
	if l.claims[id] {
		return LedgerEntry{State: ClaimedElsewhere}, nil
	}
	if l.claims == nil {
		l.claims = make(map[string]bool)
	}
	l.claims[id] = true
	return LedgerEntry{State: Claimed}, nil
}

// Record implements Ledger.
func (l *MemoryLedger) Record(_ context.Context, key string, r PageResult) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := ledgerID(key, r.Page)
	delete(l.claims, id)
	if r.Outcome == Failed {
		return nil
	}
	if l.records == nil {
		l.records = make(map[string]PageResult)
	}
	r.Err = nil
	l.records[id] = r
	return nil
}

// publishClaimed publishes post to p under ledger's claim.
func publishClaimed(ctx context.Context, ledger Ledger, p Publisher, page PageInfo, post Post) PageResult {
	e, err := ledger.Claim(ctx, post.Key, page)
	if err != nil {
		return PageResult{Page: page, Outcome: Failed, Err: err, Reason: "not attempted: ledger: " + err.Error()}
	}
	switch e.State {
	case Recorded:
		r := e.Result
		r.Page = page
		if r.Reason == "" {
			r.Reason = "recorded by an earlier run"
		}
		return r
	case ClaimedElsewhere:
		return PageResult{Page: page, Outcome: Failed, Err: ErrInProgressElsewhere, Reason: ErrInProgressElsewhere.Error()}
	case Abandoned:
		err := &UnknownOutcomeError{Operation: "publish " + page.String(),
			Err: errors.New("a claim on the page expired without a recorded outcome")}
		return PageResult{Page: page, Outcome: Unknown, Err: err, Reason: err.Error()}
	}
	var r PageResult
	func() {
		defer func() {
			if v := recover(); v != nil {
				r = PageResult{Page: page, Outcome: Unknown, Err: fmt.Errorf("social: publisher panicked: %v", v),
					Reason: "publisher panicked"}
			}
		}()
		rc, err := p.Publish(ctx, post)
		r = Classify(page, rc, err)
	}()
	// The outcome is recorded even when ctx has ended (the post may be on
	// the page), but never for longer than LedgerRecordTimeout.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), LedgerRecordTimeout)
	defer cancel()
	if err := ledger.Record(rctx, post.Key, r); err != nil && r.Outcome == Failed {
		// The claim stays until it expires and then reads as abandoned
		// (unknown) although nothing was published: say so.
		r.Reason += "; ledger record failed: " + err.Error()
	}
	return r
}

// LedgerPublisher is a Publisher that claims each publication in a Ledger
// before it publishes through the wrapped Publisher and records how it
// ended, so that a publisher used outside FanOut (a scheduler that posts
// one page at a time, several replicas of one service) gets the same
// at-most-once guarantee as FanOut with FanOutOptions.Ledger. Build it with
// WithLedger. Only Publish is wrapped: the optional verbs (Editor, Deleter,
// stats) of the wrapped publisher stay reachable through Unwrap.
type LedgerPublisher struct {
	p      Publisher
	ledger Ledger
}

var _ Publisher = (*LedgerPublisher)(nil)

// WithLedger returns p publishing under ledger's claims.
func WithLedger(p Publisher, ledger Ledger) *LedgerPublisher {
	return &LedgerPublisher{p: p, ledger: ledger}
}

// Page returns the wrapped publisher's page.
func (lp *LedgerPublisher) Page() PageInfo { return lp.p.Page() }

// Unwrap returns the wrapped publisher.
func (lp *LedgerPublisher) Unwrap() Publisher { return lp.p }

// Publish claims (post key, page) and publishes when the claim is the
// caller's. A post without a Key is claimed under its StableKey. When
// another holder has the claim it returns an error matching
// ErrInProgressElsewhere; when an earlier run recorded an outcome it
// returns that outcome (the receipt of a publication, or an error matching
// ErrUnknownOutcome, ErrPartiallyPublished, or the recorded failure) without
// publishing again; when a claim expired without an outcome it returns an
// error matching ErrUnknownOutcome.
func (lp *LedgerPublisher) Publish(ctx context.Context, post Post) (Receipt, error) {
	if post.Key == "" {
		post.Key = post.StableKey()
	}
	page := lp.p.Page()
	r := publishClaimed(ctx, lp.ledger, lp.p, page, post)
	switch r.Outcome {
	case Published, Scheduled:
		return r.Receipt, nil
	}
	if r.Err != nil {
		return r.Receipt, r.Err
	}
	// A result recorded by another process keeps no error value.
	op := "publish " + page.String()
	cause := errors.New(r.Reason)
	switch r.Outcome {
	case Unknown:
		return r.Receipt, &UnknownOutcomeError{Operation: op, Err: cause}
	case PartiallyPublished:
		return r.Receipt, &PartialPublishError{Operation: op, PartIDs: r.Receipt.PartIDs(), Err: cause}
	}
	return r.Receipt, fmt.Errorf("%s: %w", op, cause)
}
