// Tell every other Lede tab (through a storage event) that the session is back, so their save queues resume.
localStorage.setItem("lede.session-resumed", String(Date.now()));
if (window.opener && !window.opener.closed) {
  try {
    window.opener.focus();
  } catch {
    // The opener may be on another origin; the storage event is enough.
  }
}
