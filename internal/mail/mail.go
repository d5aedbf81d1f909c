// Package mail sends gazette's notices (a new comment to the entry's author)
// by SMTP, in the background: Send only queues, so a reader's post never
// waits on a mail server, and a worker delivers with a few retries.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gazette-blog/gazette"
)

// Message is one mail to send.
type Message struct {
	To      string
	Subject string
	Body    string // plain text
}

// job is a message with the server to send it through, taken from the
// settings when it was queued.
type job struct {
	server gazette.SMTP
	msg    Message
}

// Mailer queues messages and delivers them from one background worker. It is
// safe for concurrent use.
type Mailer struct {
	queue   chan job
	logger  *slog.Logger
	retries []time.Duration
	now     func() time.Time
	done    chan struct{}
	once    sync.Once
	cancel  context.CancelFunc
}

// QueueLength is how many messages may wait; when the queue is full, Send
// drops the message (and logs it) rather than hold up the caller or grow
// without bound when the mail server is down.
const QueueLength = 256

// New starts a Mailer whose worker runs until Close. logger may be nil.
func New(logger *slog.Logger) *Mailer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Mailer{
		queue:   make(chan job, QueueLength),
		logger:  logger,
		retries: []time.Duration{2 * time.Second, 30 * time.Second, 5 * time.Minute},
		now:     time.Now,
		done:    make(chan struct{}),
		cancel:  cancel,
	}
	go m.run(ctx)
	return m
}

// Send queues msg for delivery through server and returns at once. It
// reports whether the message was queued: false when server has no host (no
// mail is configured), msg has no recipient, or the queue is full.
func (m *Mailer) Send(server gazette.SMTP, msg Message) bool {
	if server.Host == "" || msg.To == "" {
		return false
	}
	select {
	case m.queue <- job{server, msg}:
		return true
	default:
		m.logger.Warn("mail: queue full; message dropped", "to", msg.To, "subject", msg.Subject)
		return false
	}
}

// Close stops the worker after the message it is sending; queued messages
// are dropped.
func (m *Mailer) Close() {
	m.once.Do(func() {
		m.cancel()
		<-m.done
	})
}

func (m *Mailer) run(ctx context.Context) {
	defer close(m.done)
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-m.queue:
			m.deliver(ctx, j)
		}
	}
}

// deliver sends one message, retrying after each of m.retries.
func (m *Mailer) deliver(ctx context.Context, j job) {
	for attempt := 0; ; attempt++ {
		err := send(ctx, j.server, j.msg, m.now())
		if err == nil {
			return
		}
		if attempt >= len(m.retries) {
			m.logger.Error("mail: giving up", "to", j.msg.To, "attempts", attempt+1, "error", err)
			return
		}
		m.logger.Warn("mail: will retry", "to", j.msg.To, "in", m.retries[attempt], "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(m.retries[attempt]):
		}
	}
}

// send delivers one message over SMTP, with STARTTLS when the server offers
// it and authentication when a user is set.
func send(ctx context.Context, server gazette.SMTP, msg Message, now time.Time) error {
	port := server.Port
	if port == 0 {
		port = 587
	}
	addr := net.JoinHostPort(server.Host, strconv.Itoa(port))
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("mail: dial %s: %w", addr, err)
	}
	// A stuck server must not hold the worker for ever, nor keep Close
	// waiting.
	_ = conn.SetDeadline(time.Now().Add(2 * time.Minute))
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, server.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %s: %w", addr, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(nil); err != nil {
			return fmt.Errorf("mail: %s: starttls: %w", addr, err)
		}
	}
	if server.User != "" {
		// PlainAuth refuses to send the password over an unencrypted
		// connection to anything but localhost.
		if err := c.Auth(smtp.PlainAuth("", server.User, server.Password, server.Host)); err != nil {
			return fmt.Errorf("mail: %s: auth: %w", addr, err)
		}
	}
	from := server.From
	if from == "" {
		from = "gazette@" + server.Host
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail: %s: MAIL FROM: %w", addr, err)
	}
	if err := c.Rcpt(msg.To); err != nil {
		return fmt.Errorf("mail: %s: RCPT TO %s: %w", addr, msg.To, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: %s: DATA: %w", addr, err)
	}
	if _, err := w.Write(Format(from, msg, now)); err != nil {
		return fmt.Errorf("mail: %s: writing the message: %w", addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: %s: end of DATA: %w", addr, err)
	}
	return errors.Join(c.Quit())
}

// Format returns msg as an RFC 5322 message in UTF-8 with CRLF line ends.
// Header values are single lines: a line break a reader smuggled into a
// subject cannot add headers.
func Format(from string, msg Message, now time.Time) []byte {
	oneLine := func(s string) string {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	b.WriteString("From: " + oneLine(from) + "\r\n")
	b.WriteString("To: " + oneLine(msg.To) + "\r\n")
	b.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", oneLine(msg.Subject)) + "\r\n")
	b.WriteString("Date: " + now.Format(time.RFC1123Z) + "\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\r", "\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	if !strings.HasSuffix(body, "\n") {
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}
