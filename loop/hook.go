package loop

// eventHook is one function registered with OnEvent. fn is nil once the hook
// is removed, so that a removal made while the hooks run takes effect at
// once.
type eventHook struct{ fn func() }

// NB: Loop.hooks is never modified in place: adding or removing a hook
// builds a new slice, so runHooks can range over the slice it started with
// while a hook adds or removes hooks.

// OnEvent registers fn to run after every event the loop runs — posted
// events and timers alike — once the event's function has returned, still
// at the event's virtual time. Hooks run in the order they were registered.
// A hook may post and schedule events, and add or remove hooks: a hook added
// while hooks run first runs after the next event, and a hook removed while
// hooks run does not run again, not even later in the same round. Like an
// event, a hook must not call the driving methods (Step, Settle, ...).
//
// A hook watches the world between events; fault injection uses one to fire
// a fault the first time a condition holds. It costs every event a call, so
// remove it when done: the returned function removes it (calling it more
// than once is harmless). With no hooks registered an event pays one length
// check.
func (l *Loop) OnEvent(fn func()) (remove func()) {
	if fn == nil {
		panic("loop: OnEvent needs a function")
	}
	h := &eventHook{fn: fn}
	list := make([]*eventHook, 0, len(l.hooks)+1)
	l.hooks = append(append(list, l.hooks...), h)
	return func() {
		if h.fn == nil {
			return
		}
		h.fn = nil
		list := make([]*eventHook, 0, len(l.hooks))
		for _, x := range l.hooks {
			if x != h {
				list = append(list, x)
			}
		}
		if len(list) == 0 {
			list = nil
		}
		l.hooks = list
	}
}

// runHooks runs the registered hooks after an event; see OnEvent.
func (l *Loop) runHooks() {
	for _, h := range l.hooks {
		if fn := h.fn; fn != nil {
			fn()
		}
	}
}
