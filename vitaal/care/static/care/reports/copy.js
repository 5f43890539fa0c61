// Copy buttons of the communication kit. Without JavaScript the buttons stay hidden and
// the texts can be selected by hand. With it, a button copies its text; where the
// clipboard API is missing or refused, the text is selected so Ctrl+C (Cmd+C) copies it.
(function () {
  "use strict";
  function announce(button, message) {
    var status = document.getElementById(button.getAttribute("data-status"));
    if (status) { status.textContent = message; }
  }
  function selectAll(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
  }
  function fallback(button, field) {
    selectAll(field);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    announce(button, copied ? button.getAttribute("data-done") : button.getAttribute("data-manual"));
  }
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      if (!field) { return; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          announce(button, button.getAttribute("data-done"));
        }, function () { fallback(button, field); });
      } else {
        fallback(button, field);
      }
    });
  });
})();
