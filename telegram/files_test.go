package telegram_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/telegram"
)

func TestGetFileAndDownload(t *testing.T) {
	t.Parallel()
	c, mt := setup(t)
	rec := &recorder{}
	mt.RegisterResponder(http.MethodPost, apiBase+"getFile", rec.wrap(okResponder(t, map[string]any{
		"file_id": "BQACAgIAAx", "file_unique_id": "AgAD", "file_size": 8, "file_path": "documents/file_1.pdf"})))
	mt.RegisterResponder(http.MethodGet, "https://api.telegram.org/file/bot"+testToken+"/documents/file_1.pdf",
		httpmock.NewStringResponder(200, "%PDF-1.7"))
	f, err := c.GetFile(t.Context(), &telegram.GetFileRequest{FileID: "BQACAgIAAx"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"file_id":"BQACAgIAAx"}`, string(rec.last(t).Body))
	assert.Equal(t, "documents/file_1.pdf", f.FilePath)
	var buf bytes.Buffer
	n, err := c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: f.FilePath}, &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(8), n)
	assert.Equal(t, "%PDF-1.7", buf.String())

	// Over the limit: nothing is written.
	buf.Reset()
	_, err = c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: f.FilePath, MaxBytes: 4}, &buf)
	require.Error(t, err)
	assert.Zero(t, buf.Len())
	noToken(t, err.Error())
}

func TestDownloadErrorsAndPaths(t *testing.T) {
	t.Parallel()
	c, mt := setup(t, telegram.WithTestEnvironment())
	mt.RegisterResponder(http.MethodGet, "https://api.telegram.org/file/bot"+testToken+"/test/photos/missing.jpg",
		errResponder(404, "Not Found", nil))
	var buf bytes.Buffer
	_, err := c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: "photos/missing.jpg"}, &buf)
	require.ErrorIs(t, err, telegram.ErrNotFound)
	noToken(t, err.Error())
	for _, p := range []string{"", "../secret", "a//b", "a/./b", "/var/lib/telegram-bot-api/x.jpg"} {
		_, err = c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: p}, &buf)
		require.ErrorIs(t, err, telegram.ErrInvalidRequest, p)
	}
	_, err = c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: "a"}, nil)
	require.ErrorIs(t, err, telegram.ErrInvalidRequest)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestDownloadAbsolutePathFromLocalServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "documents", "file_7.txt")
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte("local content"), 0o600))
	c, mt := setup(t, core.WithBaseURL("http://127.0.0.1:8081"))
	var buf bytes.Buffer
	n, err := c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: p}, &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(13), n)
	assert.Equal(t, "local content", buf.String())
	assert.Equal(t, 0, mt.GetTotalCallCount())

	_, err = c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: p, MaxBytes: 5}, &buf)
	require.Error(t, err)

	// Not on this machine: downloaded over HTTP instead.
	mt.RegisterResponder(http.MethodGet, "http://127.0.0.1:8081/file/bot"+testToken+"/nonexistent/dir/f.txt",
		httpmock.NewStringResponder(200, "remote"))
	buf.Reset()
	_, err = c.DownloadFile(t.Context(), &telegram.DownloadFileRequest{FilePath: "/nonexistent/dir/f.txt"}, &buf)
	require.NoError(t, err)
	assert.Equal(t, "remote", buf.String())
}
