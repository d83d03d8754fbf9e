module github.com/mesos-sim/mesos-sim

go 1.25

require (
	github.com/benbjohnson/clock v1.3.5
	github.com/google/go-cmp v0.7.0
	google.golang.org/protobuf v1.36.12
	pgregory.net/rapid v1.3.0
)

tool google.golang.org/protobuf/cmd/protoc-gen-go
