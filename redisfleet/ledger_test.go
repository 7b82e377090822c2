package redisfleet_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/redisfleet"
	"github.com/gospubliki/gosdk/redisfleet/internal/redistest"
	"github.com/gospubliki/gosdk/social"
)

// countingPublisher publishes to one page and counts the publications.
type countingPublisher struct {
	page    social.PageInfo
	n       *atomic.Int64
	block   chan struct{} // when not nil, Publish waits for it to close
	started chan struct{} // when not nil, closed when Publish starts
}

func (p *countingPublisher) Page() social.PageInfo { return p.page }

func (p *countingPublisher) Publish(ctx context.Context, post social.Post) (social.Receipt, error) {
	if p.started != nil {
		close(p.started)
	}
	if p.block != nil {
		<-p.block
	}
	p.n.Add(1)
	return social.Receipt{Network: p.page.Network, PageID: p.page.ID, PostID: "42", Key: post.Key}, nil
}

func TestLedgerRecordedReceiptIsReported(t *testing.T) {
	srv := redistest.Shared(t)
	var n atomic.Int64
	page := social.PageInfo{Network: social.Telegram, ID: "-1001"}
	post := social.Post{Text: "hello"}
	a := social.FanOutOptions{Ledger: redisfleet.NewLedger(srv.Client(t), redisfleet.LedgerConfig{Prefix: prefix(t)})}
	b := social.FanOutOptions{Ledger: redisfleet.NewLedger(srv.Client(t), redisfleet.LedgerConfig{Prefix: prefix(t)})}
	ra := a.Run(context.Background(), post, &countingPublisher{page: page, n: &n})
	rb := b.Run(context.Background(), post, &countingPublisher{page: page, n: &n})
	if n.Load() != 1 || ra.Published != 1 || rb.Published != 1 {
		t.Fatalf("published %d times; reports %+v / %+v", n.Load(), ra.Results, rb.Results)
	}
	if got := rb.Results[0].Receipt; got.PostID != "42" || got.Key != post.StableKey() {
		t.Fatalf("second replica reported receipt %+v, want the recorded one", got)
	}
}

func TestLedgerInProgressElsewhere(t *testing.T) {
	srv := redistest.Shared(t)
	var n atomic.Int64
	page := social.PageInfo{Network: social.VK, ID: "-7"}
	post := social.Post{Text: "in flight"}
	block := make(chan struct{})
	a := social.FanOutOptions{Ledger: redisfleet.NewLedger(srv.Client(t), redisfleet.LedgerConfig{Prefix: prefix(t)})}
	b := social.FanOutOptions{Ledger: redisfleet.NewLedger(srv.Client(t), redisfleet.LedgerConfig{Prefix: prefix(t)})}
	done := make(chan *social.Report)
	started := make(chan struct{})
	go func() {
		done <- a.Run(context.Background(), post, &countingPublisher{page: page, n: &n, block: block, started: started})
	}()
	<-started // a holds the claim and is publishing
	rb := b.Run(context.Background(), post, &countingPublisher{page: page, n: &n})
	close(block)
	ra := <-done
	if rb.Failed != 1 || !errors.Is(rb.Results[0].Err, social.ErrInProgressElsewhere) {
		t.Fatalf("second replica: %+v, want in progress elsewhere", rb.Results[0])
	}
	if ra.Published != 1 || n.Load() != 1 {
		t.Fatalf("first replica: %+v, %d publications", ra.Results[0], n.Load())
	}
}

func TestLedgerExpiredClaimIsUnknown(t *testing.T) {
	srv := redistest.Shared(t)
	rdb := srv.Client(t)
	cfg := redisfleet.LedgerConfig{Prefix: prefix(t), ClaimTTL: time.Hour}
	dead := redisfleet.NewLedger(rdb, cfg)
	page := social.PageInfo{Network: social.OK, ID: "55"}
	// The holder claims and dies before recording.
	if e, err := dead.Claim(context.Background(), "k", page); err != nil || e.State != social.Claimed {
		t.Fatalf("claim: %+v %v", e, err)
	}
	live := redisfleet.NewLedger(rdb, cfg)
	if e, _ := live.Claim(context.Background(), "k", page); e.State != social.ClaimedElsewhere {
		t.Fatalf("live claim: %v, want claimed elsewhere", e.State)
	}
	// The claim's TTL runs out (Redis drops the key; deleting it is the
	// same without waiting an hour).
	if n, err := rdb.Del(context.Background(), prefix(t)+"claim:{k:"+page.String()+"}").Result(); err != nil || n != 1 {
		t.Fatalf("claim key not found: %d %v", n, err)
	}
	if ttl, _ := rdb.PTTL(context.Background(), prefix(t)+"trace:{k:"+page.String()+"}").Result(); ttl < 24*time.Hour {
		t.Fatalf("the trace of the attempt must outlive the claim: ttl %s", ttl)
	}
	var n atomic.Int64
	rep := social.FanOutOptions{Ledger: live}.Run(context.Background(), social.Post{Key: "k", Text: "x"},
		&countingPublisher{page: page, n: &n})
	if rep.Unknown != 1 || n.Load() != 0 || !errors.Is(rep.Results[0].Err, social.ErrUnknownOutcome) {
		t.Fatalf("after the holder died: %+v, %d publications; want unknown and none", rep.Results[0], n.Load())
	}
}

func TestLedgerFailedReleases(t *testing.T) {
	srv := redistest.Shared(t)
	l := redisfleet.NewLedger(srv.Client(t), redisfleet.LedgerConfig{Prefix: prefix(t)})
	page := social.PageInfo{Network: social.VK, ID: "-1"}
	ctx := context.Background()
	if e, _ := l.Claim(ctx, "k", page); e.State != social.Claimed {
		t.Fatal(e.State)
	}
	if err := l.Record(ctx, "k", social.PageResult{Page: page, Outcome: social.Failed}); err != nil {
		t.Fatal(err)
	}
	other := redisfleet.NewLedger(srv.Client(t), redisfleet.LedgerConfig{Prefix: prefix(t)})
	if e, _ := other.Claim(ctx, "k", page); e.State != social.Claimed {
		t.Fatalf("after a failure the page is %v, want claimable", e.State)
	}
}

func TestLedgerUnavailable(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	srv.Stop()
	var n atomic.Int64
	rep := social.FanOutOptions{Ledger: redisfleet.NewLedger(rdb, redisfleet.LedgerConfig{})}.Run(
		context.Background(), social.Post{Text: "x"}, &countingPublisher{page: social.PageInfo{Network: social.VK, ID: "1"}, n: &n})
	if rep.Failed != 1 || n.Load() != 0 || !errors.Is(rep.Results[0].Err, redisfleet.ErrUnavailable) {
		t.Fatalf("%+v, %d publications; want not attempted", rep.Results[0], n.Load())
	}
}
