// Command talkgraph is a knowledge graph of tech-conference talks.
package main

import (
	"os"

	"github.com/talkgraph/talkgraph/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.SystemIO()))
}
