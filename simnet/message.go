package simnet

// Message is one message between two endpoints. Body is the payload, passed
// by reference: the receiver must treat it as read-only, since a duplicated
// message delivers the same Body more than once.
type Message struct {
	From, To string
	// Kind names the message type, e.g. "RunTask" or "StatusUpdate"; filters
	// match on it and the trace shows it.
	Kind string
	Body any
}
