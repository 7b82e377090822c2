package redisfleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gospubliki/gosdk/social"
	"github.com/redis/go-redis/v9"
)

// Default durations of a Ledger.
const (
	// DefaultClaimTTL is how long a claim outlives its holder: a replica
	// that dies mid-publication leaves a claim that expires after this
	// time and then reads as an unknown outcome. It must exceed the
	// longest publication (limiter waits and retries included).
	DefaultClaimTTL = 10 * time.Minute
	// DefaultRecordTTL is how long outcomes (and the traces of expired
	// claims) are kept.
	DefaultRecordTTL = 7 * 24 * time.Hour
)

// LedgerConfig configures a Ledger.
type LedgerConfig struct {
	// Prefix namespaces the Redis keys (default "gosdk:ledger:").
	Prefix string
	// ClaimTTL (default DefaultClaimTTL) and RecordTTL (default
	// DefaultRecordTTL).
	ClaimTTL, RecordTTL time.Duration
}

// Ledger is a social.Ledger on Redis shared by the replicas of a service:
// pass it as social.FanOutOptions.Ledger in every replica. Before a post
// goes to a page, the pair (post key, page) is claimed with SET NX and a
// TTL (ClaimTTL) and a trace of the attempt is kept for RecordTTL; the
// outcome is recorded when the publication ends. A replica that finds a
// live claim of another reports the page in progress elsewhere; one that
// finds a recorded outcome reports it (receipt included) instead of
// publishing again; one that finds the trace of an expired claim without an
// outcome (its holder died) reports the outcome unknown, never publishing a
// second time. A Failed outcome (nothing published) releases the claim.
type Ledger struct {
	rdb    redis.UniversalClient
	prefix string
	claim  time.Duration
	keep   time.Duration
	holder string
}

var _ social.Ledger = (*Ledger)(nil)

// NewLedger returns a Ledger on rdb; each Ledger is one claim holder.
func NewLedger(rdb redis.UniversalClient, cfg LedgerConfig) *Ledger {
	l := &Ledger{rdb: rdb, prefix: cfg.Prefix, claim: cfg.ClaimTTL, keep: cfg.RecordTTL}
	if l.prefix == "" {
		l.prefix = "gosdk:ledger:"
	}
	if l.claim <= 0 {
		l.claim = DefaultClaimTTL
	}
	if l.keep <= 0 {
		l.keep = DefaultRecordTTL
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	l.holder = hex.EncodeToString(b[:])
	return l
}

func (l *Ledger) keys(key string, page social.PageInfo) []string {
	// The hash tag keeps the three keys of a pair in one Redis Cluster slot.
	id := "{" + key + ":" + page.String() + "}"
	return []string{l.prefix + "rec:" + id, l.prefix + "claim:" + id, l.prefix + "trace:" + id}
}

var claimScript = redis.NewScript(`
local rec = redis.call('GET', KEYS[1])
if rec then return {'rec', rec} end
local c = redis.call('GET', KEYS[2])
if c then return {'busy', c} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {'lost', ''} end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[3])
return {'ok', ''}
`)

var recordScript = redis.NewScript(`
if ARGV[2] == '' then
  if redis.call('GET', KEYS[2]) == ARGV[1] then
    redis.call('DEL', KEYS[2], KEYS[3])
  end
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`)

// record is the stored form of an outcome.
type record struct {
	Outcome social.Outcome `json:"outcome"`
	Receipt social.Receipt `json:"receipt"`
	Code    string         `json:"code,omitempty"`
	Reason  string         `json:"reason,omitempty"`
}

// Claim implements social.Ledger.
func (l *Ledger) Claim(ctx context.Context, key string, page social.PageInfo) (social.LedgerEntry, error) {
	res, err := claimScript.Run(ctx, l.rdb, l.keys(key, page), l.holder, l.claim.Milliseconds(), l.keep.Milliseconds()).StringSlice()
	if err != nil {
		return social.LedgerEntry{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if len(res) != 2 {
		return social.LedgerEntry{}, fmt.Errorf("redisfleet: unexpected claim answer %q", res)
	}
	switch res[0] {
	case "ok":
		return social.LedgerEntry{State: social.Claimed}, nil
	case "busy":
		return social.LedgerEntry{State: social.ClaimedElsewhere}, nil
	case "lost":
		return social.LedgerEntry{State: social.Abandoned}, nil
	}
	var rec record
	if err := json.Unmarshal([]byte(res[1]), &rec); err != nil {
		return social.LedgerEntry{}, fmt.Errorf("redisfleet: bad ledger record: %w", err)
	}
	return social.LedgerEntry{State: social.Recorded, Result: social.PageResult{
		Page: page, Outcome: rec.Outcome, Receipt: rec.Receipt, Code: rec.Code, Reason: rec.Reason}}, nil
}

// Record implements social.Ledger.
func (l *Ledger) Record(ctx context.Context, key string, r social.PageResult) error {
	val := ""
	if r.Outcome != social.Failed {
		b, err := json.Marshal(record{Outcome: r.Outcome, Receipt: r.Receipt, Code: r.Code, Reason: r.Reason})
		if err != nil {
			return err
		}
		val = string(b)
	}
	if err := recordScript.Run(ctx, l.rdb, l.keys(key, r.Page), l.holder, val, l.keep.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}
