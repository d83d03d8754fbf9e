module github.com/mesos-sim/mesos-sim/compat

go 1.25

replace github.com/mesos-sim/mesos-sim => ../

require (
	github.com/gogo/protobuf v1.3.2
	github.com/google/go-cmp v0.7.0
	github.com/mesos-sim/mesos-sim v0.0.0-00010101000000-000000000000
	github.com/mesos/mesos-go v0.0.11
	google.golang.org/protobuf v1.36.12
	pgregory.net/rapid v1.3.0
)

require (
	github.com/benbjohnson/clock v1.3.5 // indirect
	github.com/pquerna/ffjson v0.0.0-20190930134022-aa0246cd15f7 // indirect
)
