// Package narrate prints what the examples do in plain words: numbered
// steps, what each step checked, its result, and a progress bar for long
// steps.
//
// A step's result line starts with "  => " so a test can find every
// step's outcome in the output.
package narrate

import (
	"fmt"
	"io"
	"strings"
)

// Narrator writes a story of numbered steps to Out and progress bars to
// Progress (usually stderr; nil draws none).
type Narrator struct {
	// Out receives the steps, checks and results.
	Out io.Writer
	// Progress receives the progress bars; nil draws none.
	Progress io.Writer
	step     int
}

// New is a narrator writing to out, with progress bars on progress.
func New(out, progress io.Writer) *Narrator { return &Narrator{Out: out, Progress: progress} }

// Step starts the next numbered step: "\n[n] title".
func (n *Narrator) Step(title string) {
	n.step++
	fmt.Fprintf(n.Out, "\n[%d] %s\n", n.step, title)
}

// Number is the current step's number (0 before the first step).
func (n *Narrator) Number() int { return n.step }

// Say prints a line of the current step.
func (n *Narrator) Say(format string, args ...any) {
	fmt.Fprintf(n.Out, "    "+format+"\n", args...)
}

// Checked prints what the step checked and what it found.
func (n *Narrator) Checked(what, found string) {
	fmt.Fprintf(n.Out, "    checked %s: %s\n", what, found)
}

// Result prints the step's result line: "  => [n] …".
func (n *Narrator) Result(format string, args ...any) {
	fmt.Fprintf(n.Out, "  => [%d] "+format+"\n", append([]any{n.step}, args...)...)
}

// Bar returns a progress callback for a long step: it draws a text bar
// on n.Progress, redrawn at each percent, and ends the line when done
// reaches total. It draws nothing when n.Progress is nil.
func (n *Narrator) Bar(label string) func(done, total int) {
	if n.Progress == nil {
		return func(int, int) {}
	}
	return Bar(n.Progress, label)
}

// Bar returns a progress callback that draws a text bar on w, redrawn at
// each percent, and ends the line when done reaches total.
func Bar(w io.Writer, label string) func(done, total int) {
	const width = 40
	last := -1
	if label != "" {
		label += " "
	}
	return func(done, total int) {
		total = max(total, 1)
		done = min(max(done, 0), total)
		pct := 100 * done / total
		if pct == last {
			return
		}
		last = pct
		k := width * done / total
		fmt.Fprintf(w, "\r%s[%s%s] %d/%d", label, strings.Repeat("#", k), strings.Repeat(".", width-k), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
