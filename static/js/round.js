// Review round: selecting words in the memo fills the comment form's section and quote;
// reading-period countdowns tick and reload the page when the period ends.
(function () {
  "use strict";

  function fold(text) { return text.replace(/\s+/g, " ").trim(); }

  document.addEventListener("mouseup", function () {
    var form = document.getElementById("comment-form");
    var selection = window.getSelection();
    if (!form || !selection || selection.isCollapsed) return;
    var node = selection.anchorNode && (selection.anchorNode.nodeType === 1 ? selection.anchorNode : selection.anchorNode.parentElement);
    var section = node && node.closest("#memo [data-section]");
    if (!section) return;
    var quote = fold(selection.toString());
    if (!quote || quote.length > 1000) return;
    var select = form.querySelector("#id_section");
    if (!select.querySelector('option[value="' + CSS.escape(section.dataset.section) + '"]')) return;
    select.value = section.dataset.section;
    form.querySelector("#id_quote").value = quote;
    var whole = fold(section.textContent);
    var at = whole.indexOf(quote);
    if (at >= 0) {
      form.querySelector("#id_prefix").value = whole.slice(Math.max(0, at - 40), at);
      form.querySelector("#id_suffix").value = whole.slice(at + quote.length, at + quote.length + 40);
    }
    form.querySelector("#id_body").focus({ preventScroll: true });
  });

  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.round((new Date(el.dataset.countdown) - new Date()) / 1000);
      if (left <= 0) {
        if (!el.dataset.done) { el.dataset.done = "1"; window.setTimeout(function () { window.location.reload(); }, 1500); }
        el.textContent = "now";
        return;
      }
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s + " from now";
    });
  }
  if (document.querySelector("[data-countdown]")) { tick(); window.setInterval(tick, 1000); }
})();
