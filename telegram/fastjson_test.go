package telegram

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSendMessageFastJSONMatchesEncodingJSON: the direct encoding of a
// sendMessage equals json.Marshal's, byte for byte, and requests with
// nested options are left to encoding/json.
func TestSendMessageFastJSONMatchesEncodingJSON(t *testing.T) {
	for _, r := range []*SendMessageRequest{
		{ChatID: ChatIDInt(-1001234567890), Text: "Приём граждан переносится 🏛"},
		{ChatID: Username("@mincifry"), Text: "a\"b\\c\n\r\t\b\f\x00\x1f<>&\u2028\u2029\x7f", ParseMode: ParseModeHTML,
			MessageThreadID: 7, DisableNotification: true, ProtectContent: true},
		{ChatID: ChatIDInt(1), Text: "bad utf-8: \xff\xfe end", ParseMode: "MarkdownV2"},
		{},
	} {
		got, ok := r.appendJSON(nil)
		require.True(t, ok)
		want, err := json.Marshal(r)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
	for _, r := range []*SendMessageRequest{
		{ChatID: ChatIDInt(1), Text: "x", Entities: []MessageEntity{}},
		{ChatID: ChatIDInt(1), Text: "x", LinkPreviewOptions: &LinkPreviewOptions{}},
		{ChatID: ChatIDInt(1), Text: "x", ReplyParameters: &ReplyParameters{}},
		{ChatID: ChatIDInt(1), Text: "x", ReplyMarkup: &InlineKeyboardMarkup{}},
		nil,
	} {
		_, ok := r.appendJSON(nil)
		assert.False(t, ok)
	}
}

// FuzzSendMessageFastJSON checks the direct encoding against
// encoding/json on arbitrary text, usernames and parse modes.
func FuzzSendMessageFastJSON(f *testing.F) {
	f.Add(int64(-1001234567890), "", "Привет <b>мир</b> & \"всё\"", "HTML", int64(0), false, true)
	f.Add(int64(0), "@channel_name", "\xff\x00\u2028", "", int64(3), true, false)
	f.Fuzz(func(t *testing.T, id int64, user, text, mode string, thread int64, silent, protect bool) {
		r := &SendMessageRequest{ChatID: ChatID{id: id, username: user}, Text: text, ParseMode: ParseMode(mode),
			MessageThreadID: thread, DisableNotification: silent, ProtectContent: protect}
		got, ok := r.appendJSON(nil)
		if !ok {
			t.Fatal("a request without nested options must encode directly")
		}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("direct %s\njson   %s", got, want)
		}
	})
}
