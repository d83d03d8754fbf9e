package compat

import (
	"os"
	"sort"
	"strings"
	"testing"
)

const goldenTypes = "testdata/message_types.txt"

// TestMessageTypesGolden keeps testdata/message_types.txt equal to the set of
// message types that our .proto files define (nested ones included, map
// entries excluded). A type added to the protos fails this test until it is
// listed, which is the moment to look at how it is covered: every listed type
// is round-tripped through mesos-go or is in mesosGoLacks.
func TestMessageTypesGolden(t *testing.T) {
	b, err := os.ReadFile(goldenTypes)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if line == "" || strings.TrimSpace(line) != line {
			t.Errorf("%s: blank line or stray spaces in %q", goldenTypes, line)
			continue
		}
		if seen[line] {
			t.Errorf("%s: %s listed twice", goldenTypes, line)
		}
		seen[line] = true
		listed = append(listed, line)
	}
	if !sort.StringsAreSorted(listed) {
		t.Errorf("%s is not sorted", goldenTypes)
	}

	defined := map[string]bool{}
	for _, md := range ourMessages() {
		defined[string(md.FullName())] = true
	}
	var added, removed []string
	for name := range defined {
		if !seen[name] {
			added = append(added, name)
		}
	}
	for name := range seen {
		if !defined[name] {
			removed = append(removed, name)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	if len(added) > 0 {
		t.Errorf("message types defined in our protos but not listed in %s (add them, then check that they are round-tripped or listed in mesosGoLacks with a reason):\n\t%s",
			goldenTypes, strings.Join(added, "\n\t"))
	}
	if len(removed) > 0 {
		t.Errorf("message types listed in %s that our protos no longer define (remove them, and any mesosGoLacks entry):\n\t%s",
			goldenTypes, strings.Join(removed, "\n\t"))
	}

	// Every listed type is either round-tripped through mesos-go or lacked,
	// never both.
	roundTripped := map[string]bool{}
	for _, md := range roundTripTypes() {
		roundTripped[string(md.FullName())] = true
	}
	for _, name := range listed {
		l, lacked := lackedByName[name]
		switch {
		case lacked && l.kind != kindMessage:
			t.Errorf("%s: listed in mesosGoLacks as a %s, but it is a message", name, l.kind)
		case lacked && roundTripped[name]:
			t.Errorf("%s: both round-tripped and in mesosGoLacks", name)
		case !lacked && !roundTripped[name] && defined[name]:
			t.Errorf("%s: neither round-tripped nor in mesosGoLacks", name)
		case !lacked && defined[name] && goMessageType(ourMessage(name)) == nil:
			t.Errorf("%s: round-tripped, but mesos-go has no such type", name)
		}
	}
	t.Logf("%d message types: %d round-tripped through mesos-go, %d lacked by mesos-go", len(listed), len(roundTripped), len(listed)-len(roundTripped))
}
