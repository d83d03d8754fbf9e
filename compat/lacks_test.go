package compat

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lack is one thing of ours (Mesos 1.11's) that mesos-go v0.0.11 does not
// have. A round trip through mesos-go loses it: the random generator leaves
// lacked fields unset and never draws lacked enum values, lacked types are not
// round-tripped through mesos-go at all, and TestMesosGoLacksIsExact keeps this
// table equal to what the descriptors say.
type lack struct {
	kind   string // kindMessage, kindEnum, kindField or kindEnumValue
	name   string // our full name; fields and enum values as "<type>.<name>"
	reason string
}

// mesosGoLacks: mesos-go v0.0.11's .proto files track Mesos 1.10 (but for
// Task.limits and scheduler.APIResult), so all of Mesos 1.11's additions are
// missing: offer constraints, CSI volumes and third-party CSI plugins.
var mesosGoLacks = []lack{
	// Mesos 1.11: CSI volumes and third-party CSI plugins.
	{kindMessage, "mesos.v1.CSIPluginEndpoint", "added in Mesos 1.11 (third-party CSI plugins); mesos-go v0.0.11 lacks it"},
	{kindField, "mesos.v1.CSIPluginInfo.endpoints", "added in Mesos 1.11 (type CSIPluginEndpoint); mesos-go v0.0.11 lacks it"},
	{kindField, "mesos.v1.CSIPluginInfo.target_path_exists", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindField, "mesos.v1.CSIPluginInfo.target_path_root", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindField, "mesos.v1.Volume.Source.csi_volume", "added in Mesos 1.11 (type Volume.Source.CSIVolume); mesos-go v0.0.11 lacks it"},
	{kindEnumValue, "mesos.v1.Volume.Source.Type.CSI_VOLUME", "added in Mesos 1.11; mesos-go v0.0.11 lacks it (bytes keep the number, JSON fails)"},
	{kindMessage, "mesos.v1.Volume.Source.CSIVolume", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.Volume.Source.CSIVolume.StaticProvisioning", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.Volume.Source.CSIVolume.VolumeCapability", "added in Mesos 1.11 (has oneof access_type); mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.Volume.Source.CSIVolume.VolumeCapability.AccessMode", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindEnum, "mesos.v1.Volume.Source.CSIVolume.VolumeCapability.AccessMode.Mode", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.Volume.Source.CSIVolume.VolumeCapability.BlockVolume", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.Volume.Source.CSIVolume.VolumeCapability.MountVolume", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},

	// Mesos 1.11: offer constraints.
	{kindMessage, "mesos.v1.scheduler.OfferConstraints", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.OfferConstraints.RoleConstraints", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.OfferConstraints.RoleConstraints.Group", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint.Selector", "added in Mesos 1.11 (has oneof selector); mesos-go v0.0.11 lacks it"},
	{kindEnum, "mesos.v1.scheduler.AttributeConstraint.Selector.PseudoattributeType", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint.Predicate", "added in Mesos 1.11 (has oneof predicate); mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint.Predicate.Exists", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint.Predicate.NotExists", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint.Predicate.TextEquals", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint.Predicate.TextNotEquals", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint.Predicate.TextMatches", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindMessage, "mesos.v1.scheduler.AttributeConstraint.Predicate.TextNotMatches", "added in Mesos 1.11; mesos-go v0.0.11 lacks it"},
	{kindField, "mesos.v1.scheduler.Call.Subscribe.offer_constraints", "added in Mesos 1.11 (type OfferConstraints); mesos-go v0.0.11 lacks it"},
	{kindField, "mesos.v1.scheduler.Call.UpdateFramework.offer_constraints", "added in Mesos 1.11 (type OfferConstraints); mesos-go v0.0.11 lacks it"},
	{kindField, "mesos.v1.master.Response.GetFrameworks.Framework.offer_constraints", "added in Mesos 1.11 (type OfferConstraints); mesos-go v0.0.11 lacks it"},

	// Older than 1.11, but never picked up by mesos-go.
	{kindField, "mesos.v1.Task.limits", "added in Mesos 1.10; mesos-go v0.0.11 has TaskInfo.limits but not Task.limits"},
	{kindMessage, "mesos.v1.scheduler.APIResult", "added in Mesos 1.6 for the C++ scheduler library only (not part of the HTTP API); mesos-go never had it"},
}

// mesosGoAlwaysWrites lists our optional, singular fields that mesos-go
// declares with (gogoproto.nullable) = false: its Go struct field is a plain
// value, so "unset" is not representable and mesos-go always encodes the field
// (bytes and JSON), as its zero value when nobody set it. An unset field of
// ours comes back from mesos-go set (to 0, a declared value of each of these
// enums, or to "" for CSIPluginInfo.name); the generator therefore always sets
// them for the round trip, and TestMesosGoAlwaysWritesUnsetFields pins the
// exact behaviour.
var mesosGoAlwaysWrites = []string{
	"mesos.v1.AgentInfo.Capability.type",
	"mesos.v1.CSIPluginInfo.name", // also required in mesos-go: see mesosGoMismatches
	"mesos.v1.CheckInfo.type",
	"mesos.v1.ExecutorInfo.type",
	"mesos.v1.FrameworkInfo.Capability.type",
	"mesos.v1.HealthCheck.type",
	"mesos.v1.MasterInfo.Capability.type",
	"mesos.v1.Offer.Operation.type",
	"mesos.v1.RLimitInfo.RLimit.type",
	"mesos.v1.Secret.type",
	"mesos.v1.Volume.Source.SandboxPath.type",
	"mesos.v1.Volume.Source.type",
	"mesos.v1.executor.Call.type",
	"mesos.v1.executor.Event.type",
	"mesos.v1.master.Call.type",
	"mesos.v1.master.Event.type",
	"mesos.v1.master.Response.type",
	"mesos.v1.scheduler.Call.type",
	"mesos.v1.scheduler.Event.type",
	"mesos.v1.scheduler.Response.type",
}

// mesosGoMismatches lists every disagreement between a field or enum value
// that both sides have (number, name, label, type, default, packing), as
// analysis.mismatches renders it. Numbers, names, types and packing all agree;
// these are Mesos changes that mesos-go did not follow.
var mesosGoMismatches = []struct{ mismatch, reason string }{
	{
		`mesos.v1.CSIPluginInfo.name: default is "default", mesos-go's is ""`,
		"Mesos 1.11 made it optional with a default (third-party CSI plugins); mesos-go has 1.10's required field",
	},
	{
		"mesos.v1.CSIPluginInfo.name: label is LABEL_OPTIONAL, mesos-go's is LABEL_REQUIRED",
		"same change: mesos-go's Unmarshal rejects a CSIPluginInfo without name, which Mesos 1.11 accepts (generator always sets it)",
	},
	{
		`mesos.v1.quota.QuotaRequest.force: default is "", mesos-go's is "false"`,
		"Mesos 1.9 dropped [default = false] (same meaning for a bool); mesos-go kept it. No wire or JSON effect",
	},
}

// mesosGoRequires lists our non-required fields that mesos-go declares
// required; the generator sets them always (mesos-go's Unmarshal would fail).
var mesosGoRequires = map[string]bool{"mesos.v1.CSIPluginInfo.name": true}

var (
	lackedByName = func() map[string]lack {
		m := map[string]lack{}
		for _, l := range mesosGoLacks {
			m[l.name] = l
		}
		return m
	}()
	alwaysWritten = func() map[string]bool {
		m := map[string]bool{}
		for _, f := range mesosGoAlwaysWrites {
			m[f] = true
		}
		return m
	}()
)

func TestMesosGoLacksIsExact(t *testing.T) {
	a := analyze()
	var got, want []string
	for name, kind := range a.lacks {
		got = append(got, kind+" "+name)
	}
	seen := map[string]bool{}
	for _, l := range mesosGoLacks {
		if seen[l.name] {
			t.Errorf("mesosGoLacks lists %s twice", l.name)
		}
		seen[l.name] = true
		if l.reason == "" || strings.Contains(l.reason, "\n") {
			t.Errorf("mesosGoLacks[%s]: want a one-line reason", l.name)
		}
		want = append(want, l.kind+" "+l.name)
	}
	sort.Strings(got)
	sort.Strings(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("mesosGoLacks is not what the descriptors say (-table +descriptors): add what mesos-go lacks, with a reason, and remove stale entries:\n%s", d)
	}
}

func TestMesosGoAlwaysWritesIsExact(t *testing.T) {
	var got []string
	for f := range analyze().alwaysWritten {
		got = append(got, f)
	}
	sort.Strings(got)
	want := append([]string(nil), mesosGoAlwaysWrites...)
	sort.Strings(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("mesosGoAlwaysWrites is not what mesos-go's struct fields say (-table +mesos-go):\n%s", d)
	}
}

// TestFieldsAndEnumsAgree checks every field that both sides have for equal
// number, name, label, type (so wire type), referenced type, default and
// packing, and every enum value both have for equal name and number, allowing
// exactly the documented mismatches.
func TestFieldsAndEnumsAgree(t *testing.T) {
	a := analyze()
	var want []string
	for _, m := range mesosGoMismatches {
		want = append(want, m.mismatch)
	}
	sort.Strings(want)
	if d := cmp.Diff(want, a.mismatches); d != "" {
		t.Errorf("mismatches between our descriptors and mesos-go's (-documented +found):\n%s", d)
	}
	for _, f := range a.mismatches {
		if strings.Contains(f, "LABEL_REQUIRED") && !mesosGoRequires[strings.SplitN(f, ":", 2)[0]] {
			t.Errorf("%s: add the field to mesosGoRequires so that the generator sets it", f)
		}
	}
	// Fields and enum values that mesos-go has in types we have, and we do
	// not: none (our protos are a superset where they overlap).
	if len(a.extras) != 0 {
		t.Errorf("mesos-go has fields or enum values that we lack:\n%s", strings.Join(a.extras, "\n"))
	}
	// Oneofs exist only in types that mesos-go lacks, so no field is a oneof
	// member on one side only.
	if len(a.oneofDiffs) != 0 {
		t.Errorf("oneof membership differs:\n%s", strings.Join(a.oneofDiffs, "\n"))
	}
}
