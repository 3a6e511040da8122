package fetch

import (
	"net/netip"
	"strings"
	"testing"
)

func TestBlockReason(t *testing.T) {
	tests := []struct {
		addr  string
		allow string
		want  string // substring of the reason; "" = allowed
	}{
		{"93.184.216.34", "", ""},
		{"2606:4700::1111", "", ""},
		{"127.0.0.1", "", "loopback"},
		{"127.9.9.9", "", "loopback"},
		{"::1", "", "loopback"},
		{"::ffff:127.0.0.1", "", "loopback"},
		{"10.0.0.1", "", "private"},
		{"172.16.5.4", "", "private"},
		{"192.168.1.1", "", "private"},
		{"fd00::1", "", "private"},
		{"169.254.169.254", "", "link-local"},
		{"fe80::1", "", "link-local"},
		{"224.0.0.1", "", "multicast"},
		{"ff02::1", "", "multicast"},
		{"0.0.0.0", "", "unspecified"},
		{"::", "", "unspecified"},
		{"0.1.2.3", "", "this network"},
		{"100.64.0.1", "", "carrier-grade NAT"},
		{"192.0.2.10", "", "documentation"},
		{"198.18.0.1", "", "benchmarking"},
		{"255.255.255.255", "", "broadcast"},
		{"240.0.0.1", "", "reserved"},
		{"64:ff9b::a00:1", "", "NAT64"},
		{"2002:a00:1::", "", "6to4"},
		{"2001:db8::1", "", "documentation"},
		{"127.0.0.1", "127.0.0.0/8", ""},
		{"::ffff:127.0.0.1", "127.0.0.0/8", ""},
		{"127.0.0.1", "127.0.0.2/32", "loopback"},
		{"10.1.2.3", "10.1.0.0/16", ""},
	}
	for _, tt := range tests {
		t.Run(tt.addr+"/"+tt.allow, func(t *testing.T) {
			var allow []netip.Prefix
			if tt.allow != "" {
				allow = []netip.Prefix{netip.MustParsePrefix(tt.allow)}
			}
			got := blockReason(netip.MustParseAddr(tt.addr), allow)
			if tt.want == "" && got != "" {
				t.Errorf("blockReason(%s) = %q, want allowed", tt.addr, got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("blockReason(%s) = %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
}
