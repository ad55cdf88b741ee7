package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// signalContext returns a context that SIGINT or SIGTERM cancels, with the
// signal as its cause. After the first signal the default handling is
// back: a second one ends the process at once, which the store's atomic
// writes make as safe as the first (a write killed midway is rolled back
// at the next open).
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			signal.Stop(sigs)
			cancel(interruption{sig})
		case <-done:
		}
	}()
	return ctx, func() {
		close(done)
		signal.Stop(sigs)
		cancel(nil)
	}
}

// interruption is the cause of a context a signal cancelled.
type interruption struct{ sig os.Signal }

func (i interruption) Error() string { return "interrupted by " + signalName(i.sig) }

func signalName(sig os.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// interrupted reports whether err comes from ctx cancelled by a signal,
// and which.
func interrupted(ctx context.Context, err error) (os.Signal, bool) {
	var i interruption
	if err == nil || ctx.Err() == nil || !errors.As(context.Cause(ctx), &i) {
		return nil, false
	}
	return i.sig, errors.Is(err, context.Canceled) || errors.Is(err, context.Cause(ctx))
}

// exitStatus is the conventional status of a process a signal stopped:
// 128 + the signal's number.
func exitStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}
