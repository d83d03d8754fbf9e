package resources

import (
	"fmt"
	"strings"
)

// ValidateRole checks a role name against Mesos's rules
// (src/common/roles.cpp): "*" is valid on its own; otherwise the name is a
// '/'-separated path with no leading or trailing '/', no "//", and no
// component that is ".", ".." or "*", starts with '-', or contains
// whitespace or DEL.
func ValidateRole(role string) error {
	if role == "*" {
		return nil
	}
	if strings.HasPrefix(role, "/") {
		return fmt.Errorf("Role '%s' cannot start with a slash", role)
	}
	if strings.HasSuffix(role, "/") {
		return fmt.Errorf("Role '%s' cannot end with a slash", role)
	}
	if strings.Contains(role, "//") {
		return fmt.Errorf("Role '%s' cannot contain two adjacent slashes", role)
	}
	components := tokenize(role, "/")
	if len(components) == 0 {
		return fmt.Errorf("Role names cannot be the empty string")
	}
	for _, c := range components {
		switch {
		case c == ".":
			return fmt.Errorf("Role '%s' cannot include '.' as a component", role)
		case c == "..":
			return fmt.Errorf("Role '%s' cannot include '..' as a component", role)
		case c == "*":
			return fmt.Errorf("Role '%s' cannot include '*' as a component", role)
		case strings.HasPrefix(c, "-"):
			return fmt.Errorf("Role component '%s' is invalid because it starts with a dash", c)
		case strings.ContainsAny(c, "\t\n\v\f\r \x7f"):
			return fmt.Errorf("Role component '%s' is invalid because it contains backspace or whitespace", c)
		}
	}
	return nil
}

// IsStrictSubroleOf reports whether role lies strictly below ancestor in the
// role tree ("eng/backend" is a strict subrole of "eng", "eng" is not).
func IsStrictSubroleOf(role, ancestor string) bool {
	return len(role) > len(ancestor) && role[len(ancestor)] == '/' && strings.HasPrefix(role, ancestor)
}

// RoleAncestors returns the ancestors of a role, nearest first:
// "a/b/c" gives ["a/b", "a"].
func RoleAncestors(role string) []string {
	var out []string
	for i := len(role) - 1; i >= 0; i-- {
		if role[i] == '/' {
			out = append(out, role[:i])
		}
	}
	return out
}
