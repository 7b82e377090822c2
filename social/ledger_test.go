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
