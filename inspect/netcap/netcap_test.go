package netcap

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func startProxy(t *testing.T, cfg Config) *Proxy {
	t.Helper()
	p, err := Start("127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func client(p *Proxy) *http.Client {
	pu, _ := url.Parse("http://" + p.Addr())
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		Proxy:           http.ProxyURL(pu),
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true, ServerName: "log.umeng.com"},
	}}
}

func TestProxyRecordsHTTPAndConnect(t *testing.T) {
	var gotBody string
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		io.WriteString(w, "ok")
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret") }))
	defer secure.Close()

	p := startProxy(t, Config{})
	c := client(p)
	body := "imei=490154203237518&ts=1"
	resp, err := c.Post(plain.URL+"/collect?lat=39.9042&lng=116.4074", "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "ok" || gotBody != body {
		t.Fatalf("forwarding broken: response %q, server got body %q", b, gotBody)
	}
	resp, err = c.Get(secure.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "secret" {
		t.Fatalf("tunnel broken: %q", b)
	}
	cs := p.Contacts()
	if len(cs) != 2 {
		t.Fatalf("contacts = %+v, want 2", cs)
	}
	h := cs[0]
	if h.Kind != KindHTTP || h.Method != "POST" || h.Host != "127.0.0.1" || string(h.Body) != body || !strings.Contains(h.URL, "/collect?lat=") || h.Time.IsZero() {
		t.Errorf("http contact = %+v", h)
	}
	if h.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("headers not recorded: %v", h.Header)
	}
	s := cs[1]
	if s.Kind != KindConnect || s.Host != "127.0.0.1" || s.Port != portOf(t, secure.URL) || s.Method != "" || s.Body != nil {
		t.Errorf("connect contact = %+v", s)
	}
	// SNI is written by the copy goroutine; give it a moment.
	for i := 0; i < 50 && p.Contacts()[1].SNI == ""; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if sni := p.Contacts()[1].SNI; sni != "log.umeng.com" {
		t.Errorf("SNI = %q, want log.umeng.com", sni)
	}
	hits := FindPI(h, Known{})
	kinds := map[string]string{}
	for _, x := range hits {
		kinds[x.Kind] = x.Where
	}
	if kinds[PIIMEI] != "body" || kinds[PILocation] != "url" || len(hits) != 2 {
		t.Errorf("PI hits = %+v", hits)
	}
	if FindPI(s, Known{}) != nil {
		t.Errorf("a tunnel has no readable content")
	}
}

func portOf(t *testing.T, raw string) int {
	u, _ := url.Parse(raw)
	_, p := splitHostPort(u.Host, 0)
	return p
}

func TestProxyBounds(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		io.WriteString(w, strings.Repeat("y", 0)+string(rune('0'+n%10)))
	}))
	defer srv.Close()
	p := startProxy(t, Config{MaxContacts: 2, MaxBody: 10})
	c := client(p)
	for i := 0; i < 4; i++ {
		resp, err := c.Post(srv.URL, "text/plain", strings.NewReader(strings.Repeat("x", 25)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "5" { // 25 bytes reached the server whole
			t.Fatalf("server saw a body of length ending %q, want 25 bytes", b)
		}
	}
	cs := p.Contacts()
	if len(cs) != 2 || p.Dropped() != 2 {
		t.Fatalf("kept %d, dropped %d; want 2 and 2", len(cs), p.Dropped())
	}
	if len(cs[0].Body) != 10 || !cs[0].BodyTruncated {
		t.Errorf("body kept %d bytes, truncated %v; want 10, true", len(cs[0].Body), cs[0].BodyTruncated)
	}
}

func TestProxyTotalBodyBound(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		if n != 25 {
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	p := startProxy(t, Config{MaxBody: 10, MaxTotalBody: 25})
	c := client(p)
	for i := 0; i < 4; i++ {
		resp, err := c.Post(srv.URL, "text/plain", strings.NewReader(strings.Repeat("x", 25)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("the server did not get the whole body: %s", resp.Status)
		}
	}
	var kept []int
	for _, c := range p.Contacts() {
		kept = append(kept, len(c.Body))
		if !c.BodyTruncated {
			t.Errorf("contact %d not marked truncated", c.Seq)
		}
	}
	if fmt.Sprint(kept) != "[10 10 5 0]" {
		t.Errorf("kept body bytes %v, want [10 10 5 0] under a 25-byte session bound", kept)
	}
}

func TestConnectFailureRecorded(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.Listener.Addr().String()
	srv.Close() // nothing listens there any more
	p := startProxy(t, Config{})
	c := client(p)
	if _, err := c.Get("https://" + addr + "/"); err == nil {
		t.Fatal("expected an error through a refused tunnel")
	}
	cs := p.Contacts()
	if len(cs) != 1 || cs[0].Error == "" || cs[0].Kind != KindConnect {
		t.Fatalf("contacts = %+v", cs)
	}
}

func TestServerNameNotTLS(t *testing.T) {
	if sni, ok := serverName([]byte("GET / HTTP/1.1\r\n")); sni != "" || !ok {
		t.Errorf("plain text: %q %v", sni, ok)
	}
	if _, ok := serverName([]byte{0x16, 3, 1, 0x02}); ok {
		t.Errorf("a partial record must ask for more")
	}
}

func TestFindPI(t *testing.T) {
	cases := []struct {
		name string
		c    Contact
		k    Known
		want []string
	}{
		{"imei json", Contact{Kind: KindHTTP, URL: "http://a.cn/x", Body: []byte(`{"dev":{"imei":"490154203237518"}}`)}, Known{}, []string{PIIMEI}},
		{"bad check digit", Contact{Kind: KindHTTP, URL: "http://a.cn/x?imei=490154203237519"}, Known{}, nil},
		{"ts not imei", Contact{Kind: KindHTTP, URL: "http://a.cn/x?ts=490154203237518"}, Known{}, nil},
		{"android id", Contact{Kind: KindHTTP, URL: "http://a.cn/x?android_id=9774d56d682e549c"}, Known{}, []string{PIAndroidID}},
		{"mac anywhere", Contact{Kind: KindHTTP, URL: "http://a.cn/x", Body: []byte("d=AC:DE:48:00:11:22")}, Known{}, []string{PIMAC}},
		{"mac placeholder", Contact{Kind: KindHTTP, URL: "http://a.cn/x", Body: []byte("d=02:00:00:00:00:00")}, Known{}, nil},
		{"phone header", Contact{Kind: KindHTTP, URL: "http://a.cn/x", Header: map[string][]string{"X-Mobile": {"13812345678"}}}, Known{}, []string{PIPhoneNumber}},
		{"known android id", Contact{Kind: KindHTTP, URL: "http://a.cn/x?u=9774d56d682e549c"}, Known{AndroidID: "9774d56d682e549c"}, []string{PIAndroidID}},
		{"lat only", Contact{Kind: KindHTTP, URL: "http://a.cn/x?lat=39.9042"}, Known{}, nil},
	}
	for _, tc := range cases {
		var got []string
		for _, h := range FindPI(tc.c, tc.k) {
			got = append(got, h.Kind)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestFindPIEndOfLargeBody: an identifier after thousands of other fields
// in a body at the cap is still found.
func TestFindPIEndOfLargeBody(t *testing.T) {
	body := `{"e":[` + strings.Repeat(`{"a":"1","b":"2","c":"3"},`, 2400) + `{"imei":"490154203237518"}]}`
	hits := FindPI(Contact{Kind: KindHTTP, URL: "http://a.cn/", Body: []byte(body)}, Known{})
	if len(hits) != 1 || hits[0].Kind != PIIMEI {
		t.Errorf("hits = %+v", hits)
	}
}
