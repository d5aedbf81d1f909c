// The editor's conveniences: a live preview, a basename made from the
// title until one is typed, and pictures inserted at the cursor. The form
// works the same without them.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  var body = form.elements.body, title = form.elements.title, basename = form.elements.basename;
  var format = form.elements.format, preview = document.getElementById("live-preview");

  // Basename: follow the title while the field is empty or still follows it.
  function slug(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/&/g, " and ").replace(/[^\p{L}\p{N}]+/gu, "_").replace(/^_+|_+$/g, "").slice(0, 30);
  }
  var following = basename && (basename.value === "" || basename.value === slug(title.value));
  if (basename) {
    basename.addEventListener("input", function () { following = basename.value === ""; });
    title.addEventListener("input", function () { if (following) basename.value = slug(title.value); });
  }

  // Live preview: ask the server, which renders exactly as publishing will.
  var timer = 0, seq = 0;
  function refresh() {
    if (!preview) return;
    var n = ++seq, data = new URLSearchParams();
    data.set("csrf", form.elements.csrf.value);
    data.set("format", format.value);
    data.set("body", body.value);
    fetch("/admin/render", { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (n === seq) preview.innerHTML = html; })
      .catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 250); }
  body.addEventListener("input", later);
  format.addEventListener("change", refresh);
  refresh();

  // Pictures: insert their snippet where the cursor is.
  document.querySelectorAll("[data-insert]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function (ev) {
      ev.preventDefault();
      var snippet = format.value === "markdown" ? b.dataset.insert : b.dataset.insertHtml;
      var at = body.selectionStart || body.value.length;
      body.value = body.value.slice(0, at) + snippet + body.value.slice(body.selectionEnd || at);
      body.focus();
      body.selectionStart = body.selectionEnd = at + snippet.length;
      later();
    });
  });
})();
