package main

import "testing"

// storyLines and storyResults are the lines of the steps after the
// cabinet's connection.
var (
	storyLines   []string
	storyResults []string
)

// checkInspector checks the inspector's answer.
func checkInspector(t *testing.T, status int) {
	t.Logf("inspector answered HTTP %d", status)
}
