// go-init: the seed's Go init. The Go runtime installs handlers for every signal; with no
// signal.Notify, SIGTERM makes it restore the default and re-raise, which the kernel drops for
// PID 1, and then exit(2). So `kill 1` ends it, but `kill -9 1` from inside does not.
package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println("Start app")
	time.Sleep(time.Duration(100000) * time.Millisecond)
}
