// Tell every other Lede tab (through a storage event) that the session is back, and whose it is, so that their
// save queues resume, or, when it is now someone else's, their pages reload as that person's.
const user = document.getElementById("session-user").textContent;
localStorage.setItem("lede.session-resumed", JSON.stringify({ user, at: Date.now() }));
if (window.opener && !window.opener.closed) {
  try {
    window.opener.focus();
  } catch {
    // The opener may be on another origin; the storage event is enough.
  }
}
