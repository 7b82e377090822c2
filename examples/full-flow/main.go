// Command full-flow runs the whole life of an institution's official
// pages against the gosdk sandbox, in-process and offline, with no setup:
//
//	go run ./examples/full-flow [-ui]
//
// It starts the sandbox (mock.New: the ESIA, VK, OK, Telegram, POS and
// Gospubliki emulators sharing one world) and narrates each step with
// what it checked:
//
//  1. the ministry's VK community is checked against VK's requirements and
//     sent for the «Госорганизация» mark through Gosuslugi (the management
//     page's button, a login at the ESIA emulator as the ministry's chief);
//  2. its OK group likewise, through the group's settings page;
//  3. the networks review both requests within 24 hours: the sandbox clock
//     moves through the day and both marks are confirmed through the APIs;
//  4. the POS forms (appeal and polls, «Решаем вместе») are placed in the
//     community's menu as the placement instruction writes them, and the
//     audit follows every link to POS;
//  5. the LKO administrator connects the VK community, the OK group and
//     the Telegram channel to the Gospubliki cabinet, which checks each
//     page's mark, requirements and POS forms;
//  6. an editor creates a post for the three pages and submits it, a
//     moderator approves it for a time on the sandbox clock, the clock
//     reaches it and the cabinet publishes; the publication report shows
//     each page's outcome and every published part;
//  7. the cabinet collects the networks' statistics and prints the
//     analytics of the post and the pages.
//
// With -ui the sandbox keeps running after the story, and the inspector's
// URL is printed; Ctrl-C (or SIGTERM) stops it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gospubliki/gosdk/examples/internal/narrate"
	"github.com/gospubliki/gosdk/mock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run parses the flags and runs the story; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("full-flow", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ui := fs.Bool("ui", false, "keep the sandbox running after the story and print the inspector's URL (Ctrl-C ends it)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := story(ctx, *ui, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "full-flow:", err)
		return 1
	}
	return 0
}

// start is the story's first morning on the sandbox clock.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// story runs every step against one sandbox.
func story(ctx context.Context, ui bool, stdout, stderr io.Writer) error {
	sb, err := mock.New()
	if err != nil {
		return err
	}
	defer sb.Close()
	sb.Clock.Set(start)
	n := narrate.New(stdout, stderr)
	fmt.Fprintf(stdout, "sandbox: ESIA %s, VK %s, OK %s, Telegram %s, POS %s, Gospubliki %s\n",
		sb.ESIAURL, sb.VKURL, sb.OKURL, sb.TelegramURL, sb.POSURL, sb.URL("gospubliki"))
	fmt.Fprintf(stdout, "sandbox clock: %s\n", sb.Clock.Now().UTC().Format(clockLayout))

	f := &flow{sb: sb, n: n}
	for _, step := range []func(context.Context) error{
		f.verifyVK, f.verifyOK, f.review, f.placePOS, f.connect, f.publish, f.analytics,
	} {
		if err := step(ctx); err != nil {
			return fmt.Errorf("step %d: %w", n.Number(), err)
		}
	}
	fmt.Fprintln(stdout, "\ndone: every step passed")

	if !ui {
		return nil
	}
	fmt.Fprintf(stdout, "\ninspector: %s (the sandbox keeps running; Ctrl-C ends it)\n", sb.InspectorURL())
	<-ctx.Done()
	fmt.Fprintln(stdout, "stopping the sandbox")
	return nil
}

// clockLayout prints sandbox clock times.
const clockLayout = "2006-01-02 15:04 MST"
