package sim

import (
	"testing"
)

func TestChooseSeed(t *testing.T) {
	seven := uint64(7)
	tests := []struct {
		name     string
		env      string // "" = unset
		explicit *uint64
		want     uint64
		wantErr  bool
	}{
		{name: "explicit", explicit: &seven, want: 7},
		{name: "env wins", env: "42", explicit: &seven, want: 42},
		{name: "bad env", env: "x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv(SeedEnv, tt.env)
			}
			got, err := chooseSeed("TestX", tt.explicit)
			if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
				t.Fatalf("chooseSeed = %d, %v; want %d (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
	a, _ := chooseSeed("TestA", nil)
	a2, _ := chooseSeed("TestA", nil)
	b, _ := chooseSeed("TestB", nil)
	if a != a2 || a == b {
		t.Errorf("derived seeds: TestA %d and %d, TestB %d; want TestA stable and different from TestB", a, a2, b)
	}
}

func TestReplayCommand(t *testing.T) {
	got := replayCommand("TestFoo/sub.case", 9)
	want := `MESOS_SIM_SEED=9 go test -count=1 -run '^TestFoo$/^sub\.case$' .`
	if got != want {
		t.Errorf("replayCommand = %s\nwant            %s", got, want)
	}
}
