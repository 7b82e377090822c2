package mock_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/world"
)

type sseEvent struct {
	id, event string
	entry     world.Entry
}

// sseReader reads server-sent events from a live response.
type sseReader struct {
	t  *testing.T
	br *bufio.Reader
}

func (r *sseReader) next() sseEvent {
	r.t.Helper()
	var ev sseEvent
	for {
		line, err := r.br.ReadString('\n')
		require.NoError(r.t, err)
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if ev.event != "" {
				return ev
			}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "id: "):
			ev.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			require.NoError(r.t, json.Unmarshal([]byte(line[6:]), &ev.entry))
		}
	}
}

func openStream(t *testing.T, ctx context.Context, u string, hdr ...string) *sseReader {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	return &sseReader{t: t, br: bufio.NewReader(resp.Body)}
}

func tgGetMe(t *testing.T, sb *mock.Sandbox) {
	t.Helper()
	resp, err := sb.HTTPClient().Get(sb.TelegramURL + "/bot" + sb.Credentials.Telegram.BotToken + "/getMe")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

// TestJournalStream tails the journal over server-sent events with a real
// HTTP client: entries arrive as they are recorded (the handler wakes on
// the journal's notification), filtered like the list, each with its Seq
// as the event id; a client resuming with Last-Event-ID gets only what
// follows.
func TestJournalStream(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram", "vk"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tgGetMe(t, sb) // before the stream opens: replayed
	s := openStream(t, ctx, sb.ControlURL+"/_mock/journal/stream?party=telegram")
	ev := s.next()
	assert.Equal(t, "entry", ev.event)
	assert.Equal(t, "getme", ev.entry.Method)
	assert.Equal(t, strconv.FormatUint(ev.entry.Seq, 10), ev.id)
	require.NotNil(t, ev.entry.Decoded)
	assert.Equal(t, "getMe", ev.entry.Decoded.Telegram.Method)

	// A VK call is filtered out; the next Telegram call arrives.
	resp, err := sb.HTTPClient().Get(sb.VKURL + "/method/users.get?v=5.199&access_token=" + sb.Credentials.VK.UserToken)
	require.NoError(t, err)
	_ = resp.Body.Close()
	tgGetMe(t, sb)
	ev2 := s.next()
	assert.Equal(t, "telegram", ev2.entry.Party)
	assert.Greater(t, ev2.entry.Seq, ev.entry.Seq+1, "the VK entry in between was skipped")

	// Resume after the first event: the second is replayed, then new ones.
	r := openStream(t, ctx, sb.ControlURL+"/_mock/journal/stream?party=telegram", "Last-Event-ID", ev.id)
	assert.Equal(t, ev2.entry.Seq, r.next().entry.Seq)
	tgGetMe(t, sb)
	assert.Equal(t, ev2.entry.Seq+1, r.next().entry.Seq)

	// Bad queries are refused before the stream starts.
	for _, q := range []string{"?since=yesterday", "?tenant=x", "?after=-1"} {
		resp, err := http.Get(sb.ControlURL + "/_mock/journal/stream" + q)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, q)
	}
	req, _ := http.NewRequest(http.MethodGet, sb.ControlURL+"/_mock/journal/stream", nil)
	req.Header.Set("Last-Event-ID", "x")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

// TestJournalStreamEndsWithTheSandbox: closing the sandbox ends an open
// stream instead of waiting for it.
func TestJournalStreamEndsWithTheSandbox(t *testing.T) {
	sb, err := mock.New(mock.WithParties("telegram"))
	require.NoError(t, err)
	s := openStream(t, context.Background(), sb.ControlURL+"/_mock/journal/stream")
	require.NoError(t, sb.Close())
	_, err = io.ReadAll(s.br)
	assert.Error(t, err, "the stream was cut when the sandbox closed")
}

// TestJournalTimeFilterHTTP: since and until select entries by their
// world-clock time.
func TestJournalTimeFilterHTTP(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	sb := mock.Start(t, mock.WithParties("telegram"), mock.WithFrozenClock(t0))
	tgGetMe(t, sb)
	sb.Clock.Advance(time.Hour)
	tgGetMe(t, sb)
	sb.Clock.Advance(time.Hour)
	tgGetMe(t, sb)
	list := func(q url.Values) []world.Entry {
		resp, err := http.Get(sb.ControlURL + "/_mock/journal?" + q.Encode())
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var out []world.Entry
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return out
	}
	got := list(url.Values{"since": {t0.Add(30 * time.Minute).Format(time.RFC3339)}})
	require.Len(t, got, 2)
	assert.Equal(t, t0.Add(time.Hour), got[0].Time)
	got = list(url.Values{"since": {t0.Add(time.Hour).Format(time.RFC3339)}, "until": {t0.Add(2 * time.Hour).Format(time.RFC3339)}})
	require.Len(t, got, 1)
	assert.Equal(t, t0.Add(time.Hour), got[0].Time)
	assert.Len(t, list(url.Values{"until": {t0.Format(time.RFC3339)}}), 0)
	// The Go method gives the same answer.
	assert.Len(t, sb.Journal.Entries(world.Filter{Since: t0.Add(30 * time.Minute)}), 2)
}

// TestJournalLongPoll: with wait, a query with no match yet answers as
// soon as a matching entry is recorded; when the wait is over, [].
func TestJournalLongPoll(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("telegram"))
	after := strconv.FormatUint(sb.Journal.Seq(), 10)
	got := make(chan []world.Entry, 1)
	go func() {
		resp, err := http.Get(sb.ControlURL + "/_mock/journal?party=telegram&wait=1m&after=" + after)
		if err != nil {
			got <- nil
			return
		}
		defer resp.Body.Close()
		var out []world.Entry
		_ = json.NewDecoder(resp.Body).Decode(&out)
		got <- out
	}()
	tgGetMe(t, sb)
	entries := <-got
	require.Len(t, entries, 1)
	assert.Equal(t, "getme", entries[0].Method)

	resp, err := http.Get(sb.ControlURL + "/_mock/journal?party=vk&wait=1ms")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, "[]\n", string(body))
	for _, bad := range []string{"x", "-1s", "1h"} {
		resp, err := http.Get(sb.ControlURL + "/_mock/journal?party=vk&wait=" + bad)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, bad)
	}
}
