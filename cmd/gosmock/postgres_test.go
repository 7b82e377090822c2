package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/internal/pgtest"
)

// runUntilClosed runs gosmock with args until the returned stop is
// called; it returns the manifest line.
func runUntilClosed(t *testing.T, env string, args ...string) (manifest, func() (int, string)) {
	t.Helper()
	t.Setenv("GOSPUBLIKI_DATABASE_URL", env)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errb strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run(append([]string{"-exit-on-stdin-eof", "-exit-with-parent=false"}, args...), inR, outW, &errb)
		_ = outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	require.NoError(t, err, "no manifest line")
	var m manifest
	require.NoError(t, json.Unmarshal([]byte(line), &m))
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	return m, func() (int, string) {
		_ = inW.Close()
		return <-done, errb.String()
	}
}

// TestGospublikiOnPostgreSQL: with -gospubliki-postgres (or the
// environment variable) the cabinet's posts and sessions survive a restart
// of gosmock.
func TestGospublikiOnPostgreSQL(t *testing.T) {
	url := pgtest.Shared(t).NewDatabase(t)
	ctx := context.Background()
	m, stop := runUntilClosed(t, "", "-gospubliki-postgres", url)
	creds := m.Credentials.Gospubliki
	require.NotEmpty(t, creds.Editor.Phone)
	c, err := gospubliki.New(core.WithBaseURL(m.Gospubliki), core.WithRetry(0, 0, 0))
	require.NoError(t, err)
	sess, err := c.Login(ctx, creds.Editor.Phone, creds.Editor.Password)
	require.NoError(t, err)
	p, err := c.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Переживёт перезапуск"), Targets: []string{"vk:-1"}})
	require.NoError(t, err)
	code, logs := stop()
	require.Equal(t, 0, code, logs)
	require.Contains(t, logs, "PostgreSQL")
	require.NotContains(t, logs, url)

	// Started again through the environment variable.
	m, stop = runUntilClosed(t, url)
	defer stop()
	c, err = gospubliki.New(core.WithBaseURL(m.Gospubliki), core.WithRetry(0, 0, 0), gospubliki.WithToken(sess.Token))
	require.NoError(t, err)
	got, err := c.Post(ctx, p.ID)
	require.NoError(t, err, "the session and the post survived the restart")
	require.Equal(t, "Переживёт перезапуск", got.Text)
}

func TestGospublikiPostgresBadURL(t *testing.T) {
	var out, errb strings.Builder
	code := run([]string{"-gospubliki-postgres", "postgres://user:s3cret@127.0.0.1:1/db?connect_timeout=1"}, strings.NewReader(""), &out, &errb)
	require.Equal(t, 1, code)
	require.Contains(t, errb.String(), "-gospubliki-postgres")
	require.NotContains(t, errb.String(), "s3cret")
	code = run([]string{"-gospubliki-postgres", "::not a url::"}, strings.NewReader(""), &out, &errb)
	require.Equal(t, 1, code)
}
