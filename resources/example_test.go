package resources_test

import (
	"fmt"

	"github.com/mesos-sim/mesos-sim/resources"
)

func ExampleParse() {
	r, err := resources.Parse("cpus:4;mem:8192;ports:[31000-32000];disk(role1):100")
	if err != nil {
		panic(err)
	}
	fmt.Println(r)
	fmt.Println(r.CPUs(), r.Mem(), r.Ports())
	// Output:
	// cpus:4; mem:8192; ports:[31000-32000]; disk(reservations: [(STATIC,role1)]):100
	// 4 8192 [{31000 32000}]
}

func ExampleResources_Minus() {
	agent := resources.MustParse("cpus:4;mem:8192;ports:[31000-32000]")
	task := resources.MustParse("cpus:0.1;mem:128;ports:[31005-31009]")
	fmt.Println(agent.Minus(task))
	fmt.Println(agent.Contains(task), task.Contains(agent))
	// Output:
	// cpus:3.9; mem:8064; ports:[31000-31004, 31010-32000]
	// true false
}

func ExampleResources_AllocatableTo() {
	r := resources.MustParse("cpus:1;cpus(eng):2;cpus(eng/backend):4;cpus(ops):8")
	fmt.Println(r.AllocatableTo("eng/backend").CPUs())
	fmt.Println(r.AllocatableTo("eng").CPUs())
	fmt.Println(r.AllocatableTo("*").CPUs())
	// Output:
	// 7
	// 3
	// 1
}

func ExampleScalar() {
	// Scalars are fixed point with three decimals, as in Mesos.
	a, b := resources.ScalarOf(0.1), resources.ScalarOf(0.2)
	fmt.Println(a+b == resources.ScalarOf(0.3), a+b)
	fmt.Println(resources.ScalarOf(1.2345), resources.ScalarOf(0.0004))
	// Output:
	// true 0.3
	// 1.235 0
}

func ExampleParseAttributes() {
	attrs, err := resources.ParseAttributes("rack:r1;zone:us-east-1a;level:3")
	if err != nil {
		panic(err)
	}
	for _, a := range attrs {
		fmt.Println(a.GetName(), a.GetType())
	}
	// Output:
	// rack TEXT
	// zone TEXT
	// level SCALAR
}

func ExampleAgentResources() {
	r, err := resources.AgentResources("cpus:8;gpus:2", "*")
	if err != nil {
		panic(err)
	}
	fmt.Println(r)
	// Output:
	// cpus:8; gpus:2; mem:1024; disk:10240; ports:[31000-32000]
}
