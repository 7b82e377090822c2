package social_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/gospubliki/gosdk/social"
)

type onePage struct {
	n    atomic.Int64
	fail bool
}

func (p *onePage) Page() social.PageInfo { return social.PageInfo{Network: social.VK, ID: "-1"} }

func (p *onePage) Publish(_ context.Context, post social.Post) (social.Receipt, error) {
	p.n.Add(1)
	if p.fail {
		return social.Receipt{}, errors.New("refused")
	}
	return social.Receipt{Network: social.VK, PageID: "-1", PostID: "7", Key: post.Key}, nil
}

func TestMemoryLedgerPublishesOnce(t *testing.T) {
	var l social.MemoryLedger
	p := &onePage{}
	o := social.FanOutOptions{Ledger: &l}
	post := social.Post{Text: "once"}
	first := o.Run(context.Background(), post, p)
	second := o.Run(context.Background(), post, p)
	if p.n.Load() != 1 || first.Published != 1 || second.Published != 1 || second.Results[0].Receipt.PostID != "7" {
		t.Fatalf("%d publications; %+v / %+v", p.n.Load(), first.Results[0], second.Results[0])
	}
	if e, _ := l.Claim(context.Background(), "other", p.Page()); e.State != social.Claimed {
		t.Fatalf("another post is %v, want claimable", e.State)
	}
	if e, _ := l.Claim(context.Background(), "other", p.Page()); e.State != social.ClaimedElsewhere {
		t.Fatalf("a held claim is %v, want claimed elsewhere", e.State)
	}
}

func TestMemoryLedgerFailureIsRetryable(t *testing.T) {
	var l social.MemoryLedger
	p := &onePage{fail: true}
	o := social.FanOutOptions{Ledger: &l}
	post := social.Post{Text: "again"}
	if r := o.Run(context.Background(), post, p); r.Failed != 1 {
		t.Fatalf("%+v", r.Results[0])
	}
	p.fail = false
	if r := o.Run(context.Background(), post, p); r.Published != 1 || p.n.Load() != 2 {
		t.Fatalf("retry after a failure: %+v, %d attempts", r.Results[0], p.n.Load())
	}
}

func TestFanOutWithoutLedgerRepeats(t *testing.T) {
	p := &onePage{}
	post := social.Post{Text: "twice"}
	social.FanOut(context.Background(), post, p)
	social.FanOut(context.Background(), post, p)
	if p.n.Load() != 2 {
		t.Fatalf("without a ledger FanOut keeps no record: %d publications, want 2", p.n.Load())
	}
}

// recordedLedger answers every claim with a result recorded by another
// process (no error value kept).
type recordedLedger struct{ r social.PageResult }

func (l recordedLedger) Claim(context.Context, string, social.PageInfo) (social.LedgerEntry, error) {
	return social.LedgerEntry{State: social.Recorded, Result: l.r}, nil
}

func (recordedLedger) Record(context.Context, string, social.PageResult) error { return nil }

func TestLedgerPublisherPublishesOnceAcrossReplicas(t *testing.T) {
	var l social.MemoryLedger
	p := &onePage{}
	first, second := social.WithLedger(p, &l), social.WithLedger(p, &l)
	post := social.Post{Text: "once"}
	rc, err := first.Publish(context.Background(), post)
	if err != nil || rc.PostID != "7" {
		t.Fatalf("first: %+v, %v", rc, err)
	}
	rc, err = second.Publish(context.Background(), post)
	if err != nil || rc.PostID != "7" || p.n.Load() != 1 {
		t.Fatalf("second: %+v, %v after %d publications", rc, err, p.n.Load())
	}
	if first.Unwrap() != social.Publisher(p) || first.Page() != p.Page() {
		t.Fatal("Unwrap and Page must reach the wrapped publisher")
	}
	// A claim held by another replica is not published over.
	if e, _ := l.Claim(context.Background(), "held", p.Page()); e.State != social.Claimed {
		t.Fatalf("claim: %v", e.State)
	}
	_, err = second.Publish(context.Background(), social.Post{Text: "held", Key: "held"})
	if !errors.Is(err, social.ErrInProgressElsewhere) || p.n.Load() != 1 {
		t.Fatalf("held claim: %v after %d publications", err, p.n.Load())
	}
}

func TestLedgerPublisherFailureReleasesTheClaim(t *testing.T) {
	var l social.MemoryLedger
	p := &onePage{fail: true}
	lp := social.WithLedger(p, &l)
	post := social.Post{Text: "again"}
	if _, err := lp.Publish(context.Background(), post); err == nil || err.Error() != "refused" {
		t.Fatalf("failure: %v", err)
	}
	p.fail = false
	if rc, err := lp.Publish(context.Background(), post); err != nil || rc.PostID != "7" || p.n.Load() != 2 {
		t.Fatalf("retry: %+v, %v after %d attempts", rc, err, p.n.Load())
	}
}

func TestLedgerPublisherReportsRecordedOutcomes(t *testing.T) {
	p := &onePage{}
	page := p.Page()
	for _, tc := range []struct {
		outcome social.Outcome
		want    error
	}{
		{social.Unknown, social.ErrUnknownOutcome},
		{social.PartiallyPublished, social.ErrPartiallyPublished},
	} {
		lp := social.WithLedger(p, recordedLedger{social.PageResult{Page: page, Outcome: tc.outcome, Reason: "dropped"}})
		if _, err := lp.Publish(context.Background(), social.Post{Text: "x"}); !errors.Is(err, tc.want) {
			t.Fatalf("%s: %v, want %v", tc.outcome, err, tc.want)
		}
	}
	lp := social.WithLedger(p, recordedLedger{social.PageResult{Page: page, Outcome: social.Failed, Reason: "refused"}})
	if _, err := lp.Publish(context.Background(), social.Post{Text: "x"}); err == nil ||
		errors.Is(err, social.ErrUnknownOutcome) {
		t.Fatalf("recorded failure: %v", err)
	}
	if p.n.Load() != 0 {
		t.Fatalf("a recorded outcome must not publish again: %d publications", p.n.Load())
	}
}
