package netcap

import (
	"net/http"
	"testing"
)

// FuzzFindPI: any request content is searched without panicking, and
// every hit is complete (kind, category, value).
func FuzzFindPI(f *testing.F) {
	f.Add("http://a.cn/x?imei=490154203237518", `{"android_id":"9774d56d682e549c","lat":"39.9042","lng":"116.4074"}`, "13812345678")
	f.Add("http://a.cn/", `{"a":[{"mac":"AC:DE:48:00:11:22"}`, "")
	f.Add("http://[::1]:99/%zz", "a=b&imei=", "x")
	f.Fuzz(func(t *testing.T, u, body, hdr string) {
		c := Contact{Kind: KindHTTP, URL: u, Body: []byte(body), Header: http.Header{"X-Mobile": {hdr}}}
		for _, h := range FindPI(c, Known{AndroidID: "9774d56d682e549c"}) {
			if h.Kind == "" || h.Category == "" || h.Value == "" {
				t.Errorf("incomplete hit %+v", h)
			}
		}
	})
}

// FuzzServerName: arbitrary tunnel bytes never panic the SNI reader.
func FuzzServerName(f *testing.F) {
	f.Add([]byte{0x16, 3, 1, 0, 5, 1, 0, 0, 1, 0})
	f.Add([]byte("GET / HTTP/1.1\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		serverName(b)
	})
}
