// Command ferretdb runs the hub's embedded MongoDB-compatible database:
// FerretDB with its SQLite backend, listening on loopback only.
//
// It embeds the FerretDB Go package instead of building FerretDB's own
// command, because that command panics at start when built from the module
// (its generated build/version/version.txt is not part of the module).
//
// Protocol with the launcher (infra/database/launch.ts), the same for every engine:
//   - prints one line "READY <mongodb-uri>" on stdout once it accepts connections;
//   - exits when its standard input closes, so it never outlives its parent;
//   - exits cleanly on SIGINT or SIGTERM.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data-dir", "", "folder for the SQLite files (created if missing)")
	listenAddr := flag.String("listen-addr", "127.0.0.1:0", "loopback address to listen on; port 0 picks a free one")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error (warn also logs the commands FerretDB does not implement, such as endSessions, on every disconnect)")
	flag.Parse()

	if *dataDir == "" {
		fail("--data-dir is required")
	}
	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail(err.Error())
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		fail(err.Error())
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("--log-level: " + err.Error())
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listenAddr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    logger,
	})
	if err != nil {
		fail(err.Error())
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The parent holds our stdin open; EOF means it is gone and we must not linger.
	go func() {
		_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
		stop()
	}()

	done := make(chan struct{})
	go func() {
		_ = db.Run(ctx)
		close(done)
	}()

	// MongoDBURI blocks until the listener is bound, so the port is known here.
	fmt.Printf("READY %s\n", db.MongoDBURI())

	<-done
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "ferretdb:", msg)
	os.Exit(2)
}
