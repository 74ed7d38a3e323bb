package netcap

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkProxyHTTP measures one plain-HTTP POST (1 KB body) through the
// recording proxy on loopback, recording included.
func BenchmarkProxyHTTP(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	p, err := Start("127.0.0.1:0", Config{MaxContacts: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	c := client(p)
	body := strings.Repeat("imei=490154203237518&x=", 45)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := c.Post(srv.URL+"/c?lat=39.9042&lng=116.4074", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkFindPI measures the personal-data search of one request with a
// 64 KB JSON body (the body cap).
func BenchmarkFindPI(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"events":[`)
	for sb.Len() < DefaultMaxBody-200 {
		sb.WriteString(`{"name":"page_view","ts":1733300000000,"page":"home"},`)
	}
	sb.WriteString(`{"imei":"490154203237518","android_id":"9774d56d682e549c"}]}`)
	c := Contact{Kind: KindHTTP, URL: "http://log.example.cn/c?lat=39.9042&lng=116.4074", Body: []byte(sb.String()),
		Header: http.Header{"User-Agent": {"okhttp/4.9"}}}
	b.SetBytes(int64(len(c.Body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if len(FindPI(c, Known{AndroidID: "9774d56d682e549c"})) < 3 {
			b.Fatal("missed")
		}
	}
}
