package clientinfo

import "testing"

func TestDefaults(t *testing.T) {
	var c Client
	if c.ZoneOrDefault() != "default" || c.ListenerOrDefault() != "tcp:default" {
		t.Errorf("unset: zone %q, listener %q", c.ZoneOrDefault(), c.ListenerOrDefault())
	}
	c = Client{Zone: "z", Listener: "ssl:x"}
	if c.ZoneOrDefault() != "z" || c.ListenerOrDefault() != "ssl:x" {
		t.Errorf("set: zone %q, listener %q", c.ZoneOrDefault(), c.ListenerOrDefault())
	}
}
