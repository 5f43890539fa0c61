// Coding queue: keys 1 to 9 tick or untick the code with that number.
(function () {
  "use strict";
  var form = document.getElementById("coding-form");
  if (!form) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text"))) { return; }
    var box = form.querySelector('input[data-key="' + event.key + '"]');
    if (box) {
      box.checked = !box.checked;
      box.focus();
      event.preventDefault();
    }
  });
})();
