package faults

import (
	"fmt"
	"strings"
	"time"
)

// Duration is a span of virtual time. In JSON it is a Go duration string
// such as "30s", "1m30s" or "250ms"; see [time.ParseDuration].
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats d like [time.Duration.String] without trailing zero units:
// "2m" rather than "2m0s", "1h" rather than "1h0m0s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	for _, unit := range []string{"0s", "0m"} {
		if n := len(s) - len(unit); n > 0 && strings.HasSuffix(s, unit) && (s[n-1] == 'h' || s[n-1] == 'm') {
			s = s[:n]
		}
	}
	return s
}

// MarshalText writes d as String does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a Go duration string.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("want a duration such as \"30s\" or \"1m30s\": %w", err)
	}
	*d = Duration(v)
	return nil
}

// ptr returns a pointer to d as a Duration, for Step.At and Step.After.
func ptr(d time.Duration) *Duration {
	v := Duration(d)
	return &v
}
