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

// The sticky navigation: answered/total per element and process step, kept current as answers
// are saved; "open questions only" without reloading; the element in view highlighted.
document.addEventListener("DOMContentLoaded", function () {
  var page = document.getElementById("conduct-page");
  var nav = document.getElementById("conduct-nav");
  if (!page || !nav) return;

  // Anchored jumps must land below the navigation, whose height changes as it wraps (on a phone
  // it does not stick, and nothing covers them).
  function measureNav() {
    var sticky = window.getComputedStyle(nav).position === "sticky";
    page.style.setProperty("--conduct-nav-height", (sticky ? nav.offsetHeight : 0) + "px");
  }
  measureNav();
  if (window.ResizeObserver) new ResizeObserver(measureNav).observe(nav);

  function showCount(link, rows) {
    var answered = rows.filter(function (row) { return row.hasAttribute("data-answered"); });
    var count = link.querySelector("[data-count]");
    var hidden = count.querySelector(".visually-hidden");
    count.textContent = answered.length + "/" + rows.length;
    if (hidden) count.prepend(hidden);
    link.classList.toggle("is-complete", rows.length > 0 && answered.length === rows.length);
  }

  function recount() {
    nav.querySelectorAll("[data-group]").forEach(function (link) {
      var section = document.getElementById(link.dataset.group);
      if (section) showCount(link, Array.from(section.querySelectorAll(".conduct-row")));
    });
    var rows = Array.from(page.querySelectorAll(".conduct-row"));
    nav.querySelectorAll("[data-step-group]").forEach(function (link) {
      showCount(link, rows.filter(function (row) { return row.dataset.step === link.dataset.stepGroup; }));
    });
  }

  // A row answered while only open questions show stays until the filter is applied again:
  // it must not vanish under the finger that is about to type its note.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var form = event.detail.requestConfig && event.detail.requestConfig.elt;
    var step = form && form.querySelector ? form.querySelector("input[name=step]") : null;
    var card = event.detail.target && event.detail.target.id
      ? document.getElementById(event.detail.target.id) : null;
    if (card && step && page.classList.contains("conduct-open-only")) {
      card.querySelectorAll(".conduct-row").forEach(function (row) {
        if (row.dataset.step === step.value) row.classList.add("is-kept");
      });
    }
    recount();
  });

  var toggle = document.getElementById("conduct-open-toggle");
  if (toggle) {
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      var openOnly = !page.classList.contains("conduct-open-only");
      page.classList.toggle("conduct-open-only", openOnly);
      page.querySelectorAll(".conduct-row.is-kept").forEach(function (row) {
        row.classList.remove("is-kept");
      });
      toggle.setAttribute("aria-pressed", openOnly ? "true" : "false");
      toggle.textContent = openOnly ? toggle.dataset.labelAll : toggle.dataset.labelOpen;
      toggle.setAttribute("href", openOnly ? "?" : "?show=open");
      var url = new URL(window.location.href);
      if (openOnly) url.searchParams.set("show", "open"); else url.searchParams.delete("show");
      window.history.replaceState(null, "", url);
    });
  }

  // Highlight the element being read.
  var links = {};
  nav.querySelectorAll("[data-group]").forEach(function (link) { links[link.dataset.group] = link; });
  if (window.IntersectionObserver) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var link = links[entry.target.id];
        if (!link || !entry.isIntersecting) return;
        Object.keys(links).forEach(function (key) { links[key].classList.remove("is-current"); });
        link.classList.add("is-current");
      });
    }, { rootMargin: "-30% 0px -60% 0px" });
    page.querySelectorAll(".conduct-section").forEach(function (section) { observer.observe(section); });
  }
});
