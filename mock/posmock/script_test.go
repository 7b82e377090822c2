package posmock_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWidgetScript runs the served widget script under Node.js with a
// minimal DOM: Widget(url, id) binds the banner button, and a click opens
// the form of that id in an iframe inside the wrapper.
func TestWidgetScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	_, srv := newWorld(t)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/bin/script.min.js", nil))
	require.Equal(t, 200, rec.Code)
	assert.Equal(t, "application/javascript; charset=utf-8", rec.Header().Get("Content-Type"))
	harness := `
const els = {};
function el(tag){ return {tag, children: [], style: {}, listeners: {}, appendChild(c){ this.children.push(c); els[c.id] = c; },
  addEventListener(ev, f){ (this.listeners[ev] = this.listeners[ev] || []).push(f); } }; }
const wrapper = el("div"); wrapper.id = "js-show-iframe-wrapper"; els[wrapper.id] = wrapper;
const button = el("button");
globalThis.window = globalThis;
globalThis.document = { body: el("body"), getElementById: id => els[id] || null,
  querySelectorAll: sel => sel === ".pos-banner-btn_2" ? [button] : [], createElement: el };
require(process.argv[1]);
const w = Widget("https://pos.example/form/", 900001);
if (!button.listeners.click) { console.log("no click handler"); process.exit(1); }
button.listeners.click[0]();
const f = els["pos-widget-iframe"];
console.log(w.url + " " + (f && f.src) + " " + wrapper.children.length);
`
	dir := t.TempDir()
	script := filepath.Join(dir, "script.min.js")
	require.NoError(t, os.WriteFile(script, rec.Body.Bytes(), 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, "-e", harness, script).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "https://pos.example/form/?opaId=900001 https://pos.example/form/?opaId=900001 1", strings.TrimSpace(string(out)))
}
