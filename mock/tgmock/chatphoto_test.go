package tgmock_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
)

// download fetches a file by file_id through getFile and the file URL.
func (e *env) download(fileID string) (tgmock.File, []byte, string) {
	e.t.Helper()
	var f tgmock.File
	e.call("getFile", map[string]any{"file_id": fileID}).decode(e.t, &f)
	require.NotEmpty(e.t, f.FilePath)
	resp, err := http.Get(e.hs.URL + "/file/bot" + e.token + "/" + f.FilePath)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
	data, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return f, data, resp.Header.Get("Content-Type")
}

// TestChatPhotoSmallAndBigAreDistinctJPEGs reads a channel's photo from
// getChat: the small and big versions have their own file ids and unique
// ids, and downloading them gives 160×160 and 640×640 JPEG images.
func TestChatPhotoSmallAndBigAreDistinctJPEGs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var info tgmock.ChatFullInfo
	e.call("getChat", map[string]any{"chat_id": "@minsvyaz29"}).decode(t, &info)
	require.NotNil(t, info.Photo)
	p := *info.Photo
	assert.NotEqual(t, p.SmallFileID, p.BigFileID)
	assert.NotEqual(t, p.SmallFileUniqueID, p.BigFileUniqueID)

	sizes := map[string]int{p.SmallFileID: 160, p.BigFileID: 640}
	var lens []int
	for _, id := range []string{p.SmallFileID, p.BigFileID} {
		f, data, ct := e.download(id)
		require.NotEmpty(t, data, "the photo has content")
		assert.Equal(t, "image/jpeg", ct)
		assert.Equal(t, int64(len(data)), f.FileSize)
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		require.NoError(t, err, "a JPEG image")
		assert.Equal(t, image.Point{sizes[id], sizes[id]}, image.Point{cfg.Width, cfg.Height})
		_, err = jpeg.Decode(bytes.NewReader(data))
		require.NoError(t, err)
		lens = append(lens, len(data))
	}
	assert.Less(t, lens[0], lens[1], "the big version is the larger file")

	// The photo is stable across calls and per chat.
	var again tgmock.ChatFullInfo
	e.call("getChat", map[string]any{"chat_id": channelID}).decode(t, &again)
	assert.Equal(t, p, *again.Photo)
}
