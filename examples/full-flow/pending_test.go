package main

// storyLines and storyResults are the lines of the steps after the
// cabinet's connection.
var (
	storyLines   []string
	storyResults []string
)
