// The audit at scale against the sandbox's VK and POS emulators, at VK's
// real limits (3 requests a second for a service token, on the world
// clock):
//
//	go test -run '^$' -bench Audit5000 -benchmem -benchtime 1x ./pos/
//
// The vk client's pacing runs on a virtual clock stepped together with the
// sandbox's frozen world clock (as vk/sandbox_bench_test.go does), so the
// audit's world time is measured, not waited for.
package pos_test

import (
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/pos"
	"github.com/gospubliki/gosdk/vk"
)

// serviceRate is VK's rate of a service token, requests a second, and the
// client's burst.
const (
	serviceRate  = 3
	serviceBurst = 1
)

func BenchmarkAudit5000(b *testing.B) {
	const n = 5000
	sb := mock.Start(b, mock.WithParties("vk", "pos"), mock.WithFrozenClock(coretest.Epoch))
	pages := seedRegion(b, sb, 400000000, n)
	dir := directoryOf(b, sb)
	// The LKOs the pages involve: the appeal form's and the polls form's.
	lkos := map[int64]bool{}
	for _, p := range pages {
		r, err := dir.Resolve(p.OGRN)
		require.NoError(b, err)
		lkos[r.AppealLKO.OpaID] = true
		if l, ok := dir.LKO(r.PollsFrom.OGRN); ok {
			lkos[l.OpaID] = true
		}
	}
	for b.Loop() {
		clk := coretest.NewClock(sb.Clock.Now())
		hc := *sb.HTTPClient()
		tr := &countingTransport{next: hc.Transport, posPrefix: sb.POSURL}
		if tr.next == nil {
			tr.next = http.DefaultTransport
		}
		hc.Transport, hc.Timeout = tr, 0
		c, err := vk.New(sb.Credentials.VK.ServiceToken, vk.ServiceToken, core.WithBaseURL(sb.VKURL),
			core.WithHTTPClient(&hc), core.WithClock(clk), vk.WithRateLimits(vk.DefaultLimits()))
		require.NoError(b, err)
		a := &pos.Auditor{Directory: dir, Forms: pos.Forms{BaseURL: sb.POSURL}, HTTPClient: &hc,
			Readers: map[string]pos.MenuReader{pos.NetworkVK: pos.VKMenus{Client: c}}}
		var res *pos.AuditResult
		start := clk.Now()
		done := make(chan error, 1)
		go func() {
			var err error
			res, err = a.Audit(b.Context(), pages, nil)
			done <- err
		}()
		// Step both clocks whenever the audit waits on the pacing only.
		last, stall := -1, 0
	loop:
		for {
			select {
			case err := <-done:
				require.NoError(b, err)
				break loop
			default:
			}
			p := clk.Pending()
			switch {
			case p == 0 || tr.inflight.Load() != 0 || p != last:
				last, stall = p, 0
			case stall < 500:
				stall++
			default:
				if at, ok := clk.Next(); ok {
					sb.Clock.Set(at)
					clk.Set(at)
				}
				last, stall = -1, 0
			}
			runtime.Gosched()
		}
		elapsed := clk.Since(start)
		require.Len(b, res.Pages, n)
		calls := tr.vk.Load()
		allowed := time.Duration(float64(calls-serviceBurst) / serviceRate * float64(time.Second))
		fraction := 1.0
		if elapsed > 0 {
			fraction = float64(allowed) / float64(elapsed)
		}
		b.ReportMetric(float64(calls)/n, "vkcalls/page")
		b.ReportMetric(float64(tr.posN.Load())/float64(len(lkos)), "posreq/lko")
		b.ReportMetric(n/max(elapsed.Seconds(), 1e-9), "pages/worldsec")
		b.ReportMetric(fraction, "of-limit")
		require.LessOrEqual(b, float64(calls)/n, 0.1)
		require.LessOrEqual(b, float64(tr.posN.Load())/float64(len(lkos)), 2.0)
		require.GreaterOrEqual(b, fraction, 0.9)
	}
}
