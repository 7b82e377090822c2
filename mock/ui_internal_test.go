package mock

import (
	"context"
	"encoding/json"
	"html/template"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

func TestTablesOfShowsFieldsItDoesNotKnow(t *testing.T) {
	raw := json.RawMessage(`{
		"cabinets": [{"id": 1, "kind": "editorial", "org_name": "Минцифры"}],
		"posts": [
			{"id": 7, "status": "published", "text": "Новость", "report": [{"page": "vk:1", "outcome": "published"}]},
			{"id": 8, "status": "returned", "moderation_comment": "уточните дату", "created_at": "2026-03-02T09:00:00Z"}
		],
		"version": 3,
		"empty": []
	}`)
	tables := tablesOf(raw)
	if len(tables) != 2 || tables[0].Name != "cabinets" || tables[1].Name != "posts" {
		t.Fatalf("tables = %+v", tables)
	}
	posts := tables[1]
	want := []string{"id", "status", "text", "created_at", "moderation_comment", "report"}
	if strings.Join(posts.Columns, ",") != strings.Join(want, ",") {
		t.Fatalf("columns = %v, want %v", posts.Columns, want)
	}
	cell := func(row int, col string) uiCell {
		for i, c := range posts.Columns {
			if c == col {
				return posts.Rows[row][i]
			}
		}
		t.Fatalf("no column %s", col)
		return uiCell{}
	}
	if c := cell(0, "report"); c.Text != `[{"page":"vk:1","outcome":"published"}]` {
		t.Errorf("nested report = %q", c.Text)
	}
	if c := cell(0, "status"); !c.Status || c.Text != "published" {
		t.Errorf("status cell = %+v", c)
	}
	if c := cell(1, "created_at"); c.Text != "2026-03-02 09:00:00" {
		t.Errorf("time cell = %q", c.Text)
	}
	if c := cell(0, "moderation_comment"); c.Text != "" {
		t.Errorf("absent field = %q", c.Text)
	}
	if tablesOf(json.RawMessage(`[1,2]`)) != nil || tablesOf(nil) != nil {
		t.Error("a section that is not an object has no tables")
	}
}

func TestStepOf(t *testing.T) {
	for _, c := range []struct{ party, method, want string }{
		{"esia", "v2/ac", "ESIA login"},
		{"esia", "te", "ESIA token"},
		{"esia", "rs/prns", "ESIA data"},
		{"vk", "wall.post", "VK post"},
		{"vk", "gov", "VK verification"},
		{"ok", "mediatopic.post", "OK post"},
		{"vk", "callback", "webhook to the app"},
		{"telegram", "webhook", "webhook to the app"},
		{"telegram", "sendphoto", "Telegram post"},
		{"telegram", "getupdates", "Telegram updates"},
		{"gospubliki", "approvePost", "cabinet post"},
		{"gospubliki", "login", "cabinet login"},
		{"pos", "form", "POS"},
		{"other", "x", "other"},
	} {
		if got := stepOf(world.Entry{Party: c.party, Method: c.method}); got != c.want {
			t.Errorf("stepOf(%s %s) = %q, want %q", c.party, c.method, got, c.want)
		}
	}
}

// FuzzSectionTables renders arbitrary section exports as the state
// browser does: it never panics and every cell is valid UTF-8 of bounded
// length.
func FuzzSectionTables(f *testing.F) {
	f.Add([]byte(`{"posts":[{"id":1,"status":"published","report":[{"page":"vk:1"}]}]}`))
	f.Add([]byte(`{"a":[{"b":"2026-03-02T09:00:00Z","c":null,"d":{"e":[1,2,3]}}],"x":[]}`))
	f.Add([]byte(`{"a":[{"s":"` + strings.Repeat("я", 400) + `"}]}`))
	f.Add([]byte(`[]`))
	tmpl := template.Must(template.New("t").Parse(`{{range .}}{{range .Rows}}{{range .}}{{.Text}}{{end}}{{end}}{{end}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tables := tablesOf(json.RawMessage(data))
		for _, tb := range tables {
			for _, row := range tb.Rows {
				if len(row) != len(tb.Columns) {
					t.Fatalf("row of %d cells under %d columns", len(row), len(tb.Columns))
				}
				for _, c := range row {
					if utf8.ValidString(string(data)) && !utf8.ValidString(c.Text) {
						t.Fatalf("cell %q is not UTF-8", c.Text)
					}
					if utf8.RuneCountInString(c.Text) > 601 {
						t.Fatalf("cell of %d runes", utf8.RuneCountInString(c.Text))
					}
				}
			}
		}
		if err := tmpl.Execute(io.Discard, tables); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWaitForEntry(t *testing.T) {
	j := world.NewJournal(0)
	j.Record(world.Entry{Party: "vk", Method: "wall.get"})

	// Something newer than seq is there already, or no wait is asked for:
	// no waiting.
	waitForEntry(t.Context(), j, 0, time.Hour)
	waitForEntry(t.Context(), j, 1, 0)

	// Waiting ends with the next entry, whenever it is recorded.
	done := make(chan struct{})
	go func() {
		waitForEntry(t.Context(), j, 1, time.Hour)
		close(done)
	}()
	j.Record(world.Entry{Party: "vk", Method: "wall.post"})
	<-done

	// Or with the request.
	ctx, cancel := context.WithCancel(t.Context())
	done = make(chan struct{})
	go func() {
		waitForEntry(ctx, j, 2, time.Hour)
		close(done)
	}()
	cancel()
	<-done
}
