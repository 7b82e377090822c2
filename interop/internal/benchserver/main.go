// Command benchserver is the loopback peer of the client-overhead benchmark
// (interop/bench_test.go). It runs in its own process so that the
// benchmark's allocs/op count the client only.
//
// It listens on 127.0.0.1 (port 0 unless -addr says otherwise), prints
// "listening <host:port>" as its first stdout line, and answers every POST
// /bot<token>/sendMessage with one constant, valid Bot API envelope
// ({"ok":true,"result":<channel post>}), and /bot<token>/getMe with a
// constant bot user. Connections are kept alive. It exits when its standard
// input is closed (so it never outlives the benchmark) or on SIGTERM.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

// SendMessageResult is the constant answer to sendMessage: a channel post
// as the Bot API returns it.
const SendMessageResult = `{"ok":true,"result":{"message_id":42,"sender_chat":{"id":-1001000000001,"title":"Минцифры Архангельской области","username":"minsvyaz29","type":"channel"},"chat":{"id":-1001000000001,"title":"Минцифры Архангельской области","username":"minsvyaz29","type":"channel"},"date":1767225600,"text":"Новость: приём заявлений открыт с 1 декабря","entities":[{"offset":0,"length":7,"type":"bold"}]}}`

// GetMeResult is the constant answer to getMe.
const GetMeResult = `{"ok":true,"result":{"id":7000000001,"is_bot":true,"first_name":"Минцифры АО","username":"minsvyaz29_bot","can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":false}}`

const notFound = `{"ok":false,"error_code":404,"description":"Not Found: method not found"}`

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		fmt.Fprintln(os.Stderr, "benchserver: -addr must be a loopback address")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
	fmt.Printf("listening %s\n", ln.Addr())

	go func() { // exit when the parent closes our stdin
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, os.Interrupt)
		<-ch
		os.Exit(0)
	}()

	srv := &http.Server{Handler: http.HandlerFunc(serve)}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
}

var (
	sendBody  = []byte(SendMessageResult)
	getMeBody = []byte(GetMeResult)
	nfBody    = []byte(notFound)
	sendLen   = []string{strconv.Itoa(len(sendBody))}
	getMeLen  = []string{strconv.Itoa(len(getMeBody))}
	nfLen     = []string{strconv.Itoa(len(nfBody))}
	ctJSON    = []string{"application/json"}
)

func serve(w http.ResponseWriter, r *http.Request) {
	// Read the whole request so the connection can be reused.
	_, _ = io.Copy(io.Discard, r.Body)
	body, n, status := nfBody, nfLen, http.StatusNotFound
	if rest, ok := strings.CutPrefix(r.URL.Path, "/bot"); ok && r.Method == http.MethodPost {
		if _, method, ok := strings.Cut(rest, "/"); ok {
			switch strings.ToLower(method) {
			case "sendmessage":
				body, n, status = sendBody, sendLen, http.StatusOK
			case "getme":
				body, n, status = getMeBody, getMeLen, http.StatusOK
			}
		}
	}
	h := w.Header()
	h["Content-Type"] = ctJSON
	h["Content-Length"] = n
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
