package world

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Summary groups journal entries by method, in the order each method was
// first called, one line each with the answers' status counts
// ("sendmessage 1 × dropped, 2 × 200" — 0 is a connection closed without
// an answer), then a line with the total: what a demo or a failing test
// prints to show what an application sent.
func Summary(entries []Entry) []string {
	type stat struct {
		first  uint64
		status map[int]int
	}
	byMethod := map[string]*stat{}
	for _, e := range entries {
		s := byMethod[e.Method]
		if s == nil {
			s = &stat{first: e.Seq, status: map[int]int{}}
			byMethod[e.Method] = s
		}
		s.status[e.Status]++
	}
	methods := make([]string, 0, len(byMethod))
	for m := range byMethod {
		methods = append(methods, m)
	}
	slices.SortFunc(methods, func(a, b string) int { return cmp.Compare(byMethod[a].first, byMethod[b].first) })
	width := 0
	for _, m := range methods {
		width = max(width, len(m))
	}
	out := make([]string, 0, len(methods)+1)
	for _, m := range methods {
		s := byMethod[m]
		codes := make([]int, 0, len(s.status))
		for c := range s.status {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		parts := make([]string, len(codes))
		for i, c := range codes {
			label := strconv.Itoa(c)
			if c == 0 {
				label = "dropped" // the connection was closed without an answer
			}
			parts[i] = fmt.Sprintf("%d × %s", s.status[c], label)
		}
		out = append(out, fmt.Sprintf("%-*s %s", width, m, strings.Join(parts, ", ")))
	}
	out = append(out, fmt.Sprintf("%d requests in total", len(entries)))
	return out
}
