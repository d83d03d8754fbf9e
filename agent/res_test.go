package agent

import (
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

func parseRes(text string) ([]*mesospb.Resource, error) {
	r, err := resources.Parse(text)
	if err != nil {
		return nil, err
	}
	return r.Allocate("*").ToProto(), nil
}

func mustParseRes(text string) []*mesospb.Resource {
	r, err := parseRes(text)
	if err != nil {
		panic(err)
	}
	return r
}
