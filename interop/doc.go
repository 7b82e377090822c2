// Package interop proves that widely used third-party Telegram clients work
// unchanged against the gosdk Telegram Bot API emulator (mock/tgmock), and
// hosts the client-overhead benchmark against those libraries. It also
// drives the sandbox's inspector (/_mock/ui/) in a headless Chromium through
// github.com/chromedp/chromedp; without Chromium that test skips, unless
// GOSDK_REQUIRE_CHROMIUM=1.
//
// It is a separate, test-only module (its own go.mod with a replace
// directive to the main module), so the main module never depends on
// github.com/mymmrac/telego or github.com/go-telegram/bot. The Node.js
// counterpart (grammY, Telegraf) lives in the node directory.
//
//	cd interop && go test -race ./...
//	cd interop && go test -run '^$' -bench SendMessage -benchmem -count 5
//	cd interop/node && npm ci && npm test
package interop
