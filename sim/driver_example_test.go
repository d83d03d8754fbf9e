package sim_test

import (
	"fmt"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/sim"
)

// A Driver runs the loop on its own goroutine. Inputs go in with Do and see
// their consequences settled; virtual time moves only when the test says so.
func ExampleDriver() {
	l := loop.New(loop.Config{Seed: 1})
	d := sim.NewDriver(l, sim.DriverConfig{})
	defer d.Close()

	expired := false
	_ = d.Do(func() { l.After(90*time.Second, "agent.ping-timeout", func() { expired = true }) })

	_ = d.Advance(time.Minute)
	_ = d.Do(func() { fmt.Println("after 1m expired:", expired) })
	_ = d.Advance(30 * time.Second)
	_ = d.Do(func() { fmt.Println("after 1m30s expired:", expired) })
	fmt.Println("virtual time:", d.Now().Sub(l.Epoch()))
	// Output:
	// after 1m expired: false
	// after 1m30s expired: true
	// virtual time: 1m30s
}
