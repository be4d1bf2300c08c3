// Conduct page: a refused answer (400: invalid, 409: someone else answered first) comes back as
// the question's card with the message and the saved answer; htmx swaps only 2xx by default.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  var target = event.detail.target;
  if ((status === 400 || status === 409) && target && target.classList.contains("conduct-card")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
